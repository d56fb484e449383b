//! A structured plugin contribution (built with `arbitrary`), checked against the China model
//! and, when accepted, solved.
//!
//! JSON cannot carry NaN or infinities, and random bytes seldom name a real variable; here the
//! numbers are any `f64` (NaN and infinities included) and variable keys are drawn mostly from
//! the China scenario's metals, routes and years. `Model::add_plugin` must accept the rules or
//! list their problems; accepted rules must then give a plan or a clean error from `plan()`
//! (which also runs the independent checker), never a panic.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use metalplan_core::scenario::{parse_scenario, SourceFormat};
use metalplan_core::{plan, Model, PluginRules, Scenario, SolveOptions};
use metalplan_plugin::{
    Constraint, Contribution, FeedSource, Figure, NewVariable, ObjectiveTerm, Route, Sense, Term,
    VarRef,
};

/// The shipped China scenario and its model, parsed and built once.
static CHINA: LazyLock<(Scenario, Model)> = LazyLock::new(|| {
    let text = include_str!("../../scenarios/china-2025-2026.toml");
    let loaded = parse_scenario(
        text.to_string(),
        Path::new("scenarios/china-2025-2026.toml"),
        SourceFormat::Toml,
    )
    .expect("the shipped China scenario is valid");
    let model = Model::build(&loaded.scenario);
    (loaded.scenario, model)
});

/// Metal keys: the China scenario's, then two it lacks.
const METALS: [&str; 9] = [
    "copper",
    "aluminium",
    "lead",
    "zinc",
    "magnesium",
    "other_ten_metals",
    "lithium",
    "tin",
    "",
];

/// Years: the planning years, the base year and one after the horizon.
const YEARS: [i32; 4] = [2025, 2026, 2024, 2027];

/// Own-variable names: a few, so references hit declared names often.
const NAMES: [&str; 4] = ["a", "b", "stock", ""];

/// A number biased toward ordinary values, with every special value reachable.
#[derive(Debug, Arbitrary)]
enum Number {
    Small(i8),
    Fraction(u8),
    Any(f64),
    Nan,
    Infinity,
    NegativeInfinity,
    Huge(bool),
}

impl Number {
    fn value(&self) -> f64 {
        match *self {
            Number::Small(value) => f64::from(value),
            Number::Fraction(value) => f64::from(value) / 255.0,
            Number::Any(value) => value,
            Number::Nan => f64::NAN,
            Number::Infinity => f64::INFINITY,
            Number::NegativeInfinity => f64::NEG_INFINITY,
            Number::Huge(negative) => {
                if negative {
                    -1e300
                } else {
                    1e300
                }
            }
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Var {
    Output { metal: u8, primary: bool, year: u8 },
    Feed { metal: u8, source: u8, year: u8 },
    Build { metal: u8, primary: bool, year: u8 },
    Own { name: u8 },
}

fn pick<T: Copy>(items: &[T], index: u8) -> T {
    items[usize::from(index) % items.len()]
}

fn route(primary: bool) -> Route {
    if primary {
        Route::Primary
    } else {
        Route::Recycled
    }
}

impl Var {
    fn key(&self) -> VarRef {
        match *self {
            Var::Output {
                metal,
                primary,
                year,
            } => VarRef::Output {
                metal: pick(&METALS, metal).to_string(),
                route: route(primary),
                year: pick(&YEARS, year),
            },
            Var::Feed {
                metal,
                source,
                year,
            } => VarRef::Feed {
                metal: pick(&METALS, metal).to_string(),
                source: pick(
                    &[
                        FeedSource::DomesticOre,
                        FeedSource::ImportedConcentrate,
                        FeedSource::DomesticScrap,
                        FeedSource::ImportedScrap,
                    ],
                    source,
                ),
                year: pick(&YEARS, year),
            },
            Var::Build {
                metal,
                primary,
                year,
            } => VarRef::Build {
                metal: pick(&METALS, metal).to_string(),
                route: route(primary),
                year: pick(&YEARS, year),
            },
            Var::Own { name } => VarRef::Own {
                name: pick(&NAMES, name).to_string(),
            },
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Row {
    name: u8,
    year: Option<u8>,
    terms: Vec<(Var, Number)>,
    sense: u8,
    rhs: Number,
}

#[derive(Debug, Arbitrary)]
struct Input {
    constraints: Vec<Row>,
    variables: Vec<(u8, Number, Option<Number>)>,
    objective: Vec<(Var, Number)>,
    figures: Vec<(u8, Option<u8>, Number)>,
    solve: bool,
}

impl Input {
    fn contribution(&self) -> Contribution {
        Contribution {
            constraints: self
                .constraints
                .iter()
                .map(|row| Constraint {
                    name: format!("c{}", row.name % 8),
                    year: row.year.map(|year| pick(&YEARS, year)),
                    terms: row
                        .terms
                        .iter()
                        .map(|(var, coefficient)| Term {
                            var: var.key(),
                            coefficient: coefficient.value(),
                        })
                        .collect(),
                    sense: pick(&[Sense::AtMost, Sense::AtLeast, Sense::Equal], row.sense),
                    rhs: row.rhs.value(),
                })
                .collect(),
            variables: self
                .variables
                .iter()
                .map(|(name, lower, upper)| NewVariable {
                    name: pick(&NAMES, *name).to_string(),
                    lower: lower.value(),
                    upper: upper.as_ref().map(Number::value),
                })
                .collect(),
            objective: self
                .objective
                .iter()
                .map(|(var, cost)| ObjectiveTerm {
                    var: var.key(),
                    cost_cny_per_unit: cost.value(),
                })
                .collect(),
            figures: self
                .figures
                .iter()
                .map(|(name, year, value)| Figure {
                    name: pick(&NAMES, *name).to_string(),
                    year: year.map(|year| pick(&YEARS, year)),
                    value: value.value(),
                    unit: String::new(),
                })
                .collect(),
        }
    }
}

fuzz_target!(|input: Input| {
    let (scenario, model) = &*CHINA;
    let contribution = input.contribution();
    let mut model = model.clone();
    match model.add_plugin(scenario, "fuzz", &contribution) {
        Ok(()) if input.solve => {
            let rules = PluginRules {
                name: "fuzz".to_string(),
                version: "0.0.0".to_string(),
                path: PathBuf::from("fuzz.so"),
                sha256: String::new(),
                contribution,
            };
            // A time limit keeps a pathological model from stalling the fuzzer; running out
            // of time is one more clean error.
            let options = SolveOptions {
                time_limit_seconds: Some(5.0),
                ..SolveOptions::default()
            };
            match plan(scenario, &[rules], options) {
                Ok(result) => std::hint::black_box(result.objective),
                Err(error) => std::hint::black_box(error.to_string().len() as f64),
            };
        }
        Ok(()) => {}
        Err(error) => {
            std::hint::black_box(error.to_string());
        }
    }
});

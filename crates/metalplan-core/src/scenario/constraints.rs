//! `[[constraints]]`: linear rules planners write in the scenario file, without a plugin
//! (docs/constraints.md). A rule sums model variables named by the same stable keys plugins use
//! (output, feed or build of a metal, route, feed source and year) and compares the sum with a
//! right-hand side, or with a `share` of another sum; it repeats for each year it lists.
//!
//! This module holds the file's types, their checks (every problem names the constraint and the
//! offending key by its field path, which the loader turns into a line and column), and the
//! expansion of a valid rule into one linear row per year over [`VarKey`]s. The model builder
//! turns those keys into columns; the plan checker does not use the expansion at all.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{FeedSource, PerYear, Route, Scenario, Year, MAX_MAGNITUDE};
use crate::error::Problem;

/// One `[[constraints]]` entry, as written.
///
/// Either the linear form `sum(terms) sense rhs`, or the share form
/// `sum(terms) sense share * sum(of)`, expanded to `sum(terms) - share * sum(of) sense 0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConstraint {
    /// Stable key: lowercase letters, digits, `_` and `-`; unique among the constraints. Rows are
    /// named `user[<name>,<year>]`.
    pub name: String,
    /// Free text: what the rule is and where it comes from.
    #[serde(default)]
    pub description: String,
    /// The years the rule is repeated for; absent: every planning year.
    pub years: Option<YearSelection>,
    /// The left-hand side: terms summed.
    #[serde(default)]
    pub terms: Vec<ConstraintTerm>,
    /// `<=`, `>=` or `=`.
    pub sense: Option<String>,
    /// Right-hand side of the linear form, in the unit of the terms (Mt for plain coefficients).
    pub rhs: Option<PerYear>,
    /// Share form: the fraction (0 to 1) of `of` that `terms` is compared with.
    pub share: Option<PerYear>,
    /// Share form: the terms whose sum `share` multiplies.
    pub of: Option<Vec<ConstraintTerm>>,
}

/// One term: `coefficient` times the sum of the variables its keys select.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintTerm {
    /// `output` (default), `feed` or `build`.
    pub variable: Option<String>,
    /// One metal or a list; absent: every metal that has the selected variables.
    pub metal: Option<Names>,
    /// One route or a list (`primary`, `recycled`); absent: every route.
    pub route: Option<Names>,
    /// Feed terms only: one source or a list; absent: every source of the selected routes.
    pub source: Option<Names>,
    /// An explicit planning year (for rules across years); absent: the year of the rule's row.
    pub year: Option<Year>,
    /// Multiplies the sum; absent: 1.
    pub coefficient: Option<f64>,
}

/// A name or a list of names: `metal = "lead"` or `metal = ["lead", "zinc"]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Names {
    /// One name.
    One(String),
    /// A list of names.
    Many(Vec<String>),
}

impl Names {
    /// Every name with the suffix of its field path: `""` for a single name, `[k]` in a list.
    fn entries(&self) -> Vec<(String, &str)> {
        match self {
            Names::One(name) => vec![(String::new(), name.as_str())],
            Names::Many(names) => names
                .iter()
                .enumerate()
                .map(|(index, name)| (format!("[{index}]"), name.as_str()))
                .collect(),
        }
    }

    /// Whether `name` is one of the names.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        match self {
            Names::One(one) => one == name,
            Names::Many(names) => names.iter().any(|listed| listed == name),
        }
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NamesVisitor)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Names;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter
            .write_str("a name such as \"copper\", or a list of names such as [\"lead\", \"zinc\"]")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Names, E> {
        Ok(Names::One(value.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
        let mut names = Vec::new();
        while let Some(name) = seq.next_element::<String>()? {
            names.push(name);
        }
        Ok(Names::Many(names))
    }
}

/// The years a rule repeats for: `years = 2026`, `years = [2025, 2026]` or
/// `years = { from = 2025, to = 2030 }` (both ends included).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum YearSelection {
    /// One year.
    One(Year),
    /// Listed years.
    List(Vec<Year>),
    /// Every year from `from` to `to`, inclusive.
    Range {
        /// First year.
        from: Year,
        /// Last year, included.
        to: Year,
    },
}

impl<'de> Deserialize<'de> for YearSelection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YearsVisitor)
    }
}

struct YearsVisitor;

/// The `{ from, to }` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearRange {
    from: Year,
    to: Year,
}

impl<'de> Visitor<'de> for YearsVisitor {
    type Value = YearSelection;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(
            "a year such as 2026, a list of years such as [2025, 2026], or a range such as { from = 2025, to = 2030 }",
        )
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<YearSelection, E> {
        Year::try_from(value)
            .map(YearSelection::One)
            .map_err(|_| E::custom(format!("{value} is not a year")))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<YearSelection, E> {
        Year::try_from(value)
            .map(YearSelection::One)
            .map_err(|_| E::custom(format!("{value} is not a year")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YearSelection, A::Error> {
        let mut years = Vec::new();
        while let Some(year) = seq.next_element::<Year>()? {
            years.push(year);
        }
        Ok(YearSelection::List(years))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<YearSelection, A::Error> {
        let range = YearRange::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(YearSelection::Range {
            from: range.from,
            to: range.to,
        })
    }
}

/// The direction of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// `<=`
    AtMost,
    /// `>=`
    AtLeast,
    /// `=`
    Equal,
}

impl Sense {
    /// The sense written as `<=`, `>=` or `=`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Sense> {
        match text.trim() {
            "<=" => Some(Sense::AtMost),
            ">=" => Some(Sense::AtLeast),
            "=" | "==" => Some(Sense::Equal),
            _ => None,
        }
    }
}

/// What a term sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermVariable {
    /// Output of a route, Mt.
    Output,
    /// Feed drawn from a source, Mt of contained metal.
    Feed,
    /// Route capacity built in a year, Mt/yr.
    Build,
}

impl TermVariable {
    /// The variable a term names; absent means output.
    #[must_use]
    pub fn parse(text: Option<&str>) -> Option<TermVariable> {
        match text.map(str::trim) {
            None | Some("output") => Some(TermVariable::Output),
            Some("feed") => Some(TermVariable::Feed),
            Some("build") => Some(TermVariable::Build),
            Some(_) => None,
        }
    }
}

/// A model variable named by stable keys, with the metal as an index into `Scenario::metals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VarKey {
    /// `output[metal,route,year]`.
    Output {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
        /// The year.
        year: Year,
    },
    /// `feed[metal,source,year]`.
    Feed {
        /// Index of the metal.
        metal: usize,
        /// The source.
        source: FeedSource,
        /// The year.
        year: Year,
    },
    /// `build[metal,route,year]`.
    Build {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
        /// The year.
        year: Year,
    },
}

/// One row of a valid rule in one year, over model variables.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpandedConstraint {
    /// Index of the rule in `Scenario::constraints`.
    pub constraint: usize,
    /// The year of the row.
    pub year: Year,
    /// `sum(terms)`: each variable with its coefficient (a variable may appear more than once).
    pub part: Vec<(VarKey, f64)>,
    /// Share form: the share and `sum(of)`.
    pub whole: Option<(f64, Vec<(VarKey, f64)>)>,
    /// Direction.
    pub sense: Sense,
    /// Right-hand side: `rhs` of the linear form, 0 for the share form.
    pub rhs: f64,
}

impl UserConstraint {
    /// The years this rule repeats for, in increasing order, for a valid scenario.
    #[must_use]
    pub fn rule_years(&self, scenario: &Scenario) -> Vec<Year> {
        match &self.years {
            None => scenario.years.clone(),
            Some(YearSelection::One(year)) => vec![*year],
            Some(YearSelection::List(years)) => {
                let set: BTreeSet<Year> = years.iter().copied().collect();
                set.into_iter().collect()
            }
            Some(YearSelection::Range { from, to }) => (*from..=*to).collect(),
        }
    }

    /// The parsed sense (`None` only for an invalid rule).
    #[must_use]
    pub fn parsed_sense(&self) -> Option<Sense> {
        self.sense.as_deref().and_then(Sense::parse)
    }
}

/// Every row of every rule of a valid scenario, rule by rule, year by year.
#[must_use]
pub fn expand(scenario: &Scenario) -> Vec<ExpandedConstraint> {
    let mut rows = Vec::new();
    for (index, constraint) in scenario.constraints.iter().enumerate() {
        let Some(sense) = constraint.parsed_sense() else {
            continue;
        };
        for year in constraint.rule_years(scenario) {
            let sum = |terms: &[ConstraintTerm]| -> Vec<(VarKey, f64)> {
                terms
                    .iter()
                    .flat_map(|term| {
                        let coefficient = term.coefficient.unwrap_or(1.0);
                        select(scenario, term, term.year.unwrap_or(year))
                            .into_iter()
                            .map(move |key| (key, coefficient))
                    })
                    .collect()
            };
            let part = sum(&constraint.terms);
            let whole = match (&constraint.share, &constraint.of) {
                (Some(share), Some(of)) => Some((share.get(year).unwrap_or(0.0), sum(of))),
                _ => None,
            };
            let rhs = if whole.is_some() {
                0.0
            } else {
                constraint
                    .rhs
                    .as_ref()
                    .and_then(|rhs| rhs.get(year))
                    .unwrap_or(0.0)
            };
            rows.push(ExpandedConstraint {
                constraint: index,
                year,
                part,
                whole,
                sense,
                rhs,
            });
        }
    }
    rows
}

/// Whether capacity of `route` of metal `metal` can be built in `year` (a build variable exists:
/// `max_build_mt_per_year` above 0 that year).
fn can_build(scenario: &Scenario, metal: usize, route: Route, year: Year) -> bool {
    scenario.metals[metal]
        .route(route)
        .and_then(|spec| spec.max_build_mt_per_year.as_ref())
        .and_then(|limit| limit.get(year))
        .is_some_and(|limit| limit > 0.0)
}

/// The variables a term selects in `year`: every combination of its keys that names a variable
/// of the model. Unknown names select nothing (validation reports them).
fn select(scenario: &Scenario, term: &ConstraintTerm, year: Year) -> Vec<VarKey> {
    let Some(variable) = TermVariable::parse(term.variable.as_deref()) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for (metal_index, metal) in scenario.metals.iter().enumerate() {
        if term
            .metal
            .as_ref()
            .is_some_and(|names| !names.contains(&metal.name))
        {
            continue;
        }
        for route in Route::ALL {
            if term
                .route
                .as_ref()
                .is_some_and(|names| !names.contains(route.key()))
            {
                continue;
            }
            let Some(spec) = metal.route(route) else {
                continue;
            };
            match variable {
                TermVariable::Output => keys.push(VarKey::Output {
                    metal: metal_index,
                    route,
                    year,
                }),
                TermVariable::Build => {
                    if can_build(scenario, metal_index, route, year) {
                        keys.push(VarKey::Build {
                            metal: metal_index,
                            route,
                            year,
                        });
                    }
                }
                TermVariable::Feed => {
                    for source in route.feed_sources() {
                        let wanted = term
                            .source
                            .as_ref()
                            .is_none_or(|names| names.contains(source.key()));
                        if wanted && spec.feed_source(source).is_some() {
                            keys.push(VarKey::Feed {
                                metal: metal_index,
                                source,
                                year,
                            });
                        }
                    }
                }
            }
        }
    }
    keys
}

/// Every problem with the scenario's `[[constraints]]`; the horizon and metals are assumed
/// checked (their own problems are reported elsewhere).
pub(super) fn check(scenario: &Scenario, key_problem: fn(&str) -> Option<String>) -> Vec<Problem> {
    let mut checker = Checker {
        scenario,
        problems: Vec::new(),
    };
    let mut first_index: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, constraint) in scenario.constraints.iter().enumerate() {
        let path = format!("constraints[{index}]");
        let what = format!("constraint `{}`", constraint.name);
        if let Some(message) = key_problem(&constraint.name) {
            checker.report(format!("{path}.name"), &what, message);
        }
        if let Some(&previous) = first_index.get(constraint.name.as_str()) {
            checker.report(
                format!("{path}.name"),
                &what,
                format!("is named twice (also constraints[{previous}]); names must be unique"),
            );
        } else {
            first_index.insert(&constraint.name, index);
        }
        checker.constraint(&path, &what, constraint);
    }
    checker.problems
}

struct Checker<'s> {
    scenario: &'s Scenario,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, path: String, what: &str, message: impl fmt::Display) {
        self.problems.push(Problem {
            path,
            message: format!("{what}: {message}"),
            location: None,
        });
    }

    /// A finite number of at most [`MAX_MAGNITUDE`] in size, or a problem.
    fn finite(&mut self, path: String, what: &str, value: f64) -> bool {
        if !value.is_finite() {
            self.report(path, what, format!("must be a finite number, got {value}"));
            false
        } else if value.abs() > MAX_MAGNITUDE {
            self.report(
                path,
                what,
                format!("{value} is beyond {MAX_MAGNITUDE:e}: no planning quantity is that large (a unit mistake?), and solvers fail on such numbers"),
            );
            false
        } else {
            true
        }
    }

    fn constraint(&mut self, path: &str, what: &str, constraint: &UserConstraint) {
        match constraint.sense.as_deref() {
            None => self.report(
                path.to_string(),
                what,
                "gives no `sense`; write sense = \">=\", \"<=\" or \"=\"",
            ),
            Some(text) if Sense::parse(text).is_none() => self.report(
                format!("{path}.sense"),
                what,
                format!("`{text}` is not a sense; write \">=\", \"<=\" or \"=\""),
            ),
            Some(_) => {}
        }
        let years = self.years(path, what, constraint);
        if constraint.terms.is_empty() {
            self.report(
                format!("{path}.terms"),
                what,
                "has no terms; give at least one, e.g. terms = [{ metal = \"copper\", route = \"recycled\" }]",
            );
        }
        match (&constraint.rhs, &constraint.share, &constraint.of) {
            (Some(_), Some(_), _) => self.report(
                format!("{path}.rhs"),
                what,
                "give either `rhs` or `share` (with `of`), not both: a share rule compares with a share of `of`",
            ),
            (_, Some(_), None) => self.report(
                format!("{path}.share"),
                what,
                "a share needs `of`: the terms it is a share of",
            ),
            (_, None, Some(_)) => self.report(
                format!("{path}.of"),
                what,
                "`of` needs a `share`, e.g. share = 0.35",
            ),
            (None, None, None) => self.report(
                path.to_string(),
                what,
                "gives neither `rhs` nor `share`; write e.g. rhs = 11.0, or share = 0.35 with of = [...]",
            ),
            _ => {}
        }
        if let Some(of) = &constraint.of {
            if of.is_empty() {
                self.report(format!("{path}.of"), what, "has no terms");
            }
        }
        if let Some(rhs) = &constraint.rhs {
            self.per_year(&format!("{path}.rhs"), what, rhs, years.as_deref(), false);
        }
        if let Some(share) = &constraint.share {
            self.per_year(
                &format!("{path}.share"),
                what,
                share,
                years.as_deref(),
                true,
            );
        }
        let mut every_term_has_a_year = true;
        for (list, terms) in [
            ("terms", Some(&constraint.terms)),
            ("of", constraint.of.as_ref()),
        ] {
            for (index, term) in terms.into_iter().flatten().enumerate() {
                every_term_has_a_year &= term.year.is_some();
                self.term(
                    &format!("{path}.{list}[{index}]"),
                    what,
                    term,
                    years.as_deref(),
                );
            }
        }
        if constraint.years.is_none() && every_term_has_a_year && !constraint.terms.is_empty() {
            self.report(
                format!("{path}.years"),
                what,
                "every term names its own year, so the rule would repeat unchanged in every planning year; say which year it belongs to, e.g. years = 2026",
            );
        }
    }

    /// The rule's years, when they are valid.
    fn years(&mut self, path: &str, what: &str, constraint: &UserConstraint) -> Option<Vec<Year>> {
        let scenario = self.scenario;
        let horizon = horizon_text(scenario);
        let path = format!("{path}.years");
        let mut valid = true;
        let outside = |checker: &mut Self, at: String, year: Year| {
            let inside = scenario.years.contains(&year);
            if !inside {
                checker.report(
                    at,
                    what,
                    format!("year {year} is outside the horizon ({horizon})"),
                );
            }
            inside
        };
        match &constraint.years {
            None => {}
            Some(YearSelection::One(year)) => valid &= outside(self, path.clone(), *year),
            Some(YearSelection::List(years)) => {
                if years.is_empty() {
                    self.report(
                        path.clone(),
                        what,
                        "lists no year; leave `years` out for every planning year",
                    );
                    valid = false;
                }
                let mut seen = BTreeSet::new();
                for (index, &year) in years.iter().enumerate() {
                    valid &= outside(self, format!("{path}[{index}]"), year);
                    if !seen.insert(year) {
                        self.report(
                            format!("{path}[{index}]"),
                            what,
                            format!("year {year} is listed twice"),
                        );
                        valid = false;
                    }
                }
            }
            Some(YearSelection::Range { from, to }) => {
                valid &= outside(self, format!("{path}.from"), *from);
                valid &= outside(self, format!("{path}.to"), *to);
                if from > to {
                    self.report(
                        format!("{path}.to"),
                        what,
                        format!("the range ends ({to}) before it starts ({from})"),
                    );
                    valid = false;
                }
            }
        }
        valid.then(|| constraint.rule_years(scenario))
    }

    /// A per-year `rhs` or `share`: finite numbers (shares between 0 and 1), a schedule giving
    /// exactly the rule's years.
    fn per_year(
        &mut self,
        path: &str,
        what: &str,
        value: &PerYear,
        years: Option<&[Year]>,
        share: bool,
    ) {
        for (year, number) in value.entries() {
            let at = year.map_or_else(|| path.to_string(), |year| format!("{path}.{year}"));
            if self.finite(at.clone(), what, number) && share && !(0.0..=1.0).contains(&number) {
                self.report(
                    at.clone(),
                    what,
                    format!("a share must be between 0 and 1, got {number} (write 35 % as 0.35; for other ratios use coefficients)"),
                );
            }
            if let (Some(year), Some(years)) = (year, years) {
                if !years.contains(&year) {
                    self.report(
                        at,
                        what,
                        format!(
                            "year {year} is not one of the rule's years ({})",
                            list(years)
                        ),
                    );
                }
            }
        }
        if let (PerYear::Schedule(by_year), Some(years)) = (value, years) {
            let missing: Vec<Year> = years
                .iter()
                .copied()
                .filter(|year| !by_year.contains_key(year))
                .collect();
            if !missing.is_empty() {
                self.report(
                    path.to_string(),
                    what,
                    format!("no value for {}", list(&missing)),
                );
            }
        }
    }

    /// One term: its keys name what the scenario has, and it selects a variable in every year
    /// it is used.
    fn term(&mut self, path: &str, what: &str, term: &ConstraintTerm, years: Option<&[Year]>) {
        let scenario = self.scenario;
        let mut sound = true;
        let Some(variable) = TermVariable::parse(term.variable.as_deref()) else {
            self.report(
                format!("{path}.variable"),
                what,
                format!(
                    "`{}` is not a variable; use \"output\", \"feed\" or \"build\"",
                    term.variable.as_deref().unwrap_or_default()
                ),
            );
            return;
        };
        if let Some(coefficient) = term.coefficient {
            sound &= self.finite(format!("{path}.coefficient"), what, coefficient);
        }
        if let Some(year) = term.year {
            if !scenario.years.contains(&year) {
                self.report(
                    format!("{path}.year"),
                    what,
                    format!(
                        "year {year} is outside the horizon ({})",
                        horizon_text(scenario)
                    ),
                );
                sound = false;
            }
        }
        let (metals, known) = self.metals(path, what, term);
        sound &= known;
        let (routes, known) = self.routes(path, what, term, &metals);
        sound &= known;
        if let Some(names) = &term.source {
            if variable == TermVariable::Feed {
                sound &= self.names_listed(&format!("{path}.source"), what, names);
                sound &= self.sources(path, what, names, &metals, &routes);
            } else {
                self.report(
                    format!("{path}.source"),
                    what,
                    "applies to feed terms only; add variable = \"feed\"",
                );
                sound = false;
            }
        }
        if !sound {
            return;
        }
        let used: Vec<Year> = match (term.year, years) {
            (Some(year), _) => vec![year],
            (None, Some(years)) => years.to_vec(),
            (None, None) => return,
        };
        let empty: Vec<Year> = used
            .into_iter()
            .filter(|&year| select(scenario, term, year).is_empty())
            .collect();
        if !empty.is_empty() {
            let why = match variable {
                TermVariable::Build => {
                    " (build variables exist only where max_build_mt_per_year is above 0)"
                }
                TermVariable::Feed => " (no selected route lists a selected feed source)",
                TermVariable::Output => "",
            };
            self.report(
                path.to_string(),
                what,
                format!("selects no variable of the model in {}{why}", list(&empty)),
            );
        }
    }

    /// The metals a term names (indices), and whether every name is sound.
    fn metals(&mut self, path: &str, what: &str, term: &ConstraintTerm) -> (Vec<usize>, bool) {
        let scenario = self.scenario;
        let mut metals = Vec::new();
        let Some(names) = &term.metal else {
            return (metals, true);
        };
        let mut sound = self.names_listed(&format!("{path}.metal"), what, names);
        for (suffix, name) in names.entries() {
            if let Some(index) = scenario.metals.iter().position(|metal| metal.name == name) {
                metals.push(index);
            } else {
                self.report(
                    format!("{path}.metal{suffix}"),
                    what,
                    format!("`{name}` is not a metal of this scenario"),
                );
                sound = false;
            }
        }
        (metals, sound)
    }

    /// The routes a term names, and whether each is a route every named metal has.
    fn routes(
        &mut self,
        path: &str,
        what: &str,
        term: &ConstraintTerm,
        metals: &[usize],
    ) -> (Vec<Route>, bool) {
        let scenario = self.scenario;
        let mut routes = Vec::new();
        let Some(names) = &term.route else {
            return (routes, true);
        };
        let mut sound = self.names_listed(&format!("{path}.route"), what, names);
        for (suffix, name) in names.entries() {
            let Some(route) = Route::ALL.into_iter().find(|route| route.key() == name) else {
                self.report(
                    format!("{path}.route{suffix}"),
                    what,
                    format!("`{name}` is not a route; use \"primary\" or \"recycled\""),
                );
                sound = false;
                continue;
            };
            routes.push(route);
            for &metal in metals {
                if scenario.metals[metal].route(route).is_none() {
                    self.report(
                        format!("{path}.route{suffix}"),
                        what,
                        format!(
                            "metal `{}` has no {route} route (leave `metal` out to sum over the metals that have one)",
                            scenario.metals[metal].name
                        ),
                    );
                    sound = false;
                }
            }
        }
        (routes, sound)
    }

    /// A list of names is not empty and names nothing twice.
    fn names_listed(&mut self, path: &str, what: &str, names: &Names) -> bool {
        let Names::Many(list) = names else {
            return true;
        };
        if list.is_empty() {
            self.report(
                path.to_string(),
                what,
                "is an empty list; leave the key out to mean every one",
            );
            return false;
        }
        let mut seen = BTreeSet::new();
        let mut sound = true;
        for (index, name) in list.iter().enumerate() {
            if !seen.insert(name) {
                self.report(
                    format!("{path}[{index}]"),
                    what,
                    format!("`{name}` is listed twice (it would count twice)"),
                );
                sound = false;
            }
        }
        sound
    }

    /// Feed sources are known, belong to a selected route, and are given for named metals.
    fn sources(
        &mut self,
        path: &str,
        what: &str,
        names: &Names,
        metals: &[usize],
        routes: &[Route],
    ) -> bool {
        let scenario = self.scenario;
        let mut sound = true;
        for (suffix, name) in names.entries() {
            let at = format!("{path}.source{suffix}");
            let Some(source) = Route::ALL
                .into_iter()
                .flat_map(Route::feed_sources)
                .find(|source| source.key() == name)
            else {
                self.report(
                    at,
                    what,
                    format!("`{name}` is not a feed source; use domestic_ore, imported_concentrate, domestic_scrap or imported_scrap"),
                );
                sound = false;
                continue;
            };
            if !routes.is_empty() && !routes.contains(&source.route()) {
                self.report(
                    at,
                    what,
                    format!(
                        "`{name}` feeds the {} route, which the term's `route` leaves out",
                        source.route()
                    ),
                );
                sound = false;
                continue;
            }
            for &metal in metals {
                let given = scenario.metals[metal]
                    .route(source.route())
                    .is_some_and(|spec| spec.feed_source(source).is_some());
                if !given {
                    self.report(
                        at.clone(),
                        what,
                        format!(
                            "metal `{}` has no {name} feed in this scenario",
                            scenario.metals[metal].name
                        ),
                    );
                    sound = false;
                }
            }
        }
        sound
    }
}

fn horizon_text(scenario: &Scenario) -> String {
    match (scenario.years.first(), scenario.years.last()) {
        (Some(first), Some(last)) => format!("planning years {first}-{last}"),
        _ => "no planning years".to_string(),
    }
}

fn list(years: &[Year]) -> String {
    years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse_scenario, SourceFormat};

    const BASE: &str = r#"
base_year = 2024
years = [2025, 2026, 2027]
[[metals]]
name = "cu"
[metals.primary]
base_output_mt = 1.0
capacity_mt = 2.0
max_build_mt_per_year = { 2025 = 0.0, 2026 = 1.0, 2027 = 1.0 }
investment_cny_per_t = 1
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_ore = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
feed.imported_concentrate = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
[metals.recycled]
base_output_mt = 1.0
capacity_mt = 2.0
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_scrap = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
"#;

    fn scenario(rules: &str) -> Result<Scenario, Vec<Problem>> {
        parse_scenario(
            format!("{BASE}{rules}"),
            std::path::Path::new("t.toml"),
            SourceFormat::Toml,
        )
        .map(|loaded| loaded.scenario)
        .map_err(|error| match error {
            crate::error::ScenarioError::Invalid { problems, .. } => problems,
            other => panic!("{other}"),
        })
    }

    #[test]
    fn years_are_one_a_list_a_range_or_every_planning_year() {
        for (years, expected) in [
            ("years = 2026", vec![2026]),
            ("years = [2027, 2025]", vec![2025, 2027]),
            ("years = { from = 2026, to = 2027 }", vec![2026, 2027]),
            ("", vec![2025, 2026, 2027]),
        ] {
            let parsed = scenario(&format!(
                "[[constraints]]\nname = \"r\"\n{years}\nterms = [{{ metal = \"cu\" }}]\nsense = \"<=\"\nrhs = 5\n"
            ))
            .unwrap();
            let rule = &parsed.constraints[0];
            assert_eq!(rule.rule_years(&parsed), expected, "{years}");
            let rows = expand(&parsed);
            assert_eq!(rows.len(), expected.len());
            // No route: both routes of cu.
            assert_eq!(rows[0].part.len(), 2);
        }
    }

    #[test]
    fn feed_and_build_terms_select_what_exists() {
        let parsed = scenario(
            r#"
[[constraints]]
name = "r"
terms = [{ variable = "feed", route = "primary" }, { variable = "build", metal = "cu", year = 2027, coefficient = 2.5 }]
sense = "<="
rhs = 5
years = [2026]
"#,
        )
        .unwrap();
        let row = &expand(&parsed)[0];
        assert_eq!(
            row.part,
            vec![
                (
                    VarKey::Feed {
                        metal: 0,
                        source: FeedSource::DomesticOre,
                        year: 2026
                    },
                    1.0
                ),
                (
                    VarKey::Feed {
                        metal: 0,
                        source: FeedSource::ImportedConcentrate,
                        year: 2026
                    },
                    1.0
                ),
                (
                    VarKey::Build {
                        metal: 0,
                        route: Route::Primary,
                        year: 2027
                    },
                    2.5
                ),
            ]
        );
        assert_eq!(row.rhs, 5.0);
        assert!(row.whole.is_none());
    }

    #[test]
    fn a_build_term_in_a_year_without_building_is_refused() {
        // Building is allowed from 2026 only; every metal is meant, so the term is empty in 2025.
        let problems = scenario(
            "[[constraints]]\nname = \"r\"\nterms = [{ variable = \"build\" }]\nsense = \"<=\"\nrhs = 1\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "constraints[0].terms[0]");
        assert!(problems[0]
            .message
            .starts_with("constraint `r`: selects no variable of the model in 2025 "));
    }

    #[test]
    fn a_share_schedule_gives_exactly_the_rule_years() {
        let problems = scenario(
            "[[constraints]]\nname = \"s\"\nyears = [2025, 2026]\nterms = [{ route = \"recycled\" }]\nsense = \">=\"\nshare = { 2025 = 0.2, 2027 = 0.3 }\nof = [{ metal = \"cu\" }]\n",
        )
        .unwrap_err();
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|problem| (problem.path.as_str(), problem.message.as_str()))
            .collect();
        // In file order: the table, then its 2027 entry.
        assert_eq!(
            found,
            vec![
                ("constraints[0].share", "constraint `s`: no value for 2026"),
                (
                    "constraints[0].share.2027",
                    "constraint `s`: year 2027 is not one of the rule's years (2025, 2026)"
                ),
            ]
        );
    }
}

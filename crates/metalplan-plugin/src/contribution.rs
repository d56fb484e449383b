//! What a plugin returns: constraints over the model's variables, variables of its own, objective
//! terms and figures to report.

use serde::{Deserialize, Serialize};

use crate::{FeedSource, Route, Sense};

/// Everything one plugin adds to the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// Linear constraints.
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    /// New bounded variables, referred to as [`VarRef::Own`].
    #[serde(default)]
    pub variables: Vec<NewVariable>,
    /// Terms added to the cost objective.
    #[serde(default)]
    pub objective: Vec<ObjectiveTerm>,
    /// Named figures shown with the results (e.g. the scrap a stock model says exists).
    #[serde(default)]
    pub figures: Vec<Figure>,
}

/// `sum(coefficient * variable) sense rhs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    /// Name, unique within the plugin; the host prefixes it with `plugin.<plugin name>.`.
    pub name: String,
    /// The year the constraint belongs to, for reporting.
    #[serde(default)]
    pub year: Option<i32>,
    /// Terms; at least one.
    pub terms: Vec<Term>,
    /// Direction.
    pub sense: Sense,
    /// Right-hand side, in the unit of the terms (Mt for outputs, feed and builds).
    pub rhs: f64,
}

/// One term of a constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The variable.
    pub var: VarRef,
    /// Its coefficient; must be finite.
    pub coefficient: f64,
}

/// A model variable, named by stable keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum VarRef {
    /// Output of a route, Mt.
    Output {
        /// Metal key.
        metal: String,
        /// Route.
        route: Route,
        /// Planning year.
        year: i32,
    },
    /// Feed drawn from a source, Mt of contained metal.
    Feed {
        /// Metal key.
        metal: String,
        /// Source.
        source: FeedSource,
        /// Planning year.
        year: i32,
    },
    /// Capacity of a route built in a year, Mt/yr (only where building is allowed).
    Build {
        /// Metal key.
        metal: String,
        /// Route.
        route: Route,
        /// Planning year.
        year: i32,
    },
    /// Material of a stage made, Mt of that material (metals with stages).
    StageOutput {
        /// Metal key.
        metal: String,
        /// Stage name.
        stage: String,
        /// Planning year.
        year: i32,
    },
    /// A material imported, Mt (a stage's name, or `refined`; only where it is traded).
    Import {
        /// Metal key.
        metal: String,
        /// Material name.
        material: String,
        /// Planning year.
        year: i32,
    },
    /// A material exported, Mt (a stage's name, or `refined`; only where it is traded).
    Export {
        /// Metal key.
        metal: String,
        /// Material name.
        material: String,
        /// Planning year.
        year: i32,
    },
    /// Consumption of the refined metal, Mt (metals with demand).
    Consumption {
        /// Metal key.
        metal: String,
        /// Planning year.
        year: i32,
    },
    /// Scrap of a grade drawn by a recycled route, Mt of contained metal (routes with grades;
    /// `product` names the recycled product it feeds, absent on a route without products).
    GradeUse {
        /// Metal key.
        metal: String,
        /// Grade name.
        grade: String,
        /// Product name (routes with products only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product: Option<String>,
        /// Planning year.
        year: i32,
    },
    /// Output of a recycled product, Mt (routes with products).
    ProductOutput {
        /// Metal key.
        metal: String,
        /// Product name.
        product: String,
        /// Planning year.
        year: i32,
    },
    /// Electricity from a source used by a process, TWh (scenarios with `[electricity]`).
    Power {
        /// Power source name.
        source: String,
        /// Metal key.
        metal: String,
        /// `primary`, `recycled` or a stage name: a process with `electricity_mwh_per_t`.
        process: String,
        /// Planning year.
        year: i32,
    },
    /// A variable this plugin declared in [`Contribution::variables`].
    Own {
        /// Its name.
        name: String,
    },
}

impl std::fmt::Display for VarRef {
    /// The key as results name it, e.g. `output[copper,primary,2025]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VarRef::Output { metal, route, year } => write!(f, "output[{metal},{route},{year}]"),
            VarRef::Build { metal, route, year } => write!(f, "build[{metal},{route},{year}]"),
            VarRef::Feed {
                metal,
                source,
                year,
            } => write!(f, "feed[{metal},{source},{year}]"),
            VarRef::StageOutput { metal, stage, year } => {
                write!(f, "stage_output[{metal},{stage},{year}]")
            }
            VarRef::Import {
                metal,
                material,
                year,
            } => write!(f, "import[{metal},{material},{year}]"),
            VarRef::Export {
                metal,
                material,
                year,
            } => write!(f, "export[{metal},{material},{year}]"),
            VarRef::Consumption { metal, year } => write!(f, "consumption[{metal},{year}]"),
            VarRef::GradeUse {
                metal,
                grade,
                product: Some(product),
                year,
            } => write!(f, "grade_use[{metal},{grade},{product},{year}]"),
            VarRef::GradeUse {
                metal,
                grade,
                product: None,
                year,
            } => write!(f, "grade_use[{metal},{grade},{year}]"),
            VarRef::ProductOutput {
                metal,
                product,
                year,
            } => write!(f, "product_output[{metal},{product},{year}]"),
            VarRef::Power {
                source,
                metal,
                process,
                year,
            } => write!(f, "power[{source},{metal},{process},{year}]"),
            VarRef::Own { name } => write!(f, "variable `{name}`"),
        }
    }
}

impl VarRef {
    /// Output of `metal`'s `route` in `year`.
    #[must_use]
    pub fn output(metal: &str, route: Route, year: i32) -> VarRef {
        VarRef::Output {
            metal: metal.to_string(),
            route,
            year,
        }
    }

    /// Feed of `metal` from `source` in `year`.
    #[must_use]
    pub fn feed(metal: &str, source: FeedSource, year: i32) -> VarRef {
        VarRef::Feed {
            metal: metal.to_string(),
            source,
            year,
        }
    }

    /// This plugin's own variable `name`.
    #[must_use]
    pub fn own(name: &str) -> VarRef {
        VarRef::Own {
            name: name.to_string(),
        }
    }
}

/// A new variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewVariable {
    /// Name, unique within the plugin.
    pub name: String,
    /// Lower bound; finite.
    pub lower: f64,
    /// Upper bound; at least `lower` (may be `null` in JSON for no bound).
    #[serde(default)]
    pub upper: Option<f64>,
}

/// A term added to the cost objective: `cost_cny_per_unit * variable`, in CNY per tonne for
/// variables counted in Mt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveTerm {
    /// The variable.
    pub var: VarRef,
    /// Cost per unit of the variable (CNY per t for Mt variables); finite.
    pub cost_cny_per_unit: f64,
}

/// A number to show with the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Name, e.g. `domestic_scrap_available_mt`.
    pub name: String,
    /// The year it refers to, if any.
    #[serde(default)]
    pub year: Option<i32>,
    /// The value.
    pub value: f64,
    /// Its unit.
    #[serde(default)]
    pub unit: String,
}

impl Figure {
    /// A figure named `name` for `year` (or none), in `unit`.
    #[must_use]
    pub fn new(name: &str, year: Option<i32>, value: f64, unit: &str) -> Self {
        Figure {
            name: name.to_string(),
            year,
            value,
            unit: unit.to_string(),
        }
    }
}

impl Contribution {
    /// Every number that is NaN or infinite, named by where it sits.
    ///
    /// JSON cannot carry such numbers (`serde_json` writes them as `null`), so the SDK checks them
    /// before a reply leaves the plugin; the host checks again whatever it receives.
    #[must_use]
    pub fn non_finite_numbers(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |value: f64, what: &dyn Fn() -> String| {
            if !value.is_finite() {
                problems.push(format!("{} is {value}, not a finite number", what()));
            }
        };
        for constraint in &self.constraints {
            check(constraint.rhs, &|| {
                format!("constraint `{}`: right-hand side", constraint.name)
            });
            for term in &constraint.terms {
                check(term.coefficient, &|| {
                    format!(
                        "constraint `{}`: coefficient of {}",
                        constraint.name, term.var
                    )
                });
            }
        }
        for variable in &self.variables {
            check(variable.lower, &|| {
                format!("variable `{}`: lower bound", variable.name)
            });
            if let Some(upper) = variable.upper {
                // An infinite upper bound is written as no bound (`None`); NaN is an error.
                if upper.is_nan() {
                    check(upper, &|| {
                        format!("variable `{}`: upper bound", variable.name)
                    });
                }
            }
        }
        for term in &self.objective {
            check(term.cost_cny_per_unit, &|| {
                format!("objective term on {}: cost", term.var)
            });
        }
        for figure in &self.figures {
            check(figure.value, &|| format!("figure `{}`: value", figure.name));
        }
        problems
    }
}

impl Constraint {
    /// A constraint with no terms yet.
    #[must_use]
    pub fn new(name: impl Into<String>, year: Option<i32>, sense: Sense, rhs: f64) -> Self {
        Constraint {
            name: name.into(),
            year,
            terms: Vec::new(),
            sense,
            rhs,
        }
    }

    /// Adds `coefficient * var`.
    #[must_use]
    pub fn term(mut self, var: VarRef, coefficient: f64) -> Self {
        self.terms.push(Term { var, coefficient });
        self
    }
}

//! Hands a [`Model`] to a solver and returns the column values, row duals and, on request,
//! HiGHS's sensitivity ranges.
//!
//! HiGHS is driven directly through the `highs` crate ([`highs`]): the model's sparse rows go in
//! as arrays, with no expression objects in between, and the solved instance stays reachable for
//! ranging. Clarabel goes through good_lp ([`clarabel`]). Both read the same [`Model`]; nothing
//! here formulates anything.
//!
//! Non-cost objectives are solved lexicographically: first the chosen objective, then, with that
//! objective held at its optimum, the cheapest such plan. This breaks ties deterministically and
//! in the planner's favour, instead of leaving the choice among equally good plans to the solver.

use std::fmt;

use serde::{Deserialize, Serialize};

mod clarabel;
mod face;
mod highs;

use crate::error::SolveError;
use crate::model::{Model, ObjectiveKind, Sense};

/// The solver behind good_lp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolverKind {
    /// HiGHS (dual simplex by default), built from source with the `highs` crate.
    #[default]
    Highs,
    /// Clarabel, a pure-Rust interior-point solver.
    Clarabel,
}

impl SolverKind {
    /// The key used on the command line and in results.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            SolverKind::Highs => "highs",
            SolverKind::Clarabel => "clarabel",
        }
    }
}

impl fmt::Display for SolverKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How to solve.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SolveOptions {
    /// Which solver.
    pub solver: SolverKind,
    /// What to optimise.
    pub objective: ObjectiveKind,
    /// Wall-clock limit for each solver call, seconds (`None`: no limit).
    pub time_limit_seconds: Option<f64>,
    /// Ask for sensitivity ranges of the final stage (HiGHS only; needs a simplex basis).
    pub ranging: bool,
}

/// An optimal solution of a [`Model`].
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The solver that found it.
    pub solver: SolverKind,
    /// The objective optimised.
    pub objective: ObjectiveKind,
    /// Value of every column, in the model's column order (Mt).
    pub values: Vec<f64>,
    /// Dual value of every row of the model, from the final solve: the change in the (final
    /// stage's) objective, in internal units, per unit increase of the row's right-hand side.
    pub row_duals: Vec<f64>,
    /// With soft targets: the dual of every row of the model in the first stage, which
    /// minimises the weighted total shortfall (M19): the change in that least shortfall
    /// (Mt-equivalent) per unit increase of the row's right-hand side. `None` without soft
    /// targets.
    pub shortfall_row_duals: Option<Vec<f64>>,
    /// Sensitivity ranges of the final stage, when asked for (see [`Ranging`]).
    pub ranging: Option<Result<Ranging, RangingUnavailable>>,
}

/// HiGHS's sensitivity ranges on the final simplex basis, in internal units.
///
/// For a column: the interval its objective coefficient can move over while the plan stays
/// optimal. For a row: the interval its right-hand side can move over while the basis stays
/// optimal (the shadow price holds; the plan moves linearly with the bound).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranging {
    /// Per column: (lowest, highest) objective coefficient keeping the plan optimal.
    pub cost: Vec<(f64, f64)>,
    /// Per row: (lowest, highest) right-hand side keeping the basis optimal.
    pub rhs: Vec<(f64, f64)>,
}

/// Why ranges could not be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangingUnavailable {
    /// The solver has no simplex basis to range on.
    #[error("{solver} is an interior-point solver: it ends without a simplex basis, and ranging needs one (HiGHS has it)")]
    NoBasis {
        /// The solver's key.
        solver: &'static str,
    },
    /// The final solve holds earlier optima fixed (a non-cost objective or soft targets).
    #[error("the final solve keeps an earlier optimum fixed (an objective other than cost, or soft targets); its ranges would describe only that tie-break, so none are reported")]
    Staged,
    /// Ranges are reported for the cost objective's coefficients only.
    #[error("ranges are given for the cost objective; the {objective} objective's coefficients are not costs")]
    NotCost {
        /// The objective's key.
        objective: &'static str,
    },
    /// HiGHS refused to compute ranges.
    #[error("HiGHS could not compute ranges: {reason}")]
    Refused {
        /// What HiGHS said.
        reason: String,
    },
}

/// Relative slack allowed on the first stage's optimum when the second stage picks the
/// cheapest of the optimal plans; absorbs the first solver's own tolerance. (Plus 1e-9 in model
/// units, not a floor of 1: an emissions optimum of 0.03 Mt is held to 3e-9 Mt, not 0.1 t.)
const LEXICOGRAPHIC_SLACK: f64 = 1e-7;

/// The slack per solver: an interior-point method (Clarabel) cannot converge inside a band as
/// thin as a simplex vertex holds, and stops short of full accuracy; 1e-6 gives it room while
/// staying within the plan checker's tolerance. Clarabel's stages use a band only when the
/// optimal faces of [`face`] did not hold an earlier optimum.
fn lexicographic_slack(solver: SolverKind) -> f64 {
    match solver {
        SolverKind::Highs => LEXICOGRAPHIC_SLACK,
        SolverKind::Clarabel => 1e-6,
    }
}

/// One goal of a lexicographic solve: a coefficient vector over the columns and its direction.
#[derive(Clone, Copy)]
struct Goal<'m> {
    coefficients: &'m [f64],
    maximise: bool,
}

/// One solver call: optimise `goal` with each earlier goal held within its bound.
#[derive(Clone, Copy)]
struct Stage<'s, 'm> {
    goal: Goal<'m>,
    held: &'s [(Goal<'m>, Sense, f64)],
    ranging: bool,
}

impl Stage<'_, '_> {
    /// The extra rows holding earlier goals, as (dense coefficients, sense, rhs).
    fn held_rows(&self) -> impl Iterator<Item = (&[f64], Sense, f64)> + '_ {
        self.held
            .iter()
            .map(|(goal, sense, rhs)| (goal.coefficients, *sense, *rhs))
    }
}

/// What one solver call found: column values and the duals of the model's own rows.
struct StageResult {
    values: Vec<f64>,
    row_duals: Vec<f64>,
    ranging: Option<Result<Ranging, RangingUnavailable>>,
}

/// Solves `model` for the chosen objective.
///
/// Stages, each holding the optima of the ones before: the least total shortfall when the model
/// has soft targets; then the chosen objective; then, for objectives other than cost, the least
/// cost.
pub fn solve(model: &Model, options: SolveOptions) -> Result<Solution, SolveError> {
    let objective = options.objective;
    let chosen = Goal {
        coefficients: model.objectives.get(objective),
        maximise: objective.maximises(),
    };
    let cost = Goal {
        coefficients: &model.objectives.cost,
        maximise: false,
    };
    let mut earlier = Vec::new();
    let soft = model
        .objectives
        .shortfall
        .iter()
        .any(|&weight| weight != 0.0);
    if soft {
        earlier.push(Goal {
            coefficients: &model.objectives.shortfall,
            maximise: false,
        });
    }
    // Cost, and welfare (which holds every cost), are final: their duals are prices. Every
    // other objective is followed by the cheapest of its optimal plans.
    let last = if objective.prices_rows() {
        chosen
    } else {
        earlier.push(chosen);
        cost
    };
    if options.solver == SolverKind::Clarabel && !earlier.is_empty() {
        if let Some(solved) = face::solve(model, options, &earlier, last) {
            let (first_duals, final_stage) = solved?;
            return Ok(Solution {
                solver: options.solver,
                objective,
                values: final_stage.values,
                row_duals: final_stage.row_duals,
                shortfall_row_duals: soft.then_some(first_duals),
                ranging: options.ranging.then_some(Err(RangingUnavailable::Staged)),
            });
        }
    }
    let mut held: Vec<(Goal, Sense, f64)> = Vec::new();
    let mut shortfall_row_duals = None;
    for goal in earlier {
        let stage = Stage {
            goal,
            held: &held,
            ranging: false,
        };
        let result = run(model, options, stage)?;
        if soft && held.is_empty() {
            shortfall_row_duals = Some(result.row_duals);
        }
        let optimum = dot(goal.coefficients, &result.values);
        let slack = lexicographic_slack(options.solver) * optimum.abs() + 1e-9;
        held.push(if goal.maximise {
            (goal, Sense::AtLeast, optimum - slack)
        } else {
            (goal, Sense::AtMost, optimum + slack)
        });
    }
    let single_stage = held.is_empty();
    let rangeable = single_stage && objective == ObjectiveKind::Cost;
    let final_stage = run(
        model,
        options,
        Stage {
            goal: last,
            held: &held,
            ranging: options.ranging && rangeable,
        },
    )?;
    let ranging = match (options.ranging, single_stage, rangeable) {
        (false, ..) | (true, true, true) => final_stage.ranging,
        (true, false, _) => Some(Err(RangingUnavailable::Staged)),
        (true, true, false) => Some(Err(RangingUnavailable::NotCost {
            objective: objective.key(),
        })),
    };
    Ok(Solution {
        solver: options.solver,
        objective,
        values: final_stage.values,
        row_duals: final_stage.row_duals,
        shortfall_row_duals,
        ranging,
    })
}

fn dot(coefficients: &[f64], values: &[f64]) -> f64 {
    coefficients.iter().zip(values).map(|(c, v)| c * v).sum()
}

fn run(
    model: &Model,
    options: SolveOptions,
    stage: Stage<'_, '_>,
) -> Result<StageResult, SolveError> {
    match options.solver {
        SolverKind::Highs => highs::run(model, options.time_limit_seconds, &stage),
        SolverKind::Clarabel => {
            let mut result = clarabel::run(model, options.time_limit_seconds, &stage)?;
            if stage.ranging {
                result.ranging = Some(Err(RangingUnavailable::NoBasis { solver: "clarabel" }));
            }
            Ok(result)
        }
    }
}

/// The nonzero entries of a dense coefficient vector.
fn dense_terms(coefficients: &[f64]) -> impl Iterator<Item = (usize, f64)> + '_ {
    coefficients
        .iter()
        .enumerate()
        .filter(|(_, &coefficient)| coefficient != 0.0)
        .map(|(column, &coefficient)| (column, coefficient))
}

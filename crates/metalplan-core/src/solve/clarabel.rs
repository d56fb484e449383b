//! Clarabel, through good_lp: a pure-Rust interior-point solver.

use good_lp::solvers::{DualValues, SolutionWithDual};
use good_lp::Solution as _;
use good_lp::{
    constraint::ConstraintReference, variable, Constraint, Expression, ProblemVariables,
    ResolutionError, SolverModel, Variable,
};

use super::{dense_terms, Stage, StageResult};
use crate::error::SolveError;
use crate::model::{Model, Sense};

const SOLVER: &str = "clarabel";

/// The accuracy asked for first: tighter than Clarabel's defaults so both solvers agree to 1e-6
/// relative.
const TIGHT_TOLERANCE: f64 = 1e-10;

/// Clarabel's own default accuracy, asked for when it stalls short of [`TIGHT_TOLERANCE`]
/// (status `AlmostSolved`): still two orders inside the plan checker's 1e-6, which `plan()`
/// applies to whatever comes back.
const DEFAULT_TOLERANCE: f64 = 1e-8;

/// One Clarabel call for `stage`: at [`TIGHT_TOLERANCE`], and once more at
/// [`DEFAULT_TOLERANCE`] (within what is left of the time limit) when the first stops with
/// status `AlmostSolved`.
pub(super) fn run(
    model: &Model,
    time_limit: Option<f64>,
    stage: &Stage<'_, '_>,
) -> Result<StageResult, SolveError> {
    let started = std::time::Instant::now();
    match attempt(model, time_limit, stage, TIGHT_TOLERANCE)? {
        Attempt::Solved(result) => Ok(result),
        Attempt::Stopped(clarabel::solver::SolverStatus::AlmostSolved) => {
            let remaining =
                time_limit.map(|seconds| (seconds - started.elapsed().as_secs_f64()).max(0.0));
            match attempt(model, remaining, stage, DEFAULT_TOLERANCE)? {
                Attempt::Solved(result) => Ok(result),
                Attempt::Stopped(status) => Err(status_error(status)),
            }
        }
        Attempt::Stopped(status) => Err(status_error(status)),
    }
}

/// What one Clarabel call ended with.
enum Attempt {
    Solved(StageResult),
    Stopped(clarabel::solver::SolverStatus),
}

/// One Clarabel call asking for `tolerance` (gap, absolute and relative, and feasibility).
fn attempt(
    model: &Model,
    time_limit: Option<f64>,
    stage: &Stage<'_, '_>,
    tolerance: f64,
) -> Result<Attempt, SolveError> {
    let mut problem = ProblemVariables::new();
    // A fixed column (lower = upper, as on an optimal face, see `super::optimal_face`) enters
    // as a constant: good_lp would hand its two bounds to Clarabel as two inequalities with
    // nothing strictly between them, which an interior-point method cannot converge in.
    let variables: Vec<Term> = model
        .columns
        .iter()
        .map(|column| {
            if column.lower == column.upper {
                Term::Fixed(column.lower)
            } else {
                Term::Free(problem.add(variable().min(column.lower).max(column.upper)))
            }
        })
        .collect();
    let objective = linear(&variables, dense_terms(stage.goal.coefficients));
    let unsolved = if stage.goal.maximise {
        problem.maximise(objective)
    } else {
        problem.minimise(objective)
    };
    let mut clarabel = unsolved.using(good_lp::solvers::clarabel::clarabel);
    let settings = clarabel
        .settings()
        .tol_gap_abs(tolerance)
        .tol_gap_rel(tolerance)
        .tol_feas(tolerance)
        .max_iter(500);
    if let Some(seconds) = time_limit {
        settings.time_limit(seconds);
    }
    let references: Vec<ConstraintReference> = model
        .rows
        .iter()
        .map(|row| {
            let expression = linear(&variables, row.terms.iter().copied());
            clarabel.add_constraint(bound(expression, row.sense, row.rhs))
        })
        .collect();
    for (coefficients, sense, rhs) in stage.held_rows() {
        let expression = linear(&variables, dense_terms(coefficients));
        clarabel.add_constraint(bound(expression, sense, rhs));
    }
    let mut solution = clarabel
        .solve()
        .map_err(|error| resolution_error(error, time_limit))?;
    let status = solution.inner().status;
    if !matches!(status, clarabel::solver::SolverStatus::Solved) {
        return Ok(Attempt::Stopped(status));
    }
    let values = variables
        .iter()
        .map(|term| match *term {
            Term::Free(var) => solution.value(var),
            Term::Fixed(value) => value,
        })
        .collect();
    let duals = solution.compute_dual();
    let row_duals = references
        .iter()
        .map(|reference| duals.dual(reference.clone()))
        .collect();
    Ok(Attempt::Solved(StageResult {
        values,
        row_duals,
        ranging: None,
    }))
}

fn status_error(status: clarabel::solver::SolverStatus) -> SolveError {
    use clarabel::solver::SolverStatus;
    match status {
        SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => SolveError::Unbounded,
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
            SolveError::Infeasible
        }
        other => SolveError::Solver {
            solver: SOLVER,
            reason: format!("stopped with status {other:?} before reaching full accuracy"),
        },
    }
}

/// A column as Clarabel sees it: a variable, or a constant when its bounds meet.
#[derive(Clone, Copy)]
enum Term {
    Free(Variable),
    Fixed(f64),
}

/// Builds an expression term by term; summing expressions in a loop would be quadratic.
fn linear(variables: &[Term], terms: impl Iterator<Item = (usize, f64)>) -> Expression {
    let terms: Vec<(usize, f64)> = terms.collect();
    let mut expression = Expression::with_capacity(terms.len());
    for (column, coefficient) in terms {
        match variables[column] {
            Term::Free(variable) => expression.add_mul(coefficient, variable),
            Term::Fixed(value) => expression += coefficient * value,
        }
    }
    expression
}

fn bound(expression: Expression, sense: Sense, rhs: f64) -> Constraint {
    match sense {
        Sense::AtMost => expression.leq(rhs),
        Sense::AtLeast => expression.geq(rhs),
        Sense::Equal => expression.eq(rhs),
    }
}

fn resolution_error(error: ResolutionError, time_limit: Option<f64>) -> SolveError {
    match error {
        ResolutionError::Infeasible => SolveError::Infeasible,
        ResolutionError::Unbounded => SolveError::Unbounded,
        // Clarabel reports its time limit this way.
        ResolutionError::Other(reason)
            if time_limit.is_some()
                && (reason == "Time limit reached" || reason == "NoSolutionFound") =>
        {
            SolveError::TimeLimit {
                solver: SOLVER,
                seconds: time_limit.unwrap_or(f64::INFINITY),
                best_objective: None,
            }
        }
        other => SolveError::Solver {
            solver: SOLVER,
            reason: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{attempt, run, Attempt, TIGHT_TOLERANCE};
    use crate::model::{Model, Sense};
    use crate::scenario::{parse_scenario, SourceFormat};
    use crate::solve::{dot, Goal, Stage};

    /// The least cost with the least emissions held within a band 1e-7 wide, the stage that
    /// made Clarabel stall before optimal faces replaced bands (tests/properties.rs).
    #[test]
    fn a_stall_short_of_the_tight_tolerance_is_solved_at_the_default() {
        let text = include_str!("../../../../tests/data/clarabel/almost-solved-1e7.toml");
        let file = Path::new("almost-solved-1e7.toml");
        let loaded = parse_scenario(text.to_string(), file, SourceFormat::Toml).unwrap();
        let model = Model::build(&loaded.scenario);
        let emissions = Goal {
            coefficients: &model.objectives.emissions,
            maximise: false,
        };
        let first = Stage {
            goal: emissions,
            held: &[],
            ranging: false,
        };
        let least = dot(
            emissions.coefficients,
            &run(&model, None, &first).unwrap().values,
        );
        let band = least + 1e-7 * least.abs() + 1e-9;
        let held = [(emissions, Sense::AtMost, band)];
        let cost = Goal {
            coefficients: &model.objectives.cost,
            maximise: false,
        };
        let second = Stage {
            goal: cost,
            held: &held,
            ranging: false,
        };
        let stalled = attempt(&model, None, &second, TIGHT_TOLERANCE).unwrap();
        assert!(
            matches!(
                stalled,
                Attempt::Stopped(clarabel::solver::SolverStatus::AlmostSolved)
            ),
            "the tight attempt no longer stalls: pick another scenario for this test"
        );
        let solved = run(&model, None, &second).expect("the retry at the default solves it");
        let reached = dot(emissions.coefficients, &solved.values);
        // Within the band, give or take the default feasibility tolerance.
        assert!(
            reached <= band + 1e-8 * band.abs().max(1.0),
            "{reached} > {band}"
        );
    }
}

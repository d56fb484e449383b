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

/// One Clarabel call for `stage`.
pub(super) fn run(
    model: &Model,
    time_limit: Option<f64>,
    stage: &Stage<'_, '_>,
) -> Result<StageResult, SolveError> {
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
    // Tighter than Clarabel's defaults so both solvers agree to 1e-6 relative.
    let settings = clarabel
        .settings()
        .tol_gap_abs(1e-10)
        .tol_gap_rel(1e-10)
        .tol_feas(1e-10)
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
        return Err(status_error(status));
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
    Ok(StageResult {
        values,
        row_duals,
        ranging: None,
    })
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

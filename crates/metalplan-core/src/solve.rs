//! Hands a [`Model`] to a solver through good_lp and returns the column values and row duals.
//!
//! Non-cost objectives are solved lexicographically: first the chosen objective, then, with that
//! objective held at its optimum, the cheapest such plan. This breaks ties deterministically and
//! in the planner's favour, instead of leaving the choice among equally good plans to the solver.

use std::fmt;

use good_lp::solvers::{DualValues, SolutionWithDual};
use good_lp::Solution as _;
use good_lp::{
    constraint::ConstraintReference, variable, Constraint, Expression, ProblemVariables,
    ResolutionError, SolverModel, Variable,
};
use serde::{Deserialize, Serialize};

use crate::error::SolveError;
use crate::model::{Model, ObjectiveKind, RowSense};

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
}

/// Relative slack allowed on the first stage's optimum when the second stage picks the
/// cheapest of the optimal plans; absorbs the first solver's own tolerance.
const LEXICOGRAPHIC_SLACK: f64 = 1e-7;

/// The slack per solver: an interior-point method (Clarabel) cannot converge inside a band as
/// thin as a simplex vertex holds, and stops short of full accuracy; 1e-6 gives it room while
/// staying within the plan checker's tolerance.
fn lexicographic_slack(solver: SolverKind) -> f64 {
    match solver {
        SolverKind::Highs => LEXICOGRAPHIC_SLACK,
        SolverKind::Clarabel => 1e-6,
    }
}

/// One stage of a lexicographic solve: a coefficient vector over the columns and its direction.
#[derive(Clone, Copy)]
struct Goal<'m> {
    coefficients: &'m [f64],
    maximise: bool,
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
    if model
        .objectives
        .shortfall
        .iter()
        .any(|&weight| weight != 0.0)
    {
        earlier.push(Goal {
            coefficients: &model.objectives.shortfall,
            maximise: false,
        });
    }
    let last = if objective == ObjectiveKind::Cost {
        chosen
    } else {
        earlier.push(chosen);
        cost
    };
    let mut held: Vec<(Goal, RowSense, f64)> = Vec::new();
    for goal in earlier {
        let (values, _) = run(model, options, goal, &held)?;
        let optimum = dot(goal.coefficients, &values);
        let slack = lexicographic_slack(options.solver) * optimum.abs().max(1.0);
        held.push(if goal.maximise {
            (goal, RowSense::AtLeast, optimum - slack)
        } else {
            (goal, RowSense::AtMost, optimum + slack)
        });
    }
    let (values, row_duals) = run(model, options, last, &held)?;
    Ok(Solution {
        solver: options.solver,
        objective,
        values,
        row_duals,
    })
}

fn dot(coefficients: &[f64], values: &[f64]) -> f64 {
    coefficients.iter().zip(values).map(|(c, v)| c * v).sum()
}

/// One solver call: optimise `goal` with each earlier goal held within its bound. Returns the
/// column values and the duals of the model's own rows.
fn run(
    model: &Model,
    options: SolveOptions,
    goal: Goal<'_>,
    held: &[(Goal<'_>, RowSense, f64)],
) -> Result<(Vec<f64>, Vec<f64>), SolveError> {
    let solver = options.solver;
    let time_limit = options.time_limit_seconds;
    let mut problem = ProblemVariables::new();
    let variables: Vec<Variable> = model
        .columns
        .iter()
        .map(|column| problem.add(variable().min(column.lower).max(column.upper)))
        .collect();
    let objective_expression = linear(&variables, dense_terms(goal.coefficients));
    let unsolved = if goal.maximise {
        problem.maximise(objective_expression)
    } else {
        problem.minimise(objective_expression)
    };
    let mut constraints: Vec<Constraint> = model
        .rows
        .iter()
        .map(|row| {
            bound(
                linear(&variables, row.terms.iter().copied()),
                row.sense,
                row.rhs,
            )
        })
        .collect();
    for (earlier, sense, rhs) in held {
        let terms = dense_terms(earlier.coefficients);
        constraints.push(bound(linear(&variables, terms), *sense, *rhs));
    }
    let row_count = model.rows.len();
    let (values, row_duals) = match solver {
        SolverKind::Highs => {
            let mut highs = unsolved
                .using(good_lp::solvers::highs::highs)
                // Serial simplex: the same model gives the same plan on every run and machine.
                .set_option("parallel", "off")
                .set_threads(1);
            if let Some(seconds) = time_limit {
                highs = highs.set_time_limit(seconds);
            }
            let references = add_all(&mut highs, constraints);
            let mut solution = highs
                .solve()
                .map_err(|error| resolution_error(solver, error, time_limit))?;
            let stopped_early = !matches!(solution.status(), good_lp::SolutionStatus::Optimal);
            let (values, duals) = extract(&mut solution, &variables, &references[..row_count]);
            if stopped_early {
                return Err(SolveError::TimeLimit {
                    solver: solver.key(),
                    seconds: time_limit.unwrap_or(f64::INFINITY),
                    best_objective: Some(dot(goal.coefficients, &values) * crate::model::MILLION),
                });
            }
            (values, duals)
        }
        SolverKind::Clarabel => {
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
            let references = add_all(&mut clarabel, constraints);
            let mut solution = clarabel
                .solve()
                .map_err(|error| resolution_error(solver, error, time_limit))?;
            let status = solution.inner().status;
            if !matches!(status, clarabel::solver::SolverStatus::Solved) {
                return Err(clarabel_status_error(status));
            }
            extract(&mut solution, &variables, &references[..row_count])
        }
    };
    Ok((values, row_duals))
}

fn clarabel_status_error(status: clarabel::solver::SolverStatus) -> SolveError {
    use clarabel::solver::SolverStatus;
    match status {
        SolverStatus::DualInfeasible | SolverStatus::AlmostDualInfeasible => SolveError::Unbounded,
        SolverStatus::PrimalInfeasible | SolverStatus::AlmostPrimalInfeasible => {
            SolveError::Infeasible
        }
        other => SolveError::Solver {
            solver: "clarabel",
            reason: format!("stopped with status {other:?} before reaching full accuracy"),
        },
    }
}

fn add_all<M: SolverModel>(
    model: &mut M,
    constraints: Vec<Constraint>,
) -> Vec<ConstraintReference> {
    constraints
        .into_iter()
        .map(|constraint| model.add_constraint(constraint))
        .collect()
}

fn extract<S>(
    solution: &mut S,
    variables: &[Variable],
    references: &[ConstraintReference],
) -> (Vec<f64>, Vec<f64>)
where
    S: good_lp::Solution + for<'a> SolutionWithDual<'a>,
{
    let values = variables.iter().map(|&var| solution.value(var)).collect();
    let duals = solution.compute_dual();
    let row_duals = references
        .iter()
        .map(|reference| duals.dual(reference.clone()))
        .collect();
    (values, row_duals)
}

fn dense_terms(coefficients: &[f64]) -> impl Iterator<Item = (usize, f64)> + '_ {
    coefficients
        .iter()
        .enumerate()
        .filter(|(_, &coefficient)| coefficient != 0.0)
        .map(|(column, &coefficient)| (column, coefficient))
}

/// Builds an expression term by term; summing expressions in a loop would be quadratic.
fn linear(variables: &[Variable], terms: impl Iterator<Item = (usize, f64)>) -> Expression {
    let terms: Vec<(usize, f64)> = terms.collect();
    let mut expression = Expression::with_capacity(terms.len());
    for (column, coefficient) in terms {
        expression.add_mul(coefficient, variables[column]);
    }
    expression
}

fn bound(expression: Expression, sense: RowSense, rhs: f64) -> Constraint {
    match sense {
        RowSense::AtMost => expression.leq(rhs),
        RowSense::AtLeast => expression.geq(rhs),
        RowSense::Equal => expression.eq(rhs),
    }
}

fn resolution_error(
    solver: SolverKind,
    error: ResolutionError,
    time_limit: Option<f64>,
) -> SolveError {
    match error {
        ResolutionError::Infeasible => SolveError::Infeasible,
        ResolutionError::Unbounded => SolveError::Unbounded,
        // Clarabel reports its time limit this way; HiGHS too when it had no feasible point.
        ResolutionError::Other(reason)
            if time_limit.is_some()
                && (reason == "Time limit reached" || reason == "NoSolutionFound") =>
        {
            SolveError::TimeLimit {
                solver: solver.key(),
                seconds: time_limit.unwrap_or(f64::INFINITY),
                best_objective: None,
            }
        }
        other => SolveError::Solver {
            solver: solver.key(),
            reason: other.to_string(),
        },
    }
}

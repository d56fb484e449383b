//! HiGHS, driven directly through the `highs` crate.
//!
//! The model's sparse rows are handed over as they are (a `RowProblem`, which the crate turns
//! into HiGHS's column-wise arrays in one pass); nothing builds an expression per row, which is
//! what made good_lp's path slow and memory-hungry at plant scale (`docs/performance.md`).
//!
//! What HiGHS has but the safe `highs` API does not expose is reached through its C API here:
//! sensitivity ranging and the basis status it is read against. Together with the plugin host this is
//! the only place with `unsafe` code; each block says why it is sound.
#![allow(unsafe_code)]

use highs::{HighsModelStatus, RowProblem, SolvedModel};

use super::{dense_terms, Ranging, RangingUnavailable, Stage, StageResult};
use crate::error::SolveError;
use crate::model::{Model, Sense};

const SOLVER: &str = "highs";

/// One HiGHS call for `stage`.
pub(super) fn run(
    model: &Model,
    time_limit: Option<f64>,
    stage: &Stage<'_, '_>,
) -> Result<StageResult, SolveError> {
    let mut problem = RowProblem::default();
    let columns: Vec<highs::Col> = model
        .columns
        .iter()
        .zip(stage.goal.coefficients)
        .map(|(column, &cost)| problem.add_column(cost, column.lower..=column.upper))
        .collect();
    for row in &model.rows {
        let terms = row
            .terms
            .iter()
            .map(|&(column, coefficient)| (columns[column], coefficient));
        add_row(&mut problem, row.sense, row.rhs, terms);
    }
    for (coefficients, sense, rhs) in stage.held_rows() {
        let terms =
            dense_terms(coefficients).map(|(column, coefficient)| (columns[column], coefficient));
        add_row(&mut problem, sense, rhs, terms);
    }
    let sense = if stage.goal.maximise {
        highs::Sense::Maximise
    } else {
        highs::Sense::Minimise
    };
    // HiGHS refuses a malformed model (a column twice in a row, a NaN): an error, not a panic.
    let mut highs = problem
        .try_optimise(sense)
        .map_err(|status| SolveError::Solver {
            solver: SOLVER,
            reason: format!("HiGHS refused the model ({status:?})"),
        })?;
    // Serial simplex: the same model gives the same plan on every run and machine.
    set_option(&mut highs, "parallel", "off")?;
    set_option(&mut highs, "threads", 1)?;
    if let Some(seconds) = time_limit {
        set_option(&mut highs, "time_limit", seconds)?;
    }
    let mut solved = highs.try_solve().map_err(|status| SolveError::Solver {
        solver: SOLVER,
        reason: format!("HiGHS failed while solving ({status:?})"),
    })?;
    let status = solved.status();
    match status {
        HighsModelStatus::Optimal => {}
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(SolveError::Infeasible)
        }
        HighsModelStatus::Unbounded => return Err(SolveError::Unbounded),
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedInterrupt => {
            let feasible = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible;
            let best_objective = feasible.then(|| solved.objective_value() * crate::model::MILLION);
            return Err(SolveError::TimeLimit {
                solver: SOLVER,
                seconds: time_limit.unwrap_or(f64::INFINITY),
                best_objective,
            });
        }
        other => {
            return Err(SolveError::Solver {
                solver: SOLVER,
                reason: format!("HiGHS stopped with model status {other:?}"),
            })
        }
    }
    let solution = solved.get_solution();
    let values = solution.columns().to_vec();
    let row_duals = solution.dual_rows()[..model.rows.len()].to_vec();
    // The instance's own sizes (the model's plus held goal rows), for HiGHS's arrays.
    let instance = (solution.columns().len(), solution.rows().len());
    let ranging = stage.ranging.then(|| {
        let activities = &solution.rows()[..model.rows.len()];
        ranging(&mut solved, instance, model, activities)
    });
    Ok(StageResult {
        values,
        row_duals,
        ranging,
    })
}

fn add_row(
    problem: &mut RowProblem,
    sense: Sense,
    rhs: f64,
    terms: impl Iterator<Item = (highs::Col, f64)>,
) {
    match sense {
        Sense::AtMost => problem.add_row(..=rhs, terms),
        Sense::AtLeast => problem.add_row(rhs.., terms),
        Sense::Equal => problem.add_row(rhs..=rhs, terms),
    }
}

fn set_option<V: highs::HighsOptionValue>(
    highs: &mut highs::Model,
    option: &str,
    value: V,
) -> Result<(), SolveError> {
    highs
        .try_set_option(option, value)
        .map_err(|status| SolveError::Solver {
            solver: SOLVER,
            reason: format!("HiGHS refused option {option} ({status:?})"),
        })
}

/// HiGHS's ranging on the optimal basis of `solved`, for the model's own columns and rows
/// (rows HiGHS holds beyond them, the held goals of earlier stages, are left out).
///
/// For a row whose slack is basic (not at its bound), HiGHS reports the range of the row's
/// activity instead of a bound range; the bound itself can then move anywhere on the far side
/// of the activity without changing the basis, which is what is returned for such rows.
fn ranging(
    solved: &mut SolvedModel,
    (total_columns, total_rows): (usize, usize),
    model: &Model,
    activities: &[f64],
) -> Result<Ranging, RangingUnavailable> {
    let column_count = model.columns.len();
    let mut cost_down = RangeArrays::new(total_columns);
    let mut cost_up = RangeArrays::new(total_columns);
    let mut bound_down = RangeArrays::new(total_columns);
    let mut bound_up = RangeArrays::new(total_columns);
    let mut row_down = RangeArrays::new(total_rows);
    let mut row_up = RangeArrays::new(total_rows);
    // SAFETY: `solved` owns a live HiGHS instance that has just solved to optimality, and the
    // mutable borrow keeps anything else from using it during the call. HiGHS writes one value
    // per column into each of the 16 column arrays and one per row into each of the 8 row
    // arrays; each array was allocated with exactly the instance's column or row count, read
    // from the solution HiGHS returned for this same instance. The arrays outlive the call and HiGHS keeps no pointer.
    let status = unsafe {
        highs_sys::Highs_getRanging(
            solved.as_mut_ptr(),
            cost_up.value.as_mut_ptr(),
            cost_up.objective.as_mut_ptr(),
            cost_up.in_var.as_mut_ptr(),
            cost_up.out_var.as_mut_ptr(),
            cost_down.value.as_mut_ptr(),
            cost_down.objective.as_mut_ptr(),
            cost_down.in_var.as_mut_ptr(),
            cost_down.out_var.as_mut_ptr(),
            bound_up.value.as_mut_ptr(),
            bound_up.objective.as_mut_ptr(),
            bound_up.in_var.as_mut_ptr(),
            bound_up.out_var.as_mut_ptr(),
            bound_down.value.as_mut_ptr(),
            bound_down.objective.as_mut_ptr(),
            bound_down.in_var.as_mut_ptr(),
            bound_down.out_var.as_mut_ptr(),
            row_up.value.as_mut_ptr(),
            row_up.objective.as_mut_ptr(),
            row_up.in_var.as_mut_ptr(),
            row_up.out_var.as_mut_ptr(),
            row_down.value.as_mut_ptr(),
            row_down.objective.as_mut_ptr(),
            row_down.in_var.as_mut_ptr(),
            row_down.out_var.as_mut_ptr(),
        )
    };
    if status != highs_sys::STATUS_OK {
        return Err(RangingUnavailable::Refused {
            reason: format!(
                "Highs_getRanging returned status {status} (no valid simplex basis after this solve)"
            ),
        });
    }
    let mut column_status = vec![0; total_columns];
    let mut row_status = vec![0; total_rows];
    // SAFETY: as above: a live, solved instance borrowed mutably for the call, and two arrays
    // of exactly its column and row counts for HiGHS to fill; it keeps no pointer.
    let status = unsafe {
        highs_sys::Highs_getBasis(
            solved.as_mut_ptr(),
            column_status.as_mut_ptr(),
            row_status.as_mut_ptr(),
        )
    };
    if status != highs_sys::STATUS_OK {
        return Err(RangingUnavailable::Refused {
            reason: format!("Highs_getBasis returned status {status}"),
        });
    }
    let rhs = model
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            if row_status[index] == highs_sys::kHighsBasisStatusBasic {
                let activity = activities[index];
                match row.sense {
                    Sense::AtMost => (activity, f64::INFINITY),
                    Sense::AtLeast => (f64::NEG_INFINITY, activity),
                    Sense::Equal => (activity, activity),
                }
            } else {
                (
                    finite_or_infinite(row_down.value[index]),
                    finite_or_infinite(row_up.value[index]),
                )
            }
        })
        .collect();
    Ok(Ranging {
        cost: cost_down.value[..column_count]
            .iter()
            .zip(&cost_up.value[..column_count])
            .map(|(&down, &up)| (finite_or_infinite(down), finite_or_infinite(up)))
            .collect(),
        rhs,
    })
}

/// HiGHS writes infinity as a huge finite number (at least 1e30); report it as infinite.
fn finite_or_infinite(value: f64) -> f64 {
    const HIGHS_INFINITY: f64 = 1e30;
    if value >= HIGHS_INFINITY {
        f64::INFINITY
    } else if value <= -HIGHS_INFINITY {
        f64::NEG_INFINITY
    } else {
        value
    }
}

/// The four arrays HiGHS fills for one direction of one kind of range.
struct RangeArrays {
    value: Vec<f64>,
    objective: Vec<f64>,
    in_var: Vec<highs_sys::HighsInt>,
    out_var: Vec<highs_sys::HighsInt>,
}

impl RangeArrays {
    fn new(length: usize) -> Self {
        RangeArrays {
            value: vec![0.0; length],
            objective: vec![0.0; length],
            in_var: vec![0; length],
            out_var: vec![0; length],
        }
    }
}

//! Lexicographic stages for an interior-point solver, on optimal faces instead of bands.
//!
//! The band form of a later stage (the earlier goal held within a sliver of its optimum, see
//! [`super::solve`]) leaves an interior-point method almost no interior to move in: Clarabel
//! then stops short of full accuracy, or breaks a limit by its scaled tolerance. Here each
//! stage instead restricts the model to the optimal face of the stage before, read off that
//! stage's primal and dual solution by complementary slackness: a column with a non-zero
//! reduced cost sits at its bound in every optimal plan, so it is fixed there; a row with a
//! non-zero dual holds with equality in every optimal plan, so it becomes an equality. Every
//! plan on that face is optimal for the earlier goal, and the next goal is optimised over it
//! with nothing thin left. An interior-point method ends near the centre of the optimal face
//! (a strictly complementary solution), which is what makes the reading reliable.
//!
//! The reading is checked, not trusted: when a later stage moves an earlier goal off its
//! optimum by more than [`FACE_TOLERANCE`], the caller falls back to the band form.

use super::{dot, run, Goal, SolveOptions, Stage, StageResult};
use crate::error::SolveError;
use crate::model::{Model, Sense};

/// Relative size below which a reduced cost or a dual counts as zero, and a value as at its
/// bound; Clarabel is asked for 1e-10, so this leaves three orders of magnitude.
const ZERO: f64 = 1e-7;

/// How far (relative, plus 1e-9 absolute) a later stage may move an earlier goal.
const FACE_TOLERANCE: f64 = 1e-7;

/// Solves the `earlier` goals in turn, each on the optimal face of the one before, then `last`;
/// returns the first stage's row duals (on the model itself) and the last stage. `None` when the faces did not hold an earlier optimum (the caller then uses bands); an error
/// from a first-stage solve is the model's own (infeasible, unbounded) and is returned.
pub(super) fn solve(
    model: &Model,
    options: SolveOptions,
    earlier: &[Goal<'_>],
    last: Goal<'_>,
) -> Option<Result<(Vec<f64>, StageResult), SolveError>> {
    let mut face = model.clone();
    let mut optima = Vec::with_capacity(earlier.len());
    let mut first_duals = Vec::new();
    for (index, &goal) in earlier.iter().enumerate() {
        let stage = Stage {
            goal,
            held: &[],
            ranging: false,
        };
        let result = match run(&face, options, stage) {
            Ok(result) => result,
            Err(error) if index == 0 => return Some(Err(error)),
            Err(_) => return None,
        };
        optima.push((goal, dot(goal.coefficients, &result.values)));
        restrict_to_optimal_face(&mut face, goal, &result);
        if index == 0 {
            first_duals = result.row_duals;
        }
    }
    let stage = Stage {
        goal: last,
        held: &[],
        ranging: false,
    };
    let final_stage = run(&face, options, stage).ok()?;
    let holds = optima.iter().all(|(goal, optimum)| {
        let reached = dot(goal.coefficients, &final_stage.values);
        (reached - optimum).abs() <= FACE_TOLERANCE * optimum.abs() + 1e-9
    });
    holds.then_some(Ok((first_duals, final_stage)))
}

/// Fixes each column with a non-zero reduced cost at the bound it sits on, and turns each
/// inequality row with a non-zero dual that holds with equality into an equality.
fn restrict_to_optimal_face(face: &mut Model, goal: Goal<'_>, result: &StageResult) {
    let reduced = face.reduced_costs(goal.coefficients, &result.row_duals);
    let cost_scale = goal
        .coefficients
        .iter()
        .fold(1.0_f64, |largest, c| largest.max(c.abs()));
    let near = |value: f64, bound: f64| (value - bound).abs() <= ZERO * bound.abs().max(1.0);
    for ((column, &value), &reduced_cost) in
        face.columns.iter_mut().zip(&result.values).zip(&reduced)
    {
        if reduced_cost.abs() <= ZERO * cost_scale {
            continue;
        }
        if near(value, column.lower) {
            column.upper = column.lower;
        } else if near(value, column.upper) {
            column.lower = column.upper;
        }
    }
    for (row, &dual) in face.rows.iter_mut().zip(&result.row_duals) {
        if row.sense == Sense::Equal || dual.abs() <= ZERO * cost_scale {
            continue;
        }
        // Measured against the size of the row's terms: a value-added row sums terms of
        // millions of CNY, and holds with equality to that row's own precision.
        let (activity, magnitude) = row.terms.iter().fold(
            (0.0, row.rhs.abs()),
            |(activity, magnitude), &(column, coefficient)| {
                let term = coefficient * result.values[column];
                (activity + term, magnitude + term.abs())
            },
        );
        if (activity - row.rhs).abs() <= ZERO * magnitude.max(1.0) {
            row.sense = Sense::Equal;
        }
    }
}

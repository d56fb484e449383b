//! Explaining an infeasible scenario: a minimal set of targets, scenario constraints and limits
//! that cannot hold together (an irreducible infeasible subset), found by deletion filtering, and told in the
//! planner's words.
//!
//! Deletion filter: start from every row except the feed balances (which only define output);
//! drop each row in turn and keep it out if the rest is still infeasible. What remains is
//! infeasible, and removing any one of its rows makes it feasible. Limits are tried before
//! targets, so when a conflict can be told either way it names the targets. One solve per row:
//! fine for national scenarios; very large models want `--soft-targets` first.

use serde::Serialize;

use crate::error::SolveError;
use crate::model::{Model, ObjectiveKind, Row, RowKind, RowSense, TargetKind};
use crate::scenario::Scenario;
use crate::solve::{self, SolveOptions};

/// One row of a conflict, for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictRow {
    /// The row's name in the model, e.g. `recycled_output_min[2025]`.
    pub name: String,
    /// What it says, in words.
    pub meaning: String,
    /// The scenario field that sets it, e.g. `targets.recycled_output_min_mt`.
    pub field: String,
}

/// A minimal set of rows that cannot hold together, in model order.
pub fn conflict(
    scenario: &Scenario,
    model: &Model,
    options: SolveOptions,
) -> Result<Vec<ConflictRow>, SolveError> {
    // Feasibility only: the objective plays no part, and a zero one cannot be unbounded.
    let mut feasibility = model.clone();
    feasibility
        .objectives
        .cost
        .iter_mut()
        .for_each(|cost| *cost = 0.0);
    let options = SolveOptions {
        objective: ObjectiveKind::Cost,
        ranging: false,
        ..options
    };
    let mut active = vec![true; model.rows.len()];
    let mut candidates: Vec<usize> = (0..model.rows.len())
        .filter(|&index| {
            !matches!(
                model.rows[index].kind,
                RowKind::FeedBalance { .. } | RowKind::FacilityTotal { .. }
            )
        })
        .collect();
    // Limits first, targets last (see the module documentation).
    // The scenario's own rules (M20) count as targets: they are policy, not physics.
    candidates.sort_by_key(|&index| {
        matches!(
            model.rows[index].kind,
            RowKind::Target { .. } | RowKind::User { .. }
        )
    });
    for index in candidates {
        active[index] = false;
        if feasible(&feasibility, &active, options)? {
            active[index] = true;
        }
    }
    Ok(model
        .rows
        .iter()
        .zip(&active)
        // Definitional rows are never candidates (never dropped), so they are no part of the
        // conflict either.
        .filter(|(row, &kept)| {
            kept && !matches!(
                row.kind,
                RowKind::FeedBalance { .. } | RowKind::FacilityTotal { .. }
            )
        })
        .map(|(row, _)| describe(scenario, model, row))
        .collect())
}

fn feasible(model: &Model, active: &[bool], options: SolveOptions) -> Result<bool, SolveError> {
    let subset = Model {
        rows: model
            .rows
            .iter()
            .zip(active)
            .filter(|(_, &kept)| kept)
            .map(|(row, _)| row.clone())
            .collect(),
        ..model.clone()
    };
    match solve::solve(&subset, options) {
        Ok(_) => Ok(true),
        Err(SolveError::Infeasible) => Ok(false),
        Err(error) => Err(error),
    }
}

/// A row in words, with the field that sets it.
#[allow(clippy::too_many_lines)] // one arm per kind of row, each short
fn describe(scenario: &Scenario, model: &Model, row: &Row) -> ConflictRow {
    let year = row
        .year
        .map(|year| format!(" in {year}"))
        .unwrap_or_default();
    let metal_name = |metal: usize| scenario.metals[metal].name.as_str();
    let metal_path = |metal: usize| format!("metals[{metal}]");
    let sense = match row.sense {
        RowSense::AtMost => "at most",
        RowSense::AtLeast => "at least",
        RowSense::Equal => "exactly",
    };
    let (meaning, field) = match row.kind {
        RowKind::FeedBalance { metal, route } => (
            format!("{} {route} output equals the metal recovered from its feed{year}", metal_name(metal)),
            format!("{}.{route}.feed", metal_path(metal)),
        ),
        RowKind::FeedAvailable { metal, source } => (
            format!("{} {source} drawn {sense} {} Mt{year}", metal_name(metal), row.rhs),
            format!("{}.{}.feed.{source}.available_mt", metal_path(metal), source.route()),
        ),
        RowKind::Capacity { metal, route } => (
            format!(
                "{} {route} output {sense} its capacity of {} Mt plus what may be built{year}",
                metal_name(metal),
                row.rhs
            ),
            format!("{}.{route}.capacity_mt", metal_path(metal)),
        ),
        RowKind::SharedCapacity { metal } => (
            format!(
                "{} primary + recycled output {sense} the shared capacity of {} Mt plus what may be built{year}",
                metal_name(metal),
                row.rhs
            ),
            format!("{}.shared_capacity.capacity_mt", metal_path(metal)),
        ),
        RowKind::MetalOutputMin { metal } => (
            format!("{} output {sense} {} Mt{year}", metal_name(metal), row.rhs),
            format!("{}.output_min_mt", metal_path(metal)),
        ),
        RowKind::MetalOutputMax { metal } => (
            format!("{} output {sense} {} Mt{year}", metal_name(metal), row.rhs),
            format!("{}.output_max_mt", metal_path(metal)),
        ),
        RowKind::FacilityCapacity { facility } => {
            let id = &scenario.facilities[facility].id;
            (
                format!("facility {id} output {sense} its capacity of {} Mt plus its expansions{year}", row.rhs),
                format!("facilities[{facility}].capacity_mt (facility {id})"),
            )
        }
        RowKind::FacilityTotal { metal, route } => (
            format!("{} {route} output equals the sum of its facilities' outputs{year}", metal_name(metal)),
            "facilities".to_string(),
        ),
        RowKind::Plugin { plugin } => {
            let name = model.plugins.get(plugin).map_or("?", String::as_str);
            (
                format!("a rule of plugin `{name}`: its terms {sense} {}{year}", row.rhs),
                format!("plugins ({name})"),
            )
        }
        RowKind::User { constraint } => describe_user(scenario, row, constraint, sense, &year),
        RowKind::Target {
            target,
            metal,
            bound,
        } => {
            // Rounded so 0.09 reads "9 %", not "9.000000000000002 %".
            let percent = (bound * 100.0 * 1e6).round() / 1e6;
            match target {
                TargetKind::RecycledOutputMin => (
                    format!("recycled output at least {bound} Mt{year}"),
                    "targets.recycled_output_min_mt".to_string(),
                ),
                TargetKind::OutputGrowthMin => (
                    format!("ten-metal output growing at least {percent} %{year}"),
                    "targets.output_growth_min".to_string(),
                ),
                TargetKind::OutputGrowthMax => (
                    format!("ten-metal output growing at most {percent} %{year}"),
                    "targets.output_growth_max".to_string(),
                ),
                TargetKind::ValueAddedGrowthMin => (
                    format!("value added growing at least {percent} %{year}"),
                    "targets.value_added_growth_min".to_string(),
                ),
                TargetKind::ImportDependenceMax => {
                    let name = metal.map_or("?", metal_name);
                    (
                        format!("{name} import dependence at most {percent} %{year}"),
                        format!("targets.import_dependence_max.{name}"),
                    )
                }
                TargetKind::Co2Max => (
                    format!("CO2 at most {bound} Mt{year}"),
                    "targets.co2_max_mt".to_string(),
                ),
            }
        }
    };
    ConflictRow {
        name: row.name.clone(),
        meaning,
        field,
    }
}

/// A scenario constraint's row (M20) in words, with its field `constraints[i]`.
fn describe_user(
    scenario: &Scenario,
    row: &Row,
    constraint: usize,
    sense: &str,
    year: &str,
) -> (String, String) {
    let rule = &scenario.constraints[constraint];
    let what = if rule.description.trim().is_empty() {
        "its terms".to_string()
    } else {
        format!("{} (its terms)", rule.description.trim())
    };
    let bound = match (&rule.share, rule.of.is_some(), row.year) {
        (Some(share), true, Some(at)) => {
            let share = share.get(at).unwrap_or(0.0);
            // Rounded as for targets: 0.35 reads "35 %".
            let percent = (share * 100.0 * 1e6).round() / 1e6;
            format!("{percent} % of the sum of its `of` terms")
        }
        _ => format!("{} Mt", row.rhs),
    };
    (
        format!(
            "scenario constraint `{}`: {what} {sense} {bound}{year}",
            rule.name
        ),
        format!("constraints[{constraint}]"),
    )
}

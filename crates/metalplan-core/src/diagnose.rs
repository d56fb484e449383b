//! Explaining an infeasible scenario: a minimal set of targets, scenario constraints and limits
//! that cannot hold together (an irreducible infeasible subset), found by deletion filtering, and told in the
//! planner's words.
//!
//! Candidates are every row except the definitional ones (feed balances and facility totals,
//! which only define output). Three steps:
//!
//! 0. **Plants as one group.** With a facilities table, all plant capacity rows are dropped
//!    together when the rest stays infeasible: a conflict that can be told with route
//!    capacities and targets is told that way, in a few rows instead of one per plant.
//! 1. **Elastic filter.** One solve of the model with a violation column on every candidate
//!    row, minimising the total violation. Its optimal duals are a Farkas certificate: the rows
//!    with a non-zero dual are infeasible together with the definitional rows and the bounds.
//!    Every other candidate is dropped at once. (Chinneck, *Feasibility and Infeasibility in
//!    Optimization*, 2008, ch. 6.) Should numerical noise in the duals leave a feasible rest,
//!    all candidates are kept.
//! 2. **Deletion filter** over what is left: drop each row in turn and keep it out if the rest
//!    is still infeasible. What remains is infeasible, and removing any one of its rows makes it
//!    feasible. Limits are tried before targets, so when a conflict can be told either way it
//!    names the targets.
//!
//! So the solves number two plus the rows the certificate uses (a handful), not one per row of
//! the model, which at plant scale is hundreds of thousands.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::SolveError;
use crate::model::fields::row_field;
use crate::model::material_name;
use crate::model::{Column, Model, ObjectiveKind, Row, RowKind, Sense, TargetKind, VariableKey};
use crate::scenario::{ImportDefinition, Scenario};
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
    // Feasibility only: the objective plays no part, and a zero one cannot be unbounded. The
    // shortfall weights go too, so each check is one solve, not a shortfall stage and then one.
    let mut feasibility = model.clone();
    let objectives = &mut feasibility.objectives;
    for weight in objectives.cost.iter_mut().chain(&mut objectives.shortfall) {
        *weight = 0.0;
    }
    let options = SolveOptions {
        objective: ObjectiveKind::Cost,
        ranging: false,
        ..options
    };
    let mut active = vec![true; model.rows.len()];

    // Step 0: the plant rows as one group, so a conflict that can be told at route level is.
    let plant_rows: Vec<usize> = (0..model.rows.len())
        .filter(|&index| matches!(model.rows[index].kind, RowKind::FacilityCapacity { .. }))
        .collect();
    if !plant_rows.is_empty() {
        let mut without = active.clone();
        for &index in &plant_rows {
            without[index] = false;
        }
        if !feasible(&feasibility, &without, options)? {
            active = without;
        }
    }

    let mut candidates: Vec<usize> = (0..model.rows.len())
        .filter(|&index| active[index] && !definitional(&model.rows[index]))
        .collect();
    // Limits first, targets last (see the module documentation).
    // The scenario's own rules (M20) count as targets: they are policy, not physics.
    candidates.sort_by_key(|&index| {
        matches!(
            model.rows[index].kind,
            RowKind::Target { .. } | RowKind::User { .. }
        )
    });

    // Step 1: the elastic filter.
    if let Some(blamed) = blamed_rows(&feasibility, &active, &candidates, options)? {
        let mut narrowed = active.clone();
        for &index in &candidates {
            narrowed[index] = blamed.contains(&index);
        }
        if !feasible(&feasibility, &narrowed, options)? {
            active = narrowed;
            candidates.retain(|index| blamed.contains(index));
        }
    }

    // Step 2: the deletion filter.
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
        .filter(|(row, &kept)| kept && !definitional(row))
        .map(|(row, _)| describe(scenario, model, row))
        .collect())
}

/// Rows that only define output (feed balances, facility totals): never dropped, never blamed.
fn definitional(row: &Row) -> bool {
    // Balances only say where material goes; demand blocks summed (under welfare) only define
    // consumption. A fixed demand is a candidate: it can be what cannot be met.
    matches!(
        row.kind,
        RowKind::FeedBalance { .. }
            | RowKind::FacilityTotal { .. }
            | RowKind::StageInput { .. }
            | RowKind::Market { .. }
    ) || (matches!(row.kind, RowKind::Demand { .. }) && row.terms.len() > 1)
}

/// Below this a dual of the elastic solve is the solver's rounding, not a row the certificate
/// uses. Each dual is at most 1 in size there (the violation columns cost 1).
const DUAL_TOLERANCE: f64 = 1e-7;

/// The candidate rows an elastic solve needs to violate (step 1 of the module documentation),
/// among the `active` rows, or `None` when it cannot tell: the elastic model has no solution,
/// which only the definitional rows and the bounds can cause.
fn blamed_rows(
    feasibility: &Model,
    active: &[bool],
    candidates: &[usize],
    options: SolveOptions,
) -> Result<Option<HashSet<usize>>, SolveError> {
    let (mut elastic, positions) = subset(feasibility, active);
    for &index in candidates {
        let Some(position) = positions[index] else {
            continue;
        };
        let signs: &[f64] = match elastic.rows[position].sense {
            Sense::AtLeast => &[1.0],
            Sense::AtMost => &[-1.0],
            Sense::Equal => &[1.0, -1.0],
        };
        for &sign in signs {
            let column = elastic.columns.len();
            elastic.columns.push(Column {
                name: format!("violation[{},{sign}]", elastic.rows[position].name),
                key: VariableKey::Shortfall { row: position },
                lower: 0.0,
                upper: f64::INFINITY,
            });
            elastic.objectives.push_zero();
            elastic.objectives.cost[column] = 1.0;
            elastic.rows[position].terms.push((column, sign));
        }
    }
    let solution = match solve::solve(&elastic, options) {
        Ok(solution) => solution,
        Err(SolveError::Infeasible) => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok(Some(
        candidates
            .iter()
            .copied()
            .filter(|&index| {
                positions[index]
                    .is_some_and(|position| solution.row_duals[position].abs() > DUAL_TOLERANCE)
            })
            .collect(),
    ))
}

/// The model with only its `active` rows, and where each original row went (`None`: left out).
fn subset(model: &Model, active: &[bool]) -> (Model, Vec<Option<usize>>) {
    let mut positions = vec![None; model.rows.len()];
    let mut rows = Vec::with_capacity(active.iter().filter(|&&kept| kept).count());
    for (index, (row, &kept)) in model.rows.iter().zip(active).enumerate() {
        if kept {
            positions[index] = Some(rows.len());
            rows.push(row.clone());
        }
    }
    let reduced = Model {
        columns: model.columns.clone(),
        rows,
        index: model.index.clone(),
        facility_columns: model.facility_columns.clone(),
        objectives: model.objectives.clone(),
        plugins: model.plugins.clone(),
    };
    (reduced, positions)
}

fn feasible(model: &Model, active: &[bool], options: SolveOptions) -> Result<bool, SolveError> {
    match solve::solve(&subset(model, active).0, options) {
        Ok(_) => Ok(true),
        Err(SolveError::Infeasible) => Ok(false),
        Err(error) => Err(error),
    }
}

/// A row in words, with the field that sets it.
fn describe(scenario: &Scenario, model: &Model, row: &Row) -> ConflictRow {
    let year = row
        .year
        .map(|year| format!(" in {year}"))
        .unwrap_or_default();
    let metal_name = |metal: usize| scenario.metals[metal].name.as_str();
    let sense = match row.sense {
        Sense::AtMost => "at most",
        Sense::AtLeast => "at least",
        Sense::Equal => "exactly",
    };
    let meaning = match row.kind {
        RowKind::FeedBalance { metal, route } => format!(
            "{} {route} output equals the metal recovered from its feed{year}",
            metal_name(metal)
        ),
        RowKind::FeedAvailable { metal, source } => {
            format!("{} {source} drawn {sense} {} Mt{year}", metal_name(metal), row.rhs)
        }
        RowKind::Capacity { metal, route } => format!(
            "{} {route} output {sense} its capacity of {} Mt plus what may be built{year}",
            metal_name(metal),
            row.rhs
        ),
        RowKind::SharedCapacity { metal } => format!(
            "{} primary + recycled output {sense} the shared capacity of {} Mt plus what may be built{year}",
            metal_name(metal),
            row.rhs
        ),
        RowKind::MetalOutputMin { metal } | RowKind::MetalOutputMax { metal } => {
            format!("{} output {sense} {} Mt{year}", metal_name(metal), row.rhs)
        }
        RowKind::FacilityCapacity { facility } => format!(
            "facility {} output {sense} its capacity of {} Mt plus its expansions{year}",
            scenario.facilities[facility].id, row.rhs
        ),
        RowKind::FacilityTotal { metal, route } => format!(
            "{} {route} output equals the sum of its facilities' outputs{year}",
            metal_name(metal)
        ),
        RowKind::Plugin { plugin } => format!(
            "a rule of plugin `{}`: its terms {sense} {}{year}",
            model.plugins.get(plugin).map_or("?", String::as_str),
            row.rhs
        ),
        RowKind::User { constraint } => describe_user(scenario, row, constraint, sense, &year),
        RowKind::Target {
            target,
            metal,
            bound,
            definition,
        } => describe_target(scenario, (target, metal, bound, definition), &year),
        RowKind::StageInput { metal, stage } => format!(
            "{} {} made equals what its inputs give{year}",
            metal_name(metal),
            scenario.metals[metal].stages[stage].name
        ),
        RowKind::StageCapacity { metal, stage } => format!(
            "{} {} made {sense} its capacity of {} Mt plus what may be built{year}",
            metal_name(metal),
            scenario.metals[metal].stages[stage].name,
            row.rhs
        ),
        RowKind::Market { metal, material } => format!(
            "{} {} made and imported equals what is used, exported or stocked{year}",
            metal_name(metal),
            material_name(&scenario.metals[metal], material)
        ),
        RowKind::Demand { metal } => format!(
            "{} consumption {sense} {} Mt{year}",
            metal_name(metal),
            row.rhs
        ),
    };
    ConflictRow {
        name: row.name.clone(),
        meaning,
        field: row_field(scenario, model, row),
    }
}

/// A national target's row in words.
fn describe_target(
    scenario: &Scenario,
    (target, metal, bound, definition): (TargetKind, Option<usize>, f64, Option<ImportDefinition>),
    year: &str,
) -> String {
    // Rounded so 0.09 reads "9 %", not "9.000000000000002 %".
    let percent = (bound * 100.0 * 1e6).round() / 1e6;
    match target {
        TargetKind::RecycledOutputMin => format!("recycled output at least {bound} Mt{year}"),
        TargetKind::OutputGrowthMin => {
            format!("ten-metal output growing at least {percent} %{year}")
        }
        TargetKind::OutputGrowthMax => {
            format!("ten-metal output growing at most {percent} %{year}")
        }
        TargetKind::ValueAddedGrowthMin => {
            format!("value added growing at least {percent} %{year}")
        }
        TargetKind::ImportDependenceMax => {
            let name = metal.map_or("?", |metal| scenario.metals[metal].name.as_str());
            let measure = definition.map_or_else(String::new, |definition| {
                format!(" ({})", definition.key().replace('_', " "))
            });
            format!("{name} import dependence{measure} at most {percent} %{year}")
        }
        TargetKind::Co2Max => format!("CO2 at most {bound} Mt{year}"),
    }
}

/// A scenario constraint's row (M20) in words.
fn describe_user(
    scenario: &Scenario,
    row: &Row,
    constraint: usize,
    sense: &str,
    year: &str,
) -> String {
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
    format!(
        "scenario constraint `{}`: {what} {sense} {bound}{year}",
        rule.name
    )
}

//! Explaining an infeasible scenario: a minimal set of targets, scenario constraints and limits
//! that cannot hold together (an irreducible infeasible subset), found by deletion filtering, and told in the
//! planner's words.
//!
//! Candidates are every row except the definitional ones (feed balances, facility totals,
//! stage inputs and market balances, which only say where material goes), and every column
//! bound the scenario sets: a positive lower bound (`import_min_mt`, `export_min_mt`, a stock's
//! `min_mt`) or a finite upper bound (`import_max_mt`, `max_build_mt_per_year`, a demand block's
//! `quantity_mt`, a stock's `max_mt`, a plugin variable's bound). Dropping a bound relaxes it
//! (to 0 below, to no limit above); non-negativity is never a candidate. Three steps:
//!
//! 0. **Plants as one group.** With a facilities table, all plant capacity rows are dropped
//!    together when the rest stays infeasible: a conflict that can be told with route
//!    capacities and targets is told that way, in a few rows instead of one per plant.
//! 1. **Elastic filter.** One solve of the model with a violation column on every candidate
//!    row, minimising the total violation. Its optimal duals are a Farkas certificate: the rows
//!    with a non-zero dual, and the bounds at which a column has a non-zero reduced cost, are
//!    infeasible together with the definitional rows. Every other candidate is dropped at once.
//!    (Chinneck, *Feasibility and Infeasibility in Optimization*, 2008, ch. 6.) When bounds
//!    alone conflict with the definitional rows the elastic model has no solution; it is then
//!    solved again with each candidate bound written as an elastic row. Should numerical noise
//!    leave a feasible rest, all candidates are kept.
//! 2. **Deletion filter** over what is left: drop each candidate in turn and keep it out if the
//!    rest is still infeasible. What remains is infeasible, and removing any one of it makes it
//!    feasible. Bounds are tried first, then limit rows, then targets, so when a conflict can
//!    be told either way it names rows, and among rows the targets.
//!
//! So the solves number two plus the rows the certificate uses (a handful), not one per row of
//! the model, which at plant scale is hundreds of thousands.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::SolveError;
use crate::model::fields::{column_bound_field, row_field};
use crate::model::material_name;
use crate::model::{
    Column, Model, ObjectiveKind, Process, Row, RowKind, Sense, TargetKind, VariableKey,
};
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

/// One side of a column's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    Lower,
    Upper,
}

/// What an explanation can name: a row, or a bound the scenario sets on a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Candidate {
    Row(usize),
    Bound(usize, Side),
}

/// Which rows are kept and which column bounds are relaxed, in one trial of the filters.
#[derive(Debug, Clone)]
struct Trial {
    rows: Vec<bool>,
    relaxed: HashSet<(usize, Side)>,
}

impl Trial {
    fn drop(&mut self, candidate: Candidate) {
        match candidate {
            Candidate::Row(index) => self.rows[index] = false,
            Candidate::Bound(column, side) => {
                self.relaxed.insert((column, side));
            }
        }
    }

    fn restore(&mut self, candidate: Candidate) {
        match candidate {
            Candidate::Row(index) => self.rows[index] = true,
            Candidate::Bound(column, side) => {
                self.relaxed.remove(&(column, side));
            }
        }
    }
}

/// The column bounds an explanation may name: positive lower bounds and finite upper bounds
/// (violation and shortfall columns have neither).
fn bound_candidates(model: &Model) -> Vec<Candidate> {
    let mut bounds = Vec::new();
    for (index, column) in model.columns.iter().enumerate() {
        if column.lower > 0.0 {
            bounds.push(Candidate::Bound(index, Side::Lower));
        }
        if column.upper.is_finite() {
            bounds.push(Candidate::Bound(index, Side::Upper));
        }
    }
    bounds
}

/// A minimal set of rows and bounds that cannot hold together: bounds first, then rows in model
/// order.
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
    let mut trial = Trial {
        rows: vec![true; model.rows.len()],
        relaxed: HashSet::new(),
    };

    // Step 0: the plant rows as one group, so a conflict that can be told at route level is.
    let plant_rows: Vec<usize> = (0..model.rows.len())
        .filter(|&index| matches!(model.rows[index].kind, RowKind::FacilityCapacity { .. }))
        .collect();
    if !plant_rows.is_empty() {
        let mut without = trial.clone();
        for &index in &plant_rows {
            without.rows[index] = false;
        }
        if !feasible(&feasibility, &without, options)? {
            trial = without;
        }
    }

    // Bounds first, then limit rows, then targets (see the module documentation). The
    // scenario's own rules (M20) count as targets: they are policy, not physics.
    let mut rows: Vec<usize> = (0..model.rows.len())
        .filter(|&index| trial.rows[index] && !definitional(&model.rows[index]))
        .collect();
    rows.sort_by_key(|&index| {
        matches!(
            model.rows[index].kind,
            RowKind::Target { .. } | RowKind::User { .. }
        )
    });
    let mut candidates = bound_candidates(model);
    candidates.extend(rows.into_iter().map(Candidate::Row));

    // Step 1: the elastic filter.
    if let Some(blamed) = blamed(&feasibility, &trial, &candidates, options)? {
        let mut narrowed = trial.clone();
        for &candidate in candidates.iter().filter(|c| !blamed.contains(c)) {
            narrowed.drop(candidate);
        }
        if !feasible(&feasibility, &narrowed, options)? {
            trial = narrowed;
            candidates.retain(|candidate| blamed.contains(candidate));
        }
    }

    // Step 2: the deletion filter.
    for &candidate in &candidates {
        trial.drop(candidate);
        if feasible(&feasibility, &trial, options)? {
            trial.restore(candidate);
        }
    }
    // Definitional rows are never candidates (never dropped), so they are no part of the
    // conflict either.
    let bounds = candidates.iter().filter_map(|&candidate| match candidate {
        Candidate::Bound(column, side) if !trial.relaxed.contains(&(column, side)) => {
            Some(describe_bound(scenario, model, column, side))
        }
        _ => None,
    });
    let rows = model
        .rows
        .iter()
        .zip(&trial.rows)
        .filter(|(row, &kept)| kept && !definitional(row))
        .map(|(row, _)| describe(scenario, model, row));
    Ok(bounds.chain(rows).collect())
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
            | RowKind::ProductTotal { .. }
            | RowKind::ProductBalance { .. }
            | RowKind::PowerBalance { .. }
    ) || (matches!(row.kind, RowKind::Demand { .. }) && row.terms.len() > 1)
}

/// Below this a dual of the elastic solve is the solver's rounding, not a row the certificate
/// uses. Each dual is at most 1 in size there (the violation columns cost 1).
const DUAL_TOLERANCE: f64 = 1e-7;

/// The candidates an elastic solve needs (step 1 of the module documentation), among those
/// `trial` keeps, or `None` when it cannot tell.
fn blamed(
    feasibility: &Model,
    trial: &Trial,
    candidates: &[Candidate],
    options: SolveOptions,
) -> Result<Option<HashSet<Candidate>>, SolveError> {
    if let Some(found) = elastic(feasibility, trial, candidates, false, options)? {
        return Ok(Some(found));
    }
    // Bounds alone conflict with the definitional rows: make them elastic too.
    elastic(feasibility, trial, candidates, true, options)
}

/// One elastic solve: a violation column on every candidate row (and, with `elastic_bounds`,
/// every candidate bound moved into an elastic row of its own); the candidates its certificate
/// uses, or `None` when even the elastic model has no solution.
fn elastic(
    feasibility: &Model,
    trial: &Trial,
    candidates: &[Candidate],
    elastic_bounds: bool,
    options: SolveOptions,
) -> Result<Option<HashSet<Candidate>>, SolveError> {
    let (mut model, positions) = subset(feasibility, trial);
    // Where each candidate's elastic row is in `model`.
    let mut elastic_rows: Vec<(Candidate, usize)> = Vec::new();
    for &candidate in candidates {
        match candidate {
            Candidate::Row(index) => {
                if let Some(position) = positions[index] {
                    elastic_rows.push((candidate, position));
                }
            }
            Candidate::Bound(column, side) if elastic_bounds => {
                if trial.relaxed.contains(&(column, side)) {
                    continue;
                }
                let bound = match side {
                    Side::Lower => std::mem::replace(&mut model.columns[column].lower, 0.0),
                    Side::Upper => {
                        std::mem::replace(&mut model.columns[column].upper, f64::INFINITY)
                    }
                };
                let sense = match side {
                    Side::Lower => Sense::AtLeast,
                    Side::Upper => Sense::AtMost,
                };
                let name = format!("bound[{}]", model.columns[column].name);
                elastic_rows.push((candidate, model.rows.len()));
                // The elastic model is solved and dropped, never reported, and the solver
                // reads no row kinds: any kind will do for this stand-in of a bound.
                model.rows.push(Row {
                    name,
                    kind: RowKind::Plugin { plugin: usize::MAX },
                    year: None,
                    terms: vec![(column, 1.0)],
                    sense,
                    rhs: bound,
                });
            }
            Candidate::Bound(..) => {}
        }
    }
    for &(_, position) in &elastic_rows {
        add_violation(&mut model, position);
    }
    let solution = match solve::solve(&model, options) {
        Ok(solution) => solution,
        Err(SolveError::Infeasible) => return Ok(None),
        Err(error) => return Err(error),
    };
    let mut found: HashSet<Candidate> = elastic_rows
        .iter()
        .filter(|&&(_, position)| solution.row_duals[position].abs() > DUAL_TOLERANCE)
        .map(|&(candidate, _)| candidate)
        .collect();
    if !elastic_bounds {
        // A bound the certificate uses: its column sits on it with a non-zero reduced cost.
        let reduced = model.reduced_costs(&model.objectives.cost, &solution.row_duals);
        for &candidate in candidates {
            if let Candidate::Bound(column, side) = candidate {
                let column_spec = &model.columns[column];
                let at = match side {
                    Side::Lower => column_spec.lower,
                    Side::Upper => column_spec.upper,
                };
                let sits = (solution.values[column] - at).abs() <= 1e-9 * at.abs().max(1.0);
                if !trial.relaxed.contains(&(column, side))
                    && sits
                    && reduced[column].abs() > DUAL_TOLERANCE
                {
                    found.insert(candidate);
                }
            }
        }
    }
    Ok(Some(found))
}

/// Gives the row at `position` violation columns (cost 1) in the direction(s) it can be missed.
fn add_violation(model: &mut Model, position: usize) {
    let signs: &[f64] = match model.rows[position].sense {
        Sense::AtLeast => &[1.0],
        Sense::AtMost => &[-1.0],
        Sense::Equal => &[1.0, -1.0],
    };
    for &sign in signs {
        let column = model.columns.len();
        model.columns.push(Column {
            name: format!("violation[{},{sign}]", model.rows[position].name),
            key: VariableKey::Shortfall { row: position },
            lower: 0.0,
            upper: f64::INFINITY,
        });
        model.objectives.push_zero();
        model.objectives.cost[column] = 1.0;
        model.rows[position].terms.push((column, sign));
    }
}

/// The model with only the rows `trial` keeps and its bounds relaxed, and where each original
/// row went (`None`: left out).
fn subset(model: &Model, trial: &Trial) -> (Model, Vec<Option<usize>>) {
    let mut positions = vec![None; model.rows.len()];
    let mut rows = Vec::with_capacity(trial.rows.iter().filter(|&&kept| kept).count());
    for (index, (row, &kept)) in model.rows.iter().zip(&trial.rows).enumerate() {
        if kept {
            positions[index] = Some(rows.len());
            rows.push(row.clone());
        }
    }
    let mut columns = model.columns.clone();
    for &(column, side) in &trial.relaxed {
        match side {
            Side::Lower => columns[column].lower = 0.0,
            Side::Upper => columns[column].upper = f64::INFINITY,
        }
    }
    let reduced = Model {
        columns,
        rows,
        index: model.index.clone(),
        facility_columns: model.facility_columns.clone(),
        objectives: model.objectives.clone(),
        plugins: model.plugins.clone(),
    };
    (reduced, positions)
}

fn feasible(model: &Model, trial: &Trial, options: SolveOptions) -> Result<bool, SolveError> {
    match solve::solve(&subset(model, trial).0, options) {
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
            process,
        } => describe_target(scenario, (target, metal, bound, definition, process), &year),
        RowKind::PrimaryInput { .. }
        | RowKind::PowerBalance { .. }
        | RowKind::PowerAvailable { .. }
        | RowKind::ProductTotal { .. }
        | RowKind::ProductBalance { .. }
        | RowKind::GradeAvailable { .. }
        | RowKind::GradeShare { .. } => describe_recycling(scenario, row, sense, &year),
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

/// What a recycling or electricity row (M30-M36) asks, in words.
fn describe_recycling(scenario: &Scenario, row: &Row, sense: &str, year: &str) -> String {
    let metal_name = |metal: usize| scenario.metals[metal].name.as_str();
    match row.kind {
        RowKind::PrimaryInput { metal } => format!(
            "{} primary output at least the primary metal its recycled output takes{year}",
            metal_name(metal)
        ),
        RowKind::PowerBalance { metal, process } => format!(
            "{} {} draws the electricity its output needs{year}",
            metal_name(metal),
            crate::model::process_name(&scenario.metals[metal], process)
        ),
        RowKind::PowerAvailable { source } => format!(
            "electricity from {} {sense} {} TWh{year}",
            scenario
                .electricity
                .as_ref()
                .map_or("?", |electricity| electricity.sources[source].name.as_str()),
            row.rhs
        ),
        RowKind::ProductTotal { metal } => format!(
            "{} recycled output equals the sum of its products{year}",
            metal_name(metal)
        ),
        RowKind::ProductBalance { metal, product } => format!(
            "{} {} equals the scrap metal recovered for it plus its additions{year}",
            metal_name(metal),
            product_name(scenario, metal, product)
        ),
        RowKind::GradeAvailable { metal, grade } => format!(
            "{} {} scrap drawn {sense} {} Mt{year}",
            metal_name(metal),
            grade_name(scenario, metal, grade),
            row.rhs
        ),
        RowKind::GradeShare {
            metal,
            grade,
            product,
        } => format!(
            "{} {} takes at most its share of {} scrap{year}",
            metal_name(metal),
            product_name(scenario, metal, product),
            grade_name(scenario, metal, grade)
        ),
        _ => unreachable!("only recycling and electricity rows are described here"),
    }
}

/// The name of the grade at `grade` (name order) of `metal`'s recycled route.
fn grade_name(scenario: &Scenario, metal: usize, grade: usize) -> &str {
    scenario.metals[metal]
        .recycled
        .as_ref()
        .and_then(|spec| spec.grades.keys().nth(grade))
        .map_or("?", String::as_str)
}

/// The name of product `product` of `metal`'s recycled route.
fn product_name(scenario: &Scenario, metal: usize, product: usize) -> &str {
    scenario.metals[metal]
        .recycled
        .as_ref()
        .map_or("?", |spec| spec.products[product].name.as_str())
}

/// A column bound in words, with the field that sets it.
fn describe_bound(scenario: &Scenario, model: &Model, column: usize, side: Side) -> ConflictRow {
    let spec = &model.columns[column];
    let (at, sense, which) = match side {
        Side::Lower => (spec.lower, "at least", "min"),
        Side::Upper => (spec.upper, "at most", "max"),
    };
    let metal = |index: usize| scenario.metals[index].name.as_str();
    let meaning = match spec.key {
        VariableKey::Import {
            metal: m,
            material,
            year,
        } => format!(
            "{} {} imported {sense} {at} Mt in {year}",
            metal(m),
            material_name(&scenario.metals[m], material)
        ),
        VariableKey::Export {
            metal: m,
            material,
            year,
        } => format!(
            "{} {} exported {sense} {at} Mt in {year}",
            metal(m),
            material_name(&scenario.metals[m], material)
        ),
        VariableKey::Stock { metal: m, year } => {
            format!("{} stock {sense} {at} Mt at the end of {year}", metal(m))
        }
        VariableKey::ProductOutput {
            metal: m,
            product,
            year,
        } => format!(
            "{} {} made {sense} {at} Mt in {year}",
            metal(m),
            product_name(scenario, m, product)
        ),
        VariableKey::DemandBlock {
            metal: m,
            block,
            year,
        } => format!(
            "{} demand block {block} takes {sense} {at} Mt in {year}",
            metal(m)
        ),
        VariableKey::Build { year, .. }
        | VariableKey::SharedBuild { year, .. }
        | VariableKey::StageBuild { year, .. }
        | VariableKey::FacilityBuild { year, .. } => {
            format!("capacity built {sense} {at} Mt/yr in {year}")
        }
        _ => format!("{sense} {at}"),
    };
    ConflictRow {
        name: format!("{} ({which})", spec.name),
        meaning,
        field: column_bound_field(scenario, model, spec.key, side == Side::Upper),
    }
}

/// A national target's row in words.
/// A target row's parts: which target, its metal, its bound, and its definition or process.
type TargetParts = (
    TargetKind,
    Option<usize>,
    f64,
    Option<ImportDefinition>,
    Option<Process>,
);

fn describe_target(
    scenario: &Scenario,
    (target, metal, bound, definition, process): TargetParts,
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
        TargetKind::CleanElectricityMin => {
            let (name, process) = match (metal, process) {
                (Some(metal), Some(process)) => (
                    scenario.metals[metal].name.as_str(),
                    crate::model::process_name(&scenario.metals[metal], process),
                ),
                _ => ("?", "?"),
            };
            format!("clean share of {name} {process} electricity at least {percent} %{year}")
        }
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

//! The scenario field behind each row and column, written one way everywhere (infeasibility
//! explanations, ranging): list entries by their key, `metals[copper].primary.capacity_mt`,
//! `facilities[SN-A].capacity_mt`, `constraints[copper_share]`, `metals[copper].stages[anode]`,
//! `metals[copper].trade[refined]`. (Validation messages, which
//! point into a file before names are known to be valid, write positions instead.)

use super::columns::material_name;
use super::{Material, Model, Process, Row, RowKind, TargetKind, VariableKey};
use crate::scenario::{ImportDefinition, Scenario};

/// `metals[<name>]`.
fn metal(scenario: &Scenario, metal: usize) -> String {
    format!("metals[{}]", scenario.metals[metal].name)
}

/// `metals[<name>].stages[<stage>]`.
fn stage(scenario: &Scenario, metal_index: usize, stage: usize) -> String {
    format!(
        "{}.stages[{}]",
        metal(scenario, metal_index),
        scenario.metals[metal_index].stages[stage].name
    )
}

/// `metals[<name>].trade[<material>]`.
fn trade(scenario: &Scenario, metal_index: usize, material: Material) -> String {
    let spec = &scenario.metals[metal_index];
    format!(
        "{}.trade[{}]",
        metal(scenario, metal_index),
        material_name(spec, material)
    )
}

/// `metals[<name>].recycled.grades.<grade>` for the grade at `grade` (name order).
fn grade(scenario: &Scenario, metal_index: usize, grade: usize) -> String {
    let name = scenario.metals[metal_index]
        .recycled
        .as_ref()
        .and_then(|spec| spec.grades.keys().nth(grade))
        .map_or("?", String::as_str);
    format!("{}.recycled.grades.{name}", metal(scenario, metal_index))
}

/// `metals[<name>].recycled.products[<product>]`.
fn product(scenario: &Scenario, metal_index: usize, product: usize) -> String {
    let name = scenario.metals[metal_index]
        .recycled
        .as_ref()
        .map_or("?", |spec| spec.products[product].name.as_str());
    format!("{}.recycled.products[{name}]", metal(scenario, metal_index))
}

/// `electricity.sources[<name>]`.
fn source(scenario: &Scenario, source: usize) -> String {
    let name = scenario
        .electricity
        .as_ref()
        .map_or("?", |electricity| electricity.sources[source].name.as_str());
    format!("electricity.sources[{name}]")
}

/// The field of a process: `metals[<name>].<route>` or `metals[<name>].stages[<stage>]`.
fn process(scenario: &Scenario, metal_index: usize, process: Process) -> String {
    match process {
        Process::Route(route) => format!("{}.{route}", metal(scenario, metal_index)),
        Process::Stage(g) => stage(scenario, metal_index, g),
    }
}

/// `facilities[<id>]`.
fn facility(scenario: &Scenario, facility: usize) -> String {
    format!("facilities[{}]", scenario.facilities[facility].id)
}

/// The field that sets a target's bound.
#[must_use]
pub fn target_field(
    scenario: &Scenario,
    target: TargetKind,
    metal: Option<usize>,
    definition: Option<ImportDefinition>,
    process: Option<Process>,
) -> String {
    match (target, metal) {
        (TargetKind::CleanElectricityMin, Some(metal)) => {
            let name = &scenario.metals[metal].name;
            let process = process.map_or("?", |p| super::process_name(&scenario.metals[metal], p));
            let position = scenario
                .targets
                .clean_electricity
                .iter()
                .position(|floor| &floor.metal == name && floor.process == process)
                .unwrap_or(0);
            format!("targets.clean_electricity[{position}].min")
        }
        (TargetKind::ImportDependenceMax, Some(metal)) => match definition {
            None => format!(
                "targets.import_dependence_max.{}",
                scenario.metals[metal].name
            ),
            Some(definition) => {
                let name = &scenario.metals[metal].name;
                let position = scenario
                    .targets
                    .import_dependence
                    .iter()
                    .position(|cap| &cap.metal == name && cap.definition == definition)
                    .unwrap_or(0);
                format!("targets.import_dependence[{position}].max")
            }
        },
        (TargetKind::RecycledOutputMin, _) => "targets.recycled_output_min_mt".to_string(),
        (TargetKind::Co2Max, _) => "targets.co2_max_mt".to_string(),
        _ => format!("targets.{}", target.key()),
    }
}

/// The field that sets a row's bound (or, for definitional rows, what defines it).
#[must_use]
pub fn row_field(scenario: &Scenario, model: &Model, row: &Row) -> String {
    match row.kind {
        RowKind::FeedBalance { metal: m, route } => format!("{}.{route}.feed", metal(scenario, m)),
        RowKind::FeedAvailable { metal: m, source } => format!(
            "{}.{}.feed.{source}.available_mt",
            metal(scenario, m),
            source.route()
        ),
        RowKind::Capacity { metal: m, route } => {
            format!("{}.{route}.capacity_mt", metal(scenario, m))
        }
        RowKind::SharedCapacity { metal: m } => {
            format!("{}.shared_capacity.capacity_mt", metal(scenario, m))
        }
        RowKind::MetalOutputMin { metal: m } => format!("{}.output_min_mt", metal(scenario, m)),
        RowKind::MetalOutputMax { metal: m } => format!("{}.output_max_mt", metal(scenario, m)),
        RowKind::FacilityCapacity { facility: k } => {
            format!("{}.capacity_mt", facility(scenario, k))
        }
        RowKind::FacilityTotal { .. } => "facilities".to_string(),
        RowKind::Plugin { plugin } => format!(
            "plugins ({})",
            model.plugins.get(plugin).map_or("?", String::as_str)
        ),
        RowKind::User { constraint } => {
            format!("constraints[{}]", scenario.constraints[constraint].name)
        }
        RowKind::Target {
            target,
            metal,
            definition,
            process,
            ..
        } => target_field(scenario, target, metal, definition, process),
        RowKind::PrimaryInput { metal: m } => {
            format!("{}.recycled.primary_input_t_per_t", metal(scenario, m))
        }
        RowKind::PowerBalance {
            metal: m,
            process: p,
        } => {
            format!("{}.electricity_mwh_per_t", process(scenario, m, p))
        }
        RowKind::PowerAvailable { source: k } => format!("{}.available_twh", source(scenario, k)),
        RowKind::ProductTotal { metal: m } => format!("{}.recycled.products", metal(scenario, m)),
        RowKind::ProductBalance {
            metal: m,
            product: p,
        } => product(scenario, m, p),
        RowKind::GradeAvailable { metal: m, grade: g } => {
            format!("{}.available_mt", grade(scenario, m, g))
        }
        RowKind::GradeShare {
            metal: m,
            grade: g,
            product: p,
        } => {
            let grade_name = scenario.metals[m]
                .recycled
                .as_ref()
                .and_then(|spec| spec.grades.keys().nth(g))
                .map_or("?", String::as_str);
            format!("{}.max_grade_share.{grade_name}", product(scenario, m, p))
        }
        RowKind::StageInput { metal: m, stage: g } => {
            format!("{}.input_t_per_t", stage(scenario, m, g))
        }
        RowKind::StageCapacity { metal: m, stage: g } => {
            format!("{}.capacity_mt", stage(scenario, m, g))
        }
        RowKind::Market { metal: m, material } => match material {
            Material::Stage(g) => stage(scenario, m, g),
            Material::Refined => format!("{}.demand", metal(scenario, m)),
        },
        RowKind::Demand { metal: m } => {
            let spec = &scenario.metals[m];
            match spec
                .demand
                .as_ref()
                .and_then(|demand| demand.consumption_mt.as_ref())
            {
                Some(_) => format!("{}.demand.consumption_mt", metal(scenario, m)),
                None => format!("{}.demand.blocks", metal(scenario, m)),
            }
        }
    }
}

/// The field that sets a column's bound: `upper` is true for the upper bound, false for a
/// positive lower bound.
#[must_use]
pub fn column_bound_field(
    scenario: &Scenario,
    model: &Model,
    key: VariableKey,
    upper: bool,
) -> String {
    let (min_or_max, stock_bound) = if upper {
        ("max", "max_mt")
    } else {
        ("min", "min_mt")
    };
    match key {
        VariableKey::Build {
            metal: m, route, ..
        } => format!("{}.{route}.max_build_mt_per_year", metal(scenario, m)),
        VariableKey::SharedBuild { metal: m, .. } => {
            format!(
                "{}.shared_capacity.max_build_mt_per_year",
                metal(scenario, m)
            )
        }
        VariableKey::FacilityBuild { facility: k, .. } => {
            format!("{}.max_build_mt_per_year", facility(scenario, k))
        }
        VariableKey::StageBuild {
            metal: m, stage: g, ..
        } => format!("{}.max_build_mt_per_year", stage(scenario, m, g)),
        VariableKey::Import {
            metal: m, material, ..
        } => format!("{}.import_{min_or_max}_mt", trade(scenario, m, material)),
        VariableKey::Export {
            metal: m, material, ..
        } => format!("{}.export_{min_or_max}_mt", trade(scenario, m, material)),
        VariableKey::Stock { metal: m, .. } => {
            format!("{}.demand.stock.{stock_bound}", metal(scenario, m))
        }
        VariableKey::DemandBlock {
            metal: m, block, ..
        } => format!("{}.demand.blocks[{block}].quantity_mt", metal(scenario, m)),
        VariableKey::ProductOutput {
            metal: m,
            product: p,
            ..
        } => format!("{}.output_min_mt", product(scenario, m, p)),
        VariableKey::Plugin { plugin, .. } => format!(
            "plugins ({})",
            model.plugins.get(plugin).map_or("?", String::as_str)
        ),
        _ => "(a bound of the model)".to_string(),
    }
}

/// The field that sets a column's cost coefficient (M14), for columns the scenario prices.
#[must_use]
pub fn cost_field(scenario: &Scenario, key: VariableKey) -> Option<String> {
    Some(match key {
        VariableKey::Output {
            metal: m, route, ..
        } => {
            format!("{}.{route}.operating_cost_cny_per_t", metal(scenario, m))
        }
        VariableKey::Feed {
            metal: m, source, ..
        } => format!(
            "{}.{}.feed.{source}.cost_cny_per_t",
            metal(scenario, m),
            source.route()
        ),
        VariableKey::Build {
            metal: m, route, ..
        } => {
            format!("{}.{route}.investment_cny_per_t", metal(scenario, m))
        }
        VariableKey::SharedBuild { metal: m, .. } => {
            format!(
                "{}.shared_capacity.investment_cny_per_t",
                metal(scenario, m)
            )
        }
        VariableKey::FacilityOutput { facility: k, .. } => {
            format!("{}.operating_cost_cny_per_t", facility(scenario, k))
        }
        VariableKey::FacilityBuild { facility: k, .. } => {
            format!("{}.investment_cny_per_t", facility(scenario, k))
        }
        VariableKey::StageOutput {
            metal: m, stage: g, ..
        } => {
            format!("{}.operating_cost_cny_per_t", stage(scenario, m, g))
        }
        VariableKey::StageBuild {
            metal: m, stage: g, ..
        } => {
            format!("{}.investment_cny_per_t", stage(scenario, m, g))
        }
        VariableKey::Import {
            metal: m, material, ..
        } => format!("{}.import_price_cny_per_t", trade(scenario, m, material)),
        VariableKey::Stock { metal: m, .. } => {
            format!("{}.demand.stock.holding_cost_cny_per_t", metal(scenario, m))
        }
        VariableKey::GradeUse {
            metal: m, grade: g, ..
        } => format!("{}.cost_cny_per_t", grade(scenario, m, g)),
        VariableKey::Power { source: k, .. } => {
            format!("{}.price_cny_per_mwh", source(scenario, k))
        }
        VariableKey::ProductOutput { .. }
        | VariableKey::StageUse { .. }
        | VariableKey::Export { .. }
        | VariableKey::Consumption { .. }
        | VariableKey::DemandBlock { .. }
        | VariableKey::Shortfall { .. }
        | VariableKey::Plugin { .. } => return None,
    })
}

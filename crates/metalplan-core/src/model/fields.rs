//! The scenario field behind each row and column, written one way everywhere (infeasibility
//! explanations, ranging): list entries by their key, `metals[copper].primary.capacity_mt`,
//! `facilities[SN-A].capacity_mt`, `constraints[copper_share]`. (Validation messages, which
//! point into a file before names are known to be valid, write positions instead.)

use super::{Model, Row, RowKind, TargetKind, VariableKey};
use crate::scenario::Scenario;

/// `metals[<name>]`.
fn metal(scenario: &Scenario, metal: usize) -> String {
    format!("metals[{}]", scenario.metals[metal].name)
}

/// `facilities[<id>]`.
fn facility(scenario: &Scenario, facility: usize) -> String {
    format!("facilities[{}]", scenario.facilities[facility].id)
}

/// The field that sets a target's bound.
#[must_use]
pub fn target_field(scenario: &Scenario, target: TargetKind, metal: Option<usize>) -> String {
    match (target, metal) {
        (TargetKind::ImportDependenceMax, Some(metal)) => format!(
            "targets.import_dependence_max.{}",
            scenario.metals[metal].name
        ),
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
        RowKind::Target { target, metal, .. } => target_field(scenario, target, metal),
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
        VariableKey::Shortfall { .. } | VariableKey::Plugin { .. } => return None,
    })
}

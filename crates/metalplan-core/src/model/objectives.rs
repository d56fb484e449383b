//! The objectives (M14-M17 in docs/model.md): each column's coefficient in cost (discounted),
//! emissions, imports and value added, and the discounting they share.

use super::capacities::investment;
use crate::scenario::{CapacityView, FeedSpec, RouteSpec, Scenario, Year};

/// A column's coefficients in the four objectives, in internal units.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct ColumnCosts {
    /// Discounted cost, million CNY per unit.
    pub cost: f64,
    /// CO2, Mt per unit.
    pub emissions: f64,
    /// Imported feed, Mt per unit.
    pub imports: f64,
    /// Value added, million CNY per unit.
    pub value_added: f64,
    /// Discounted willingness to pay or export revenue, million CNY per unit (welfare, M29).
    pub revenue: f64,
}

/// M14-M17 for a route's output in `year`: operating cost, CO2 and value added per tonne.
pub(super) fn output_costs(spec: &RouteSpec, year: Year, discount: f64) -> ColumnCosts {
    ColumnCosts {
        cost: discount * spec.operating_cost_cny_per_t.at(year),
        emissions: spec.co2_t_per_t.at(year),
        imports: 0.0,
        value_added: spec.value_added_cny_per_t.at(year),
        revenue: 0.0,
    }
}

/// M14 and M16 for feed drawn from a source in `year`: its delivered cost, and 1 per tonne
/// imported.
pub(super) fn feed_costs(
    feed: &FeedSpec,
    imported: bool,
    year: Year,
    discount: f64,
) -> ColumnCosts {
    ColumnCosts {
        cost: discount * feed.cost_cny_per_t.at(year),
        imports: if imported { 1.0 } else { 0.0 },
        ..ColumnCosts::default()
    }
}

/// M14 for capacity built in `year`: the investment per tonne of annual capacity.
pub(super) fn build_costs(capacity: CapacityView<'_>, year: Year, discount: f64) -> ColumnCosts {
    ColumnCosts {
        cost: discount * investment(capacity, year),
        ..ColumnCosts::default()
    }
}

/// M14: cost in `year` is weighted by 1 / (1 + d)^(year - base year).
#[must_use]
pub fn discount_factor(scenario: &Scenario, year: Year) -> f64 {
    (1.0 + scenario.discount_rate).powi(-(year - scenario.base_year))
}

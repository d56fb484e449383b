//! Sensitivity ranges in the planner's units (`solve --ranging`).
//!
//! HiGHS ranges the final simplex basis ([`crate::solve::Ranging`]); this module says what each
//! range means for the scenario: for a cost (CNY/t), the interval over which the plan stays
//! optimal; for a bound (Mt, or a growth rate), the interval over which the basis stays
//! optimal, so that shadow prices hold and the plan moves linearly with the bound.
//!
//! Internal costs are discounted (`docs/model.md`, M14), so a cost range is divided by the
//! year's discount factor to read in the scenario's undiscounted CNY/t. A growth target in a
//! later year is a coefficient on the previous year's output, not a right-hand side, so simplex
//! ranging cannot move it; those rows are listed with the reason instead of an interval. The
//! same holds for import-dependence caps.

use serde::Serialize;

use crate::model::{discount_factor, Model, RowKind, TargetKind, VariableKey};
use crate::scenario::{Scenario, Year};
use crate::solve::{Ranging, RangingUnavailable};

/// Ranges of one solve, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangingReport {
    /// Whether ranges could be computed.
    pub available: bool,
    /// Why not, when they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Cost coefficients: the interval keeping the plan optimal.
    pub costs: Vec<CostRange>,
    /// Right-hand sides (targets, capacities, availabilities): the interval keeping the basis.
    pub bounds: Vec<BoundRange>,
}

/// The optimality range of one cost coefficient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostRange {
    /// The column, e.g. `output[copper,recycled,2025]`.
    pub variable: String,
    /// The scenario field holding the cost.
    pub field: String,
    /// Year.
    pub year: Year,
    /// The cost in the scenario, CNY/t (undiscounted).
    pub value: f64,
    /// Lowest cost keeping the plan optimal (`null`: no lower limit).
    pub low: Option<f64>,
    /// Highest cost keeping the plan optimal (`null`: no upper limit).
    pub high: Option<f64>,
}

/// The range of one bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoundRange {
    /// The row, e.g. `recycled_output_min[2025]`.
    pub row: String,
    /// The scenario field setting the bound.
    pub field: String,
    /// Year, when the row has one.
    pub year: Option<Year>,
    /// The bound in the scenario's unit.
    pub value: f64,
    /// Lowest bound keeping the basis optimal (`null`: no lower limit, or not available).
    pub low: Option<f64>,
    /// Highest bound keeping the basis optimal (`null`: no upper limit, or not available).
    pub high: Option<f64>,
    /// The bound's unit.
    pub unit: &'static str,
    /// Why no interval is given, for bounds simplex ranging cannot move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why a range is missing for growth and import-dependence rows after the first year.
const COEFFICIENT_NOTE: &str = "the bound multiplies plan quantities (it is a coefficient, not a right-hand side); re-solve with `metalplan sweep` to see how the plan moves with it";

/// The ranges of `ranging` for `model`, in the scenario's units.
#[must_use]
pub fn report(
    scenario: &Scenario,
    model: &Model,
    ranging: Option<&Result<Ranging, RangingUnavailable>>,
) -> Option<RangingReport> {
    let ranging = ranging?;
    let ranging = match ranging {
        Ok(ranging) => ranging,
        Err(reason) => {
            return Some(RangingReport {
                available: false,
                reason: Some(reason.to_string()),
                costs: Vec::new(),
                bounds: Vec::new(),
            })
        }
    };
    Some(RangingReport {
        available: true,
        reason: None,
        costs: cost_ranges(scenario, model, ranging),
        bounds: bound_ranges(scenario, model, ranging),
    })
}

fn limit(value: f64) -> Option<f64> {
    // `+ 0.0` turns -0 into 0, so no range reads "-0.000".
    value.is_finite().then_some(value + 0.0)
}

fn cost_ranges(scenario: &Scenario, model: &Model, ranging: &Ranging) -> Vec<CostRange> {
    let mut ranges = Vec::new();
    for (index, column) in model.columns.iter().enumerate() {
        let metal_field = |metal: usize| format!("metals[{}]", scenario.metals[metal].name);
        let (field, year) = match column.key {
            VariableKey::Output { metal, route, year } => (
                format!("{}.{route}.operating_cost_cny_per_t", metal_field(metal)),
                year,
            ),
            VariableKey::Feed {
                metal,
                source,
                year,
            } => (
                format!(
                    "{}.{}.feed.{source}.cost_cny_per_t",
                    metal_field(metal),
                    source.route()
                ),
                year,
            ),
            VariableKey::Build { metal, route, year } => (
                format!("{}.{route}.investment_cny_per_t", metal_field(metal)),
                year,
            ),
            VariableKey::SharedBuild { metal, year } => (
                format!(
                    "{}.shared_capacity.investment_cny_per_t",
                    metal_field(metal)
                ),
                year,
            ),
            VariableKey::FacilityOutput { facility, year } => (
                format!(
                    "facilities[{}].operating_cost_cny_per_t",
                    scenario.facilities[facility].id
                ),
                year,
            ),
            VariableKey::FacilityBuild { facility, year } => (
                format!(
                    "facilities[{}].investment_cny_per_t",
                    scenario.facilities[facility].id
                ),
                year,
            ),
            VariableKey::Shortfall { .. } | VariableKey::Plugin { .. } => continue,
        };
        // M14: the internal coefficient is the year's discount factor times the cost.
        let discount = discount_factor(scenario, year);
        let (low, high) = ranging.cost[index];
        ranges.push(CostRange {
            variable: column.name.clone(),
            field,
            year,
            value: model.objectives.cost[index] / discount,
            low: limit(low / discount),
            high: limit(high / discount),
        });
    }
    ranges
}

fn bound_ranges(scenario: &Scenario, model: &Model, ranging: &Ranging) -> Vec<BoundRange> {
    let mut ranges = Vec::new();
    for (index, row) in model.rows.iter().enumerate() {
        let (low, high) = ranging.rhs[index];
        let metal_field = |metal: usize| format!("metals[{}]", scenario.metals[metal].name);
        let in_mt = |field: String| BoundRange {
            row: row.name.clone(),
            field,
            year: row.year,
            value: row.rhs,
            low: limit(low),
            high: limit(high),
            unit: "Mt",
            note: None,
        };
        let range = match row.kind {
            RowKind::FeedBalance { .. } | RowKind::FacilityTotal { .. } => continue,
            RowKind::FeedAvailable { metal, source } => in_mt(format!(
                "{}.{}.feed.{source}.available_mt",
                metal_field(metal),
                source.route()
            )),
            RowKind::Capacity { metal, route } => {
                in_mt(format!("{}.{route}.capacity_mt", metal_field(metal)))
            }
            RowKind::SharedCapacity { metal } => in_mt(format!(
                "{}.shared_capacity.capacity_mt",
                metal_field(metal)
            )),
            RowKind::MetalOutputMin { metal } => {
                in_mt(format!("{}.output_min_mt", metal_field(metal)))
            }
            RowKind::MetalOutputMax { metal } => {
                in_mt(format!("{}.output_max_mt", metal_field(metal)))
            }
            RowKind::FacilityCapacity { facility } => in_mt(format!(
                "facilities[{}].capacity_mt",
                scenario.facilities[facility].id
            )),
            RowKind::Plugin { plugin } => BoundRange {
                unit: "plugin unit",
                ..in_mt(format!(
                    "plugins ({})",
                    model.plugins.get(plugin).map_or("?", String::as_str)
                ))
            },
            RowKind::User { constraint } => {
                let rule = &scenario.constraints[constraint];
                let field = format!("constraints[{constraint}] ({})", rule.name);
                if rule.share.is_some() {
                    // A share multiplies the `of` sum: a coefficient, like later growth targets.
                    BoundRange {
                        low: None,
                        high: None,
                        unit: "share",
                        note: Some(COEFFICIENT_NOTE.to_string()),
                        ..in_mt(field)
                    }
                } else {
                    BoundRange {
                        unit: "rule unit",
                        ..in_mt(field)
                    }
                }
            }
            RowKind::Target {
                target,
                metal,
                bound,
            } => target_range(scenario, row, (target, metal, bound), (low, high)),
        };
        ranges.push(range);
    }
    ranges
}

fn target_range(
    scenario: &Scenario,
    row: &crate::model::Row,
    (target, metal, bound): (TargetKind, Option<usize>, f64),
    (low, high): (f64, f64),
) -> BoundRange {
    let field = match (target, metal) {
        (TargetKind::ImportDependenceMax, Some(metal)) => format!(
            "targets.import_dependence_max.{}",
            scenario.metals[metal].name
        ),
        (TargetKind::RecycledOutputMin, _) => "targets.recycled_output_min_mt".to_string(),
        (TargetKind::Co2Max, _) => "targets.co2_max_mt".to_string(),
        _ => format!("targets.{}", target.key()),
    };
    let first_year = row.year == scenario.years.first().copied();
    let base = BoundRange {
        row: row.name.clone(),
        field,
        year: row.year,
        value: bound,
        low: None,
        high: None,
        unit: "",
        note: None,
    };
    match target {
        TargetKind::RecycledOutputMin | TargetKind::Co2Max => BoundRange {
            low: limit(low),
            high: limit(high),
            unit: "Mt",
            ..base
        },
        // In the first year the row is `sum >= (1 + g) x observed base`: the right-hand side
        // is linear in g, so its range maps back to growth rates.
        TargetKind::OutputGrowthMin
        | TargetKind::OutputGrowthMax
        | TargetKind::ValueAddedGrowthMin
            if first_year && row.rhs != 0.0 =>
        {
            let base_total = row.rhs / (1.0 + bound);
            BoundRange {
                low: limit(low / base_total - 1.0),
                high: limit(high / base_total - 1.0),
                unit: "growth rate",
                ..base
            }
        }
        TargetKind::OutputGrowthMin
        | TargetKind::OutputGrowthMax
        | TargetKind::ValueAddedGrowthMin
        | TargetKind::ImportDependenceMax => BoundRange {
            unit: if target == TargetKind::ImportDependenceMax {
                "share"
            } else {
                "growth rate"
            },
            note: Some(COEFFICIENT_NOTE.to_string()),
            ..base
        },
    }
}

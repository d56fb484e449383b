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

use serde::{Deserialize, Serialize};

use crate::model::fields::{cost_field, row_field};
use crate::model::{discount_factor, Model, RowKind, TargetKind};
use crate::scenario::{Scenario, Year};
use crate::solve::{Ranging, RangingUnavailable};

/// Ranges of one solve, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub unit: String,
    /// Why no interval is given, for bounds simplex ranging cannot move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why a range is missing for growth and import-dependence rows after the first year.
const COEFFICIENT_NOTE: &str = "the bound multiplies plan quantities (it is a coefficient, not a right-hand side); a parameter sweep over it shows how the plan moves with it";

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
        let (Some(field), Some(year)) = (cost_field(scenario, column.key), column.key.year())
        else {
            continue;
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
        let in_mt = BoundRange {
            row: row.name.clone(),
            field: row_field(scenario, model, row),
            year: row.year,
            value: row.rhs,
            low: limit(low),
            high: limit(high),
            unit: "Mt".to_string(),
            note: None,
        };
        let range = match row.kind {
            RowKind::FeedBalance { .. }
            | RowKind::FacilityTotal { .. }
            | RowKind::StageInput { .. }
            | RowKind::Market { .. }
            | RowKind::ProductTotal { .. }
            | RowKind::ProductBalance { .. }
            | RowKind::PowerBalance { .. }
            | RowKind::PrimaryInput { .. }
            | RowKind::GradeShare { .. } => continue,
            RowKind::FeedAvailable { .. }
            | RowKind::Capacity { .. }
            | RowKind::SharedCapacity { .. }
            | RowKind::MetalOutputMin { .. }
            | RowKind::MetalOutputMax { .. }
            | RowKind::FacilityCapacity { .. }
            | RowKind::StageCapacity { .. }
            | RowKind::GradeAvailable { .. }
            | RowKind::Demand { .. } => in_mt,
            RowKind::PowerAvailable { .. } => BoundRange {
                unit: "TWh".to_string(),
                ..in_mt
            },
            RowKind::Plugin { .. } => BoundRange {
                unit: "plugin unit".to_string(),
                ..in_mt
            },
            RowKind::User { constraint } => {
                if scenario.constraints[constraint].share.is_some() {
                    // A share multiplies the `of` sum: a coefficient, like later growth targets.
                    BoundRange {
                        low: None,
                        high: None,
                        unit: "share".to_string(),
                        note: Some(COEFFICIENT_NOTE.to_string()),
                        ..in_mt
                    }
                } else {
                    BoundRange {
                        unit: "rule unit".to_string(),
                        ..in_mt
                    }
                }
            }
            RowKind::Target { target, bound, .. } => {
                target_range(scenario, row, in_mt, (target, bound), (low, high))
            }
        };
        ranges.push(range);
    }
    ranges
}

fn target_range(
    scenario: &Scenario,
    row: &crate::model::Row,
    in_mt: BoundRange,
    (target, bound): (TargetKind, f64),
    (low, high): (f64, f64),
) -> BoundRange {
    let first_year = row.year == scenario.years.first().copied();
    let base = BoundRange {
        value: bound,
        low: None,
        high: None,
        unit: String::new(),
        ..in_mt
    };
    match target {
        TargetKind::RecycledOutputMin | TargetKind::Co2Max => BoundRange {
            low: limit(low),
            high: limit(high),
            unit: "Mt".to_string(),
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
                unit: "growth rate".to_string(),
                ..base
            }
        }
        TargetKind::OutputGrowthMin
        | TargetKind::OutputGrowthMax
        | TargetKind::ValueAddedGrowthMin
        | TargetKind::ImportDependenceMax
        | TargetKind::CleanElectricityMin => BoundRange {
            unit: if matches!(
                target,
                TargetKind::ImportDependenceMax | TargetKind::CleanElectricityMin
            ) {
                "share"
            } else {
                "growth rate"
            }
            .to_string(),
            note: Some(COEFFICIENT_NOTE.to_string()),
            ..base
        },
    }
}

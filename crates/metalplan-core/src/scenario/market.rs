//! The market a metal's plan lives in (docs/scenario.md, "Stages, trade and demand"): the
//! stages of material before the refined metal (ore or concentrate, intermediates), trade in
//! those materials and in the refined metal, and the demand for the refined metal.
//!
//! Every part is optional; a metal without them is planned as before (its two routes are the
//! one-stage case).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{CapacityView, PerYear};

/// The material name of the refined metal itself, for trade.
pub const REFINED: &str = "refined";

/// One stage of a metal's chain: a material made by one process, from the stages before it
/// (`input_t_per_t`), or from the ground when it has no inputs (mining: ore or concentrate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// Stable key: lowercase letters, digits, `_` and `-`; unique within the metal, and not
    /// `refined`, `primary` or `recycled`.
    pub name: String,
    /// What the material is and in which tonnes it is counted (e.g. "alumina, tonnes of `Al2O3`").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Tonnes of the metal in a tonne of this material (1 when it is counted in contained
    /// metal): for import dependence measured in metal content.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub metal_content: f64,
    /// Observed output in the base year, Mt (value added from the base year needs it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_output_mt: Option<f64>,
    /// Capacity in place in each planning year before any new build, Mt per year.
    pub capacity_mt: PerYear,
    /// Most new capacity that can be commissioned in one year, Mt per year (absent = none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_build_mt_per_year: Option<PerYear>,
    /// Investment per tonne of annual capacity built, CNY per (t/yr).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investment_cny_per_t: Option<PerYear>,
    /// Cost per tonne of this material made, CNY/t (its inputs are costed where they are made
    /// or bought).
    pub operating_cost_cny_per_t: PerYear,
    /// Value added per tonne made, CNY/t (absent: 0). A per-year schedule also gives the base
    /// year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_added_cny_per_t: Option<PerYear>,
    /// Emissions per tonne made, t CO2 per t (absent: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_t_per_t: Option<PerYear>,
    /// Tonnes of an earlier stage's material per tonne of this one, keyed by that stage; several
    /// entries are alternatives (output is the sum of each input used over its ratio). Empty:
    /// the stage is mined, limited by its capacity.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub input_t_per_t: BTreeMap<String, PerYear>,
    /// Electricity per tonne made, MWh/t: with `[electricity]`, drawn from its sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity_mwh_per_t: Option<PerYear>,
}

impl StageSpec {
    /// The stage's capacity, in the same shape as a route's.
    #[must_use]
    pub fn capacity(&self) -> CapacityView<'_> {
        CapacityView {
            capacity_mt: &self.capacity_mt,
            max_build_mt_per_year: self.max_build_mt_per_year.as_ref(),
            investment_cny_per_t: self.investment_cny_per_t.as_ref(),
        }
    }

    /// Whether the stage is mined (has no inputs): ore or concentrate.
    #[must_use]
    pub fn is_raw(&self) -> bool {
        self.input_t_per_t.is_empty()
    }
}

fn one() -> f64 {
    1.0
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_one(value: &f64) -> bool {
    *value == 1.0
}

/// Trade in one material of a metal: imports and exports, each optional, with bounds and prices
/// per year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeSpec {
    /// A stage of the metal, or `refined` for the metal itself.
    pub material: String,
    /// Most imported per year, Mt (absent: no imports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_max_mt: Option<PerYear>,
    /// Least imported per year, Mt (contracts; absent: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_min_mt: Option<PerYear>,
    /// Delivered price of imports, CNY/t.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_price_cny_per_t: Option<PerYear>,
    /// Most exported per year, Mt (absent: no exports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_max_mt: Option<PerYear>,
    /// Least exported per year, Mt (absent: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_min_mt: Option<PerYear>,
    /// Price exports fetch, CNY/t (free on board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_price_cny_per_t: Option<PerYear>,
}

/// Demand for the refined metal: fixed, or price-responsive in blocks (under welfare), with a
/// reference consumption for every other objective; with stocks if given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandSpec {
    /// Consumption per year, Mt: fixed demand, or with `blocks` the reference demand that every
    /// objective but welfare meets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumption_mt: Option<PerYear>,
    /// Demand blocks, dearest first: each a quantity consumers take at or above its price.
    /// Prices must not rise along the list, so consumer surplus is concave.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<DemandBlock>,
    /// Stocks of the refined metal that can be built up or drawn down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<StockSpec>,
}

/// One demand block: `quantity_mt` is taken when the price is at most `price_cny_per_t`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandBlock {
    /// Quantity, Mt per year.
    pub quantity_mt: PerYear,
    /// What consumers pay for this block at most, CNY/t.
    pub price_cny_per_t: PerYear,
}

/// Stocks of the refined metal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockSpec {
    /// Stock at the end of the base year, Mt.
    pub initial_mt: f64,
    /// Least stock at the end of each planning year, Mt (absent: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_mt: Option<PerYear>,
    /// Most stock at the end of each planning year, Mt.
    pub max_mt: PerYear,
    /// Cost of holding a tonne through a year, CNY/t.
    pub holding_cost_cny_per_t: PerYear,
}

impl DemandSpec {
    /// The reference consumption in `year`, Mt: `consumption_mt`, or without it every block
    /// taken. Under objectives other than welfare, consumption is held at this.
    #[must_use]
    pub fn reference_mt(&self, year: super::Year) -> f64 {
        match &self.consumption_mt {
            Some(consumption) => consumption.at(year),
            None => self
                .blocks
                .iter()
                .map(|block| block.quantity_mt.at(year))
                .sum(),
        }
    }
}

/// How import dependence is measured (docs/model.md, "Import dependence").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportDefinition {
    /// Imported feed over all feed of the metal's routes (metalplan's first measure).
    Feed,
    /// Metal content of all net imports (feed imported, trade in every material) over
    /// consumption of the refined metal: USGS's net import reliance.
    NetImportsOverConsumption,
    /// Imported ore and concentrate over all ore and concentrate used, in metal content: the
    /// measure quoted for copper concentrate, bauxite and lithium raw material.
    RawMaterial,
}

impl ImportDefinition {
    /// Every definition, in reporting order.
    pub const ALL: [ImportDefinition; 3] = [
        ImportDefinition::Feed,
        ImportDefinition::NetImportsOverConsumption,
        ImportDefinition::RawMaterial,
    ];

    /// The key used in files and results.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            ImportDefinition::Feed => "feed",
            ImportDefinition::NetImportsOverConsumption => "net_imports_over_consumption",
            ImportDefinition::RawMaterial => "raw_material",
        }
    }
}

impl fmt::Display for ImportDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A cap on one metal's import dependence, measured by one definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportDependenceTarget {
    /// The metal.
    pub metal: String,
    /// How dependence is measured.
    pub definition: ImportDefinition,
    /// The cap, a fraction, per year (a per-year table constrains only the years it lists).
    pub max: PerYear,
}

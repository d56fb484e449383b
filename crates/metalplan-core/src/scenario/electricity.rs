//! Electricity as it is made (docs/scenario.md, "Electricity"): power sources with what they
//! can supply per year, their price and CO2 per MWh; routes and stages that use power per tonne;
//! and floors on the clean share of the power a route or stage uses.
//!
//! Without an `[electricity]` table the model has no power columns: CO2 is each route's and
//! stage's fixed factor, as before.

use serde::{Deserialize, Serialize};

use super::{PerYear, Scenario};

/// `[electricity]`: the power sources the plan may draw on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectricitySpec {
    /// The sources, in the order they are reported.
    #[serde(default)]
    pub sources: Vec<PowerSourceSpec>,
}

/// One power source (coal, hydro, wind, ...), nationally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PowerSourceSpec {
    /// Stable key: lowercase letters, digits, `_` and `-`; unique.
    pub name: String,
    /// What the source is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What it can supply to the routes and stages planned, per year, TWh.
    pub available_twh: PerYear,
    /// Price delivered, CNY per MWh.
    pub price_cny_per_mwh: PerYear,
    /// CO2 per MWh generated, t CO2 per MWh.
    pub co2_t_per_mwh: PerYear,
    /// Whether the source counts as clean for `[[targets.clean_electricity]]`.
    #[serde(default)]
    pub clean: bool,
}

/// A floor on the clean share of the power one route or stage uses
/// (`[[targets.clean_electricity]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CleanElectricityTarget {
    /// The metal.
    pub metal: String,
    /// `primary`, `recycled` or the name of one of the metal's stages.
    pub process: String,
    /// The floor, a fraction, per year (a per-year table constrains only the years it lists).
    pub min: PerYear,
}

impl Scenario {
    /// The power sources of `[electricity]`, in file order (none without it).
    #[must_use]
    pub fn power_sources(&self) -> &[PowerSourceSpec] {
        self.electricity
            .as_ref()
            .map_or(&[], |electricity| electricity.sources.as_slice())
    }
}

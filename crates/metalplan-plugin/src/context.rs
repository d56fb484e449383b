//! What the host shows a plugin: the scenario's horizon, metals, routes and feed sources, and the
//! plugin's own parameters.
//!
//! The context only grows: new fields carry serde defaults and plugins ignore fields they do not
//! know, so a plugin built against an older SDK of the same ABI version keeps working.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::{FeedSource, Route};

/// The scenario as a plugin sees it. (`..PluginContext::default()` fills the parts a test
/// leaves out.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PluginContext {
    /// The year with observed data.
    pub base_year: i32,
    /// The planning years, consecutive.
    pub years: Vec<i32>,
    /// The scenario's discount rate: the model weights year `y`'s costs by
    /// `(1 + rate)^-(y - base_year)`, but plugin objective terms are taken as written, so a
    /// plugin that prices several years discounts them itself.
    #[serde(default)]
    pub discount_rate: f64,
    /// The metals, in scenario order.
    pub metals: Vec<MetalInfo>,
    /// The power sources of `[electricity]`, in scenario order (empty without it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power_sources: Vec<PowerSourceInfo>,
    /// The plugin's parameters from the scenario's `[[plugins]] params`, defaults filled in.
    pub params: BTreeMap<String, serde_json::Value>,
}

/// One metal. (`..MetalInfo::default()` fills the parts a test leaves out.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetalInfo {
    /// Stable key, e.g. `copper`.
    pub name: String,
    /// The routes it has.
    pub routes: Vec<RouteInfo>,
    /// Its stages, upstream first (empty for a metal planned by its routes alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageInfo>,
    /// The materials it trades.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trade: Vec<TradeInfo>,
    /// Its demand, when the scenario gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand: Option<DemandInfo>,
    /// The scrap grades of its recycled route, in name order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrap_grades: Vec<GradeInfo>,
    /// The products of its recycled route, in scenario order, as
    /// [`crate::VarRef::ProductOutput`] names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recycled_products: Vec<String>,
    /// The processes that use electricity (`primary`, `recycled` or a stage name), as
    /// [`crate::VarRef::Power`] names them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power_processes: Vec<String>,
}

/// One power source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerSourceInfo {
    /// Source name, as [`crate::VarRef::Power`] names it.
    pub name: String,
    /// Whether it counts as clean.
    pub clean: bool,
    /// What it can supply per planning year, TWh.
    pub available_twh: BTreeMap<i32, f64>,
}

/// One scrap grade of a recycled route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeInfo {
    /// Grade name, as [`crate::VarRef::GradeUse`] names it.
    pub name: String,
    /// Whether it is imported scrap.
    pub imported: bool,
    /// Availability per planning year, Mt of contained metal.
    pub available_mt: BTreeMap<i32, f64>,
    /// Share of the contained metal that ends up in output.
    pub recovery: f64,
}

/// One stage of a metal's chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageInfo {
    /// Stage name, as [`crate::VarRef::StageOutput`] names it.
    pub name: String,
    /// Tonnes of metal per tonne of the stage's material.
    pub metal_content: f64,
    /// Observed output in the base year, Mt.
    pub base_output_mt: f64,
    /// Capacity per planning year before builds, Mt.
    pub capacity_mt: BTreeMap<i32, f64>,
    /// The stages it is made from (empty: mined).
    pub inputs: Vec<String>,
}

/// Trade in one material of a metal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeInfo {
    /// A stage's name, or `refined`.
    pub material: String,
    /// Whether it can be imported (an `import` variable exists).
    pub imports: bool,
    /// Whether it can be exported (an `export` variable exists).
    pub exports: bool,
}

/// Demand for a metal's refined output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandInfo {
    /// The reference consumption per planning year, Mt: the fixed demand, or every block.
    pub reference_mt: BTreeMap<i32, f64>,
}

/// One route of a metal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteInfo {
    /// Which route.
    pub route: Route,
    /// Observed output in the base year, Mt.
    pub base_output_mt: f64,
    /// Whether capacity of this route can be built (a `build` variable exists).
    pub can_build: bool,
    /// The feed sources it draws on.
    pub feed: Vec<FeedInfo>,
}

/// One feed source of a route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedInfo {
    /// Which source.
    pub source: FeedSource,
    /// Availability per planning year, Mt of contained metal.
    pub available_mt: BTreeMap<i32, f64>,
    /// Share of the contained metal that ends up in output.
    #[serde(default = "full_recovery")]
    pub recovery: f64,
}

fn full_recovery() -> f64 {
    1.0
}

impl PluginContext {
    /// The metal called `name`, if the scenario has it.
    #[must_use]
    pub fn metal(&self, name: &str) -> Option<&MetalInfo> {
        self.metals.iter().find(|metal| metal.name == name)
    }

    /// Parameter `name` read as `T`; `Ok(None)` when it is absent.
    pub fn param<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, String> {
        self.params
            .get(name)
            .map(|value| {
                serde_json::from_value(value.clone())
                    .map_err(|error| format!("parameter `{name}`: {error}"))
            })
            .transpose()
    }

    /// Parameter `name` read as `T`, or an error saying it is missing.
    pub fn require<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        self.param(name)?
            .ok_or_else(|| format!("parameter `{name}` is required"))
    }

    /// Parameter `name`: a finite number of at least 0.
    pub fn non_negative(&self, name: &str) -> Result<f64, String> {
        let value: f64 = self.require(name)?;
        if !value.is_finite() || value < 0.0 {
            return Err(format!("{name} must be a non-negative number, got {value}"));
        }
        Ok(value)
    }

    /// Parameter `name`: a number between 0 and 1.
    pub fn fraction(&self, name: &str) -> Result<f64, String> {
        let value = self.non_negative(name)?;
        if value > 1.0 {
            return Err(format!("{name} must be between 0 and 1, got {value}"));
        }
        Ok(value)
    }

    /// Parameter `name`: a yearly growth rate, finite and above -1 (0.02 = +2 %).
    pub fn growth_rate(&self, name: &str) -> Result<f64, String> {
        let value: f64 = self.require(name)?;
        if !value.is_finite() || value <= -1.0 {
            return Err(format!("{name} must be a number above -1, got {value}"));
        }
        Ok(value)
    }

    /// Parameter `name`: a table year -> non-negative number with at least one year, such as
    /// `{ "2025" = 11.5, "2027" = 15.0 }` in the scenario.
    pub fn year_table(&self, name: &str) -> Result<BTreeMap<i32, f64>, String> {
        let table: BTreeMap<String, f64> = self.require(name)?;
        if table.is_empty() {
            return Err(format!("{name} is empty; give at least one year"));
        }
        table
            .iter()
            .map(|(key, &value)| {
                let year = key
                    .trim()
                    .parse::<i32>()
                    .map_err(|_| format!("{name}: `{key}` is not a year"))?;
                if !value.is_finite() || value < 0.0 {
                    return Err(format!(
                        "{name}.{key} must be a non-negative number, got {value}"
                    ));
                }
                Ok((year, value))
            })
            .collect()
    }
}

/// A year table as a JSON parameter default: `year_table_default(&[(2025, 11.5)])` is
/// `{"2025": 11.5}`, the form [`PluginContext::year_table`] reads back.
#[must_use]
pub fn year_table_default(entries: &[(i32, f64)]) -> serde_json::Value {
    entries
        .iter()
        .map(|(year, value)| (year.to_string(), (*value).into()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

impl RouteInfo {
    /// Whether the route draws on `source`.
    #[must_use]
    pub fn has_feed(&self, source: FeedSource) -> bool {
        self.feed.iter().any(|feed| feed.source == source)
    }
}

impl MetalInfo {
    /// The route's information, if the metal has that route.
    #[must_use]
    pub fn route(&self, route: Route) -> Option<&RouteInfo> {
        self.routes.iter().find(|info| info.route == route)
    }
}

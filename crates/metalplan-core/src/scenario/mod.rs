//! Scenario files: the plain-data description of a national metals system and its targets.
//!
//! The types here mirror the scenario file one to one (see `docs/scenario.md`). Parsing lives in
//! [`load`], checking in [`validate`]; the model builder only ever sees a scenario that passed
//! validation.

mod constraints;
mod electricity;
mod facility;
mod load;
mod locate;
mod market;
mod overlay;
mod per_year;
mod recycling;
mod set_field;
mod shock;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use constraints::{
    expand as expand_constraints, ConstraintTerm, ExpandedConstraint, Names, TermVariable,
    UserConstraint, YearSelection,
};
pub use electricity::{CleanElectricityTarget, ElectricitySpec, PowerSourceSpec};
pub use facility::{
    parse_facilities_csv, read_facilities_csv, CsvProblem, Facility, FacilityFile,
    FACILITY_COLUMNS, MAX_FACILITY_PROBLEMS,
};
pub(crate) use load::read_text;
pub use load::{
    load_scenario, load_scenario_with_policy, parse_scenario, parse_scenario_with_policy,
    LoadedScenario, SourceFormat,
};
pub use locate::Location;
pub use market::{
    DemandBlock, DemandSpec, ImportDefinition, ImportDependenceTarget, StageSpec, StockSpec,
    TradeSpec, REFINED,
};
pub use metalplan_plugin::{FeedSource, Route, Sense, Year};
pub use overlay::{load_scenario_with, load_scenario_with_overlays};
pub(crate) use per_year::is_schedule;
pub use per_year::PerYear;
pub use recycling::{AdditionsView, AlloyingSpec, GradeSpec, Origin, ProductSpec};
pub use set_field::{with_field, with_fields, FieldError};
pub use shock::{apply_shocks, Shock, ShockError};
pub use validate::{validate, MAX_MAGNITUDE};

/// One scenario: the horizon, the metals and the policy targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A short human-readable title.
    #[serde(default)]
    pub name: String,
    /// Free text: where the numbers come from, what the scenario is for.
    #[serde(default)]
    pub description: String,
    /// The year with observed data; growth targets in the first planning year compare against it.
    pub base_year: Year,
    /// The planning years, consecutive and following the base year.
    pub years: Vec<Year>,
    /// Annual discount rate applied to each planning year's cost (0 = undiscounted).
    #[serde(default)]
    pub discount_rate: f64,
    /// The metals, in the order they are reported.
    pub metals: Vec<Metal>,
    /// National targets; every one is optional.
    #[serde(default)]
    pub targets: Targets,
    /// Rules written in the file (`[[constraints]]`, docs/constraints.md), in order.
    #[serde(default)]
    pub constraints: Vec<UserConstraint>,
    /// Let targets be missed, by as little as possible: each target gets a shortfall variable
    /// (docs/model.md, M19). Also set by `--soft-targets`.
    #[serde(default)]
    pub soft_targets: bool,
    /// Constraint plugins to load, in order.
    #[serde(default)]
    pub plugins: Vec<PluginSpec>,
    /// A CSV file of facilities, relative to the scenario file (`docs/scenario.md`); read into
    /// `facilities` when the scenario is loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilities_csv: Option<String>,
    /// Plants, written inline or read from `facilities_csv`. A route with facilities produces
    /// the sum of their outputs, each within its own capacity (M21-M22 in `docs/model.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<Facility>,
    /// Power sources the routes and stages that use electricity draw on (docs/scenario.md,
    /// "Electricity"); absent: CO2 is each route's and stage's fixed factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity: Option<ElectricitySpec>,
}

/// One `[[plugins]]` entry: which plugin to load and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginSpec {
    /// Plugin name, looked up as `libmetalplan_plugin_<name>.so` (platform naming) on the plugin
    /// search path. Give `name` or `path`, not both.
    pub name: Option<String>,
    /// Path to the plugin library, relative to the scenario file's folder.
    pub path: Option<String>,
    /// Parameters handed to the plugin as JSON values.
    #[serde(default)]
    pub params: BTreeMap<String, serde_json::Value>,
}

impl Scenario {
    /// The metal with this name, if any.
    #[must_use]
    pub fn metal(&self, name: &str) -> Option<&Metal> {
        self.metals.iter().find(|metal| metal.name == name)
    }
}

/// One metal (or an honest group of metals) with its two production routes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metal {
    /// Stable key used in results, targets and plugins: lowercase letters, digits, `_` and `-`.
    pub name: String,
    /// What the name covers and in which unit its tonnes are counted (e.g. "lithium carbonate
    /// equivalent").
    #[serde(default)]
    pub description: String,
    /// Primary output, from ore and concentrate. Absent means the metal has no primary route.
    pub primary: Option<RouteSpec>,
    /// Recycled output, from scrap. Absent means the metal has no recycled route.
    pub recycled: Option<RouteSpec>,
    /// Plants that take both concentrate and scrap: a limit on primary + recycled output together.
    pub shared_capacity: Option<CapacitySpec>,
    /// Lower bound on the metal's total output (both routes), Mt per year: market or contract
    /// floors that keep the plan from abandoning a metal.
    pub output_min_mt: Option<PerYear>,
    /// Upper bound on the metal's total output (both routes), Mt per year: what the market takes.
    pub output_max_mt: Option<PerYear>,
    /// Stages of material before the refined metal, upstream first (docs/scenario.md, "Stages,
    /// trade and demand"): ore or concentrate mined, intermediates made from earlier stages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageSpec>,
    /// Imports and exports of the stages' materials and of the refined metal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trade: Vec<TradeSpec>,
    /// Demand for the refined metal: with it, production plus imports less exports (less what
    /// goes into stock) is consumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand: Option<DemandSpec>,
}

impl Metal {
    /// The stage called `name`, with its index.
    #[must_use]
    pub fn stage(&self, name: &str) -> Option<(usize, &StageSpec)> {
        self.stages
            .iter()
            .enumerate()
            .find(|(_, stage)| stage.name == name)
    }

    /// The trade in `material` (a stage name or `refined`), if the metal has any.
    #[must_use]
    pub fn trade_in(&self, material: &str) -> Option<&TradeSpec> {
        self.trade.iter().find(|trade| trade.material == material)
    }

    /// The route's specification, if the metal has that route.
    #[must_use]
    pub fn route(&self, route: Route) -> Option<&RouteSpec> {
        match route {
            Route::Primary => self.primary.as_ref(),
            Route::Recycled => self.recycled.as_ref(),
        }
    }
}

/// One production route of one metal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    /// Observed output in the base year, Mt. Required: growth targets start from it.
    pub base_output_mt: Option<f64>,
    /// Capacity in place in each planning year before any new build, Mt per year.
    pub capacity_mt: PerYear,
    /// Most new capacity that can be commissioned in one year, Mt per year (absent = none).
    pub max_build_mt_per_year: Option<PerYear>,
    /// Investment per tonne of annual capacity built, CNY per (t/yr).
    pub investment_cny_per_t: Option<PerYear>,
    /// Conversion cost per tonne of output, CNY/t (feed is costed separately).
    pub operating_cost_cny_per_t: PerYear,
    /// Value added per tonne of output, CNY/t. A per-year schedule must also give the base year.
    pub value_added_cny_per_t: PerYear,
    /// Emissions per tonne of output, t CO2 per t.
    pub co2_t_per_t: PerYear,
    /// Whether this route's output counts toward the ten-metal output total.
    #[serde(default = "default_true")]
    pub counts_toward_output_total: bool,
    /// Whether this route's output counts toward the national recycled-output total
    /// (recycled route only).
    pub counts_toward_recycled_total: Option<bool>,
    /// The route's feed sources, keyed by source name.
    #[serde(default)]
    pub feed: BTreeMap<String, FeedSpec>,
    /// Tonnes of a stage's material per tonne of output, keyed by stage (primary route only):
    /// alternatives to each other and to the feed sources.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub input_t_per_t: BTreeMap<String, PerYear>,
    /// Primary metal of the same metal per tonne of output (recycled route without products):
    /// dilution, drawn from the primary route or the refined market.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_input_t_per_t: Option<PerYear>,
    /// Alloying elements per tonne of output, by element (recycled route without products).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alloying: BTreeMap<String, AlloyingSpec>,
    /// Scrap grades by name (recycled route): the scrap the route draws instead of the
    /// `domestic_scrap` and `imported_scrap` feed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grades: BTreeMap<String, GradeSpec>,
    /// Products the route's output is split into, each with its own additions and grade limits
    /// (recycled route with grades).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductSpec>,
    /// Electricity per tonne of output, MWh/t: with `[electricity]`, drawn from its sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity_mwh_per_t: Option<PerYear>,
}

impl RouteSpec {
    /// The route's own capacity, in the same shape as a shared capacity.
    #[must_use]
    pub fn capacity(&self) -> CapacityView<'_> {
        CapacityView {
            capacity_mt: &self.capacity_mt,
            max_build_mt_per_year: self.max_build_mt_per_year.as_ref(),
            investment_cny_per_t: self.investment_cny_per_t.as_ref(),
        }
    }

    /// The feed source's specification, if the route draws on it.
    #[must_use]
    pub fn feed_source(&self, source: FeedSource) -> Option<&FeedSpec> {
        self.feed.get(source.key())
    }
}

fn default_true() -> bool {
    true
}

/// A shared capacity: existing capacity plus optional expansion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacitySpec {
    /// Capacity in place in each planning year before any new build, Mt per year.
    pub capacity_mt: PerYear,
    /// Most new capacity that can be commissioned in one year, Mt per year (absent = none).
    pub max_build_mt_per_year: Option<PerYear>,
    /// Investment per tonne of annual capacity built, CNY per (t/yr).
    pub investment_cny_per_t: Option<PerYear>,
}

impl CapacitySpec {
    /// A borrowed view, the same for route and shared capacities.
    #[must_use]
    pub fn view(&self) -> CapacityView<'_> {
        CapacityView {
            capacity_mt: &self.capacity_mt,
            max_build_mt_per_year: self.max_build_mt_per_year.as_ref(),
            investment_cny_per_t: self.investment_cny_per_t.as_ref(),
        }
    }
}

/// Capacity fields borrowed from a route or a shared capacity.
#[derive(Debug, Clone, Copy)]
pub struct CapacityView<'a> {
    /// Existing capacity, Mt per year.
    pub capacity_mt: &'a PerYear,
    /// Most new capacity per year, Mt per year.
    pub max_build_mt_per_year: Option<&'a PerYear>,
    /// Investment per tonne of annual capacity, CNY per (t/yr).
    pub investment_cny_per_t: Option<&'a PerYear>,
}

/// One feed source of one route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedSpec {
    /// Feed available per year, Mt of contained metal.
    pub available_mt: PerYear,
    /// Delivered cost per tonne of contained metal, CNY/t.
    pub cost_cny_per_t: PerYear,
    /// Share of the contained metal that ends up in output (0, 1].
    pub recovery: f64,
}

/// National targets. Every target is optional; each is a single value or a per-year schedule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Floor on recycled output summed over routes counting toward the recycled total, Mt.
    pub recycled_output_min_mt: Option<PerYear>,
    /// Floor on ten-metal output growth against the previous year (0.015 = +1.5 %).
    pub output_growth_min: Option<PerYear>,
    /// Ceiling on ten-metal output growth against the previous year.
    pub output_growth_max: Option<PerYear>,
    /// Floor on value-added growth against the previous year (0.05 = +5 %).
    pub value_added_growth_min: Option<PerYear>,
    /// Cap on each named metal's import dependence: imported feed / all feed, a fraction.
    #[serde(default)]
    pub import_dependence_max: BTreeMap<String, PerYear>,
    /// Caps on import dependence by a stated definition (`[[targets.import_dependence]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_dependence: Vec<ImportDependenceTarget>,
    /// Cap on CO2 from all routes, Mt CO2 per year.
    pub co2_max_mt: Option<PerYear>,
    /// Floors on the clean share of the power a route or stage uses
    /// (`[[targets.clean_electricity]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clean_electricity: Vec<CleanElectricityTarget>,
}

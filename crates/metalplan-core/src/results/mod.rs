//! Turns a solution into the planner's results: the plan, the targets and the yearly totals,
//! in the units of the scenario's field names (Mt, CNY, t CO2). The JSON shape is documented in
//! `docs/results.md`.

mod electricity;
mod market;
mod recycling;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::model::{Sense, TargetKind};
pub use crate::ranging::{BoundRange, CostRange, RangingReport};
pub use crate::scenario::ImportDefinition;
pub use electricity::{PowerRow, PowerSourceRow, PowerUseRow};
pub use market::{DemandRow, ImportDependenceRow, MarketRow, StageRow, StageUseRow, TradeRow};
pub use recycling::{GradeRow, RecycledInputRow};

use crate::error::{ResultFileError, ResultRole};
use crate::model::{
    counts_toward_recycled, target_row_name, user_row_name, Model, ObjectiveKind, Process, RowKind,
    VariableKey, MILLION,
};
use crate::plugin_host::PluginRules;
use crate::scenario::{expand_constraints, FeedSource, Route, Scenario, Year};
use crate::solve::{Solution, SolverKind};

/// A row counts as binding when its slack is within this share of the row's magnitude.
pub const BINDING_TOLERANCE: f64 = 1e-6;

/// Values this close to a bound are reported as the bound (solvers return -1e-12 for zero).
const SNAP_TOLERANCE: f64 = 1e-9;

/// Everything a solve produces, ready to render or serialise; also what a result file reads
/// back as ([`read_result_file`]): every part but `plan` may be missing from a file, so that a
/// plan written by anyone can be verified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanResult {
    /// Always `optimal`: other outcomes are errors.
    #[serde(default)]
    pub status: String,
    /// The scenario's name.
    #[serde(default)]
    pub scenario: String,
    /// The metalplan version that produced this result.
    #[serde(default)]
    pub metalplan_version: String,
    /// The solver used.
    #[serde(default)]
    pub solver: SolverKind,
    /// What was optimised.
    #[serde(default)]
    pub objective_kind: ObjectiveKind,
    /// The optimal value of that objective over the horizon, in `objective_unit`.
    #[serde(default)]
    pub objective: f64,
    /// Unit of `objective`: CNY (cost, discounted; value added), t CO2 or t (imports).
    #[serde(default)]
    pub objective_unit: String,
    /// Output, capacity and builds per metal, route and year.
    pub plan: Vec<PlanRow>,
    /// Feed drawn per metal, source and year.
    #[serde(default)]
    pub feed: Vec<FeedRow>,
    /// Shared capacities per metal and year (metals that have one).
    #[serde(default)]
    pub shared_capacity: Vec<SharedCapacityRow>,
    /// Every target row: value, bound, and whether it binds.
    #[serde(default)]
    pub targets: Vec<TargetRow>,
    /// Every row of the scenario's `[[constraints]]`, rule by rule, year by year.
    #[serde(default)]
    pub constraints: Vec<ConstraintRow>,
    /// National totals per planning year.
    #[serde(default)]
    pub totals: Vec<TotalsRow>,
    /// The same totals in the base year, from observed output.
    #[serde(default)]
    pub base_year: BaseYearTotals,
    /// Each plugin with the constraints it added and the figures it reports.
    #[serde(default)]
    pub plugins: Vec<PluginReport>,
    /// Sensitivity ranges, when asked for (`solve --ranging`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    pub ranging: Option<crate::ranging::RangingReport>,
    /// Output, capacity and expansion per facility and operating year (scenarios with facilities).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[serde(default)]
    pub facilities: Vec<FacilityRow>,
    /// Output, capacity and builds of every stage per metal and year (metals with stages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageRow>,
    /// Each stage's material used by each later process, per year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stage_use: Vec<StageUseRow>,
    /// Imports and exports per metal, material and year (metals with trade).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trade: Vec<TradeRow>,
    /// The price of every material with a market (stages, and the refined metal of metals with
    /// demand) per year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markets: Vec<MarketRow>,
    /// Consumption, demand blocks taken and stock per metal and year (metals with demand).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub demand: Vec<DemandRow>,
    /// Import dependence of every metal and year by every definition that applies.
    #[serde(default)]
    pub import_dependence: Vec<ImportDependenceRow>,
    /// Scrap drawn per grade and year (recycled routes with grades).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<GradeRow>,
    /// What recycled output holds besides scrap, per route or product and year (recycled routes
    /// with grades, products or additions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recycled_inputs: Vec<RecycledInputRow>,
    /// Electricity per source, process and year (with `[electricity]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power: Vec<PowerRow>,
    /// Each power source per year: used, available, CO2 and scarcity price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power_sources: Vec<PowerSourceRow>,
    /// Each process that uses power per year: power, clean share and the price of its power.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub power_use: Vec<PowerUseRow>,
    /// Supply shocks applied to the scenario before solving (set by the caller).
    #[serde(default)]
    pub shocks: Vec<String>,
    /// Overlay files merged into the scenario, in the order applied (set by the caller).
    #[serde(default)]
    pub overlays: Vec<String>,
    /// What produced this result: versions, input hashes, plugins and options (set by the
    /// caller, which knows the files and the command line).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    pub provenance: Option<crate::provenance::Provenance>,
}

/// What one plugin added and reported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PluginReport {
    /// The plugin's name.
    pub name: String,
    /// The plugin's version.
    pub version: String,
    /// The library file it was loaded from.
    pub path: String,
    /// Its constraints, evaluated at the plan.
    pub constraints: Vec<PluginConstraintRow>,
    /// Its own variables at the plan.
    pub variables: Vec<PluginVariableRow>,
    /// Figures it reports (e.g. the scrap its stock model says exists).
    pub figures: Vec<metalplan_plugin::Figure>,
}

/// One plugin variable at the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginVariableRow {
    /// The name the plugin gave it.
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// One plugin constraint at the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PluginConstraintRow {
    /// Row name, `plugin.<plugin>.<constraint>`.
    pub name: String,
    /// The year it belongs to, if the plugin gave one.
    pub year: Option<Year>,
    /// The row's left-hand side at the plan, in the plugin's units.
    pub value: f64,
    /// Its right-hand side.
    pub bound: f64,
    /// Direction.
    pub sense: Sense,
    /// Whether the plan sits on the bound.
    pub binding: bool,
    /// Change in cost per unit increase of the right-hand side (CNY per t for rows in Mt).
    /// `null` unless the objective is cost.
    pub shadow_price: Option<f64>,
}

/// One route of one metal in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRow {
    /// Metal key.
    pub metal: String,
    /// Route.
    pub route: Route,
    /// Year.
    pub year: Year,
    /// Output, Mt.
    pub output_mt: f64,
    /// Capacity available this year: existing plus everything built up to this year, Mt/yr.
    pub capacity_mt: f64,
    /// Capacity commissioned this year, Mt/yr.
    pub built_mt: f64,
    /// Change in cost per extra tonne of this year's route capacity, CNY/t (0 when capacity is
    /// slack, negative when more would save money). `null` unless the objective is cost.
    #[serde(default)]
    pub capacity_shadow_price_cny_per_t: Option<f64>,
    /// Reduced cost of the output: how much cost rises per tonne forced into this route beyond
    /// the plan, CNY/t (0 for routes in use). `null` unless the objective is cost.
    #[serde(default)]
    pub reduced_cost_cny_per_t: Option<f64>,
}

/// One facility in one year it operates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacilityRow {
    /// The facility's id.
    pub id: String,
    /// Year.
    pub year: Year,
    /// Output, Mt.
    pub output_mt: f64,
    /// Capacity available this year: its own plus everything it added up to this year, Mt/yr.
    pub capacity_mt: f64,
    /// Capacity added this year, Mt/yr.
    pub built_mt: f64,
    /// Change in cost per extra tonne of this facility's capacity this year, CNY/t (0 when
    /// slack, negative when more would save money). `null` unless the objective is cost.
    #[serde(default)]
    pub capacity_shadow_price_cny_per_t: Option<f64>,
}

/// Feed drawn from one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedRow {
    /// Metal key.
    pub metal: String,
    /// Route the source feeds.
    pub route: Route,
    /// Source.
    pub source: FeedSource,
    /// Year.
    pub year: Year,
    /// Feed drawn, Mt of contained metal.
    pub feed_mt: f64,
    /// Feed available, Mt of contained metal.
    pub available_mt: f64,
    /// Change in cost per extra tonne of this feed available, CNY/t. `null` unless the objective
    /// is cost.
    #[serde(default)]
    pub shadow_price_cny_per_t: Option<f64>,
}

/// A shared (primary + recycled) capacity in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedCapacityRow {
    /// Metal key.
    pub metal: String,
    /// Year.
    pub year: Year,
    /// Primary + recycled output, Mt.
    pub output_mt: f64,
    /// Shared capacity available, existing plus built so far, Mt/yr.
    pub capacity_mt: f64,
    /// Shared capacity commissioned this year, Mt/yr.
    pub built_mt: f64,
    /// Change in cost per extra tonne of shared capacity, CNY/t. `null` unless the objective is
    /// cost.
    #[serde(default)]
    pub shadow_price_cny_per_t: Option<f64>,
}

/// One target in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    /// Target key, e.g. `recycled_output_min`.
    pub name: TargetKind,
    /// Metal key for per-metal targets.
    pub metal: Option<String>,
    /// How an import-dependence cap with a stated definition measures dependence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<ImportDefinition>,
    /// The route or stage of a clean-electricity floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// Year.
    pub year: Year,
    /// Value achieved by the plan, in `unit`.
    pub value: f64,
    /// The target's bound, in `unit`.
    pub bound: f64,
    /// `>=` for floors, `<=` for caps.
    pub sense: Sense,
    /// Whether the plan sits on the bound.
    pub binding: bool,
    /// Unit of `value` and `bound`: `Mt`, `Mt CO2` or `fraction` (growth rates and shares).
    pub unit: String,
    /// Change in the optimal cost when the bound moves up by one unit of
    /// `shadow_price_unit`: positive when raising a floor costs money, negative when raising a
    /// cap saves money, 0 when the target does not bind. `null` unless the objective is cost.
    pub shadow_price: Option<f64>,
    /// `CNY per t`, `CNY per t CO2` or `CNY per percentage point`.
    pub shadow_price_unit: String,
    /// With soft targets: how far the plan misses the bound, in `unit` (0 when met). `null`
    /// when targets are hard.
    pub shortfall: Option<f64>,
    /// With soft targets: the first stage's dual, what one more unit of the bound (of
    /// `shortfall_shadow_price_unit`) adds to the least weighted total shortfall, in tonnes of
    /// weighted shortfall (docs/results.md, "Soft targets"). Absent when targets are hard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_shadow_price: Option<f64>,
    /// `t per t`, `t per t CO2` or `t per percentage point`; absent when targets are hard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_shadow_price_unit: Option<String>,
}

impl TargetRow {
    /// The target's row name: `<target>[<year>]`, or `<target>[<metal>,<year>]` for per-metal
    /// targets (as the model and sweeps name it).
    #[must_use]
    pub fn row_name(&self) -> String {
        let qualifier = self
            .definition
            .map(ImportDefinition::key)
            .or(self.process.as_deref());
        target_row_name(self.name, self.metal.as_deref(), qualifier, self.year)
    }
}

/// One scenario constraint (`[[constraints]]`) in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstraintRow {
    /// The rule's `name` in the scenario.
    pub name: String,
    /// The row's name in the model and in exported LP/MPS files, `user[<name>,<year>]`.
    pub row: String,
    /// Year.
    pub year: Year,
    /// What the plan achieves, in `unit`: the sum of the terms (linear form), or that sum over
    /// the sum of `of` (share form; 0 when `of` sums to 0 or less).
    pub value: f64,
    /// The right-hand side (linear form) or the share (share form), in `unit`.
    pub bound: f64,
    /// Direction.
    pub sense: Sense,
    /// Whether the plan sits on the bound.
    pub binding: bool,
    /// `Mt` (linear form: Mt weighted by the coefficients) or `fraction` (share form).
    pub unit: String,
    /// Share form: the sum of the terms, Mt; `null` for the linear form.
    pub part_mt: Option<f64>,
    /// Share form: the sum of `of`, Mt; `null` for the linear form.
    pub whole_mt: Option<f64>,
    /// Change in the optimal cost when the bound moves up by one unit of `shadow_price_unit`:
    /// CNY per t of right-hand side (linear form), CNY per percentage point of share (share
    /// form). `null` unless the objective is cost.
    pub shadow_price: Option<f64>,
    /// `CNY per t` or `CNY per percentage point`.
    pub shadow_price_unit: String,
    /// The dual of the row as the model holds it, CNY per t: for the share form
    /// `terms - share * of >= 0`, the cost of one more tonne of the terms beyond the share.
    /// Equals `shadow_price` for the linear form. `null` unless the objective is cost.
    pub row_shadow_price_cny_per_t: Option<f64>,
    /// With soft targets: how far the plan misses the bound, in `unit` (0 when met); `null`
    /// when targets are hard and for `=` rules, which stay hard.
    pub shortfall: Option<f64>,
    /// With soft targets: the first stage's dual, what one more unit of the bound adds to the
    /// least weighted total shortfall (docs/results.md, "Soft targets"). Absent when targets
    /// are hard and for `=` rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_shadow_price: Option<f64>,
    /// `t per t`, `t per MWh` or `t per percentage point`; absent with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortfall_shadow_price_unit: Option<String>,
}

/// National totals in one planning year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalsRow {
    /// Year.
    pub year: Year,
    /// Ten-metal output: routes that count toward the total, Mt.
    pub output_total_mt: f64,
    /// Growth of the ten-metal output against the previous year, fraction.
    pub output_growth: f64,
    /// Recycled output counting toward the national recycled total, Mt.
    pub recycled_mt: f64,
    /// Value added, CNY.
    pub value_added_cny: f64,
    /// Growth of value added against the previous year, fraction.
    pub value_added_growth: f64,
    /// CO2 from all routes, t.
    pub co2_t: f64,
    /// Operating + feed + investment cost in the year, undiscounted, CNY.
    pub cost_cny: f64,
    /// Imported feed / all feed per metal, fraction (`null` when the metal draws no feed).
    pub import_dependence: BTreeMap<String, Option<f64>>,
}

/// Totals in the base year, from observed output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BaseYearTotals {
    /// The base year.
    pub year: Year,
    /// Ten-metal output, Mt.
    pub output_total_mt: f64,
    /// Recycled output counting toward the recycled total, Mt.
    pub recycled_mt: f64,
    /// Value added, CNY.
    pub value_added_cny: f64,
}

/// Builds the results of `solution` for `scenario`, whose model is `model`.
#[must_use]
pub fn build_results(
    scenario: &Scenario,
    model: &Model,
    solution: &Solution,
    plugins: &[PluginRules],
) -> PlanResult {
    let values = snapped_values(model, &solution.values);
    // Shadow prices are reported for cost and welfare, whose solve is final: for the others,
    // the cheapest-plan tie-break (a second solve) would make their meaning ambiguous. Welfare's
    // duals are turned into changes of cost (welfare falls as cost rises), so that every price
    // reads the same way whichever of the two was optimised.
    let cost_sign = if solution.objective == ObjectiveKind::Welfare {
        -1.0
    } else {
        1.0
    };
    let cost_duals: Option<Vec<f64>> = solution.objective.prices_rows().then(|| {
        solution
            .row_duals
            .iter()
            .map(|&dual| cost_sign * dual)
            .collect()
    });
    let duals = cost_duals.as_deref();
    let cost_objective: Vec<f64> = if solution.objective == ObjectiveKind::Welfare {
        model.objectives.welfare.iter().map(|&w| -w).collect()
    } else {
        Vec::new()
    };
    let objective_for_reduced_costs = if cost_objective.is_empty() {
        &model.objectives.cost
    } else {
        &cost_objective
    };
    let view = PlanView {
        scenario,
        model,
        values: &values,
        duals,
        shortfall_duals: solution.shortfall_row_duals.as_deref(),
        // Facility rows are reached by position instead (`facility_rows`): at plant scale they
        // are most of the rows, and a map by name would be the largest cost of reporting.
        row_index: model
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| !matches!(row.kind, RowKind::FacilityCapacity { .. }))
            .map(|(index, row)| (row.name.as_str(), index))
            .collect(),
        reduced_costs: duals.map(|duals| model.reduced_costs(objective_for_reduced_costs, duals)),
    };
    let objective_internal = model.objective_value(solution.objective, &values);
    PlanResult {
        status: "optimal".to_string(),
        scenario: scenario.name.clone(),
        metalplan_version: env!("CARGO_PKG_VERSION").to_string(),
        solver: solution.solver,
        objective_kind: solution.objective,
        objective: objective_internal * MILLION,
        objective_unit: solution.objective.unit().to_string(),
        plan: view.plan_rows(),
        feed: view.feed_rows(),
        shared_capacity: view.shared_rows(),
        targets: view.target_rows(),
        constraints: view.constraint_rows(),
        totals: view.totals(),
        base_year: view.base(),
        plugins: view.plugin_reports(plugins),
        facilities: view.facility_rows(),
        ranging: crate::ranging::report(scenario, model, solution.ranging.as_ref()),
        stages: view.stage_rows(),
        stage_use: view.stage_use_rows(),
        trade: view.trade_rows(),
        markets: view.market_rows(),
        demand: view.demand_rows(),
        import_dependence: view.import_dependence_rows(),
        grades: view.grade_rows(),
        recycled_inputs: view.recycled_input_rows(),
        power: view.power_rows(),
        power_sources: view.power_source_rows(),
        power_use: view.power_use_rows(),
        shocks: Vec::new(),
        overlays: Vec::new(),
        provenance: None,
    }
}

/// Reads a result written as JSON (or any JSON with `plan` rows) back, as a `role`.
pub fn read_result_file(
    file: &std::path::Path,
    role: ResultRole,
) -> Result<PlanResult, ResultFileError> {
    // Through the byte cap and file-type check of every input; a byte-order mark is dropped.
    let text = crate::files::read_capped(file, crate::files::ReadPolicy::default()).map_err(
        |failure| ResultFileError::Read {
            file: file.to_path_buf(),
            role,
            reason: match failure {
                crate::files::ReadFailure::Io(error) => error.to_string(),
                other => other.to_string(),
            },
        },
    )?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    PlanResult::deserialize(&mut deserializer)
        .and_then(|result| deserializer.end().map(|()| result))
        .map_err(|error| ResultFileError::NotAResult {
            file: file.to_path_buf(),
            role,
            reason: error.to_string(),
        })
}

fn snapped_values(model: &Model, values: &[f64]) -> Vec<f64> {
    model
        .columns
        .iter()
        .zip(values)
        .map(|(column, &value)| {
            if (value - column.lower).abs() <= SNAP_TOLERANCE {
                column.lower
            } else if (value - column.upper).abs() <= SNAP_TOLERANCE {
                column.upper
            } else {
                value
            }
        })
        .collect()
}

/// Reads plan quantities out of the column values.
struct PlanView<'a> {
    scenario: &'a Scenario,
    model: &'a Model,
    values: &'a [f64],
    /// Row duals (dV/d rhs, million CNY per unit), when shadow prices are reported.
    duals: Option<&'a [f64]>,
    /// With soft targets, the first stage's row duals (d least shortfall / d rhs, Mt-equivalent
    /// per unit).
    shortfall_duals: Option<&'a [f64]>,
    /// Row index by row name.
    row_index: BTreeMap<&'a str, usize>,
    /// `c - A^T y` for every column, when shadow prices are reported: one pass over the rows.
    reduced_costs: Option<Vec<f64>>,
}

impl PlanView<'_> {
    /// The dual of the row called `name`, in million CNY per unit of its right-hand side; for
    /// rows in Mt that is CNY per t.
    fn dual_of(&self, name: &str) -> Option<f64> {
        let duals = self.duals?;
        self.row_index.get(name).map(|&index| clean(duals[index]))
    }

    /// The first stage's dual of the row called `name` (soft targets only), in Mt-equivalent of
    /// weighted shortfall per unit of its right-hand side; for rows in Mt that is t per t.
    fn shortfall_dual_of(&self, name: &str) -> Option<f64> {
        let duals = self.shortfall_duals?;
        self.row_index.get(name).map(|&index| clean(duals[index]))
    }

    /// Reduced cost of a column: its cost less what its rows are worth at the duals
    /// (docs/model.md, "Shadow prices"), million CNY per unit of the column, i.e. CNY/t.
    fn reduced_cost(&self, key: VariableKey) -> Option<f64> {
        let reduced = self.reduced_costs.as_ref()?;
        self.model.column(key).map(|column| clean(reduced[column]))
    }

    fn value(&self, key: VariableKey) -> f64 {
        self.model
            .column(key)
            .map_or(0.0, |column| self.values[column])
    }

    fn output(&self, metal: usize, route: Route, year: Year) -> f64 {
        self.value(VariableKey::Output { metal, route, year })
    }

    fn feed(&self, metal: usize, source: FeedSource, year: Year) -> f64 {
        self.value(VariableKey::Feed {
            metal,
            source,
            year,
        })
    }

    fn built_up_to(&self, year: Year, key: impl Fn(Year) -> VariableKey) -> f64 {
        self.scenario
            .years
            .iter()
            .filter(|&&built| built <= year)
            .map(|&built| self.value(key(built)))
            .sum()
    }

    fn plan_rows(&self) -> Vec<PlanRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                for route in Route::ALL {
                    let Some(spec) = metal.route(route) else {
                        continue;
                    };
                    let build = |built| VariableKey::Build {
                        metal: metal_index,
                        route,
                        year: built,
                    };
                    rows.push(PlanRow {
                        metal: metal.name.clone(),
                        route,
                        year,
                        output_mt: self.output(metal_index, route, year),
                        capacity_mt: spec.capacity_mt.at(year) + self.built_up_to(year, build),
                        built_mt: self.value(build(year)),
                        capacity_shadow_price_cny_per_t: self
                            .dual_of(&format!("capacity[{},{route},{year}]", metal.name)),
                        reduced_cost_cny_per_t: self.reduced_cost(VariableKey::Output {
                            metal: metal_index,
                            route,
                            year,
                        }),
                    });
                }
            }
        }
        rows
    }

    fn facility_rows(&self) -> Vec<FacilityRow> {
        let facilities = &self.scenario.facilities;
        if facilities.is_empty() {
            return Vec::new();
        }
        let mut capacity_rows = BTreeMap::new();
        for (index, row) in self.model.rows.iter().enumerate() {
            if let (RowKind::FacilityCapacity { facility }, Some(year)) = (row.kind, row.year) {
                capacity_rows.insert((facility, year), index);
            }
        }
        let mut rows = Vec::new();
        for (facility_index, facility) in facilities.iter().enumerate() {
            let mut capacity = facility.capacity_mt;
            for &year in &self.scenario.years {
                if !facility.operates_in(year) {
                    continue;
                }
                let built = self.value(VariableKey::FacilityBuild {
                    facility: facility_index,
                    year,
                });
                capacity += built;
                rows.push(FacilityRow {
                    id: facility.id.clone(),
                    year,
                    output_mt: self.value(VariableKey::FacilityOutput {
                        facility: facility_index,
                        year,
                    }),
                    capacity_mt: capacity,
                    built_mt: built,
                    capacity_shadow_price_cny_per_t: self.duals.and_then(|duals| {
                        capacity_rows
                            .get(&(facility_index, year))
                            .map(|&row| clean(duals[row]))
                    }),
                });
            }
        }
        rows
    }

    fn feed_rows(&self) -> Vec<FeedRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                for route in Route::ALL {
                    let Some(spec) = metal.route(route) else {
                        continue;
                    };
                    for source in route.feed_sources() {
                        if let Some(feed) = spec.feed_source(source) {
                            rows.push(FeedRow {
                                metal: metal.name.clone(),
                                route,
                                source,
                                year,
                                feed_mt: self.feed(metal_index, source, year),
                                available_mt: feed.available_mt.at(year),
                                shadow_price_cny_per_t: self.dual_of(&format!(
                                    "feed_available[{},{source},{year}]",
                                    metal.name
                                )),
                            });
                        }
                    }
                }
            }
        }
        rows
    }

    fn shared_rows(&self) -> Vec<SharedCapacityRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            let Some(shared) = &metal.shared_capacity else {
                continue;
            };
            for &year in &self.scenario.years {
                let build = |built| VariableKey::SharedBuild {
                    metal: metal_index,
                    year: built,
                };
                rows.push(SharedCapacityRow {
                    metal: metal.name.clone(),
                    year,
                    output_mt: Route::ALL
                        .iter()
                        .map(|&route| self.output(metal_index, route, year))
                        .sum(),
                    capacity_mt: shared.capacity_mt.at(year) + self.built_up_to(year, build),
                    built_mt: self.value(build(year)),
                    shadow_price_cny_per_t: self
                        .dual_of(&format!("shared_capacity[{},{year}]", metal.name)),
                });
            }
        }
        rows
    }

    /// Ten-metal output in a planning year (`OT[y]` in docs/model.md), the primary metal drawn
    /// into recycled output counted once.
    fn output_total(&self, year: Year) -> f64 {
        self.route_total(year, |metal, route| {
            self.scenario.metals[metal]
                .route(route)
                .is_some_and(|spec| spec.counts_toward_output_total)
        }) - self.counted_twice(year)
    }

    /// Recycled output counting toward the national total (`RT[y]`).
    fn recycled_total(&self, year: Year) -> f64 {
        self.route_total(year, |metal, route| {
            route == Route::Recycled && counts_toward_recycled(self.scenario, metal)
        })
    }

    fn route_total(&self, year: Year, include: impl Fn(usize, Route) -> bool) -> f64 {
        let mut total = 0.0;
        for metal in 0..self.scenario.metals.len() {
            for route in Route::ALL {
                if include(metal, route) {
                    total += self.output(metal, route, year);
                }
            }
        }
        total
    }

    /// Value added in a planning year, million CNY (`V[y]`): routes, then stages.
    fn value_added(&self, year: Year) -> f64 {
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for route in Route::ALL {
                if let Some(spec) = metal.route(route) {
                    total +=
                        spec.value_added_cny_per_t.at(year) * self.output(metal_index, route, year);
                }
            }
        }
        total + self.stage_total(year, |stage| stage.value_added_cny_per_t.as_ref())
    }

    /// CO2 in a planning year, Mt (`E[y]`): routes, then stages.
    fn co2(&self, year: Year) -> f64 {
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for route in Route::ALL {
                if let Some(spec) = metal.route(route) {
                    total += spec.co2_t_per_t.at(year) * self.output(metal_index, route, year);
                }
            }
        }
        total
            + self.stage_total(year, |stage| stage.co2_t_per_t.as_ref())
            + self.alloying_co2(year)
            + self.power_co2(year)
    }

    /// Undiscounted cost in a year, million CNY.
    fn cost(&self, year: Year) -> f64 {
        let discount = (1.0 + self.scenario.discount_rate).powi(year - self.scenario.base_year);
        self.model
            .columns
            .iter()
            .zip(self.values)
            .zip(&self.model.objectives.cost)
            .filter(|((column, _), _)| column.key.year() == Some(year))
            .map(|((_, value), coefficient)| coefficient * value * discount)
            .sum()
    }

    fn base(&self) -> BaseYearTotals {
        let scenario = self.scenario;
        let mut totals = BaseYearTotals {
            year: scenario.base_year,
            output_total_mt: 0.0,
            recycled_mt: 0.0,
            value_added_cny: 0.0,
        };
        for (metal_index, metal) in scenario.metals.iter().enumerate() {
            for route in Route::ALL {
                let Some(spec) = metal.route(route) else {
                    continue;
                };
                let output = spec.base_output_mt.unwrap_or(0.0);
                if spec.counts_toward_output_total {
                    totals.output_total_mt += output;
                }
                if route == Route::Recycled && counts_toward_recycled(scenario, metal_index) {
                    totals.recycled_mt += output;
                }
                totals.value_added_cny +=
                    spec.value_added_cny_per_t.at(scenario.base_year) * output * MILLION;
            }
            for stage in &metal.stages {
                if let Some(value_added) = &stage.value_added_cny_per_t {
                    totals.value_added_cny += value_added.at(scenario.base_year)
                        * stage.base_output_mt.unwrap_or(0.0)
                        * MILLION;
                }
            }
        }
        totals.output_total_mt -= crate::model::counted_twice_in_base_year(scenario);
        totals
    }

    fn totals(&self) -> Vec<TotalsRow> {
        let base = self.base();
        let mut previous_output = base.output_total_mt;
        let mut previous_value_added = base.value_added_cny;
        let mut rows = Vec::new();
        for &year in &self.scenario.years {
            let output_total_mt = self.output_total(year);
            let value_added_cny = self.value_added(year) * MILLION;
            rows.push(TotalsRow {
                year,
                output_total_mt,
                output_growth: growth(output_total_mt, previous_output),
                recycled_mt: self.recycled_total(year),
                value_added_cny,
                value_added_growth: growth(value_added_cny, previous_value_added),
                co2_t: self.co2(year) * MILLION,
                cost_cny: self.cost(year) * MILLION,
                import_dependence: self
                    .scenario
                    .metals
                    .iter()
                    .enumerate()
                    .map(|(index, metal)| {
                        let feed = self.dependence(index, year, ImportDefinition::Feed);
                        (metal.name.clone(), feed.share())
                    })
                    .collect(),
            });
            previous_output = output_total_mt;
            previous_value_added = value_added_cny;
        }
        rows
    }

    /// The power of the process a clean-electricity floor names (none for other targets).
    fn target_power(
        &self,
        metal: Option<usize>,
        process: Option<Process>,
        year: Year,
    ) -> electricity::CleanPower {
        match (metal, process) {
            (Some(metal), Some(process)) => self.clean_power(metal, process, year),
            _ => electricity::CleanPower::default(),
        }
    }

    fn target_rows(&self) -> Vec<TargetRow> {
        let totals = self.totals();
        let base = self.base();
        let previous = |year: Year| totals.iter().find(|row| row.year == year - 1);
        let mut rows = Vec::new();
        for row in &self.model.rows {
            let RowKind::Target {
                target,
                metal,
                bound,
                definition,
                process,
            } = row.kind
            else {
                continue;
            };
            let measure = definition.unwrap_or(ImportDefinition::Feed);
            let Some(year) = row.year else {
                continue;
            };
            let Some(current) = totals.iter().find(|totals| totals.year == year) else {
                continue;
            };
            let (previous_output, previous_value_added) = previous(year)
                .map_or((base.output_total_mt, base.value_added_cny), |row| {
                    (row.output_total_mt, row.value_added_cny)
                });
            let mut binding = self.binds(&row.terms, row.rhs);
            let (value, unit) = match target {
                TargetKind::RecycledOutputMin => (current.recycled_mt, "Mt"),
                TargetKind::OutputGrowthMin | TargetKind::OutputGrowthMax => {
                    (growth(current.output_total_mt, previous_output), "fraction")
                }
                TargetKind::ValueAddedGrowthMin => (
                    growth(current.value_added_cny, previous_value_added),
                    "fraction",
                ),
                TargetKind::ImportDependenceMax => {
                    let dependence =
                        metal.and_then(|metal| self.dependence(metal, year, measure).share());
                    // The linearised row (M12) reads 0 <= 0 when there is nothing to take a
                    // share of; the cap then holds trivially and does not bind.
                    binding &= dependence.is_some();
                    (dependence.unwrap_or(0.0), "fraction")
                }
                TargetKind::Co2Max => (current.co2_t / MILLION, "Mt CO2"),
                TargetKind::CleanElectricityMin => {
                    let share = self.target_power(metal, process, year).share();
                    // Like a dependence cap, the row reads 0 >= 0 without power: no binding.
                    binding &= share.is_some();
                    (share.unwrap_or(0.0), "fraction")
                }
            };
            // dV/d(bound) in user units (docs/model.md, "Shadow prices"). Growth and dependence
            // bounds sit in coefficients, so their price scales the row dual by what the bound
            // multiplies: the previous year's total, or the metal's feed. The first stage's
            // dual (least shortfall, Mt-equivalent) scales the same way, from Mt to t.
            let (factor, per) = self.bound_scale(
                target,
                (metal, process, measure, year),
                previous_output,
                previous_value_added,
            );
            let shadow_price = self.dual_of(&row.name).map(|dual| dual * factor);
            let shadow_price_unit = format!("CNY per {per}");
            let shortfall_shadow_price =
                self.shortfall_dual_of(&row.name).map(|dual| dual * factor);
            // Missed, the plan does not sit on the bound: the shortfall column closes the gap.
            let shortfall = self
                .scenario
                .soft_targets
                .then(|| shortfall(row.sense, value, bound));
            if shortfall.is_some_and(|shortfall| shortfall > 0.0) {
                binding = false;
            }
            rows.push(TargetRow {
                name: target,
                metal: metal.map(|metal| self.scenario.metals[metal].name.clone()),
                definition,
                process: metal.zip(process).map(|(metal, process)| {
                    crate::model::process_name(&self.scenario.metals[metal], process).to_string()
                }),
                year,
                value,
                bound,
                sense: row.sense,
                binding,
                unit: unit.to_string(),
                shadow_price,
                shadow_price_unit,
                shortfall,
                shortfall_shadow_price_unit: shortfall_shadow_price
                    .is_some()
                    .then(|| format!("t per {per}")),
                shortfall_shadow_price,
            });
        }
        rows
    }

    /// What a target's row dual is multiplied by to read per unit of its bound, and that unit:
    /// 1 for bounds in Mt, or what the bound multiplies in the row (docs/model.md, "Shadow
    /// prices") times one percentage point, in CNY (or t) per million.
    fn bound_scale(
        &self,
        target: TargetKind,
        (metal, process, measure, year): (Option<usize>, Option<Process>, ImportDefinition, Year),
        previous_output: f64,
        previous_value_added: f64,
    ) -> (f64, &'static str) {
        match target {
            TargetKind::RecycledOutputMin => (1.0, "t"),
            TargetKind::Co2Max => (1.0, "t CO2"),
            TargetKind::OutputGrowthMin | TargetKind::OutputGrowthMax => (
                previous_output * PERCENTAGE_POINT * MILLION,
                "percentage point",
            ),
            // previous_value_added is in CNY; the row counts million CNY.
            TargetKind::ValueAddedGrowthMin => {
                (previous_value_added * PERCENTAGE_POINT, "percentage point")
            }
            TargetKind::ImportDependenceMax => {
                let whole = metal.map_or(0.0, |metal| self.dependence(metal, year, measure).whole);
                (whole * PERCENTAGE_POINT * MILLION, "percentage point")
            }
            // The floor multiplies the process's power (TWh): one point more is 1 % of it.
            TargetKind::CleanElectricityMin => {
                let all = self.target_power(metal, process, year).all_twh;
                (all * PERCENTAGE_POINT * MILLION, "percentage point")
            }
        }
    }

    /// The rows of the scenario's rules (M20), in scenario order, year by year.
    fn constraint_rows(&self) -> Vec<ConstraintRow> {
        let sum = |terms: &[(VariableKey, f64)]| -> f64 {
            terms
                .iter()
                .map(|&(key, coefficient)| {
                    coefficient
                        * self
                            .model
                            .column(key)
                            .map_or(0.0, |column| self.values[column])
                })
                .sum()
        };
        let mut rows = Vec::new();
        for expanded in expand_constraints(self.scenario) {
            let rule = &self.scenario.constraints[expanded.constraint];
            let name = user_row_name(&rule.name, expanded.year);
            let Some(&index) = self.row_index.get(name.as_str()) else {
                continue;
            };
            let row = &self.model.rows[index];
            let dual = self.dual_of(&name);
            let first_stage_dual = self.shortfall_dual_of(&name);
            let mut binding = self.binds(&row.terms, row.rhs);
            let part = sum(&expanded.part);
            let (value, bound, unit, whole, shadow_price, shadow_price_unit) = match &expanded.whole
            {
                // A rule over power alone counts TWh; a dual in million CNY per TWh is CNY
                // per MWh, as one in million CNY per Mt is CNY per t.
                None if rule.counts_power_only() => {
                    (part, expanded.rhs, "TWh", None, dual, "CNY per MWh")
                }
                None => (part, expanded.rhs, "Mt", None, dual, "CNY per t"),
                Some((share, terms)) => {
                    let whole = sum(terms);
                    // As for import dependence: with nothing to take a share of, the row
                    // reads `terms >= 0` and the share neither binds nor has a value.
                    binding &= whole > 0.0;
                    let value = if whole > 0.0 { part / whole } else { 0.0 };
                    // The share multiplies `of` in the row: dV/d share = dual x whole
                    // (docs/model.md, "Shadow prices").
                    let price = dual.map(|dual| dual * whole * PERCENTAGE_POINT * MILLION);
                    (
                        value,
                        *share,
                        "fraction",
                        Some(whole),
                        price,
                        "CNY per percentage point",
                    )
                }
            };
            let soft = self.scenario.soft_targets && row.sense != Sense::Equal;
            let shortfall = soft.then(|| shortfall(row.sense, value, bound));
            // The first stage's dual scales like the cost stage's: per t (Mt rows), per MWh
            // (power rows: Mt per TWh is t per MWh), per percentage point of a share.
            let (shortfall_shadow_price, shortfall_unit) = match &expanded.whole {
                None if rule.counts_power_only() => (first_stage_dual, "t per MWh"),
                None => (first_stage_dual, "t per t"),
                Some((_, terms)) => (
                    first_stage_dual.map(|dual| dual * sum(terms) * PERCENTAGE_POINT * MILLION),
                    "t per percentage point",
                ),
            };
            let shortfall_shadow_price = shortfall_shadow_price.filter(|_| soft);
            if shortfall.is_some_and(|shortfall| shortfall > 0.0) {
                binding = false;
            }
            rows.push(ConstraintRow {
                name: rule.name.clone(),
                row: name,
                year: expanded.year,
                value,
                bound,
                sense: row.sense,
                binding,
                unit: unit.to_string(),
                part_mt: whole.map(|_| part),
                whole_mt: whole,
                shadow_price,
                shadow_price_unit: shadow_price_unit.to_string(),
                row_shadow_price_cny_per_t: dual,
                shortfall,
                shortfall_shadow_price_unit: shortfall_shadow_price
                    .is_some()
                    .then(|| shortfall_unit.to_string()),
                shortfall_shadow_price,
            });
        }
        rows
    }

    fn plugin_reports(&self, plugins: &[PluginRules]) -> Vec<PluginReport> {
        plugins
            .iter()
            .enumerate()
            .map(|(index, plugin)| PluginReport {
                name: plugin.name.clone(),
                version: plugin.version.clone(),
                path: plugin.path.display().to_string(),
                constraints: self
                    .model
                    .rows
                    .iter()
                    .filter(|row| row.kind == RowKind::Plugin { plugin: index })
                    .map(|row| PluginConstraintRow {
                        name: row.name.clone(),
                        year: row.year,
                        value: row
                            .terms
                            .iter()
                            .map(|&(column, coefficient)| coefficient * self.values[column])
                            .sum(),
                        bound: row.rhs,
                        sense: row.sense,
                        binding: self.binds(&row.terms, row.rhs),
                        shadow_price: self.dual_of(&row.name),
                    })
                    .collect(),
                variables: plugin
                    .contribution
                    .variables
                    .iter()
                    .enumerate()
                    .map(|(variable, declared)| PluginVariableRow {
                        name: declared.name.clone(),
                        value: self.value(VariableKey::Plugin {
                            plugin: index,
                            index: variable,
                        }),
                    })
                    .collect(),
                figures: plugin.contribution.figures.clone(),
            })
            .collect()
    }

    /// Whether the row's activity sits on its right-hand side, relative to the row's magnitude.
    fn binds(&self, terms: &[(usize, f64)], rhs: f64) -> bool {
        let mut activity = 0.0;
        let mut magnitude = rhs.abs().max(1.0);
        for &(column, coefficient) in terms {
            let term = coefficient * self.values[column];
            activity += term;
            magnitude = magnitude.max(term.abs());
        }
        (activity - rhs).abs() <= BINDING_TOLERANCE * magnitude
    }
}

/// How far `value` misses `bound` in the row's direction; 0 when met, within solver tolerance.
fn shortfall(sense: Sense, value: f64, bound: f64) -> f64 {
    let missed = match sense {
        Sense::AtLeast => bound - value,
        Sense::AtMost | Sense::Equal => value - bound,
    };
    if missed > BINDING_TOLERANCE * bound.abs().max(1.0) {
        missed
    } else {
        0.0
    }
}

/// One percentage point, as a fraction.
const PERCENTAGE_POINT: f64 = 0.01;

/// Solver noise around zero reported as zero, so a slack row does not show a price of 1e-13.
fn clean(value: f64) -> f64 {
    if value.abs() < 1e-9 {
        0.0
    } else {
        value
    }
}

/// `current / previous - 1`, or 0 when there is nothing to grow from.
fn growth(current: f64, previous: f64) -> f64 {
    if previous > 0.0 {
        current / previous - 1.0
    } else {
        0.0
    }
}

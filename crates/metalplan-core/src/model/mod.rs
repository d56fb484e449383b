//! Builds the planning linear program from a validated scenario.
//!
//! The program is held as plain sparse data ([`Model`]): named columns with bounds, named rows
//! with coefficients, and one objective vector per objective kind. Solvers receive this one
//! definition; nothing else formulates the model. Every row and column is described in
//! `docs/model.md`, whose equation labels (M1, M2, ...) the comments below cite.
//!
//! The builder is split along the sections of `docs/model.md`: [`columns`] (Variables),
//! [`balances`] (M1, M2, M22), [`capacities`] (M3, M4, M21), [`targets`] (M6-M13, M19),
//! [`objectives`] (M14-M17), [`user`] (M20, the scenario's `[[constraints]]`), [`plugin`]
//! (M18, checked plugin rules), [`market`] (M23-M28), [`recycling`] (M30, M34-M36) and
//! [`electricity`] (M31-M33).
//!
//! Units inside the program: quantities in Mt (million tonnes), money in million CNY
//! (Mt x CNY/t), CO2 in Mt. Results convert back to the units in the scenario's field names.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

mod balances;
mod capacities;
mod columns;
mod electricity;
pub mod fields;
mod market;
mod objectives;
mod plugin;
mod recycling;
mod size;
mod targets;
mod user;

pub(crate) use crate::variable::power_users;
pub use crate::variable::process_name;
pub(crate) use capacities::build_limit_allowed;
pub use columns::material_name;
pub(crate) use market::{metal_content, process_inputs, processes, trade_material};
pub use objectives::discount_factor;
pub(crate) use recycling::addition_outputs;
pub(crate) use targets::{counted_twice_in_base_year, named_process};
pub use targets::{counts_toward_recycled, target_keys, target_row_name, TargetKey};
pub use user::user_row_name;

pub use crate::scenario::Sense;
use crate::scenario::{FeedSource, ImportDefinition, Route, Scenario, Year};
pub use crate::variable::{Material, Process, VariableKey};

/// What the plan optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// Minimise operating + feed + investment cost (the default).
    #[default]
    Cost,
    /// Minimise CO2 from all routes over the horizon.
    Emissions,
    /// Minimise imported feed (concentrate and scrap) over the horizon.
    Imports,
    /// Maximise value added over the horizon.
    ValueAdded,
    /// Maximise welfare: consumers' willingness to pay for what they take (demand blocks) plus
    /// export revenue, less every cost (M29).
    Welfare,
}

impl ObjectiveKind {
    /// The key used on the command line and in results.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            ObjectiveKind::Cost => "cost",
            ObjectiveKind::Emissions => "emissions",
            ObjectiveKind::Imports => "imports",
            ObjectiveKind::ValueAdded => "value_added",
            ObjectiveKind::Welfare => "welfare",
        }
    }

    /// Whether the solver maximises this objective.
    #[must_use]
    pub fn maximises(self) -> bool {
        matches!(self, ObjectiveKind::ValueAdded | ObjectiveKind::Welfare)
    }

    /// Whether the plan is the optimum of this objective alone (no least-cost tie-break after
    /// it), so that row duals are its prices: cost, and welfare, which holds every cost already.
    #[must_use]
    pub fn prices_rows(self) -> bool {
        matches!(self, ObjectiveKind::Cost | ObjectiveKind::Welfare)
    }

    /// The unit the objective is reported in.
    #[must_use]
    pub fn unit(self) -> &'static str {
        match self {
            ObjectiveKind::Cost | ObjectiveKind::ValueAdded | ObjectiveKind::Welfare => "CNY",
            ObjectiveKind::Emissions => "t CO2",
            ObjectiveKind::Imports => "t",
        }
    }
}

impl fmt::Display for ObjectiveKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One column of the program.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Readable name, e.g. `output[copper,recycled,2025]`.
    pub name: String,
    /// What it stands for.
    pub key: VariableKey,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound (`f64::INFINITY` when unbounded).
    pub upper: f64,
}

/// The national targets a row can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Recycled output floor (M8).
    RecycledOutputMin,
    /// Ten-metal output growth floor (M9).
    OutputGrowthMin,
    /// Ten-metal output growth ceiling (M10).
    OutputGrowthMax,
    /// Value-added growth floor (M11).
    ValueAddedGrowthMin,
    /// Import-dependence cap of one metal (M12).
    ImportDependenceMax,
    /// CO2 cap (M13).
    Co2Max,
    /// Floor on the clean share of one process's electricity (M33).
    CleanElectricityMin,
}

impl TargetKind {
    /// The key used in results; the scenario field is `targets.<key>` (plus its unit suffix).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            TargetKind::RecycledOutputMin => "recycled_output_min",
            TargetKind::OutputGrowthMin => "output_growth_min",
            TargetKind::OutputGrowthMax => "output_growth_max",
            TargetKind::ValueAddedGrowthMin => "value_added_growth_min",
            TargetKind::ImportDependenceMax => "import_dependence_max",
            TargetKind::Co2Max => "co2_max",
            TargetKind::CleanElectricityMin => "clean_electricity_min",
        }
    }
}

/// What a row expresses, so results can report it in the planner's terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowKind {
    /// Output equals recovered feed (M1).
    FeedBalance {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
    },
    /// Feed drawn at most the feed available (M2).
    FeedAvailable {
        /// Index of the metal.
        metal: usize,
        /// The source.
        source: FeedSource,
    },
    /// Route output within existing plus built capacity (M3).
    Capacity {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
    },
    /// Primary + recycled output within the shared capacity (M4).
    SharedCapacity {
        /// Index of the metal.
        metal: usize,
    },
    /// The metal's total output at least its floor (M6).
    MetalOutputMin {
        /// Index of the metal.
        metal: usize,
    },
    /// The metal's total output at most its ceiling (M7).
    MetalOutputMax {
        /// Index of the metal.
        metal: usize,
    },
    /// A facility's output within its capacity plus its expansions so far (M21).
    FacilityCapacity {
        /// Index into `Scenario::facilities`.
        facility: usize,
    },
    /// A route with facilities produces exactly the sum of their outputs (M22).
    FacilityTotal {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
    },
    /// A stage makes exactly what its inputs used give (M23).
    StageInput {
        /// Index of the metal.
        metal: usize,
        /// Index of the stage.
        stage: usize,
    },
    /// A stage's output within existing plus built capacity (M24).
    StageCapacity {
        /// Index of the metal.
        metal: usize,
        /// Index of the stage.
        stage: usize,
    },
    /// A material's market clears: made plus imported equals used plus exported (M25), or for
    /// the refined metal, made plus imported equals consumed plus exported plus stocked (M26).
    /// Its dual is the material's price.
    Market {
        /// Index of the metal.
        metal: usize,
        /// The material.
        material: Material,
    },
    /// Consumption is the fixed demand, or the sum of the demand blocks taken (M27).
    Demand {
        /// Index of the metal.
        metal: usize,
    },
    /// The primary metal a recycled route draws comes from the primary route (M30).
    PrimaryInput {
        /// Index of the metal.
        metal: usize,
    },
    /// A process draws the electricity its output needs from the sources (M31).
    PowerBalance {
        /// Index of the metal.
        metal: usize,
        /// The route or stage.
        process: Process,
    },
    /// A power source supplies at most what it has (M32).
    PowerAvailable {
        /// Index of the source in `electricity.sources`.
        source: usize,
    },
    /// The recycled route makes what its products make (M34).
    ProductTotal {
        /// Index of the metal.
        metal: usize,
    },
    /// A product is the scrap metal recovered for it plus its additions (M34).
    ProductBalance {
        /// Index of the metal.
        metal: usize,
        /// Index of the product.
        product: usize,
    },
    /// A scrap grade drawn at most what is available (M35).
    GradeAvailable {
        /// Index of the metal.
        metal: usize,
        /// Index of the grade (name order).
        grade: usize,
    },
    /// Metal recovered from a grade at most its share of a product (M36).
    GradeShare {
        /// Index of the metal.
        metal: usize,
        /// Index of the grade (name order).
        grade: usize,
        /// Index of the product.
        product: usize,
    },
    /// A constraint a plugin added (M18).
    Plugin {
        /// Index of the plugin in [`Model::plugins`].
        plugin: usize,
    },
    /// A national target (M8-M13).
    Target {
        /// Which target.
        target: TargetKind,
        /// The metal, for per-metal targets.
        metal: Option<usize>,
        /// The target's bound in user units (a growth rate, a fraction, Mt).
        bound: f64,
        /// How an import-dependence cap with a stated definition measures dependence.
        definition: Option<ImportDefinition>,
        /// The route or stage, for a clean-electricity floor.
        process: Option<Process>,
    },
    /// A rule from the scenario's `[[constraints]]` (M20).
    User {
        /// Index of the rule in `Scenario::constraints`.
        constraint: usize,
    },
}

/// One row of the program: `sum(coefficient * column) sense rhs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Readable name, e.g. `capacity[copper,primary,2025]`.
    pub name: String,
    /// What the row expresses.
    pub kind: RowKind,
    /// The year the row belongs to (plugin rows may have none).
    pub year: Option<Year>,
    /// Sparse coefficients: (column index, coefficient).
    pub terms: Vec<(usize, f64)>,
    /// Direction.
    pub sense: Sense,
    /// Right-hand side.
    pub rhs: f64,
}

/// The planning linear program.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Columns, in creation order (metal, year, route, ...).
    pub columns: Vec<Column>,
    /// Rows, in creation order.
    pub rows: Vec<Row>,
    /// Column index by key, for every column but the facilities' (see `facility_columns`).
    /// (A hash map: lookups only, never iterated, and it stays O(1) at plant scale, where a
    /// B-tree made model construction grow faster than the model.)
    pub index: HashMap<VariableKey, usize>,
    /// The facilities' columns by position, not by hash: at plant scale they are nearly all
    /// the columns, and a million random hash-map inserts were a third of model construction.
    pub facility_columns: FacilityColumns,
    /// Objective coefficients for every objective kind, dense over columns.
    pub objectives: ObjectiveVectors,
    /// Names of the plugins whose rules were added, in order.
    pub plugins: Vec<String>,
}

/// One dense coefficient vector per objective kind, in internal units (M14-M17).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectiveVectors {
    /// Discounted cost, million CNY.
    pub cost: Vec<f64>,
    /// CO2, Mt.
    pub emissions: Vec<f64>,
    /// Imported feed, Mt.
    pub imports: Vec<f64>,
    /// Value added, million CNY.
    pub value_added: Vec<f64>,
    /// Weighted target shortfall (soft targets only; all zero otherwise), Mt-equivalent.
    pub shortfall: Vec<f64>,
    /// Discounted welfare, million CNY: consumers' willingness to pay and export revenue, less
    /// `cost` (kept as such wherever a cost is set or added).
    pub welfare: Vec<f64>,
}

impl ObjectiveVectors {
    /// Room for `columns` more columns.
    fn reserve(&mut self, columns: usize) {
        for vector in [
            &mut self.cost,
            &mut self.emissions,
            &mut self.imports,
            &mut self.value_added,
            &mut self.shortfall,
            &mut self.welfare,
        ] {
            vector.reserve(columns);
        }
    }

    /// Adds a column with no objective coefficient anywhere.
    pub(crate) fn push_zero(&mut self) {
        self.cost.push(0.0);
        self.emissions.push(0.0);
        self.imports.push(0.0);
        self.value_added.push(0.0);
        self.shortfall.push(0.0);
        self.welfare.push(0.0);
    }

    /// Sets `column`'s coefficient in every objective but the shortfall.
    fn set(&mut self, column: usize, costs: objectives::ColumnCosts) {
        self.cost[column] = costs.cost;
        self.emissions[column] = costs.emissions;
        self.imports[column] = costs.imports;
        self.value_added[column] = costs.value_added;
        self.welfare[column] = costs.revenue - costs.cost;
    }

    /// Sets `column`'s cost (and so its welfare, which holds its negative).
    pub(crate) fn set_cost(&mut self, column: usize, cost: f64) {
        self.cost[column] = cost;
        self.welfare[column] = -cost;
    }

    /// Adds `cost` to `column`'s cost (and takes it from its welfare).
    pub(crate) fn add_cost(&mut self, column: usize, cost: f64) {
        self.cost[column] += cost;
        self.welfare[column] -= cost;
    }

    /// The vector for `kind`.
    #[must_use]
    pub fn get(&self, kind: ObjectiveKind) -> &[f64] {
        match kind {
            ObjectiveKind::Cost => &self.cost,
            ObjectiveKind::Emissions => &self.emissions,
            ObjectiveKind::Imports => &self.imports,
            ObjectiveKind::ValueAdded => &self.value_added,
            ObjectiveKind::Welfare => &self.welfare,
        }
    }
}

/// Internal units per reported unit: the program counts Mt and million CNY.
pub const MILLION: f64 = 1e6;

impl Model {
    /// Builds the program for a scenario that passed [`crate::scenario::validate`], for the
    /// cost objective (as every objective but welfare: see [`Model::build_for`]).
    #[must_use]
    pub fn build(scenario: &Scenario) -> Model {
        Model::build_for(scenario, ObjectiveKind::Cost)
    }

    /// Builds the program for `objective`. The objective matters only where a metal has demand
    /// blocks: under welfare each block is taken from nothing up to its quantity; under every
    /// other objective every block is taken whole, so consumption is the reference demand
    /// (docs/model.md, M28).
    #[must_use]
    pub fn build_for(scenario: &Scenario, objective: ObjectiveKind) -> Model {
        // At plant scale facilities are nearly all of the model: size the containers for them
        // instead of growing them a million entries at a time (each growth copies what is there).
        let facility_columns: usize = scenario
            .facilities
            .iter()
            .map(|facility| {
                let years = scenario.years.iter().filter(|&&y| facility.operates_in(y));
                years.count()
                    * if facility.max_build_mt_per_year > 0.0 {
                        2
                    } else {
                        1
                    }
            })
            .sum();
        let mut builder = Builder {
            scenario,
            elastic_demand: objective == ObjectiveKind::Welfare,
            model: Model {
                columns: Vec::new(),
                // One capacity row per facility-year, fewer than its columns: room for the
                // national rows too.
                rows: Vec::with_capacity(facility_columns),
                index: HashMap::new(),
                facility_columns: FacilityColumns::default(),
                objectives: ObjectiveVectors::default(),
                plugins: Vec::new(),
            },
        };
        builder.columns();
        // Reserved after the national columns, so the facility ones fit without a regrowth.
        builder.model.columns.reserve(facility_columns);
        builder.model.objectives.reserve(facility_columns);
        builder.facility_columns();
        builder.technical_rows();
        builder.power_available_rows();
        builder.facility_capacity_rows();
        builder.facility_total_rows();
        builder.target_rows();
        builder.user_rows();
        if scenario.soft_targets {
            builder.shortfalls();
        }
        builder.model
    }

    /// The column of `key`, if the model has one.
    #[must_use]
    pub fn column(&self, key: VariableKey) -> Option<usize> {
        match key {
            VariableKey::FacilityOutput { facility, year } => self
                .facility_columns
                .get(facility, year)
                .map(|(output, _)| output),
            VariableKey::FacilityBuild { facility, year } => self
                .facility_columns
                .get(facility, year)
                .and_then(|(_, build)| build),
            _ => self.index.get(&key).copied(),
        }
    }

    /// Reduced costs `d = c - A^T y` of every column, for objective coefficients `objective`
    /// and row duals `row_duals` (the change in that objective per unit of right-hand side).
    #[must_use]
    pub fn reduced_costs(&self, objective: &[f64], row_duals: &[f64]) -> Vec<f64> {
        let mut reduced = objective.to_vec();
        for (row, dual) in self.rows.iter().zip(row_duals) {
            for &(column, coefficient) in &row.terms {
                reduced[column] -= coefficient * dual;
            }
        }
        reduced
    }

    /// The objective value of `values` for `kind`, in internal units.
    #[must_use]
    pub fn objective_value(&self, kind: ObjectiveKind, values: &[f64]) -> f64 {
        self.objectives
            .get(kind)
            .iter()
            .zip(values)
            .map(|(coefficient, value)| coefficient * value)
            .sum()
    }
}

/// Each facility's output column and, if it may expand, its build column, per planning year
/// it operates in: a dense table, facility by facility, year by year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FacilityColumns {
    /// The planning years, in order: position `p` of a facility's block is `years[p]`.
    years: Vec<Year>,
    /// `facilities x years` entries.
    table: Vec<Option<(usize, Option<usize>)>>,
}

impl FacilityColumns {
    /// The (output, build) columns of `facility` in the year at `position`.
    fn at(&self, facility: usize, position: usize) -> Option<(usize, Option<usize>)> {
        self.table
            .get(facility * self.years.len() + position)
            .copied()
            .flatten()
    }

    /// The (output, build) columns of `facility` in `year`.
    fn get(&self, facility: usize, year: Year) -> Option<(usize, Option<usize>)> {
        let position = self.years.iter().position(|&y| y == year)?;
        self.at(facility, position)
    }
}

struct Builder<'s> {
    scenario: &'s Scenario,
    /// Whether demand blocks are decisions (welfare) or taken whole (every other objective).
    elastic_demand: bool,
    model: Model,
}

impl Builder<'_> {
    fn discount(&self, year: Year) -> f64 {
        discount_factor(self.scenario, year)
    }

    fn push_row(
        &mut self,
        name: String,
        kind: RowKind,
        year: Year,
        row: (Vec<(usize, f64)>, Sense, f64),
    ) {
        let (terms, sense, rhs) = row;
        self.model.rows.push(Row {
            name,
            kind,
            year: Some(year),
            terms,
            sense,
            rhs,
        });
    }

    /// Rows M1-M7 and M23-M28, metal by metal, year by year, route by route: feed balance and
    /// availability (`balances`), capacities (`capacities`), the metal's output bounds
    /// (`targets`), its stages, markets and demand (`market`).
    fn technical_rows(&mut self) {
        for metal in 0..self.scenario.metals.len() {
            for &year in &self.scenario.years {
                for route in Route::ALL {
                    if let Some(output) = self.output(metal, route, year) {
                        self.feed_rows(metal, route, year, output);
                        self.route_capacity_row(metal, route, year, output);
                    }
                }
                let total: Vec<(usize, f64)> = Route::ALL
                    .iter()
                    .filter_map(|&route| self.output(metal, route, year))
                    .map(|column| (column, 1.0))
                    .collect();
                self.shared_capacity_row(metal, year, &total);
                self.output_bound_rows(metal, year, &total);
                // The refined market is supplied by the routes less the primary metal drawn into
                // recycled output (M26, M30).
                let mut supply = total.clone();
                supply.extend(
                    self.primary_draw_terms(metal, year)
                        .into_iter()
                        .map(|(column, ratio)| (column, -ratio)),
                );
                self.market_rows(metal, year, &merged(supply));
                self.primary_input_row(metal, year);
                self.power_balance_rows(metal, year);
            }
        }
    }
}

/// `terms` with the coefficients of a column named more than once added up, in the order of
/// first appearance (a solver takes each column once per row). Linear time: growth rows hold
/// every facility's column at plant scale.
fn merged(terms: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
    let mut position: HashMap<usize, usize> = HashMap::with_capacity(terms.len());
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(terms.len());
    for (column, coefficient) in terms {
        if let Some(&at) = position.get(&column) {
            out[at].1 += coefficient;
        } else {
            position.insert(column, out.len());
            out.push((column, coefficient));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse_scenario, SourceFormat};

    const SCENARIO: &str = r#"
base_year = 2024
years = [2025, 2026]
[targets]
output_growth_min = 0.02
value_added_growth_min = { 2026 = 0.05 }
[[metals]]
name = "m"
[metals.primary]
base_output_mt = 10.0
capacity_mt = 11.0
max_build_mt_per_year = 1.0
investment_cny_per_t = 100
operating_cost_cny_per_t = 10
value_added_cny_per_t = { 2024 = 5, 2025 = 6, 2026 = 7 }
co2_t_per_t = 2.0
feed.domestic_ore = { available_mt = 20.0, cost_cny_per_t = 50, recovery = 0.5 }
"#;

    fn model() -> (Scenario, Model) {
        let loaded = parse_scenario(
            SCENARIO.to_string(),
            std::path::Path::new("t.toml"),
            SourceFormat::Toml,
        )
        .unwrap();
        let model = Model::build(&loaded.scenario);
        (loaded.scenario, model)
    }

    fn row<'m>(model: &'m Model, name: &str) -> &'m Row {
        model.rows.iter().find(|row| row.name == name).unwrap()
    }

    #[test]
    fn capacity_counts_builds_of_earlier_years_only() {
        let (_, model) = model();
        let build_2025 = model
            .column(VariableKey::Build {
                metal: 0,
                route: Route::Primary,
                year: 2025,
            })
            .unwrap();
        let build_2026 = model
            .column(VariableKey::Build {
                metal: 0,
                route: Route::Primary,
                year: 2026,
            })
            .unwrap();
        let in_2025: Vec<usize> = row(&model, "capacity[m,primary,2025]")
            .terms
            .iter()
            .map(|&(column, _)| column)
            .collect();
        assert!(in_2025.contains(&build_2025) && !in_2025.contains(&build_2026));
        let in_2026 = &row(&model, "capacity[m,primary,2026]").terms;
        assert!(in_2026.contains(&(build_2025, -1.0)) && in_2026.contains(&(build_2026, -1.0)));
        assert_eq!(model.columns[build_2025].upper, 1.0);
    }

    #[test]
    fn growth_compares_with_observed_base_then_with_the_plan() {
        let (_, model) = model();
        let first = row(&model, "output_growth_min[2025]");
        assert_eq!(first.terms.len(), 1);
        assert!((first.rhs - 1.02 * 10.0).abs() < 1e-12);
        let second = row(&model, "output_growth_min[2026]");
        assert_eq!(second.rhs, 0.0);
        let output_2025 = model
            .column(VariableKey::Output {
                metal: 0,
                route: Route::Primary,
                year: 2025,
            })
            .unwrap();
        assert!(second.terms.contains(&(output_2025, -1.02)));
        // Value added uses each year's own value added per tonne; 2025 has no target.
        assert!(model
            .rows
            .iter()
            .all(|row| row.name != "value_added_growth_min[2025]"));
        let value_added = row(&model, "value_added_growth_min[2026]");
        assert!(value_added.terms.contains(&(output_2025, -1.05 * 6.0)));
    }

    #[test]
    fn feed_balance_uses_recovery_and_costs_are_per_tonne() {
        let (_, model) = model();
        let balance = row(&model, "feed_balance[m,primary,2025]");
        let feed = model
            .column(VariableKey::Feed {
                metal: 0,
                source: FeedSource::DomesticOre,
                year: 2025,
            })
            .unwrap();
        assert!(balance.terms.contains(&(feed, -0.5)));
        assert_eq!(model.objectives.cost[feed], 50.0);
        assert_eq!(model.objectives.imports[feed], 0.0);
    }
}

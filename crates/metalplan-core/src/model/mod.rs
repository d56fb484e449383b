//! Builds the planning linear program from a validated scenario.
//!
//! The program is held as plain sparse data ([`Model`]): named columns with bounds, named rows
//! with coefficients, and one objective vector per objective kind. Solvers receive this one
//! definition; nothing else formulates the model. Every row and column is described in
//! `docs/model.md`, whose equation labels (M1, M2, ...) the comments below cite.
//!
//! Units inside the program: quantities in Mt (million tonnes), money in million CNY
//! (Mt x CNY/t), CO2 in Mt. Results convert back to the units in the scenario's field names.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

mod plugin;
mod user;

pub(crate) use plugin::{wire_feed_source, wire_route};
pub use user::{column_of, row_sense, user_row_name};

use crate::scenario::{CapacityView, FeedSource, PerYear, Route, Scenario, Year};

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
        }
    }

    /// Whether the solver maximises this objective.
    #[must_use]
    pub fn maximises(self) -> bool {
        self == ObjectiveKind::ValueAdded
    }

    /// The unit the objective is reported in.
    #[must_use]
    pub fn unit(self) -> &'static str {
        match self {
            ObjectiveKind::Cost | ObjectiveKind::ValueAdded => "CNY",
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

/// Which decision a column stands for; metals are indices into `Scenario::metals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VariableKey {
    /// Output of one route of one metal in one year, Mt.
    Output {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
        /// The year.
        year: Year,
    },
    /// Feed drawn from one source, Mt of contained metal.
    Feed {
        /// Index of the metal.
        metal: usize,
        /// The source.
        source: FeedSource,
        /// The year.
        year: Year,
    },
    /// Route capacity commissioned in a year, Mt per year.
    Build {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
        /// The year.
        year: Year,
    },
    /// Shared (primary + recycled) capacity commissioned in a year, Mt per year.
    SharedBuild {
        /// Index of the metal.
        metal: usize,
        /// The year.
        year: Year,
    },
    /// Output of one facility in one year, Mt (M21).
    FacilityOutput {
        /// Index into `Scenario::facilities`.
        facility: usize,
        /// The year.
        year: Year,
    },
    /// Capacity a facility adds in one year, Mt per year (M21).
    FacilityBuild {
        /// Index into `Scenario::facilities`.
        facility: usize,
        /// The year.
        year: Year,
    },
    /// How far a soft target's row is missed, in the row's unit (M19).
    Shortfall {
        /// Index of the target's row.
        row: usize,
    },
    /// A variable a plugin declared.
    Plugin {
        /// Index of the plugin in [`Model::plugins`].
        plugin: usize,
        /// Index among that plugin's variables.
        index: usize,
    },
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

/// The direction of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RowSense {
    /// activity <= rhs
    #[serde(rename = "<=")]
    AtMost,
    /// activity >= rhs
    #[serde(rename = ">=")]
    AtLeast,
    /// activity == rhs
    #[serde(rename = "=")]
    Equal,
}

/// The national targets a row can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    pub sense: RowSense,
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
    }

    /// The vector for `kind`.
    #[must_use]
    pub fn get(&self, kind: ObjectiveKind) -> &[f64] {
        match kind {
            ObjectiveKind::Cost => &self.cost,
            ObjectiveKind::Emissions => &self.emissions,
            ObjectiveKind::Imports => &self.imports,
            ObjectiveKind::ValueAdded => &self.value_added,
        }
    }
}

/// Internal units per reported unit: the program counts Mt and million CNY.
pub const MILLION: f64 = 1e6;

impl Model {
    /// Builds the program for a scenario that passed [`crate::scenario::validate`].
    #[must_use]
    pub fn build(scenario: &Scenario) -> Model {
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
        builder.facility_rows();
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

/// `prefix[id,year]`, the name of a facility's column or row, assembled piece by piece: at
/// plant scale there are millions of these, and `format!` made them the largest part of model
/// construction.
fn facility_name(prefix: &str, id: &str, year: Year) -> String {
    let mut digits = itoa::Buffer::new();
    let year = digits.format(year);
    let mut name = String::with_capacity(prefix.len() + id.len() + year.len() + 3);
    name.push_str(prefix);
    name.push('[');
    name.push_str(id);
    name.push(',');
    name.push_str(year);
    name.push(']');
    name
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
    model: Model,
}

impl Builder<'_> {
    fn add_column(&mut self, key: VariableKey, upper: f64) -> usize {
        let metals = &self.scenario.metals;
        let name = match key {
            VariableKey::Output { metal, route, year } => {
                format!("output[{},{route},{year}]", metals[metal].name)
            }
            VariableKey::Feed {
                metal,
                source,
                year,
            } => format!("feed[{},{source},{year}]", metals[metal].name),
            VariableKey::Build { metal, route, year } => {
                format!("build[{},{route},{year}]", metals[metal].name)
            }
            VariableKey::SharedBuild { metal, year } => {
                format!("build_shared[{},{year}]", metals[metal].name)
            }
            VariableKey::FacilityOutput { facility, year } => facility_name(
                "facility_output",
                &self.scenario.facilities[facility].id,
                year,
            ),
            VariableKey::FacilityBuild { facility, year } => facility_name(
                "facility_build",
                &self.scenario.facilities[facility].id,
                year,
            ),
            VariableKey::Plugin { .. } | VariableKey::Shortfall { .. } => {
                unreachable!("plugin and shortfall columns are named where they are added")
            }
        };
        let index = self.model.columns.len();
        self.model.columns.push(Column {
            name,
            key,
            lower: 0.0,
            upper,
        });
        if !matches!(
            key,
            VariableKey::FacilityOutput { .. } | VariableKey::FacilityBuild { .. }
        ) {
            self.model.index.insert(key, index);
        }
        self.model.objectives.push_zero();
        index
    }

    fn discount(&self, year: Year) -> f64 {
        discount_factor(self.scenario, year)
    }

    /// Columns and their objective coefficients (M14-M17), metal by metal, year by year.
    fn columns(&mut self) {
        let scenario = self.scenario;
        for (metal_index, metal) in scenario.metals.iter().enumerate() {
            for &year in &scenario.years {
                let discount = self.discount(year);
                for route in Route::ALL {
                    let Some(spec) = metal.route(route) else {
                        continue;
                    };
                    let output = self.add_column(
                        VariableKey::Output {
                            metal: metal_index,
                            route,
                            year,
                        },
                        f64::INFINITY,
                    );
                    let objectives = &mut self.model.objectives;
                    objectives.cost[output] = discount * spec.operating_cost_cny_per_t.at(year);
                    objectives.emissions[output] = spec.co2_t_per_t.at(year);
                    objectives.value_added[output] = spec.value_added_cny_per_t.at(year);
                    for source in route.feed_sources() {
                        let Some(feed) = spec.feed_source(source) else {
                            continue;
                        };
                        let column = self.add_column(
                            VariableKey::Feed {
                                metal: metal_index,
                                source,
                                year,
                            },
                            f64::INFINITY,
                        );
                        let objectives = &mut self.model.objectives;
                        objectives.cost[column] = discount * feed.cost_cny_per_t.at(year);
                        if source.is_imported() {
                            objectives.imports[column] = 1.0;
                        }
                    }
                    if let Some(max_build) = build_limit(spec.capacity(), year) {
                        let column = self.add_column(
                            VariableKey::Build {
                                metal: metal_index,
                                route,
                                year,
                            },
                            max_build,
                        );
                        self.model.objectives.cost[column] =
                            discount * investment(spec.capacity(), year);
                    }
                }
                if let Some(shared) = &metal.shared_capacity {
                    if let Some(max_build) = build_limit(shared.view(), year) {
                        let column = self.add_column(
                            VariableKey::SharedBuild {
                                metal: metal_index,
                                year,
                            },
                            max_build,
                        );
                        self.model.objectives.cost[column] =
                            discount * investment(shared.view(), year);
                    }
                }
            }
        }
    }

    /// Facility columns (M21): output in each operating year, expansion where allowed.
    fn facility_columns(&mut self) {
        let scenario = self.scenario;
        let mut table = vec![None; scenario.facilities.len() * scenario.years.len()];
        for (facility_index, facility) in scenario.facilities.iter().enumerate() {
            let by_year =
                &mut table[facility_index * scenario.years.len()..][..scenario.years.len()];
            for (position, &year) in scenario.years.iter().enumerate() {
                if !facility.operates_in(year) {
                    continue;
                }
                let discount = self.discount(year);
                let output = self.add_column(
                    VariableKey::FacilityOutput {
                        facility: facility_index,
                        year,
                    },
                    f64::INFINITY,
                );
                self.model.objectives.cost[output] = discount * facility.operating_cost_cny_per_t;
                let mut build = None;
                if facility.max_build_mt_per_year > 0.0 {
                    let column = self.add_column(
                        VariableKey::FacilityBuild {
                            facility: facility_index,
                            year,
                        },
                        facility.max_build_mt_per_year,
                    );
                    self.model.objectives.cost[column] = discount * facility.investment_cny_per_t;
                    build = Some(column);
                }
                by_year[position] = Some((output, build));
            }
        }
        self.model.facility_columns = FacilityColumns {
            years: scenario.years.clone(),
            table,
        };
    }

    /// Rows M21 (each facility within its capacity) and M22 (a route with facilities produces
    /// their sum).
    fn facility_rows(&mut self) {
        let scenario = self.scenario;
        if scenario.facilities.is_empty() {
            return;
        }
        let mut by_route: BTreeMap<(usize, Route), Vec<usize>> = BTreeMap::new();
        for (facility_index, facility) in scenario.facilities.iter().enumerate() {
            if let Some(metal) = scenario
                .metals
                .iter()
                .position(|m| m.name == facility.metal)
            {
                by_route
                    .entry((metal, facility.route))
                    .or_default()
                    .push(facility_index);
            }
        }
        let columns = std::mem::take(&mut self.model.facility_columns);
        for (facility_index, facility) in scenario.facilities.iter().enumerate() {
            let mut builds = Vec::new();
            for (position, &year) in scenario.years.iter().enumerate() {
                let Some((output, build)) = columns.at(facility_index, position) else {
                    continue;
                };
                builds.extend(build);
                // M21: output - expansions so far <= capacity.
                let mut terms = Vec::with_capacity(1 + builds.len());
                terms.push((output, 1.0));
                terms.extend(builds.iter().map(|&build| (build, -1.0)));
                self.push_row(
                    facility_name("facility_capacity", &facility.id, year),
                    RowKind::FacilityCapacity {
                        facility: facility_index,
                    },
                    year,
                    (terms, RowSense::AtMost, facility.capacity_mt),
                );
            }
        }
        for ((metal, route), facilities) in by_route {
            let name = &scenario.metals[metal].name;
            for (position, &year) in scenario.years.iter().enumerate() {
                let Some(output) = self.output(metal, route, year) else {
                    continue;
                };
                // M22: route output - sum of facility outputs = 0.
                let mut terms = Vec::with_capacity(1 + facilities.len());
                terms.push((output, 1.0));
                terms.extend(
                    facilities
                        .iter()
                        .filter_map(|&facility| columns.at(facility, position))
                        .map(|(column, _)| (column, -1.0)),
                );
                self.push_row(
                    format!("facility_total[{name},{route},{year}]"),
                    RowKind::FacilityTotal { metal, route },
                    year,
                    (terms, RowSense::Equal, 0.0),
                );
            }
        }
        self.model.facility_columns = columns;
    }

    fn output(&self, metal: usize, route: Route, year: Year) -> Option<usize> {
        self.model
            .column(VariableKey::Output { metal, route, year })
    }

    fn feed(&self, metal: usize, source: FeedSource, year: Year) -> Option<usize> {
        self.model.column(VariableKey::Feed {
            metal,
            source,
            year,
        })
    }

    fn push_row(
        &mut self,
        name: String,
        kind: RowKind,
        year: Year,
        row: (Vec<(usize, f64)>, RowSense, f64),
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

    /// Builds made in `year` or earlier (M3, M4: built capacity stays available).
    fn builds_up_to(&self, year: Year, key: impl Fn(Year) -> VariableKey) -> Vec<usize> {
        self.scenario
            .years
            .iter()
            .filter(|&&built| built <= year)
            .filter_map(|&built| self.model.column(key(built)))
            .collect()
    }

    /// Rows M1-M7: feed balance, availability, capacity, metal output bounds.
    fn technical_rows(&mut self) {
        for metal in 0..self.scenario.metals.len() {
            for &year in &self.scenario.years {
                for route in Route::ALL {
                    self.route_rows(metal, route, year);
                }
                self.metal_rows(metal, year);
            }
        }
    }

    /// M1-M3 for one route of one metal in one year.
    fn route_rows(&mut self, metal_index: usize, route: Route, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let name = &metal.name;
        let (Some(spec), Some(output)) =
            (metal.route(route), self.output(metal_index, route, year))
        else {
            return;
        };
        let feeds: Vec<(FeedSource, usize, f64, f64)> = route
            .feed_sources()
            .into_iter()
            .filter_map(|source| {
                let column = self.feed(metal_index, source, year)?;
                let feed = spec.feed_source(source)?;
                Some((source, column, feed.recovery, feed.available_mt.at(year)))
            })
            .collect();
        // M1: output = sum of recovery x feed.
        let mut terms = vec![(output, 1.0)];
        terms.extend(
            feeds
                .iter()
                .map(|&(_, column, recovery, _)| (column, -recovery)),
        );
        self.push_row(
            format!("feed_balance[{name},{route},{year}]"),
            RowKind::FeedBalance {
                metal: metal_index,
                route,
            },
            year,
            (terms, RowSense::Equal, 0.0),
        );
        // M2: feed drawn <= feed available.
        for (source, column, _, available) in feeds {
            self.push_row(
                format!("feed_available[{name},{source},{year}]"),
                RowKind::FeedAvailable {
                    metal: metal_index,
                    source,
                },
                year,
                (vec![(column, 1.0)], RowSense::AtMost, available),
            );
        }
        // M3: output - builds so far <= existing capacity.
        let mut terms = vec![(output, 1.0)];
        let builds = self.builds_up_to(year, |built| VariableKey::Build {
            metal: metal_index,
            route,
            year: built,
        });
        terms.extend(builds.into_iter().map(|column| (column, -1.0)));
        self.push_row(
            format!("capacity[{name},{route},{year}]"),
            RowKind::Capacity {
                metal: metal_index,
                route,
            },
            year,
            (terms, RowSense::AtMost, spec.capacity_mt.at(year)),
        );
    }

    /// M4, M6 and M7 for one metal in one year.
    fn metal_rows(&mut self, metal_index: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let name = &metal.name;
        let total: Vec<(usize, f64)> = Route::ALL
            .iter()
            .filter_map(|&route| self.output(metal_index, route, year))
            .map(|column| (column, 1.0))
            .collect();
        // M4: primary + recycled - shared builds so far <= shared capacity.
        if let Some(shared) = &metal.shared_capacity {
            let mut terms = total.clone();
            let builds = self.builds_up_to(year, |built| VariableKey::SharedBuild {
                metal: metal_index,
                year: built,
            });
            terms.extend(builds.into_iter().map(|column| (column, -1.0)));
            self.push_row(
                format!("shared_capacity[{name},{year}]"),
                RowKind::SharedCapacity { metal: metal_index },
                year,
                (terms, RowSense::AtMost, shared.capacity_mt.at(year)),
            );
        }
        // M6, M7: the metal's output within its market bounds.
        if let Some(min) = metal.output_min_mt.as_ref().and_then(|min| min.get(year)) {
            self.push_row(
                format!("metal_output_min[{name},{year}]"),
                RowKind::MetalOutputMin { metal: metal_index },
                year,
                (total.clone(), RowSense::AtLeast, min),
            );
        }
        if let Some(max) = metal.output_max_mt.as_ref().and_then(|max| max.get(year)) {
            self.push_row(
                format!("metal_output_max[{name},{year}]"),
                RowKind::MetalOutputMax { metal: metal_index },
                year,
                (total, RowSense::AtMost, max),
            );
        }
    }

    /// A per-year sum over routes: `weight(metal, route, year) * output` for each route with a
    /// weight, and the same sum's base-year value from observed output.
    fn route_sum(
        &self,
        year: Year,
        weight: &dyn Fn(usize, Route, Year) -> Option<f64>,
    ) -> Vec<(usize, f64)> {
        let mut terms = Vec::new();
        for metal_index in 0..self.scenario.metals.len() {
            for route in Route::ALL {
                if let (Some(column), Some(coefficient)) = (
                    self.output(metal_index, route, year),
                    weight(metal_index, route, year),
                ) {
                    terms.push((column, coefficient));
                }
            }
        }
        terms
    }

    fn base_route_sum(&self, weight: &dyn Fn(usize, Route, Year) -> Option<f64>) -> f64 {
        let base_year = self.scenario.base_year;
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for route in Route::ALL {
                if let (Some(spec), Some(coefficient)) =
                    (metal.route(route), weight(metal_index, route, base_year))
                {
                    total += coefficient * spec.base_output_mt.unwrap_or(0.0);
                }
            }
        }
        total
    }

    /// Growth row `sum_y >= (1 + g) sum_{y-1}` (or `<=`), against observed data in the first year.
    fn growth_row(
        &mut self,
        target: TargetKind,
        schedule: &PerYear,
        sense: RowSense,
        weight: &dyn Fn(usize, Route, Year) -> Option<f64>,
    ) {
        let years = self.scenario.years.clone();
        for (position, &year) in years.iter().enumerate() {
            let Some(growth) = schedule.get(year) else {
                continue;
            };
            let mut terms = self.route_sum(year, weight);
            let rhs = if position == 0 {
                (1.0 + growth) * self.base_route_sum(weight)
            } else {
                let previous = self.route_sum(years[position - 1], weight);
                terms.extend(
                    previous
                        .into_iter()
                        .map(|(column, coefficient)| (column, -(1.0 + growth) * coefficient)),
                );
                0.0
            };
            self.push_row(
                format!("{}[{year}]", target.key()),
                RowKind::Target {
                    target,
                    metal: None,
                    bound: growth,
                },
                year,
                (terms, sense, rhs),
            );
        }
    }

    /// Rows M8-M13: the national targets.
    fn target_rows(&mut self) {
        let scenario = self.scenario;
        let targets = &scenario.targets;
        let counts_toward_output = |metal: usize, route: Route, _year: Year| {
            scenario.metals[metal]
                .route(route)
                .filter(|spec| spec.counts_toward_output_total)
                .map(|_| 1.0)
        };
        let value_added = |metal: usize, route: Route, year: Year| {
            scenario.metals[metal]
                .route(route)
                .and_then(|spec| spec.value_added_cny_per_t.get(year))
        };
        // M8: recycled output floor.
        if let Some(floor) = &targets.recycled_output_min_mt {
            for &year in &scenario.years {
                let Some(bound) = floor.get(year) else {
                    continue;
                };
                let terms = self.route_sum(year, &|metal, route, _| {
                    (route == Route::Recycled && counts_toward_recycled(scenario, metal))
                        .then_some(1.0)
                });
                self.push_row(
                    format!("recycled_output_min[{year}]"),
                    RowKind::Target {
                        target: TargetKind::RecycledOutputMin,
                        metal: None,
                        bound,
                    },
                    year,
                    (terms, RowSense::AtLeast, bound),
                );
            }
        }
        // M9, M10: ten-metal output growth floor and ceiling.
        if let Some(growth) = &targets.output_growth_min {
            self.growth_row(
                TargetKind::OutputGrowthMin,
                growth,
                RowSense::AtLeast,
                &counts_toward_output,
            );
        }
        if let Some(growth) = &targets.output_growth_max {
            self.growth_row(
                TargetKind::OutputGrowthMax,
                growth,
                RowSense::AtMost,
                &counts_toward_output,
            );
        }
        // M11: value-added growth floor.
        if let Some(growth) = &targets.value_added_growth_min {
            self.growth_row(
                TargetKind::ValueAddedGrowthMin,
                growth,
                RowSense::AtLeast,
                &value_added,
            );
        }
        self.import_dependence_rows();
        self.co2_rows();
    }

    /// M19: with soft targets, each target row (and each scenario rule's `<=`/`>=` row, M20) gets
    /// a shortfall column that lets it be missed.
    /// The first solve stage minimises their weighted sum: 1 per Mt (output, feed, CO2) and
    /// 1 per base-year-average tonne of value added for value-added rows.
    fn shortfalls(&mut self) {
        let scenario = self.scenario;
        let (mut output, mut value_added) = (0.0, 0.0);
        for metal in &scenario.metals {
            for route in Route::ALL {
                if let Some(spec) = metal.route(route) {
                    let base = spec.base_output_mt.unwrap_or(0.0);
                    output += base;
                    value_added += base * spec.value_added_cny_per_t.at(scenario.base_year);
                }
            }
        }
        // Million CNY of value added per Mt-equivalent: the average value added per tonne.
        let average_value_added = if output > 0.0 && value_added > 0.0 {
            value_added / output
        } else {
            1.0
        };
        for row_index in 0..self.model.rows.len() {
            let row = &self.model.rows[row_index];
            // Scenario rules (M20) are soft too, weighted 1 per unit of their row (Mt).
            let weight = match row.kind {
                RowKind::Target {
                    target: TargetKind::ValueAddedGrowthMin,
                    ..
                } => 1.0 / average_value_added,
                RowKind::Target { .. } | RowKind::User { .. } => 1.0,
                _ => continue,
            };
            let sign = match row.sense {
                RowSense::AtLeast => 1.0,
                RowSense::AtMost => -1.0,
                RowSense::Equal => continue,
            };
            let name = format!("shortfall[{}]", row.name);
            let key = VariableKey::Shortfall { row: row_index };
            let column = self.model.columns.len();
            self.model.columns.push(Column {
                name,
                key,
                lower: 0.0,
                upper: f64::INFINITY,
            });
            self.model.index.insert(key, column);
            self.model.objectives.push_zero();
            self.model.objectives.shortfall[column] = weight;
            self.model.rows[row_index].terms.push((column, sign));
        }
    }

    /// M12, per metal and year.
    fn import_dependence_rows(&mut self) {
        let scenario = self.scenario;
        let targets = &scenario.targets;
        // M12: imported feed - cap x all feed <= 0, per metal.
        for (metal_name, cap) in &targets.import_dependence_max {
            let Some(metal_index) = scenario.metals.iter().position(|m| &m.name == metal_name)
            else {
                continue;
            };
            for &year in &scenario.years {
                let Some(bound) = cap.get(year) else {
                    continue;
                };
                let mut terms = Vec::new();
                for route in Route::ALL {
                    for source in route.feed_sources() {
                        if let Some(column) = self.feed(metal_index, source, year) {
                            let imported = if source.is_imported() { 1.0 } else { 0.0 };
                            terms.push((column, imported - bound));
                        }
                    }
                }
                self.push_row(
                    format!("import_dependence_max[{metal_name},{year}]"),
                    RowKind::Target {
                        target: TargetKind::ImportDependenceMax,
                        metal: Some(metal_index),
                        bound,
                    },
                    year,
                    (terms, RowSense::AtMost, 0.0),
                );
            }
        }
    }

    /// M13, per year.
    fn co2_rows(&mut self) {
        let scenario = self.scenario;
        let targets = &scenario.targets;
        // M13: CO2 cap.
        if let Some(cap) = &targets.co2_max_mt {
            for &year in &scenario.years {
                let Some(bound) = cap.get(year) else {
                    continue;
                };
                let terms = self.route_sum(year, &|metal, route, year| {
                    scenario.metals[metal]
                        .route(route)
                        .map(|spec| spec.co2_t_per_t.at(year))
                });
                self.push_row(
                    format!("co2_max[{year}]"),
                    RowKind::Target {
                        target: TargetKind::Co2Max,
                        metal: None,
                        bound,
                    },
                    year,
                    (terms, RowSense::AtMost, bound),
                );
            }
        }
    }
}

/// M14: cost in `year` is weighted by 1 / (1 + d)^(year - base year).
#[must_use]
pub fn discount_factor(scenario: &Scenario, year: Year) -> f64 {
    (1.0 + scenario.discount_rate).powi(-(year - scenario.base_year))
}

/// Whether the metal's recycled route counts toward the national recycled total (default yes).
#[must_use]
pub fn counts_toward_recycled(scenario: &Scenario, metal: usize) -> bool {
    scenario.metals[metal]
        .recycled
        .as_ref()
        .is_some_and(|spec| spec.counts_toward_recycled_total != Some(false))
}

/// The build limit in `year`, when building is allowed at all.
fn build_limit(capacity: CapacityView<'_>, year: Year) -> Option<f64> {
    capacity
        .max_build_mt_per_year
        .map(|limit| limit.at(year))
        .filter(|&limit| limit > 0.0)
}

/// Whether capacity can be built in `year` (a build column exists).
pub(crate) fn build_limit_allowed(capacity: CapacityView<'_>, year: Year) -> bool {
    build_limit(capacity, year).is_some()
}

fn investment(capacity: CapacityView<'_>, year: Year) -> f64 {
    capacity
        .investment_cny_per_t
        .map_or(0.0, |investment| investment.at(year))
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

//! The columns of the program ("Variables" in docs/model.md): output, feed and builds per metal,
//! route and year, and the facilities' output and expansion (M21), each with its coefficients in
//! every objective (set by [`super::objectives`]).

use super::capacities::build_limit;
use super::objectives::{build_costs, feed_costs, output_costs, ColumnCosts};
use super::{Builder, Column, FacilityColumns, Material, VariableKey};
use crate::scenario::{FeedSource, Metal, Route, RouteSpec, Year, REFINED};
use crate::variable::process_name;

impl Builder<'_> {
    pub(super) fn add_column(&mut self, key: VariableKey, upper: f64) -> usize {
        let name = self.column_name(key);
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

    /// The column's name in LP files and messages: the key with names for its indices.
    fn column_name(&self, key: VariableKey) -> String {
        let metals = &self.scenario.metals;
        match key {
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
            VariableKey::StageOutput { metal, stage, year } => format!(
                "stage_output[{},{},{year}]",
                metals[metal].name, metals[metal].stages[stage].name
            ),
            VariableKey::StageBuild { metal, stage, year } => format!(
                "build_stage[{},{},{year}]",
                metals[metal].name, metals[metal].stages[stage].name
            ),
            VariableKey::StageUse {
                metal,
                stage,
                user,
                year,
            } => format!(
                "stage_use[{},{},{},{year}]",
                metals[metal].name,
                metals[metal].stages[stage].name,
                process_name(&metals[metal], user)
            ),
            VariableKey::Import {
                metal,
                material,
                year,
            } => format!(
                "import[{},{},{year}]",
                metals[metal].name,
                material_name(&metals[metal], material)
            ),
            VariableKey::Export {
                metal,
                material,
                year,
            } => format!(
                "export[{},{},{year}]",
                metals[metal].name,
                material_name(&metals[metal], material)
            ),
            VariableKey::Consumption { metal, year } => {
                format!("consumption[{},{year}]", metals[metal].name)
            }
            VariableKey::DemandBlock { metal, block, year } => {
                format!("demand_block[{},{block},{year}]", metals[metal].name)
            }
            VariableKey::Stock { metal, year } => format!("stock[{},{year}]", metals[metal].name),
            VariableKey::GradeUse { .. }
            | VariableKey::ProductOutput { .. }
            | VariableKey::Power { .. } => self.recycling_column_name(key),
            VariableKey::Plugin { .. } | VariableKey::Shortfall { .. } => {
                unreachable!("plugin and shortfall columns are named where they are added")
            }
        }
    }

    /// Names of the recycling and electricity columns (docs/model.md, M30-M36).
    fn recycling_column_name(&self, key: VariableKey) -> String {
        let metals = &self.scenario.metals;
        match key {
            VariableKey::GradeUse {
                metal,
                grade,
                product,
                year,
            } => {
                let spec = recycled_route(&metals[metal]);
                let grade = spec.grades.keys().nth(grade).map_or("?", String::as_str);
                match product {
                    Some(product) => format!(
                        "grade_use[{},{grade},{},{year}]",
                        metals[metal].name, spec.products[product].name
                    ),
                    None => format!("grade_use[{},{grade},{year}]", metals[metal].name),
                }
            }
            VariableKey::ProductOutput {
                metal,
                product,
                year,
            } => {
                let spec = recycled_route(&metals[metal]);
                format!(
                    "product_output[{},{},{year}]",
                    metals[metal].name, spec.products[product].name
                )
            }
            VariableKey::Power {
                source,
                metal,
                process,
                year,
            } => {
                let sources = &self
                    .scenario
                    .electricity
                    .as_ref()
                    .expect("power columns exist with [electricity] only")
                    .sources;
                format!(
                    "power[{},{},{},{year}]",
                    sources[source].name,
                    metals[metal].name,
                    process_name(&metals[metal], process)
                )
            }
            _ => unreachable!("only recycling and electricity columns are named here"),
        }
    }

    /// A column with its coefficient in every objective.
    pub(super) fn add_costed_column(
        &mut self,
        key: VariableKey,
        upper: f64,
        costs: ColumnCosts,
    ) -> usize {
        let column = self.add_column(key, upper);
        self.model.objectives.set(column, costs);
        column
    }

    /// Columns and their objective coefficients (M14-M17), metal by metal, year by year.
    pub(super) fn columns(&mut self) {
        let scenario = self.scenario;
        for (metal_index, metal) in scenario.metals.iter().enumerate() {
            for &year in &scenario.years {
                let discount = self.discount(year);
                for route in Route::ALL {
                    let Some(spec) = metal.route(route) else {
                        continue;
                    };
                    let output = VariableKey::Output {
                        metal: metal_index,
                        route,
                        year,
                    };
                    self.add_costed_column(
                        output,
                        f64::INFINITY,
                        output_costs(spec, year, discount),
                    );
                    for source in route.feed_sources() {
                        let Some(feed) = spec.feed_source(source) else {
                            continue;
                        };
                        let key = VariableKey::Feed {
                            metal: metal_index,
                            source,
                            year,
                        };
                        let costs = feed_costs(feed, source.is_imported(), year, discount);
                        self.add_costed_column(key, f64::INFINITY, costs);
                    }
                    if let Some(max_build) = build_limit(spec.capacity(), year) {
                        let key = VariableKey::Build {
                            metal: metal_index,
                            route,
                            year,
                        };
                        let costs = build_costs(spec.capacity(), year, discount);
                        self.add_costed_column(key, max_build, costs);
                    }
                }
                if let Some(shared) = &metal.shared_capacity {
                    if let Some(max_build) = build_limit(shared.view(), year) {
                        let key = VariableKey::SharedBuild {
                            metal: metal_index,
                            year,
                        };
                        let costs = build_costs(shared.view(), year, discount);
                        self.add_costed_column(key, max_build, costs);
                    }
                }
                self.market_columns(metal_index, year, discount);
                self.recycling_columns(metal_index, year, discount);
                self.power_columns(metal_index, year, discount);
            }
        }
    }

    /// Facility columns (M21): output in each operating year, expansion where allowed.
    pub(super) fn facility_columns(&mut self) {
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
                self.model
                    .objectives
                    .set_cost(output, discount * facility.operating_cost_cny_per_t);
                let mut build = None;
                if facility.max_build_mt_per_year > 0.0 {
                    let column = self.add_column(
                        VariableKey::FacilityBuild {
                            facility: facility_index,
                            year,
                        },
                        facility.max_build_mt_per_year,
                    );
                    self.model
                        .objectives
                        .set_cost(column, discount * facility.investment_cny_per_t);
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

    pub(super) fn output(&self, metal: usize, route: Route, year: Year) -> Option<usize> {
        self.model
            .column(VariableKey::Output { metal, route, year })
    }

    pub(super) fn feed(&self, metal: usize, source: FeedSource, year: Year) -> Option<usize> {
        self.model.column(VariableKey::Feed {
            metal,
            source,
            year,
        })
    }
}

/// `prefix[id,year]`, the name of a facility's column or row, assembled piece by piece: at
/// plant scale there are millions of these, and `format!` made them the largest part of model
/// construction.
pub(super) fn facility_name(prefix: &str, id: &str, year: Year) -> String {
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

/// The name a material has in files and results: its stage's name, or `refined`.
#[must_use]
pub fn material_name(metal: &Metal, material: Material) -> &str {
    match material {
        Material::Stage(stage) => &metal.stages[stage].name,
        Material::Refined => REFINED,
    }
}

/// The recycled route of a metal with grade or product columns (they exist only with one).
fn recycled_route(metal: &Metal) -> &RouteSpec {
    metal
        .recycled
        .as_ref()
        .expect("grade and product columns belong to the recycled route")
}

//! The market a metal's plan lives in (M23-M28 in docs/model.md): its stages (each made from
//! the stages before it, or mined), trade in the stages' materials and in the refined metal,
//! and demand with stocks. A metal without stages, trade or demand adds nothing here.

use super::capacities::build_limit;
use super::columns::material_name;
use super::objectives::{build_costs, ColumnCosts};
use super::{Builder, Material, Process, RowKind, Sense, VariableKey};
use crate::scenario::{Metal, PerYear, Route, Scenario, Year};

/// The stage of `metal` called `name`: validation guarantees it exists.
fn stage_index(metal: &Metal, name: &str) -> usize {
    metal
        .stage(name)
        .map(|(index, _)| index)
        .expect("validation guarantees every stage named as an input or in trade exists")
}

/// The material a trade entry of `metal` names: a stage, or the refined metal.
pub(crate) fn trade_material(metal: &Metal, material: &str) -> Material {
    match metal.stage(material) {
        Some((index, _)) => Material::Stage(index),
        None => Material::Refined,
    }
}

/// Tonnes of metal in a tonne of `material`.
pub(crate) fn metal_content(metal: &Metal, material: Material) -> f64 {
    match material {
        Material::Stage(stage) => metal.stages[stage].metal_content,
        Material::Refined => 1.0,
    }
}

/// The inputs of a process, by stage index, with their tonnes per tonne of output in `year`.
pub(crate) fn process_inputs(metal: &Metal, process: Process, year: Year) -> Vec<(usize, f64)> {
    let inputs = match process {
        Process::Stage(stage) => &metal.stages[stage].input_t_per_t,
        Process::Route(route) => match metal.route(route) {
            Some(spec) => &spec.input_t_per_t,
            None => return Vec::new(),
        },
    };
    inputs
        .iter()
        .map(|(name, ratio)| (stage_index(metal, name), ratio.at(year)))
        .collect()
}

/// Every process of `metal` that draws on a stage: its stages, then its routes.
pub(crate) fn processes(metal: &Metal) -> impl Iterator<Item = Process> + '_ {
    (0..metal.stages.len())
        .map(Process::Stage)
        .chain(Route::ALL.into_iter().filter_map(|route| {
            metal
                .route(route)
                .filter(|spec| !spec.input_t_per_t.is_empty())
                .map(|_| Process::Route(route))
        }))
}

/// Whether `metal` has any part of a market beyond its routes.
fn has_market(metal: &Metal) -> bool {
    !metal.stages.is_empty() || !metal.trade.is_empty() || metal.demand.is_some()
}

fn at_or_zero(value: Option<&PerYear>, year: Year) -> f64 {
    value.map_or(0.0, |value| value.at(year))
}

impl Builder<'_> {
    /// The columns of one metal's market in one year (M23-M28): stage outputs, builds and uses,
    /// imports and exports, consumption, demand blocks and stock, with their objective terms.
    pub(super) fn market_columns(&mut self, metal_index: usize, year: Year, discount: f64) {
        let scenario: &Scenario = self.scenario;
        let metal = &scenario.metals[metal_index];
        if !has_market(metal) {
            return;
        }
        for (stage_index, stage) in metal.stages.iter().enumerate() {
            let costs = ColumnCosts {
                cost: discount * stage.operating_cost_cny_per_t.at(year),
                emissions: at_or_zero(stage.co2_t_per_t.as_ref(), year),
                imports: 0.0,
                value_added: at_or_zero(stage.value_added_cny_per_t.as_ref(), year),
                revenue: 0.0,
            };
            let output = VariableKey::StageOutput {
                metal: metal_index,
                stage: stage_index,
                year,
            };
            self.add_costed_column(output, f64::INFINITY, costs);
            if let Some(max_build) = build_limit(stage.capacity(), year) {
                let key = VariableKey::StageBuild {
                    metal: metal_index,
                    stage: stage_index,
                    year,
                };
                let costs = build_costs(stage.capacity(), year, discount);
                self.add_costed_column(key, max_build, costs);
            }
        }
        for user in processes(metal) {
            for (stage, _) in process_inputs(metal, user, year) {
                let key = VariableKey::StageUse {
                    metal: metal_index,
                    stage,
                    user,
                    year,
                };
                self.add_column(key, f64::INFINITY);
            }
        }
        self.trade_columns(metal_index, year, discount);
        self.demand_columns(metal_index, year, discount);
    }

    /// Imports and exports of each traded material (M26's columns): bounded per year, imports
    /// costed at their price, exports earning theirs in welfare.
    fn trade_columns(&mut self, metal_index: usize, year: Year, discount: f64) {
        let metal = &self.scenario.metals[metal_index];
        for trade in &metal.trade {
            let material = trade_material(metal, &trade.material);
            if let Some(most) = &trade.import_max_mt {
                let key = VariableKey::Import {
                    metal: metal_index,
                    material,
                    year,
                };
                let costs = ColumnCosts {
                    cost: discount * at_or_zero(trade.import_price_cny_per_t.as_ref(), year),
                    imports: metal_content(metal, material),
                    ..ColumnCosts::default()
                };
                let column = self.add_costed_column(key, most.at(year), costs);
                self.model.columns[column].lower = at_or_zero(trade.import_min_mt.as_ref(), year);
            }
            if let Some(most) = &trade.export_max_mt {
                let key = VariableKey::Export {
                    metal: metal_index,
                    material,
                    year,
                };
                let costs = ColumnCosts {
                    revenue: discount * at_or_zero(trade.export_price_cny_per_t.as_ref(), year),
                    ..ColumnCosts::default()
                };
                let column = self.add_costed_column(key, most.at(year), costs);
                self.model.columns[column].lower = at_or_zero(trade.export_min_mt.as_ref(), year);
            }
        }
    }

    /// Consumption, the demand blocks (welfare only) and the stock.
    fn demand_columns(&mut self, metal_index: usize, year: Year, discount: f64) {
        let metal = &self.scenario.metals[metal_index];
        let Some(demand) = &metal.demand else {
            return;
        };
        let consumption = VariableKey::Consumption {
            metal: metal_index,
            year,
        };
        self.add_column(consumption, f64::INFINITY);
        // Under welfare each block is a decision; under every other objective demand is the
        // reference quantity (M27) and the blocks are not in the model.
        if self.elastic_demand {
            for (block_index, block) in demand.blocks.iter().enumerate() {
                let key = VariableKey::DemandBlock {
                    metal: metal_index,
                    block: block_index,
                    year,
                };
                let costs = ColumnCosts {
                    revenue: discount * block.price_cny_per_t.at(year),
                    ..ColumnCosts::default()
                };
                self.add_costed_column(key, block.quantity_mt.at(year), costs);
            }
        }
        if let Some(stock) = &demand.stock {
            let key = VariableKey::Stock {
                metal: metal_index,
                year,
            };
            let costs = ColumnCosts {
                cost: discount * stock.holding_cost_cny_per_t.at(year),
                ..ColumnCosts::default()
            };
            let column = self.add_costed_column(key, stock.max_mt.at(year), costs);
            self.model.columns[column].lower = at_or_zero(stock.min_mt.as_ref(), year);
        }
    }

    /// The terms `- use / ratio` of every stage material `process` draws on in `year`.
    pub(super) fn input_terms(
        &self,
        metal_index: usize,
        process: Process,
        year: Year,
    ) -> Vec<(usize, f64)> {
        let metal = &self.scenario.metals[metal_index];
        process_inputs(metal, process, year)
            .into_iter()
            .filter_map(|(stage, ratio)| {
                let column = self.model.column(VariableKey::StageUse {
                    metal: metal_index,
                    stage,
                    user: process,
                    year,
                })?;
                Some((column, -1.0 / ratio))
            })
            .collect()
    }

    fn column_of(&self, key: VariableKey) -> Option<usize> {
        self.model.column(key)
    }

    /// Rows M23-M28 of one metal in one year; `routes` are its route outputs, each with 1.
    pub(super) fn market_rows(&mut self, metal_index: usize, year: Year, routes: &[(usize, f64)]) {
        let metal = &self.scenario.metals[metal_index];
        if !has_market(metal) {
            return;
        }
        for stage in 0..metal.stages.len() {
            self.stage_rows(metal_index, stage, year);
        }
        for stage in 0..metal.stages.len() {
            self.stage_market_row(metal_index, stage, year);
        }
        if metal.demand.is_some() {
            self.refined_market_row(metal_index, year, routes);
            self.demand_row(metal_index, year);
        }
    }

    /// M23 (a stage with inputs makes what they give) and M24 (its capacity).
    fn stage_rows(&mut self, metal_index: usize, stage_index: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let stage = &metal.stages[stage_index];
        let name = format!("{},{}", metal.name, stage.name);
        let output = self
            .column_of(VariableKey::StageOutput {
                metal: metal_index,
                stage: stage_index,
                year,
            })
            .expect("every stage has an output column in every planning year");
        if !stage.is_raw() {
            // M23: output - sum of use / ratio = 0.
            let mut terms = vec![(output, 1.0)];
            terms.extend(self.input_terms(metal_index, Process::Stage(stage_index), year));
            self.push_row(
                format!("stage_input[{name},{year}]"),
                RowKind::StageInput {
                    metal: metal_index,
                    stage: stage_index,
                },
                year,
                (terms, Sense::Equal, 0.0),
            );
        }
        // M24: output - builds so far <= existing capacity.
        let mut terms = vec![(output, 1.0)];
        let builds = self.builds_up_to(year, |built| VariableKey::StageBuild {
            metal: metal_index,
            stage: stage_index,
            year: built,
        });
        terms.extend(builds.into_iter().map(|column| (column, -1.0)));
        let capacity = stage.capacity_mt.at(year);
        self.push_row(
            format!("stage_capacity[{name},{year}]"),
            RowKind::StageCapacity {
                metal: metal_index,
                stage: stage_index,
            },
            year,
            (terms, Sense::AtMost, capacity),
        );
    }

    /// The import and export columns of `material` in `year`, with +1 and -1.
    fn trade_terms(&self, metal_index: usize, material: Material, year: Year) -> Vec<(usize, f64)> {
        let import = self.column_of(VariableKey::Import {
            metal: metal_index,
            material,
            year,
        });
        let export = self.column_of(VariableKey::Export {
            metal: metal_index,
            material,
            year,
        });
        import
            .map(|column| (column, 1.0))
            .into_iter()
            .chain(export.map(|column| (column, -1.0)))
            .collect()
    }

    /// M25: a stage's material is made or imported, and used or exported.
    fn stage_market_row(&mut self, metal_index: usize, stage_index: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let material = Material::Stage(stage_index);
        let mut terms = Vec::new();
        terms.extend(
            self.column_of(VariableKey::StageOutput {
                metal: metal_index,
                stage: stage_index,
                year,
            })
            .map(|column| (column, 1.0)),
        );
        terms.extend(self.trade_terms(metal_index, material, year));
        for user in processes(metal) {
            terms.extend(
                self.column_of(VariableKey::StageUse {
                    metal: metal_index,
                    stage: stage_index,
                    user,
                    year,
                })
                .map(|column| (column, -1.0)),
            );
        }
        self.push_row(
            format!(
                "market[{},{},{year}]",
                metal.name,
                material_name(metal, material)
            ),
            RowKind::Market {
                metal: metal_index,
                material,
            },
            year,
            (terms, Sense::Equal, 0.0),
        );
    }

    /// M26: the refined metal made and imported is consumed, exported or stocked.
    fn refined_market_row(&mut self, metal_index: usize, year: Year, routes: &[(usize, f64)]) {
        let scenario = self.scenario;
        let metal = &scenario.metals[metal_index];
        let mut terms = routes.to_vec();
        terms.extend(self.trade_terms(metal_index, Material::Refined, year));
        terms.extend(
            self.column_of(VariableKey::Consumption {
                metal: metal_index,
                year,
            })
            .map(|column| (column, -1.0)),
        );
        let mut rhs = 0.0;
        if let Some(stock) = metal
            .demand
            .as_ref()
            .and_then(|demand| demand.stock.as_ref())
        {
            let stock_at = |builder: &Self, at: Year| {
                builder.column_of(VariableKey::Stock {
                    metal: metal_index,
                    year: at,
                })
            };
            terms.extend(stock_at(self, year).map(|column| (column, -1.0)));
            match scenario.years.iter().position(|&y| y == year) {
                Some(position) if position > 0 => {
                    let previous = scenario.years[position - 1];
                    terms.extend(stock_at(self, previous).map(|column| (column, 1.0)));
                }
                // The stock at the end of the base year is given: it moves to the right.
                _ => rhs = -stock.initial_mt,
            }
        }
        self.push_row(
            format!("market[{},refined,{year}]", metal.name),
            RowKind::Market {
                metal: metal_index,
                material: Material::Refined,
            },
            year,
            (terms, Sense::Equal, rhs),
        );
    }

    /// M27: consumption is the reference demand, or under welfare the blocks taken.
    fn demand_row(&mut self, metal_index: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let Some(demand) = &metal.demand else {
            return;
        };
        let Some(consumption) = self.column_of(VariableKey::Consumption {
            metal: metal_index,
            year,
        }) else {
            return;
        };
        let mut terms = vec![(consumption, 1.0)];
        // Under welfare with blocks, consumption is what the blocks take; otherwise it is the
        // reference demand.
        let rhs = if demand.blocks.is_empty() || !self.elastic_demand {
            demand.reference_mt(year)
        } else {
            terms.extend((0..demand.blocks.len()).filter_map(|block| {
                self.column_of(VariableKey::DemandBlock {
                    metal: metal_index,
                    block,
                    year,
                })
                .map(|column| (column, -1.0))
            }));
            0.0
        };
        self.push_row(
            format!("demand[{},{year}]", metal.name),
            RowKind::Demand { metal: metal_index },
            year,
            (terms, Sense::Equal, rhs),
        );
    }
}

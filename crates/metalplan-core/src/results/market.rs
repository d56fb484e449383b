//! The market parts of a result: stages, trade, prices, demand, and import dependence by every
//! definition (docs/results.md, "Stages, trade, prices and demand").

use serde::{Deserialize, Serialize};

use super::{clean, PlanView};
use crate::model::discount_factor;
use crate::model::{material_name, process_name, processes, Material, VariableKey};
use crate::scenario::{FeedSource, ImportDefinition, Route, Year};

/// One stage of one metal in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    /// Metal key.
    pub metal: String,
    /// Stage name.
    pub stage: String,
    /// Year.
    pub year: Year,
    /// Material made, Mt.
    pub output_mt: f64,
    /// Capacity available this year: existing plus everything built up to this year, Mt/yr.
    pub capacity_mt: f64,
    /// Capacity commissioned this year, Mt/yr.
    pub built_mt: f64,
    /// Change in cost per extra tonne of this year's stage capacity, CNY/t. `null` unless the
    /// objective is cost or welfare.
    #[serde(default)]
    pub capacity_shadow_price_cny_per_t: Option<f64>,
}

/// One stage's material used by one process in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageUseRow {
    /// Metal key.
    pub metal: String,
    /// The stage whose material is used.
    pub stage: String,
    /// The process using it: a later stage's name, or `primary` / `recycled`.
    pub user: String,
    /// Year.
    pub year: Year,
    /// Material used, Mt.
    pub use_mt: f64,
}

/// Trade in one material of one metal in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeRow {
    /// Metal key.
    pub metal: String,
    /// A stage's name, or `refined`.
    pub material: String,
    /// Year.
    pub year: Year,
    /// Imported, Mt (`null`: the material is not imported).
    pub import_mt: Option<f64>,
    /// Exported, Mt (`null`: the material is not exported).
    pub export_mt: Option<f64>,
}

/// The market of one material of one metal in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarketRow {
    /// Metal key.
    pub metal: String,
    /// A stage's name, or `refined`.
    pub material: String,
    /// Year.
    pub year: Year,
    /// What one more tonne of the material delivered to this market in this year is worth, in
    /// that year's CNY per t (the market balance's dual, undiscounted; docs/model.md,
    /// "Prices"). `null` unless the objective is cost or welfare.
    pub price_cny_per_t: Option<f64>,
}

/// Demand for one metal in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandRow {
    /// Metal key.
    pub metal: String,
    /// Year.
    pub year: Year,
    /// Consumption, Mt.
    pub consumption_mt: f64,
    /// The part of each demand block taken, Mt, in block order (empty for fixed demand, and
    /// under every objective but welfare, where consumption is the reference demand).
    pub blocks_mt: Vec<f64>,
    /// Stock at the end of the year, Mt (`null`: the metal keeps no stock).
    pub stock_mt: Option<f64>,
}

/// Import dependence of one metal in one year by every definition (docs/model.md, "Import
/// dependence"); `null` where the definition has nothing to take a share of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportDependenceRow {
    /// Metal key.
    pub metal: String,
    /// Year.
    pub year: Year,
    /// Imported feed over all feed.
    pub feed: Option<f64>,
    /// Metal in net imports over consumption (metals with demand).
    pub net_imports_over_consumption: Option<f64>,
    /// Imported ore and concentrate over all ore and concentrate used, in metal.
    pub raw_material: Option<f64>,
}

/// What import dependence is a share of, and the imported part, in Mt of metal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Dependence {
    /// The imported part.
    pub imported: f64,
    /// The whole it is a share of.
    pub whole: f64,
}

impl Dependence {
    /// `imported / whole`, or `None` when there is nothing to take a share of.
    pub fn share(self) -> Option<f64> {
        (self.whole > 0.0).then(|| self.imported / self.whole)
    }
}

impl PlanView<'_> {
    /// The value of a stage's column `key` in `year`, 0 when it has none.
    fn stage_output(&self, metal: usize, stage: usize, year: Year) -> f64 {
        self.value(VariableKey::StageOutput { metal, stage, year })
    }

    fn import(&self, metal: usize, material: Material, year: Year) -> f64 {
        self.value(VariableKey::Import {
            metal,
            material,
            year,
        })
    }

    fn export(&self, metal: usize, material: Material, year: Year) -> f64 {
        self.value(VariableKey::Export {
            metal,
            material,
            year,
        })
    }

    /// A sum over the stages of every metal in `year`: `weight(stage) * output`.
    pub(super) fn stage_total(
        &self,
        year: Year,
        weight: impl Fn(&crate::scenario::StageSpec) -> Option<&crate::scenario::PerYear>,
    ) -> f64 {
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for (stage_index, stage) in metal.stages.iter().enumerate() {
                if let Some(value) = weight(stage) {
                    total += value.at(year) * self.stage_output(metal_index, stage_index, year);
                }
            }
        }
        total
    }

    /// Import dependence of `metal` in `year` by `definition`, as docs/model.md (M12) defines it.
    pub(super) fn dependence(
        &self,
        metal: usize,
        year: Year,
        definition: ImportDefinition,
    ) -> Dependence {
        let spec = &self.scenario.metals[metal];
        let feed = |source: FeedSource| {
            self.value(VariableKey::Feed {
                metal,
                source,
                year,
            })
        };
        // Scrap grades count as feed: imported grades as imported feed.
        let (imported_grades, all_grades) = self.grades_drawn(metal, year);
        let imported_feed: f64 = FeedSource::ALL
            .into_iter()
            .filter(|source| source.is_imported())
            .map(feed)
            .sum::<f64>()
            + imported_grades;
        match definition {
            ImportDefinition::Feed => Dependence {
                imported: imported_feed,
                whole: FeedSource::ALL.into_iter().map(feed).sum::<f64>() + all_grades,
            },
            ImportDefinition::NetImportsOverConsumption => {
                let mut imported = imported_feed;
                for trade in &spec.trade {
                    let material = crate::model::trade_material(spec, &trade.material);
                    let content = crate::model::metal_content(spec, material);
                    imported += content
                        * (self.import(metal, material, year) - self.export(metal, material, year));
                }
                Dependence {
                    imported,
                    whole: self.value(VariableKey::Consumption { metal, year }),
                }
            }
            ImportDefinition::RawMaterial => {
                let [ore, concentrate] = Route::Primary.feed_sources();
                let mut imported = feed(concentrate);
                let mut whole = feed(ore) + feed(concentrate);
                for (stage, stage_spec) in spec.stages.iter().enumerate() {
                    if !stage_spec.is_raw() {
                        continue;
                    }
                    let content = stage_spec.metal_content;
                    let material = Material::Stage(stage);
                    let bought = self.import(metal, material, year);
                    imported += content * bought;
                    whole += content
                        * (self.stage_output(metal, stage, year) + bought
                            - self.export(metal, material, year));
                }
                Dependence { imported, whole }
            }
        }
    }

    /// The price of a market row: its cost-sign dual, undiscounted.
    fn price(&self, name: &str, year: Year) -> Option<f64> {
        let discount = discount_factor(self.scenario, year);
        self.dual_of(name).map(|dual| clean(dual / discount))
    }

    pub(super) fn stage_rows(&self) -> Vec<StageRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                for (stage_index, stage) in metal.stages.iter().enumerate() {
                    let build = |built| VariableKey::StageBuild {
                        metal: metal_index,
                        stage: stage_index,
                        year: built,
                    };
                    rows.push(StageRow {
                        metal: metal.name.clone(),
                        stage: stage.name.clone(),
                        year,
                        output_mt: self.stage_output(metal_index, stage_index, year),
                        capacity_mt: stage.capacity_mt.at(year) + self.built_up_to(year, build),
                        built_mt: self.value(build(year)),
                        capacity_shadow_price_cny_per_t: self.dual_of(&format!(
                            "stage_capacity[{},{},{year}]",
                            metal.name, stage.name
                        )),
                    });
                }
            }
        }
        rows
    }

    pub(super) fn stage_use_rows(&self) -> Vec<StageUseRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                for user in processes(metal) {
                    for (stage, _) in crate::model::process_inputs(metal, user, year) {
                        rows.push(StageUseRow {
                            metal: metal.name.clone(),
                            stage: metal.stages[stage].name.clone(),
                            user: process_name(metal, user).to_string(),
                            year,
                            use_mt: self.value(VariableKey::StageUse {
                                metal: metal_index,
                                stage,
                                user,
                                year,
                            }),
                        });
                    }
                }
            }
        }
        rows
    }

    pub(super) fn trade_rows(&self) -> Vec<TradeRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                for trade in &metal.trade {
                    let material = crate::model::trade_material(metal, &trade.material);
                    rows.push(TradeRow {
                        metal: metal.name.clone(),
                        material: trade.material.clone(),
                        year,
                        import_mt: trade
                            .import_max_mt
                            .as_ref()
                            .map(|_| self.import(metal_index, material, year)),
                        export_mt: trade
                            .export_max_mt
                            .as_ref()
                            .map(|_| self.export(metal_index, material, year)),
                    });
                }
            }
        }
        rows
    }

    pub(super) fn market_rows(&self) -> Vec<MarketRow> {
        let mut rows = Vec::new();
        for metal in &self.scenario.metals {
            let mut materials: Vec<Material> =
                (0..metal.stages.len()).map(Material::Stage).collect();
            if metal.demand.is_some() {
                materials.push(Material::Refined);
            }
            for &year in &self.scenario.years {
                for &material in &materials {
                    let name = material_name(metal, material);
                    rows.push(MarketRow {
                        metal: metal.name.clone(),
                        material: name.to_string(),
                        year,
                        price_cny_per_t: self
                            .price(&format!("market[{},{name},{year}]", metal.name), year),
                    });
                }
            }
        }
        rows
    }

    pub(super) fn demand_rows(&self) -> Vec<DemandRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            let Some(demand) = &metal.demand else {
                continue;
            };
            for &year in &self.scenario.years {
                rows.push(DemandRow {
                    metal: metal.name.clone(),
                    year,
                    consumption_mt: self.value(VariableKey::Consumption {
                        metal: metal_index,
                        year,
                    }),
                    // Blocks are decisions under welfare only (M28); otherwise none is listed.
                    blocks_mt: (0..demand.blocks.len())
                        .filter_map(|block| {
                            let key = VariableKey::DemandBlock {
                                metal: metal_index,
                                block,
                                year,
                            };
                            self.model.column(key).map(|column| self.values[column])
                        })
                        .collect(),
                    stock_mt: demand.stock.as_ref().map(|_| {
                        self.value(VariableKey::Stock {
                            metal: metal_index,
                            year,
                        })
                    }),
                });
            }
        }
        rows
    }

    pub(super) fn import_dependence_rows(&self) -> Vec<ImportDependenceRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                let share = |definition| self.dependence(metal_index, year, definition).share();
                rows.push(ImportDependenceRow {
                    metal: metal.name.clone(),
                    year,
                    feed: share(ImportDefinition::Feed),
                    net_imports_over_consumption: metal
                        .demand
                        .as_ref()
                        .and_then(|_| share(ImportDefinition::NetImportsOverConsumption)),
                    raw_material: share(ImportDefinition::RawMaterial),
                });
            }
        }
        rows
    }
}

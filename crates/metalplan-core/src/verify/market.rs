//! The market rows of a plan (M23-M28), recomputed from the scenario and the plan's `stages`,
//! `stage_use`, `trade` and `demand` rows, and import dependence by definition (M12).

use std::collections::BTreeMap;

use super::Checker;
use crate::model::ObjectiveKind;
use crate::scenario::{FeedSource, ImportDefinition, Metal, Route, Sense, Year, REFINED};

/// Imported and exported, `None` where the material is not traded that way.
type Traded = (Option<f64>, Option<f64>);
/// Consumption, the blocks taken and the stock.
type Demanded<'a> = (f64, &'a [f64], Option<f64>);

/// The plan's market rows, keyed for lookup.
#[derive(Default)]
pub(super) struct MarketRows<'a> {
    /// (metal, stage, year) -> (output, built, reported capacity).
    stages: BTreeMap<(&'a str, &'a str, Year), (f64, f64, f64)>,
    /// (metal, stage, user, year) -> material used.
    uses: BTreeMap<(&'a str, &'a str, &'a str, Year), f64>,
    /// (metal, material, year) -> (imported, exported).
    trade: BTreeMap<(&'a str, &'a str, Year), Traded>,
    /// (metal, year) -> (consumption, blocks taken, stock).
    demand: BTreeMap<(&'a str, Year), Demanded<'a>>,
}

impl<'a> MarketRows<'a> {
    pub(super) fn of(values: &'a crate::results::PlanResult) -> Self {
        MarketRows {
            stages: values
                .stages
                .iter()
                .map(|row| {
                    (
                        (row.metal.as_str(), row.stage.as_str(), row.year),
                        (row.output_mt, row.built_mt, row.capacity_mt),
                    )
                })
                .collect(),
            uses: values
                .stage_use
                .iter()
                .map(|row| {
                    (
                        (
                            row.metal.as_str(),
                            row.stage.as_str(),
                            row.user.as_str(),
                            row.year,
                        ),
                        row.use_mt,
                    )
                })
                .collect(),
            trade: values
                .trade
                .iter()
                .map(|row| {
                    (
                        (row.metal.as_str(), row.material.as_str(), row.year),
                        (row.import_mt, row.export_mt),
                    )
                })
                .collect(),
            demand: values
                .demand
                .iter()
                .map(|row| {
                    (
                        (row.metal.as_str(), row.year),
                        (row.consumption_mt, row.blocks_mt.as_slice(), row.stock_mt),
                    )
                })
                .collect(),
        }
    }
}

impl Checker<'_> {
    fn stage_value(&self, metal: &str, stage: &str, year: Year) -> (f64, f64, f64) {
        self.market
            .stages
            .get(&(metal, stage, year))
            .copied()
            .unwrap_or((0.0, 0.0, 0.0))
    }

    /// Material of `stage` used by `user` (a later stage's name, or a route's key).
    pub(super) fn stage_use(&self, metal: &str, stage: &str, user: &str, year: Year) -> f64 {
        self.market
            .uses
            .get(&(metal, stage, user, year))
            .copied()
            .unwrap_or(0.0)
    }

    /// (imported, exported) of a material, 0 where it is not traded that way.
    pub(super) fn traded(&self, metal: &str, material: &str, year: Year) -> (f64, f64) {
        self.market
            .trade
            .get(&(metal, material, year))
            .map_or((0.0, 0.0), |&(import, export)| {
                (import.unwrap_or(0.0), export.unwrap_or(0.0))
            })
    }

    pub(super) fn consumption(&self, metal: &str, year: Year) -> f64 {
        self.market
            .demand
            .get(&(metal, year))
            .map_or(0.0, |&(consumption, _, _)| consumption)
    }

    pub(super) fn stage_output(&self, metal: &str, stage: &str, year: Year) -> f64 {
        self.stage_value(metal, stage, year).0
    }

    /// What `inputs` give: the sum of each input used by `user` over its ratio.
    pub(super) fn given_by_inputs(
        &self,
        metal: &Metal,
        user: &str,
        inputs: &BTreeMap<String, crate::scenario::PerYear>,
        year: Year,
    ) -> f64 {
        inputs
            .iter()
            .map(|(stage, ratio)| self.stage_use(&metal.name, stage, user, year) / ratio.at(year))
            .sum()
    }

    /// M23-M28 for one metal in one year.
    pub(super) fn market(&mut self, metal: &Metal, year: Year) {
        let name = metal.name.as_str();
        for stage in &metal.stages {
            let (output, built, reported) = self.stage_value(name, &stage.name, year);
            let at = |what: &str| format!("{what}[{name},{},{year}]", stage.name);
            self.holds(|| at("stage_output"), output, Sense::AtLeast, 0.0);
            let limit = stage
                .max_build_mt_per_year
                .as_ref()
                .map_or(0.0, |limit| limit.at(year));
            self.holds(|| at("build_stage"), built, Sense::AtMost, limit);
            self.holds(|| at("build_stage"), built, Sense::AtLeast, 0.0);
            let built_so_far: f64 = self
                .scenario
                .years
                .iter()
                .filter(|&&earlier| earlier <= year)
                .map(|&earlier| self.stage_value(name, &stage.name, earlier).1)
                .sum();
            let capacity = stage.capacity_mt.at(year) + built_so_far;
            self.holds(|| at("stage_capacity"), output, Sense::AtMost, capacity);
            self.holds(
                || format!("{} as reported", at("capacity_mt")),
                reported,
                Sense::Equal,
                capacity,
            );
            if !stage.is_raw() {
                let given = self.given_by_inputs(metal, &stage.name, &stage.input_t_per_t, year);
                self.holds(|| at("stage_input"), output, Sense::Equal, given);
            }
            // M25: made + imported - exported = used by every later process.
            let (imported, exported) = self.traded(name, &stage.name, year);
            let used: f64 = self
                .market
                .uses
                .iter()
                .filter(|((m, s, _, y), _)| *m == name && *s == stage.name && *y == year)
                .map(|(_, &used)| used)
                .sum();
            self.holds(
                || at("market"),
                output + imported - exported,
                Sense::Equal,
                used,
            );
        }
        self.trade_bounds(metal, year);
        if metal.demand.is_some() {
            self.refined_market(metal, year);
        }
    }

    /// M26's bounds: every import and export within its least and most.
    fn trade_bounds(&mut self, metal: &Metal, year: Year) {
        let name = metal.name.as_str();
        for trade in &metal.trade {
            let (imported, exported) = self.traded(name, &trade.material, year);
            let sides = [
                (
                    "import",
                    imported,
                    &trade.import_max_mt,
                    &trade.import_min_mt,
                ),
                (
                    "export",
                    exported,
                    &trade.export_max_mt,
                    &trade.export_min_mt,
                ),
            ];
            for (side, amount, most, least) in sides {
                let at = || format!("{side}[{name},{},{year}]", trade.material);
                let most = most.as_ref().map_or(0.0, |most| most.at(year));
                let least = least.as_ref().map_or(0.0, |least| least.at(year));
                self.holds(at, amount, Sense::AtMost, most);
                self.holds(at, amount, Sense::AtLeast, least);
            }
        }
    }

    /// M26-M28: the refined metal's market, demand and stock.
    fn refined_market(&mut self, metal: &Metal, year: Year) {
        let name = metal.name.as_str();
        let Some(demand) = &metal.demand else {
            return;
        };
        let (consumption, blocks, stock) = self
            .market
            .demand
            .get(&(name, year))
            .copied()
            .unwrap_or((0.0, &[], None));
        // Primary metal drawn into recycled output leaves the market (M26).
        let made: f64 = Route::ALL
            .iter()
            .map(|&route| self.output(name, route, year))
            .sum::<f64>()
            - self.primary_drawn(metal, year);
        let (imported, exported) = self.traded(name, REFINED, year);
        let stocked = match &demand.stock {
            Some(spec) => {
                let now = stock.unwrap_or(0.0);
                let at = || format!("stock[{name},{year}]");
                self.holds(at, now, Sense::AtMost, spec.max_mt.at(year));
                let least = spec.min_mt.as_ref().map_or(0.0, |least| least.at(year));
                self.holds(at, now, Sense::AtLeast, least);
                let before = match self.scenario.years.iter().position(|&y| y == year) {
                    Some(position) if position > 0 => {
                        let previous = self.scenario.years[position - 1];
                        self.market
                            .demand
                            .get(&(name, previous))
                            .and_then(|&(_, _, stock)| stock)
                            .unwrap_or(0.0)
                    }
                    _ => spec.initial_mt,
                };
                now - before
            }
            None => 0.0,
        };
        self.holds(
            || format!("market[{name},refined,{year}]"),
            made + imported - exported,
            Sense::Equal,
            consumption + stocked,
        );
        let elastic =
            self.values.objective_kind == ObjectiveKind::Welfare && !demand.blocks.is_empty();
        if elastic {
            let taken: f64 = blocks.iter().sum();
            self.holds(
                || format!("demand[{name},{year}]"),
                consumption,
                Sense::Equal,
                taken,
            );
            for (index, block) in demand.blocks.iter().enumerate() {
                let quantity = blocks.get(index).copied().unwrap_or(0.0);
                let at = || format!("demand_block[{name},{index},{year}]");
                self.holds(at, quantity, Sense::AtMost, block.quantity_mt.at(year));
                self.holds(at, quantity, Sense::AtLeast, 0.0);
            }
        } else {
            self.holds(
                || format!("demand[{name},{year}]"),
                consumption,
                Sense::Equal,
                demand.reference_mt(year),
            );
        }
    }

    /// The import dependence of `metal` in `year` by `definition` as (imported, whole).
    pub(super) fn dependence(
        &self,
        metal: &Metal,
        year: Year,
        definition: ImportDefinition,
    ) -> (f64, f64) {
        let name = metal.name.as_str();
        let feed = |source: FeedSource| self.feed(name, source, year);
        // Scrap grades count as feed: imported grades as imported feed.
        let (imported_grades, all_grades) = self.grades_drawn(metal, year);
        let imported_feed: f64 = FeedSource::ALL
            .into_iter()
            .filter(|source| source.is_imported())
            .map(feed)
            .sum::<f64>()
            + imported_grades;
        match definition {
            ImportDefinition::Feed => (
                imported_feed,
                FeedSource::ALL.into_iter().map(feed).sum::<f64>() + all_grades,
            ),
            ImportDefinition::NetImportsOverConsumption => {
                let mut imported = imported_feed;
                for trade in &metal.trade {
                    let content = metal
                        .stage(&trade.material)
                        .map_or(1.0, |(_, stage)| stage.metal_content);
                    let (bought, sold) = self.traded(name, &trade.material, year);
                    imported += content * (bought - sold);
                }
                (imported, self.consumption(name, year))
            }
            ImportDefinition::RawMaterial => {
                let mut imported = feed(FeedSource::ImportedConcentrate);
                let mut whole = feed(FeedSource::DomesticOre) + imported;
                for stage in metal.stages.iter().filter(|stage| stage.is_raw()) {
                    let (bought, sold) = self.traded(name, &stage.name, year);
                    let made = self.stage_output(name, &stage.name, year);
                    imported += stage.metal_content * bought;
                    whole += stage.metal_content * (made + bought - sold);
                }
                (imported, whole)
            }
        }
    }
}

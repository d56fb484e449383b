//! Electricity as it is made (M31-M33 in docs/model.md): each route or stage that uses power
//! draws it from the scenario's sources, each within what it can supply; CO2 and cost follow the
//! mix the plan chooses, and a clean-share target is a row over that mix. A scenario without
//! `[electricity]` adds nothing here.

use super::objectives::ColumnCosts;
use super::{Builder, Process, RowKind, Sense, VariableKey};
use crate::scenario::Year;
use crate::variable::power_users;

/// The output column key of a process: a route's output or a stage's.
fn process_output(metal: usize, process: Process, year: Year) -> VariableKey {
    match process {
        Process::Route(route) => VariableKey::Output { metal, route, year },
        Process::Stage(stage) => VariableKey::StageOutput { metal, stage, year },
    }
}

impl Builder<'_> {
    /// The number of power sources (0 without `[electricity]`).
    fn source_count(&self) -> usize {
        self.scenario
            .electricity
            .as_ref()
            .map_or(0, |electricity| electricity.sources.len())
    }

    /// The power columns of one metal in one year: each source for each process that uses
    /// power, costed at the source's price and carrying its CO2 (M14, M15).
    pub(super) fn power_columns(&mut self, metal_index: usize, year: Year, discount: f64) {
        let Some(electricity) = &self.scenario.electricity else {
            return;
        };
        let metal = &self.scenario.metals[metal_index];
        for (process, _) in power_users(metal) {
            for (source, spec) in electricity.sources.iter().enumerate() {
                // TWh x CNY/MWh = million CNY; TWh x t/MWh = Mt CO2.
                let costs = ColumnCosts {
                    cost: discount * spec.price_cny_per_mwh.at(year),
                    emissions: spec.co2_t_per_mwh.at(year),
                    ..ColumnCosts::default()
                };
                let key = VariableKey::Power {
                    source,
                    metal: metal_index,
                    process,
                    year,
                };
                self.add_costed_column(key, f64::INFINITY, costs);
            }
        }
    }

    /// The power columns of one process in one year, by source.
    fn power_of(&self, metal: usize, process: Process, year: Year) -> Vec<(usize, usize)> {
        (0..self.source_count())
            .filter_map(|source| {
                self.model
                    .column(VariableKey::Power {
                        source,
                        metal,
                        process,
                        year,
                    })
                    .map(|column| (source, column))
            })
            .collect()
    }

    /// M31 for one metal in one year: each process that uses power draws exactly its MWh per
    /// tonne times its output, from the sources together.
    pub(super) fn power_balance_rows(&mut self, metal_index: usize, year: Year) {
        if self.scenario.electricity.is_none() {
            return;
        }
        let metal = &self.scenario.metals[metal_index];
        for (process, mwh_per_t) in power_users(metal) {
            let Some(output) = self
                .model
                .column(process_output(metal_index, process, year))
            else {
                continue;
            };
            // M31: sum of power by source - MWh/t x output = 0 (Mt x MWh/t = TWh).
            let mut terms: Vec<(usize, f64)> = self
                .power_of(metal_index, process, year)
                .into_iter()
                .map(|(_, column)| (column, 1.0))
                .collect();
            terms.push((output, -mwh_per_t.at(year)));
            self.push_row(
                format!(
                    "power_balance[{},{},{year}]",
                    metal.name,
                    super::process_name(metal, process)
                ),
                RowKind::PowerBalance {
                    metal: metal_index,
                    process,
                },
                year,
                (terms, Sense::Equal, 0.0),
            );
        }
    }

    /// M32: each source supplies at most what it has, each year, to every process together.
    pub(super) fn power_available_rows(&mut self) {
        let Some(electricity) = &self.scenario.electricity else {
            return;
        };
        for &year in &self.scenario.years {
            for (source, spec) in electricity.sources.iter().enumerate() {
                let mut terms = Vec::new();
                for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
                    for (process, _) in power_users(metal) {
                        if let Some(column) = self.model.column(VariableKey::Power {
                            source,
                            metal: metal_index,
                            process,
                            year,
                        }) {
                            terms.push((column, 1.0));
                        }
                    }
                }
                self.push_row(
                    format!("power_available[{},{year}]", spec.name),
                    RowKind::PowerAvailable { source },
                    year,
                    (terms, Sense::AtMost, spec.available_twh.at(year)),
                );
            }
        }
    }

    /// The CO2 of every power column in `year` (M13 counts it).
    pub(super) fn power_co2_terms(&self, year: Year) -> Vec<(usize, f64)> {
        let Some(electricity) = &self.scenario.electricity else {
            return Vec::new();
        };
        let mut terms = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for (process, _) in power_users(metal) {
                for (source, column) in self.power_of(metal_index, process, year) {
                    terms.push((column, electricity.sources[source].co2_t_per_mwh.at(year)));
                }
            }
        }
        terms
    }

    /// M33's terms: clean power less the floor times all power, for one process in one year.
    pub(super) fn clean_share_terms(
        &self,
        metal: usize,
        process: Process,
        year: Year,
        floor: f64,
    ) -> Vec<(usize, f64)> {
        let Some(electricity) = &self.scenario.electricity else {
            return Vec::new();
        };
        self.power_of(metal, process, year)
            .into_iter()
            .map(|(source, column)| {
                let clean = if electricity.sources[source].clean {
                    1.0
                } else {
                    0.0
                };
                (column, clean - floor)
            })
            .collect()
    }
}

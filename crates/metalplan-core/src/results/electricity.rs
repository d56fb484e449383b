//! The electricity parts of a result: power by source and process, each source's use and
//! scarcity, and each process's power, clean share and power price (docs/results.md,
//! "Electricity").

use serde::{Deserialize, Serialize};

use super::{clean, PlanView};
use crate::model::{discount_factor, power_users, process_name, Process, VariableKey};
use crate::scenario::Year;

/// Electricity from one source used by one process in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerRow {
    /// Source name.
    pub source: String,
    /// Metal key.
    pub metal: String,
    /// `primary`, `recycled` or a stage's name.
    pub process: String,
    /// Year.
    pub year: Year,
    /// Electricity, TWh.
    pub twh: f64,
}

/// One power source in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerSourceRow {
    /// Source name.
    pub source: String,
    /// Whether it counts as clean.
    pub clean: bool,
    /// Year.
    pub year: Year,
    /// Used by every process together, TWh.
    pub used_twh: f64,
    /// What it can supply, TWh.
    pub available_twh: f64,
    /// CO2 of what is used, t.
    pub co2_t: f64,
    /// What one more MWh of this source available would save, in that year's CNY per MWh
    /// (minus the dual of its availability row, undiscounted): `0` when it is not used up.
    /// `null` unless the objective is cost or welfare.
    pub scarcity_cny_per_mwh: Option<f64>,
}

/// One process's electricity in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerUseRow {
    /// Metal key.
    pub metal: String,
    /// `primary`, `recycled` or a stage's name.
    pub process: String,
    /// Year.
    pub year: Year,
    /// Electricity used, TWh.
    pub twh: f64,
    /// Share from clean sources (`null` when it uses none).
    pub clean_share: Option<f64>,
    /// What one more MWh for this process costs at the margin, in that year's CNY per MWh (the
    /// dual of its power balance, undiscounted). `null` unless the objective is cost or welfare.
    pub price_cny_per_mwh: Option<f64>,
}

/// A process's power in one year: from clean sources, and in all, TWh.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct CleanPower {
    /// From clean sources.
    pub clean_twh: f64,
    /// From every source.
    pub all_twh: f64,
}

impl CleanPower {
    /// The clean share, or `None` when the process uses no power.
    pub fn share(self) -> Option<f64> {
        (self.all_twh > 0.0).then(|| self.clean_twh / self.all_twh)
    }
}

impl PlanView<'_> {
    fn power(&self, source: usize, metal: usize, process: Process, year: Year) -> f64 {
        self.value(VariableKey::Power {
            source,
            metal,
            process,
            year,
        })
    }

    /// Clean and all power of one process in one year.
    pub(super) fn clean_power(&self, metal: usize, process: Process, year: Year) -> CleanPower {
        let Some(electricity) = &self.scenario.electricity else {
            return CleanPower::default();
        };
        let mut power = CleanPower::default();
        for (source, spec) in electricity.sources.iter().enumerate() {
            let twh = self.power(source, metal, process, year);
            power.all_twh += twh;
            if spec.clean {
                power.clean_twh += twh;
            }
        }
        power
    }

    /// CO2 of all power used in `year`, Mt.
    pub(super) fn power_co2(&self, year: Year) -> f64 {
        let Some(electricity) = &self.scenario.electricity else {
            return 0.0;
        };
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for (process, _) in power_users(metal) {
                for (source, spec) in electricity.sources.iter().enumerate() {
                    total += spec.co2_t_per_mwh.at(year)
                        * self.power(source, metal_index, process, year);
                }
            }
        }
        total
    }

    pub(super) fn power_rows(&self) -> Vec<PowerRow> {
        let Some(electricity) = &self.scenario.electricity else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                for (process, _) in power_users(metal) {
                    for (source, spec) in electricity.sources.iter().enumerate() {
                        rows.push(PowerRow {
                            source: spec.name.clone(),
                            metal: metal.name.clone(),
                            process: process_name(metal, process).to_string(),
                            year,
                            twh: self.power(source, metal_index, process, year),
                        });
                    }
                }
            }
        }
        rows
    }

    pub(super) fn power_source_rows(&self) -> Vec<PowerSourceRow> {
        let Some(electricity) = &self.scenario.electricity else {
            return Vec::new();
        };
        let mut rows = Vec::new();
        for &year in &self.scenario.years {
            let discount = discount_factor(self.scenario, year);
            for (source, spec) in electricity.sources.iter().enumerate() {
                let mut used_twh = 0.0;
                for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
                    for (process, _) in power_users(metal) {
                        used_twh += self.power(source, metal_index, process, year);
                    }
                }
                rows.push(PowerSourceRow {
                    source: spec.name.clone(),
                    clean: spec.clean,
                    year,
                    used_twh,
                    available_twh: spec.available_twh.at(year),
                    co2_t: spec.co2_t_per_mwh.at(year) * used_twh * super::MILLION,
                    // Million CNY per TWh is CNY per MWh.
                    scarcity_cny_per_mwh: self
                        .dual_of(&format!("power_available[{},{year}]", spec.name))
                        .map(|dual| clean(-dual / discount)),
                });
            }
        }
        rows
    }

    pub(super) fn power_use_rows(&self) -> Vec<PowerUseRow> {
        if self.scenario.electricity.is_none() {
            return Vec::new();
        }
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for &year in &self.scenario.years {
                let discount = discount_factor(self.scenario, year);
                for (process, _) in power_users(metal) {
                    let power = self.clean_power(metal_index, process, year);
                    let name = process_name(metal, process);
                    rows.push(PowerUseRow {
                        metal: metal.name.clone(),
                        process: name.to_string(),
                        year,
                        twh: power.all_twh,
                        clean_share: power.share(),
                        price_cny_per_mwh: self
                            .dual_of(&format!("power_balance[{},{name},{year}]", metal.name))
                            .map(|dual| clean(dual / discount)),
                    });
                }
            }
        }
        rows
    }
}

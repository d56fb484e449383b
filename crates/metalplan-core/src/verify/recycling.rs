//! Verifying recycling and electricity (M30-M36) from a result's `grades`, `recycled_inputs`
//! and `power` rows and the scenario alone, as docs/model.md states them.

use std::collections::BTreeMap;

use super::Checker;
use crate::results::PlanResult;
use crate::scenario::{
    AdditionsView, ConstraintTerm, Metal, Names, Origin, PerYear, PowerSourceSpec, Route, Sense,
    TermVariable, Year,
};

/// The recycling and power rows of a result, by key.
pub(super) struct RecyclingRows<'a> {
    /// Scrap drawn by (metal, grade, product or `None`, year), Mt.
    grade_use: BTreeMap<(&'a str, &'a str, Option<&'a str>, Year), f64>,
    /// Scrap drawn by (metal, grade, year) as reported in all, Mt.
    grade_total: BTreeMap<(&'a str, &'a str, Year), f64>,
    /// Product output by (metal, product, year), Mt.
    product_output: BTreeMap<(&'a str, &'a str, Year), f64>,
    /// Power by (source, metal, process, year), TWh.
    power: BTreeMap<(&'a str, &'a str, &'a str, Year), f64>,
}

impl<'a> RecyclingRows<'a> {
    pub(super) fn of(values: &'a PlanResult, scenario: &'a crate::scenario::Scenario) -> Self {
        let mut grade_use = BTreeMap::new();
        let mut grade_total = BTreeMap::new();
        for row in &values.grades {
            grade_total.insert(
                (row.metal.as_str(), row.grade.as_str(), row.year),
                row.used_mt,
            );
            let products = scenario
                .metal(&row.metal)
                .and_then(|metal| metal.recycled.as_ref())
                .map(|spec| spec.products.as_slice())
                .unwrap_or_default();
            if products.is_empty() {
                grade_use.insert(
                    (row.metal.as_str(), row.grade.as_str(), None, row.year),
                    row.used_mt,
                );
            } else {
                for (product, used) in products.iter().zip(&row.by_product_mt) {
                    grade_use.insert(
                        (
                            row.metal.as_str(),
                            row.grade.as_str(),
                            Some(product.name.as_str()),
                            row.year,
                        ),
                        *used,
                    );
                }
            }
        }
        RecyclingRows {
            grade_use,
            grade_total,
            product_output: values
                .recycled_inputs
                .iter()
                .filter_map(|row| {
                    let product = row.product.as_deref()?;
                    Some(((row.metal.as_str(), product, row.year), row.output_mt))
                })
                .collect(),
            power: values
                .power
                .iter()
                .map(|row| {
                    (
                        (
                            row.source.as_str(),
                            row.metal.as_str(),
                            row.process.as_str(),
                            row.year,
                        ),
                        row.twh,
                    )
                })
                .collect(),
        }
    }
}

/// Primary metal per tonne in `year` (0 without).
fn primary_ratio(primary: Option<&PerYear>, year: Year) -> f64 {
    primary.and_then(|ratio| ratio.get(year)).unwrap_or(0.0)
}

impl Checker<'_> {
    pub(super) fn grade_use(
        &self,
        metal: &str,
        grade: &str,
        product: Option<&str>,
        year: Year,
    ) -> f64 {
        self.recycling
            .grade_use
            .get(&(metal, grade, product, year))
            .copied()
            .unwrap_or(0.0)
    }

    pub(super) fn product_output(&self, metal: &str, product: &str, year: Year) -> f64 {
        self.recycling
            .product_output
            .get(&(metal, product, year))
            .copied()
            .unwrap_or(0.0)
    }

    /// Metal recovered from the grades drawn for `product` (or the route, `None`) in `year`.
    pub(super) fn recovered_from_grades(
        &self,
        metal: &Metal,
        product: Option<&str>,
        year: Year,
    ) -> f64 {
        let Some(spec) = &metal.recycled else {
            return 0.0;
        };
        spec.grades
            .iter()
            .map(|(grade, grade_spec)| {
                grade_spec.recovery * self.grade_use(&metal.name, grade, product, year)
            })
            .sum()
    }

    /// M34-M36 for one metal's recycled route in one year (M1 for a route without products is
    /// checked with the route): products add up to the route, each is its scrap metal plus its
    /// additions, limited grades stay within their share, grades within what is available.
    pub(super) fn recycling(&mut self, metal: &Metal, year: Year) {
        let Some(spec) = &metal.recycled else {
            return;
        };
        let name = metal.name.as_str();
        if !spec.products.is_empty() {
            let sum: f64 = spec
                .products
                .iter()
                .map(|product| self.product_output(name, &product.name, year))
                .sum();
            let output = self.output(name, Route::Recycled, year);
            self.holds(
                || format!("product_total[{name},{year}]"),
                output,
                Sense::Equal,
                sum,
            );
            for product in &spec.products {
                let made = self.product_output(name, &product.name, year);
                let scrap_share = 1.0 - additions_total(product.additions(), year);
                let recovered = self.recovered_from_grades(metal, Some(&product.name), year);
                let label = format!("{name},{}", product.name);
                self.holds(
                    || format!("product_balance[{label},{year}]"),
                    scrap_share * made,
                    Sense::Equal,
                    recovered,
                );
                self.holds(
                    || format!("product_output[{label},{year}]"),
                    made,
                    Sense::AtLeast,
                    0.0,
                );
                for (grade, share) in &product.max_grade_share {
                    let (Some(share), Some(grade_spec)) = (share.get(year), spec.grades.get(grade))
                    else {
                        continue;
                    };
                    let from_grade = grade_spec.recovery
                        * self.grade_use(name, grade, Some(&product.name), year);
                    self.holds(
                        || format!("grade_share_max[{label},{grade},{year}]"),
                        from_grade,
                        Sense::AtMost,
                        share * made,
                    );
                }
            }
        }
        for (grade, grade_spec) in &spec.grades {
            let used = self
                .recycling
                .grade_total
                .get(&(name, grade.as_str(), year))
                .copied()
                .unwrap_or(0.0);
            self.holds(
                || format!("grade_available[{name},{grade},{year}]"),
                used,
                Sense::AtMost,
                grade_spec.available_mt.at(year),
            );
            self.holds(
                || format!("grade_use[{name},{grade},{year}]"),
                used,
                Sense::AtLeast,
                0.0,
            );
        }
    }

    /// The primary metal drawn into `metal`'s recycled output in `year`, Mt.
    pub(super) fn primary_drawn(&self, metal: &Metal, year: Year) -> f64 {
        let Some(spec) = &metal.recycled else {
            return 0.0;
        };
        if spec.products.is_empty() {
            return primary_ratio(spec.primary_input_t_per_t.as_ref(), year)
                * self.output(&metal.name, Route::Recycled, year);
        }
        spec.products
            .iter()
            .map(|product| {
                primary_ratio(product.primary_input_t_per_t.as_ref(), year)
                    * self.product_output(&metal.name, &product.name, year)
            })
            .sum()
    }

    /// M30 for a metal without demand: primary output covers the primary metal drawn.
    pub(super) fn primary_input(&mut self, metal: &Metal, year: Year) {
        if metal.demand.is_some() {
            return;
        }
        let drawn = self.primary_drawn(metal, year);
        if drawn == 0.0 {
            return;
        }
        let name = metal.name.as_str();
        let primary = self.output(name, Route::Primary, year);
        self.holds(
            || format!("primary_input[{name},{year}]"),
            primary,
            Sense::AtLeast,
            drawn,
        );
    }

    /// Alloying CO2 of `metal`'s recycled output in `year`, Mt.
    pub(super) fn alloying_co2(&self, metal: &Metal, year: Year) -> f64 {
        let Some(spec) = &metal.recycled else {
            return 0.0;
        };
        if spec.products.is_empty() {
            return alloying_co2(spec.additions(), year)
                * self.output(&metal.name, Route::Recycled, year);
        }
        spec.products
            .iter()
            .map(|product| {
                alloying_co2(product.additions(), year)
                    * self.product_output(&metal.name, &product.name, year)
            })
            .sum()
    }

    /// Imported and all scrap grades drawn by `metal` in `year`, Mt.
    pub(super) fn grades_drawn(&self, metal: &Metal, year: Year) -> (f64, f64) {
        let Some(spec) = &metal.recycled else {
            return (0.0, 0.0);
        };
        let (mut imported, mut all) = (0.0, 0.0);
        for (grade, grade_spec) in &spec.grades {
            let used = self
                .recycling
                .grade_total
                .get(&(metal.name.as_str(), grade.as_str(), year))
                .copied()
                .unwrap_or(0.0);
            all += used;
            if grade_spec.origin == Origin::Imported {
                imported += used;
            }
        }
        (imported, all)
    }

    /// Power from one source to one process in one year, TWh (0 when the plan lists none).
    pub(super) fn power_from(&self, source: &str, metal: &str, process: &str, year: Year) -> f64 {
        self.recycling
            .power
            .get(&(source, metal, process, year))
            .copied()
            .unwrap_or(0.0)
    }

    /// Power of one process in one year by source (TWh), in source order.
    fn power_of(&self, metal: &str, process: &str, year: Year) -> Vec<f64> {
        self.sources()
            .iter()
            .map(|source| self.power_from(&source.name, metal, process, year))
            .collect()
    }

    /// The processes of `metal` that use power, by name, with their output and MWh per tonne.
    fn power_users(&self, metal: &Metal, year: Year) -> Vec<(String, f64, f64)> {
        let mut users = Vec::new();
        for route in Route::ALL {
            if let Some(mwh) = metal
                .route(route)
                .and_then(|spec| spec.electricity_mwh_per_t.as_ref())
            {
                users.push((
                    route.key().to_string(),
                    self.output(&metal.name, route, year),
                    mwh.at(year),
                ));
            }
        }
        for stage in &metal.stages {
            if let Some(mwh) = &stage.electricity_mwh_per_t {
                users.push((
                    stage.name.clone(),
                    self.stage_output(&metal.name, &stage.name, year),
                    mwh.at(year),
                ));
            }
        }
        users
    }

    /// A grade, product or power term's sum for one metal in `year` (M20's terms).
    pub(super) fn recycling_term_sum(
        &self,
        term: &ConstraintTerm,
        variable: TermVariable,
        metal: &Metal,
        year: Year,
    ) -> f64 {
        let named = |names: &Option<Names>, name: &str| Names::selects(names.as_ref(), name);
        let Some(spec) = &metal.recycled else {
            return if variable == TermVariable::Power {
                self.power_term_sum(term, metal, year)
            } else {
                0.0
            };
        };
        let products: Vec<&str> = spec
            .products
            .iter()
            .map(|product| product.name.as_str())
            .filter(|product| named(&term.product, product))
            .collect();
        match variable {
            TermVariable::GradeUse => {
                let mut sum = 0.0;
                for grade in spec.grades.keys().filter(|grade| named(&term.grade, grade)) {
                    if spec.products.is_empty() {
                        if term.product.is_none() {
                            sum += self.grade_use(&metal.name, grade, None, year);
                        }
                    } else {
                        for product in &products {
                            sum += self.grade_use(&metal.name, grade, Some(product), year);
                        }
                    }
                }
                sum
            }
            TermVariable::ProductOutput => products
                .iter()
                .map(|product| self.product_output(&metal.name, product, year))
                .sum(),
            TermVariable::Power => self.power_term_sum(term, metal, year),
            _ => 0.0,
        }
    }

    /// A power term's sum for one metal: the selected sources' power to the selected processes.
    fn power_term_sum(&self, term: &ConstraintTerm, metal: &Metal, year: Year) -> f64 {
        let named = |names: &Option<Names>, name: &str| Names::selects(names.as_ref(), name);
        let mut sum = 0.0;
        for (process, ..) in self.power_users(metal, year) {
            if !named(&term.process, &process) {
                continue;
            }
            for (source, twh) in
                self.sources()
                    .iter()
                    .zip(self.power_of(&metal.name, &process, year))
            {
                if named(&term.source, &source.name) {
                    sum += twh;
                }
            }
        }
        sum
    }

    /// M31 for one metal in one year: each process draws what its output needs.
    pub(super) fn power_balance(&mut self, metal: &Metal, year: Year) {
        if self.scenario.electricity.is_none() {
            return;
        }
        let name = metal.name.as_str();
        for (process, output, mwh) in self.power_users(metal, year) {
            let drawn = self.power_of(name, &process, year);
            for (twh, source) in drawn.iter().zip(self.source_names()) {
                self.holds(
                    || format!("power[{source},{name},{process},{year}]"),
                    *twh,
                    Sense::AtLeast,
                    0.0,
                );
            }
            self.holds(
                || format!("power_balance[{name},{process},{year}]"),
                drawn.iter().sum(),
                Sense::Equal,
                mwh * output,
            );
        }
    }

    /// The scenario's power sources (none without `[electricity]`).
    fn sources(&self) -> &[PowerSourceSpec] {
        self.scenario.power_sources()
    }

    fn source_names(&self) -> Vec<String> {
        self.sources()
            .iter()
            .map(|source| source.name.clone())
            .collect()
    }

    /// M32: each source within what it has, every year; and the power rows are the ones the
    /// scenario implies.
    pub(super) fn power_available(&mut self) {
        let Some(electricity) = &self.scenario.electricity else {
            return;
        };
        let mut expected = 0;
        for &year in &self.scenario.years {
            for source in &electricity.sources {
                let mut used = 0.0;
                for metal in &self.scenario.metals {
                    for (process, _, _) in self.power_users(metal, year) {
                        expected += 1;
                        used += self
                            .recycling
                            .power
                            .get(&(
                                source.name.as_str(),
                                metal.name.as_str(),
                                process.as_str(),
                                year,
                            ))
                            .copied()
                            .unwrap_or(0.0);
                    }
                }
                self.holds(
                    || format!("power_available[{},{year}]", source.name),
                    used,
                    Sense::AtMost,
                    source.available_twh.at(year),
                );
            }
        }
        if self.values.power.len() != expected || self.recycling.power.len() != expected {
            self.violation(
                "power".to_string(),
                format!(
                    "{} rows where the scenario implies {expected} (unknown or repeated rows)",
                    self.values.power.len()
                ),
            );
        }
    }

    /// CO2 of all power used in `year`, Mt.
    pub(super) fn power_co2(&self, year: Year) -> f64 {
        let Some(electricity) = &self.scenario.electricity else {
            return 0.0;
        };
        let mut total = 0.0;
        for metal in &self.scenario.metals {
            for (process, _, _) in self.power_users(metal, year) {
                for (twh, source) in self
                    .power_of(&metal.name, &process, year)
                    .into_iter()
                    .zip(&electricity.sources)
                {
                    total += source.co2_t_per_mwh.at(year) * twh;
                }
            }
        }
        total
    }

    /// M33: each clean-electricity floor in `year`.
    pub(super) fn clean_floors(&mut self, year: Year) {
        let scenario = self.scenario;
        let Some(electricity) = &scenario.electricity else {
            return;
        };
        for floor in &scenario.targets.clean_electricity {
            let Some(share) = floor.min.get(year) else {
                continue;
            };
            let drawn = self.power_of(&floor.metal, &floor.process, year);
            let all: f64 = drawn.iter().sum();
            let clean: f64 = drawn
                .iter()
                .zip(&electricity.sources)
                .filter(|(_, source)| source.clean)
                .map(|(twh, _)| twh)
                .sum();
            self.holds(
                || {
                    format!(
                        "clean_electricity_min[{},{},{year}]",
                        floor.metal, floor.process
                    )
                },
                clean,
                Sense::AtLeast,
                share * all,
            );
        }
    }
}

/// Primary metal and alloying elements per tonne in `year`.
pub(super) fn additions_total(additions: AdditionsView<'_>, year: Year) -> f64 {
    primary_ratio(additions.primary_input_t_per_t, year)
        + additions
            .alloying
            .values()
            .map(|element| element.t_per_t.get(year).unwrap_or(0.0))
            .sum::<f64>()
}

/// Alloying CO2 per tonne in `year`.
fn alloying_co2(additions: AdditionsView<'_>, year: Year) -> f64 {
    additions
        .alloying
        .values()
        .map(|element| {
            element.t_per_t.get(year).unwrap_or(0.0)
                * element
                    .co2_t_per_t
                    .as_ref()
                    .and_then(|co2| co2.get(year))
                    .unwrap_or(0.0)
        })
        .sum()
}

//! Checks of recycling as it is done and of electricity: scrap grades, products and their grade
//! limits, primary metal and alloying elements added to recycled output, power sources, the
//! electricity routes and stages use, and clean-electricity floors.

use std::collections::BTreeMap;

use super::{key_problem, Checker, Coverage, Rule};
use crate::scenario::{AlloyingSpec, Metal, PerYear, Route, RouteSpec, REFINED};

impl Checker<'_> {
    /// Every metal's recycling parts and electricity use.
    pub(super) fn recycling(&mut self) {
        let scenario = self.scenario;
        for (index, metal) in scenario.metals.iter().enumerate() {
            let path = format!("metals[{index}]");
            if let Some(spec) = &metal.primary {
                self.recycled_only(&format!("{path}.primary"), spec);
            }
            if let Some(spec) = &metal.recycled {
                self.recycled_route(&format!("{path}.recycled"), metal, spec);
            }
            for route in Route::ALL {
                if let Some(mwh) = metal
                    .route(route)
                    .and_then(|spec| spec.electricity_mwh_per_t.as_ref())
                {
                    self.electricity_use(&format!("{path}.{route}.electricity_mwh_per_t"), mwh);
                }
            }
            for (position, stage) in metal.stages.iter().enumerate() {
                if let Some(mwh) = &stage.electricity_mwh_per_t {
                    self.electricity_use(
                        &format!("{path}.stages[{position}].electricity_mwh_per_t"),
                        mwh,
                    );
                }
            }
        }
    }

    /// Grades, products and additions belong to the recycled route.
    fn recycled_only(&mut self, path: &str, spec: &RouteSpec) {
        for (field, given) in [
            (
                "primary_input_t_per_t",
                spec.primary_input_t_per_t.is_some(),
            ),
            ("alloying", !spec.alloying.is_empty()),
            ("grades", !spec.grades.is_empty()),
            ("products", !spec.products.is_empty()),
        ] {
            if given {
                self.report(
                    format!("{path}.{field}"),
                    "applies to the recycled route only",
                );
            }
        }
    }

    /// The route's scrap grades: keys, numbers in range, and no scrap feed beside them.
    fn grades(&mut self, path: &str, spec: &RouteSpec) {
        for (key, grade) in &spec.grades {
            let at = format!("{path}.grades.{key}");
            if let Some(message) = key_problem(key) {
                self.report(&at, message);
            }
            let every = Coverage::EveryPlanningYear;
            self.per_year(
                &format!("{at}.available_mt"),
                &grade.available_mt,
                Rule::NonNegative,
                every,
            );
            self.per_year(
                &format!("{at}.cost_cny_per_t"),
                &grade.cost_cny_per_t,
                Rule::NonNegative,
                every,
            );
            self.number(&format!("{at}.recovery"), grade.recovery, Rule::Recovery);
        }
        if !spec.grades.is_empty() {
            for source in Route::Recycled.feed_sources() {
                if spec.feed_source(source).is_some() {
                    self.report(
                        format!("{path}.feed.{source}"),
                        "with grades the route draws its scrap from them: give this scrap as a grade (origin = \"domestic\" or \"imported\") instead",
                    );
                }
            }
        }
    }

    fn recycled_route(&mut self, path: &str, metal: &Metal, spec: &RouteSpec) {
        self.grades(path, spec);
        if spec.products.is_empty() {
            self.additions(
                path,
                metal,
                spec.primary_input_t_per_t.as_ref(),
                &spec.alloying,
            );
            return;
        }
        if spec.grades.is_empty() {
            self.report(
                format!("{path}.products"),
                "products need grades: each product draws its scrap from the route's grades",
            );
        }
        for (field, given) in [
            (
                "primary_input_t_per_t",
                spec.primary_input_t_per_t.is_some(),
            ),
            ("alloying", !spec.alloying.is_empty()),
        ] {
            if given {
                self.report(
                    format!("{path}.{field}"),
                    "with products, give the additions on each product (each alloy takes its own)",
                );
            }
        }
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (position, product) in spec.products.iter().enumerate() {
            let at = format!("{path}.products[{position}]");
            if let Some(message) = key_problem(&product.name) {
                self.report(format!("{at}.name"), message);
            }
            if let Some(first) = seen.insert(&product.name, position) {
                seen.insert(&product.name, first);
                self.report(
                    format!("{at}.name"),
                    format!(
                        "product `{}` is named twice (also products[{first}])",
                        product.name
                    ),
                );
            }
            if let Some(base) = product.base_output_mt {
                self.number(&format!("{at}.base_output_mt"), base, Rule::NonNegative);
            }
            if let Some(least) = &product.output_min_mt {
                self.per_year(
                    &format!("{at}.output_min_mt"),
                    least,
                    Rule::NonNegative,
                    Coverage::EveryPlanningYear,
                );
            }
            self.additions(
                &at,
                metal,
                product.primary_input_t_per_t.as_ref(),
                &product.alloying,
            );
            for (grade, share) in &product.max_grade_share {
                let share_at = format!("{at}.max_grade_share.{grade}");
                if !spec.grades.contains_key(grade) {
                    self.report(
                        &share_at,
                        format!(
                            "`{grade}` is not a grade of this route (its grades: {})",
                            names(spec.grades.keys())
                        ),
                    );
                }
                self.per_year(&share_at, share, Rule::Fraction, Coverage::AnyPlanningYears);
            }
        }
    }

    /// Primary metal and alloying elements per tonne of output: numbers in range, a source for
    /// the primary metal, and less than a whole tonne in all.
    fn additions(
        &mut self,
        path: &str,
        metal: &Metal,
        primary: Option<&PerYear>,
        alloying: &BTreeMap<String, AlloyingSpec>,
    ) {
        let every = Coverage::EveryPlanningYear;
        if let Some(primary) = primary {
            // Both routes counted in the output total: the base-year total subtracts the primary
            // metal drawn in the base year too, so a schedule must give it.
            let both = [Route::Primary, Route::Recycled].iter().all(|&route| {
                metal
                    .route(route)
                    .is_some_and(|spec| spec.counts_toward_output_total)
            });
            let coverage = if both {
                Coverage::PlanningAndBaseYear
            } else {
                every
            };
            self.per_year(
                &format!("{path}.primary_input_t_per_t"),
                primary,
                Rule::NonNegative,
                coverage,
            );
            if metal.primary.is_none() && metal.demand.is_none() {
                self.report(
                    format!("{path}.primary_input_t_per_t"),
                    format!(
                        "the primary metal it draws must come from somewhere: metal `{}` has neither a primary route nor a demand (whose {REFINED} market imports could supply it)",
                        metal.name
                    ),
                );
            }
        }
        for (element, spec) in alloying {
            let at = format!("{path}.alloying.{element}");
            if let Some(message) = key_problem(element) {
                self.report(&at, message);
            }
            self.per_year(
                &format!("{at}.t_per_t"),
                &spec.t_per_t,
                Rule::NonNegative,
                every,
            );
            self.per_year(
                &format!("{at}.price_cny_per_t"),
                &spec.price_cny_per_t,
                Rule::NonNegative,
                every,
            );
            if let Some(co2) = &spec.co2_t_per_t {
                self.per_year(&format!("{at}.co2_t_per_t"), co2, Rule::NonNegative, every);
            }
        }
        for &year in &self.scenario.years {
            let total = primary.and_then(|p| p.get(year)).unwrap_or(0.0)
                + alloying
                    .values()
                    .filter_map(|element| element.t_per_t.get(year))
                    .sum::<f64>();
            if total >= 1.0 {
                self.report(
                    path,
                    format!(
                        "primary metal and alloying elements add up to {total} t per t of output in {year}: some of each tonne must be metal recovered from scrap (keep them below 1)"
                    ),
                );
                return;
            }
        }
    }

    /// A route or stage that uses electricity: MWh per tonne at least 0, and sources to draw on.
    fn electricity_use(&mut self, path: &str, mwh: &PerYear) {
        self.per_year(path, mwh, Rule::NonNegative, Coverage::EveryPlanningYear);
        let has_sources = self
            .scenario
            .electricity
            .as_ref()
            .is_some_and(|electricity| !electricity.sources.is_empty());
        if !has_sources {
            self.report(
                path,
                "uses electricity, but the scenario has no [[electricity.sources]] to draw it from",
            );
        }
    }

    /// `[electricity]`: sources with keys, unique names and numbers in range.
    pub(super) fn electricity(&mut self) {
        let Some(electricity) = &self.scenario.electricity else {
            return;
        };
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let every = Coverage::EveryPlanningYear;
        for (position, source) in electricity.sources.iter().enumerate() {
            let at = format!("electricity.sources[{position}]");
            if let Some(message) = key_problem(&source.name) {
                self.report(format!("{at}.name"), message);
            }
            if let Some(first) = seen.insert(&source.name, position) {
                seen.insert(&source.name, first);
                self.report(
                    format!("{at}.name"),
                    format!(
                        "source `{}` is named twice (also sources[{first}])",
                        source.name
                    ),
                );
            }
            self.per_year(
                &format!("{at}.available_twh"),
                &source.available_twh,
                Rule::NonNegative,
                every,
            );
            self.per_year(
                &format!("{at}.price_cny_per_mwh"),
                &source.price_cny_per_mwh,
                Rule::NonNegative,
                every,
            );
            self.per_year(
                &format!("{at}.co2_t_per_mwh"),
                &source.co2_t_per_mwh,
                Rule::NonNegative,
                every,
            );
        }
    }

    /// `[[targets.clean_electricity]]`: a known metal and process that uses power, a share,
    /// each process once.
    pub(super) fn clean_electricity_targets(&mut self) {
        let scenario = self.scenario;
        let mut seen: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (index, floor) in scenario.targets.clean_electricity.iter().enumerate() {
            let path = format!("targets.clean_electricity[{index}]");
            self.per_year(
                &format!("{path}.min"),
                &floor.min,
                Rule::Fraction,
                Coverage::AnyPlanningYears,
            );
            if let Some(first) = seen.insert((&floor.metal, &floor.process), index) {
                seen.insert((&floor.metal, &floor.process), first);
                self.report(
                    &path,
                    format!(
                        "sets a floor on `{}` {} twice (also clean_electricity[{first}])",
                        floor.metal, floor.process
                    ),
                );
            }
            let Some(metal) = scenario.metal(&floor.metal) else {
                self.report(
                    format!("{path}.metal"),
                    format!("`{}` is not a metal of this scenario", floor.metal),
                );
                continue;
            };
            let Some(process) = crate::model::named_process(metal, &floor.process) else {
                self.report(
                    format!("{path}.process"),
                    format!(
                        "`{}` is neither a route of `{}` nor one of its stages",
                        floor.process, metal.name
                    ),
                );
                continue;
            };
            let uses_power = crate::model::power_users(metal)
                .iter()
                .any(|(user, _)| *user == process);
            if !uses_power {
                self.report(
                    format!("{path}.process"),
                    format!(
                        "`{}` {} uses no electricity: give it electricity_mwh_per_t",
                        metal.name, floor.process
                    ),
                );
            }
        }
    }
}

fn names<'a>(keys: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = keys.map(String::as_str).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

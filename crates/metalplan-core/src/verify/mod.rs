//! The plan verifier: given a scenario and a plan, recompute every constraint and target of
//! `docs/model.md` (including the scenario's own `[[constraints]]`) from the scenario's numbers
//! and the plan's values, independently of the model builder.
//!
//! This module deliberately shares nothing with [`crate::model`]: it never looks at rows or
//! columns, only at the scenario and at the plan rows a result reports (which may come from a
//! file written by anyone). A mistake in the model builder therefore cannot hide itself here.
//! `metalplan solve` runs it on every solution and refuses to report a plan that fails it.

mod market;
mod recycling;

use std::collections::BTreeMap;

use metalplan_plugin::VarRef;
use serde::Serialize;

use crate::plugin_host::PluginRules;
use crate::results::{FacilityRow, PlanResult, PlanRow, SharedCapacityRow};
use crate::scenario::{
    ConstraintTerm, FeedSource, PerYear, Route, Scenario, Sense, TermVariable, Year,
};

/// A constraint may be broken by at most this share of its magnitude (and never less than this
/// amount absolutely): solvers work to about 1e-9, so 1e-6 flags only real violations.
pub const VERIFY_TOLERANCE: f64 = 1e-6;

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The constraint, named as in `docs/model.md` (e.g. `capacity[copper,primary,2025]`).
    pub constraint: String,
    /// What is wrong, with the numbers.
    pub message: String,
}

/// Every violation of `values` against `scenario` and the plugins' rules; empty when the plan
/// holds.
#[must_use]
pub fn verify_plan(
    scenario: &Scenario,
    plugins: &[PluginRules],
    values: &PlanResult,
) -> Vec<Violation> {
    let mut checker = Checker::new(scenario, values);
    checker.rows_match_scenario();
    for (metal_index, metal) in scenario.metals.iter().enumerate() {
        for &year in &scenario.years {
            for route in Route::ALL {
                if metal.route(route).is_some() {
                    checker.route(metal_index, route, year);
                }
            }
            checker.metal(metal_index, year);
            checker.market(metal, year);
            checker.recycling(metal, year);
            checker.primary_input(metal, year);
            checker.power_balance(metal, year);
        }
    }
    checker.power_available();
    // Soft targets may be missed by design; their shortfalls are reported, not violations.
    if !scenario.soft_targets {
        checker.targets();
    }
    checker.user_constraints();
    checker.plugins(plugins);
    checker.facilities();
    checker.violations
}

type RouteKey = (String, Route, Year);
type FeedKey = (String, FeedSource, Year);

struct Checker<'a> {
    scenario: &'a Scenario,
    values: &'a PlanResult,
    plan: BTreeMap<RouteKey, &'a PlanRow>,
    feed: BTreeMap<FeedKey, f64>,
    shared: BTreeMap<(String, Year), &'a SharedCapacityRow>,
    market: market::MarketRows<'a>,
    recycling: recycling::RecyclingRows<'a>,
    violations: Vec<Violation>,
}

impl<'a> Checker<'a> {
    fn new(scenario: &'a Scenario, values: &'a PlanResult) -> Self {
        Checker {
            scenario,
            values,
            plan: values
                .plan
                .iter()
                .map(|row| ((row.metal.clone(), row.route, row.year), row))
                .collect(),
            feed: values
                .feed
                .iter()
                .map(|row| ((row.metal.clone(), row.source, row.year), row.feed_mt))
                .collect(),
            shared: values
                .shared_capacity
                .iter()
                .map(|row| ((row.metal.clone(), row.year), row))
                .collect(),
            market: market::MarketRows::of(values),
            recycling: recycling::RecyclingRows::of(values, scenario),
            violations: Vec::new(),
        }
    }

    fn violation(&mut self, constraint: String, message: String) {
        self.violations.push(Violation {
            constraint,
            message,
        });
    }

    /// `lhs sense rhs` within tolerance, or a violation naming the constraint.
    fn holds(&mut self, constraint: impl FnOnce() -> String, lhs: f64, sense: Sense, rhs: f64) {
        let scale = lhs.abs().max(rhs.abs()).max(1.0);
        let allowed = VERIFY_TOLERANCE * scale;
        let excess = match sense {
            Sense::AtMost => lhs - rhs,
            Sense::AtLeast => rhs - lhs,
            Sense::Equal => (lhs - rhs).abs(),
        };
        if !lhs.is_finite() || excess > allowed {
            let symbol = match sense {
                Sense::AtMost => "<=",
                Sense::AtLeast => ">=",
                Sense::Equal => "=",
            };
            self.violation(
                constraint(),
                format!("{lhs} {symbol} {rhs} does not hold (off by {excess:.3e})"),
            );
        }
    }

    fn output(&self, metal: &str, route: Route, year: Year) -> f64 {
        self.plan
            .get(&(metal.to_string(), route, year))
            .map_or(0.0, |row| row.output_mt)
    }

    fn built(&self, metal: &str, route: Route, year: Year) -> f64 {
        self.plan
            .get(&(metal.to_string(), route, year))
            .map_or(0.0, |row| row.built_mt)
    }

    fn feed(&self, metal: &str, source: FeedSource, year: Year) -> f64 {
        self.feed
            .get(&(metal.to_string(), source, year))
            .copied()
            .unwrap_or(0.0)
    }

    /// Every row the scenario implies is present, no other row is, and no value is negative.
    fn rows_match_scenario(&mut self) {
        let scenario = self.scenario;
        let mut expected_plan = 0;
        let mut expected_feed = 0;
        for metal in &scenario.metals {
            for &year in &scenario.years {
                for route in Route::ALL {
                    let Some(spec) = metal.route(route) else {
                        continue;
                    };
                    expected_plan += 1;
                    if !self.plan.contains_key(&(metal.name.clone(), route, year)) {
                        self.violation(
                            format!("output[{},{route},{year}]", metal.name),
                            "the plan has no row for it".to_string(),
                        );
                    }
                    for source in route.feed_sources() {
                        if spec.feed_source(source).is_some() {
                            expected_feed += 1;
                            if !self.feed.contains_key(&(metal.name.clone(), source, year)) {
                                self.violation(
                                    format!("feed[{},{source},{year}]", metal.name),
                                    "the plan has no row for it".to_string(),
                                );
                            }
                        }
                    }
                }
            }
        }
        if self.plan.len() != expected_plan || self.values.plan.len() != expected_plan {
            self.violation(
                "plan".to_string(),
                format!(
                    "{} rows where the scenario implies {expected_plan} (unknown or repeated rows)",
                    self.values.plan.len()
                ),
            );
        }
        if self.feed.len() != expected_feed || self.values.feed.len() != expected_feed {
            self.violation(
                "feed".to_string(),
                format!(
                    "{} rows where the scenario implies {expected_feed} (unknown or repeated rows)",
                    self.values.feed.len()
                ),
            );
        }
        let negatives: Vec<(String, f64)> = self
            .values
            .plan
            .iter()
            .flat_map(|row| {
                [
                    (
                        format!("output[{},{},{}]", row.metal, row.route, row.year),
                        row.output_mt,
                    ),
                    (
                        format!("build[{},{},{}]", row.metal, row.route, row.year),
                        row.built_mt,
                    ),
                ]
            })
            .chain(self.values.feed.iter().map(|row| {
                (
                    format!("feed[{},{},{}]", row.metal, row.source, row.year),
                    row.feed_mt,
                )
            }))
            .chain(self.values.shared_capacity.iter().map(|row| {
                (
                    format!("build_shared[{},{}]", row.metal, row.year),
                    row.built_mt,
                )
            }))
            // NaN fails too.
            .filter(|(_, value)| value.is_nan() || *value < -VERIFY_TOLERANCE)
            .collect();
        for (name, value) in negatives {
            self.violation(name, format!("{value} is negative or not a number"));
        }
    }

    /// M1-M3 and the build limit for one route of one metal in one year.
    fn route(&mut self, metal_index: usize, route: Route, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let name = metal.name.as_str();
        let Some(spec) = metal.route(route) else {
            return;
        };
        let output = self.output(name, route, year);
        let mut recovered = 0.0;
        for source in route.feed_sources() {
            let Some(feed) = spec.feed_source(source) else {
                continue;
            };
            let drawn = self.feed(name, source, year);
            recovered += feed.recovery * drawn;
            let available = feed.available_mt.at(year);
            self.holds(
                || format!("feed_available[{name},{source},{year}]"),
                drawn,
                Sense::AtMost,
                available,
            );
        }
        let from_stages = self.given_by_inputs(metal, route.key(), &spec.input_t_per_t, year);
        // With products the route makes what they make (checked with the recycling rows);
        // otherwise the scrap share of its output is what feed, stages and grades give.
        if spec.products.is_empty() {
            let from_grades = if route == Route::Recycled {
                self.recovered_from_grades(metal, None, year)
            } else {
                0.0
            };
            let scrap_share = 1.0 - recycling::additions_total(spec.additions(), year);
            self.holds(
                || format!("feed_balance[{name},{route},{year}]"),
                scrap_share * output,
                Sense::Equal,
                recovered + from_stages + from_grades,
            );
        }
        let built = self.built(name, route, year);
        let limit = spec
            .max_build_mt_per_year
            .as_ref()
            .map_or(0.0, |limit| limit.at(year));
        self.holds(
            || format!("build[{name},{route},{year}]"),
            built,
            Sense::AtMost,
            limit,
        );
        let built_so_far: f64 = self
            .scenario
            .years
            .iter()
            .filter(|&&earlier| earlier <= year)
            .map(|&earlier| self.built(name, route, earlier))
            .sum();
        let capacity = spec.capacity_mt.at(year) + built_so_far;
        self.holds(
            || format!("capacity[{name},{route},{year}]"),
            output,
            Sense::AtMost,
            capacity,
        );
        if let Some(reported) = self.plan.get(&(name.to_string(), route, year)) {
            let reported = reported.capacity_mt;
            self.holds(
                || format!("capacity_mt[{name},{route},{year}] as reported"),
                reported,
                Sense::Equal,
                capacity,
            );
        }
    }

    /// M4, M6, M7 for one metal in one year.
    fn metal(&mut self, metal_index: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let name = metal.name.as_str();
        let total: f64 = Route::ALL
            .iter()
            .map(|&route| self.output(name, route, year))
            .sum();
        if let Some(shared) = &metal.shared_capacity {
            let limit = shared
                .max_build_mt_per_year
                .as_ref()
                .map_or(0.0, |limit| limit.at(year));
            let shared_built = |checker: &Self, at: Year| {
                checker
                    .shared
                    .get(&(name.to_string(), at))
                    .map_or(0.0, |row| row.built_mt)
            };
            let built = shared_built(self, year);
            self.holds(
                || format!("build_shared[{name},{year}]"),
                built,
                Sense::AtMost,
                limit,
            );
            let so_far: f64 = self
                .scenario
                .years
                .iter()
                .filter(|&&earlier| earlier <= year)
                .map(|&earlier| shared_built(self, earlier))
                .sum();
            self.holds(
                || format!("shared_capacity[{name},{year}]"),
                total,
                Sense::AtMost,
                shared.capacity_mt.at(year) + so_far,
            );
        }
        if let Some(min) = metal.output_min_mt.as_ref().and_then(|min| min.get(year)) {
            self.holds(
                || format!("metal_output_min[{name},{year}]"),
                total,
                Sense::AtLeast,
                min,
            );
        }
        if let Some(max) = metal.output_max_mt.as_ref().and_then(|max| max.get(year)) {
            self.holds(
                || format!("metal_output_max[{name},{year}]"),
                total,
                Sense::AtMost,
                max,
            );
        }
    }

    /// Ten-metal output, recycled output, value added (CNY/t x Mt) and CO2 in a year; the base
    /// year reads observed output.
    fn aggregates(&self, year: Year) -> (f64, f64, f64, f64) {
        let (mut output_total, mut recycled, mut value_added, mut co2) = (0.0, 0.0, 0.0, 0.0);
        for metal in &self.scenario.metals {
            for route in Route::ALL {
                let Some(spec) = metal.route(route) else {
                    continue;
                };
                let output = if year == self.scenario.base_year {
                    spec.base_output_mt.unwrap_or(0.0)
                } else {
                    self.output(&metal.name, route, year)
                };
                if spec.counts_toward_output_total {
                    output_total += output;
                }
                if route == Route::Recycled && spec.counts_toward_recycled_total != Some(false) {
                    recycled += output;
                }
                value_added += spec.value_added_cny_per_t.get(year).unwrap_or(0.0) * output;
                if year != self.scenario.base_year {
                    co2 += spec.co2_t_per_t.at(year) * output;
                }
            }
            // Primary metal drawn into recycled output is counted once when both routes count.
            let both = [Route::Primary, Route::Recycled].iter().all(|&route| {
                metal
                    .route(route)
                    .is_some_and(|spec| spec.counts_toward_output_total)
            });
            if both {
                output_total -= if year == self.scenario.base_year {
                    self.primary_drawn_in_base_year(metal)
                } else {
                    self.primary_drawn(metal, year)
                };
            }
            if year != self.scenario.base_year {
                co2 += self.alloying_co2(metal, year);
            }
            // Stages add value and CO2, not output toward the totals.
            for stage in &metal.stages {
                let made = if year == self.scenario.base_year {
                    stage.base_output_mt.unwrap_or(0.0)
                } else {
                    self.stage_output(&metal.name, &stage.name, year)
                };
                if let Some(value) = &stage.value_added_cny_per_t {
                    value_added += value.get(year).unwrap_or(0.0) * made;
                }
                if let (Some(co2_per_t), false) =
                    (&stage.co2_t_per_t, year == self.scenario.base_year)
                {
                    co2 += co2_per_t.at(year) * made;
                }
            }
        }
        if year != self.scenario.base_year {
            co2 += self.power_co2(year);
        }
        (output_total, recycled, value_added, co2)
    }

    /// The primary metal drawn into `metal`'s recycled output in the base year, from observed
    /// output: the route's ratio times its base output, or each product's.
    fn primary_drawn_in_base_year(&self, metal: &crate::scenario::Metal) -> f64 {
        let base_year = self.scenario.base_year;
        let Some(spec) = &metal.recycled else {
            return 0.0;
        };
        let ratio = |primary: Option<&PerYear>| {
            primary
                .and_then(|ratio| ratio.get(base_year))
                .unwrap_or(0.0)
        };
        if spec.products.is_empty() {
            return ratio(spec.primary_input_t_per_t.as_ref()) * spec.base_output_mt.unwrap_or(0.0);
        }
        spec.products
            .iter()
            .map(|product| {
                ratio(product.primary_input_t_per_t.as_ref())
                    * product.base_output_mt.unwrap_or(0.0)
            })
            .sum()
    }

    /// M8-M13.
    fn targets(&mut self) {
        let scenario = self.scenario;
        let targets = &scenario.targets;
        for &year in &scenario.years {
            let (output_total, recycled, value_added, co2) = self.aggregates(year);
            let (previous_total, _, previous_value_added, _) = self.aggregates(year - 1);
            let floor = |target: &Option<PerYear>| target.as_ref().and_then(|t| t.get(year));
            if let Some(bound) = floor(&targets.recycled_output_min_mt) {
                self.holds(
                    || format!("recycled_output_min[{year}]"),
                    recycled,
                    Sense::AtLeast,
                    bound,
                );
            }
            if let Some(growth) = floor(&targets.output_growth_min) {
                self.holds(
                    || format!("output_growth_min[{year}]"),
                    output_total,
                    Sense::AtLeast,
                    (1.0 + growth) * previous_total,
                );
            }
            if let Some(growth) = floor(&targets.output_growth_max) {
                self.holds(
                    || format!("output_growth_max[{year}]"),
                    output_total,
                    Sense::AtMost,
                    (1.0 + growth) * previous_total,
                );
            }
            if let Some(growth) = floor(&targets.value_added_growth_min) {
                self.holds(
                    || format!("value_added_growth_min[{year}]"),
                    value_added,
                    Sense::AtLeast,
                    (1.0 + growth) * previous_value_added,
                );
            }
            if let Some(cap) = floor(&targets.co2_max_mt) {
                self.holds(|| format!("co2_max[{year}]"), co2, Sense::AtMost, cap);
            }
            self.clean_floors(year);
            for (metal, cap) in &targets.import_dependence_max {
                let Some(cap) = cap.get(year) else {
                    continue;
                };
                let Some(spec) = scenario.metal(metal) else {
                    continue;
                };
                let (imported, all) =
                    self.dependence(spec, year, crate::scenario::ImportDefinition::Feed);
                self.holds(
                    || format!("import_dependence_max[{metal},{year}]"),
                    imported,
                    Sense::AtMost,
                    cap * all,
                );
            }
            for target in &targets.import_dependence {
                let (Some(cap), Some(metal)) =
                    (target.max.get(year), scenario.metal(&target.metal))
                else {
                    continue;
                };
                let (imported, whole) = self.dependence(metal, year, target.definition);
                self.holds(
                    || {
                        format!(
                            "import_dependence_max[{},{},{year}]",
                            target.metal, target.definition
                        )
                    },
                    imported,
                    Sense::AtMost,
                    cap * whole,
                );
            }
        }
    }

    /// M20: every row of the scenario's `[[constraints]]`, summed straight from the plan rows
    /// that match each term's keys (no model, no expansion to variables). With soft targets
    /// only the `=` rules, which stay hard, are checked.
    fn user_constraints(&mut self) {
        let scenario = self.scenario;
        for (index, rule) in scenario.constraints.iter().enumerate() {
            let sense = match rule.parsed_sense() {
                Some(crate::scenario::Sense::AtMost) => Sense::AtMost,
                Some(crate::scenario::Sense::AtLeast) => Sense::AtLeast,
                Some(crate::scenario::Sense::Equal) => Sense::Equal,
                None => continue,
            };
            if scenario.soft_targets && sense != Sense::Equal {
                continue;
            }
            for year in rule.rule_years(scenario) {
                let part = self.terms_sum(&rule.terms, year);
                let rhs = match (&rule.share, &rule.of) {
                    (Some(share), Some(of)) => {
                        share.get(year).unwrap_or(f64::NAN) * self.terms_sum(of, year)
                    }
                    _ => rule
                        .rhs
                        .as_ref()
                        .and_then(|rhs| rhs.get(year))
                        .unwrap_or(f64::NAN),
                };
                self.holds(
                    || format!("user[{},{year}] (constraints[{index}])", rule.name),
                    part,
                    sense,
                    rhs,
                );
            }
        }
    }

    /// The sum of `terms` in `year`: each term's coefficient times the plan rows of its variable
    /// whose metal, route, source and year match its keys (a missing key matches every one).
    fn terms_sum(&self, terms: &[ConstraintTerm], year: Year) -> f64 {
        let mut total = 0.0;
        for term in terms {
            let year = term.year.unwrap_or(year);
            let metal = |name: &str| term.metal.as_ref().is_none_or(|names| names.contains(name));
            let route = |route: Route| {
                term.route
                    .as_ref()
                    .is_none_or(|names| names.contains(route.key()))
            };
            let plan_rows = || {
                self.values
                    .plan
                    .iter()
                    .filter(|row| row.year == year && metal(&row.metal) && route(row.route))
            };
            let sum: f64 = match TermVariable::parse(term.variable.as_deref()) {
                Some(TermVariable::Output) => plan_rows().map(|row| row.output_mt).sum(),
                Some(TermVariable::Build) => plan_rows().map(|row| row.built_mt).sum(),
                Some(TermVariable::Feed) => self
                    .values
                    .feed
                    .iter()
                    .filter(|row| {
                        row.year == year
                            && metal(&row.metal)
                            && route(row.route)
                            && term
                                .source
                                .as_ref()
                                .is_none_or(|names| names.contains(row.source.key()))
                    })
                    .map(|row| row.feed_mt)
                    .sum(),
                Some(variable) => self.market_terms_sum(term, variable, year, &metal),
                None => f64::NAN,
            };
            total += term.coefficient.unwrap_or(1.0) * sum;
        }
        total
    }

    /// A stage, trade or consumption term's sum in `year` over the metals `metal` selects.
    fn market_terms_sum(
        &self,
        term: &ConstraintTerm,
        variable: TermVariable,
        year: Year,
        metal: &dyn Fn(&str) -> bool,
    ) -> f64 {
        let named = |names: &Option<crate::scenario::Names>, name: &str| {
            crate::scenario::Names::selects(names.as_ref(), name)
        };
        let mut sum = 0.0;
        for spec in self.scenario.metals.iter().filter(|spec| metal(&spec.name)) {
            let name = spec.name.as_str();
            match variable {
                TermVariable::StageOutput => {
                    for stage in spec.stages.iter().filter(|s| named(&term.stage, &s.name)) {
                        sum += self.stage_output(name, &stage.name, year);
                    }
                }
                TermVariable::Import | TermVariable::Export => {
                    for trade in spec
                        .trade
                        .iter()
                        .filter(|t| named(&term.material, &t.material))
                    {
                        let (imported, exported) = self.traded(name, &trade.material, year);
                        sum += if variable == TermVariable::Import {
                            imported
                        } else {
                            exported
                        };
                    }
                }
                TermVariable::Consumption => sum += self.consumption(name, year),
                TermVariable::GradeUse | TermVariable::ProductOutput | TermVariable::Power => {
                    sum += self.recycling_term_sum(term, variable, spec, year);
                }
                TermVariable::Output | TermVariable::Feed | TermVariable::Build => {}
            }
        }
        sum
    }

    /// M21-M22: each facility within its capacity and expansions, producing only in its
    /// operating years; each route with facilities producing exactly their sum.
    fn facilities(&mut self) {
        let scenario = self.scenario;
        if scenario.facilities.is_empty() && self.values.facilities.is_empty() {
            return;
        }
        let mut rows: BTreeMap<(&str, Year), &FacilityRow> = BTreeMap::new();
        for row in &self.values.facilities {
            if rows.insert((row.id.as_str(), row.year), row).is_some() {
                self.violation(
                    format!("facility_output[{},{}]", row.id, row.year),
                    "the plan lists this facility and year twice".to_string(),
                );
            }
        }
        let mut route_sums: BTreeMap<(&str, Route, Year), f64> = BTreeMap::new();
        for facility in &scenario.facilities {
            let id = facility.id.as_str();
            let mut capacity = facility.capacity_mt;
            for &year in &scenario.years {
                let row = rows.remove(&(id, year));
                let (output, built) = row.map_or((0.0, 0.0), |row| (row.output_mt, row.built_mt));
                if !facility.operates_in(year) {
                    self.holds(
                        || {
                            format!(
                                "facility_output[{id},{year}] (outside {}..{})",
                                facility.first_year, facility.last_year
                            )
                        },
                        output.abs() + built.abs(),
                        Sense::AtMost,
                        0.0,
                    );
                    continue;
                }
                if row.is_none() {
                    self.violation(
                        format!("facility_output[{id},{year}]"),
                        "the plan has no row for this facility and year".to_string(),
                    );
                }
                self.holds(
                    || format!("facility_output[{id},{year}] >= 0"),
                    output,
                    Sense::AtLeast,
                    0.0,
                );
                self.holds(
                    || format!("facility_build[{id},{year}] >= 0"),
                    built,
                    Sense::AtLeast,
                    0.0,
                );
                self.holds(
                    || format!("facility_build[{id},{year}] (max_build_mt_per_year)"),
                    built,
                    Sense::AtMost,
                    facility.max_build_mt_per_year,
                );
                capacity += built;
                self.holds(
                    || format!("facility_capacity[{id},{year}]"),
                    output,
                    Sense::AtMost,
                    capacity,
                );
                *route_sums
                    .entry((facility.metal.as_str(), facility.route, year))
                    .or_default() += output;
            }
        }
        for ((id, year), _) in rows {
            self.violation(
                format!("facility_output[{id},{year}]"),
                "the plan has a row for a facility and year the scenario does not have".to_string(),
            );
        }
        let routes: std::collections::BTreeSet<(&str, Route)> = scenario
            .facilities
            .iter()
            .map(|facility| (facility.metal.as_str(), facility.route))
            .collect();
        for (metal, route) in routes {
            for &year in &scenario.years {
                let sum = route_sums
                    .get(&(metal, route, year))
                    .copied()
                    .unwrap_or(0.0);
                self.holds(
                    || format!("facility_total[{metal},{route},{year}]"),
                    self.output(metal, route, year),
                    Sense::Equal,
                    sum,
                );
            }
        }
    }

    /// Every plugin constraint, evaluated on the plan's values.
    fn plugins(&mut self, plugins: &[PluginRules]) {
        for plugin in plugins {
            let own: BTreeMap<&str, f64> = self
                .values
                .plugins
                .iter()
                .find(|values| values.name == plugin.name)
                .map(|values| {
                    values
                        .variables
                        .iter()
                        .map(|row| (row.name.as_str(), row.value))
                        .collect()
                })
                .unwrap_or_default();
            for variable in &plugin.contribution.variables {
                let value = own.get(variable.name.as_str()).copied().unwrap_or(f64::NAN);
                let name = format!("plugin.{}.{}", plugin.name, variable.name);
                self.holds(
                    || format!("{name} lower bound"),
                    value,
                    Sense::AtLeast,
                    variable.lower,
                );
                if let Some(upper) = variable.upper {
                    self.holds(
                        || format!("{name} upper bound"),
                        value,
                        Sense::AtMost,
                        upper,
                    );
                }
            }
            for constraint in &plugin.contribution.constraints {
                let lhs: f64 = constraint
                    .terms
                    .iter()
                    .map(|term| term.coefficient * self.var_value(&term.var, &own))
                    .sum();
                self.holds(
                    || format!("plugin.{}.{}", plugin.name, constraint.name),
                    lhs,
                    constraint.sense,
                    constraint.rhs,
                );
            }
        }
    }

    fn var_value(&self, var: &VarRef, own: &BTreeMap<&str, f64>) -> f64 {
        match var {
            VarRef::Output {
                metal,
                route: r,
                year,
            } => self.output(metal, *r, *year),
            VarRef::Build {
                metal,
                route: r,
                year,
            } => self.built(metal, *r, *year),
            VarRef::Feed {
                metal,
                source,
                year,
            } => self.feed(metal, *source, *year),
            VarRef::StageOutput { metal, stage, year } => self.stage_output(metal, stage, *year),
            VarRef::Import {
                metal,
                material,
                year,
            } => self.traded(metal, material, *year).0,
            VarRef::Export {
                metal,
                material,
                year,
            } => self.traded(metal, material, *year).1,
            VarRef::Consumption { metal, year } => self.consumption(metal, *year),
            VarRef::GradeUse {
                metal,
                grade,
                product,
                year,
            } => self.grade_use(metal, grade, product.as_deref(), *year),
            VarRef::ProductOutput {
                metal,
                product,
                year,
            } => self.product_output(metal, product, *year),
            VarRef::Power {
                source,
                metal,
                process,
                year,
            } => self.power_from(source, metal, process, *year),
            VarRef::Own { name } => own.get(name.as_str()).copied().unwrap_or(f64::NAN),
        }
    }
}

//! Checks a parsed scenario against every rule the model relies on, gathering all problems.
//! The market parts of a metal (stages, trade, demand) are checked in [`market`]; grades,
//! products, additions and electricity in [`recycling`].

mod market;
mod recycling;
mod text;

use std::collections::BTreeMap;

use super::{PerYear, Route, RouteSpec, Scenario, Year};
use crate::error::Problem;

/// Every problem with `scenario`, in the order found; empty when it is valid.
///
/// The problems carry field paths but no positions; [`super::load_scenario`] adds those.
#[must_use]
pub fn validate(scenario: &Scenario) -> Vec<Problem> {
    let mut checker = Checker {
        scenario,
        problems: Vec::new(),
    };
    checker.horizon();
    if !checker.problems.is_empty() {
        // Every per-year value is checked against the horizon; with the horizon itself wrong,
        // those checks would only repeat its problem many times over.
        return checker.problems;
    }
    checker.metals();
    checker.markets();
    checker.recycling();
    checker.electricity();
    checker.facilities();
    checker.targets();
    checker.import_dependence_targets();
    checker.clean_electricity_targets();
    checker
        .problems
        .extend(super::constraints::check(scenario, key_problem));
    checker.plugins();
    checker.text();
    // Other checks quote names as written; a control character in one must not reach the
    // terminal raw through their messages either.
    for problem in &mut checker.problems {
        problem.path = text::escaped(&problem.path);
        problem.message = text::escaped(&problem.message);
    }
    checker.problems
}

/// No number in a scenario may exceed this in size: the largest real ones (costs in CNY/t) are
/// below 1e7, and solvers lose all precision, or fail outright, on numbers near 1e30.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// What a number must satisfy.
#[derive(Clone, Copy)]
enum Rule {
    /// Finite and at least 0.
    NonNegative,
    /// Finite, between 0 and 1 inclusive.
    Fraction,
    /// Finite, above 0 and at most 1.
    Recovery,
    /// Finite and above -1 (a fall of more than 100 % is impossible).
    Growth,
    /// Finite and above 0 (a conversion factor).
    Positive,
}

impl Rule {
    /// Why `value` breaks the rule, if it does.
    fn breach(self, value: f64) -> Option<String> {
        // Numbers in messages are compact: 1e308, not its 309 digits.
        let value = Compact(value);
        if !value.0.is_finite() {
            return Some(format!("must be a finite number, got {value}"));
        }
        if value.0.abs() > MAX_MAGNITUDE {
            return Some(format!(
                "{value} is beyond {MAX_MAGNITUDE:e}: no planning quantity is that large (a unit mistake?), and solvers fail on such numbers"
            ));
        }
        match self {
            Rule::NonNegative if value.0 < 0.0 => {
                Some(format!("must not be negative, got {value}"))
            }
            Rule::Fraction if !(0.0..=1.0).contains(&value.0) => {
                Some(format!("must be a fraction between 0 and 1, got {value}"))
            }
            Rule::Recovery if value.0 <= 0.0 || value.0 > 1.0 => Some(format!(
                "must be above 0 and at most 1 (a share of contained metal), got {value}"
            )),
            Rule::Positive if value.0 <= 0.0 => Some(format!(
                "must be above 0 (tonnes of input per tonne of output), got {value}"
            )),
            Rule::Growth if value.0 <= -1.0 => Some(format!(
                "is a growth rate below -100 % ({value}); write +1.5 % as 0.015"
            )),
            _ => None,
        }
    }
}

/// A number shown in a message in [`crate::files::compact`] form.
#[derive(Clone, Copy)]
struct Compact(f64);

impl std::fmt::Display for Compact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::files::compact(self.0))
    }
}

/// Which years a per-year value must cover.
#[derive(Clone, Copy)]
enum Coverage {
    /// A parameter: every planning year.
    EveryPlanningYear,
    /// A parameter also used for the base year (value added, for growth from the base year).
    PlanningAndBaseYear,
    /// A target: only the listed years are constrained; each must be a planning year.
    AnyPlanningYears,
}

struct Checker<'s> {
    scenario: &'s Scenario,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
            location: None,
        });
    }

    fn number(&mut self, path: &str, value: f64, rule: Rule) {
        if let Some(message) = rule.breach(value) {
            self.report(path, message);
        }
    }

    /// Facilities: unique ids, a metal and route that exist, sane numbers and years.
    fn facilities(&mut self) {
        let scenario = self.scenario;
        let mut first_with_id: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, facility) in scenario.facilities.iter().enumerate() {
            let path = |field: &str| format!("facilities[{index}].{field}");
            if facility.id.trim().is_empty() {
                self.report(path("id"), "is empty; every facility needs an id");
            } else if let Some(first) = first_with_id.insert(&facility.id, index) {
                // Keep the first position, so every later duplicate points at the same one.
                first_with_id.insert(&facility.id, first);
                self.report(
                    path("id"),
                    format!(
                        "`{}` is already the id at facilities[{first}]; ids must be unique",
                        facility.id
                    ),
                );
            }
            match scenario.metal(&facility.metal) {
                None => self.report(
                    path("metal"),
                    format!(
                        "`{}` is not a metal of this scenario (metals: {})",
                        facility.metal,
                        metal_names(scenario)
                    ),
                ),
                Some(metal) if metal.route(facility.route).is_none() => self.report(
                    path("route"),
                    format!(
                        "metal `{}` has no {} route in the scenario",
                        facility.metal, facility.route
                    ),
                ),
                Some(_) => {}
            }
            self.number(
                &path("capacity_mt"),
                facility.capacity_mt,
                Rule::NonNegative,
            );
            self.number(
                &path("operating_cost_cny_per_t"),
                facility.operating_cost_cny_per_t,
                Rule::NonNegative,
            );
            self.number(
                &path("max_build_mt_per_year"),
                facility.max_build_mt_per_year,
                Rule::NonNegative,
            );
            self.number(
                &path("investment_cny_per_t"),
                facility.investment_cny_per_t,
                Rule::NonNegative,
            );
            for (field, year) in [
                ("first_year", facility.first_year),
                ("last_year", facility.last_year),
            ] {
                if !(1900..=2200).contains(&year) {
                    self.report(
                        path(field),
                        format!("{year} is not a plausible year (1900 to 2200)"),
                    );
                }
            }
            if facility.first_year > facility.last_year {
                self.report(
                    path("last_year"),
                    format!(
                        "{} is before first_year {}",
                        facility.last_year, facility.first_year
                    ),
                );
            }
        }
    }

    fn horizon(&mut self) {
        let base_year = self.scenario.base_year;
        if !(1900..=2200).contains(&base_year) {
            self.report(
                "base_year",
                format!("{base_year} is not a plausible year (1900 to 2200)"),
            );
            // Year arithmetic below would be meaningless (or overflow) from such a base.
            return;
        }
        let years = &self.scenario.years;
        if years.is_empty() {
            self.report(
                "years",
                "lists no planning year; give at least one, e.g. [2025]",
            );
        }
        for (expected, (index, &year)) in (base_year + 1..).zip(years.iter().enumerate()) {
            let path = format!("years[{index}]");
            if index > 0 && year <= years[index - 1] {
                self.report(
                    path,
                    format!(
                        "years out of order: {year} follows {}; list them increasing",
                        years[index - 1]
                    ),
                );
                return;
            }
            if year != expected {
                let message = if index == 0 {
                    format!(
                        "the first planning year must follow the base year {base_year}, got {year}"
                    )
                } else {
                    format!(
                        "planning years must be consecutive (growth targets compare each year with the one before): expected {expected}, got {year}"
                    )
                };
                self.report(path, message);
                return;
            }
        }
        let rate = self.scenario.discount_rate;
        if !rate.is_finite() || !(0.0..1.0).contains(&rate) {
            self.report(
                "discount_rate",
                format!("must be at least 0 and below 1, got {rate}"),
            );
        }
    }

    /// Checks every entry of a per-year value and that it covers the years it must.
    fn per_year(&mut self, path: &str, value: &PerYear, rule: Rule, coverage: Coverage) {
        let scenario = self.scenario;
        match value {
            PerYear::Constant(number) => self.number(path, *number, rule),
            PerYear::Schedule(by_year) if by_year.is_empty() => {
                // What a file cannot say (per_year.rs refuses `{}`), a scenario built in code
                // cannot either.
                self.report(
                    path,
                    "an empty per-year table gives no year; give a number, or at least one year",
                );
            }
            PerYear::Schedule(by_year) => {
                for (&year, &number) in by_year {
                    let entry_path = format!("{path}.{year}");
                    // The base year's entry is observed data: calibration solves it
                    // (docs/backtest.md); the planning model reads it only where the field
                    // needs the base year.
                    let allowed = scenario.years.contains(&year) || year == scenario.base_year;
                    if !allowed {
                        self.report(
                            &entry_path,
                            format!(
                                "year {year} is outside the horizon ({})",
                                horizon_text(scenario)
                            ),
                        );
                    }
                    self.number(&entry_path, number, rule);
                }
                let mut needed: Vec<Year> = match coverage {
                    Coverage::AnyPlanningYears => Vec::new(),
                    Coverage::EveryPlanningYear => scenario.years.clone(),
                    Coverage::PlanningAndBaseYear => {
                        let mut years = vec![scenario.base_year];
                        years.extend(&scenario.years);
                        years
                    }
                };
                needed.retain(|year| !by_year.contains_key(year));
                if let Some(&first) = needed.first() {
                    let listed: Vec<String> = needed.iter().map(ToString::to_string).collect();
                    let what = if first == scenario.base_year {
                        "missing base-year data: no value"
                    } else {
                        "no value"
                    };
                    self.report(path, format!("{what} for {}", listed.join(", ")));
                }
            }
        }
    }

    fn metals(&mut self) {
        let scenario = self.scenario;
        if scenario.metals.is_empty() {
            self.report(
                "metals",
                "no metal is described; add at least one [[metals]] table",
            );
        }
        let mut first_index: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, metal) in scenario.metals.iter().enumerate() {
            let path = format!("metals[{index}]");
            if let Some(message) = key_problem(&metal.name) {
                self.report(format!("{path}.name"), message);
            }
            if let Some(previous) = first_index.insert(&metal.name, index) {
                first_index.insert(&metal.name, previous);
                self.report(
                    format!("{path}.name"),
                    format!(
                        "metal `{}` is named twice (also metals[{previous}])",
                        metal.name
                    ),
                );
            }
            if metal.primary.is_none() && metal.recycled.is_none() {
                self.report(
                    &path,
                    format!(
                        "metal `{}` has neither a primary nor a recycled route",
                        metal.name
                    ),
                );
            }
            for route in Route::ALL {
                if let Some(spec) = metal.route(route) {
                    self.route(&format!("{path}.{route}"), route, spec);
                }
            }
            if let Some(shared) = &metal.shared_capacity {
                let view = shared.view();
                self.capacity(&format!("{path}.shared_capacity"), view);
            }
            for (field, bound) in [
                ("output_min_mt", &metal.output_min_mt),
                ("output_max_mt", &metal.output_max_mt),
            ] {
                if let Some(bound) = bound {
                    self.per_year(
                        &format!("{path}.{field}"),
                        bound,
                        Rule::NonNegative,
                        Coverage::AnyPlanningYears,
                    );
                }
            }
            if let (Some(min), Some(max)) = (&metal.output_min_mt, &metal.output_max_mt) {
                for &year in &scenario.years {
                    if let (Some(low), Some(high)) = (min.get(year), max.get(year)) {
                        if low > high {
                            self.report(
                                format!("{path}.output_min_mt"),
                                format!("{low} Mt is above output_max_mt ({high} Mt) in {year}"),
                            );
                        }
                    }
                }
            }
        }
    }

    fn capacity(&mut self, path: &str, capacity: super::CapacityView<'_>) {
        self.per_year(
            &format!("{path}.capacity_mt"),
            capacity.capacity_mt,
            Rule::NonNegative,
            Coverage::EveryPlanningYear,
        );
        if let Some(max_build) = capacity.max_build_mt_per_year {
            self.per_year(
                &format!("{path}.max_build_mt_per_year"),
                max_build,
                Rule::NonNegative,
                Coverage::EveryPlanningYear,
            );
            let can_build = max_build.entries().any(|(_, value)| value > 0.0);
            if can_build && capacity.investment_cny_per_t.is_none() {
                self.report(
                    format!("{path}.investment_cny_per_t"),
                    "is required when max_build_mt_per_year allows new capacity",
                );
            }
        }
        if let Some(investment) = capacity.investment_cny_per_t {
            self.per_year(
                &format!("{path}.investment_cny_per_t"),
                investment,
                Rule::NonNegative,
                Coverage::EveryPlanningYear,
            );
        }
    }

    fn route(&mut self, path: &str, route: Route, spec: &RouteSpec) {
        match spec.base_output_mt {
            Some(base) => self.number(&format!("{path}.base_output_mt"), base, Rule::NonNegative),
            None => self.report(
                format!("{path}.base_output_mt"),
                format!(
                    "missing base-year data: the observed {route} output in {} is required",
                    self.scenario.base_year
                ),
            ),
        }
        self.capacity(path, spec.capacity());
        for (field, value, coverage) in [
            (
                "operating_cost_cny_per_t",
                &spec.operating_cost_cny_per_t,
                Coverage::EveryPlanningYear,
            ),
            (
                "value_added_cny_per_t",
                &spec.value_added_cny_per_t,
                Coverage::PlanningAndBaseYear,
            ),
            (
                "co2_t_per_t",
                &spec.co2_t_per_t,
                Coverage::EveryPlanningYear,
            ),
        ] {
            self.per_year(
                &format!("{path}.{field}"),
                value,
                Rule::NonNegative,
                coverage,
            );
        }
        if route == Route::Primary && spec.counts_toward_recycled_total.is_some() {
            self.report(
                format!("{path}.counts_toward_recycled_total"),
                "applies to the recycled route only",
            );
        }
        if spec.feed.is_empty() && spec.input_t_per_t.is_empty() && spec.grades.is_empty() {
            self.report(
                format!("{path}.feed"),
                format!(
                    "the {route} route has no feed source, so it cannot produce; add feed.{} or feed.{}",
                    route.feed_sources()[0],
                    route.feed_sources()[1]
                ),
            );
        }
        let allowed = route.feed_sources();
        for (key, feed) in &spec.feed {
            let feed_path = format!("{path}.feed.{key}");
            if !allowed.iter().any(|source| source.key() == key) {
                self.report(
                    &feed_path,
                    format!(
                        "`{key}` is not a feed source of the {route} route; use {} or {}",
                        allowed[0], allowed[1]
                    ),
                );
            }
            self.per_year(
                &format!("{feed_path}.available_mt"),
                &feed.available_mt,
                Rule::NonNegative,
                Coverage::EveryPlanningYear,
            );
            self.per_year(
                &format!("{feed_path}.cost_cny_per_t"),
                &feed.cost_cny_per_t,
                Rule::NonNegative,
                Coverage::EveryPlanningYear,
            );
            self.number(
                &format!("{feed_path}.recovery"),
                feed.recovery,
                Rule::Recovery,
            );
        }
    }

    fn targets(&mut self) {
        let scenario = self.scenario;
        let targets = &scenario.targets;
        let any = Coverage::AnyPlanningYears;
        if let Some(floor) = &targets.recycled_output_min_mt {
            self.per_year(
                "targets.recycled_output_min_mt",
                floor,
                Rule::NonNegative,
                any,
            );
            let counted = scenario.metals.iter().any(|metal| {
                metal
                    .recycled
                    .as_ref()
                    .is_some_and(|spec| spec.counts_toward_recycled_total != Some(false))
            });
            if !counted {
                self.report(
                    "targets.recycled_output_min_mt",
                    "no recycled route counts toward the recycled total, so the floor cannot be met",
                );
            }
        }
        for (field, growth) in [
            ("output_growth_min", &targets.output_growth_min),
            ("output_growth_max", &targets.output_growth_max),
            ("value_added_growth_min", &targets.value_added_growth_min),
        ] {
            if let Some(growth) = growth {
                self.per_year(&format!("targets.{field}"), growth, Rule::Growth, any);
            }
        }
        if let (Some(min), Some(max)) = (&targets.output_growth_min, &targets.output_growth_max) {
            for &year in &scenario.years {
                if let (Some(low), Some(high)) = (min.get(year), max.get(year)) {
                    if low > high {
                        self.report(
                            "targets.output_growth_max",
                            format!("{high} is below output_growth_min ({low}) in {year}"),
                        );
                    }
                }
            }
        }
        for (metal, cap) in &targets.import_dependence_max {
            let path = format!("targets.import_dependence_max.{metal}");
            if scenario.metal(metal).is_none() {
                self.report(&path, format!("`{metal}` is not a metal of this scenario"));
            }
            self.per_year(&path, cap, Rule::Fraction, any);
        }
        if let Some(cap) = &targets.co2_max_mt {
            self.per_year("targets.co2_max_mt", cap, Rule::NonNegative, any);
        }
    }
}

impl Checker<'_> {
    fn plugins(&mut self) {
        for (index, plugin) in self.scenario.plugins.iter().enumerate() {
            let path = format!("plugins[{index}]");
            match (&plugin.name, &plugin.path) {
                (Some(_), Some(_)) => {
                    self.report(&path, "give either `name` or `path`, not both");
                }
                (None, None) => {
                    self.report(&path, "give the plugin's `name` or its `path`");
                }
                (Some(name), None) => {
                    if let Some(message) = key_problem(name) {
                        self.report(format!("{path}.name"), message);
                    }
                }
                (None, Some(file)) => {
                    if file.trim().is_empty() {
                        self.report(format!("{path}.path"), "must not be empty");
                    }
                }
            }
        }
    }
}

fn horizon_text(scenario: &Scenario) -> String {
    let first = scenario
        .years
        .first()
        .copied()
        .unwrap_or(scenario.base_year);
    let last = scenario.years.last().copied().unwrap_or(scenario.base_year);
    format!(
        "base year {} and planning years {first}-{last}",
        scenario.base_year
    )
}

/// Why `name` cannot serve as a stable key, if it cannot.
fn key_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("must not be empty".to_string());
    }
    let valid = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    (!valid).then(|| {
        format!(
            "`{name}` must use only lowercase letters, digits, `_` and `-` (it is used as a key)"
        )
    })
}

fn metal_names(scenario: &Scenario) -> String {
    scenario
        .metals
        .iter()
        .map(|metal| metal.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_reject_what_they_should() {
        assert!(Rule::NonNegative.breach(-0.1).is_some());
        assert!(Rule::NonNegative.breach(f64::NAN).is_some());
        assert!(Rule::NonNegative.breach(0.0).is_none());
        assert!(Rule::Fraction.breach(1.01).is_some());
        assert!(Rule::Recovery.breach(0.0).is_some());
        assert!(Rule::Recovery.breach(1.0).is_none());
        assert!(Rule::Growth.breach(-1.0).is_some());
        assert!(Rule::Growth.breach(-0.5).is_none());
        assert!(Rule::Growth.breach(f64::INFINITY).is_some());
    }

    #[test]
    fn keys_are_lowercase_words() {
        assert!(key_problem("copper").is_none());
        assert!(key_problem("other_ten-metals2").is_none());
        assert!(key_problem("Copper").is_some());
        assert!(key_problem("a.b").is_some());
        assert!(key_problem("").is_some());
    }
}

//! The checks of `[[constraints]]`: every problem names the rule and the offending key by its
//! field path.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::expand::select;
use super::{ConstraintTerm, Names, TermVariable, UserConstraint, YearSelection};
use crate::error::Problem;
use crate::scenario::{Metal, PerYear, Route, Scenario, Sense, Year, MAX_MAGNITUDE};
use crate::variable::{power_users, process_name};

/// Every problem with the scenario's `[[constraints]]`; the horizon and metals are assumed
/// checked (their own problems are reported elsewhere).
pub(in crate::scenario) fn check(
    scenario: &Scenario,
    key_problem: fn(&str) -> Option<String>,
) -> Vec<Problem> {
    let mut checker = Checker {
        scenario,
        problems: Vec::new(),
    };
    let mut first_index: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, constraint) in scenario.constraints.iter().enumerate() {
        let path = format!("constraints[{index}]");
        let what = format!("constraint `{}`", constraint.name);
        if let Some(message) = key_problem(&constraint.name) {
            checker.report(format!("{path}.name"), &what, message);
        }
        if let Some(&previous) = first_index.get(constraint.name.as_str()) {
            checker.report(
                format!("{path}.name"),
                &what,
                format!("is named twice (also constraints[{previous}]); names must be unique"),
            );
        } else {
            first_index.insert(&constraint.name, index);
        }
        checker.constraint(&path, &what, constraint);
    }
    checker.problems
}

struct Checker<'s> {
    scenario: &'s Scenario,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, path: String, what: &str, message: impl fmt::Display) {
        self.problems.push(Problem {
            path,
            message: format!("{what}: {message}"),
            location: None,
        });
    }

    /// A finite number of at most [`MAX_MAGNITUDE`] in size, or a problem.
    fn finite(&mut self, path: String, what: &str, value: f64) -> bool {
        if !value.is_finite() {
            self.report(path, what, format!("must be a finite number, got {value}"));
            false
        } else if value.abs() > MAX_MAGNITUDE {
            self.report(
                path,
                what,
                format!("{value} is beyond {MAX_MAGNITUDE:e}: no planning quantity is that large (a unit mistake?), and solvers fail on such numbers"),
            );
            false
        } else {
            true
        }
    }

    fn constraint(&mut self, path: &str, what: &str, constraint: &UserConstraint) {
        match constraint.sense.as_deref() {
            None => self.report(
                path.to_string(),
                what,
                "gives no `sense`; write sense = \">=\", \"<=\" or \"=\"",
            ),
            Some(text) if Sense::parse(text).is_none() => self.report(
                format!("{path}.sense"),
                what,
                format!("`{text}` is not a sense; write \">=\", \"<=\" or \"=\""),
            ),
            Some(_) => {}
        }
        let years = self.years(path, what, constraint);
        if constraint.terms.is_empty() {
            self.report(
                format!("{path}.terms"),
                what,
                "has no terms; give at least one, e.g. terms = [{ metal = \"copper\", route = \"recycled\" }]",
            );
        }
        match (&constraint.rhs, &constraint.share, &constraint.of) {
            (Some(_), Some(_), _) => self.report(
                format!("{path}.rhs"),
                what,
                "give either `rhs` or `share` (with `of`), not both: a share rule compares with a share of `of`",
            ),
            (_, Some(_), None) => self.report(
                format!("{path}.share"),
                what,
                "a share needs `of`: the terms it is a share of",
            ),
            (_, None, Some(_)) => self.report(
                format!("{path}.of"),
                what,
                "`of` needs a `share`, e.g. share = 0.35",
            ),
            (None, None, None) => self.report(
                path.to_string(),
                what,
                "gives neither `rhs` nor `share`; write e.g. rhs = 11.0, or share = 0.35 with of = [...]",
            ),
            _ => {}
        }
        if let Some(of) = &constraint.of {
            if of.is_empty() {
                self.report(format!("{path}.of"), what, "has no terms");
            }
        }
        if let Some(rhs) = &constraint.rhs {
            self.per_year(&format!("{path}.rhs"), what, rhs, years.as_deref(), false);
        }
        if let Some(share) = &constraint.share {
            self.per_year(
                &format!("{path}.share"),
                what,
                share,
                years.as_deref(),
                true,
            );
        }
        let mut every_term_has_a_year = true;
        for (list, terms) in [
            ("terms", Some(&constraint.terms)),
            ("of", constraint.of.as_ref()),
        ] {
            for (index, term) in terms.into_iter().flatten().enumerate() {
                every_term_has_a_year &= term.year.is_some();
                self.term(
                    &format!("{path}.{list}[{index}]"),
                    what,
                    term,
                    years.as_deref(),
                );
            }
        }
        if constraint.years.is_none() && every_term_has_a_year && !constraint.terms.is_empty() {
            self.report(
                format!("{path}.years"),
                what,
                "every term names its own year, so the rule would repeat unchanged in every planning year; say which year it belongs to, e.g. years = 2026",
            );
        }
    }

    /// The rule's years, when they are valid.
    fn years(&mut self, path: &str, what: &str, constraint: &UserConstraint) -> Option<Vec<Year>> {
        let scenario = self.scenario;
        let horizon = horizon_text(scenario);
        let path = format!("{path}.years");
        let mut valid = true;
        let outside = |checker: &mut Self, at: String, year: Year| {
            let inside = scenario.years.contains(&year);
            if !inside {
                checker.report(
                    at,
                    what,
                    format!("year {year} is outside the horizon ({horizon})"),
                );
            }
            inside
        };
        match &constraint.years {
            None => {}
            Some(YearSelection::One(year)) => valid &= outside(self, path.clone(), *year),
            Some(YearSelection::List(years)) => {
                if years.is_empty() {
                    self.report(
                        path.clone(),
                        what,
                        "lists no year; leave `years` out for every planning year",
                    );
                    valid = false;
                }
                let mut seen = BTreeSet::new();
                for (index, &year) in years.iter().enumerate() {
                    valid &= outside(self, format!("{path}[{index}]"), year);
                    if !seen.insert(year) {
                        self.report(
                            format!("{path}[{index}]"),
                            what,
                            format!("year {year} is listed twice"),
                        );
                        valid = false;
                    }
                }
            }
            Some(YearSelection::Range { from, to }) => {
                valid &= outside(self, format!("{path}.from"), *from);
                valid &= outside(self, format!("{path}.to"), *to);
                if from > to {
                    self.report(
                        format!("{path}.to"),
                        what,
                        format!("the range ends ({to}) before it starts ({from})"),
                    );
                    valid = false;
                }
            }
        }
        valid.then(|| constraint.rule_years(scenario))
    }

    /// A per-year `rhs` or `share`: finite numbers (shares between 0 and 1), a schedule giving
    /// exactly the rule's years.
    fn per_year(
        &mut self,
        path: &str,
        what: &str,
        value: &PerYear,
        years: Option<&[Year]>,
        share: bool,
    ) {
        for (year, number) in value.entries() {
            let at = year.map_or_else(|| path.to_string(), |year| format!("{path}.{year}"));
            if self.finite(at.clone(), what, number) && share && !(0.0..=1.0).contains(&number) {
                self.report(
                    at.clone(),
                    what,
                    format!("a share must be between 0 and 1, got {number} (write 35 % as 0.35; for other ratios use coefficients)"),
                );
            }
            if let (Some(year), Some(years)) = (year, years) {
                if !years.contains(&year) {
                    self.report(
                        at,
                        what,
                        format!(
                            "year {year} is not one of the rule's years ({})",
                            list(years)
                        ),
                    );
                }
            }
        }
        if let (PerYear::Schedule(by_year), Some(years)) = (value, years) {
            let missing: Vec<Year> = years
                .iter()
                .copied()
                .filter(|year| !by_year.contains_key(year))
                .collect();
            if !missing.is_empty() {
                self.report(
                    path.to_string(),
                    what,
                    format!("no value for {}", list(&missing)),
                );
            }
        }
    }

    /// One term: its keys name what the scenario has, and it selects a variable in every year
    /// it is used.
    fn term(&mut self, path: &str, what: &str, term: &ConstraintTerm, years: Option<&[Year]>) {
        let scenario = self.scenario;
        let mut sound = true;
        let Some(variable) = TermVariable::parse(term.variable.as_deref()) else {
            self.report(
                format!("{path}.variable"),
                what,
                format!(
                    "`{}` is not a variable; use \"output\", \"feed\" or \"build\" (or, for \
                     stages, trade and demand, \"stage_output\", \"import\", \"export\" or \
                     \"consumption\"; for recycling and electricity, \"grade_use\", \
                     \"product_output\" or \"power\")",
                    term.variable.as_deref().unwrap_or_default()
                ),
            );
            return;
        };
        if let Some(coefficient) = term.coefficient {
            sound &= self.finite(format!("{path}.coefficient"), what, coefficient);
        }
        if let Some(year) = term.year {
            if !scenario.years.contains(&year) {
                self.report(
                    format!("{path}.year"),
                    what,
                    format!(
                        "year {year} is outside the horizon ({})",
                        horizon_text(scenario)
                    ),
                );
                sound = false;
            }
        }
        let (metals, known) = self.metals(path, what, term);
        sound &= known;
        sound &= self.market_keys(path, what, term, variable, &metals);
        sound &= self.recycling_keys(path, what, term, variable, &metals);
        let (routes, known) = self.routes(path, what, term, &metals);
        sound &= known;
        if let Some(names) = &term.source {
            if variable == TermVariable::Feed {
                sound &= self.names_listed(&format!("{path}.source"), what, names);
                sound &= self.sources(path, what, names, &metals, &routes);
            } else if variable == TermVariable::Power {
                sound &= self.names_listed(&format!("{path}.source"), what, names);
                sound &= self.power_sources(path, what, names);
            } else {
                self.report(
                    format!("{path}.source"),
                    what,
                    "applies to feed and power terms only; add variable = \"feed\" or \"power\"",
                );
                sound = false;
            }
        }
        if !sound {
            return;
        }
        let used: Vec<Year> = match (term.year, years) {
            (Some(year), _) => vec![year],
            (None, Some(years)) => years.to_vec(),
            (None, None) => return,
        };
        let empty: Vec<Year> = used
            .into_iter()
            .filter(|&year| select(scenario, term, year).is_empty())
            .collect();
        if !empty.is_empty() {
            let why = match variable {
                TermVariable::Build => {
                    " (build variables exist only where max_build_mt_per_year is above 0)"
                }
                TermVariable::Feed => " (no selected route lists a selected feed source)",
                TermVariable::StageOutput => " (no selected metal has a selected stage)",
                TermVariable::Import | TermVariable::Export => {
                    " (no selected metal trades a selected material that way)"
                }
                TermVariable::Consumption => " (no selected metal has a demand)",
                TermVariable::GradeUse => {
                    " (no selected metal's recycled route has a selected grade, for a selected product)"
                }
                TermVariable::ProductOutput => {
                    " (no selected metal's recycled route has a selected product)"
                }
                TermVariable::Power => {
                    " (no selected process uses electricity, or the scenario has no selected source)"
                }
                TermVariable::Output => "",
            };
            self.report(
                path.to_string(),
                what,
                format!("selects no variable of the model in {}{why}", list(&empty)),
            );
        }
    }

    /// The keys of stage, trade and demand terms: `route` and `source` belong to route terms,
    /// `stage` to stage terms, `material` to trade terms, and every stage or material named
    /// exists for the metals the term selects.
    fn market_keys(
        &mut self,
        path: &str,
        what: &str,
        term: &ConstraintTerm,
        variable: TermVariable,
        metals: &[usize],
    ) -> bool {
        let scenario = self.scenario;
        let mut sound = true;
        let selected: Vec<usize> = if metals.is_empty() {
            (0..scenario.metals.len()).collect()
        } else {
            metals.to_vec()
        };
        let misplaced = [
            ("route", term.route.is_some() && !variable.by_route()),
            (
                "stage",
                term.stage.is_some() && variable != TermVariable::StageOutput,
            ),
            (
                "material",
                term.material.is_some()
                    && !matches!(variable, TermVariable::Import | TermVariable::Export),
            ),
        ];
        for (key, wrong) in misplaced {
            if wrong {
                self.report(
                    format!("{path}.{key}"),
                    what,
                    format!("does not apply to {} terms", variable_name(variable)),
                );
                sound = false;
            }
        }
        // A key that does not apply is reported once, above, not also for the names it holds.
        if !sound {
            return false;
        }
        if let Some(names) = &term.stage {
            sound &= self.names_listed(&format!("{path}.stage"), what, names);
            for (suffix, name) in names.entries() {
                if !selected
                    .iter()
                    .any(|&m| scenario.metals[m].stage(name).is_some())
                {
                    self.report(
                        format!("{path}.stage{suffix}"),
                        what,
                        format!("`{name}` is not a stage of the selected metals"),
                    );
                    sound = false;
                }
            }
        }
        if let Some(names) = &term.material {
            sound &= self.names_listed(&format!("{path}.material"), what, names);
            for (suffix, name) in names.entries() {
                if !selected
                    .iter()
                    .any(|&m| scenario.metals[m].trade_in(name).is_some())
                {
                    self.report(
                        format!("{path}.material{suffix}"),
                        what,
                        format!("`{name}` is not traded by the selected metals"),
                    );
                    sound = false;
                }
            }
        }
        sound
    }

    /// The keys of grade, product and power terms: `grade` belongs to `grade_use` terms,
    /// `product` to `grade_use` and `product_output` terms, `process` to `power` terms, and every
    /// grade, product or process named exists for the metals the term selects.
    fn recycling_keys(
        &mut self,
        path: &str,
        what: &str,
        term: &ConstraintTerm,
        variable: TermVariable,
        metals: &[usize],
    ) -> bool {
        let scenario = self.scenario;
        let misplaced = [
            ("grade", &term.grade, variable == TermVariable::GradeUse),
            (
                "product",
                &term.product,
                matches!(
                    variable,
                    TermVariable::GradeUse | TermVariable::ProductOutput
                ),
            ),
            ("process", &term.process, variable == TermVariable::Power),
        ];
        let selected: Vec<&Metal> = if metals.is_empty() {
            scenario.metals.iter().collect()
        } else {
            metals.iter().map(|&m| &scenario.metals[m]).collect()
        };
        let mut sound = true;
        for (key, names, applies) in misplaced {
            let Some(names) = names else { continue };
            if !applies {
                self.report(
                    format!("{path}.{key}"),
                    what,
                    format!("does not apply to {} terms", variable_name(variable)),
                );
                sound = false;
                continue;
            }
            sound &= self.names_listed(&format!("{path}.{key}"), what, names);
            for (suffix, name) in names.entries() {
                let exists = selected.iter().any(|metal| {
                    let recycled = metal.recycled.as_ref();
                    match key {
                        "grade" => recycled.is_some_and(|spec| spec.grades.contains_key(name)),
                        "product" => recycled.is_some_and(|spec| spec.product(name).is_some()),
                        _ => power_users(metal)
                            .iter()
                            .any(|&(process, _)| process_name(metal, process) == name),
                    }
                });
                if !exists {
                    let kind = match key {
                        "grade" => "a scrap grade",
                        "product" => "a recycled product",
                        _ => "a process that uses electricity",
                    };
                    self.report(
                        format!("{path}.{key}{suffix}"),
                        what,
                        format!("`{name}` is not {kind} of the selected metals"),
                    );
                    sound = false;
                }
            }
        }
        sound
    }

    /// Power sources named by a power term are sources of `[electricity]`.
    fn power_sources(&mut self, path: &str, what: &str, names: &Names) -> bool {
        let sources: Vec<&str> = self
            .scenario
            .power_sources()
            .iter()
            .map(|source| source.name.as_str())
            .collect();
        let mut sound = true;
        for (suffix, name) in names.entries() {
            if !sources.contains(&name) {
                self.report(
                    format!("{path}.source{suffix}"),
                    what,
                    format!(
                        "`{name}` is not a power source of this scenario (its sources: {})",
                        if sources.is_empty() {
                            "none".to_string()
                        } else {
                            sources.join(", ")
                        }
                    ),
                );
                sound = false;
            }
        }
        sound
    }

    /// The metals a term names (indices), and whether every name is sound.
    fn metals(&mut self, path: &str, what: &str, term: &ConstraintTerm) -> (Vec<usize>, bool) {
        let scenario = self.scenario;
        let mut metals = Vec::new();
        let Some(names) = &term.metal else {
            return (metals, true);
        };
        let mut sound = self.names_listed(&format!("{path}.metal"), what, names);
        for (suffix, name) in names.entries() {
            if let Some(index) = scenario.metals.iter().position(|metal| metal.name == name) {
                metals.push(index);
            } else {
                self.report(
                    format!("{path}.metal{suffix}"),
                    what,
                    format!("`{name}` is not a metal of this scenario"),
                );
                sound = false;
            }
        }
        (metals, sound)
    }

    /// The routes a term names, and whether each is a route every named metal has.
    fn routes(
        &mut self,
        path: &str,
        what: &str,
        term: &ConstraintTerm,
        metals: &[usize],
    ) -> (Vec<Route>, bool) {
        let scenario = self.scenario;
        let mut routes = Vec::new();
        let Some(names) = &term.route else {
            return (routes, true);
        };
        let mut sound = self.names_listed(&format!("{path}.route"), what, names);
        for (suffix, name) in names.entries() {
            let Some(route) = Route::ALL.into_iter().find(|route| route.key() == name) else {
                self.report(
                    format!("{path}.route{suffix}"),
                    what,
                    format!("`{name}` is not a route; use \"primary\" or \"recycled\""),
                );
                sound = false;
                continue;
            };
            routes.push(route);
            for &metal in metals {
                if scenario.metals[metal].route(route).is_none() {
                    self.report(
                        format!("{path}.route{suffix}"),
                        what,
                        format!(
                            "metal `{}` has no {route} route (leave `metal` out to sum over the metals that have one)",
                            scenario.metals[metal].name
                        ),
                    );
                    sound = false;
                }
            }
        }
        (routes, sound)
    }

    /// A list of names is not empty and names nothing twice.
    fn names_listed(&mut self, path: &str, what: &str, names: &Names) -> bool {
        let Names::Many(list) = names else {
            return true;
        };
        if list.is_empty() {
            self.report(
                path.to_string(),
                what,
                "is an empty list; leave the key out to mean every one",
            );
            return false;
        }
        let mut seen = BTreeSet::new();
        let mut sound = true;
        for (index, name) in list.iter().enumerate() {
            if !seen.insert(name) {
                self.report(
                    format!("{path}[{index}]"),
                    what,
                    format!("`{name}` is listed twice (it would count twice)"),
                );
                sound = false;
            }
        }
        sound
    }

    /// Feed sources are known, belong to a selected route, and are given for named metals.
    fn sources(
        &mut self,
        path: &str,
        what: &str,
        names: &Names,
        metals: &[usize],
        routes: &[Route],
    ) -> bool {
        let scenario = self.scenario;
        let mut sound = true;
        for (suffix, name) in names.entries() {
            let at = format!("{path}.source{suffix}");
            let Some(source) = Route::ALL
                .into_iter()
                .flat_map(Route::feed_sources)
                .find(|source| source.key() == name)
            else {
                self.report(
                    at,
                    what,
                    format!("`{name}` is not a feed source; use domestic_ore, imported_concentrate, domestic_scrap or imported_scrap"),
                );
                sound = false;
                continue;
            };
            if !routes.is_empty() && !routes.contains(&source.route()) {
                self.report(
                    at,
                    what,
                    format!(
                        "`{name}` feeds the {} route, which the term's `route` leaves out",
                        source.route()
                    ),
                );
                sound = false;
                continue;
            }
            for &metal in metals {
                let given = scenario.metals[metal]
                    .route(source.route())
                    .is_some_and(|spec| spec.feed_source(source).is_some());
                if !given {
                    self.report(
                        at.clone(),
                        what,
                        format!(
                            "metal `{}` has no {name} feed in this scenario",
                            scenario.metals[metal].name
                        ),
                    );
                    sound = false;
                }
            }
        }
        sound
    }
}

fn horizon_text(scenario: &Scenario) -> String {
    match (scenario.years.first(), scenario.years.last()) {
        (Some(first), Some(last)) => format!("planning years {first}-{last}"),
        _ => "no planning years".to_string(),
    }
}

fn list(years: &[Year]) -> String {
    years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn variable_name(variable: TermVariable) -> &'static str {
    match variable {
        TermVariable::Output => "output",
        TermVariable::Feed => "feed",
        TermVariable::Build => "build",
        TermVariable::StageOutput => "stage_output",
        TermVariable::Import => "import",
        TermVariable::Export => "export",
        TermVariable::Consumption => "consumption",
        TermVariable::GradeUse => "grade_use",
        TermVariable::ProductOutput => "product_output",
        TermVariable::Power => "power",
    }
}

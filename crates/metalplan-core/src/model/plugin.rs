//! Adding a plugin's contribution to the model (M18), after checking every key, number and
//! bound it contains. Nothing a plugin returns reaches the model unchecked.

use std::collections::BTreeMap;

use metalplan_plugin::{self as sdk, Contribution, VarRef};

use super::market::trade_material;
use super::{Column, Model, Row, RowKind, Sense, VariableKey};
use crate::error::PluginError;
use crate::scenario::Scenario;
use crate::scenario::MAX_MAGNITUDE;
use crate::variable::{power_users, process_name};

impl Model {
    /// Checks `contribution` from plugin `plugin_name` and adds its variables, constraints and
    /// objective terms. On any problem nothing is added and every problem is reported.
    pub fn add_plugin(
        &mut self,
        scenario: &Scenario,
        plugin_name: &str,
        contribution: &Contribution,
    ) -> Result<(), PluginError> {
        if self.plugins.iter().any(|loaded| loaded == plugin_name) {
            return Err(PluginError::Duplicate {
                plugin: plugin_name.to_string(),
            });
        }
        let plugin = self.plugins.len();
        let mut checker = ContributionChecker {
            scenario,
            model: self,
            problems: Vec::new(),
            own: BTreeMap::new(),
        };
        let columns = checker.variables(contribution);
        let rows = checker.constraints(plugin_name, contribution);
        let costs = checker.objective(contribution);
        if !checker.problems.is_empty() {
            return Err(PluginError::Invalid {
                plugin: plugin_name.to_string(),
                problems: checker.problems,
            });
        }
        self.plugins.push(plugin_name.to_string());
        for (index, variable) in columns.into_iter().enumerate() {
            let column = self.columns.len();
            self.columns.push(Column {
                name: format!("plugin.{plugin_name}.{}", variable.name),
                key: VariableKey::Plugin { plugin, index },
                lower: variable.lower,
                upper: variable.upper.unwrap_or(f64::INFINITY),
            });
            self.index
                .insert(VariableKey::Plugin { plugin, index }, column);
            self.objectives.push_zero();
        }
        // Own variables were given provisional indices; resolve them now that columns exist.
        let resolve = |target: Target| match target {
            Target::Column(column) => column,
            Target::Own(index) => self.index[&VariableKey::Plugin { plugin, index }],
        };
        let rows: Vec<Row> = rows
            .into_iter()
            .map(|pending| Row {
                name: pending.name,
                kind: RowKind::Plugin { plugin },
                year: pending.year,
                terms: pending
                    .terms
                    .into_iter()
                    .map(|(target, coefficient)| (resolve(target), coefficient))
                    .collect(),
                sense: pending.sense,
                rhs: pending.rhs,
            })
            .collect();
        let costs: Vec<(usize, f64)> = costs
            .into_iter()
            .map(|(target, cost)| (resolve(target), cost))
            .collect();
        self.rows.extend(rows);
        for (column, cost) in costs {
            self.objectives.add_cost(column, cost);
        }
        Ok(())
    }
}

/// A term's variable before plugin columns exist.
#[derive(Clone, Copy)]
enum Target {
    Column(usize),
    Own(usize),
}

struct PendingRow {
    name: String,
    year: Option<i32>,
    terms: Vec<(Target, f64)>,
    sense: Sense,
    rhs: f64,
}

struct ContributionChecker<'a> {
    scenario: &'a Scenario,
    model: &'a Model,
    problems: Vec<String>,
    /// This plugin's variables by name.
    own: BTreeMap<String, usize>,
}

impl ContributionChecker<'_> {
    fn variables<'c>(&mut self, contribution: &'c Contribution) -> Vec<&'c sdk::NewVariable> {
        for (index, variable) in contribution.variables.iter().enumerate() {
            let what = format!("variable `{}`", variable.name);
            if variable.name.trim().is_empty() {
                self.problems
                    .push(format!("variable #{index} has an empty name"));
            }
            if self.own.insert(variable.name.clone(), index).is_some() {
                self.problems.push(format!("{what} is declared twice"));
            }
            let upper = variable.upper.unwrap_or(f64::INFINITY);
            if !variable.lower.is_finite() || variable.lower.abs() > MAX_MAGNITUDE {
                self.problems.push(format!(
                    "{what}: lower bound {} is not a finite number of at most {MAX_MAGNITUDE:e} in size",
                    variable.lower
                ));
            } else if upper.is_nan()
                || upper == f64::NEG_INFINITY
                || (upper.is_finite() && upper.abs() > MAX_MAGNITUDE)
            {
                self.problems.push(format!(
                    "{what}: upper bound {upper} is not a number of at most {MAX_MAGNITUDE:e} in size (leave it out for no bound)"
                ));
            } else if variable.lower > upper {
                self.problems.push(format!(
                    "{what}: contradictory bounds, lower {} above upper {upper}",
                    variable.lower
                ));
            }
        }
        contribution.variables.iter().collect()
    }

    fn constraints(&mut self, plugin_name: &str, contribution: &Contribution) -> Vec<PendingRow> {
        let mut seen = std::collections::BTreeSet::new();
        let mut rows = Vec::new();
        for constraint in &contribution.constraints {
            let what = format!("constraint `{}`", constraint.name);
            if constraint.name.trim().is_empty() {
                self.problems
                    .push("a constraint has an empty name".to_string());
            }
            if !seen.insert(constraint.name.clone()) {
                self.problems.push(format!("{what} is declared twice"));
            }
            if let Some(year) = constraint.year {
                if !self.scenario.years.contains(&year) {
                    self.problems
                        .push(format!("{what}: year {year} is not a planning year"));
                }
            }
            if constraint.terms.is_empty() {
                self.problems.push(format!("{what} has no terms"));
            }
            if !constraint.rhs.is_finite() || constraint.rhs.abs() > MAX_MAGNITUDE {
                self.problems.push(format!(
                    "{what}: right-hand side {} is not a finite number of at most {MAX_MAGNITUDE:e} in size",
                    constraint.rhs
                ));
            }
            let mut terms = Vec::with_capacity(constraint.terms.len());
            for term in &constraint.terms {
                if !term.coefficient.is_finite() || term.coefficient.abs() > MAX_MAGNITUDE {
                    self.problems.push(format!(
                        "{what}: coefficient {} of {} is not a finite number of at most {MAX_MAGNITUDE:e} in size",
                        term.coefficient, term.var
                    ));
                }
                if let Some(target) = self.resolve(&what, &term.var) {
                    terms.push((target, term.coefficient));
                }
            }
            rows.push(PendingRow {
                name: format!("plugin.{plugin_name}.{}", constraint.name),
                year: constraint.year,
                terms,
                sense: constraint.sense,
                rhs: constraint.rhs,
            });
        }
        rows
    }

    fn objective(&mut self, contribution: &Contribution) -> Vec<(Target, f64)> {
        let mut costs = Vec::new();
        for term in &contribution.objective {
            let what = format!("objective term on {}", term.var);
            if !term.cost_cny_per_unit.is_finite() || term.cost_cny_per_unit.abs() > MAX_MAGNITUDE {
                self.problems.push(format!(
                    "{what}: cost {} is not a finite number of at most {MAX_MAGNITUDE:e} in size",
                    term.cost_cny_per_unit
                ));
            }
            if let Some(target) = self.resolve(&what, &term.var) {
                costs.push((target, term.cost_cny_per_unit));
            }
        }
        costs
    }

    /// The metal called `metal` and `year`, if both are the scenario's; a problem otherwise.
    fn metal_year(&mut self, what: &str, metal: &str, year: i32) -> Option<(usize, i32)> {
        let scenario = self.scenario;
        let Some(index) = scenario.metals.iter().position(|m| m.name == metal) else {
            self.problems
                .push(format!("{what}: unknown metal `{metal}`"));
            return None;
        };
        if !scenario.years.contains(&year) {
            self.problems
                .push(format!("{what}: year {year} is not a planning year"));
            return None;
        }
        Some((index, year))
    }

    /// The key of an output, build or feed variable, or a problem.
    fn route_key(&mut self, what: &str, var: &VarRef) -> Option<VariableKey> {
        let scenario = self.scenario;
        let year_ok = |year: i32| scenario.years.contains(&year);
        let metal_index = |name: &str| scenario.metals.iter().position(|metal| metal.name == name);
        Some(match var {
            VarRef::Output { metal, route, year } | VarRef::Build { metal, route, year } => {
                let Some(index) = metal_index(metal) else {
                    self.problems
                        .push(format!("{what}: unknown metal `{metal}`"));
                    return None;
                };
                let route = *route;
                if scenario.metals[index].route(route).is_none() {
                    self.problems
                        .push(format!("{what}: metal `{metal}` has no {route} route"));
                    return None;
                }
                if !year_ok(*year) {
                    self.problems
                        .push(format!("{what}: year {year} is not a planning year"));
                    return None;
                }
                if matches!(var, VarRef::Output { .. }) {
                    VariableKey::Output {
                        metal: index,
                        route,
                        year: *year,
                    }
                } else {
                    VariableKey::Build {
                        metal: index,
                        route,
                        year: *year,
                    }
                }
            }
            VarRef::Feed {
                metal,
                source,
                year,
            } => {
                let Some(index) = metal_index(metal) else {
                    self.problems
                        .push(format!("{what}: unknown metal `{metal}`"));
                    return None;
                };
                if !year_ok(*year) {
                    self.problems
                        .push(format!("{what}: year {year} is not a planning year"));
                    return None;
                }
                VariableKey::Feed {
                    metal: index,
                    source: *source,
                    year: *year,
                }
            }
            _ => return None,
        })
    }

    /// The key of a stage, trade or consumption variable, or a problem.
    fn market_key(&mut self, what: &str, var: &VarRef) -> Option<VariableKey> {
        let scenario = self.scenario;
        Some(match var {
            VarRef::StageOutput { metal, stage, year } => {
                let (index, year) = self.metal_year(what, metal, *year)?;
                let Some((stage, _)) = scenario.metals[index].stage(stage) else {
                    self.problems
                        .push(format!("{what}: metal `{metal}` has no stage `{stage}`"));
                    return None;
                };
                VariableKey::StageOutput {
                    metal: index,
                    stage,
                    year,
                }
            }
            VarRef::Import {
                metal,
                material,
                year,
            }
            | VarRef::Export {
                metal,
                material,
                year,
            } => {
                let (index, year) = self.metal_year(what, metal, *year)?;
                let spec = &scenario.metals[index];
                if spec.trade_in(material).is_none() {
                    self.problems.push(format!(
                        "{what}: metal `{metal}` does not trade `{material}`"
                    ));
                    return None;
                }
                let material = trade_material(spec, material);
                if matches!(var, VarRef::Import { .. }) {
                    VariableKey::Import {
                        metal: index,
                        material,
                        year,
                    }
                } else {
                    VariableKey::Export {
                        metal: index,
                        material,
                        year,
                    }
                }
            }
            VarRef::Consumption { metal, year } => {
                let (index, year) = self.metal_year(what, metal, *year)?;
                VariableKey::Consumption { metal: index, year }
            }
            _ => return None,
        })
    }

    /// The key of a grade, product or power variable, or a problem.
    fn recycling_key(&mut self, what: &str, var: &VarRef) -> Option<VariableKey> {
        let scenario = self.scenario;
        let (metal, year) = match var {
            VarRef::GradeUse { metal, year, .. }
            | VarRef::ProductOutput { metal, year, .. }
            | VarRef::Power { metal, year, .. } => (metal, *year),
            _ => return None,
        };
        let (index, year) = self.metal_year(what, metal, year)?;
        let spec = &scenario.metals[index];
        let recycled = spec.recycled.as_ref();
        let product_of = |name: &str| recycled.and_then(|route| route.product(name));
        let key = match var {
            VarRef::GradeUse { grade, product, .. } => {
                let grade_index = recycled.and_then(|route| route.grade(grade));
                let product_index = product.as_deref().map(product_of);
                match (grade_index, product_index) {
                    (None, _) => Err(format!("metal `{metal}` has no scrap grade `{grade}`")),
                    (_, Some(None)) => Err(format!(
                        "metal `{metal}` has no recycled product `{}`",
                        product.as_deref().unwrap_or_default()
                    )),
                    (Some((grade, _)), product) => Ok(VariableKey::GradeUse {
                        metal: index,
                        grade,
                        product: product.flatten().map(|(product, _)| product),
                        year,
                    }),
                }
            }
            VarRef::ProductOutput { product, .. } => product_of(product)
                .map(|(product, _)| VariableKey::ProductOutput {
                    metal: index,
                    product,
                    year,
                })
                .ok_or_else(|| format!("metal `{metal}` has no recycled product `{product}`")),
            VarRef::Power {
                source, process, ..
            } => {
                let source_index = scenario.electricity.as_ref().and_then(|electricity| {
                    electricity.sources.iter().position(|s| &s.name == source)
                });
                let process_index = power_users(spec)
                    .into_iter()
                    .map(|(process, _)| process)
                    .find(|&candidate| process_name(spec, candidate) == process);
                match (source_index, process_index) {
                    (None, _) => Err(format!("the scenario has no power source `{source}`")),
                    (_, None) => Err(format!(
                        "metal `{metal}` has no process `{process}` that uses electricity"
                    )),
                    (Some(source), Some(process)) => Ok(VariableKey::Power {
                        source,
                        metal: index,
                        process,
                        year,
                    }),
                }
            }
            _ => return None,
        };
        match key {
            Ok(key) => Some(key),
            Err(problem) => {
                self.problems.push(format!("{what}: {problem}"));
                None
            }
        }
    }

    /// The column a key names, or a problem saying why it names none.
    fn resolve(&mut self, what: &str, var: &VarRef) -> Option<Target> {
        let key = match var {
            VarRef::Own { name } => {
                if let Some(&index) = self.own.get(name) {
                    return Some(Target::Own(index));
                }
                self.problems.push(format!(
                    "{what}: refers to variable `{name}`, which the plugin did not declare"
                ));
                return None;
            }
            VarRef::Output { .. } | VarRef::Build { .. } | VarRef::Feed { .. } => {
                self.route_key(what, var)?
            }
            VarRef::StageOutput { .. }
            | VarRef::Import { .. }
            | VarRef::Export { .. }
            | VarRef::Consumption { .. } => self.market_key(what, var)?,
            VarRef::GradeUse { .. } | VarRef::ProductOutput { .. } | VarRef::Power { .. } => {
                self.recycling_key(what, var)?
            }
        };
        if let Some(column) = self.model.column(key) {
            return Some(Target::Column(column));
        }
        let reason = match key {
            VariableKey::Feed { source, .. } => format!("the scenario gives no {source} feed"),
            VariableKey::Build { route, .. } => {
                format!("{route} capacity cannot be built that year (no max_build_mt_per_year)")
            }
            VariableKey::Import { .. } => "the material is not imported".to_string(),
            VariableKey::Export { .. } => "the material is not exported".to_string(),
            VariableKey::Consumption { .. } => "the metal has no demand".to_string(),
            _ => "the model has no such variable".to_string(),
        };
        self.problems
            .push(format!("{what}: {var} names no variable: {reason}"));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse_scenario, SourceFormat};
    use metalplan_plugin::{Constraint, Sense};

    fn scenario() -> Scenario {
        let text = r#"
base_year = 2024
years = [2025]
[[metals]]
name = "m"
[metals.primary]
base_output_mt = 1.0
capacity_mt = 2.0
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_ore = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
"#;
        parse_scenario(
            text.to_string(),
            std::path::Path::new("t.toml"),
            SourceFormat::Toml,
        )
        .unwrap()
        .scenario
    }

    fn rejected(coefficient: f64, rhs: f64) -> Vec<String> {
        let scenario = scenario();
        let mut model = Model::build(&scenario);
        let rows_before = model.rows.len();
        let contribution = Contribution {
            constraints: vec![Constraint::new("row", Some(2025), Sense::AtMost, rhs)
                .term(VarRef::output("m", sdk::Route::Primary, 2025), coefficient)],
            ..Contribution::default()
        };
        let outcome = model.add_plugin(&scenario, "p", &contribution);
        match outcome {
            Ok(()) => Vec::new(),
            Err(PluginError::Invalid { problems, .. }) => {
                assert_eq!(model.rows.len(), rows_before, "nothing is added on error");
                problems
            }
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn huge_or_non_finite_numbers_are_refused_with_the_constraint_named() {
        assert!(rejected(1.0, 1.0).is_empty());
        for (coefficient, rhs) in [
            (1e30, 1.0),
            (f64::NAN, 1.0),
            (1.0, -1e300),
            (1.0, f64::INFINITY),
        ] {
            let problems = rejected(coefficient, rhs);
            assert_eq!(problems.len(), 1, "{coefficient} {rhs}: {problems:?}");
            assert!(problems[0].starts_with("constraint `row`"), "{problems:?}");
        }
    }
}

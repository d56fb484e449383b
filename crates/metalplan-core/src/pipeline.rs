//! The pipeline after loading: a valid scenario and its plugins' rules become a model, the model
//! a solution, the solution results, and the results are verified before anyone sees them.

use std::time::{Duration, Instant};

use crate::diagnose;
use crate::error::{PluginError, SolveError};
use crate::model::{Model, ObjectiveKind};
use crate::plugin_host::PluginRules;
use crate::results::{self, PlanResult};
use crate::scenario::Scenario;
use crate::solve::{self, SolveOptions};
use crate::verify;

/// Why a plan could not be made from a valid scenario.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A plugin's rules are unusable.
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// The solver found no optimal plan.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The solver's plan fails the independent check: a solver or model bug, never reported
    /// as a plan.
    #[error("the solver's plan fails the independent check ({} violation{}); it is not reported:{}",
        .0.len(), if .0.len() == 1 { "" } else { "s" }, list_violations(.0))]
    VerifyFailed(Vec<verify::Violation>),
}

fn list_violations(violations: &[verify::Violation]) -> String {
    violations
        .iter()
        .fold(String::new(), |mut text, violation| {
            text.push_str("\n  ");
            text.push_str(&violation.constraint);
            text.push_str(": ");
            text.push_str(&violation.message);
            text
        })
}

/// Builds, solves and reports one scenario with the rules of its plugins: the whole pipeline
/// after loading.
pub fn plan(
    scenario: &Scenario,
    plugins: &[PluginRules],
    options: SolveOptions,
) -> Result<PlanResult, PlanError> {
    plan_timed(scenario, plugins, options).map(|(result, _)| result)
}

/// Wall time of each stage of [`plan_timed`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Building the model from the scenario.
    pub build: Duration,
    /// Adding the plugins' rules to it.
    pub plugin_rules: Duration,
    /// The solver, all stages.
    pub solve: Duration,
    /// Turning the solution into results (plan rows, prices, totals).
    pub results: Duration,
    /// The independent plan verification.
    pub check: Duration,
}

/// [`plan`], also reporting how long each stage took.
pub fn plan_timed(
    scenario: &Scenario,
    plugins: &[PluginRules],
    options: SolveOptions,
) -> Result<(PlanResult, Timings), PlanError> {
    let mut timings = Timings::default();
    let started = Instant::now();
    let mut model = Model::build_for(scenario, options.objective);
    timings.build = started.elapsed();
    let started = Instant::now();
    for plugin in plugins {
        model.add_plugin(scenario, &plugin.name, &plugin.contribution)?;
    }
    timings.plugin_rules = started.elapsed();
    let started = Instant::now();
    let solution = solve::solve(&model, options)?;
    timings.solve = started.elapsed();
    let started = Instant::now();
    let result = results::build_results(scenario, &model, &solution, plugins);
    timings.results = started.elapsed();
    let started = Instant::now();
    let violations = verify::verify_plan(scenario, plugins, &result);
    timings.check = started.elapsed();
    if violations.is_empty() {
        Ok((result, timings))
    } else {
        Err(PlanError::VerifyFailed(violations))
    }
}

/// The model of `scenario` for `objective` with every plugin's rules added, in order.
pub fn build_model(
    scenario: &Scenario,
    plugins: &[PluginRules],
    objective: ObjectiveKind,
) -> Result<Model, PluginError> {
    let mut model = Model::build_for(scenario, objective);
    for plugin in plugins {
        model.add_plugin(scenario, &plugin.name, &plugin.contribution)?;
    }
    Ok(model)
}

/// Why `scenario` is infeasible: a minimal set of its targets and limits that cannot hold
/// together (see [`diagnose`]).
pub fn explain_infeasible(
    scenario: &Scenario,
    plugins: &[PluginRules],
    options: SolveOptions,
) -> Result<Vec<diagnose::ConflictRow>, PlanError> {
    let model = build_model(scenario, plugins, options.objective)?;
    Ok(diagnose::conflict(scenario, &model, options)?)
}

//! metalplan's core: scenario files in, optimal production plans out.
//!
//! The stages run one way: [`scenario`] (types, parsing, validation) -> [`model`] (the linear
//! program) -> [`solve`] (a solver through good_lp) -> [`results`] (plan, targets, totals).
//! Nothing here prints or reads the terminal; the CLI renders what [`results`] returns.

pub mod error;
pub mod model;
pub mod plugin_host;
pub mod results;
pub mod scenario;
pub mod solve;

pub use error::{PluginError, Problem, ScenarioError, SolveError};
pub use model::{Model, ObjectiveKind};
pub use plugin_host::{LoadedPlugin, PluginRules};
pub use results::PlanResult;
pub use scenario::{load_scenario, LoadedScenario, Scenario};
pub use solve::{SolveOptions, SolverKind};

/// Why a plan could not be made from a valid scenario.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A plugin's rules are unusable.
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// The solver found no optimal plan.
    #[error(transparent)]
    Solve(#[from] SolveError),
}

/// Builds, solves and reports one scenario with the rules of its plugins: the whole pipeline
/// after loading.
pub fn plan(
    scenario: &Scenario,
    plugins: &[PluginRules],
    options: SolveOptions,
) -> Result<PlanResult, PlanError> {
    let model = build_model(scenario, plugins)?;
    let solution = solve::solve(&model, options)?;
    Ok(results::build_results(scenario, &model, &solution, plugins))
}

/// The model of `scenario` with every plugin's rules added, in order.
pub fn build_model(scenario: &Scenario, plugins: &[PluginRules]) -> Result<Model, PluginError> {
    let mut model = Model::build(scenario);
    for plugin in plugins {
        model.add_plugin(scenario, &plugin.name, &plugin.contribution)?;
    }
    Ok(model)
}

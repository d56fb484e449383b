//! metalplan's core: scenario files in, optimal production plans out.
//!
//! The stages run one way: [`scenario`] (types, parsing, validation) -> [`model`] (the linear
//! program) -> [`solve`] (a solver through good_lp) -> [`results`] (plan, targets, totals).
//! Nothing here prints or reads the terminal; the CLI renders what [`results`] returns.

pub mod error;
pub mod model;
pub mod results;
pub mod scenario;
pub mod solve;

pub use error::{Problem, ScenarioError, SolveError};
pub use model::{Model, ObjectiveKind};
pub use results::PlanResult;
pub use scenario::{load_scenario, LoadedScenario, Scenario};
pub use solve::{SolveOptions, SolverKind};

/// Builds, solves and reports one scenario: the whole pipeline after loading.
pub fn plan(scenario: &Scenario, options: SolveOptions) -> Result<PlanResult, SolveError> {
    let model = Model::build(scenario);
    let solution = solve::solve(&model, options)?;
    Ok(results::build_results(scenario, &model, &solution))
}

//! metalplan's core: scenario files in, optimal production plans out.
//!
//! Most users start at the application layer, [`app`]: a [`Request`] names a scenario file and
//! how to solve it, and [`run`] returns a [`Run`] (the verified result, its provenance and the
//! time each stage took) or one typed [`Error`]. Solving the hand-worked scenario of the test
//! suite, whose cheapest plan costs 23,250 million CNY (worked out in the file's comments):
//!
//! ```
//! use metalplan_core::{run, Request};
//!
//! let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/hand-worked.toml");
//! let solved = run(&Request::new(file))?;
//! let result = &solved.result;
//! assert!((result.objective - 23.25e9).abs() < 1e-6 * 23.25e9);
//! for row in &result.plan {
//!     println!("{} {} {}: {:.2} Mt", row.metal, row.route, row.year, row.output_mt);
//! }
//! # Ok::<(), metalplan_core::Error>(())
//! ```
//!
//! [`app`] also checks scenarios, verifies plans, writes models, sweeps grids of field values,
//! compares two results and replays one. Underneath, the stages run one way: [`scenario`]
//! (types, parsing, validation) -> [`model`] (the linear program) -> [`solve`] (HiGHS or
//! Clarabel) -> [`results`] (plan, targets, totals) -> [`verify`] (an independent check of the
//! plan). Nothing here prints, exits or reads the terminal or the environment.

pub mod app;
pub mod diagnose;
pub mod error;
pub mod export;
pub mod files;
pub mod generate;
pub mod grouping;
pub mod model;
mod pipeline;
pub mod plugin_host;
pub mod plugin_process;
pub mod provenance;
pub mod ranging;
pub mod results;
pub mod scenario;
pub mod size;
pub mod solve;
pub mod variable;
pub mod verify;

pub use app::{run, BuiltModel, Error, PluginInspection, Request, Run, StageTiming};
pub use error::{
    PluginError, Problem, ResultFileError, ScenarioError, SolveError, SourceText, SourcedProblem,
};
pub use model::{Model, ObjectiveKind};
pub use pipeline::{explain_infeasible, plan, plan_timed, PlanError, Timings};
pub use plugin_host::{LoadedPlugin, PluginRules};
pub use results::PlanResult;
pub use scenario::{load_scenario, load_scenario_with_overlays, LoadedScenario, Scenario};
pub use solve::{SolveOptions, SolverKind};

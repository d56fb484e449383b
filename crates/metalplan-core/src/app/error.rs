//! The one error of the application layer: everything that can stop a request, with the file it
//! concerns. Front ends map its kinds to their own outcomes (the CLI to exit codes) in one place.

use std::path::PathBuf;

use crate::diagnose::ConflictRow;
use crate::error::{PluginError, ResultFileError, ScenarioError, SolveError};
use crate::generate::GenerateError;
use crate::scenario::ShockError;
use crate::verify::Violation;

use super::sweep::SweepError;

/// Why a request could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario (or an overlay, or its facilities CSV) cannot be read or is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A supply shock does not fit the scenario.
    #[error("{}: {source}", file.display())]
    Shock {
        /// The scenario file.
        file: PathBuf,
        /// What is wrong.
        source: ShockError,
    },
    /// A plugin cannot be found or loaded, or returns unusable rules.
    #[error("{}{source}", file.as_ref().map(|file| format!("{}: ", file.display())).unwrap_or_default())]
    Plugin {
        /// The scenario file the run was for, if any.
        file: Option<PathBuf>,
        /// What went wrong.
        source: PluginError,
    },
    /// The scenario's model is estimated to need more memory than the request allows; nothing
    /// was built.
    #[error("{}: {source}", file.display())]
    TooLarge {
        /// The scenario file.
        file: PathBuf,
        /// The estimate and the limit.
        source: crate::size::TooLarge,
    },
    /// No plan meets every target and limit together.
    #[error("{}: {}", file.display(), SolveError::Infeasible)]
    Infeasible {
        /// The scenario file.
        file: PathBuf,
        /// A minimal set of rows that cannot hold together, or why none could be found.
        conflict: Result<Vec<ConflictRow>, String>,
    },
    /// The solver stopped without an optimal plan (unbounded, time limit, solver failure).
    #[error("{}: {source}", file.display())]
    Solve {
        /// The scenario file.
        file: PathBuf,
        /// What the solver reported.
        source: SolveError,
    },
    /// The solver's plan fails the independent verification: a solver or model bug, never
    /// reported as a plan.
    #[error("{}: {}", file.display(), crate::PlanError::VerifyFailed(violations.clone()))]
    VerifyFailed {
        /// The scenario file.
        file: PathBuf,
        /// What the verifier found.
        violations: Vec<Violation>,
    },
    /// A result file (to verify, compare or replay) cannot be read.
    #[error(transparent)]
    ResultFile(#[from] ResultFileError),
    /// A result cannot be replayed: it records no provenance, or options this version cannot
    /// read.
    #[error("{}: {reason}", file.display())]
    Replay {
        /// The result file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// An input file cannot be read (to hash it for the provenance, or to merge sweep shards).
    #[error("cannot read {}: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        reason: String,
    },
    /// An output would overwrite an input of the same run (`-o scenario.toml`, or a link to
    /// it); nothing was written.
    #[error(
        "will not write {}: it is {}, an input of this run; choose another output file",
        output.display(),
        if output == input { "that same file".to_string() } else { format!("the same file as {}", input.display()) }
    )]
    OutputIsInput {
        /// The output as the user named it.
        output: PathBuf,
        /// The input it is.
        input: PathBuf,
    },
    /// A sweep cannot be set up, or its shards cannot be merged.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// An actuals file (for a backtest) cannot be read or does not fit the scenario.
    #[error(transparent)]
    Actuals(#[from] super::backtest::ActualsError),
    /// The scenario cannot be calibrated on its base year.
    #[error(transparent)]
    Calibrate(#[from] super::calibrate::CalibrateError),
    /// A synthetic scenario cannot be generated with these settings.
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

//! Typed errors of the core library. Each carries what a person needs to fix the input: the file,
//! the field path and, for TOML, the line and column.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::scenario::Location;

/// One thing wrong with a scenario, found by parsing or validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Field path such as `metals[2].recycled.capacity_mt` (empty for the whole file).
    pub path: String,
    /// What is wrong, in the planner's words.
    pub message: String,
    /// Where in the file, when the format keeps positions.
    pub location: Option<Location>,
}

impl Problem {
    /// Formats the problem with its file: `FILE:LINE:COL: PATH: MESSAGE`.
    #[must_use]
    pub fn display_in<'a>(&'a self, file: &'a std::path::Path) -> impl fmt::Display + 'a {
        ProblemInFile {
            problem: self,
            file,
        }
    }
}

struct ProblemInFile<'a> {
    problem: &'a Problem,
    file: &'a std::path::Path,
}

impl fmt::Display for ProblemInFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(location) = &self.problem.location {
            write!(f, ":{}:{}", location.line, location.column)?;
        }
        if self.problem.path.is_empty() {
            write!(f, ": {}", self.problem.message)
        } else {
            write!(f, ": {}: {}", self.problem.path, self.problem.message)
        }
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {}: {source}", file.display())]
    Read {
        /// The scenario file.
        file: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is larger than any real scenario; refusing it protects memory.
    #[error("scenario {} is {size} bytes, more than the {limit}-byte limit", file.display())]
    TooLarge {
        /// The scenario file.
        file: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The extension is neither `.toml` nor `.json`.
    #[error("scenario {}: unknown format; use a .toml or .json file", file.display())]
    UnknownFormat {
        /// The scenario file.
        file: PathBuf,
    },
    /// The text is not valid TOML/JSON or does not fit the scenario's shape.
    #[error("{}", problem.display_in(file))]
    Syntax {
        /// The scenario file.
        file: PathBuf,
        /// The file's text, for showing the offending line.
        text: String,
        /// What is wrong and where.
        problem: Box<Problem>,
    },
    /// The scenario parsed but breaks one or more rules; every problem is listed.
    #[error("{}", InvalidList { file, problems })]
    Invalid {
        /// The scenario file.
        file: PathBuf,
        /// The file's text, for showing the offending lines.
        text: String,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

struct InvalidList<'a> {
    file: &'a PathBuf,
    problems: &'a [Problem],
}

impl fmt::Display for InvalidList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "scenario {} has {count} problem{}",
            self.file.display(),
            if count == 1 { "" } else { "s" }
        )?;
        for problem in self.problems {
            write!(f, "\n  {}", problem.display_in(self.file))?;
        }
        Ok(())
    }
}

/// Why solving failed.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// No plan meets every target and limit together.
    #[error("the scenario is infeasible: no plan meets every target and limit together")]
    Infeasible,
    /// The objective can improve without limit: a cost or bound is missing.
    #[error("the scenario is unbounded: the objective can improve without limit (is a cost or capacity missing?)")]
    Unbounded,
    /// The solver stopped without an optimal plan.
    #[error("the {solver} solver failed: {reason}")]
    Solver {
        /// Which solver.
        solver: &'static str,
        /// What it reported.
        reason: String,
    },
}

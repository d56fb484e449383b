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
    /// The file holds more than any real scenario (counted while reading, so `/dev/zero` and
    /// `/proc` files are bounded too); refusing it protects memory.
    #[error("scenario {} holds more than the {limit}-byte limit", file.display())]
    TooLarge {
        /// The scenario file.
        file: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// The file is a FIFO, device, socket or folder, and the run does not allow special files.
    #[error("scenario {} is {kind}, not a regular file; only regular files are read unless special files are allowed", file.display())]
    NotRegular {
        /// The scenario file.
        file: PathBuf,
        /// What it is, in words (`a FIFO (named pipe)`).
        kind: &'static str,
    },
    /// `facilities_csv` leads outside the scenario's folder, and the run does not allow that.
    #[error(
        "facilities_csv `{written}` leads to {}, outside the scenario's folder {}; a facilities \
         file is read from the scenario's folder or below unless files outside are allowed",
        crate::files::quoted(&file.display().to_string(), 200),
        crate::files::quoted(&folder.display().to_string(), 200)
    )]
    FacilitiesOutside {
        /// Where it leads.
        file: PathBuf,
        /// `facilities_csv` as written (escaped, cut short).
        written: String,
        /// The scenario's folder.
        folder: PathBuf,
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
    /// The scenario's facilities CSV cannot be read or has bad rows; every problem is listed
    /// with its line and column.
    #[error("{}", CsvProblemList { file, problems })]
    Facilities {
        /// The CSV file.
        file: PathBuf,
        /// Every problem found (up to a limit), in file order.
        problems: Vec<crate::scenario::CsvProblem>,
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
    /// A scenario with overlays (`--with`): an overlay cannot be merged into the base, or the
    /// merged scenario does not read or validate. Each problem names the file its field came
    /// from.
    #[error("{}", OverlayList { sources, problems })]
    Overlay {
        /// The base scenario first, then each overlay in order.
        sources: Vec<SourceText>,
        /// Every problem found.
        problems: Vec<SourcedProblem>,
    },
}

/// A file read as part of a scenario (the base or an overlay), with its text for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    /// The file.
    pub file: PathBuf,
    /// Its text (empty when it could not be read).
    pub text: String,
}

/// A problem in a scenario made of a base file and overlays, placed in the file its field came
/// from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedProblem {
    /// Which file: 0 is the base scenario, 1 the first overlay, and so on.
    pub source: usize,
    /// The field's path in the merged scenario, when it differs from `problem.path` (the path
    /// in that file): an overlay's `metals[0]` may be the merged scenario's `metals[3]`.
    pub merged_path: Option<String>,
    /// What is wrong, with the field path and position in that file.
    pub problem: Problem,
}

struct OverlayList<'a> {
    sources: &'a [SourceText],
    problems: &'a [SourcedProblem],
}

impl fmt::Display for OverlayList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        let base = self
            .sources
            .first()
            .map_or_else(String::new, |source| source.file.display().to_string());
        let overlays: Vec<String> = self
            .sources
            .iter()
            .skip(1)
            .map(|source| source.file.display().to_string())
            .collect();
        write!(
            f,
            "scenario {base} with overlay{} {} has {count} problem{}",
            if overlays.len() == 1 { "" } else { "s" },
            overlays.join(", "),
            if count == 1 { "" } else { "s" }
        )?;
        for sourced in self.problems {
            let file = self
                .sources
                .get(sourced.source)
                .map_or_else(|| std::path::Path::new(""), |source| source.file.as_path());
            write!(f, "\n  {}", sourced.problem.display_in(file))?;
            if let Some(merged) = &sourced.merged_path {
                write!(f, " (field {merged} of the merged scenario)")?;
            }
        }
        Ok(())
    }
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

struct CsvProblemList<'a> {
    file: &'a PathBuf,
    problems: &'a [crate::scenario::CsvProblem],
}

impl fmt::Display for CsvProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "facilities file {} has {count} problem{}",
            self.file.display(),
            if count == 1 { "" } else { "s" }
        )?;
        for problem in self.problems {
            write!(f, "\n  {}", self.file.display())?;
            if let Some(line) = problem.line {
                write!(f, ":{line}")?;
            }
            if let Some(column) = &problem.column {
                // A column named in the file's header: quoted short, never whole.
                write!(f, ": column `{}`", crate::files::quoted(column, 40))?;
            }
            write!(f, ": {}", problem.message)?;
        }
        Ok(())
    }
}

/// What a result file is read as: a plan to verify, or a result to compare or replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultRole {
    /// A plan to verify against a scenario (only its `plan` rows are required).
    Plan,
    /// A whole result, to compare or replay.
    Result,
}

/// Why a result file cannot be read back (to verify, compare or replay it).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResultFileError {
    /// The file cannot be read.
    #[error("cannot read {} {}: {reason}", role_name(*role), file.display())]
    Read {
        /// The file.
        file: PathBuf,
        /// What it was read as.
        role: ResultRole,
        /// The operating system's reason.
        reason: String,
    },
    /// The file is not a result: not JSON, or a part has the wrong shape.
    #[error("{}", not_a_result(file, *role, reason))]
    NotAResult {
        /// The file.
        file: PathBuf,
        /// What it was read as.
        role: ResultRole,
        /// What is wrong, with line and column.
        reason: String,
    },
}

fn role_name(role: ResultRole) -> &'static str {
    match role {
        ResultRole::Plan => "plan",
        ResultRole::Result => "result",
    }
}

fn not_a_result(file: &std::path::Path, role: ResultRole, reason: &str) -> String {
    match role {
        ResultRole::Plan => format!(
            "cannot read plan {}: it is not a metalplan result (JSON with `plan` rows): {reason}",
            file.display()
        ),
        ResultRole::Result => format!(
            "{} is not a metalplan result (a result written as JSON): {reason}",
            file.display()
        ),
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
    /// The time limit ran out before the solver proved a plan optimal.
    #[error("the {solver} solver reached the time limit of {seconds} s before proving a plan optimal; {}",
        time_limit_outcome(*best_objective))]
    TimeLimit {
        /// Which solver.
        solver: &'static str,
        /// The limit, seconds.
        seconds: f64,
        /// Objective of the best feasible plan found, in the objective's unit, if any.
        best_objective: Option<f64>,
    },
    /// The solver stopped without an optimal plan.
    #[error("the {solver} solver failed: {reason}")]
    Solver {
        /// Which solver.
        solver: &'static str,
        /// What it reported.
        reason: String,
    },
}

/// Why a plugin could not be loaded, or what it returned cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// A plugin named in the scenario was not found on the search path.
    #[error(
        "plugin `{name}`: no file {file} in {}; give `path`, or put the library in a plugin folder",
        list_dirs(searched)
    )]
    NotFound {
        /// The plugin's name.
        name: String,
        /// The file name looked for.
        file: String,
        /// The folders searched, in order.
        searched: Vec<PathBuf>,
    },
    /// The file cannot be read.
    #[error("plugin {}: cannot read it: {reason}", path.display())]
    Unreadable {
        /// The plugin file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is not a loadable shared library.
    #[error("plugin {}: not a loadable shared library: {reason}", path.display())]
    NotALibrary {
        /// The plugin file.
        path: PathBuf,
        /// The loader's reason.
        reason: String,
    },
    /// The file is refused for safety.
    #[error("plugin {}: refused: {reason}", path.display())]
    Untrusted {
        /// The plugin file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// An entry point is missing: not a metalplan plugin, or built wrongly.
    #[error("plugin {}: missing entry symbol `{symbol}`; is it built with metalplan_plugin::export_plugin!?", path.display())]
    MissingSymbol {
        /// The plugin file.
        path: PathBuf,
        /// The symbol.
        symbol: String,
    },
    /// The plugin was built for another version of the boundary.
    #[error("plugin {}: built for plugin ABI version {plugin}, but this metalplan speaks ABI version {host}; rebuild it against a matching metalplan-plugin", path.display())]
    AbiMismatch {
        /// The plugin file.
        path: PathBuf,
        /// The plugin's ABI version.
        plugin: u32,
        /// The host's ABI version.
        host: u32,
    },
    /// The plugin's reply could not be read.
    #[error("plugin `{plugin}`: {reason}")]
    BadReply {
        /// The plugin.
        plugin: String,
        /// What was wrong.
        reason: String,
    },
    /// The plugin reported an error.
    #[error("plugin `{plugin}` failed: {message}")]
    Failed {
        /// The plugin.
        plugin: String,
        /// Its message.
        message: String,
    },
    /// The plugin panicked; the panic was caught inside it.
    #[error("plugin `{plugin}` panicked: {message}")]
    Panicked {
        /// The plugin.
        plugin: String,
        /// The panic message.
        message: String,
    },
    /// A required parameter is not in the scenario.
    #[error("plugin `{plugin}`: required parameter `{parameter}` ({description}) is missing; set it under [[plugins]] params")]
    MissingParameter {
        /// The plugin.
        plugin: String,
        /// The parameter.
        parameter: String,
        /// What it means.
        description: String,
    },
    /// The scenario gives a parameter the plugin does not read (often a typo).
    #[error("plugin `{plugin}`: unknown parameter `{parameter}` (it reads: {known})")]
    UnknownParameter {
        /// The plugin.
        plugin: String,
        /// The parameter.
        parameter: String,
        /// The parameters it reads.
        known: String,
    },
    /// A library named by a file (a scenario, an overlay, a result) that the user has not
    /// allowed (docs/plugins.md, "Trust").
    #[error("{} names the plugin library {} (SHA-256 {sha256}), which is neither in a plugin folder nor allowed; nothing was loaded", asked_by.display(), library.display())]
    NotAllowed {
        /// The file that names the library.
        asked_by: PathBuf,
        /// The library, as resolved.
        library: PathBuf,
        /// The SHA-256 of its bytes.
        sha256: String,
    },
    /// The library's bytes changed between the consent check and loading.
    #[error("plugin {}: the file changed after it was checked (SHA-256 {expected} when checked, {found} when loaded); nothing was loaded", path.display())]
    Changed {
        /// The library.
        path: PathBuf,
        /// The hash consent was given for.
        expected: String,
        /// The hash of the bytes found when loading.
        found: String,
    },
    /// The plugin host process cannot be found or started.
    #[error("the plugin host {}: {reason}", host.display())]
    HostUnavailable {
        /// The host binary looked for or started.
        host: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// The plugin host process stopped while the plugin's call was running: the plugin crashed,
    /// aborted, exited or ran out of memory (docs/plugins.md, "Isolation").
    #[error(
        "plugin `{plugin}` stopped the plugin host during {call}: it {what}{}",
        stderr_tail(stderr)
    )]
    Crashed {
        /// The plugin whose call was running.
        plugin: String,
        /// The call (`loading`, `build`).
        call: String,
        /// What happened: the signal with its name, or the exit status.
        what: String,
        /// The last lines the host and the plugin wrote to stderr.
        stderr: Vec<String>,
    },
    /// The plugin's call ran past the time limit; the plugin host was stopped.
    #[error(
        "plugin `{plugin}` did not finish {call} within {seconds} s and was stopped{}",
        stderr_tail(stderr)
    )]
    TimedOut {
        /// The plugin whose call was running.
        plugin: String,
        /// The call.
        call: String,
        /// The limit, seconds.
        seconds: f64,
        /// The last lines the host and the plugin wrote to stderr.
        stderr: Vec<String>,
    },
    /// The same plugin is loaded twice.
    #[error("plugin `{plugin}` is loaded twice (named by the scenario and asked for again?); load it once, its rules would otherwise be added twice under the same names")]
    Duplicate {
        /// The plugin.
        plugin: String,
    },
    /// What the plugin returned breaks the rules; every problem is listed.
    #[error(
        "plugin `{plugin}` returned unusable rules:{}",
        list_problems(problems)
    )]
    Invalid {
        /// The plugin.
        plugin: String,
        /// Each problem, naming the constraint or variable.
        problems: Vec<String>,
    },
}

fn time_limit_outcome(best_objective: Option<f64>) -> String {
    match best_objective {
        Some(value) => format!(
            "the best plan found so far has objective {value:.6e} (not reported: it is not proven optimal)"
        ),
        None => "no feasible plan was found in time".to_string(),
    }
}

fn list_dirs(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        return "no folder (the search path is empty)".to_string();
    }
    dirs.iter()
        .map(|dir| dir.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_problems(problems: &[String]) -> String {
    problems.iter().fold(String::new(), |mut text, problem| {
        text.push_str("\n  ");
        text.push_str(problem);
        text
    })
}

/// The last stderr lines of a plugin host, as the end of a message.
fn stderr_tail(lines: &[String]) -> String {
    if lines.is_empty() {
        String::new()
    } else {
        format!("; its last stderr lines:\n  {}", lines.join("\n  "))
    }
}

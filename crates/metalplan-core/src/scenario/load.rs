//! Reading a scenario file (TOML or JSON) into a validated [`Scenario`].

use std::path::{Path, PathBuf};

use super::facility::{read_facilities_csv, CsvProblem, FacilityFile};
use super::locate::{Location, TomlLocator};
use super::{validate, Scenario};
use crate::error::{Problem, ScenarioError, SourceText};
use crate::files::{ReadFailure, ReadPolicy};

/// Scenario files above this size are refused: real scenarios are kilobytes. The cap is
/// counted while reading ([`crate::files::read_capped`]), not taken from the reported size.
pub const MAX_SCENARIO_BYTES: u64 = crate::files::MAX_INPUT_BYTES;

/// The text format of a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// TOML (`.toml`): errors carry line and column.
    Toml,
    /// JSON (`.json`).
    Json,
}

impl SourceFormat {
    /// The format implied by the file's extension.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(SourceFormat::Toml),
            "json" => Some(SourceFormat::Json),
            _ => None,
        }
    }
}

/// A scenario that parsed and validated, with the text it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The file it was read from.
    pub file: PathBuf,
    /// The file's text.
    pub text: String,
    /// The file's format.
    pub format: SourceFormat,
    /// The scenario itself (with every overlay merged in).
    pub scenario: Scenario,
    /// The overlay files merged into it, in order (`--with`); empty for a plain file.
    pub overlays: Vec<SourceText>,
    /// The facilities CSV read for it (`facilities_csv`), as resolved from its folder.
    pub facilities_file: Option<PathBuf>,
}

/// Reads, parses and validates a scenario file, reading only regular files and a facilities
/// CSV within the scenario's folder ([`ReadPolicy::default`]).
pub fn load_scenario(file: &Path) -> Result<LoadedScenario, ScenarioError> {
    load_scenario_with_policy(file, ReadPolicy::default())
}

/// Reads, parses and validates a scenario file, reading files as `policy` allows.
pub fn load_scenario_with_policy(
    file: &Path,
    policy: ReadPolicy,
) -> Result<LoadedScenario, ScenarioError> {
    let format = SourceFormat::from_path(file).ok_or_else(|| ScenarioError::UnknownFormat {
        file: file.to_path_buf(),
    })?;
    let text = read_text(file, policy).map_err(|error| scenario_read_error(error, file))?;
    parse_scenario_with_policy(text, file, format, policy)
}

/// The scenario error for a scenario file that could not be read.
pub(crate) fn scenario_read_error(failure: ReadFailure, file: &Path) -> ScenarioError {
    match failure {
        ReadFailure::Io(source) => ScenarioError::Read {
            file: file.to_path_buf(),
            source,
        },
        ReadFailure::TooLarge => ScenarioError::TooLarge {
            file: file.to_path_buf(),
            limit: MAX_SCENARIO_BYTES,
        },
        ReadFailure::NotRegular(kind) => ScenarioError::NotRegular {
            file: file.to_path_buf(),
            kind,
        },
    }
}

/// The text of a scenario or overlay file, at most [`MAX_SCENARIO_BYTES`], without a
/// byte-order mark (accepted in TOML and JSON alike).
pub(crate) fn read_text(file: &Path, policy: ReadPolicy) -> Result<String, ReadFailure> {
    crate::files::read_capped(file, policy)
}

/// Parses and validates scenario text; `file` is used only in messages, and to find a
/// `facilities_csv` within its folder.
pub fn parse_scenario(
    text: String,
    file: &Path,
    format: SourceFormat,
) -> Result<LoadedScenario, ScenarioError> {
    parse_scenario_with_policy(text, file, format, ReadPolicy::default())
}

/// [`parse_scenario`], reading the facilities CSV as `policy` allows.
pub fn parse_scenario_with_policy(
    text: String,
    file: &Path,
    format: SourceFormat,
    policy: ReadPolicy,
) -> Result<LoadedScenario, ScenarioError> {
    let parsed = match format {
        SourceFormat::Toml => parse_toml(&text),
        SourceFormat::Json => parse_json(&text),
    };
    let mut scenario = match parsed {
        Ok(scenario) => scenario,
        Err(problem) => {
            return Err(ScenarioError::Syntax {
                file: file.to_path_buf(),
                text,
                problem: Box::new(problem),
            })
        }
    };
    let facility_file = match read_facilities(&mut scenario, file, policy) {
        Ok(facility_file) => facility_file,
        Err(FacilitiesFailure::InScenario(problem)) => {
            return Err(invalid(file, text, format, vec![problem]));
        }
        Err(FacilitiesFailure::InCsv(error)) => return Err(error),
    };
    let problems = point_into_csv(validate(&scenario), facility_file.as_ref())?;
    if !problems.is_empty() {
        return Err(invalid(file, text, format, problems));
    }
    Ok(LoadedScenario {
        file: file.to_path_buf(),
        text,
        format,
        scenario,
        overlays: Vec::new(),
        facilities_file: facility_file.map(|read| read.file),
    })
}

fn parse_toml(text: &str) -> Result<Scenario, Problem> {
    let deserializer = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = display_path(error.path());
        let inner = error.into_inner();
        let span = inner.span();
        let mut message = inner.message().trim().to_string();
        if message.is_empty() {
            // The toml crate says nothing for some characters, such as a bare carriage return
            // in a comment; a message must never be empty.
            message = toml_silent_reason(text, span.as_ref().map(|span| span.start));
        }
        Problem {
            path,
            message,
            location: span.map(|span| Location::from_span(text, span)),
        }
    })
}

/// What is wrong at `at` when the toml crate gives no message.
fn toml_silent_reason(text: &str, at: Option<usize>) -> String {
    let found = at
        .and_then(|at| text.get(at..))
        .and_then(|rest| rest.chars().next());
    match found {
        Some('\r') => "a carriage return (\\r) not followed by a line feed; TOML allows it only \
                        in a line ending (\\r\\n)"
            .to_string(),
        Some(character) if character.is_control() => format!(
            "the control character {} is not allowed here in TOML",
            character.escape_debug()
        ),
        _ => "this is not valid TOML".to_string(),
    }
}

fn parse_json(text: &str) -> Result<Scenario, Problem> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result: Result<Scenario, _> = serde_path_to_error::deserialize(&mut deserializer);
    let scenario = result.map_err(|error| {
        let path = display_path(error.path());
        let inner = error.into_inner();
        json_problem(text, path, &inner)
    })?;
    // Trailing characters after the document are an error too.
    deserializer
        .end()
        .map_err(|error| json_problem(text, String::new(), &error))?;
    Ok(scenario)
}

pub(crate) fn json_problem(text: &str, path: String, error: &serde_json::Error) -> Problem {
    let message = error.to_string();
    // serde_json appends " at line L column C"; keep the message clean and the position apart.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head)
        .to_string();
    let location = (error.line() > 0).then(|| {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(error.line() - 1)
            .map(str::len)
            .sum();
        let start = (line_start + error.column().saturating_sub(1)).min(text.len());
        Location {
            line: error.line(),
            column: error.column().max(1),
            span: start..start,
        }
    });
    Problem {
        path,
        message,
        location,
    }
}

pub(crate) fn display_path(path: &serde_path_to_error::Path) -> String {
    let shown = path.to_string();
    if shown == "." {
        String::new()
    } else {
        shown
    }
}

/// An `Invalid` error with each problem located in the scenario text and sorted by position.
fn invalid(
    file: &Path,
    text: String,
    format: SourceFormat,
    mut problems: Vec<Problem>,
) -> ScenarioError {
    if format == SourceFormat::Toml {
        let locator = TomlLocator::new(&text);
        for problem in &mut problems {
            problem.location = locator.locate(&problem.path);
        }
    }
    problems.sort_by_key(|problem| {
        problem
            .location
            .as_ref()
            .map_or(usize::MAX, |location| location.span.start)
    });
    ScenarioError::Invalid {
        file: file.to_path_buf(),
        text,
        problems,
    }
}

pub(super) enum FacilitiesFailure {
    /// `facilities_csv` itself is wrong (given together with inline facilities).
    InScenario(Problem),
    /// The CSV could not be read or has bad rows.
    InCsv(ScenarioError),
}

/// Reads `facilities_csv`, relative to the scenario's folder, into `scenario.facilities`.
///
/// The file must lie within the scenario's folder (after following links) unless `policy`
/// allows any: a scenario from elsewhere must not make metalplan read `/proc/self/environ` or
/// `../../secret` and quote it back.
pub(super) fn read_facilities(
    scenario: &mut Scenario,
    file: &Path,
    policy: ReadPolicy,
) -> Result<Option<FacilityFile>, FacilitiesFailure> {
    let Some(csv) = &scenario.facilities_csv else {
        return Ok(None);
    };
    if !scenario.facilities.is_empty() {
        return Err(FacilitiesFailure::InScenario(Problem {
            path: "facilities_csv".to_string(),
            message: "is given together with inline [[facilities]]; list facilities in one place"
                .to_string(),
            location: None,
        }));
    }
    let folder = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let csv_file = folder.join(csv);
    if !policy.facilities_anywhere {
        outside_folder(folder, &csv_file, csv).map_err(FacilitiesFailure::InCsv)?;
    }
    let read = read_facilities_csv(&csv_file, policy).map_err(|problems| {
        FacilitiesFailure::InCsv(ScenarioError::Facilities {
            file: csv_file.clone(),
            problems,
        })
    })?;
    scenario.facilities.clone_from(&read.facilities);
    Ok(Some(read))
}

/// Refuses a facilities file whose real place (links followed) is not inside `folder`. A file
/// that does not exist yet is left to the reader, which says so.
fn outside_folder(folder: &Path, csv_file: &Path, written: &str) -> Result<(), ScenarioError> {
    let outside = || ScenarioError::FacilitiesOutside {
        file: csv_file.to_path_buf(),
        written: crate::files::quoted(written, 80),
        folder: folder.to_path_buf(),
    };
    let (Ok(real_folder), Ok(real_file)) = (
        std::fs::canonicalize(folder),
        std::fs::canonicalize(csv_file),
    ) else {
        return Ok(());
    };
    if real_file.starts_with(&real_folder) {
        Ok(())
    } else {
        Err(outside())
    }
}

/// The validation problems left for the scenario text, or, when the only problems are in
/// facilities read from a CSV, the error pointing at their CSV lines and columns.
pub(super) fn point_into_csv(
    problems: Vec<Problem>,
    facility_file: Option<&FacilityFile>,
) -> Result<Vec<Problem>, ScenarioError> {
    let Some(facility_file) = facility_file else {
        return Ok(problems);
    };
    let (in_csv, in_scenario): (Vec<Problem>, Vec<Problem>) = problems
        .into_iter()
        .partition(|problem| problem.path.starts_with("facilities["));
    if in_scenario.is_empty() && !in_csv.is_empty() {
        return Err(ScenarioError::Facilities {
            file: facility_file.file.clone(),
            problems: in_csv
                .iter()
                .map(|problem| csv_problem(problem, facility_file))
                .collect(),
        });
    }
    Ok(in_scenario)
}

/// A validation problem of `facilities[i].field` as a problem at the CSV line and column.
fn csv_problem(problem: &Problem, facility_file: &FacilityFile) -> CsvProblem {
    let rest = &problem.path["facilities[".len()..];
    let (index, field) = match rest.split_once(']') {
        Some((index, field)) => (index.parse::<usize>().ok(), field.trim_start_matches('.')),
        None => (None, ""),
    };
    CsvProblem {
        line: index.and_then(|index| facility_file.lines.get(index).copied()),
        column: (!field.is_empty()).then(|| field.to_string()),
        message: lines_for_paths(&problem.message, facility_file),
    }
}

/// `message` with each `facilities[i]` it mentions (another facility, such as the first holder
/// of a duplicate id) told as that facility's CSV line.
fn lines_for_paths(message: &str, facility_file: &FacilityFile) -> String {
    const PREFIX: &str = "facilities[";
    let mut told = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(PREFIX) {
        let after = &rest[start + PREFIX.len()..];
        let told_as_line = after.split_once(']').and_then(|(digits, tail)| {
            let line = facility_file.lines.get(digits.parse::<usize>().ok()?)?;
            Some((*line, tail))
        });
        told.push_str(&rest[..start]);
        if let Some((line, tail)) = told_as_line {
            told.push_str("line ");
            told.push_str(&line.to_string());
            rest = tail;
        } else {
            told.push_str(PREFIX);
            rest = after;
        }
    }
    told.push_str(rest);
    told
}

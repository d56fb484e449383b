//! Plant-level data: smelters, refineries and recyclers, each feeding one route of one metal.
//!
//! Facilities are written inline (`[[facilities]]`) or, at plant scale, in a CSV file named by
//! `facilities_csv`, one facility a row with the same column names as the inline fields. The
//! loader reads the CSV into [`super::Scenario::facilities`], so everything after loading sees one
//! list whichever way it was written; `docs/scenario.md` describes the columns.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Route, Year};

/// One plant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facility {
    /// Unique identifier, e.g. `CU-JX-0012`.
    pub id: String,
    /// The metal it produces (a `metals[].name`).
    pub metal: String,
    /// The route it belongs to: `primary` (from ore and concentrate) or `recycled` (from scrap).
    pub route: Route,
    /// Province (or any grouping the planner reports by).
    pub province: String,
    /// Capacity at the start of the horizon, Mt per year.
    pub capacity_mt: f64,
    /// Operating cost of its output, CNY/t (on top of the route's own operating cost).
    pub operating_cost_cny_per_t: f64,
    /// First year it may produce.
    pub first_year: Year,
    /// Last year it may produce.
    pub last_year: Year,
    /// Capacity it may add in one year, Mt per year (0: no expansion).
    #[serde(default)]
    pub max_build_mt_per_year: f64,
    /// Cost of added capacity, CNY per t/yr.
    #[serde(default)]
    pub investment_cny_per_t: f64,
}

impl Facility {
    /// Whether it may produce in `year`.
    #[must_use]
    pub fn operates_in(&self, year: Year) -> bool {
        (self.first_year..=self.last_year).contains(&year)
    }
}

/// The CSV columns, in the order the generator writes them; all but the last two are required.
pub const FACILITY_COLUMNS: [&str; 10] = [
    "id",
    "metal",
    "route",
    "province",
    "capacity_mt",
    "operating_cost_cny_per_t",
    "first_year",
    "last_year",
    "max_build_mt_per_year",
    "investment_cny_per_t",
];

/// A facilities CSV file that was read, with the line of each facility for later messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacilityFile {
    /// The CSV file, as resolved from the scenario's folder.
    pub file: PathBuf,
    /// The facilities, in file order.
    pub facilities: Vec<Facility>,
    /// The 1-based line of each facility.
    pub lines: Vec<u64>,
}

/// Something wrong at one place of a facilities CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvProblem {
    /// 1-based line, when the problem is on one.
    pub line: Option<u64>,
    /// The column, when the problem is in one.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl CsvProblem {
    /// A problem of the whole file, at no line or column.
    fn of_file(message: String) -> CsvProblem {
        CsvProblem {
            line: None,
            column: None,
            message,
        }
    }
}

/// The longest piece of a cell a message quotes: enough to recognise a typo, too little to
/// leak a line of a file that is not a facilities file at all.
const QUOTED_CELL_CHARS: usize = 40;

/// Reads a facilities CSV (through the byte cap and file-type check of `policy`), collecting
/// every problem (up to a limit) before giving up. No message quotes more of the file than the
/// offending cell, escaped and cut short.
///
/// # Errors
/// The file cannot be read, or rows do not parse; each problem names its line and column.
pub fn read_facilities_csv(
    file: &Path,
    policy: crate::files::ReadPolicy,
) -> Result<FacilityFile, Vec<CsvProblem>> {
    let text = crate::files::read_capped(file, policy)
        .map_err(|failure| vec![CsvProblem::of_file(failure.to_string())])?;
    parse_facilities_csv(file, &text)
}

/// Parses the text of a facilities CSV read from `file` (named in the result only), collecting
/// every problem (up to a limit) before giving up. No message quotes more of the text than the
/// offending cell, escaped and cut short.
///
/// # Errors
/// Rows do not parse; each problem names its line and column.
pub fn parse_facilities_csv(file: &Path, text: &str) -> Result<FacilityFile, Vec<CsvProblem>> {
    // Comment and blank lines are dropped before parsing, remembering where each kept line
    // was: the csv crate's own positions skip them, which would point messages at wrong lines.
    let mut original_lines: Vec<u64> = Vec::new();
    let mut kept = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        original_lines.push(index as u64 + 1);
        kept.push_str(line);
        kept.push('\n');
    }
    let line_at = |kept_line: u64| -> u64 {
        usize::try_from(kept_line)
            .ok()
            .and_then(|line| original_lines.get(line.checked_sub(1)?))
            .copied()
            .unwrap_or(kept_line)
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        // Rows of the wrong length are reported below, naming the first missing column.
        .flexible(true)
        .from_reader(kept.as_bytes());
    let headers = reader
        .headers()
        .map_err(|error| {
            vec![CsvProblem::of_file(format!(
                "cannot read its header: {error}"
            ))]
        })?
        .clone();
    let mut problems = header_problems(&headers, line_at(1));
    if !problems.is_empty() {
        return Err(at_most_shown(problems));
    }
    let mut read = FacilityFile {
        file: file.to_path_buf(),
        ..FacilityFile::default()
    };
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(CsvProblem {
                    line: error.position().map(|position| line_at(position.line())),
                    column: None,
                    message: crate::files::quoted(&error.to_string(), 200),
                });
                break;
            }
        };
        let line = record
            .position()
            .map_or(0, |position| line_at(position.line()));
        if record.len() == headers.len() {
            match record.deserialize::<Facility>(Some(&headers)) {
                Ok(facility) => {
                    read.facilities.push(facility);
                    read.lines.push(line);
                }
                Err(error) => {
                    let column = column_of(&error, &headers);
                    let cell = column.as_deref().and_then(|column| {
                        let index = headers.iter().position(|header| header == column)?;
                        record.get(index)
                    });
                    problems.push(CsvProblem {
                        line: Some(line),
                        column,
                        message: deserialize_reason(&error, cell),
                    });
                }
            }
        } else {
            problems.push(CsvProblem {
                line: Some(line),
                column: headers.get(record.len()).map(str::to_string),
                message: format!(
                    "the row has {} fields, the header {}",
                    record.len(),
                    headers.len()
                ),
            });
        }
        if problems.len() >= MAX_FACILITY_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() {
        Ok(read)
    } else {
        Err(at_most_shown(problems))
    }
}

/// The most problems a facilities file reports: past this many the rest are almost always the
/// same mistake repeated, and a header of thousands of unknown columns must not give thousands
/// of lines.
pub const MAX_FACILITY_PROBLEMS: usize = 20;

/// `problems` cut to [`MAX_FACILITY_PROBLEMS`], the last one then saying how many more were found.
fn at_most_shown(mut problems: Vec<CsvProblem>) -> Vec<CsvProblem> {
    if problems.len() > MAX_FACILITY_PROBLEMS {
        let more = problems.len() - (MAX_FACILITY_PROBLEMS - 1);
        problems.truncate(MAX_FACILITY_PROBLEMS - 1);
        problems.push(CsvProblem::of_file(format!(
            "{more} more problems found and not shown; fix those above first"
        )));
    }
    problems
}

/// Missing required columns and unknown ones, named before any row is read.
fn header_problems(headers: &csv::StringRecord, line: u64) -> Vec<CsvProblem> {
    let mut problems = Vec::new();
    for required in &FACILITY_COLUMNS[..8] {
        if !headers.iter().any(|header| header == *required) {
            problems.push(CsvProblem {
                line: Some(line),
                column: Some((*required).to_string()),
                message: format!(
                    "the header has no `{required}` column; the columns are {}",
                    FACILITY_COLUMNS.join(", ")
                ),
            });
        }
    }
    for header in headers {
        if !FACILITY_COLUMNS.contains(&header) {
            problems.push(CsvProblem {
                line: Some(line),
                column: Some(header.to_string()),
                message: format!(
                    "unknown column `{}`; the columns are {}",
                    crate::files::quoted(header, QUOTED_CELL_CHARS),
                    FACILITY_COLUMNS.join(", ")
                ),
            });
        }
    }
    problems
}

/// The column a deserialisation error is in. The csv crate gives the field's position for
/// numbers but not for enum values, and `route` is the only enum column.
fn column_of(error: &csv::Error, headers: &csv::StringRecord) -> Option<String> {
    let csv::ErrorKind::Deserialize { err, .. } = error.kind() else {
        return None;
    };
    match err.field().and_then(|field| usize::try_from(field).ok()) {
        Some(field) => headers.get(field).map(str::to_string),
        None if err.to_string().contains("variant") => Some("route".to_string()),
        None => None,
    }
}

/// Why a row did not read, quoting at most the offending `cell`, escaped and cut short.
fn deserialize_reason(error: &csv::Error, cell: Option<&str>) -> String {
    let quoted_cell = cell.map_or_else(String::new, |cell| {
        format!("`{}` ", crate::files::quoted(cell, QUOTED_CELL_CHARS))
    });
    match error.kind() {
        csv::ErrorKind::Deserialize { err, .. } => match err.kind() {
            csv::DeserializeErrorKind::UnexpectedEndOfRow => {
                "the row has fewer fields than the header".to_string()
            }
            csv::DeserializeErrorKind::ParseFloat(_) => format!("{quoted_cell}is not a number"),
            csv::DeserializeErrorKind::ParseInt(_) => {
                format!("{quoted_cell}is not a whole number (a year)")
            }
            csv::DeserializeErrorKind::Message(message) if message.contains("variant") => {
                format!("{quoted_cell}is not a route; the routes are primary and recycled")
            }
            _ => crate::files::quoted(&err.kind().to_string(), 200),
        },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("the row has {len} fields, the header {expected_len}")
        }
        _ => crate::files::quoted(&error.to_string(), 200),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_of_many_unknown_columns_gives_at_most_twenty_problems() {
        // Every required column, then 30 unknown ones: 30 problems, shown as the first 19 and
        // one line for the other 11.
        let unknown: Vec<String> = (0..30).map(|index| format!("extra{index}")).collect();
        let text = format!("{},{}\n", FACILITY_COLUMNS.join(","), unknown.join(","));
        let problems = parse_facilities_csv(Path::new("f.csv"), &text).expect_err("refused");
        assert_eq!(problems.len(), MAX_FACILITY_PROBLEMS);
        assert!(problems[0].message.starts_with("unknown column `extra0`"));
        assert!(problems[18].message.starts_with("unknown column `extra18`"));
        assert_eq!(
            problems[19].message,
            "11 more problems found and not shown; fix those above first"
        );
    }
}

//! Scenario overlays (`metalplan solve base.toml --with variant.toml`): files that change or add
//! fields of a base scenario, merged into it before it is read as a [`Scenario`].
//!
//! The merge works on the parsed documents (as `serde_json::Value`s, whatever the format), so
//! the merged scenario is deserialised and validated exactly like a file read on its own. Rules
//! (`docs/scenario.md`, "Overlays"):
//!
//! - tables merge field by field, recursively;
//! - numbers, text, true/false and per-year values (a table keyed by years) replace the base's;
//! - the top-level `metals` list is matched by `name`: an overlay metal with a base metal's name
//!   is merged into it, one with a new name is appended;
//! - every other list (`years`, `plugins`) replaces the base's whole.
//!
//! While merging, every field an overlay writes is remembered with the file and path it came
//! from, so that a problem found after merging points into the file that set the field.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::load::{
    display_path, json_problem, load_scenario_with_policy, read_text, scenario_read_error,
};
use super::load::{point_into_csv, read_facilities, FacilitiesFailure};
use super::locate::{Location, TomlLocator};
use super::{validate, LoadedScenario, Scenario, SourceFormat};
use crate::error::{Problem, ScenarioError, SourceText, SourcedProblem};
use crate::files::ReadPolicy;

/// Reads `base`, merges each file of `overlays` into it in order, then reads and validates the
/// result. Without overlays this is [`super::load_scenario`].
pub fn load_scenario_with_overlays(
    base: &Path,
    overlays: &[PathBuf],
) -> Result<LoadedScenario, ScenarioError> {
    load_scenario_with(base, overlays, ReadPolicy::default())
}

/// [`load_scenario_with_overlays`], reading files as `policy` allows (special files, a
/// facilities CSV outside the scenario's folder).
pub fn load_scenario_with(
    base: &Path,
    overlays: &[PathBuf],
    policy: ReadPolicy,
) -> Result<LoadedScenario, ScenarioError> {
    if overlays.is_empty() {
        return load_scenario_with_policy(base, policy);
    }
    let format = SourceFormat::from_path(base).ok_or_else(|| ScenarioError::UnknownFormat {
        file: base.to_path_buf(),
    })?;
    let text = read_text(base, policy).map_err(|error| scenario_read_error(error, base))?;
    let mut document = match parse_document(&text, format) {
        Ok(document) => document,
        Err(problem) => {
            return Err(ScenarioError::Syntax {
                file: base.to_path_buf(),
                text,
                problem: Box::new(problem),
            })
        }
    };
    let mut merge = Merge {
        sources: vec![Source {
            text: SourceText {
                file: base.to_path_buf(),
                text,
            },
            format: Some(format),
        }],
        origins: BTreeMap::new(),
        problems: Vec::new(),
    };
    for overlay in overlays {
        merge.overlay(&mut document, overlay, format, policy);
    }
    if !merge.problems.is_empty() {
        return Err(merge.into_error());
    }
    let mut scenario: Scenario = match serde_path_to_error::deserialize(document) {
        Ok(scenario) => scenario,
        Err(error) => {
            let path = display_path(error.path());
            let message = error.into_inner().to_string();
            merge.merged_problem(&path, message);
            return Err(merge.into_error());
        }
    };
    // A facilities CSV is named relative to the base scenario's folder, as without overlays.
    let facility_file = match read_facilities(&mut scenario, base, policy) {
        Ok(facility_file) => facility_file,
        Err(FacilitiesFailure::InScenario(problem)) => {
            merge.merged_problem(&problem.path, problem.message);
            return Err(merge.into_error());
        }
        Err(FacilitiesFailure::InCsv(error)) => return Err(error),
    };
    let problems = point_into_csv(validate(&scenario), facility_file.as_ref())?;
    if !problems.is_empty() {
        for problem in problems {
            merge.merged_problem(&problem.path, problem.message);
        }
        return Err(merge.into_error());
    }
    let mut sources = merge.sources.into_iter().map(|source| source.text);
    let Some(SourceText { file, text }) = sources.next() else {
        unreachable!("the base scenario is the first source")
    };
    Ok(LoadedScenario {
        file,
        text,
        format,
        scenario,
        overlays: sources.collect(),
        facilities_file: facility_file.map(|read| read.file),
    })
}

/// One file of the merge.
struct Source {
    text: SourceText,
    /// `None` when the file could not be read or has an unknown extension.
    format: Option<SourceFormat>,
}

/// The state of one merge: the files, where each merged field came from, and the problems.
struct Merge {
    /// The base first, then each overlay.
    sources: Vec<Source>,
    /// Merged field path -> (source, path in that source), for every field an overlay wrote.
    origins: BTreeMap<String, (usize, String)>,
    problems: Vec<SourcedProblem>,
}

impl Merge {
    /// Reads one overlay file and merges it into `document`.
    fn overlay(
        &mut self,
        document: &mut Value,
        file: &Path,
        base_format: SourceFormat,
        policy: ReadPolicy,
    ) {
        let source = self.sources.len();
        let read = match (SourceFormat::from_path(file), read_text(file, policy)) {
            (None, _) => Err("unknown format; an overlay is a .toml or .json file".to_string()),
            (Some(_), Err(error)) => Err(error.to_string()),
            (Some(format), Ok(_)) if format != base_format => Err(format!(
                "this overlay is {} but the base scenario is {}; write overlays in the base \
                 scenario's format",
                format_name(format),
                format_name(base_format)
            )),
            (Some(format), Ok(text)) => Ok((text, format)),
        };
        self.sources.push(Source {
            text: SourceText {
                file: file.to_path_buf(),
                text: read
                    .as_ref()
                    .map_or_else(|_| String::new(), |(text, _)| text.clone()),
            },
            format: read.as_ref().ok().map(|&(_, format)| format),
        });
        let (text, format) = match read {
            Ok(read) => read,
            Err(message) => {
                self.problems.push(SourcedProblem {
                    source,
                    merged_path: None,
                    problem: Problem {
                        path: String::new(),
                        message,
                        location: None,
                    },
                });
                return;
            }
        };
        let overlay = match parse_document(&text, format) {
            Ok(overlay) => overlay,
            Err(problem) => {
                self.problems.push(SourcedProblem {
                    source,
                    merged_path: None,
                    problem,
                });
                return;
            }
        };
        let Value::Object(overlay) = overlay else {
            self.overlay_problem(
                source,
                "",
                "an overlay is a table of the scenario's fields (a JSON object)".to_string(),
            );
            return;
        };
        let Value::Object(base) = document else {
            // The base is not a table either: deserialising it says so.
            return;
        };
        self.merge_table(source, base, overlay, "", "");
    }

    /// Merges the fields of `overlay` into `base`; `merged` and `own` are the table's path in
    /// the merged scenario and in the overlay.
    fn merge_table(
        &mut self,
        source: usize,
        base: &mut Map<String, Value>,
        overlay: Map<String, Value>,
        merged: &str,
        own: &str,
    ) {
        for (key, value) in overlay {
            let merged_path = join(merged, &key);
            let own_path = join(own, &key);
            if merged.is_empty() && key == "metals" {
                self.merge_metals(source, base, value);
                continue;
            }
            match base.get_mut(&key) {
                None => {
                    base.insert(key, value);
                    self.record(source, merged_path, own_path);
                }
                Some(existing) => {
                    self.merge_value(source, existing, value, &merged_path, &own_path);
                }
            }
        }
    }

    /// Merges one field of an overlay into the base's value of it.
    fn merge_value(
        &mut self,
        source: usize,
        base: &mut Value,
        overlay: Value,
        merged: &str,
        own: &str,
    ) {
        let base_kind = Kind::of(base);
        let overlay_kind = Kind::of(&overlay);
        match (base_kind, overlay_kind) {
            (Kind::Table, Kind::Table) => {
                let (Value::Object(base), Value::Object(overlay)) = (base, overlay) else {
                    unreachable!("Kind::Table is an object")
                };
                self.merge_table(source, base, overlay, merged, own);
            }
            (Kind::Table, Kind::Value | Kind::List) | (Kind::Value | Kind::List, Kind::Table) => {
                self.overlay_problem(
                    source,
                    own,
                    format!(
                        "type clash: the overlay has {} here but the base scenario has {} at \
                         `{merged}`; an overlay changes the fields of a table, or replaces a \
                         value with a value of the same kind",
                        describe(&overlay),
                        describe(base)
                    ),
                );
            }
            (Kind::List, Kind::Value) | (Kind::Value, Kind::List) => {
                self.overlay_problem(
                    source,
                    own,
                    format!(
                        "type clash: the overlay has {} here but the base scenario has {} at \
                         `{merged}`; a list is replaced by a whole list",
                        describe(&overlay),
                        describe(base)
                    ),
                );
            }
            // Values, per-year schedules and lists replace; `null` (JSON) clears the field.
            _ => {
                *base = overlay;
                self.record(source, merged.to_string(), own.to_string());
            }
        }
    }

    /// Merges the overlay's `metals` into the base's, matching metals by `name`.
    fn merge_metals(&mut self, source: usize, base: &mut Map<String, Value>, overlay: Value) {
        let Value::Array(entries) = overlay else {
            self.overlay_problem(
                source,
                "metals",
                format!(
                    "must be a list of metals ([[metals]] tables), not {}",
                    describe(&overlay)
                ),
            );
            return;
        };
        let base_metals = base
            .entry("metals")
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(base_metals) = base_metals else {
            self.overlay_problem(
                source,
                "metals",
                format!(
                    "cannot be merged: the base scenario's `metals` is {}, not a list",
                    describe(base_metals)
                ),
            );
            return;
        };
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (index, entry) in entries.into_iter().enumerate() {
            let own = format!("metals[{index}]");
            let Value::Object(entry) = entry else {
                self.overlay_problem(
                    source,
                    &own,
                    format!(
                        "an overlay metal is a table with a `name`, not {}",
                        describe(&entry)
                    ),
                );
                continue;
            };
            let name = match entry.get("name") {
                Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
                Some(other) => {
                    self.overlay_problem(
                        source,
                        &format!("{own}.name"),
                        format!("must be the metal's name as text, not {}", describe(other)),
                    );
                    continue;
                }
                None => {
                    self.overlay_problem(
                        source,
                        &own,
                        "an overlay metal needs a `name`: it says which metal of the base \
                         scenario to change, or names the metal to add"
                            .to_string(),
                    );
                    continue;
                }
            };
            if let Some(first) = seen.insert(name.clone(), index) {
                self.overlay_problem(
                    source,
                    &format!("{own}.name"),
                    format!("metal `{name}` appears twice in this overlay (also metals[{first}])"),
                );
                continue;
            }
            let matching = base_metals
                .iter_mut()
                .enumerate()
                .find_map(|(position, metal)| match metal {
                    Value::Object(table)
                        if table.get("name").and_then(Value::as_str) == Some(name.as_str()) =>
                    {
                        Some((position, table))
                    }
                    _ => None,
                });
            if let Some((position, metal)) = matching {
                self.merge_table(source, metal, entry, &format!("metals[{position}]"), &own);
            } else {
                let merged = format!("metals[{}]", base_metals.len());
                base_metals.push(Value::Object(entry));
                self.record(source, merged, own);
            }
        }
    }

    /// Remembers that `merged` (and everything under it) now comes from `own` in `source`.
    fn record(&mut self, source: usize, merged: String, own: String) {
        let under: Vec<String> = self
            .origins
            .range(merged.clone()..)
            .map(|(path, _)| path)
            .take_while(|path| path.starts_with(&merged))
            .filter(|path| is_under(path, &merged))
            .cloned()
            .collect();
        for path in under {
            self.origins.remove(&path);
        }
        self.origins.insert(merged, (source, own));
    }

    /// A problem at `path` of the overlay `source`, located in its text.
    fn overlay_problem(&mut self, source: usize, path: &str, message: String) {
        let location = self.locate(source, path);
        self.problems.push(SourcedProblem {
            source,
            merged_path: None,
            problem: Problem {
                path: path.to_string(),
                message,
                location,
            },
        });
    }

    /// A problem found in the merged scenario at `path`, placed in the file that set the field.
    fn merged_problem(&mut self, path: &str, message: String) {
        let (source, own) = self.origin(path);
        let location = self.locate(source, &own);
        self.problems.push(SourcedProblem {
            source,
            merged_path: (own != path).then(|| path.to_string()),
            problem: Problem {
                path: own,
                message,
                location,
            },
        });
    }

    /// The file and path a merged field came from: the overlay that last wrote it or a table
    /// above it, else the base.
    fn origin(&self, path: &str) -> (usize, String) {
        let mut end = path.len();
        loop {
            let prefix = &path[..end];
            if let Some((source, own)) = self.origins.get(prefix) {
                return (*source, format!("{own}{}", &path[end..]));
            }
            match prefix.rfind(['.', '[']) {
                Some(position) if position > 0 => end = position,
                _ => return (0, path.to_string()),
            }
        }
    }

    fn locate(&self, source: usize, path: &str) -> Option<Location> {
        let source = self.sources.get(source)?;
        match source.format? {
            SourceFormat::Toml => TomlLocator::new(&source.text.text).locate(path),
            SourceFormat::Json => None,
        }
    }

    fn into_error(self) -> ScenarioError {
        let mut problems = self.problems;
        // By file, then in file order; problems without a position keep their order.
        problems.sort_by_key(|sourced| {
            (
                sourced.source,
                sourced
                    .problem
                    .location
                    .as_ref()
                    .map_or(usize::MAX, |location| location.span.start),
            )
        });
        ScenarioError::Overlay {
            sources: self.sources.into_iter().map(|source| source.text).collect(),
            problems,
        }
    }
}

/// How a value takes part in a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A table of fields: merged field by field.
    Table,
    /// A list: replaced whole (except `metals`, handled apart).
    List,
    /// A number, text, true/false or a per-year schedule: replaced.
    Value,
    /// JSON `null`: replaced, and replaces anything.
    Null,
}

impl Kind {
    fn of(value: &Value) -> Kind {
        match value {
            Value::Object(map) if is_schedule(map) => Kind::Value,
            Value::Object(_) => Kind::Table,
            Value::Array(_) => Kind::List,
            Value::Null => Kind::Null,
            _ => Kind::Value,
        }
    }
}

fn is_schedule(map: &Map<String, Value>) -> bool {
    super::per_year::is_schedule(map.keys())
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(map) if is_schedule(map) => "a per-year table",
        Value::Object(_) => "a table",
    }
}

fn format_name(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Toml => "TOML",
        SourceFormat::Json => "JSON",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Whether `path` is `parent` or a field or element under it.
fn is_under(path: &str, parent: &str) -> bool {
    path.strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Parses TOML or JSON text into a document; TOML numbers that JSON cannot hold (`nan`, `inf`)
/// and dates are refused here, with their position.
fn parse_document(text: &str, format: SourceFormat) -> Result<Value, Problem> {
    match format {
        SourceFormat::Json => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let value: Value = serde::Deserialize::deserialize(&mut deserializer)
                .map_err(|error| json_problem(text, String::new(), &error))?;
            deserializer
                .end()
                .map_err(|error| json_problem(text, String::new(), &error))?;
            Ok(value)
        }
        SourceFormat::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|error| Problem {
                path: String::new(),
                message: error.message().trim().to_string(),
                location: error.span().map(|span| Location::from_span(text, span)),
            })?;
            let mut path = String::new();
            toml_to_json(toml::Value::Table(table), &mut path).map_err(|(path, message)| {
                let location = TomlLocator::new(text).locate(&path);
                Problem {
                    path,
                    message,
                    location,
                }
            })
        }
    }
}

/// A TOML value as JSON; `path` is where it sits, for the error.
fn toml_to_json(value: toml::Value, path: &mut String) -> Result<Value, (String, String)> {
    Ok(match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::from(number),
        toml::Value::Float(number) => serde_json::Number::from_f64(number)
            .map(Value::Number)
            .ok_or_else(|| {
                (
                    path.clone(),
                    format!("must be a finite number, got {number}"),
                )
            })?,
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(date) => {
            return Err((
                path.clone(),
                format!("a date ({date}) is not a scenario value"),
            ))
        }
        toml::Value::Array(items) => {
            let mut list = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let length = path.len();
                // Writing to a String cannot fail.
                let _ = write!(path, "[{index}]");
                list.push(toml_to_json(item, path)?);
                path.truncate(length);
            }
            Value::Array(list)
        }
        toml::Value::Table(table) => {
            let mut map = Map::new();
            for (key, item) in table {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                let converted = toml_to_json(item, path)?;
                path.truncate(length);
                map.insert(key, converted);
            }
            Value::Object(map)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(base: &str, overlay_text: &str) -> (Value, Vec<SourcedProblem>) {
        let mut document = parse_document(base, SourceFormat::Toml).unwrap();
        let overlay = parse_document(overlay_text, SourceFormat::Toml).unwrap();
        let mut merge = Merge {
            sources: vec![
                Source {
                    text: SourceText {
                        file: "base.toml".into(),
                        text: base.to_string(),
                    },
                    format: Some(SourceFormat::Toml),
                },
                Source {
                    text: SourceText {
                        file: "overlay.toml".into(),
                        text: overlay_text.to_string(),
                    },
                    format: Some(SourceFormat::Toml),
                },
            ],
            origins: BTreeMap::new(),
            problems: Vec::new(),
        };
        let (Value::Object(base), Value::Object(overlay)) = (&mut document, overlay) else {
            panic!("documents are tables")
        };
        merge.merge_table(1, base, overlay, "", "");
        (document, merge.problems)
    }

    #[test]
    fn tables_merge_and_values_replace() {
        let (document, problems) = merged(
            "a = 1\n[t]\nx = 1\ny = { 2025 = 1, 2026 = 2 }\n",
            "[t]\nx = 5\ny = { 2026 = 3 }\nz = true\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            document,
            serde_json::json!({"a": 1, "t": {"x": 5, "y": {"2026": 3}, "z": true}})
        );
    }

    #[test]
    fn metals_match_by_name_and_new_ones_are_appended() {
        let (document, problems) = merged(
            "[[metals]]\nname = \"a\"\nv = 1\n[[metals]]\nname = \"b\"\nv = 2\n",
            "[[metals]]\nname = \"b\"\nv = 3\n[[metals]]\nname = \"c\"\nv = 4\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            document["metals"],
            serde_json::json!([{"name": "a", "v": 1}, {"name": "b", "v": 3}, {"name": "c", "v": 4}])
        );
    }

    #[test]
    fn a_type_clash_and_a_nameless_metal_are_located_in_the_overlay() {
        let (_, problems) = merged(
            "[t]\nx = 1\n[[metals]]\nname = \"a\"\n",
            "t = 3\n\n[[metals]]\nv = 1\n",
        );
        let mut found: Vec<(String, usize)> = problems
            .iter()
            .map(|sourced| {
                (
                    sourced.problem.path.clone(),
                    sourced.problem.location.as_ref().map_or(0, |at| at.line),
                )
            })
            .collect();
        found.sort_by_key(|(_, line)| *line);
        assert_eq!(found, [("t".to_string(), 1), ("metals[0]".to_string(), 3)]);
        assert!(problems
            .iter()
            .any(|sourced| sourced.problem.message.starts_with("type clash")));
    }

    #[test]
    fn origins_follow_the_last_writer() {
        let mut merge = Merge {
            sources: Vec::new(),
            origins: BTreeMap::new(),
            problems: Vec::new(),
        };
        merge.record(
            1,
            "metals[2].primary.capacity_mt".into(),
            "metals[0].primary.capacity_mt".into(),
        );
        merge.record(2, "metals[2]".into(), "metals[1]".into());
        assert_eq!(merge.origins.len(), 1);
        assert_eq!(
            merge.origin("metals[2].primary.capacity_mt.2025"),
            (2, "metals[1].primary.capacity_mt.2025".to_string())
        );
        assert_eq!(
            merge.origin("metals[20].name"),
            (0, "metals[20].name".to_string())
        );
    }
}

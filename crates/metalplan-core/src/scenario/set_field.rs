//! Setting one number of a scenario by its field path, for parameter sweeps.
//!
//! Paths are the ones validation messages use (`targets.recycled_output_min_mt`,
//! `metals[0].recycled.capacity_mt`, `targets.co2_max_mt.2026`), and a metal may also be named
//! (`metals[copper].primary.capacity_mt`). The scenario goes through `serde_json::Value` and
//! back, so every field the file format has can be set without a hand-written list of them;
//! deserialising and [`super::validate`] then check the result like a freshly read file.

use std::fmt;

use serde_json::{Map, Value};

use super::per_year::is_year_key;
use super::{validate, Scenario};
use crate::error::Problem;

/// Why a field cannot be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldError {
    /// The path is malformed or names no field of the scenario.
    #[error("`{path}`: {reason}")]
    Path {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The path names something other than a number or a per-year value.
    #[error("`{path}` is {found}, not a number or a per-year value; only numbers can be set")]
    NotANumber {
        /// The path as given.
        path: String,
        /// What is there, e.g. "text" or "a table".
        found: String,
    },
    /// The field cannot hold a number (the scenario no longer reads, e.g. a fractional year).
    #[error("`{path}` cannot be set to {value}: {reason}")]
    Rejected {
        /// The path as given.
        path: String,
        /// The value that was to be set.
        value: f64,
        /// What reading the scenario back said.
        reason: String,
    },
    /// The value is not a finite number.
    #[error("`{path}` cannot be set to {value}: only finite numbers can be set")]
    NotFinite {
        /// The path as given.
        path: String,
        /// The value that was to be set.
        value: f64,
    },
    /// The scenario with the new values breaks validation.
    #[error("{} makes the scenario invalid: {}", .assignments, list_problems(.problems))]
    Invalid {
        /// `PATH=VALUE` for every value set, comma-separated.
        assignments: String,
        /// What validation found.
        problems: Vec<Problem>,
    },
}

fn list_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| {
            if problem.path.is_empty() {
                problem.message.clone()
            } else {
                format!("{}: {}", problem.path, problem.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A copy of `scenario` with the number at `path` set to `value`, re-validated.
///
/// A per-year field set as a whole (`targets.co2_max_mt`) becomes the same in every year; one
/// year of a schedule is set with a trailing year (`targets.co2_max_mt.2026`). A target the
/// scenario leaves out may be set, and so may a metal's `targets.import_dependence_max` entry.
pub fn with_field(scenario: &Scenario, path: &str, value: f64) -> Result<Scenario, FieldError> {
    with_fields(scenario, &[(path, value)])
}

/// A copy of `scenario` with every `(path, value)` set in order, validated once at the end (so
/// two fields that must agree, such as a floor and a ceiling, can move together).
///
/// # Panics
/// Never for a scenario that was read from a file: only a map with keys that are not strings
/// could fail to become JSON, and a scenario has none.
pub fn with_fields(scenario: &Scenario, fields: &[(&str, f64)]) -> Result<Scenario, FieldError> {
    let mut document = serde_json::to_value(scenario)
        .expect("a scenario holds only finite numbers, strings and maps with string keys");
    let metals: Vec<String> = scenario
        .metals
        .iter()
        .map(|metal| metal.name.clone())
        .collect();
    for &(path, value) in fields {
        if !value.is_finite() {
            return Err(FieldError::NotFinite {
                path: path.to_string(),
                value,
            });
        }
        set_number(&mut document, path, value, &metals)?;
    }
    let changed: Scenario = serde_path_to_error::deserialize(document).map_err(|error| {
        let (path, value) = fields.last().copied().unwrap_or_default();
        let inner = error.path().to_string();
        let reason = error.into_inner().to_string();
        FieldError::Rejected {
            path: path.to_string(),
            value,
            reason: if inner == "." || inner == path {
                reason
            } else {
                format!("{inner}: {reason}")
            },
        }
    })?;
    let problems = validate(&changed);
    if problems.is_empty() {
        Ok(changed)
    } else {
        Err(FieldError::Invalid {
            assignments: fields
                .iter()
                .map(|(path, value)| format!("{path}={value}"))
                .collect::<Vec<_>>()
                .join(", "),
            problems,
        })
    }
}

/// One step of a path: a field (or map key) or a list position, by index or by `name`.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Named(String),
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Key(key) => write!(f, ".{key}"),
            Step::Index(index) => write!(f, "[{index}]"),
            Step::Named(name) => write!(f, "[{name}]"),
        }
    }
}

/// Splits `a.b[0].c[copper].d` into steps.
fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut rest = path;
    let mut expect_key = true;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let end = after
                .find(']')
                .ok_or("a `[` is not closed; write positions as metals[0] or metals[copper]")?;
            let inside = after[..end].trim();
            if inside.is_empty() {
                return Err("empty `[]`; write metals[0] or metals[copper]".to_string());
            }
            steps.push(match inside.parse::<usize>() {
                Ok(index) => Step::Index(index),
                Err(_) => Step::Named(inside.to_string()),
            });
            rest = &after[end + 1..];
            expect_key = false;
            continue;
        }
        if !expect_key {
            rest = rest
                .strip_prefix('.')
                .ok_or("expected `.` or `[` after `]`")?;
        }
        let end = rest.find(['.', '[', ']']).unwrap_or(rest.len());
        let key = &rest[..end];
        if key.is_empty() {
            return Err("a field name is empty (two dots, or a dot at an end?)".to_string());
        }
        if rest[end..].starts_with(']') {
            return Err("a `]` without its `[`".to_string());
        }
        steps.push(Step::Key(key.to_string()));
        rest = &rest[end..];
        expect_key = false;
    }
    if steps.is_empty() {
        return Err("the path is empty".to_string());
    }
    if !matches!(steps[0], Step::Key(_)) {
        return Err("a path starts with a field name, e.g. targets or metals[0]".to_string());
    }
    Ok(steps)
}

fn is_schedule(object: &Map<String, Value>) -> bool {
    super::per_year::is_schedule(object.keys())
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "not set",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

fn number(value: f64) -> Value {
    // Whole numbers go in as integers so that integer fields (years) can be set too; every
    // float field reads an integer as well.
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}

/// Sets the number at `path` inside the scenario document.
fn set_number(
    document: &mut Value,
    path: &str,
    value: f64,
    metals: &[String],
) -> Result<(), FieldError> {
    let path_error = |reason: String| FieldError::Path {
        path: path.to_string(),
        reason,
    };
    let steps = parse_path(path).map_err(path_error)?;
    let mut current = document;
    // The path walked so far, for messages.
    let mut walked = String::new();
    for (position, step) in steps.iter().enumerate() {
        let is_last_step = position + 1 == steps.len();
        current = step_into(current, step, is_last_step, &walked, metals).map_err(path_error)?;
        walked.push_str(&match step {
            Step::Key(key) if walked.is_empty() => key.clone(),
            step => step.to_string(),
        });
    }
    match current {
        Value::Number(_) | Value::Null => {}
        Value::Object(object) if is_schedule(object) => {}
        other => {
            return Err(FieldError::NotANumber {
                path: path.to_string(),
                found: describe(other).to_string(),
            });
        }
    }
    *current = number(value);
    Ok(())
}

/// The value one `step` below `current` (at path `walked`), or why there is none. Creates the
/// entry when the step may add one: a year of a schedule (or of a per-year value left out) as
/// the last step, or a metal's `targets.import_dependence_max` entry.
fn step_into<'v>(
    current: &'v mut Value,
    step: &Step,
    is_last_step: bool,
    walked: &str,
    metals: &[String],
) -> Result<&'v mut Value, String> {
    let here = if walked.is_empty() {
        "the scenario".to_string()
    } else {
        format!("`{walked}`")
    };
    match (current, step) {
        (Value::Object(object), Step::Key(key)) => {
            if !object.contains_key(key) {
                let creatable = if walked == "targets.import_dependence_max" {
                    if !metals.contains(key) {
                        return Err(format!(
                            "`{key}` is not a metal of this scenario (metals: {})",
                            metals.join(", ")
                        ));
                    }
                    true
                } else {
                    is_last_step && is_year_key(key) && is_schedule(object)
                };
                if !creatable {
                    let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
                    fields.sort_unstable();
                    let fields = if fields.is_empty() {
                        "none".to_string()
                    } else {
                        fields.join(", ")
                    };
                    return Err(format!("{here} has no field `{key}`; it has {fields}"));
                }
            }
            Ok(object.entry(key.clone()).or_insert(Value::Null))
        }
        (Value::Array(entries), Step::Index(index)) => {
            let count = entries.len();
            entries.get_mut(*index).ok_or_else(|| {
                format!(
                    "{here} has {count} entr{}; position {index} is out of range (positions count from 0)",
                    if count == 1 { "y" } else { "ies" }
                )
            })
        }
        (Value::Array(entries), Step::Named(name)) => {
            // Entries are named by `name`, or (trade) by the `material` they trade.
            let key_of = |entry: &Value| {
                entry
                    .get("name")
                    .or_else(|| entry.get("material"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let names: Vec<String> = entries.iter().filter_map(key_of).collect();
            entries
                .iter_mut()
                .find(|entry| key_of(entry).as_deref() == Some(name.as_str()))
                .ok_or_else(|| {
                    format!(
                        "{here} has no entry named `{name}` (names: {})",
                        names.join(", ")
                    )
                })
        }
        (slot, Step::Key(key)) if slot.is_null() && is_last_step && is_year_key(key) => {
            // A per-year value the scenario leaves out, set for this one year only.
            let mut schedule = Map::new();
            schedule.insert(key.clone(), Value::Null);
            *slot = Value::Object(schedule);
            Ok(&mut slot[key.as_str()])
        }
        (Value::Number(_), Step::Key(key)) if is_year_key(key) => Err(format!(
            "{here} is one number for every year, so it has no entry for {key}; set `{walked}` itself, or write it as a table by year in the scenario"
        )),
        (other, Step::Key(key)) => Err(format!(
            "{here} is {}, so it has no field `{key}`",
            describe(other)
        )),
        (other, step) => Err(format!(
            "{here} is {}, not a list, so `{step}` means nothing",
            describe(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::{parse_scenario, PerYear, SourceFormat};

    /// Two metals; copper's recycled feed and a CO2 cap are schedules, the rest constants.
    const TEXT: &str = r#"
        base_year = 2024
        years = [2025, 2026]
        [targets]
        recycled_output_min_mt = 3.0
        co2_max_mt = { 2025 = 50.0, 2026 = 48.0 }
        [targets.import_dependence_max]
        copper = 0.7
        [[metals]]
        name = "copper"
        [metals.primary]
        base_output_mt = 8.0
        capacity_mt = 9.0
        operating_cost_cny_per_t = 3000
        value_added_cny_per_t = 8000
        co2_t_per_t = 4.0
        feed.imported_concentrate = { available_mt = 10.0, cost_cny_per_t = 65000, recovery = 0.97 }
        [metals.recycled]
        base_output_mt = 2.0
        capacity_mt = 3.0
        operating_cost_cny_per_t = 2000
        value_added_cny_per_t = 6000
        co2_t_per_t = 0.5
        feed.domestic_scrap = { available_mt = { 2025 = 2.5, 2026 = 2.6 }, cost_cny_per_t = 62000, recovery = 0.98 }
        [[metals]]
        name = "zinc"
        [metals.recycled]
        base_output_mt = 1.0
        capacity_mt = 2.0
        operating_cost_cny_per_t = 2000
        value_added_cny_per_t = 5000
        co2_t_per_t = 0.5
        feed.domestic_scrap = { available_mt = 1.5, cost_cny_per_t = 20000, recovery = 0.95 }
    "#;

    fn scenario() -> Scenario {
        parse_scenario(TEXT.to_string(), Path::new("t.toml"), SourceFormat::Toml)
            .expect("the test scenario is valid")
            .scenario
    }

    #[test]
    fn sets_a_target_a_capacity_and_a_feed_by_position_or_name() {
        let base = scenario();
        let changed = with_field(&base, "targets.recycled_output_min_mt", 3.5).unwrap();
        assert_eq!(
            changed.targets.recycled_output_min_mt,
            Some(PerYear::Constant(3.5))
        );
        // Nothing else moves.
        let mut expected = base.clone();
        expected.targets.recycled_output_min_mt = Some(PerYear::Constant(3.5));
        assert_eq!(changed, expected);

        let changed = with_field(&base, "metals[0].recycled.capacity_mt", 4.25).unwrap();
        assert_eq!(
            changed.metals[0].recycled.as_ref().unwrap().capacity_mt,
            PerYear::Constant(4.25)
        );
        let by_name = with_field(&base, "metals[copper].recycled.capacity_mt", 4.25).unwrap();
        assert_eq!(by_name, changed);

        let changed = with_field(
            &base,
            "metals[1].recycled.feed.domestic_scrap.available_mt",
            1.75,
        )
        .unwrap();
        let feed = &changed.metals[1].recycled.as_ref().unwrap().feed["domestic_scrap"];
        assert_eq!(feed.available_mt, PerYear::Constant(1.75));

        let changed = with_field(&base, "targets.import_dependence_max.copper", 0.5).unwrap();
        assert_eq!(
            changed.targets.import_dependence_max["copper"],
            PerYear::Constant(0.5)
        );
    }

    #[test]
    fn a_schedule_set_whole_is_the_same_every_year_and_one_entry_moves_alone() {
        let base = scenario();
        let changed = with_field(
            &base,
            "metals[0].recycled.feed.domestic_scrap.available_mt",
            2.0,
        )
        .unwrap();
        let feed = &changed.metals[0].recycled.as_ref().unwrap().feed["domestic_scrap"];
        assert_eq!(feed.available_mt, PerYear::Constant(2.0));

        let changed = with_field(&base, "targets.co2_max_mt.2026", 47.5).unwrap();
        let cap = changed.targets.co2_max_mt.as_ref().unwrap();
        assert_eq!((cap.get(2025), cap.get(2026)), (Some(50.0), Some(47.5)));
    }

    #[test]
    fn sets_targets_the_scenario_leaves_out() {
        let base = scenario();
        let changed = with_field(&base, "targets.output_growth_min", 0.01).unwrap();
        assert_eq!(
            changed.targets.output_growth_min,
            Some(PerYear::Constant(0.01))
        );
        let changed = with_field(&base, "targets.output_growth_max.2026", 0.03).unwrap();
        let cap = changed.targets.output_growth_max.as_ref().unwrap();
        assert_eq!((cap.get(2025), cap.get(2026)), (None, Some(0.03)));
        let changed = with_field(&base, "targets.import_dependence_max.zinc", 0.2).unwrap();
        assert_eq!(
            changed.targets.import_dependence_max["zinc"],
            PerYear::Constant(0.2)
        );
    }

    #[test]
    fn several_fields_are_validated_together() {
        let base = scenario();
        let changed = with_fields(
            &base,
            &[
                ("metals[0].output_min_mt", 5.0),
                ("metals[0].output_max_mt", 6.0),
            ],
        )
        .unwrap();
        assert_eq!(
            changed.metals[0].output_min_mt,
            Some(PerYear::Constant(5.0))
        );
        assert_eq!(
            changed.metals[0].output_max_mt,
            Some(PerYear::Constant(6.0))
        );
    }

    fn path_reason(error: FieldError) -> String {
        match error {
            FieldError::Path { reason, .. } => reason,
            other => panic!("expected a path error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_paths_name_the_path_and_what_is_there() {
        let base = scenario();
        let error = with_field(&base, "metals[0].primary.capacity", 1.0).unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("`metals[0].primary.capacity`:"), "{text}");
        assert!(
            path_reason(error)
                .contains("has no field `capacity`; it has base_output_mt, capacity_mt"),
            "{text}"
        );
        let reason =
            path_reason(with_field(&base, "metals[5].primary.capacity_mt", 1.0).unwrap_err());
        assert!(
            reason.contains("has 2 entries; position 5 is out of range"),
            "{reason}"
        );
        let reason =
            path_reason(with_field(&base, "metals[nickel].primary.capacity_mt", 1.0).unwrap_err());
        assert!(
            reason.contains("no entry named `nickel` (names: copper, zinc)"),
            "{reason}"
        );
        let reason = path_reason(
            with_field(&base, "targets.import_dependence_max.nickel", 0.5).unwrap_err(),
        );
        assert!(reason.contains("`nickel` is not a metal"), "{reason}");
        let reason =
            path_reason(with_field(&base, "targets.recycled_output_min_mt.2025", 1.0).unwrap_err());
        assert!(reason.contains("is one number for every year"), "{reason}");
        let reason =
            path_reason(with_field(&base, "metals[1].primary.capacity_mt", 1.0).unwrap_err());
        assert!(
            reason.contains("`metals[1].primary` is not set"),
            "{reason}"
        );
        let reason = path_reason(with_field(&base, "targets.co2_max_mt.next", 1.0).unwrap_err());
        assert!(reason.contains("has no field `next`"), "{reason}");
        for bad in [
            "",
            "metals[0",
            "metals[]",
            ".targets",
            "targets..x",
            "[0].name",
            "targets]",
        ] {
            assert!(
                matches!(with_field(&base, bad, 1.0), Err(FieldError::Path { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn only_numbers_can_be_set() {
        let base = scenario();
        for (path, found) in [
            ("metals[0].name", "text"),
            ("metals[0].primary", "a table"),
            ("metals", "a list"),
            ("metals[0].primary.counts_toward_output_total", "true/false"),
        ] {
            let error = with_field(&base, path, 1.0).unwrap_err();
            assert_eq!(
                error,
                FieldError::NotANumber {
                    path: path.to_string(),
                    found: found.to_string()
                }
            );
        }
        assert!(matches!(
            with_field(&base, "targets.co2_max_mt", f64::NAN),
            Err(FieldError::NotFinite { .. })
        ));
        // An integer field reads a whole number but not a fraction.
        let error = with_field(&base, "base_year", 2024.5).unwrap_err();
        assert!(matches!(error, FieldError::Rejected { .. }), "{error:?}");
    }

    #[test]
    fn the_result_is_validated() {
        let base = scenario();
        let error = with_field(&base, "metals[0].recycled.capacity_mt", -1.0).unwrap_err();
        assert_eq!(
            error.to_string(),
            "metals[0].recycled.capacity_mt=-1 makes the scenario invalid: \
             metals[0].recycled.capacity_mt: must not be negative, got -1"
        );
        let error = with_field(&base, "targets.import_dependence_max.copper", 1.5).unwrap_err();
        assert!(matches!(error, FieldError::Invalid { .. }), "{error:?}");
        let error = with_field(&base, "targets.co2_max_mt.2027", 40.0).unwrap_err();
        assert!(error.to_string().contains("outside the horizon"), "{error}");
    }
}

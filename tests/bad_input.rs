//! Bad scenario files: each is refused with exit code 1, without a panic, by a message that
//! names the file, the field path and, for TOML, the line and column of the bad value.
//!
//! Every case starts from [`BASE`], a valid scenario, and breaks it in one place; the case says
//! on which line it put the bad value, and the test checks that exact line in the message.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::Run;

/// A valid scenario. The cases below replace whole lines by number, so keep the numbering:
/// line 3 `years`, 6-7 targets, 8 blank (room for a target), 13 `[metals.primary]`,
/// 14 `base_output_mt`, 15 `capacity_mt`, 17 `value_added_cny_per_t`, 20 the ore table,
/// 21-23 its fields, 28 concentrate `recovery`; 40 lines in all.
const BASE: &str = r#"name = "bad input base"
base_year = 2024
years = [2025, 2026]

[targets]
recycled_output_min_mt = 1.0
output_growth_min = 0.01

[[metals]]
name = "copper"
output_max_mt = 20.0

[metals.primary]
base_output_mt = 8.0
capacity_mt = 9.0
operating_cost_cny_per_t = 3000
value_added_cny_per_t = 8000
co2_t_per_t = 4.0

[metals.primary.feed.domestic_ore]
available_mt = 2.0
cost_cny_per_t = 60000
recovery = 0.95

[metals.primary.feed.imported_concentrate]
available_mt = 10.0
cost_cny_per_t = 65000
recovery = 0.97

[metals.recycled]
base_output_mt = 2.0
capacity_mt = 3.0
operating_cost_cny_per_t = 2000
value_added_cny_per_t = 6000
co2_t_per_t = 0.5

[metals.recycled.feed.domestic_scrap]
available_mt = 2.5
cost_cny_per_t = 62000
recovery = 0.98
"#;

/// `text` with line `line` (1-based), which must start with `old`, replaced by `new`.
fn replace_line(text: &str, line: usize, old: &str, new: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[line - 1].starts_with(old),
        "line {line} is `{}`, not `{old}...`: the case is out of step with BASE",
        lines[line - 1]
    );
    lines[line - 1] = new;
    lines.join("\n") + "\n"
}

/// Where the message must point within the bad line.
#[derive(Clone, Copy)]
enum Column {
    /// At the first occurrence of this text on the line.
    At(&'static str),
    /// Any column (the parser decides where a syntax error is noticed).
    Any,
}

/// One kind of bad input.
struct Case {
    /// A file name for it, also what it is about.
    name: &'static str,
    /// The whole scenario text.
    text: String,
    /// The field path the message must name (empty for a syntax error).
    path: &'static str,
    /// The 1-based line the message must point at.
    line: usize,
    /// The column.
    column: Column,
    /// Part of the message that says what is wrong.
    message: &'static str,
}

impl Case {
    fn edit(
        name: &'static str,
        line: usize,
        old: &'static str,
        new: &'static str,
        path: &'static str,
        column: Column,
        message: &'static str,
    ) -> Self {
        Case {
            name,
            text: replace_line(BASE, line, old, new),
            path,
            line,
            column,
            message,
        }
    }
}

/// A second metal named like the first, appended after line 40 of BASE.
const SECOND_COPPER: &str = r#"
[[metals]]
name = "copper"

[metals.recycled]
base_output_mt = 1.0
capacity_mt = 1.0
operating_cost_cny_per_t = 2000
value_added_cny_per_t = 6000
co2_t_per_t = 0.5
feed.domestic_scrap = { available_mt = 1.0, cost_cny_per_t = 62000, recovery = 0.98 }
"#;

/// The same scenario with an empty metal list: line 4 is `metals = []`.
const NO_METALS: &str = r#"name = "no metals"
base_year = 2024
years = [2025]
metals = []
"#;

#[allow(clippy::too_many_lines)] // a table: one entry per kind of bad input
fn cases() -> Vec<Case> {
    use Column::{Any, At};
    vec![
        Case::edit(
            "negative-capacity",
            15,
            "capacity_mt",
            "capacity_mt = -9.0",
            "metals[0].primary.capacity_mt",
            At("-9.0"),
            "must not be negative",
        ),
        Case::edit(
            "nan-value",
            21,
            "available_mt",
            "available_mt = nan",
            "metals[0].primary.feed.domestic_ore.available_mt",
            At("nan"),
            "must be a finite number",
        ),
        Case::edit(
            "infinite-value",
            22,
            "cost_cny_per_t",
            "cost_cny_per_t = inf",
            "metals[0].primary.feed.domestic_ore.cost_cny_per_t",
            At("inf"),
            "must be a finite number",
        ),
        Case::edit(
            "years-out-of-order",
            3,
            "years",
            "years = [2025, 2026, 2024]",
            "years[2]",
            At("2024"),
            "out of order",
        ),
        Case::edit(
            "first-year-after-base-year",
            3,
            "years",
            "years = [2026, 2027]",
            "years[0]",
            At("2026"),
            "must follow the base year 2024",
        ),
        // A missing field points at the table that should hold it: `[metals.primary]`.
        Case {
            name: "missing-base-output",
            text: replace_line(BASE, 14, "base_output_mt", "# base_output_mt left out"),
            path: "metals[0].primary.base_output_mt",
            line: 13,
            column: At("[metals.primary]"),
            message: "missing base-year data",
        },
        Case::edit(
            "growth-below-minus-100-percent",
            7,
            "output_growth_min",
            "output_growth_min = -1.5",
            "targets.output_growth_min",
            At("-1.5"),
            "below -100 %",
        ),
        Case::edit(
            "target-outside-horizon",
            6,
            "recycled_output_min_mt",
            "recycled_output_min_mt = { 2025 = 1.0, 2030 = 1.5 }",
            "targets.recycled_output_min_mt.2030",
            At("1.5"),
            "outside the horizon",
        ),
        Case {
            name: "metal-named-twice",
            text: format!("{BASE}{SECOND_COPPER}"),
            path: "metals[1].name",
            // BASE has 40 lines; SECOND_COPPER starts with a blank line 41.
            line: 43,
            column: At("\"copper\""),
            message: "named twice",
        },
        Case::edit(
            "unknown-field",
            15,
            "capacity_mt",
            "capacity_mtt = 9.0",
            "metals[0].primary.capacity_mtt",
            At("capacity_mtt"),
            "unknown field `capacity_mtt`",
        ),
        Case::edit(
            "feed-on-wrong-route",
            20,
            "[metals.primary.feed.domestic_ore]",
            "[metals.primary.feed.domestic_scrap]",
            "metals[0].primary.feed.domestic_scrap",
            At("[metals"),
            "not a feed source of the primary route",
        ),
        Case::edit(
            "recovery-zero",
            23,
            "recovery",
            "recovery = 0.0",
            "metals[0].primary.feed.domestic_ore.recovery",
            At("0.0"),
            "above 0 and at most 1",
        ),
        Case::edit(
            "recovery-above-one",
            28,
            "recovery",
            "recovery = 1.5",
            "metals[0].primary.feed.imported_concentrate.recovery",
            At("1.5"),
            "above 0 and at most 1",
        ),
        Case::edit(
            "import-dependence-unknown-metal",
            8,
            "",
            "import_dependence_max = { nickel = 0.5 }",
            "targets.import_dependence_max.nickel",
            At("0.5"),
            "not a metal of this scenario",
        ),
        Case::edit(
            "schedule-missing-a-year",
            15,
            "capacity_mt",
            "capacity_mt = { 2025 = 9.0 }",
            "metals[0].primary.capacity_mt",
            At("{"),
            "no value for 2026",
        ),
        Case::edit(
            "value-added-missing-base-year",
            17,
            "value_added_cny_per_t",
            "value_added_cny_per_t = { 2025 = 8000, 2026 = 8100 }",
            "metals[0].primary.value_added_cny_per_t",
            At("{"),
            "missing base-year data: no value for 2024",
        ),
        Case::edit(
            "string-for-a-number",
            15,
            "capacity_mt",
            "capacity_mt = \"nine\"",
            "metals[0].primary.capacity_mt",
            At("\"nine\""),
            "invalid type: string",
        ),
        Case::edit(
            "toml-syntax-error",
            15,
            "capacity_mt",
            "capacity_mt = 9.0.0",
            "",
            Any,
            "",
        ),
        Case {
            name: "empty-metals",
            text: NO_METALS.to_string(),
            path: "metals",
            line: 4,
            column: At("[]"),
            message: "no metal is described",
        },
    ]
}

fn write(directory: &Path, name: &str, text: &str) -> PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, text).expect("the temporary directory is writable");
    path
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Runs `metalplan solve` and `metalplan check` on `path`; both must refuse it the same way.
fn refuse(path: &Path) -> Run {
    let solve = common::metalplan(["solve", path_text(path)]);
    solve.expect_code(1).expect_no_panic();
    assert!(
        solve.stdout.is_empty(),
        "nothing is printed: {}",
        solve.stdout
    );
    let check = common::metalplan(["check", path_text(path)]);
    check.expect_code(1).expect_no_panic();
    assert_eq!(check.stderr, solve.stderr, "check and solve report alike");
    solve
}

#[test]
fn the_base_scenario_is_valid() {
    // Otherwise the cases below could fail for a reason of BASE's own.
    assert_eq!(BASE.lines().count(), 40);
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = write(directory.path(), "base.toml", BASE);
    common::metalplan(["check", path_text(&path)])
        .expect_code(0)
        .expect_no_panic();
    common::metalplan(["solve", path_text(&path)])
        .expect_code(0)
        .expect_no_panic();
}

#[test]
fn each_kind_of_bad_input_is_reported_with_file_field_line_and_column() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    for case in cases() {
        let path = write(directory.path(), &format!("{}.toml", case.name), &case.text);
        let run = refuse(&path);
        let bad_line = case
            .text
            .lines()
            .nth(case.line - 1)
            .expect("the line exists");
        let position = match case.column {
            Column::At(text) => {
                let byte = bad_line.find(text).unwrap_or_else(|| {
                    panic!("{}: `{text}` is not on line {}", case.name, case.line)
                });
                format!(
                    "{}:{}:{}:",
                    path_text(&path),
                    case.line,
                    bad_line[..byte].chars().count() + 1
                )
            }
            Column::Any => format!("{}:{}:", path_text(&path), case.line),
        };
        let expected = if case.path.is_empty() {
            position
        } else {
            format!("{position} {}: ", case.path)
        };
        let line = run
            .stderr
            .lines()
            .find(|line| line.contains(&expected))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no line of stderr contains `{expected}`:\n{}",
                    case.name, run.stderr
                )
            });
        assert!(
            line.contains(case.message),
            "{}: `{line}` does not say `{}`",
            case.name,
            case.message
        );
        if let Column::Any = case.column {
            // A syntax error still gives a column: `FILE:LINE:COLUMN: message`.
            let rest = &line[line.find(&expected).expect("found above") + expected.len()..];
            let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
            assert!(
                !column.is_empty() && rest[column.len()..].starts_with(": "),
                "{}: `{line}` has no column after the line",
                case.name
            );
        }
    }
}

#[test]
fn a_base_year_at_the_end_of_the_integer_range_is_refused_without_panic() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    for (name, base_year) in [("max", "2147483647"), ("max-minus-one", "2147483646")] {
        let line = format!("base_year = {base_year}");
        let text = replace_line(BASE, 2, "base_year", &line);
        let path = write(directory.path(), &format!("base-year-{name}.toml"), &text);
        let run = refuse(&path);
        assert!(
            run.stderr
                .contains(&format!("{}:2:13: base_year: ", path_text(&path))),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn an_unknown_extension_is_refused_by_name() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = write(directory.path(), "scenario.yaml", BASE);
    let run = refuse(&path);
    assert!(run.stderr.contains(path_text(&path)), "{}", run.stderr);
    assert!(run.stderr.contains("unknown format"), "{}", run.stderr);
    assert!(run.stderr.contains(".toml or .json"), "{}", run.stderr);
}

#[test]
fn a_missing_file_is_refused_by_name() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = directory.path().join("not-there.toml");
    let run = refuse(&path);
    assert!(run.stderr.contains(path_text(&path)), "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read scenario"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_problem_in_a_file_is_reported_at_once_in_file_order() {
    let text = replace_line(BASE, 15, "capacity_mt", "capacity_mt = -9.0");
    let text = replace_line(&text, 23, "recovery", "recovery = 0.0");
    let text = replace_line(&text, 8, "", "import_dependence_max = { nickel = 0.5 }");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = write(directory.path(), "three-problems.toml", &text);
    let run = refuse(&path);
    let file = path_text(&path);
    assert!(
        run.stderr
            .contains(&format!("scenario {file} has 3 problems")),
        "{}",
        run.stderr
    );
    let expected = [
        format!("{file}:8:36: targets.import_dependence_max.nickel: "),
        format!("{file}:15:15: metals[0].primary.capacity_mt: "),
        format!("{file}:23:12: metals[0].primary.feed.domestic_ore.recovery: "),
    ];
    let positions: Vec<usize> = expected
        .iter()
        .map(|line| {
            run.stderr
                .find(line.as_str())
                .unwrap_or_else(|| panic!("`{line}` missing from:\n{}", run.stderr))
        })
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "problems are listed in file order:\n{}",
        run.stderr
    );
}

/// BASE as JSON, converted through `toml::Value` (year keys stay strings).
fn base_as_json() -> String {
    let value: toml::Value = toml::from_str(BASE).expect("BASE is TOML");
    serde_json::to_string_pretty(&value).expect("TOML values convert to JSON")
}

#[test]
fn a_json_scenario_solves_to_the_same_objective_as_its_toml() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let toml_path = write(directory.path(), "scenario.toml", BASE);
    let json_path = write(directory.path(), "scenario.json", &base_as_json());
    for solver in ["highs", "clarabel"] {
        let from_toml = common::solve_json(&toml_path, solver, "cost");
        let from_json = common::solve_json(&json_path, solver, "cost");
        let (a, b) = (
            common::objective_of(&from_toml),
            common::objective_of(&from_json),
        );
        assert!(
            (a - b).abs() <= 1e-9 * a.abs(),
            "{solver}: TOML objective {a}, JSON objective {b}"
        );
        assert_eq!(from_toml["plan"], from_json["plan"], "{solver}: same plan");
    }
}

#[test]
fn a_bad_json_scenario_is_refused_with_file_and_field() {
    let mut value: serde_json::Value = serde_json::from_str(&base_as_json()).expect("JSON");
    value["metals"][0]["recycled"]["capacity_mt"] = serde_json::json!(-3.0);
    let directory = tempfile::tempdir().expect("a temporary directory");
    let path = write(
        directory.path(),
        "negative.json",
        &serde_json::to_string_pretty(&value).expect("JSON"),
    );
    let run = refuse(&path);
    assert!(
        run.stderr.contains(&format!(
            "{}: metals[0].recycled.capacity_mt: must not be negative",
            path_text(&path)
        )),
        "{}",
        run.stderr
    );
    // A JSON syntax error gives its line: the third line here lacks a comma.
    let path = write(
        directory.path(),
        "syntax.json",
        "{\n  \"name\": \"x\"\n  \"base_year\": 2024\n}\n",
    );
    let run = refuse(&path);
    assert!(
        run.stderr.contains(&format!("{}:3:", path_text(&path))),
        "{}",
        run.stderr
    );
}

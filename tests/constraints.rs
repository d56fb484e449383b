//! Scenario constraints (`[[constraints]]`, docs/constraints.md): the two rules of issue 7 on a
//! hand-worked scenario, rules over feed and across years, every validation problem with its
//! position, JSON scenarios, infeasibility explanations and soft targets.
//!
//! The declarative rule and a plugin giving the same plan and shadow price is in
//! tests/plugins.rs, next to the other plugin builds.

use crate::common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::common::{check_plan, close, data_file, metalplan, solve_json, Scenario};
use serde_json::Value as Json;

/// Marginal cost of a tonne of copper, CNY/t (tests/data/user-constraints.toml).
const COPPER_PRIMARY_CNY_PER_T: f64 = 3_000.0 + 65_000.0 / 0.97;
const COPPER_RECYCLED_CNY_PER_T: f64 = 2_000.0 + 70_000.0 / 0.98;

fn user_constraints() -> PathBuf {
    data_file("user-constraints.toml")
}

/// A copy of user-constraints.toml in `dir` whose `[[constraints]]` are `rules` (TOML text of
/// `[[constraints]]` tables), replacing the file's own.
fn variant(dir: &Path, rules: &str) -> PathBuf {
    let text = std::fs::read_to_string(user_constraints()).expect("the scenario is readable");
    let mut table: toml::Table = toml::from_str(&text).expect("the scenario is TOML");
    table.remove("constraints");
    let file = dir.join("variant.toml");
    let body = toml::to_string(&table).expect("a TOML table can be written");
    std::fs::write(&file, format!("{body}\n{rules}")).expect("a writable folder");
    file
}

fn output(result: &Json, metal: &str, route: &str, year: i64) -> f64 {
    result["plan"]
        .as_array()
        .expect("plan rows")
        .iter()
        .find(|row| row["metal"] == metal && row["route"] == route && row["year"] == year)
        .and_then(|row| row["output_mt"].as_f64())
        .unwrap_or_else(|| panic!("no plan row {metal} {route} {year}"))
}

fn constraint<'j>(result: &'j Json, name: &str, year: i64) -> &'j Json {
    result["constraints"]
        .as_array()
        .expect("constraint rows")
        .iter()
        .find(|row| row["name"] == name && row["year"] == year)
        .unwrap_or_else(|| {
            panic!(
                "no constraint row {name} {year} in {}",
                result["constraints"]
            )
        })
}

fn number(row: &Json, field: &str) -> f64 {
    row[field]
        .as_f64()
        .unwrap_or_else(|| panic!("no number `{field}` in {row}"))
}

fn assert_close(what: &str, found: f64, expected: f64) {
    assert!(
        close(found, expected),
        "{what}: {found}, expected {expected}"
    );
}

/// Solves and asserts the plan passes the independent checker and the constraint rows match it.
fn solve_checked(path: &Path, solver: &str) -> Json {
    let result = solve_json(path, solver, "cost");
    let scenario = Scenario::load(path);
    let violations = check_plan(&scenario, &result);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    common::assert_constraints_match(&scenario, &result, &path.display().to_string());
    result
}

#[test]
fn the_two_rules_of_issue_7_give_the_hand_worked_plan() {
    // The file's comment works the plan out by hand.
    for solver in ["highs", "clarabel"] {
        let result = solve_checked(&user_constraints(), solver);
        for (metal, route, year, expected) in [
            ("copper", "primary", 2025, 10.0),
            ("copper", "recycled", 2025, 2.0),
            ("copper", "primary", 2026, 8.125),
            ("copper", "recycled", 2026, 4.375),
            ("lead", "primary", 2025, 4.0),
            ("lead", "recycled", 2025, 1.0),
            ("zinc", "primary", 2025, 7.0),
            ("lead", "primary", 2026, 4.0),
            ("lead", "recycled", 2026, 1.0),
            ("zinc", "primary", 2026, 7.0),
        ] {
            let found = output(&result, metal, route, year);
            assert_close(&format!("{solver} {metal} {route} {year}"), found, expected);
        }
        let share = constraint(&result, "recycled_copper_share", 2026);
        assert_eq!(share["row"], "user[recycled_copper_share,2026]");
        assert_eq!(share["sense"], ">=");
        assert_eq!(share["unit"], "fraction");
        assert_eq!(share["binding"], true);
        assert_close("share value", number(share, "value"), 0.35);
        assert_close("share bound", number(share, "bound"), 0.35);
        assert_close("share part", number(share, "part_mt"), 4.375);
        assert_close("share whole", number(share, "whole_mt"), 12.5);
        // A tonne more recycled copper beyond the share replaces a tonne of primary.
        let swap = COPPER_RECYCLED_CNY_PER_T - COPPER_PRIMARY_CNY_PER_T;
        assert_close(
            &format!("{solver} share row dual"),
            number(share, "row_shadow_price_cny_per_t"),
            swap,
        );
        // One percentage point more share: 0.01 x 12.5 Mt more recycled, at `swap` each.
        assert_eq!(share["shadow_price_unit"], "CNY per percentage point");
        assert_close(
            &format!("{solver} share price"),
            number(share, "shadow_price"),
            swap * 0.01 * 12.5e6,
        );
        for year in [2025, 2026] {
            let cap = constraint(&result, "lead_zinc_primary_cap", year);
            assert_eq!(cap["unit"], "Mt");
            assert_eq!(cap["binding"], true);
            assert_close("cap value", number(cap, "value"), 11.0);
            assert_close("cap bound", number(cap, "bound"), 11.0);
            // Raising the cap by a tonne lets a tonne of lead go back to primary.
            assert_close(
                &format!("{solver} cap price"),
                number(cap, "shadow_price"),
                -1_000.0,
            );
            assert!(cap["part_mt"].is_null() && cap["whole_mt"].is_null());
        }
        assert!(result["constraints"]
            .as_array()
            .is_some_and(|rows| rows.len() == 3));
    }
}

#[test]
fn the_rules_cost_what_the_hand_computation_says() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let without = solve_checked(&variant(dir.path(), ""), "highs");
    assert_close(
        "copper primary 2026",
        output(&without, "copper", "primary", 2026),
        10.0,
    );
    assert_close(
        "copper recycled 2026",
        output(&without, "copper", "recycled", 2026),
        2.5,
    );
    assert_close(
        "lead primary 2025",
        output(&without, "lead", "primary", 2025),
        5.0,
    );
    assert!(without["constraints"].as_array().is_some_and(Vec::is_empty));
    let with = solve_json(&user_constraints(), "highs", "cost");
    // 1.875 Mt of copper moved to recycled in 2026; 1 Mt of lead a year.
    let expected =
        (1.875 * (COPPER_RECYCLED_CNY_PER_T - COPPER_PRIMARY_CNY_PER_T) + 2.0 * 1_000.0) * 1e6;
    let change = common::objective_of(&with) - common::objective_of(&without);
    assert!(
        (change - expected).abs() <= 1e-6 * common::objective_of(&with),
        "the rules cost {change} CNY, expected {expected}"
    );
}

#[test]
fn rules_over_feed_and_across_years() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scenario = variant(
        dir.path(),
        r#"
[[constraints]]
name = "recycled_copper_share"
years = 2026
terms = [{ metal = "copper", route = "recycled" }]
sense = ">="
share = 0.35
of = [{ metal = "copper" }]

[[constraints]]
name = "concentrate-cap"
years = { from = 2025, to = 2026 }
terms = [{ variable = "feed", metal = "copper", source = "imported_concentrate" }]
sense = "<="
rhs = { 2025 = 9.0, 2026 = 9.5 }

[[constraints]]
name = "recycled_copper_growth"
years = [2026]
terms = [
  { metal = "copper", route = "recycled" },
  { metal = "copper", route = "recycled", year = 2025, coefficient = -1.5 },
]
sense = ">="
rhs = 0.0
"#,
    );
    // By hand: concentrate at most 9 Mt in 2025 holds primary copper to 9 x 0.97 = 8.73 Mt, so
    // recycled makes 12 - 8.73 = 3.27. In 2026 recycled must reach 1.5 x 3.27 = 4.905 Mt (more
    // than the 35 % share, 4.375), primary 12.5 - 4.905 = 7.595 (concentrate 7.83 < 9.5).
    let result = solve_checked(&scenario, "highs");
    assert_close(
        "primary 2025",
        output(&result, "copper", "primary", 2025),
        8.73,
    );
    assert_close(
        "recycled 2025",
        output(&result, "copper", "recycled", 2025),
        3.27,
    );
    assert_close(
        "recycled 2026",
        output(&result, "copper", "recycled", 2026),
        4.905,
    );
    assert_close(
        "primary 2026",
        output(&result, "copper", "primary", 2026),
        7.595,
    );
    let swap = COPPER_RECYCLED_CNY_PER_T - COPPER_PRIMARY_CNY_PER_T;
    let growth = constraint(&result, "recycled_copper_growth", 2026);
    assert_eq!(growth["binding"], true);
    assert_close("growth price", number(growth, "shadow_price"), swap);
    let share = constraint(&result, "recycled_copper_share", 2026);
    assert_eq!(share["binding"], false);
    assert_close("share price", number(share, "shadow_price"), 0.0);
    // A tonne more concentrate in 2025 is 0.97 t primary instead of recycled in 2025, and
    // lowers the 2026 recycled requirement by 1.5 x 0.97 t: it saves 2.425 swaps.
    let cap = constraint(&result, "concentrate-cap", 2025);
    assert_eq!(cap["binding"], true);
    assert_close("cap price", number(cap, "shadow_price"), -2.425 * swap);
    let cap_2026 = constraint(&result, "concentrate-cap", 2026);
    assert_eq!(cap_2026["binding"], false);
    assert_close("cap 2026 bound", number(cap_2026, "bound"), 9.5);
    assert_close("cap 2026 value", number(cap_2026, "value"), 7.595 / 0.97);
}

/// Every kind of problem, each naming its constraint and located by line and column
/// (tests/data/invalid-constraints.toml; positions checked against the file by hand).
#[test]
fn every_problem_names_the_constraint_and_its_position() {
    let path = data_file("invalid-constraints.toml");
    let run = metalplan([OsStr::new("check"), path.as_os_str()]);
    run.expect_code(1).expect_no_panic();
    let file = path.display().to_string();
    let expected = [
        "36:31: constraints[0].terms[0].metal[1]: constraint `unknown_metal`: `nickel` is not a metal of this scenario",
        "42:41: constraints[1].terms[0].route: constraint `missing_route`: metal `magnesium` has no recycled route (leave `metal` out to sum over the metals that have one)",
        "48:58: constraints[2].terms[0].source: constraint `missing_feed`: metal `copper` has no domestic_ore feed in this scenario",
        "54:16: constraints[3].years[1]: constraint `year_outside`: year 2027 is outside the horizon (planning years 2025-2026)",
        "55:37: constraints[3].terms[0].year: constraint `year_outside`: year 2031 is outside the horizon (planning years 2025-2026)",
        "61:9: constraints[4].terms: constraint `empty`: has no terms",
        "66:8: constraints[5].name: constraint `empty`: is named twice (also constraints[4]); names must be unique",
        "68:9: constraints[5].sense: constraint `empty`: `=>` is not a sense; write \">=\", \"<=\" or \"=\"",
        "69:7: constraints[5].rhs: constraint `empty`: 10000000000000 is beyond 1e12",
        "73:64: constraints[6].terms[0].coefficient: constraint `bad_share`: must be a finite number, got NaN",
        "75:9: constraints[6].share: constraint `bad_share`: a share must be between 0 and 1, got 35 (write 35 % as 0.35",
        "80:10: constraints[7].terms[0]: constraint `no_build`: selects no variable of the model in 2025, 2026 (build variables exist only where max_build_mt_per_year is above 0)",
        "84:1: constraints[8]: constraint `Recycled Share`: gives no `sense`",
        "85:8: constraints[8].name: constraint `Recycled Share`: `Recycled Share` must use only lowercase letters, digits, `_` and `-`",
        "86:29: constraints[8].years.to: constraint `Recycled Share`: the range ends (2025) before it starts (2026)",
        "87:23: constraints[8].terms[0].variable: constraint `Recycled Share`: `outputs` is not a variable; use \"output\", \"feed\" or \"build\"",
        "88:7: constraints[8].rhs: constraint `Recycled Share`: give either `rhs` or `share` (with `of`), not both",
        "93:20: constraints[9].terms[0].metal: constraint `source_on_output`: is an empty list",
        "93:52: constraints[9].terms[0].source: constraint `source_on_output`: applies to feed and power terms only",
        "95:9: constraints[9].share: constraint `source_on_output`: a share needs `of`",
        "97:1: constraints[10].years: constraint `own_years`: every term names its own year",
    ];
    let lines: Vec<&str> = run.stderr.lines().skip(1).map(str::trim).collect();
    assert!(
        run.stderr.starts_with(&format!(
            "error: scenario {file} has {} problems",
            expected.len()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(lines.len(), expected.len(), "{}", run.stderr);
    for (line, expected) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(&format!("{file}:{expected}")),
            "expected `{file}:{expected}...`, got\n{line}"
        );
    }
}

#[test]
fn a_json_scenario_reads_the_same_rules() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = std::fs::read_to_string(user_constraints()).expect("readable");
    let value: toml::Value = toml::from_str(&text).expect("TOML");
    let json_file = dir.path().join("user-constraints.json");
    let json = serde_json::to_string_pretty(&value).expect("TOML values convert to JSON");
    std::fs::write(&json_file, &json).expect("writable");
    let from_toml = solve_json(&user_constraints(), "highs", "cost");
    let from_json = solve_json(&json_file, "highs", "cost");
    assert_eq!(from_toml["constraints"], from_json["constraints"]);
    assert_eq!(from_toml["plan"], from_json["plan"]);

    // A JSON problem names the constraint and the field path (no position: JSON checks keep
    // none, docs/scenario.md).
    let mut broken: Json = serde_json::from_str(&json).expect("JSON");
    broken["constraints"][1]["terms"][0]["metal"][0] = Json::from("nickel");
    std::fs::write(&json_file, broken.to_string()).expect("writable");
    let run = metalplan([OsStr::new("check"), json_file.as_os_str()]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains(
            "user-constraints.json: constraints[1].terms[0].metal[0]: constraint `lead_zinc_primary_cap`: `nickel` is not a metal of this scenario"
        ),
        "{}",
        run.stderr
    );
}

/// The cap at 5 Mt cannot hold: lead and zinc need 12 Mt, and their recycled routes make at
/// most 6.
const CAP_AT_FIVE: &str = r#"
[[constraints]]
name = "lead_zinc_primary_cap"
terms = [{ metal = ["lead", "zinc"], route = "primary" }]
sense = "<="
rhs = 5.0
"#;

#[test]
fn an_impossible_rule_is_named_in_the_infeasibility_explanation() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scenario = variant(dir.path(), CAP_AT_FIVE);
    let run = metalplan([OsStr::new("solve"), scenario.as_os_str()]);
    run.expect_code(2).expect_no_panic();
    // The deletion filter keeps one year's conflict; either year is a right answer.
    assert!(
        ["2025", "2026"].iter().any(|year| run.stderr.contains(&format!(
            "user[lead_zinc_primary_cap,{year}]: scenario constraint `lead_zinc_primary_cap`: its terms at most 5 Mt in {year} [constraints[lead_zinc_primary_cap]]"
        ))),
        "{}",
        run.stderr
    );
}

#[test]
fn soft_targets_miss_a_rule_by_as_little_as_possible() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let scenario = variant(dir.path(), CAP_AT_FIVE);
    let run = metalplan([
        OsStr::new("solve"),
        scenario.as_os_str(),
        OsStr::new("--soft-targets"),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]);
    run.expect_code(0).expect_no_panic();
    let result: Json = serde_json::from_str(&run.stdout).expect("JSON");
    // Both recycled routes at capacity (6 Mt), so primary makes 12 - 6 = 6 Mt: 1 Mt over.
    for year in [2025, 2026] {
        let cap = constraint(&result, "lead_zinc_primary_cap", year);
        assert_close("value", number(cap, "value"), 6.0);
        assert_close("shortfall", number(cap, "shortfall"), 1.0);
        assert_close(
            "lead recycled",
            output(&result, "lead", "recycled", year),
            3.0,
        );
        assert_close(
            "zinc recycled",
            output(&result, "zinc", "recycled", year),
            3.0,
        );
    }
}

#[test]
fn the_constraints_table_as_csv() {
    let path = user_constraints();
    let run = metalplan([
        OsStr::new("solve"),
        path.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("csv"),
        OsStr::new("--table"),
        OsStr::new("constraints"),
    ]);
    run.expect_code(0).expect_no_panic();
    // Provenance comes first as `#` comment lines (docs/results.md).
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert_eq!(
        lines[0],
        "name,year,value,bound,sense,binding,unit,shadow_price,shadow_price_unit,row_shadow_price_cny_per_t,shortfall"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("recycled_copper_share,2026,"));
    assert!(
        lines[2].starts_with("lead_zinc_primary_cap,2025,11,11,<=,true,Mt,-1000,CNY per t,-1000,")
    );
    // The tables name each rule too.
    let run = metalplan([OsStr::new("solve"), path.as_os_str()]);
    run.expect_code(0);
    assert!(run.stdout.contains("Scenario constraints"));
    assert!(run.stdout.contains("recycled_copper_share"));
}

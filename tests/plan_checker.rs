//! The independent plan checker (`common::check_plan`) against real results: every feasible
//! scenario's plan passes it with both solvers and every objective, and a plan broken on
//! purpose fails it at the constraint that was broken.

use crate::common;

use crate::common::{check_plan, close, nudge, row_is, Scenario};
use serde_json::Value as Json;

const SOLVERS: [&str; 2] = ["highs", "clarabel"];

/// Panics with every violation when the checker finds any.
fn assert_feasible(scenario: &Scenario, result: &Json, what: &str) {
    let violations = check_plan(scenario, result);
    assert!(
        violations.is_empty(),
        "{what}: the plan breaks {} constraint(s):\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// Panics unless some violation starts with `label` (e.g. `M3 capacity[copper,primary,2025]`).
fn assert_reported(violations: &[String], label: &str) {
    assert!(
        violations
            .iter()
            .any(|violation| violation.starts_with(label)),
        "the checker missed `{label}`; it reported:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_feasible_scenario_gives_a_feasible_plan_with_both_solvers() {
    for path in common::feasible_scenarios() {
        let scenario = Scenario::load(&path);
        for solver in SOLVERS {
            let what = format!("{} with {solver}", path.display());
            let result = common::solve_json(&path, solver, "cost");
            assert_feasible(&scenario, &result, &what);
            common::assert_totals_match(&scenario, &result, &what);
            common::assert_targets_match(&scenario, &result, &what);
            common::assert_constraints_match(&scenario, &result, &what);
            // M14 recomputed from the plan is the objective the result reports.
            let cost = common::objective_value(&scenario, &result, "cost");
            let reported = common::objective_of(&result);
            assert!(
                close(cost, reported),
                "{what}: reported cost {reported} CNY, recomputed {cost} CNY"
            );
        }
    }
}

#[test]
fn plans_for_the_other_objectives_are_feasible_and_report_their_objective() {
    let paths = [
        common::china_scenario(),
        common::data_file("builds-and-caps.toml"),
    ];
    for path in paths {
        let scenario = Scenario::load(&path);
        for (flag, kind) in [
            ("emissions", "emissions"),
            ("imports", "imports"),
            ("value-added", "value_added"),
        ] {
            for solver in SOLVERS {
                let what = format!("{} --objective {flag} with {solver}", path.display());
                let result = common::solve_json(&path, solver, flag);
                assert_eq!(result["objective_kind"], kind, "{what}");
                assert_feasible(&scenario, &result, &what);
                let recomputed = common::objective_value(&scenario, &result, kind);
                let reported = common::objective_of(&result);
                assert!(
                    close(recomputed, reported),
                    "{what}: reported {reported}, recomputed {recomputed}"
                );
            }
        }
    }
}

#[test]
fn builds_scenario_uses_capacity_built_in_earlier_years() {
    // The checker's M3 and M4 must count capacity built in earlier years. This scenario is
    // meant to exercise that; make sure it does, so the check above is not vacuous.
    let path = common::data_file("builds-and-caps.toml");
    let scenario = Scenario::load(&path);
    let result = common::solve_json(&path, "highs", "cost");
    let years = scenario.years();
    let rows = result["plan"].as_array().expect("a plan array");
    // Find a route whose output in a later year needs a build from an earlier year.
    let carried = rows.iter().find(|row| {
        let year = row["year"].as_i64().expect("a year");
        let route = row["route"].as_str().expect("a route");
        let metal = scenario
            .metals()
            .into_iter()
            .find(|metal| row["metal"] == metal.name)
            .expect("a metal of the scenario");
        let existing =
            common::required(metal.route(route).expect("the route"), "capacity_mt", year);
        let built_this_year = row["built_mt"].as_f64().expect("built_mt");
        let output = row["output_mt"].as_f64().expect("output_mt");
        year > years[0] && output > existing + built_this_year + 1e-3
    });
    let carried = carried.expect("some route relies on capacity built in an earlier year");

    // Remove the earlier builds of that route: its later output must now break M3.
    let metal = carried["metal"].as_str().expect("a metal").to_string();
    let route = carried["route"].as_str().expect("a route").to_string();
    let year = carried["year"].as_i64().expect("a year");
    let mut broken = result.clone();
    for earlier in years.iter().copied().filter(|&earlier| earlier < year) {
        nudge(
            &mut broken,
            "plan",
            row_is(&metal, "route", &route, earlier),
            "built_mt",
            |_| 0.0,
        );
    }
    let violations = check_plan(&scenario, &broken);
    assert_reported(&violations, &format!("M3 capacity[{metal},{route},{year}]"));
}

/// The China result, for breaking on purpose.
fn china_result() -> (Scenario, Json) {
    let scenario = Scenario::load(&common::china_scenario());
    let result = common::solve_json(&scenario.path, "highs", "cost");
    // The untouched result passes, so whatever fails below fails because of the nudge.
    assert_feasible(&scenario, &result, "china");
    (scenario, result)
}

#[test]
fn checker_reports_output_above_capacity() {
    let (scenario, mut result) = china_result();
    // Copper primary has 10.5 Mt of capacity in 2025 and builds nothing (see the plan row).
    nudge(
        &mut result,
        "plan",
        row_is("copper", "route", "primary", 2025),
        "output_mt",
        |_| 10.5 + 0.4,
    );
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M3 capacity[copper,primary,2025]");
    // Output no longer equals the recovered feed either.
    assert_reported(&violations, "M1 feed_balance[copper,primary,2025]");
}

#[test]
fn checker_reports_feed_above_availability() {
    let (scenario, mut result) = china_result();
    // Domestic copper ore: 1.9 Mt available in 2025 (scenario file).
    nudge(
        &mut result,
        "feed",
        row_is("copper", "source", "domestic_ore", 2025),
        "feed_mt",
        |_| 1.9 + 0.1,
    );
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M2 feed_available[copper,domestic_ore,2025]");
}

#[test]
fn checker_reports_output_that_the_feed_does_not_explain() {
    let (scenario, mut result) = china_result();
    // Less feed, same output: only the balance (with recovery 0.98) breaks.
    nudge(
        &mut result,
        "feed",
        row_is("copper", "source", "domestic_scrap", 2026),
        "feed_mt",
        |feed| feed * 0.99,
    );
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M1 feed_balance[copper,recycled,2026]");
    assert_eq!(violations.len(), 1, "{violations:#?}");
}

#[test]
fn checker_reports_a_build_above_its_limit_or_without_one() {
    let (scenario, mut result) = china_result();
    // Copper recycled may build 0.5 Mt a year; aluminium primary may build nothing.
    nudge(
        &mut result,
        "plan",
        row_is("copper", "route", "recycled", 2025),
        "built_mt",
        |_| 0.6,
    );
    nudge(
        &mut result,
        "plan",
        row_is("aluminium", "route", "primary", 2026),
        "built_mt",
        |_| 0.1,
    );
    let violations = check_plan(&scenario, &result);
    assert_reported(
        &violations,
        "M5 build[copper,recycled,2025] <= max_build_mt_per_year",
    );
    assert_reported(
        &violations,
        "M5 build[aluminium,primary,2026] <= max_build_mt_per_year",
    );
}

#[test]
fn checker_reports_a_shared_capacity_overrun() {
    let (scenario, mut result) = china_result();
    // Copper's shared refining capacity is 15.0 Mt: push primary + recycled above it while
    // keeping each route within its own capacity (primary 10.5, recycled 5.5).
    nudge(
        &mut result,
        "plan",
        row_is("copper", "route", "primary", 2026),
        "output_mt",
        |_| 10.0,
    );
    nudge(
        &mut result,
        "plan",
        row_is("copper", "route", "recycled", 2026),
        "output_mt",
        |_| 5.4,
    );
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M4 shared_capacity[copper,2026]");
    assert!(
        !violations.iter().any(|v| v.starts_with("M3 ")),
        "each route stayed within its own capacity: {violations:#?}"
    );
}

#[test]
fn checker_reports_missed_national_targets() {
    let (scenario, mut result) = china_result();
    // Halve zinc in 2025 (both routes): recycled output and the ten-metal total fall, and so
    // does value added; zinc's own 6.8 Mt floor breaks too.
    for route in ["primary", "recycled"] {
        nudge(
            &mut result,
            "plan",
            row_is("zinc", "route", route, 2025),
            "output_mt",
            |output| output / 2.0,
        );
    }
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M6 metal_output_min[zinc,2025]");
    assert_reported(&violations, "M8 recycled_output_min[2025]");
    assert_reported(&violations, "M9 output_growth_min[2025]");
    assert_reported(&violations, "M11 value_added_growth_min[2025]");
}

#[test]
fn checker_reports_a_market_ceiling_and_an_import_dependence_overrun() {
    let (scenario, mut result) = china_result();
    // Lithium may sell at most 1.2 Mt in 2025 and import at most 58 % of its feed.
    nudge(
        &mut result,
        "plan",
        row_is("lithium", "route", "primary", 2025),
        "output_mt",
        |_| 1.25,
    );
    nudge(
        &mut result,
        "feed",
        row_is("lithium", "source", "domestic_ore", 2025),
        "feed_mt",
        |_| 0.0,
    );
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M7 metal_output_max[lithium,2025]");
    assert_reported(&violations, "M12 import_dependence_max[lithium,2025]");
}

#[test]
fn checker_reports_a_growth_ceiling_and_a_co2_cap_overrun() {
    let path = common::data_file("builds-and-caps.toml");
    let scenario = Scenario::load(&path);
    let mut result = common::solve_json(&path, "highs", "cost");
    assert_feasible(&scenario, &result, "builds-and-caps");
    // Output growth may not exceed 4 % in 2025 (28.0 Mt base) and CO2 300 Mt in 2027;
    // 1 Mt more primary aluminium (12 t CO2/t) breaks both, 2025 against 29.12 Mt.
    for year in [2025, 2027] {
        nudge(
            &mut result,
            "plan",
            row_is("aluminium", "route", "primary", year),
            "output_mt",
            |output| output + 1.0,
        );
    }
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "M10 output_growth_max[2025]");
    assert_reported(&violations, "M13 co2_max[2027]");
}

#[test]
fn checker_reports_rows_that_are_missing_or_misreported() {
    let (scenario, mut result) = china_result();
    nudge(
        &mut result,
        "plan",
        row_is("lead", "route", "primary", 2026),
        "capacity_mt",
        |capacity| capacity + 1.0,
    );
    result["feed"]
        .as_array_mut()
        .expect("a feed array")
        .retain(|row| !row_is("zinc", "source", "imported_scrap", 2026)(row));
    let violations = check_plan(&scenario, &result);
    assert_reported(&violations, "reported capacity_mt of plan row");
    assert_reported(&violations, "missing feed row");
}

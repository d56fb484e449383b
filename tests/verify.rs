//! The core's independent plan checker, through `metalplan verify`: a real plan passes, and a plan
//! with one value nudged past a bound is caught, for every kind of constraint, by name.

use crate::common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// `metalplan verify SCENARIO PLAN` on `plan` written to a temporary file.
fn verify(scenario: &Path, plan: &Json) -> common::Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("plan.json");
    std::fs::write(&file, serde_json::to_string(plan).expect("JSON")).expect("write the plan");
    common::metalplan([OsStr::new("verify"), scenario.as_os_str(), file.as_os_str()])
}

fn builds_and_caps() -> PathBuf {
    common::data_file("builds-and-caps.toml")
}

/// The row of `section` whose string fields match `keys`.
fn row<'j>(result: &'j mut Json, section: &str, keys: &[(&str, &str)], year: i64) -> &'j mut Json {
    result[section]
        .as_array_mut()
        .expect("a section of rows")
        .iter_mut()
        .find(|row| {
            row["year"].as_i64() == Some(year)
                && keys
                    .iter()
                    .all(|(key, value)| row[*key].as_str() == Some(*value))
        })
        .unwrap_or_else(|| panic!("no {section} row {keys:?} {year}"))
}

fn number(value: &Json) -> f64 {
    value.as_f64().expect("a number")
}

fn add(value: &mut Json, delta: f64) {
    *value = Json::from(number(value) + delta);
}

/// Solves `scenario`, applies `nudge`, and asserts verify names `constraint`.
fn caught(scenario: &Path, constraint: &str, nudge: impl FnOnce(&mut Json)) {
    let mut plan = common::solve_json(scenario, "highs", "cost");
    nudge(&mut plan);
    let run = verify(scenario, &plan);
    run.expect_code(4).expect_no_panic();
    assert!(
        run.stderr.contains(&format!("  {constraint}: ")),
        "verify did not name {constraint}:\n{}",
        run.stderr
    );
}

#[test]
fn real_plans_pass() {
    for scenario in [common::china_scenario(), builds_and_caps()] {
        let plan = common::solve_json(&scenario, "clarabel", "cost");
        let run = verify(&scenario, &plan);
        run.expect_code(0).expect_no_panic();
        assert!(
            run.stdout.contains("meets every constraint"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn feed_rows_are_checked() {
    let scenario = builds_and_caps();
    caught(&scenario, "feed_balance[copper,primary,2025]", |plan| {
        let feed = row(
            plan,
            "feed",
            &[("metal", "copper"), ("source", "domestic_ore")],
            2025,
        );
        add(&mut feed["feed_mt"], -0.01);
    });
    caught(
        &scenario,
        "feed_available[copper,domestic_ore,2025]",
        |plan| {
            let feed = row(
                plan,
                "feed",
                &[("metal", "copper"), ("source", "domestic_ore")],
                2025,
            );
            feed["feed_mt"] = Json::from(number(&feed["available_mt"]) + 0.1);
        },
    );
    caught(&scenario, "import_dependence_max[copper,2025]", |plan| {
        // Move domestic ore to imported concentrate: same metal, more imported.
        let ore = row(
            plan,
            "feed",
            &[("metal", "copper"), ("source", "domestic_ore")],
            2025,
        );
        let moved = number(&ore["feed_mt"]);
        ore["feed_mt"] = Json::from(0.0);
        let concentrate = row(
            plan,
            "feed",
            &[("metal", "copper"), ("source", "imported_concentrate")],
            2025,
        );
        add(&mut concentrate["feed_mt"], moved);
    });
}

#[test]
fn capacity_and_builds_are_checked() {
    let scenario = builds_and_caps();
    let copper_primary = [("metal", "copper"), ("route", "primary")];
    caught(&scenario, "capacity[copper,primary,2025]", |plan| {
        let output = row(plan, "plan", &copper_primary, 2025);
        output["output_mt"] = Json::from(number(&output["capacity_mt"]) + 0.1);
    });
    caught(&scenario, "build[copper,primary,2025]", |plan| {
        row(plan, "plan", &copper_primary, 2025)["built_mt"] = Json::from(0.6);
    });
    caught(
        &scenario,
        "capacity_mt[copper,primary,2026] as reported",
        |plan| {
            add(
                &mut row(plan, "plan", &copper_primary, 2026)["capacity_mt"],
                1.0,
            );
        },
    );
    caught(&scenario, "build_shared[copper,2025]", |plan| {
        row(plan, "shared_capacity", &[("metal", "copper")], 2025)["built_mt"] = Json::from(0.6);
    });
    caught(&scenario, "shared_capacity[copper,2025]", |plan| {
        // Both routes at their own capacity exceed the shared plant (6.5 + 2.2 > 8.5 + builds).
        let mut total = 0.0;
        for route in ["primary", "recycled"] {
            let output = row(plan, "plan", &[("metal", "copper"), ("route", route)], 2025);
            output["output_mt"] = output["capacity_mt"].clone();
            total += number(&output["capacity_mt"]);
        }
        let shared = row(plan, "shared_capacity", &[("metal", "copper")], 2025);
        assert!(
            total > number(&shared["capacity_mt"]),
            "the nudge must overfill the plant"
        );
    });
    caught(&scenario, "build[aluminium,recycled,2025]", |plan| {
        let build = row(
            plan,
            "plan",
            &[("metal", "aluminium"), ("route", "recycled")],
            2025,
        );
        build["built_mt"] = Json::from(-0.5);
    });
}

#[test]
fn market_bounds_are_checked() {
    let scenario = builds_and_caps();
    caught(&scenario, "metal_output_min[lithium,2026]", |plan| {
        row(
            plan,
            "plan",
            &[("metal", "lithium"), ("route", "recycled")],
            2026,
        )["output_mt"] = Json::from(0.1);
    });
    caught(&scenario, "metal_output_max[copper,2025]", |plan| {
        add(
            &mut row(
                plan,
                "plan",
                &[("metal", "copper"), ("route", "primary")],
                2025,
            )["output_mt"],
            9.0,
        );
    });
}

#[test]
fn national_targets_are_checked() {
    let scenario = builds_and_caps();
    caught(&scenario, "recycled_output_min[2026]", |plan| {
        for metal in ["copper", "aluminium"] {
            row(
                plan,
                "plan",
                &[("metal", metal), ("route", "recycled")],
                2026,
            )["output_mt"] = Json::from(0.0);
        }
    });
    let shrink_2025 = |plan: &mut Json| {
        for output in plan["plan"].as_array_mut().expect("plan rows") {
            if output["year"].as_i64() == Some(2025) {
                output["output_mt"] = Json::from(number(&output["output_mt"]) * 0.9);
            }
        }
    };
    caught(&scenario, "output_growth_min[2025]", shrink_2025);
    caught(&scenario, "value_added_growth_min[2025]", shrink_2025);
    caught(&scenario, "output_growth_max[2025]", |plan| {
        add(
            &mut row(
                plan,
                "plan",
                &[("metal", "aluminium"), ("route", "primary")],
                2025,
            )["output_mt"],
            2.0,
        );
    });
    caught(&scenario, "co2_max[2026]", |plan| {
        // 30 Mt more primary aluminium at 12 t CO2/t is 360 Mt CO2, above the 300 Mt cap alone.
        add(
            &mut row(
                plan,
                "plan",
                &[("metal", "aluminium"), ("route", "primary")],
                2026,
            )["output_mt"],
            30.0,
        );
    });
}

#[test]
fn plugin_constraints_and_missing_rows_are_checked() {
    let china = common::china_scenario();
    caught(&china, "plugin.aluminium.primary_ceiling[2025]", |plan| {
        row(
            plan,
            "plan",
            &[("metal", "aluminium"), ("route", "primary")],
            2025,
        )["output_mt"] = Json::from(45.5);
    });
    caught(&china, "output[zinc,recycled,2026]", |plan| {
        plan["plan"]
            .as_array_mut()
            .expect("plan rows")
            .retain(|row| {
                !(row["metal"] == "zinc" && row["route"] == "recycled" && row["year"] == 2026)
            });
    });
}

#[test]
fn scenario_constraints_are_checked() {
    let scenario = common::data_file("user-constraints.toml");
    // Lead and zinc primary output sit on their 11 Mt cap; half a tonne more breaks it.
    caught(
        &scenario,
        "user[lead_zinc_primary_cap,2025] (constraints[1])",
        |plan| {
            add(
                &mut row(
                    plan,
                    "plan",
                    &[("metal", "lead"), ("route", "primary")],
                    2025,
                )["output_mt"],
                0.5,
            );
        },
    );
    // Recycled copper sits on its 35 % share in 2026; less of it breaks the share rule.
    caught(
        &scenario,
        "user[recycled_copper_share,2026] (constraints[0])",
        |plan| {
            add(
                &mut row(
                    plan,
                    "plan",
                    &[("metal", "copper"), ("route", "recycled")],
                    2026,
                )["output_mt"],
                -0.5,
            );
        },
    );
}

#[test]
fn a_plan_file_that_is_not_a_plan_is_an_input_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("plan.json");
    std::fs::write(&file, "{\"plan\": 3}").expect("write");
    let run = common::metalplan([
        OsStr::new("verify"),
        common::china_scenario().as_os_str(),
        file.as_os_str(),
    ]);
    run.expect_code(1).expect_no_panic();
    assert!(run.stderr.contains("cannot read plan"), "{}", run.stderr);
}

//! Small scenarios whose outcome is worked out by hand in their comments: one that no plan can
//! satisfy (exit code 2), and one whose optimal plan and cost are computed by hand.

use crate::common;

use crate::common::{close, Scenario};
use serde_json::Value as Json;

#[test]
fn a_recycled_floor_above_all_scrap_is_infeasible_with_both_solvers() {
    let path = common::data_file("infeasible-recycled-floor.toml");
    // The file's arithmetic, redone from its numbers: all scrap times recovery is below the
    // floor, so the scenario is infeasible for that reason and no other.
    let scenario = Scenario::load(&path);
    let most_recycled: f64 = scenario
        .metals()
        .iter()
        .flat_map(|metal| metal.feeds("recycled"))
        .map(|(_, feed)| common::number(&feed["available_mt"]) * common::number(&feed["recovery"]))
        .sum();
    let floor = scenario
        .target_in("recycled_output_min_mt", 2025)
        .expect("a recycled floor");
    assert!(
        most_recycled < floor,
        "{most_recycled} Mt of scrap metal would meet {floor}"
    );

    for solver in ["highs", "clarabel"] {
        for objective in ["cost", "emissions"] {
            let run = common::metalplan([
                "solve",
                path.to_str().expect("a UTF-8 path"),
                "--solver",
                solver,
                "--objective",
                objective,
            ]);
            run.expect_code(2).expect_no_panic();
            assert!(
                run.stderr.contains("infeasible"),
                "{solver}: stderr does not say infeasible:\n{}",
                run.stderr
            );
            assert!(
                run.stderr.contains(path.to_str().expect("a UTF-8 path")),
                "{solver}: stderr does not name the file:\n{}",
                run.stderr
            );
            assert!(run.stdout.is_empty(), "no plan is printed: {}", run.stdout);
        }
    }
}

#[test]
fn the_file_is_valid_so_exit_code_2_means_infeasible() {
    // `check` validates without solving: the scenario itself is well formed.
    let path = common::data_file("infeasible-recycled-floor.toml");
    common::metalplan(["check", path.to_str().expect("a UTF-8 path")]).expect_code(0);
}

/// The hand-worked optimum of tests/data/hand-worked.toml (see its comments), million CNY.
const HAND_WORKED_COST_MILLION_CNY: f64 =
    0.45 * 11_000.0 + 0.15 * 14_000.0 + 0.40 * 12_000.0 + 0.80 * 13_000.0 + 0.20 * 5_000.0;

fn plan_row<'a>(result: &'a Json, route: &str) -> &'a Json {
    result["plan"]
        .as_array()
        .expect("a plan array")
        .iter()
        .find(|row| row["metal"] == "tin" && row["route"] == route && row["year"] == 2025)
        .unwrap_or_else(|| panic!("no plan row for tin {route} 2025"))
}

fn feed_of(result: &Json, source: &str) -> f64 {
    result["feed"]
        .as_array()
        .expect("a feed array")
        .iter()
        .find(|row| row["source"] == source)
        .and_then(|row| row["feed_mt"].as_f64())
        .unwrap_or_else(|| panic!("no feed row for {source}"))
}

#[test]
fn the_hand_worked_scenario_has_the_hand_worked_optimum() {
    assert!(close(HAND_WORKED_COST_MILLION_CNY, 23_250.0));
    let path = common::data_file("hand-worked.toml");
    for solver in ["highs", "clarabel"] {
        let result = common::solve_json(&path, solver, "cost");
        let objective = common::objective_of(&result);
        assert_eq!(result["objective_unit"], "CNY");
        assert!(
            close(objective, HAND_WORKED_COST_MILLION_CNY * 1e6),
            "{solver}: objective {objective} CNY, worked out by hand: 23,250,000,000 CNY"
        );
        // The plan itself, from the merit order in the file's comments.
        let primary = plan_row(&result, "primary");
        let recycled = plan_row(&result, "recycled");
        for (what, value, expected) in [
            ("primary output", &primary["output_mt"], 1.2),
            ("primary built", &primary["built_mt"], 0.2),
            ("recycled output", &recycled["output_mt"], 0.6),
            ("recycled built", &recycled["built_mt"], 0.0),
        ] {
            let value = value.as_f64().expect("a number");
            assert!(
                (value - expected).abs() <= 1e-6,
                "{solver}: {what} is {value}, by hand {expected}"
            );
        }
        for (source, expected) in [
            ("domestic_ore", 0.5),
            ("imported_concentrate", 0.8 / 0.9),
            ("domestic_scrap", 0.5),
            ("imported_scrap", 0.15 / 0.9),
        ] {
            let feed = feed_of(&result, source);
            assert!(
                (feed - expected).abs() <= 1e-6,
                "{solver}: {source} feed is {feed} Mt, by hand {expected}"
            );
        }
    }
}

/// The conflict printed for the infeasible scenario is exactly the set worked out by hand in its
/// comments: the floor and the three scrap supplies (capacities play no part).
#[test]
fn the_conflict_is_the_hand_worked_minimal_set() {
    for solver in ["highs", "clarabel"] {
        let run = common::metalplan([
            "solve",
            "tests/data/infeasible-recycled-floor.toml",
            "--solver",
            solver,
        ]);
        run.expect_code(2).expect_no_panic();
        let mut named: Vec<&str> = run
            .stderr
            .lines()
            .filter_map(|line| line.trim().strip_prefix("- "))
            .filter_map(|line| line.split(':').next())
            .collect();
        named.sort_unstable();
        assert_eq!(
            named,
            [
                "feed_available[aluminium,domestic_scrap,2025]",
                "feed_available[copper,domestic_scrap,2025]",
                "feed_available[copper,imported_scrap,2025]",
                "recycled_output_min[2025]",
            ],
            "{solver}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("[targets.recycled_output_min_mt]"));
        assert!(run
            .stderr
            .contains("[metals[copper].recycled.feed.imported_scrap.available_mt]"));
    }
}

/// Runs `solve --soft-targets --format json` and returns the targets' (name, year, shortfall).
fn soft_shortfalls(scenario: &str, solver: &str) -> Vec<(String, i64, f64)> {
    let run = common::metalplan([
        "solve",
        scenario,
        "--soft-targets",
        "--solver",
        solver,
        "--format",
        "json",
    ]);
    run.expect_code(0).expect_no_panic();
    let result: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    result["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|row| {
            (
                row["name"].as_str().expect("name").to_string(),
                row["year"].as_i64().expect("year"),
                row["shortfall"]
                    .as_f64()
                    .expect("a shortfall with soft targets"),
            )
        })
        .collect()
}

/// The recycled floor is missed by exactly the 0.55 Mt worked out in the scenario's comments.
#[test]
fn soft_targets_report_the_smallest_shortfall() {
    for solver in ["highs", "clarabel"] {
        let found = soft_shortfalls("tests/data/infeasible-recycled-floor.toml", solver);
        assert_eq!(found.len(), 1, "{found:?}");
        let (name, year, shortfall) = &found[0];
        assert_eq!((name.as_str(), *year), ("recycled_output_min", 2025));
        // Within the lexicographic slack (1e-6 relative for Clarabel; docs/model.md, Ties).
        assert!((shortfall - 0.55).abs() < 1e-5, "{solver}: {shortfall}");
    }
}

/// Two conflicting targets: the hand-worked optimum misses the growth floor by 10 points and
/// meets the CO2 cap (see tests/data/infeasible-two-targets.toml).
#[test]
fn soft_targets_trade_off_as_worked_by_hand() {
    for solver in ["highs", "clarabel"] {
        let found = soft_shortfalls("tests/data/infeasible-two-targets.toml", solver);
        let shortfall = |target: &str| {
            found
                .iter()
                .find(|(name, _, _)| name == target)
                .map(|(_, _, shortfall)| *shortfall)
                .expect("the target is reported")
        };
        assert!(
            (shortfall("output_growth_min") - 0.10).abs() < 1e-6,
            "{solver}: {found:?}"
        );
        assert!(shortfall("co2_max").abs() < 1e-6, "{solver}: {found:?}");
    }
    // Hard, the same file is infeasible, and the conflict is the two targets.
    let run = common::metalplan(["solve", "tests/data/infeasible-two-targets.toml"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("- output_growth_min[2025]"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("- co2_max[2025]"), "{}", run.stderr);
}

/// `soft_targets = true` in the file does what the flag does, and the text output says it.
#[test]
fn soft_targets_can_be_set_in_the_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = std::fs::read_to_string("tests/data/infeasible-recycled-floor.toml")
        .expect("read the scenario");
    let file = dir.path().join("soft.toml");
    std::fs::write(&file, format!("soft_targets = true\n{text}")).expect("write");
    let run = common::metalplan([std::ffi::OsStr::new("solve"), file.as_os_str()]);
    run.expect_code(0).expect_no_panic();
    assert!(
        run.stdout
            .contains("recycled_output_min missed by 0.550 Mt in 2025"),
        "{}",
        run.stdout
    );
}

/// The rows `metalplan solve` names as the conflict (the text before each `:`), sorted.
fn conflict_rows(scenario: &str, overlay: &str, solver: &str) -> Vec<String> {
    let run = common::metalplan(["solve", scenario, "--with", overlay, "--solver", solver]);
    run.expect_code(2).expect_no_panic();
    let mut named: Vec<String> = run
        .stderr
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .filter_map(|line| line.split(':').next())
        .map(str::to_string)
        .collect();
    named.sort_unstable();
    named
}

/// With plants, the conflict is worked out by hand in each overlay's comments: when only the
/// plants can explain it, they are named one by one (and the closed plant SN-C is not).
#[test]
fn a_conflict_at_plant_level_names_the_plants_worked_by_hand() {
    for solver in ["highs", "clarabel"] {
        assert_eq!(
            conflict_rows(
                "tests/data/facilities/merit-order.toml",
                "tests/data/facilities/short-of-plants.toml",
                solver
            ),
            [
                "capacity[tin,recycled,2027]",
                "facility_capacity[SN-A,2027]",
                "facility_capacity[SN-B,2027]",
                "facility_capacity[SN-D,2027]",
                "metal_output_min[tin,2027]",
            ],
            "{solver}"
        );
    }
}

/// When a conflict can be told with the route's own capacity or with its plants, metalplan
/// tells it at route level: three rows instead of five (one per plant at scale).
#[test]
fn a_conflict_that_a_route_explains_is_told_at_route_level() {
    for solver in ["highs", "clarabel"] {
        assert_eq!(
            conflict_rows(
                "tests/data/facilities/merit-order.toml",
                "tests/data/facilities/short-of-route.toml",
                solver
            ),
            [
                "capacity[tin,primary,2027]",
                "capacity[tin,recycled,2027]",
                "metal_output_min[tin,2027]",
            ],
            "{solver}"
        );
    }
}

//! The independent plan checker (`common::check_plan`) on the market a plan lives in
//! (docs/model.md, M23-M29): every scenario of `tests/data/market/` (and trade.toml with the
//! trade-capped.toml overlay) passes it under the cost and welfare objectives with both
//! solvers, as does the shipped China scenario under welfare; objectives and totals recomputed
//! from the plan equal what the result reports and what the files' comments work out by hand;
//! and a plan broken on purpose fails it at the stage, trade or demand row that was broken.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::common::{self, check_plan, close, nudge, row_is, Scenario, MILLION};

const SOLVERS: [&str; 2] = ["highs", "clarabel"];

/// The objectives every market case is solved under: the flag and the result's
/// `objective_kind`.
const OBJECTIVES: [&str; 2] = ["cost", "welfare"];

/// The overlays of `tests/data/market/` (files without `base_year`), each with the scenario it
/// applies to.
const OVERLAYS: [(&str, &str); 1] = [("trade-capped.toml", "trade.toml")];

fn market_file(name: &str) -> PathBuf {
    common::data_file("market").join(name)
}

/// One scenario to solve: a file of `tests/data/market/`, with the overlays applied to it.
struct Case {
    file: PathBuf,
    overlays: Vec<PathBuf>,
}

impl Case {
    fn plain(name: &str) -> Self {
        Case {
            file: market_file(name),
            overlays: Vec::new(),
        }
    }

    fn with_overlay(name: &str, overlay: &str) -> Self {
        Case {
            file: market_file(name),
            overlays: vec![market_file(overlay)],
        }
    }

    fn label(&self) -> String {
        let mut label = self.file.display().to_string();
        for overlay in &self.overlays {
            label = format!("{label} --with {}", overlay.display());
        }
        label
    }

    fn overlay_paths(&self) -> Vec<&Path> {
        self.overlays.iter().map(PathBuf::as_path).collect()
    }

    /// The scenario as the checker reads it: the file with its overlays merged in.
    fn scenario(&self) -> Scenario {
        Scenario::load_with_overlays(&self.file, &self.overlay_paths())
    }

    fn solve(&self, solver: &str, objective: &str) -> Json {
        common::solve_json_with(&self.file, &self.overlay_paths(), solver, objective)
    }
}

/// Every scenario of `tests/data/market/`, then each overlay applied to its scenario. A new
/// file there is picked up without editing this list; a new overlay must say what it overlays.
fn cases() -> Vec<Case> {
    let directory = common::data_file("market");
    let mut names: Vec<String> = std::fs::read_dir(&directory)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()))
        .map(|entry| entry.expect("a directory entry can be read").path())
        .filter(|path| path.extension().and_then(OsStr::to_str) == Some("toml"))
        .map(|path| {
            path.file_name()
                .and_then(OsStr::to_str)
                .expect("a UTF-8 file name")
                .to_string()
        })
        .collect();
    names.sort();
    let mut cases = Vec::new();
    for name in &names {
        let root = Scenario::load(&market_file(name)).root;
        if root.get("base_year").is_some() {
            cases.push(Case::plain(name));
        } else {
            assert!(
                OVERLAYS.iter().any(|(overlay, _)| overlay == name),
                "{name} has no base_year: add it to OVERLAYS with the scenario it overlays"
            );
        }
    }
    for (overlay, base) in OVERLAYS {
        cases.push(Case::with_overlay(base, overlay));
    }
    for expected in [
        "demand-blocks.toml",
        "stage-chain.toml",
        "stocks.toml",
        "trade.toml",
    ] {
        assert!(
            names.iter().any(|name| name == expected),
            "tests/data/market/ lost {expected}: {names:?}"
        );
    }
    cases
}

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

/// Panics unless every label in `labels` starts one of the violations, and nothing else was
/// reported: a perturbation breaks exactly the rows it should.
fn assert_exactly(violations: &[String], labels: &[&str]) {
    for label in labels {
        assert!(
            violations
                .iter()
                .any(|violation| violation.starts_with(label)),
            "the checker missed `{label}`; it reported:\n{}",
            violations.join("\n")
        );
    }
    assert_eq!(
        violations.len(),
        labels.len(),
        "expected only {labels:?}; the checker reported:\n{}",
        violations.join("\n")
    );
}

/// A solved case, checked clean before anything is broken.
fn solved(case: &Case, objective: &str) -> (Scenario, Json) {
    let scenario = case.scenario();
    let result = case.solve("highs", objective);
    assert_feasible(&scenario, &result, &case.label());
    (scenario, result)
}

/// A row matcher on `metal`, `year` and two more text fields.
fn use_row<'a>(
    metal: &'a str,
    stage: &'a str,
    user: &'a str,
    year: i64,
) -> impl Fn(&Json) -> bool + 'a {
    move |row| {
        row["metal"] == metal && row["stage"] == stage && row["user"] == user && row["year"] == year
    }
}

/// A matcher for the demand row of `metal` in `year`.
fn demand_row(metal: &str, year: i64) -> impl Fn(&Json) -> bool + '_ {
    move |row| row["metal"] == metal && row["year"] == year
}

#[test]
fn every_market_scenario_gives_a_plan_the_checker_accepts_under_cost_and_welfare() {
    let cases = cases();
    assert_eq!(cases.len(), 5, "four scenarios and one overlaid case");
    for case in &cases {
        let scenario = case.scenario();
        for objective in OBJECTIVES {
            for solver in SOLVERS {
                let what = format!("{} --objective {objective} with {solver}", case.label());
                let result = case.solve(solver, objective);
                assert_eq!(result["objective_kind"], objective, "{what}");
                assert_feasible(&scenario, &result, &what);
                let recomputed = common::objective_value(&scenario, &result, objective);
                let reported = common::objective_of(&result);
                assert!(
                    close(recomputed, reported),
                    "{what}: reported {objective} {reported} CNY, recomputed {recomputed} CNY"
                );
                common::assert_totals_match(&scenario, &result, &what);
                common::assert_targets_match(&scenario, &result, &what);
                common::assert_import_dependence_match(&scenario, &result, &what);
            }
        }
    }
}

#[test]
fn the_recomputation_reproduces_the_hand_worked_numbers() {
    // Each number is worked out in the scenario file's comments; the recomputation from the
    // plan rows must reach it, whatever the result reports.
    for (case, objective, expected) in [
        (Case::plain("stage-chain.toml"), "cost", 2_500.0),
        (Case::plain("trade.toml"), "cost", 2_440.0),
        (
            Case::with_overlay("trade.toml", "trade-capped.toml"),
            "cost",
            2_450.0,
        ),
        (Case::plain("demand-blocks.toml"), "welfare", 12_500.0),
        (Case::plain("demand-blocks.toml"), "cost", 36_000.0),
        (Case::plain("stocks.toml"), "cost", 18_020.0),
        // A fixed demand contributes no willingness to pay: welfare is minus the cost.
        (Case::plain("stocks.toml"), "welfare", -18_020.0),
    ] {
        let (scenario, result) = solved(&case, objective);
        let recomputed = common::objective_value(&scenario, &result, objective);
        assert!(
            close(recomputed, expected * MILLION),
            "{} {objective}: recomputed {recomputed} CNY, worked by hand {expected} million CNY",
            case.label()
        );
    }

    // Stages add value added and CO2 but no output: 4,850 million CNY, 12 Mt CO2, 1 Mt.
    let (scenario, result) = solved(&Case::plain("stage-chain.toml"), "cost");
    let totals = &common::recompute_totals(&scenario, &result)[0];
    assert!(
        close(totals.value_added_cny, 4_850.0 * MILLION),
        "{totals:?}"
    );
    assert!(close(totals.co2_t, 12.0 * MILLION), "{totals:?}");
    assert!(close(totals.output_total_mt, 1.0), "{totals:?}");
    // The base year counts the stages' base output too: 1 x 4,000 + 2 x 300 + 5 x 50.
    let (_, _, base_value_added) = common::base_totals(&scenario);
    assert!(
        close(base_value_added, 4_850.0 * MILLION),
        "{base_value_added}"
    );

    // Import dependence of trade.toml: 3.0 x 0.2 / (5.0 x 0.2) and 3.0 x 0.2 / 1.0.
    let case = Case::plain("trade.toml");
    let (scenario, result) = solved(&case, "cost");
    let plan = common::PlanRows::from_result(&result);
    let evaluation = common::Evaluation {
        scenario: &scenario,
        plan: &plan,
    };
    let metal = scenario.metal("aluminium");
    for (definition, expected) in [
        ("raw_material", Some(0.6)),
        ("net_imports_over_consumption", Some(0.6)),
        ("feed", None),
    ] {
        let recomputed = evaluation.import_dependence_by(&metal, definition, 2025);
        match (recomputed, expected) {
            (Some(got), Some(expected)) => {
                assert!(close(got, expected), "{definition}: {got} vs {expected}");
            }
            (None, None) => {}
            _ => panic!("{definition}: recomputed {recomputed:?}, worked {expected:?}"),
        }
    }
}

#[test]
fn the_other_objectives_count_stages_and_trade() {
    // (file, flag, result kind, value worked by hand in the result's unit)
    for (name, flag, kind, expected) in [
        // 1.0 x 10 (smelting) + 2.0 x 1.0 (alumina) + 5.0 x 0 (bauxite) Mt CO2.
        ("stage-chain.toml", "emissions", "emissions", 12.0 * MILLION),
        // 1.0 x 4,000 + 2.0 x 300 + 5.0 x 50 million CNY.
        (
            "stage-chain.toml",
            "value-added",
            "value_added",
            4_850.0 * MILLION,
        ),
        // The mine (6.0 Mt) can supply all 5.0 Mt of bauxite: no imports needed.
        ("trade.toml", "imports", "imports", 0.0),
        // 3.0 Mt of reference demand, 1.5 Mt of capacity: 1.5 Mt of refined tin imported.
        ("demand-blocks.toml", "imports", "imports", 1.5 * MILLION),
        // Imported refined tin emits nothing at home: import all 3.0 Mt.
        ("demand-blocks.toml", "emissions", "emissions", 0.0),
    ] {
        let case = Case::plain(name);
        let scenario = case.scenario();
        for solver in SOLVERS {
            let what = format!("{name} --objective {flag} with {solver}");
            let result = case.solve(solver, flag);
            assert_eq!(result["objective_kind"], kind, "{what}");
            assert_feasible(&scenario, &result, &what);
            let recomputed = common::objective_value(&scenario, &result, kind);
            let reported = common::objective_of(&result);
            assert!(
                close(recomputed, reported),
                "{what}: reported {reported}, recomputed {recomputed}"
            );
            // The plan is the cheapest of those within the held band of the optimum
            // (docs/model.md, Ties: 1e-7 relative plus 1e-9 model units with HiGHS, up to 1e-6
            // relative with Clarabel), so it may sit that far from the hand-worked optimum:
            // trade.toml imports 1e-9 Mt of metal (0.001 t) because that bauxite is cheaper.
            let band = 1e-6 * expected.abs() + 1e-9 * MILLION;
            assert!(
                (recomputed - expected).abs() <= band * (1.0 + 1e-9),
                "{what}: recomputed {recomputed}, worked by hand {expected} (band {band})"
            );
            common::assert_totals_match(&scenario, &result, &what);
        }
    }
}

#[test]
fn checker_reports_a_stage_output_its_inputs_do_not_explain() {
    let (scenario, mut result) = solved(&Case::plain("stage-chain.toml"), "cost");
    // 2.0 Mt of alumina from 5.0 Mt of bauxite at 2.5 t/t; claim 2.2 Mt made.
    nudge(
        &mut result,
        "stages",
        row_is("aluminium", "stage", "alumina", 2025),
        "output_mt",
        |_| 2.2,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &[
            "M23 stage_input[aluminium,alumina,2025]",
            "M25 market[aluminium,alumina,2025]",
        ],
    );
}

#[test]
fn checker_reports_a_mine_above_its_capacity() {
    let (scenario, mut result) = solved(&Case::plain("stage-chain.toml"), "cost");
    // The bauxite mine may make 6.0 Mt; claim 6.5 Mt (more than refining uses, too).
    nudge(
        &mut result,
        "stages",
        row_is("aluminium", "stage", "bauxite", 2025),
        "output_mt",
        |_| 6.5,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &[
            "M24 stage_capacity[aluminium,bauxite,2025]",
            "M25 market[aluminium,bauxite,2025]",
        ],
    );
}

#[test]
fn checker_reports_stage_material_the_route_does_not_account_for() {
    let (scenario, mut result) = solved(&Case::plain("stage-chain.toml"), "cost");
    // Smelting 1.0 Mt needs 2.0 Mt of alumina; claim 1.8 Mt used: M1 with stage inputs breaks,
    // and the alumina market no longer clears.
    nudge(
        &mut result,
        "stage_use",
        use_row("aluminium", "alumina", "primary", 2025),
        "use_mt",
        |_| 1.8,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &[
            "M1 feed_balance[aluminium,primary,2025]",
            "M25 market[aluminium,alumina,2025]",
        ],
    );
}

#[test]
fn checker_reports_an_import_above_its_bound() {
    let (scenario, mut result) = solved(&Case::plain("trade.toml"), "cost");
    // 3.0 Mt of bauxite may be imported: claim 3.5 Mt and 0.5 Mt less mined, so the bauxite
    // market still clears and only the trade bound breaks.
    nudge(
        &mut result,
        "trade",
        row_is("aluminium", "material", "bauxite", 2025),
        "import_mt",
        |imported| imported + 0.5,
    );
    nudge(
        &mut result,
        "stages",
        row_is("aluminium", "stage", "bauxite", 2025),
        "output_mt",
        |mined| mined - 0.5,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &["M5 import[aluminium,bauxite,2025] <= import_max_mt"],
    );
}

#[test]
fn checker_reports_an_import_the_market_does_not_use() {
    let (scenario, mut result) = solved(&Case::plain("trade.toml"), "cost");
    nudge(
        &mut result,
        "trade",
        row_is("aluminium", "material", "bauxite", 2025),
        "import_mt",
        |_| 2.5,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(&violations, &["M25 market[aluminium,bauxite,2025]"]);
}

#[test]
fn checker_reports_a_raw_material_dependence_above_its_cap() {
    let case = Case::with_overlay("trade.toml", "trade-capped.toml");
    let (scenario, mut result) = solved(&case, "cost");
    // The cap allows 0.5 x 5.0 = 2.5 Mt imported; import 0.25 Mt more and mine 0.25 Mt less:
    // the market clears, the import stays within 3.0 Mt, dependence is 0.55.
    nudge(
        &mut result,
        "trade",
        row_is("aluminium", "material", "bauxite", 2025),
        "import_mt",
        |imported| imported + 0.25,
    );
    nudge(
        &mut result,
        "stages",
        row_is("aluminium", "stage", "bauxite", 2025),
        "output_mt",
        |mined| mined - 0.25,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &["M12 import_dependence_max[aluminium,raw_material,2025]"],
    );
}

#[test]
fn checker_reports_consumption_off_the_reference_demand() {
    let (scenario, mut result) = solved(&Case::plain("demand-blocks.toml"), "cost");
    // Under cost the reference demand, every block (3.0 Mt), is met; claim 2.9 Mt.
    nudge(
        &mut result,
        "demand",
        demand_row("tin", 2025),
        "consumption_mt",
        |_| 2.9,
    );
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &["M26 market[tin,refined,2025]", "M27 demand[tin,2025]"],
    );
}

#[test]
fn checker_reports_consumption_the_blocks_taken_do_not_explain() {
    let (scenario, result) = solved(&Case::plain("demand-blocks.toml"), "welfare");

    // Consumption 1.6 Mt against 1.0 + 0.5 Mt of blocks taken and 1.5 Mt supplied.
    let mut broken = result.clone();
    nudge(
        &mut broken,
        "demand",
        demand_row("tin", 2025),
        "consumption_mt",
        |_| 1.6,
    );
    assert_exactly(
        &check_plan(&scenario, &broken),
        &["M26 market[tin,refined,2025]", "M27 demand[tin,2025]"],
    );

    // The same 1.5 Mt taken, but 1.1 Mt of the 1.0 Mt first block.
    let mut broken = result.clone();
    broken["demand"][0]["blocks_mt"] = serde_json::json!([1.1, 0.4, 0.0]);
    assert_exactly(
        &check_plan(&scenario, &broken),
        &["M28 demand_block[tin,0,2025] <= quantity_mt"],
    );
}

#[test]
fn checker_reads_the_objective_the_result_was_solved_for() {
    // The welfare plan consumes 1.5 Mt of the 3.0 Mt reference demand: read as a cost result,
    // it breaks M27, and its block columns should not exist.
    let (scenario, mut result) = solved(&Case::plain("demand-blocks.toml"), "welfare");
    result["objective_kind"] = Json::from("cost");
    let violations = check_plan(&scenario, &result);
    assert_exactly(
        &violations,
        &[
            "demand row (\"tin\", 2025) has 3 blocks_mt, not 0",
            "M27 demand[tin,2025]",
        ],
    );
}

#[test]
fn checker_reports_a_stock_that_does_not_carry_or_overflows() {
    let (scenario, result) = solved(&Case::plain("stocks.toml"), "cost");

    // 0.3 Mt held at the end of 2025 instead of 0.2: neither year's market clears.
    let mut broken = result.clone();
    nudge(
        &mut broken,
        "demand",
        demand_row("tin", 2025),
        "stock_mt",
        |_| 0.3,
    );
    assert_exactly(
        &check_plan(&scenario, &broken),
        &[
            "M26 market[tin,refined,2025]",
            "M26 market[tin,refined,2026]",
        ],
    );

    // 1.2 Mt held at the end of 2026, above the 1.0 Mt allowed (and not made: 2026's market
    // breaks too).
    let mut broken = result.clone();
    nudge(
        &mut broken,
        "demand",
        demand_row("tin", 2026),
        "stock_mt",
        |_| 1.2,
    );
    assert_exactly(
        &check_plan(&scenario, &broken),
        &[
            "M5 stock[tin,2026] <= max_mt",
            "M26 market[tin,refined,2026]",
        ],
    );
}

#[test]
fn checker_reports_missing_and_misreported_market_rows() {
    let (scenario, mut result) = solved(&Case::plain("trade.toml"), "cost");
    result["stage_use"]
        .as_array_mut()
        .expect("a stage_use array")
        .retain(|row| !use_row("aluminium", "bauxite", "alumina", 2025)(row));
    result["trade"][0]["export_mt"] = Json::from(0.0);
    nudge(
        &mut result,
        "stages",
        row_is("aluminium", "stage", "alumina", 2025),
        "capacity_mt",
        |capacity| capacity + 1.0,
    );
    let violations = check_plan(&scenario, &result);
    for label in [
        "missing stage_use row (\"aluminium\", \"bauxite\", \"alumina\", 2025)",
        "trade row (\"aluminium\", \"bauxite\", 2025) reports export_mt",
        "reported capacity_mt of stages row (\"aluminium\", \"alumina\", 2025)",
        // Without the use, alumina is made from nothing and bauxite goes unused.
        "M23 stage_input[aluminium,alumina,2025]",
        "M25 market[aluminium,bauxite,2025]",
    ] {
        assert!(
            violations
                .iter()
                .any(|violation| violation.starts_with(label)),
            "the checker missed `{label}`; it reported:\n{}",
            violations.join("\n")
        );
    }
}

#[test]
fn the_objective_counts_every_market_term() {
    // Each nudge moves the recomputed objective by exactly its coefficient, in CNY: a check
    // that stage costs, import prices, holding costs and block prices are all counted.
    let (scenario, result) = solved(&Case::plain("trade.toml"), "cost");
    let base = common::objective_value(&scenario, &result, "cost");
    for (table, matches, field, coefficient) in [
        // 1 Mt more bauxite mined at 100 CNY/t.
        (
            "stages",
            row_is("aluminium", "stage", "bauxite", 2025),
            "output_mt",
            100.0,
        ),
        // 1 Mt more alumina refined at 500 CNY/t.
        (
            "stages",
            row_is("aluminium", "stage", "alumina", 2025),
            "output_mt",
            500.0,
        ),
        // 1 Mt more bauxite imported at 80 CNY/t.
        (
            "trade",
            row_is("aluminium", "material", "bauxite", 2025),
            "import_mt",
            80.0,
        ),
    ] {
        let mut moved = result.clone();
        nudge(&mut moved, table, matches, field, |value| value + 1.0);
        let difference = common::objective_value(&scenario, &moved, "cost") - base;
        assert!(
            close(difference, coefficient * MILLION),
            "{table}.{field}: the cost moved by {difference} CNY, expected {coefficient} million"
        );
    }

    // 1 Mt more stock held at the end of 2025 costs 100 CNY/t.
    let (scenario, result) = solved(&Case::plain("stocks.toml"), "cost");
    let mut moved = result.clone();
    nudge(
        &mut moved,
        "demand",
        demand_row("tin", 2025),
        "stock_mt",
        |held| held + 1.0,
    );
    let difference = common::objective_value(&scenario, &moved, "cost")
        - common::objective_value(&scenario, &result, "cost");
    assert!(close(difference, 100.0 * MILLION), "{difference}");

    // Welfare: 0.5 Mt more of the second block (12,000 CNY/t) adds 6,000 million CNY.
    let (scenario, result) = solved(&Case::plain("demand-blocks.toml"), "welfare");
    let mut moved = result.clone();
    moved["demand"][0]["blocks_mt"] = serde_json::json!([1.0, 1.0, 0.0]);
    let difference = common::objective_value(&scenario, &moved, "welfare")
        - common::objective_value(&scenario, &result, "welfare");
    assert!(close(difference, 6_000.0 * MILLION), "{difference}");
}

#[test]
fn the_china_market_plan_passes_under_welfare_with_both_solvers() {
    // The shipped scenario's markets (stages, trade both ways, demand blocks, caps by
    // definition) at full size; its cost plan is checked in plan_checker.rs.
    let path = common::china_market_scenario();
    let scenario = Scenario::load(&path);
    assert!(
        !scenario.import_dependence_targets().is_empty()
            && scenario
                .metals()
                .iter()
                .any(|metal| !metal.blocks().is_empty() && !metal.stages().is_empty()),
        "the China scenario has markets to check"
    );
    for solver in SOLVERS {
        let what = format!("{} --objective welfare with {solver}", path.display());
        let result = common::solve_json(&path, solver, "welfare");
        assert_feasible(&scenario, &result, &what);
        let recomputed = common::objective_value(&scenario, &result, "welfare");
        let reported = common::objective_of(&result);
        assert!(
            close(recomputed, reported),
            "{what}: reported welfare {reported} CNY, recomputed {recomputed} CNY"
        );
        common::assert_totals_match(&scenario, &result, &what);
        common::assert_targets_match(&scenario, &result, &what);
        common::assert_import_dependence_match(&scenario, &result, &what);
    }
}

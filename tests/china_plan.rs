//! The shipped China scenario: the plan meets the Work Plan's targets, recomputed by these
//! tests from the plan rows and the scenario file, never read from the result's `totals` or
//! `targets`; then those reported sections are compared with the recomputation.

use crate::common;

use crate::common::{close, Scenario, TOLERANCE};

// The Work Plan for Stable Growth of the Non-ferrous Metals Industry (2025-2026), as the README
// quotes it. Policy values written down here, not read from the scenario file, so a scenario
// that quietly weakened its targets would fail.
/// "Recycled metal output above 20 Mt" a year.
const RECYCLED_FLOOR_MT: f64 = 20.0;
/// "Output of the ten non-ferrous metals about +1.5 % a year".
const OUTPUT_GROWTH_MIN: f64 = 0.015;
/// "Industry value added about +5 % a year".
const VALUE_ADDED_GROWTH_MIN: f64 = 0.05;

fn china() -> Scenario {
    Scenario::load(&common::china_scenario())
}

/// `a >= b`, up to [`TOLERANCE`] relative to `b` (growth sits exactly on its floor).
fn at_least(a: f64, b: f64) -> bool {
    a >= b - TOLERANCE * b.abs()
}

#[test]
fn china_plan_meets_the_work_plan_targets_with_both_solvers() {
    let scenario = china();
    assert_eq!(scenario.years(), [2025, 2026], "the plan covers 2025-2026");
    let (base_output, _, base_value_added) = common::base_totals(&scenario);
    for solver in ["highs", "clarabel"] {
        let result = common::solve_json(&scenario.path, solver, "cost");
        let totals = common::recompute_totals(&scenario, &result);
        let mut previous_output = base_output;
        let mut previous_value_added = base_value_added;
        for year in &totals {
            let y = year.year;
            assert!(
                at_least(year.recycled_mt, RECYCLED_FLOOR_MT),
                "{solver} {y}: recycled output {} Mt is below {RECYCLED_FLOOR_MT} Mt",
                year.recycled_mt
            );
            assert!(
                at_least(
                    year.output_total_mt,
                    (1.0 + OUTPUT_GROWTH_MIN) * previous_output
                ),
                "{solver} {y}: ten-metal output {} Mt grows less than 1.5 % on {previous_output} Mt",
                year.output_total_mt
            );
            assert!(
                at_least(
                    year.value_added_cny,
                    (1.0 + VALUE_ADDED_GROWTH_MIN) * previous_value_added
                ),
                "{solver} {y}: value added {} CNY grows less than 5 % on {previous_value_added} CNY",
                year.value_added_cny
            );
            previous_output = year.output_total_mt;
            previous_value_added = year.value_added_cny;
        }
    }
}

#[test]
fn china_base_year_totals_come_from_the_observed_output() {
    // Independent of any solve: the README and the scenario's comments state 2024's ten-metal
    // total as 79.19 Mt (reported), which the scenario's routes must add up to.
    let (base_output, base_recycled, _) = common::base_totals(&china());
    assert!(
        close(base_output, 79.19),
        "2024 ten-metal output adds up to {base_output} Mt, not 79.19"
    );
    // Copper 4.5 + aluminium 10.5 + lead 3.48 + zinc 1.22 = 19.7 Mt; lithium does not count.
    assert!(
        close(base_recycled, 19.7),
        "2024 recycled output adds up to {base_recycled} Mt, not 19.7"
    );
}

#[test]
fn china_reported_totals_match_the_recomputed_ones() {
    let scenario = china();
    for solver in ["highs", "clarabel"] {
        let result = common::solve_json(&scenario.path, solver, "cost");
        common::assert_totals_match(&scenario, &result, &format!("china with {solver}"));
    }
}

#[test]
fn china_targets_section_lists_each_target_with_its_recomputed_value() {
    let scenario = china();
    let result = common::solve_json(&scenario.path, "highs", "cost");
    common::assert_targets_match(&scenario, &result, "china");
    // The Work Plan's three national targets plus two import caps, each in both years.
    assert_eq!(result["targets"].as_array().map(Vec::len), Some(10));
}

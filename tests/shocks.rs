//! `--shock METAL.SOURCE=FACTOR` scales one feed's availability and nothing else.

use crate::common;

use serde_json::Value as Json;

fn solve(extra: &[&str]) -> common::Run {
    let mut args = vec![
        "solve",
        "tests/data/legacy/china-2025-2026.toml",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    common::metalplan(args)
}

fn feed_available(result: &Json, metal: &str, source: &str) -> Vec<f64> {
    result["feed"]
        .as_array()
        .expect("feed rows")
        .iter()
        .filter(|row| row["metal"] == metal && row["source"] == source)
        .map(|row| row["available_mt"].as_f64().expect("available_mt"))
        .collect()
}

#[test]
fn a_shock_scales_one_feed_and_is_recorded() {
    let base: Json = serde_json::from_str(&solve(&[]).expect_code(0).stdout).expect("JSON");
    let run = solve(&["--shock", "copper.imported_concentrate=0.95"]);
    run.expect_code(0).expect_no_panic();
    let shocked: Json = serde_json::from_str(&run.stdout).expect("JSON");
    let before = feed_available(&base, "copper", "imported_concentrate");
    let after = feed_available(&shocked, "copper", "imported_concentrate");
    assert_eq!(before.len(), after.len());
    for (before, after) in before.iter().zip(&after) {
        assert!((after - 0.95 * before).abs() < 1e-12, "{before} -> {after}");
    }
    // Every other feed is untouched.
    assert_eq!(
        feed_available(&base, "copper", "domestic_ore"),
        feed_available(&shocked, "copper", "domestic_ore")
    );
    assert_eq!(
        shocked["shocks"],
        serde_json::json!(["copper.imported_concentrate=0.95"])
    );
    // Less supply can only cost more.
    assert!(common::objective_of(&shocked) >= common::objective_of(&base) * (1.0 - 1e-9));
}

#[test]
fn a_unit_shock_changes_nothing_but_the_record() {
    let base: Json = serde_json::from_str(&solve(&[]).stdout).expect("JSON");
    let same: Json = serde_json::from_str(
        &solve(&["--shock", "lithium.imported_concentrate=1"])
            .expect_code(0)
            .stdout,
    )
    .expect("JSON");
    assert_eq!(base["plan"], same["plan"]);
    assert_eq!(base["objective"], same["objective"]);
}

#[test]
fn a_deep_cut_is_explained_even_with_soft_targets() {
    // A 20 % cut in copper concentrate cannot keep ten-metal growth at 1.5 %.
    let run = solve(&["--shock", "copper.imported_concentrate=0.8"]);
    run.expect_code(2).expect_no_panic();
    assert!(
        run.stderr.contains("- output_growth_min["),
        "{}",
        run.stderr
    );
    // Soft targets may be missed, but the copper market floor (13.6 Mt, a limit, not a target)
    // cannot be met from the copper feed left: (1.95 + 6.08) x 0.975 + (3.2 + 1.9) x 0.98
    // = 12.83 Mt in 2026. The conflict now names limits only.
    let soft = solve(&[
        "--shock",
        "copper.imported_concentrate=0.8",
        "--soft-targets",
    ]);
    soft.expect_code(2).expect_no_panic();
    assert!(
        soft.stderr.contains("- metal_output_min[copper,"),
        "{}",
        soft.stderr
    );
    assert!(!soft.stderr.contains("targets."), "{}", soft.stderr);
}

#[test]
fn bad_shocks_are_input_errors() {
    for (shock, expected) in [
        ("copper.imported_concentrat=0.8", "the feed source must be"),
        ("copper.imported_concentrate=-0.5", "at least 0"),
        ("copper.imported_concentrate", "METAL.FEED_SOURCE=FACTOR"),
        ("nickel.domestic_ore=0.5", "no metal `nickel`"),
        ("magnesium.domestic_scrap=0.5", "no recycled route"),
    ] {
        let run = solve(&["--shock", shock]);
        run.expect_code(1).expect_no_panic();
        assert!(run.stderr.contains(expected), "{shock}: {}", run.stderr);
    }
}

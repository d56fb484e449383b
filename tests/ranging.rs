//! `solve --ranging` against intervals worked out by hand on `tests/data/hand-worked.toml`.
//!
//! The scenario's comments give the merit order (CNY per tonne of output):
//!   recycled, domestic scrap 11,000 (at most 0.45 Mt)  < primary, ore 12,000 (at most 0.40 Mt)
//!   < primary, concentrate 13,000 < recycled, imported scrap 14,000
//!   < primary from new capacity 18,000 (13,000 + 5,000 investment).
//! The plan: recycled 0.6 Mt (its capacity; 0.45 from domestic scrap, 0.15 from imported), primary
//! 1.2 Mt (0.4 from ore, 0.8 from concentrate, 0.2 Mt of it in new capacity); total 1.8 Mt, the
//! growth floor (20 % on 1.5 Mt). Each interval below is where that merit order, and so the
//! basis, changes; the derivation is next to each number.

use crate::common;

use serde_json::Value as Json;

const TOLERANCE: f64 = 1e-6;

fn ranging_result(extra: &[&str]) -> Json {
    let mut args = vec![
        "solve",
        "tests/data/hand-worked.toml",
        "--ranging",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let run = common::metalplan(args);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout).expect("JSON result")
}

/// (low, high) of the entry whose `key` field is `name`; `None` stands for no limit.
fn interval(list: &Json, key: &str, name: &str) -> (Option<f64>, Option<f64>) {
    let entry = list
        .as_array()
        .expect("a list")
        .iter()
        .find(|entry| entry[key] == name)
        .unwrap_or_else(|| panic!("no range for {name}"));
    (entry["low"].as_f64(), entry["high"].as_f64())
}

fn assert_interval(
    actual: (Option<f64>, Option<f64>),
    expected: (Option<f64>, Option<f64>),
    what: &str,
) {
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= TOLERANCE * b.abs().max(1.0),
        (None, None) => true,
        _ => false,
    };
    assert!(
        same(actual.0, expected.0) && same(actual.1, expected.1),
        "{what}: got {actual:?}, worked out by hand {expected:?}"
    );
}

#[test]
fn cost_ranges_match_the_merit_order_worked_by_hand() {
    let result = ranging_result(&[]);
    let ranging = &result["ranging"];
    assert_eq!(ranging["available"], true);
    let costs = &ranging["costs"];
    let cost = |name: &str| interval(costs, "variable", name);
    // Ore (8,000 / 0.8 + 2,000 = 12,000) stays ahead of concentrate (13,000) up to
    // 8,000 + 0.8 x 1,000 = 8,800; cheaper ore changes nothing (it is at its limit).
    assert_interval(
        cost("feed[tin,domestic_ore,2025]"),
        (None, Some(8_800.0)),
        "ore cost",
    );
    // Concentrate fills primary output whatever it costs (recycled is at capacity); below
    // 0.9 x 10,000 = 9,000 it would beat ore (10,000 per t of metal) and push ore out.
    assert_interval(
        cost("feed[tin,imported_concentrate,2025]"),
        (Some(9_000.0), None),
        "concentrate cost",
    );
    // New primary capacity (18,000) loses to imported scrap (14,000) until its investment
    // falls by 4,000, to 1,000.
    assert_interval(
        cost("build[tin,primary,2025]"),
        (Some(1_000.0), None),
        "investment",
    );
    // Primary operating cost: 4,000 lower and built primary (18,000) ties imported scrap.
    assert_interval(
        cost("output[tin,primary,2025]"),
        (Some(-2_000.0), None),
        "primary operating cost",
    );
    // Recycled operating cost: 4,000 higher and an imported-scrap tonne ties built primary.
    assert_interval(
        cost("output[tin,recycled,2025]"),
        (None, Some(5_000.0)),
        "recycled operating cost",
    );
    // Imported scrap: below 9,000 it beats domestic scrap; above 11,700 + 0.9 x 4,000 = 15,300
    // its tonne (1,000 + 15,300 / 0.9 = 18,000) ties built primary.
    assert_interval(
        cost("feed[tin,imported_scrap,2025]"),
        (Some(9_000.0), Some(15_300.0)),
        "imported scrap cost",
    );
    assert_interval(
        cost("feed[tin,domestic_scrap,2025]"),
        (None, Some(11_700.0)),
        "domestic scrap cost",
    );
}

#[test]
fn bound_ranges_match_hand_worked_intervals() {
    let result = ranging_result(&[]);
    let bounds = &result["ranging"]["bounds"];
    let bound = |name: &str| interval(bounds, "row", name);
    // Growth floor: 1.8 Mt needed; with less, new capacity shrinks to 0 at 1.6 Mt (g = 1.6/1.5 - 1);
    // with more, it grows to its 1.0 Mt limit at 2.6 Mt (g = 2.6/1.5 - 1).
    assert_interval(
        bound("output_growth_min[2025]"),
        (Some(1.6 / 1.5 - 1.0), Some(2.6 / 1.5 - 1.0)),
        "growth floor",
    );
    // Recycled floor 0.5 Mt is slack (recycled makes 0.6): any floor up to 0.6 keeps the basis.
    assert_interval(
        bound("recycled_output_min[2025]"),
        (None, Some(0.6)),
        "recycled floor",
    );
    // Primary capacity 1.0 Mt: up to 1.2 no building is needed; down to 0.2 the 1.0 Mt build
    // limit still covers the 1.2 Mt of primary output.
    assert_interval(
        bound("capacity[tin,primary,2025]"),
        (Some(0.2), Some(1.2)),
        "primary capacity",
    );
    // Recycled capacity 0.6 Mt: down to the 0.5 Mt floor; up until imported scrap has replaced
    // all 0.2 Mt of new primary capacity, 0.8 Mt.
    assert_interval(
        bound("capacity[tin,recycled,2025]"),
        (Some(0.5), Some(0.8)),
        "recycled capacity",
    );
    // Ore availability 0.5 Mt: more ore replaces concentrate until 0.8 x a = 1.2 Mt, a = 1.5.
    assert_interval(
        bound("feed_available[tin,domestic_ore,2025]"),
        (Some(0.0), Some(1.5)),
        "ore",
    );
    // Imported scrap is not at its limit: the limit may fall to the 0.15 / 0.9 Mt drawn.
    assert_interval(
        bound("feed_available[tin,imported_scrap,2025]"),
        (Some(0.15 / 0.9), None),
        "imported scrap availability",
    );
    // Every interval holds its own bound.
    for entry in bounds.as_array().expect("a list") {
        let value = entry["value"].as_f64().expect("a bound");
        let low = entry["low"].as_f64().unwrap_or(f64::NEG_INFINITY);
        let high = entry["high"].as_f64().unwrap_or(f64::INFINITY);
        assert!(
            low - TOLERANCE <= value && value <= high + TOLERANCE,
            "{entry} does not contain its bound"
        );
    }
}

#[test]
fn ranging_says_why_when_it_is_not_available() {
    let clarabel = ranging_result(&["--solver", "clarabel"]);
    assert_eq!(clarabel["ranging"]["available"], false);
    assert!(clarabel["ranging"]["reason"]
        .as_str()
        .is_some_and(|reason| reason.contains("interior-point")));
    let staged = ranging_result(&["--objective", "emissions"]);
    assert_eq!(staged["ranging"]["available"], false);
    assert!(staged["ranging"]["reason"]
        .as_str()
        .is_some_and(|reason| reason.contains("tie-break")));
    // Without --ranging there is no ranging section at all.
    let plain = common::solve_json(&common::data_file("hand-worked.toml"), "highs", "cost");
    assert!(plain.get("ranging").is_none());
}

#[test]
fn later_year_growth_targets_are_listed_with_the_reason() {
    let run = common::metalplan([
        "solve",
        "tests/data/legacy/china-2025-2026.toml",
        "--ranging",
        "--format",
        "json",
    ]);
    run.expect_code(0).expect_no_panic();
    let result: Json = serde_json::from_str(&run.stdout).expect("JSON");
    let bounds = result["ranging"]["bounds"].as_array().expect("bounds");
    let later = bounds
        .iter()
        .find(|entry| entry["row"] == "output_growth_min[2026]")
        .expect("the 2026 growth floor is listed");
    assert!(later["low"].is_null() && later["high"].is_null());
    assert!(later["note"]
        .as_str()
        .is_some_and(|note| note.contains("coefficient")));
}

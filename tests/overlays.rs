//! Scenario overlays (`--with`): a base plus an overlay solves to the same plan as the same
//! scenario merged by hand (tests/data/overlays/builds-and-caps-high-scrap.toml), metals are
//! matched by name and new ones appended, later overlays win, and every error names the overlay
//! file, the field and its line and column.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::{close, data_file, metalplan, Scenario};
use serde_json::Value as Json;

fn text(path: &Path) -> &str {
    path.to_str().expect("paths are UTF-8")
}

fn base() -> PathBuf {
    data_file("builds-and-caps.toml")
}

fn overlay(name: &str) -> PathBuf {
    data_file(&format!("overlays/{name}"))
}

fn solve_json(args: &[&str]) -> Json {
    let mut all = vec!["solve"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = metalplan(&all);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout).expect("the result is JSON")
}

/// (metal, route, year) -> (output, capacity, built), from the result's plan rows.
fn plan_rows(result: &Json) -> Vec<((String, String, i64), [f64; 3])> {
    result["plan"]
        .as_array()
        .expect("a plan list")
        .iter()
        .map(|row| {
            (
                (
                    row["metal"].as_str().expect("metal").to_string(),
                    row["route"].as_str().expect("route").to_string(),
                    row["year"].as_i64().expect("year"),
                ),
                [
                    row["output_mt"].as_f64().expect("output"),
                    row["capacity_mt"].as_f64().expect("capacity"),
                    row["built_mt"].as_f64().expect("built"),
                ],
            )
        })
        .collect()
}

fn feed_available(result: &Json, metal: &str, source: &str, year: i64) -> f64 {
    result["feed"]
        .as_array()
        .expect("a feed list")
        .iter()
        .find(|row| row["metal"] == metal && row["source"] == source && row["year"] == year)
        .and_then(|row| row["available_mt"].as_f64())
        .unwrap_or_else(|| panic!("no feed row {metal} {source} {year}"))
}

#[test]
fn base_plus_overlay_solves_like_the_file_merged_by_hand() {
    let hand_merged = overlay("builds-and-caps-high-scrap.toml");
    let high_scrap = overlay("high-scrap.toml");
    let merged = solve_json(&[text(&base()), "--with", text(&high_scrap)]);
    let by_hand = solve_json(&[text(&hand_merged)]);

    // Same plan, row by row and in the same order, and the same objective.
    let (merged_rows, hand_rows) = (plan_rows(&merged), plan_rows(&by_hand));
    assert_eq!(merged_rows.len(), hand_rows.len());
    for ((key, merged_values), (hand_key, hand_values)) in merged_rows.iter().zip(&hand_rows) {
        assert_eq!(key, hand_key);
        for (merged_value, hand_value) in merged_values.iter().zip(hand_values) {
            assert!(
                close(*merged_value, *hand_value),
                "{key:?}: {merged_values:?} with the overlay, {hand_values:?} by hand"
            );
        }
    }
    let objective = |result: &Json| result["objective"].as_f64().expect("objective");
    assert!(close(objective(&merged), objective(&by_hand)));
    // The merged scenario is the hand-merged one, so its canonical hash is the same too.
    assert_eq!(
        merged["provenance"]["scenario_sha256"],
        by_hand["provenance"]["scenario_sha256"]
    );
    assert_eq!(merged["scenario"], "builds and caps, high scrap");
    assert_eq!(
        merged["overlays"],
        serde_json::json!(["tests/data/overlays/high-scrap.toml"])
    );
    // The plan meets every constraint of the hand-merged scenario (independent checker).
    let violations = common::check_plan(&Scenario::load(&hand_merged), &merged);
    assert!(violations.is_empty(), "{violations:#?}");

    // Metals by name: the overlay lists aluminium before copper, the result keeps the base's
    // order and appends zinc, the one new name.
    let mut metals: Vec<&str> = merged_rows
        .iter()
        .map(|((metal, _, _), _)| metal.as_str())
        .collect();
    metals.dedup();
    assert_eq!(metals, ["copper", "aluminium", "lithium", "zinc"]);
    // Fields the overlay sets took effect, fields it leaves kept the base's values.
    assert!(close(
        feed_available(&merged, "copper", "domestic_scrap", 2025),
        2.6
    ));
    assert!(close(
        feed_available(&merged, "copper", "domestic_scrap", 2027),
        3.4
    ));
    assert!(close(
        feed_available(&merged, "copper", "imported_scrap", 2025),
        1.0
    ));
    assert!(close(
        feed_available(&merged, "aluminium", "domestic_scrap", 2025),
        5.0
    ));
    // The recycled floor replaced the base's per-year schedule (2026-2027) with 5 Mt in every
    // year: 2025 now has a row.
    let floors: Vec<(i64, f64)> = merged["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|row| row["name"] == "recycled_output_min")
        .map(|row| {
            (
                row["year"].as_i64().expect("year"),
                row["bound"].as_f64().expect("bound"),
            )
        })
        .collect();
    assert_eq!(floors, [(2025, 5.0), (2026, 5.0), (2027, 5.0)]);
}

#[test]
fn later_overlays_win_and_all_are_listed_in_order() {
    let high_scrap = overlay("high-scrap.toml");
    let cheaper = overlay("cheaper-capital.toml");
    let result = solve_json(&[
        text(&base()),
        "--with",
        text(&high_scrap),
        "--with",
        text(&cheaper),
    ]);
    assert_eq!(
        result["overlays"],
        serde_json::json!([
            "tests/data/overlays/high-scrap.toml",
            "tests/data/overlays/cheaper-capital.toml"
        ])
    );
    // Copper's recycled capacity in 2025 is the scenario's capacity plus what is built that
    // year: 3.0 from the second overlay, not 2.8 from the first.
    let (_, [_, capacity, built]) = plan_rows(&result)
        .into_iter()
        .find(|((metal, route, year), _)| metal == "copper" && route == "recycled" && *year == 2025)
        .expect("a copper recycled 2025 row");
    assert!(close(capacity - built, 3.0), "{capacity} - {built}");
    // The discount rate of 0.05: the objective is the discounted sum of the yearly costs.
    let discounted: f64 = result["totals"]
        .as_array()
        .expect("totals")
        .iter()
        .map(|row| {
            let year = row["year"].as_i64().expect("year");
            row["cost_cny"].as_f64().expect("cost") / 1.05_f64.powi((year - 2024) as i32)
        })
        .sum();
    assert!(close(
        result["objective"].as_f64().expect("objective"),
        discounted
    ));
    // Each overlay is in the provenance with its own file hash.
    let overlays = result["provenance"]["overlays"]
        .as_array()
        .expect("overlays");
    assert_eq!(overlays.len(), 2);
    assert_eq!(
        overlays[1]["path"],
        "tests/data/overlays/cheaper-capital.toml"
    );
}

#[test]
fn a_json_overlay_merges_into_a_json_base_like_toml_into_toml() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    // The base as JSON, converted with the `toml` crate, not by metalplan.
    let base_toml: toml::Value =
        toml::from_str(&std::fs::read_to_string(base()).expect("the base scenario"))
            .expect("the base is TOML");
    let base_json = directory.path().join("base.json");
    std::fs::write(
        &base_json,
        serde_json::to_string_pretty(&base_toml).expect("TOML converts to JSON"),
    )
    .expect("the folder is writable");
    // cheaper-capital.toml, written as JSON.
    let overlay_json = directory.path().join("cheaper.json");
    std::fs::write(
        &overlay_json,
        r#"{"discount_rate": 0.05, "metals": [{"name": "copper", "recycled": {"capacity_mt": 3.0}}]}"#,
    )
    .expect("the folder is writable");
    let from_json = solve_json(&[text(&base_json), "--with", text(&overlay_json)]);
    let from_toml = solve_json(&[
        text(&base()),
        "--with",
        text(&overlay("cheaper-capital.toml")),
    ]);
    assert_eq!(
        from_json["provenance"]["scenario_sha256"],
        from_toml["provenance"]["scenario_sha256"]
    );
    assert!(close(
        from_json["objective"].as_f64().expect("objective"),
        from_toml["objective"].as_f64().expect("objective")
    ));

    // A JSON overlay on a TOML base is refused, naming the overlay.
    let run = metalplan(["check", text(&base()), "--with", text(&overlay_json)]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains(&format!(
            "{}: this overlay is JSON but the base scenario is TOML",
            overlay_json.display()
        )),
        "{}",
        run.stderr
    );
}

/// Writes `contents` as `name` in a temporary folder and runs `check BASE --with` it; returns
/// the overlay's path and stderr, after asserting exit code 1.
fn check_overlay(directory: &Path, name: &str, contents: &str) -> (String, String) {
    let file = directory.join(name);
    std::fs::write(&file, contents).expect("the folder is writable");
    let run = metalplan(["check", text(&base()), "--with", text(&file)]);
    run.expect_code(1).expect_no_panic();
    (text(&file).to_string(), run.stderr)
}

#[test]
fn overlay_errors_name_the_file_the_field_and_the_position() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let directory = directory.path();

    let (file, stderr) = check_overlay(
        directory,
        "nameless.toml",
        "discount_rate = 0.05\n\n[[metals]]\nrecycled = { capacity_mt = 3.0 }\n",
    );
    assert!(
        stderr.contains(&format!(
            "{file}:3:1: metals[0]: an overlay metal needs a `name`"
        )),
        "{stderr}"
    );

    let (file, stderr) = check_overlay(
        directory,
        "clash.toml",
        "[[metals]]\nname = \"copper\"\nrecycled = 3.0\n",
    );
    assert!(
        stderr.contains(&format!(
            "{file}:3:12: metals[0].recycled: type clash: the overlay has a number here but the \
             base scenario has a table"
        )),
        "{stderr}"
    );

    // Found by validation after merging: placed in the overlay, at the overlay's own path
    // (aluminium is its metals[0]), with the merged scenario's path beside it.
    let (file, stderr) = check_overlay(
        directory,
        "negative.toml",
        "# aluminium first\n[[metals]]\nname = \"aluminium\"\n\n[metals.recycled]\ncapacity_mt = -1.0\n",
    );
    assert!(
        stderr.contains(&format!(
            "{file}:6:15: metals[0].recycled.capacity_mt: must not be negative, got -1 (field \
             metals[1].recycled.capacity_mt of the merged scenario)"
        )),
        "{stderr}"
    );

    // A new metal that lacks a required field: the error points into the overlay.
    let (file, stderr) = check_overlay(
        directory,
        "tin.toml",
        "[[metals]]\nname = \"tin\"\n\n[metals.primary]\ncapacity_mt = 1.0\n",
    );
    assert!(
        stderr.contains(&format!("{file}:4:1: metals[0].primary: missing field")),
        "{stderr}"
    );
    assert!(
        stderr.contains("metals[3].primary of the merged scenario"),
        "{stderr}"
    );

    // A misspelt field is refused, not ignored.
    let (file, stderr) = check_overlay(directory, "typo.toml", "discount_rat = 0.05\n");
    assert!(
        stderr.contains(&format!(
            "{file}:1:16: discount_rat: unknown field `discount_rat`"
        )),
        "{stderr}"
    );

    // A problem of a field the base scenario sets is placed in the base file: the overlay adds
    // a year that the base's aluminium capacity schedule (line 66) does not cover.
    let (_, stderr) = check_overlay(
        directory,
        "years.toml",
        "# adds 2028\nyears = [2025, 2026, 2027, 2028]\n",
    );
    assert!(
        stderr.contains(&format!(
            "{}:66:15: metals[1].primary.capacity_mt: no value for 2028",
            base().display()
        )),
        "{stderr}"
    );

    // A missing overlay file.
    let missing = directory.join("missing.toml");
    let run = metalplan(["check", text(&base()), "--with", text(&missing)]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains(&format!("{}: cannot read it", missing.display())),
        "{}",
        run.stderr
    );
}

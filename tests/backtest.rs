//! `metalplan backtest` and `metalplan calibrate` (docs/backtest.md) on the small scenarios of
//! `tests/data/backtest/`, against differences, errors and calibration factors worked out by
//! hand; and the China scenario's calibration, checked by solving the base-year problem again.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::common::{metalplan, repo_root};
use crate::market::{assert_close, number};

fn data(name: &str) -> PathBuf {
    repo_root().join("tests/data/backtest").join(name)
}

fn backtest_json(extra: &[&str]) -> Json {
    let scenario = data("two-metals.toml");
    let actuals = data("actuals.csv");
    let mut args = vec![
        "backtest",
        scenario.to_str().expect("UTF-8 path"),
        "--actuals",
        actuals.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ];
    args.extend(extra);
    let run = metalplan(&args);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout).expect("the backtest is JSON")
}

/// The row for `quantity` (and `metal`, `detail`) in `year`.
fn row<'j>(
    backtest: &'j Json,
    year: i64,
    quantity: &str,
    metal: Option<&str>,
    detail: Option<&str>,
) -> &'j Json {
    backtest["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|row| {
            row["year"].as_i64() == Some(year)
                && row["quantity"] == quantity
                && row["metal"].as_str() == metal
                && row["detail"].as_str() == detail
        })
        .unwrap_or_else(|| panic!("no row {year} {quantity} {metal:?} {detail:?}"))
}

fn error<'j>(backtest: &'j Json, forecast: &str, group: &str) -> &'j Json {
    backtest["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|error| error["forecast"] == forecast && error["group"] == group)
        .unwrap_or_else(|| panic!("no {forecast} error over {group}"))
}

fn percent(forecast: f64, reported: f64) -> f64 {
    100.0 * (forecast - reported) / reported
}

#[test]
fn backtest_lines_the_plan_up_against_hand_worked_differences() {
    let backtest = backtest_json(&[]);
    // The plan (worked out in two-metals.toml): output total 3.5 Mt and recycled zinc 0.5 Mt
    // every year, no tin imports. History: output total 3.0 (2023), 3.2 (2024); recycled zinc
    // 0.4 both years; tin imports 0.1, 0.2.
    let total_2025 = row(&backtest, 2025, "output_total", None, None);
    assert_close("planned", number(total_2025, "planned"), 3.5);
    assert_close("difference", number(total_2025, "difference"), 0.1);
    assert_close(
        "percent",
        number(total_2025, "difference_percent"),
        percent(3.5, 3.4),
    );
    assert_close("persistence", number(total_2025, "persistence"), 3.2);
    // Trend: 3.2 grown by 3.2 / 3.0 once for 2025, twice for 2026.
    let trend_2025 = 3.2 * 3.2 / 3.0;
    let trend_2026 = 3.2 * (3.2_f64 / 3.0).powi(2);
    assert_close("trend", number(total_2025, "trend"), trend_2025);
    let total_2026 = row(&backtest, 2026, "output_total", None, None);
    assert_close(
        "percent 2026",
        number(total_2026, "difference_percent"),
        percent(3.5, 3.6),
    );
    assert_close("trend 2026", number(total_2026, "trend"), trend_2026);
    let zinc = row(&backtest, 2025, "output", Some("zinc"), Some("recycled"));
    assert_close("zinc planned", number(zinc, "planned"), 0.5);
    assert_close("zinc trend", number(zinc, "trend"), 0.4);

    // Missing is missing: tin's 2025 output was not reported; zinc exports are not modelled.
    let tin = row(&backtest, 2025, "output", Some("tin"), None);
    assert!(tin["reported"].is_null(), "{tin}");
    assert_close("tin planned", number(tin, "planned"), 1.5);
    assert!(tin["difference_percent"].is_null(), "{tin}");
    let exports = row(&backtest, 2025, "export", Some("zinc"), Some("refined"));
    assert!(exports["planned"].is_null(), "{exports}");

    // MAPE over outputs: the two totals and recycled zinc.
    let outputs = [
        (3.5, 3.4, 3.2, trend_2025),
        (3.5, 3.6, 3.2, trend_2026),
        (0.5, 0.45, 0.4, 0.4),
    ];
    let mape = |pick: fn(&(f64, f64, f64, f64)) -> f64| {
        outputs
            .iter()
            .map(|o| percent(pick(o), o.1).abs())
            .sum::<f64>()
            / 3.0
    };
    let model = error(&backtest, "model", "outputs");
    assert_eq!(model["figures"], 3);
    assert_close("model MAPE", number(model, "mape_percent"), mape(|o| o.0));
    assert_close(
        "persistence MAPE",
        number(error(&backtest, "persistence", "outputs"), "mape_percent"),
        mape(|o| o.2),
    );
    assert_close(
        "trend MAPE",
        number(error(&backtest, "trend", "outputs"), "mape_percent"),
        mape(|o| o.3),
    );
    // Trade: tin imports, planned 0 against 0.1 (-100 %); persistence 0.2 (+100 %); trend
    // 0.2 x 2 = 0.4 (+300 %).
    assert_close(
        "trade model",
        number(
            error(&backtest, "model", "trade_and_consumption"),
            "mape_percent",
        ),
        100.0,
    );
    assert_close(
        "trade trend",
        number(
            error(&backtest, "trend", "trade_and_consumption"),
            "mape_percent",
        ),
        300.0,
    );
    let excluded: Vec<String> = backtest["excluded"]
        .as_array()
        .expect("excluded")
        .iter()
        .map(|row| format!("{} {}", row["quantity"], row["reason"]))
        .collect();
    assert_eq!(excluded.len(), 2, "{excluded:?}");
    assert_eq!(backtest["rows_after_horizon"], 1);
}

#[test]
fn backtest_csv_leaves_missing_cells_empty_and_draws_a_chart() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let chart = directory.path().join("backtest.svg");
    let scenario = data("two-metals.toml");
    let actuals = data("actuals.csv");
    let run = metalplan([
        "backtest".as_ref(),
        scenario.as_os_str(),
        "--actuals".as_ref(),
        actuals.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--chart".as_ref(),
        chart.as_os_str(),
    ]);
    run.expect_code(0).expect_no_panic();
    let tin = run
        .stdout
        .lines()
        .find(|line| line.starts_with("2025,output,tin,"))
        .expect("the tin row");
    // year,quantity,metal,detail,unit,scored,reported,planned,...: reported is empty, not 0.
    let cells: Vec<&str> = tin.split(',').collect();
    assert_eq!(cells[6], "", "{tin}");
    assert_eq!(cells[7], "1.5", "{tin}");
    let svg = std::fs::read_to_string(&chart).expect("the chart is written");
    assert!(
        svg.starts_with("<svg") && svg.contains("persistence"),
        "{svg}"
    );
}

#[test]
fn bad_actuals_are_refused_with_their_line_and_column() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let actuals = directory.path().join("actuals.csv");
    std::fs::write(
        &actuals,
        "year,quantity,metal,detail,value,unit,scored,publisher,published,source,note\n\
         2025,output,copper,,1.0,Mt,yes,,,,\n",
    )
    .expect("written");
    let scenario = data("two-metals.toml");
    let run = metalplan([
        "backtest".as_ref(),
        scenario.as_os_str(),
        "--actuals".as_ref(),
        actuals.as_os_str(),
    ]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains("actuals.csv:2, column `metal`: the scenario has no metal `copper`"),
        "{}",
        run.stderr
    );
}

fn calibrate(scenario: &Path, directory: &Path, code: i32) -> (Json, PathBuf, String) {
    let overlay = directory.join("calibration.toml");
    let base_year = directory.join("base-year.toml");
    let run = metalplan([
        "calibrate".as_ref(),
        scenario.as_os_str(),
        "-o".as_ref(),
        overlay.as_os_str(),
        "--base-year-scenario".as_ref(),
        base_year.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    run.expect_code(code).expect_no_panic();
    let calibration = serde_json::from_str(&run.stdout).expect("the calibration is JSON");
    let overlay_text = std::fs::read_to_string(&overlay).expect("the overlay is written");
    (calibration, base_year, overlay_text)
}

/// Each metal's output in the welfare plan of `scenario`.
fn welfare_outputs(scenario: &Path) -> Vec<(String, f64)> {
    let result = crate::market::solve(scenario, "welfare", &[]);
    let mut outputs: Vec<(String, f64)> = Vec::new();
    for row in result["plan"].as_array().expect("plan rows") {
        let metal = row["metal"].as_str().expect("metal").to_string();
        let output = number(row, "output_mt");
        match outputs.iter_mut().find(|(name, _)| *name == metal) {
            Some((_, total)) => *total += output,
            None => outputs.push((metal, output)),
        }
    }
    outputs
}

#[test]
fn calibration_scales_demand_as_worked_by_hand() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    // Exit 6: lead (capacity below its observed output) and zinc (no demand) cannot be.
    let (calibration, base_year, overlay) = calibrate(&data("calibrate.toml"), directory.path(), 6);
    let metal = |name: &str| {
        calibration["metals"]
            .as_array()
            .expect("metals")
            .iter()
            .find(|metal| metal["metal"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    let tin = metal("tin");
    assert_eq!(tin["status"], "calibrated");
    assert_close("tin uncalibrated", number(&tin, "uncalibrated_mt"), 8.0);
    assert_close("tin factor", number(&tin, "demand_factor"), 0.75);
    assert_eq!(metal("lead")["status"], "not_calibrated");
    assert_close("lead stays", number(&metal("lead"), "calibrated_mt"), 1.0);
    assert!(metal("zinc")["reason"]
        .as_str()
        .expect("reason")
        .contains("no demand"));
    // The overlay scales tin's blocks in every year: 4.0 -> 3.0 (2024), 4.4 -> 3.3 (2025).
    let parsed: toml::Value = toml::from_str(&overlay).expect("the overlay is TOML");
    let blocks = &parsed["metals"][0]["demand"]["blocks"];
    assert_close(
        "2024 block",
        blocks[0]["quantity_mt"]["2024"].as_float().expect("2024"),
        3.0,
    );
    assert_close(
        "2025 block",
        blocks[2]["quantity_mt"]["2025"].as_float().expect("2025"),
        3.3,
    );
    assert!(!overlay.contains("name = \"lead\""), "{overlay}");
    // Solved again, the calibrated base-year problem makes the observed 6 Mt of tin.
    let outputs = welfare_outputs(&base_year);
    assert_close("tin output", outputs[0].1, 6.0);
}

#[test]
fn the_china_scenario_calibrates_within_one_percent_of_its_base_year() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let scenario = repo_root().join("scenarios/china-2025-2026.toml");
    let (_, base_year, _) = calibrate(&scenario, directory.path(), 0);
    // Observed: each metal's routes' base_output_mt, read from the scenario here.
    let text = std::fs::read_to_string(&scenario).expect("the scenario");
    let parsed: toml::Value = toml::from_str(&text).expect("TOML");
    let outputs = welfare_outputs(&base_year);
    let metals = parsed["metals"].as_array().expect("metals");
    assert_eq!(metals.len(), outputs.len());
    for metal in metals {
        let name = metal["name"].as_str().expect("name");
        let observed: f64 = ["primary", "recycled"]
            .iter()
            .filter_map(|route| metal.get(route))
            .map(|route| route["base_output_mt"].as_float().expect("base_output_mt"))
            .sum();
        let (_, solved) = outputs
            .iter()
            .find(|(metal, _)| metal == name)
            .unwrap_or_else(|| panic!("{name} not in the plan"));
        let gap = (solved - observed).abs() / observed;
        assert!(
            gap <= 0.01,
            "{name}: solved {solved} against observed {observed}"
        );
    }
}

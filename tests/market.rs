//! Stages, trade, demand, prices and import dependence (docs/model.md, M23-M29) on the small
//! scenarios of `tests/data/market/`, each against the plan, cost and prices worked out by hand
//! in the file's comments; and the located errors of bad market input.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::common::{close, metalplan, objective_of, repo_root};

fn market_file(name: &str) -> PathBuf {
    repo_root().join("tests/data/market").join(name)
}

/// Solves `file` (with `extra` arguments) with HiGHS and `objective`, as JSON.
pub(crate) fn solve(file: &Path, objective: &str, extra: &[&str]) -> Json {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("solve"),
        file.as_os_str(),
        OsStr::new("--objective"),
        OsStr::new(objective),
        OsStr::new("--format"),
        OsStr::new("json"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    let run = metalplan(args);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout).expect("the result is JSON")
}

/// The row of `table` whose fields equal `keys`.
pub(crate) fn row<'j>(result: &'j Json, table: &str, keys: &[(&str, &str)]) -> &'j Json {
    result[table]
        .as_array()
        .unwrap_or_else(|| panic!("no `{table}` in the result"))
        .iter()
        .find(|row| {
            keys.iter().all(|(key, value)| {
                row[*key].as_str() == Some(value)
                    || row[*key]
                        .as_i64()
                        .is_some_and(|number| value.parse() == Ok(number))
            })
        })
        .unwrap_or_else(|| panic!("no `{table}` row with {keys:?}"))
}

pub(crate) fn number(row: &Json, field: &str) -> f64 {
    row[field]
        .as_f64()
        .unwrap_or_else(|| panic!("no number `{field}` in {row}"))
}

pub(crate) fn assert_close(what: &str, got: f64, expected: f64) {
    assert!(
        close(got, expected),
        "{what}: got {got}, expected {expected}"
    );
}

fn price(result: &Json, metal: &str, material: &str) -> f64 {
    number(
        row(
            result,
            "markets",
            &[("metal", metal), ("material", material), ("year", "2025")],
        ),
        "price_cny_per_t",
    )
}

#[test]
fn a_stage_chain_converts_and_prices_each_stage() {
    let result = solve(&market_file("stage-chain.toml"), "cost", &[]);
    assert_close("cost", objective_of(&result), 2.5e9);
    let stage = |name: &str| {
        number(
            row(&result, "stages", &[("stage", name), ("year", "2025")]),
            "output_mt",
        )
    };
    assert_close("alumina made", stage("alumina"), 2.0);
    assert_close("bauxite mined", stage("bauxite"), 5.0);
    let used = |stage: &str, user: &str| {
        number(
            row(&result, "stage_use", &[("stage", stage), ("user", user)]),
            "use_mt",
        )
    };
    assert_close("alumina used by smelting", used("alumina", "primary"), 2.0);
    assert_close("bauxite used by refining", used("bauxite", "alumina"), 5.0);
    assert_close(
        "bauxite price",
        price(&result, "aluminium", "bauxite"),
        100.0,
    );
    assert_close(
        "alumina price",
        price(&result, "aluminium", "alumina"),
        750.0,
    );
    assert_close(
        "refined price",
        price(&result, "aluminium", "refined"),
        2500.0,
    );
    let totals = &result["totals"][0];
    assert_close("value added", number(totals, "value_added_cny"), 4.85e9);
    assert_close("CO2", number(totals, "co2_t"), 12.0e6);
    // Stages are not metal yet: the output total is the smelter's tonne.
    assert_close("output total", number(totals, "output_total_mt"), 1.0);
}

#[test]
fn imports_replace_dearer_mining_and_count_in_import_dependence() {
    let result = solve(&market_file("trade.toml"), "cost", &[]);
    assert_close("cost", objective_of(&result), 2.44e9);
    let trade = row(
        &result,
        "trade",
        &[("material", "bauxite"), ("year", "2025")],
    );
    assert_close("bauxite imported", number(trade, "import_mt"), 3.0);
    assert!(trade["export_mt"].is_null(), "no exports: {trade}");
    assert_close(
        "bauxite mined",
        number(row(&result, "stages", &[("stage", "bauxite")]), "output_mt"),
        2.0,
    );
    assert_close(
        "bauxite price",
        price(&result, "aluminium", "bauxite"),
        100.0,
    );
    let dependence = row(&result, "import_dependence", &[("metal", "aluminium")]);
    assert_close("raw material", number(dependence, "raw_material"), 0.6);
    assert_close(
        "net imports over consumption",
        number(dependence, "net_imports_over_consumption"),
        0.6,
    );
    assert!(dependence["feed"].is_null(), "no feed: {dependence}");
}

#[test]
fn a_raw_material_cap_limits_imports_at_the_worked_cost() {
    let overlay = market_file("trade-capped.toml");
    let result = solve(
        &market_file("trade.toml"),
        "cost",
        &["--with", overlay.to_str().expect("a UTF-8 path")],
    );
    assert_close("cost", objective_of(&result), 2.45e9);
    let trade = row(&result, "trade", &[("material", "bauxite")]);
    assert_close("bauxite imported", number(trade, "import_mt"), 2.5);
    let target = row(
        &result,
        "targets",
        &[("definition", "raw_material"), ("metal", "aluminium")],
    );
    assert_close("cap value", number(target, "value"), 0.5);
    assert_eq!(target["binding"], true);
    // One more percentage point of allowed dependence lets 0.05 Mt more be imported, saving
    // 0.05 x (100 - 80) = 1 million CNY.
    assert_close("cap shadow price", number(target, "shadow_price"), -1.0e6);
}

#[test]
fn welfare_takes_the_blocks_supply_pays_for_and_prices_the_margin() {
    let result = solve(&market_file("demand-blocks.toml"), "welfare", &[]);
    assert_eq!(result["objective_kind"], "welfare");
    assert_close("welfare", objective_of(&result), 12.5e9);
    let demand = row(&result, "demand", &[("metal", "tin"), ("year", "2025")]);
    assert_close("consumption", number(demand, "consumption_mt"), 1.5);
    let blocks: Vec<f64> = demand["blocks_mt"]
        .as_array()
        .expect("blocks")
        .iter()
        .map(|block| block.as_f64().expect("a number"))
        .collect();
    assert_eq!(blocks.len(), 3);
    for (got, expected) in blocks.iter().zip([1.0, 0.5, 0.0]) {
        assert_close("block taken", *got, expected);
    }
    let refined = price(&result, "tin", "refined");
    assert_close("refined price", refined, 12_000.0);
    assert!(
        (8_000.0..=20_000.0).contains(&refined),
        "the price lies within the block prices"
    );
    let capacity = row(&result, "plan", &[("route", "primary")]);
    assert_close(
        "capacity shadow price",
        number(capacity, "capacity_shadow_price_cny_per_t"),
        -3_000.0,
    );
}

#[test]
fn cost_meets_the_reference_demand_on_the_same_scenario() {
    let result = solve(&market_file("demand-blocks.toml"), "cost", &[]);
    assert_close("cost", objective_of(&result), 36.0e9);
    let demand = row(&result, "demand", &[("metal", "tin")]);
    assert_close("consumption", number(demand, "consumption_mt"), 3.0);
    let trade = row(&result, "trade", &[("material", "refined")]);
    assert_close("imports", number(trade, "import_mt"), 1.5);
    assert_close("refined price", price(&result, "tin", "refined"), 15_000.0);
}

#[test]
fn stocks_carry_metal_into_a_short_year() {
    let result = solve(&market_file("stocks.toml"), "cost", &[]);
    assert_close("cost", objective_of(&result), 18.02e9);
    let stock = |year: &str| {
        number(
            row(&result, "demand", &[("metal", "tin"), ("year", year)]),
            "stock_mt",
        )
    };
    assert_close("stock at the end of 2025", stock("2025"), 0.2);
    assert_close("stock at the end of 2026", stock("2026"), 0.0);
}

/// Writes `text` to a file in `dir` and runs `metalplan check` on it.
fn check(dir: &Path, text: &str) -> crate::common::Run {
    let file = dir.join("bad.toml");
    std::fs::write(&file, text).expect("write the scenario");
    metalplan([OsStr::new("check"), file.as_os_str()])
}

/// stage-chain.toml with `old` replaced by `new`.
fn variant(old: &str, new: &str) -> String {
    let text =
        std::fs::read_to_string(market_file("stage-chain.toml")).expect("read stage-chain.toml");
    assert!(text.contains(old), "`{old}` is not in stage-chain.toml");
    text.replacen(old, new, 1)
}

#[test]
fn bad_market_input_is_refused_with_its_place() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (text, said) in [
        (
            variant("input_t_per_t = { bauxite = 2.5 }", "input_t_per_t = { bauxite = 0.0 }"),
            "metals[0].stages[1].input_t_per_t.bauxite: must be above 0",
        ),
        (
            variant(
                "operating_cost_cny_per_t = 100\nvalue_added_cny_per_t = 50",
                "operating_cost_cny_per_t = 100\nvalue_added_cny_per_t = 50\ninput_t_per_t = { alumina = 1.0 }",
            ),
            "the stage chain has a cycle: bauxite -> alumina -> bauxite",
        ),
        (
            variant("input_t_per_t = { alumina = 2.0 }", "input_t_per_t = { aluminia = 2.0 }"),
            "`aluminia` is not a stage of metal `aluminium`",
        ),
        (
            variant(
                "consumption_mt = 1.0",
                "blocks = [{ quantity_mt = 1.0, price_cny_per_t = 10 }, { quantity_mt = 1.0, price_cny_per_t = 20 }]",
            ),
            "metals[0].demand.blocks[1].price_cny_per_t: is 20 CNY/t in 2025, above blocks[0]'s 10: demand blocks must not rise in price",
        ),
        (
            variant(
                "[metals.demand]",
                "[[metals.trade]]\nmaterial = \"alumina\"\nimport_max_mt = -1.0\nimport_price_cny_per_t = 700\n\n[metals.demand]",
            ),
            "metals[0].trade[0].import_max_mt: must not be negative, got -1",
        ),
        (
            variant(
                "[metals.demand]",
                "[[metals.trade]]\nmaterial = \"ingot\"\nexport_max_mt = 1.0\nexport_price_cny_per_t = 700\n\n[metals.demand]",
            ),
            "metals[0].trade[0].material: `ingot` is not a material of metal `aluminium`",
        ),
        (
            variant(
                "years = [2025]",
                "years = [2025]\n\n[[targets.import_dependence]]\nmetal = \"aluminium\"\ndefinition = \"feed\"\nmax = 0.5",
            ),
            "targets.import_dependence[0].definition: feed dependence cannot be computed for `aluminium`: its routes draw no feed",
        ),
    ] {
        assert_refused(dir.path(), &text, said);
    }
}

/// `metalplan check` refuses `text` (exit 1, no panic) and says `said`.
pub(crate) fn assert_refused(dir: &Path, text: &str, said: &str) {
    let run = check(dir, text);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains(said),
        "stderr does not say `{said}`:\n{}",
        run.stderr
    );
}

#[test]
fn an_unknown_definition_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = variant(
        "years = [2025]",
        "years = [2025]\n\n[[targets.import_dependence]]\nmetal = \"aluminium\"\ndefinition = \"usgs\"\nmax = 0.5",
    );
    let run = check(dir.path(), &text);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains("targets.import_dependence[0].definition")
            && run.stderr.contains("unknown variant `usgs`"),
        "{}",
        run.stderr
    );
}

/// Every price input of `metal` in the scenario TOML: trade prices and demand-block prices,
/// whatever their year (read here from the file, not from metalplan).
fn price_inputs(scenario: &toml::Value, metal: &str) -> Vec<f64> {
    fn numbers(value: &toml::Value, out: &mut Vec<f64>) {
        match value {
            toml::Value::Float(number) => out.push(*number),
            toml::Value::Integer(number) => out.push(*number as f64),
            toml::Value::Table(years) => years.values().for_each(|v| numbers(v, out)),
            _ => {}
        }
    }
    let metal = scenario["metals"]
        .as_array()
        .expect("metals")
        .iter()
        .find(|m| m["name"].as_str() == Some(metal))
        .expect("the metal is in the scenario");
    let mut prices = Vec::new();
    for trade in metal["trade"].as_array().expect("trade") {
        for key in ["import_price_cny_per_t", "export_price_cny_per_t"] {
            if let Some(value) = trade.get(key) {
                numbers(value, &mut prices);
            }
        }
    }
    for block in metal["demand"]["blocks"].as_array().expect("blocks") {
        numbers(&block["price_cny_per_t"], &mut prices);
    }
    prices
}

#[test]
fn china_in_welfare_mode_prices_every_market_within_its_own_price_inputs() {
    let file = crate::common::china_market_scenario();
    let scenario: toml::Value =
        toml::from_str(&std::fs::read_to_string(&file).expect("readable")).expect("TOML");
    let result = solve(&file, "welfare", &[]);
    assert_eq!(result["objective_kind"], "welfare");
    let markets = result["markets"].as_array().expect("markets");
    for metal in ["copper", "aluminium", "lithium"] {
        let inputs = price_inputs(&scenario, metal);
        let low = inputs.iter().copied().fold(f64::INFINITY, f64::min);
        let high = inputs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let rows: Vec<&Json> = markets.iter().filter(|r| r["metal"] == metal).collect();
        assert!(
            rows.len() >= 4,
            "{metal}: a refined and a raw market in each year"
        );
        for row in rows {
            let price = number(row, "price_cny_per_t");
            assert!(
                price >= low - 1e-6 && price <= high + 1e-6,
                "{metal} {} {}: price {price} outside the inputs [{low}, {high}]",
                row["material"],
                row["year"]
            );
        }
        // Consumption is production plus imports less exports of refined metal, per year
        // (M25 with no stock), from the plan's own rows.
        for year in [2025, 2026] {
            let year_text = year.to_string();
            let consumption = number(
                row(&result, "demand", &[("metal", metal), ("year", &year_text)]),
                "consumption_mt",
            );
            let produced: f64 = result["plan"]
                .as_array()
                .expect("plan")
                .iter()
                .filter(|r| r["metal"] == metal && r["year"] == year)
                .map(|r| number(r, "output_mt"))
                .sum();
            let refined = row(
                &result,
                "trade",
                &[
                    ("metal", metal),
                    ("material", "refined"),
                    ("year", &year_text),
                ],
            );
            let net = number(refined, "import_mt") - refined["export_mt"].as_f64().unwrap_or(0.0);
            assert_close(
                &format!("{metal} {year} consumption"),
                consumption,
                produced + net,
            );
        }
    }
    // The plan beats a floor the cost plan sits on: welfare lifts 2025 output past +1.5 %.
    let growth = result["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["name"] == "output_growth_min" && t["year"] == 2025)
        .expect("the 2025 output-growth target");
    assert!(number(growth, "value") > 0.015 + 1e-6, "{growth}");
}

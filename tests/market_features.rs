//! Downstream features on the market's variables and rows (docs/model.md M23-M29): scenario
//! constraints naming `stage_output`, `import`, `export` and `consumption`; sweeps and overlays
//! over trade, stage and demand fields; ranging, LP export and infeasibility explanations of
//! market rows; and a plugin (lithium) whose row names mined stages.
//!
//! Every number asserted is worked out by hand in the comments next to it, from the small
//! scenarios of `tests/data/market/` (whose own comments hold the base plans), or recomputed
//! from the result's own rows; none is an output of metalplan pasted in.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::common::{close, metalplan, metalplan_binary, objective_of, repo_root};

/// Internal money units per CNY: objectives are reported in CNY, hand sums below are in
/// million CNY (Mt x CNY/t).
const MILLION: f64 = 1e6;

fn market_file(name: &str) -> PathBuf {
    repo_root().join("tests/data/market").join(name)
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// The text of `tests/data/market/<base>` with each `(old, new)` replaced once (each `old` must
/// be there) and `rules` appended.
fn scenario_text(base: &str, edits: &[(&str, &str)], rules: &str) -> String {
    let mut text = std::fs::read_to_string(market_file(base)).expect("a readable scenario");
    for (old, new) in edits {
        assert!(text.contains(old), "`{old}` is not in {base}");
        text = text.replacen(old, new, 1);
    }
    format!("{text}\n{rules}")
}

/// Writes `text` to `dir/name`.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).expect("a writable temporary folder");
    file
}

/// `metalplan solve FILE --objective OBJECTIVE --format json EXTRA...`, expected to succeed.
fn solve(file: &Path, objective: &str, extra: &[&str]) -> Json {
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

/// The row of `table` whose fields equal `keys` (text fields, or whole numbers such as years).
fn row<'j>(result: &'j Json, table: &str, keys: &[(&str, &str)]) -> &'j Json {
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
        .unwrap_or_else(|| panic!("no `{table}` row with {keys:?} in {}", result[table]))
}

fn number(row: &Json, field: &str) -> f64 {
    row[field]
        .as_f64()
        .unwrap_or_else(|| panic!("no number `{field}` in {row}"))
}

fn assert_close(what: &str, got: f64, expected: f64) {
    assert!(
        close(got, expected),
        "{what}: got {got}, expected {expected}"
    );
}

/// The `constraints` row of rule `name` in 2025.
fn rule<'j>(result: &'j Json, name: &str) -> &'j Json {
    row(result, "constraints", &[("name", name), ("year", "2025")])
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

fn stage_output(result: &Json, stage: &str) -> f64 {
    number(
        row(result, "stages", &[("stage", stage), ("year", "2025")]),
        "output_mt",
    )
}

fn traded(result: &Json, material: &str, field: &str) -> f64 {
    number(
        row(result, "trade", &[("material", material), ("year", "2025")]),
        field,
    )
}

/// The rows an infeasibility explanation names (`  - NAME: ...` on stderr), sorted.
fn named_rows(stderr: &str) -> Vec<String> {
    let mut named: Vec<String> = stderr
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .filter_map(|line| line.split(": ").next())
        .map(str::to_string)
        .collect();
    named.sort();
    named
}

// ---------------------------------------------------------------------------------------------
// 1. Scenario constraints over market variables

/// trade.toml with three rules: bauxite imports at most 2 Mt (binds), every stage's output at
/// most 10 Mt and consumption at least 0.5 Mt (both slack).
const IMPORT_CAP_RULES: &str = r#"
[[constraints]]
name = "bauxite_import_cap"
terms = [{ variable = "import", metal = "aluminium", material = "bauxite" }]
sense = "<="
rhs = 2.0

[[constraints]]
name = "all_stages_cap"
terms = [{ variable = "stage_output", metal = "aluminium" }]
sense = "<="
rhs = 10.0

[[constraints]]
name = "consumption_floor"
terms = [{ variable = "consumption" }]
sense = ">="
rhs = 0.5
"#;

#[test]
fn an_import_cap_moves_bauxite_to_the_mine_at_the_worked_cost() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "import-cap.toml",
        &scenario_text("trade.toml", &[], IMPORT_CAP_RULES),
    );
    let result = solve(&file, "cost", &[]);
    // The independent checker reads the rules' market terms too.
    let scenario = crate::common::Scenario::load(&file);
    assert_eq!(
        crate::common::check_plan(&scenario, &result),
        Vec::<String>::new()
    );
    crate::common::assert_constraints_match(&scenario, &result, "import cap");
    // 5.0 Mt of bauxite is needed (trade.toml). Imports (80 CNY/t) are capped at 2.0 Mt by the
    // rule, below the trade's own 3.0 Mt, so the mine (100 CNY/t) makes 3.0 Mt:
    // 1,000 (smelting) + 1,000 (refining) + 3.0 x 100 + 2.0 x 80 = 2,460 million CNY.
    assert_close(
        "cost",
        objective_of(&result),
        (1_000.0 + 1_000.0 + 3.0 * 100.0 + 2.0 * 80.0) * MILLION,
    );
    assert_close(
        "bauxite imported",
        traded(&result, "bauxite", "import_mt"),
        2.0,
    );
    assert_close("bauxite mined", stage_output(&result, "bauxite"), 3.0);
    // The mine is below capacity: it sets the bauxite price, 100 CNY/t.
    assert_close(
        "bauxite price",
        price(&result, "aluminium", "bauxite"),
        100.0,
    );

    let cap = rule(&result, "bauxite_import_cap");
    assert_eq!(cap["row"], "user[bauxite_import_cap,2025]");
    assert_eq!(cap["sense"], "<=");
    assert_eq!(cap["unit"], "Mt");
    assert_eq!(cap["binding"], true, "{cap}");
    assert_close("cap value", number(cap, "value"), 2.0);
    assert_close("cap bound", number(cap, "bound"), 2.0);
    // One more tonne allowed in replaces a mined tonne: 80 - 100 = -20 CNY/t.
    assert_close("cap shadow price", number(cap, "shadow_price"), -20.0);
    assert_close(
        "cap row dual",
        number(cap, "row_shadow_price_cny_per_t"),
        -20.0,
    );
    assert_eq!(cap["shadow_price_unit"], "CNY per t");

    // No `stage`: every stage of aluminium, 3.0 Mt of bauxite + 2.0 Mt of alumina = 5.0 Mt.
    let stages = rule(&result, "all_stages_cap");
    assert_close("stage sum", number(stages, "value"), 5.0);
    assert_eq!(stages["binding"], false, "{stages}");
    assert_close("slack rule price", number(stages, "shadow_price"), 0.0);
    // No `metal`: every metal with a demand, aluminium's 1.0 Mt.
    let floor = rule(&result, "consumption_floor");
    assert_close("consumption", number(floor, "value"), 1.0);
    assert_eq!(floor["binding"], false, "{floor}");

    // The core's own checker recomputes the rule from the plan's trade rows: the plan passes,
    // and with 0.5 Mt more imported (and 0.5 Mt less mined, so the market still balances) the
    // rule, and only the rule, is broken.
    let plan = write(dir.path(), "plan.json", &result.to_string());
    let run = metalplan([OsStr::new("verify"), file.as_os_str(), plan.as_os_str()]);
    run.expect_code(0).expect_no_panic();
    let mut nudged = result.clone();
    for row in nudged["trade"].as_array_mut().expect("trade rows") {
        row["import_mt"] = Json::from(2.5);
    }
    for row in nudged["stages"].as_array_mut().expect("stage rows") {
        if row["stage"] == "bauxite" {
            row["output_mt"] = Json::from(2.5);
        }
    }
    let plan = write(dir.path(), "nudged.json", &nudged.to_string());
    let run = metalplan([OsStr::new("verify"), file.as_os_str(), plan.as_os_str()]);
    run.expect_code(4).expect_no_panic();
    assert!(
        run.stderr
            .contains("  user[bauxite_import_cap,2025] (constraints[0]): 2.5 <= 2 does not hold"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 violation"), "{}", run.stderr);
}

#[test]
fn a_share_of_mined_bauxite_is_priced_per_percentage_point() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = r#"
[[constraints]]
name = "mined_share"
terms = [{ variable = "stage_output", stage = "bauxite" }]
sense = ">="
share = 0.6
of = [{ variable = "stage_output", stage = "bauxite" }, { variable = "import", material = "bauxite" }]
"#;
    let file = write(
        dir.path(),
        "share.toml",
        &scenario_text("trade.toml", &[], rules),
    );
    for solver in ["highs", "clarabel"] {
        let result = solve(&file, "cost", &["--solver", solver]);
        assert_mined_share(&result);
    }
}

fn assert_mined_share(result: &Json) {
    // Mined bauxite g at least 60 % of g + imports, with g + imports = 5.0 Mt: g >= 3.0, so
    // imports 2.0: 2,000 + 3.0 x 100 + 2.0 x 80 = 2,460 million CNY.
    assert_close("cost", objective_of(result), 2_460.0 * MILLION);
    assert_close("bauxite mined", stage_output(result, "bauxite"), 3.0);
    assert_close(
        "bauxite imported",
        traded(result, "bauxite", "import_mt"),
        2.0,
    );
    let share = rule(result, "mined_share");
    assert_eq!(share["unit"], "fraction");
    assert_eq!(share["binding"], true, "{share}");
    assert_close("share value", number(share, "value"), 0.6);
    assert_close("share bound", number(share, "bound"), 0.6);
    assert_close("part", number(share, "part_mt"), 3.0);
    assert_close("whole", number(share, "whole_mt"), 5.0);
    // The row is g - 0.6 (g + im) >= r, i.e. 0.4 g - 0.6 (5 - g) = g - 3 >= r: g = 3 + r, and
    // the cost 2,000 + 100 g + 80 (5 - g) = 2,400 + 20 g rises 20 CNY per t of r.
    assert_close(
        "row dual",
        number(share, "row_shadow_price_cny_per_t"),
        20.0,
    );
    // Per percentage point of share: 20 CNY/t x 1 % of the 5.0 Mt whole = 1 million CNY
    // (the cost is 2,400 + 20 x 5 s million CNY, 100 million per unit of s).
    assert_close(
        "shadow price per point",
        number(share, "shadow_price"),
        20.0 * 5.0 * 0.01 * MILLION,
    );
    assert_eq!(share["shadow_price_unit"], "CNY per percentage point");
}

/// trade.toml with refined exports allowed (0.4 Mt at 2,800 CNY/t) and a rule that at least
/// 0.3 Mt be exported.
fn export_floor_text() -> String {
    scenario_text(
        "trade.toml",
        &[(
            "[metals.demand]",
            "[[metals.trade]]\nmaterial = \"refined\"\nexport_max_mt = 0.4\nexport_price_cny_per_t = 2800\n\n[metals.demand]",
        )],
        r#"
[[constraints]]
name = "export_floor"
terms = [{ variable = "export", metal = "aluminium", material = "refined" }]
sense = ">="
rhs = 0.3
"#,
    )
}

#[test]
fn an_export_floor_makes_the_chain_produce_for_export() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(dir.path(), "export.toml", &export_floor_text());

    // Cost: exports happen only as far as the rule forces them. 1.0 + 0.3 = 1.3 Mt refined,
    // 2.6 Mt alumina (capacity 3.0), 6.5 Mt bauxite: 3.0 imported, 3.5 mined.
    // 1.3 x 1,000 + 2.6 x 500 + 3.5 x 100 + 3.0 x 80 = 1,300 + 1,300 + 350 + 240 = 3,190.
    let cost = solve(&file, "cost", &[]);
    assert_close("cost", objective_of(&cost), 3_190.0 * MILLION);
    assert_close("exported", traded(&cost, "refined", "export_mt"), 0.3);
    assert_close("alumina", stage_output(&cost, "alumina"), 2.6);
    assert_close("bauxite mined", stage_output(&cost, "bauxite"), 3.5);
    let floor = rule(&cost, "export_floor");
    assert_eq!(floor["binding"], true, "{floor}");
    // One more tonne exported costs the marginal refined tonne:
    // 1,000 + 2.0 x (500 + 2.5 x 100) = 2,500 CNY/t, also the refined price.
    assert_close("floor shadow price", number(floor, "shadow_price"), 2_500.0);
    assert_close(
        "refined price",
        price(&cost, "aluminium", "refined"),
        2_500.0,
    );

    // Welfare: exports earn 2,800 > 2,500 CNY/t, so the full 0.4 Mt goes out and the rule is
    // slack. 1.4 Mt refined, 2.8 Mt alumina, 7.0 Mt bauxite (3.0 imported, 4.0 mined).
    // Welfare = 0.4 x 2,800 - (1,400 + 1,400 + 400 + 240) = 1,120 - 3,440 = -2,320 million CNY.
    let welfare = solve(&file, "welfare", &[]);
    assert_close("welfare", objective_of(&welfare), -2_320.0 * MILLION);
    assert_close("exported", traded(&welfare, "refined", "export_mt"), 0.4);
    let floor = rule(&welfare, "export_floor");
    assert_eq!(floor["binding"], false, "{floor}");
    assert_close("slack floor price", number(floor, "shadow_price"), 0.0);
}

#[test]
fn consumption_rules_ration_and_force_the_demand_blocks_under_welfare() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // demand-blocks.toml: domestic tin at 9,000 CNY/t up to 1.5 Mt, imports at 15,000; blocks
    // 1.0 Mt at 20,000, 1.0 at 12,000, 1.0 at 8,000. Unconstrained, welfare takes 1.5 Mt.
    let rules = |sense: &str, rhs: f64| {
        format!(
            "[[constraints]]\nname = \"tin_use\"\nterms = [{{ variable = \"consumption\", metal = \"tin\" }}]\nsense = \"{sense}\"\nrhs = {rhs:?}\n"
        )
    };

    // At most 1.2 Mt: block 1 and 0.2 Mt of block 2, all made at home.
    // Welfare = 20,000 + 0.2 x 12,000 - 1.2 x 9,000 = 11,600 million CNY.
    let capped = write(
        dir.path(),
        "capped.toml",
        &scenario_text("demand-blocks.toml", &[], &rules("<=", 1.2)),
    );
    let result = solve(&capped, "welfare", &[]);
    assert_close("welfare", objective_of(&result), 11_600.0 * MILLION);
    let demand = row(&result, "demand", &[("metal", "tin")]);
    assert_close("consumption", number(demand, "consumption_mt"), 1.2);
    let blocks: Vec<f64> = demand["blocks_mt"]
        .as_array()
        .expect("blocks")
        .iter()
        .map(|block| block.as_f64().expect("a number"))
        .collect();
    for (got, expected) in blocks.iter().zip([1.0, 0.2, 0.0]) {
        assert_close("block taken", *got, expected);
    }
    let cap = rule(&result, "tin_use");
    assert_eq!(cap["binding"], true, "{cap}");
    // One more tonne allowed: block 2's 12,000 less 9,000 to make it = 3,000 more welfare.
    assert_close("cap shadow price", number(cap, "shadow_price"), -3_000.0);
    // Output 1.2 < 1.5 Mt: the domestic route is the margin, 9,000 CNY/t.
    assert_close("refined price", price(&result, "tin", "refined"), 9_000.0);

    // At least 1.8 Mt: block 1 and 0.8 of block 2; 1.5 Mt made, 0.3 Mt imported.
    // Welfare = 20,000 + 0.8 x 12,000 - 1.5 x 9,000 - 0.3 x 15,000 = 11,600 million CNY.
    let forced = write(
        dir.path(),
        "forced.toml",
        &scenario_text("demand-blocks.toml", &[], &rules(">=", 1.8)),
    );
    let result = solve(&forced, "welfare", &[]);
    assert_close("welfare", objective_of(&result), 11_600.0 * MILLION);
    assert_close("imports", traded(&result, "refined", "import_mt"), 0.3);
    let floor = rule(&result, "tin_use");
    assert_eq!(floor["binding"], true, "{floor}");
    // One more tonne: worth 12,000 in block 2, imported at 15,000: 3,000 less welfare.
    assert_close("floor shadow price", number(floor, "shadow_price"), 3_000.0);
    assert_close("refined price", price(&result, "tin", "refined"), 15_000.0);
}

#[test]
fn market_keys_in_the_wrong_place_or_naming_nothing_are_refused_with_their_field() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (term, said) in [
        (
            r#"{ metal = "aluminium", route = "primary", stage = "bauxite" }"#,
            "constraints[0].terms[0].stage: constraint `r`: does not apply to output terms",
        ),
        (
            r#"{ variable = "stage_output", stage = "smelter" }"#,
            "constraints[0].terms[0].stage: constraint `r`: `smelter` is not a stage of the selected metals",
        ),
        (
            // A stage, but not traded.
            r#"{ variable = "import", material = "alumina" }"#,
            "constraints[0].terms[0].material: constraint `r`: `alumina` is not traded by the selected metals",
        ),
        (
            r#"{ variable = "import", material = ["bauxite", "ingot"] }"#,
            "constraints[0].terms[0].material[1]: constraint `r`: `ingot` is not traded by the selected metals",
        ),
        (
            // Bauxite is traded, but only imported.
            r#"{ variable = "export", material = "bauxite" }"#,
            "constraints[0].terms[0]: constraint `r`: selects no variable of the model in 2025 (no selected metal trades a selected material that way)",
        ),
        (
            r#"{ variable = "stage_output", route = "primary" }"#,
            "constraints[0].terms[0].route: constraint `r`: does not apply to stage_output terms",
        ),
        (
            r#"{ variable = "import", source = "imported_concentrate" }"#,
            "constraints[0].terms[0].source: constraint `r`: applies to feed and power terms only",
        ),
        (
            r#"{ variable = "consumption", stage = "alumina" }"#,
            "constraints[0].terms[0].stage: constraint `r`: does not apply to consumption terms",
        ),
        (
            r#"{ variable = "imports" }"#,
            "constraints[0].terms[0].variable: constraint `r`: `imports` is not a variable",
        ),
        (
            r#"{ variable = "stage_output", stage = ["bauxite", "bauxite"] }"#,
            "constraints[0].terms[0].stage[1]: constraint `r`: `bauxite` is listed twice",
        ),
    ] {
        let text = scenario_text(
            "trade.toml",
            &[],
            &format!("[[constraints]]\nname = \"r\"\nterms = [{term}]\nsense = \"<=\"\nrhs = 1.0\n"),
        );
        // The problem is placed on the `terms` line of the rule.
        let line = 1 + text
            .lines()
            .position(|line| line.starts_with("terms = "))
            .expect("the rule's terms line");
        let file = write(dir.path(), "bad.toml", &text);
        for command in ["check", "solve"] {
            let run = metalplan([OsStr::new(command), file.as_os_str()]);
            run.expect_code(1).expect_no_panic();
            assert!(
                run.stderr.contains(said),
                "{command} {term}: stderr does not say `{said}`:\n{}",
                run.stderr
            );
            assert!(
                run.stderr.contains(&format!("bad.toml:{line}:")),
                "{command} {term}: not placed on line {line}:\n{}",
                run.stderr
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Sweeps and overlays over market fields

/// Splits one CSV line into fields (quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut characters = line.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '"' if quoted && characters.peek() == Some(&'"') => {
                field.push('"');
                characters.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            other => field.push(other),
        }
    }
    fields.push(field);
    fields
}

/// `metalplan sweep FILE ARGS... --jobs 1`, expected to run: each row as column -> cell.
fn sweep(file: &Path, args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut all = vec!["sweep", utf8(file)];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--jobs", "1"]);
    let run = metalplan(all);
    run.expect_code(0).expect_no_panic();
    let mut lines = run.stdout.lines();
    let header = csv_fields(lines.next().expect("a header"));
    lines
        .map(|line| {
            let cells = csv_fields(line);
            assert_eq!(cells.len(), header.len(), "{line}");
            header.iter().cloned().zip(cells).collect()
        })
        .collect()
}

fn cell(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row.get(column)
        .unwrap_or_else(|| panic!("no column {column} in {row:?}"))
        .parse()
        .unwrap_or_else(|_| panic!("{column} is not a number in {row:?}"))
}

#[test]
fn sweeps_over_a_rule_bound_and_a_trade_price_follow_the_worked_cost() {
    const RHS: &str = "constraints[bauxite_import_cap].rhs";
    const PRICE: &str = "metals[aluminium].trade[bauxite].import_price_cny_per_t";
    const MAX: &str = "metals[aluminium].trade[bauxite].import_max_mt";
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "import-cap.toml",
        &scenario_text("trade.toml", &[], IMPORT_CAP_RULES),
    );
    let rows = sweep(
        &file,
        &[
            "--vary",
            &format!("{RHS}=0:4:1"),
            "--vary",
            &format!("{PRICE}=90:110:20"),
        ],
    );
    // Imports replace mined bauxite (100 CNY/t) only while their price p is below 100, up to
    // min(rule bound r, 3.0 Mt trade cap); otherwise all 5.0 Mt are mined:
    // cost = 2,000 + 5.0 x 100 - (100 - p) x min(r, 3) when p < 100, else 2,500 million CNY.
    let expected = |r: f64, p: f64| {
        let imported = if p < 100.0 { r.min(3.0) } else { 0.0 };
        (2_000.0 + 5.0 * 100.0 - (100.0 - p) * imported) * MILLION
    };
    assert_eq!(rows.len(), 5 * 2, "{rows:?}");
    for (point, row) in rows.iter().enumerate() {
        // Row-major, the first --vary slowest.
        let (r, p) = ((point / 2) as f64, [90.0, 110.0][point % 2]);
        assert_eq!(row["point"], point.to_string());
        assert_close("rule bound", cell(row, RHS), r);
        assert_close("import price", cell(row, PRICE), p);
        assert_eq!(row["status"], "optimal", "{row:?}");
        assert_close(
            &format!("objective at r = {r}, p = {p}"),
            cell(row, "objective"),
            expected(r, p),
        );
    }

    // The trade's own cap, without the rule: cost = 2,500 - 20 x min(q, 5.0) million CNY
    // (imports can replace at most the 5.0 Mt needed).
    let rows = sweep(
        &market_file("trade.toml"),
        &["--vary", &format!("{MAX}=0:6:2")],
    );
    assert_eq!(rows.len(), 4);
    for (row, q) in rows.iter().zip([0.0_f64, 2.0, 4.0, 6.0]) {
        assert_close("import cap", cell(row, MAX), q);
        assert_close(
            &format!("objective at q = {q}"),
            cell(row, "objective"),
            (2_500.0 - 20.0 * q.min(5.0)) * MILLION,
        );
    }

    // A trade entry is named by its material; one that is not traded is an input error.
    let run = metalplan([
        "sweep",
        utf8(&market_file("trade.toml")),
        "--vary",
        "metals[aluminium].trade[alumina].import_price_cny_per_t=60:120:20",
    ]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains("`metals[aluminium].trade` has no entry named `alumina` (names: bauxite)"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing is written: {}", run.stdout);
}

#[test]
fn a_sweep_of_a_stage_cost_prices_the_dependence_cap_it_meets() {
    // trade.toml with trade-capped.toml: raw-material dependence at most 0.5, so at most
    // 0.5 x 5.0 = 2.5 Mt of bauxite imported (at 80 CNY/t). The mine's cost m decides the rest:
    //   m = 60: mining is cheaper, all 5.0 Mt mined: 2,000 + 5.0 x 60 = 2,300; cap slack, price 0;
    //   m = 80: a tie, 2,000 + 5.0 x 80 = 2,400 (the split, and so the price, is not unique);
    //   m = 100: 2.5 imported, 2.5 mined: 2,000 + 250 + 200 = 2,450;
    //   m = 120: 2,000 + 2.5 x 120 + 2.5 x 80 = 2,500.
    // A percentage point more dependence lets 0.05 Mt more be imported, saving 0.05 x (m - 80):
    // -1 million CNY at m = 100, -2 million at m = 120.
    const COST: &str = "metals[aluminium].stages[bauxite].operating_cost_cny_per_t";
    const PRICE: &str = "shadow_price:import_dependence_max[aluminium,raw_material,2025]";
    let overlay = market_file("trade-capped.toml");
    let rows = sweep(
        &market_file("trade.toml"),
        &[
            "--with",
            utf8(&overlay),
            "--vary",
            &format!("{COST}=60:120:20"),
        ],
    );
    assert_eq!(rows.len(), 4);
    for (row, (m, cost, shadow)) in rows.iter().zip([
        (60.0, 2_300.0, Some(0.0)),
        (80.0, 2_400.0, None),
        (100.0, 2_450.0, Some(-1.0)),
        (120.0, 2_500.0, Some(-2.0)),
    ]) {
        assert_close("mine cost", cell(row, COST), m);
        assert_close(
            &format!("objective at m = {m}"),
            cell(row, "objective"),
            cost * MILLION,
        );
        if let Some(shadow) = shadow {
            assert_close(
                &format!("cap price at m = {m}"),
                cell(row, PRICE),
                shadow * MILLION,
            );
        }
    }
}

#[test]
fn a_sweep_of_a_demand_block_price_under_welfare_follows_the_worked_welfare() {
    // demand-blocks.toml, block 2's price p: block 1 (1.0 Mt at 20,000) is always taken; block
    // 2 takes the 0.5 Mt left at home (9,000 CNY/t) when p > 9,000 and the other 0.5 Mt from
    // imports (15,000) when p > 15,000; block 3 (8,000) never pays.
    //   p =  8,000: 20,000 - 1.0 x 9,000 = 11,000
    //   p = 12,000: 20,000 + 0.5 x 12,000 - 1.5 x 9,000 = 12,500
    //   p = 16,000: 20,000 + 16,000 - 13,500 - 0.5 x 15,000 = 15,000
    //   p = 20,000: 20,000 + 20,000 - 13,500 - 7,500 = 19,000
    //   p = 24,000: above block 1's 20,000, so the blocks would rise in price: invalid.
    const PRICE: &str = "metals[tin].demand.blocks[1].price_cny_per_t";
    let rows = sweep(
        &market_file("demand-blocks.toml"),
        &[
            "--objective",
            "welfare",
            "--vary",
            &format!("{PRICE}=8000:24000:4000"),
        ],
    );
    assert_eq!(rows.len(), 5);
    for (row, (p, welfare)) in rows.iter().zip([
        (8_000.0, 11_000.0),
        (12_000.0, 12_500.0),
        (16_000.0, 15_000.0),
        (20_000.0, 19_000.0),
    ]) {
        assert_close("block price", cell(row, PRICE), p);
        assert_eq!(row["status"], "optimal", "{row:?}");
        assert_close(
            &format!("welfare at p = {p}"),
            cell(row, "objective"),
            welfare * MILLION,
        );
    }
    let last = &rows[4];
    assert_eq!(last["status"], "invalid", "{last:?}");
    assert!(last["objective"].is_empty(), "{last:?}");
    assert!(
        last["message"]
            .contains("blocks[1].price_cny_per_t: is 24000 CNY/t in 2025, above blocks[0]'s 20000"),
        "{last:?}"
    );
}

#[test]
fn a_sweep_over_stock_fields_marks_too_small_a_stock_infeasible() {
    // stocks.toml: 2025 makes 1.2 Mt and consumes 1.0, so 0.2 Mt must be carried into 2026
    // (0.8 Mt capacity, 1.0 Mt demand). A stock cap below 0.2 Mt leaves no plan; otherwise
    // cost = 2.0 x 9,000 + 0.2 x h million CNY for a holding cost h.
    const MAX: &str = "metals[tin].demand.stock.max_mt";
    const HOLDING: &str = "metals[tin].demand.stock.holding_cost_cny_per_t";
    let rows = sweep(
        &market_file("stocks.toml"),
        &[
            "--vary",
            &format!("{MAX}=0:0.3:0.1"),
            "--vary",
            &format!("{HOLDING}=100:200:100"),
        ],
    );
    assert_eq!(rows.len(), 4 * 2);
    for row in &rows {
        let (max, holding) = (cell(row, MAX), cell(row, HOLDING));
        if max < 0.2 - 1e-9 {
            assert_eq!(row["status"], "infeasible", "{row:?}");
            assert!(row["objective"].is_empty(), "{row:?}");
        } else {
            assert_eq!(row["status"], "optimal", "{row:?}");
            assert_close(
                &format!("objective at max {max}, holding {holding}"),
                cell(row, "objective"),
                (2.0 * 9_000.0 + 0.2 * holding) * MILLION,
            );
        }
    }
}

#[test]
fn overlays_replace_the_trade_list_and_set_demand() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // The trade list of an overlay replaces the base's whole (docs/scenario.md, "Overlays"):
    // bauxite up to 4.0 Mt at 90 CNY/t (instead of 3.0 at 80), and refined exports up to 0.4 Mt
    // at 2,800 CNY/t.
    let trade = write(
        dir.path(),
        "more-trade.toml",
        r#"
[[metals]]
name = "aluminium"

[[metals.trade]]
material = "bauxite"
import_max_mt = 4.0
import_price_cny_per_t = 90

[[metals.trade]]
material = "refined"
export_max_mt = 0.4
export_price_cny_per_t = 2800
"#,
    );
    let base = market_file("trade.toml");
    // Cost: no exports; 5.0 Mt bauxite, 4.0 imported at 90 and 1.0 mined at 100:
    // 2,000 + 360 + 100 = 2,460 million CNY.
    let result = solve(&base, "cost", &["--with", utf8(&trade)]);
    assert_close("cost", objective_of(&result), 2_460.0 * MILLION);
    assert_close(
        "bauxite imported",
        traded(&result, "bauxite", "import_mt"),
        4.0,
    );
    assert_close("bauxite mined", stage_output(&result, "bauxite"), 1.0);
    assert_close("exported", traded(&result, "refined", "export_mt"), 0.0);
    assert_eq!(result["overlays"], serde_json::json!([utf8(&trade)]));
    // Welfare: a refined tonne costs 1,000 + 2.0 x (500 + 2.5 x 100) = 2,500 at the margin (the
    // mine; imports are at their 4.0 Mt), below 2,800: export all 0.4 Mt. 1.4 Mt refined,
    // 2.8 alumina, 7.0 bauxite (4.0 imported, 3.0 mined):
    // 0.4 x 2,800 - (1,400 + 1,400 + 360 + 300) = 1,120 - 3,460 = -2,340 million CNY.
    let result = solve(&base, "welfare", &["--with", utf8(&trade)]);
    assert_close("welfare", objective_of(&result), -2_340.0 * MILLION);
    assert_close("exported", traded(&result, "refined", "export_mt"), 0.4);
    assert_close("bauxite mined", stage_output(&result, "bauxite"), 3.0);

    // A table field of the metal is merged: demand 1.1 Mt on stage-chain.toml costs 1.1 times
    // its 2,500 CNY/t chain (below every capacity: 2.2 Mt alumina, 5.5 Mt bauxite).
    let demand = write(
        dir.path(),
        "demand.toml",
        "[[metals]]\nname = \"aluminium\"\ndemand.consumption_mt = 1.1\n",
    );
    let result = solve(
        &market_file("stage-chain.toml"),
        "cost",
        &["--with", utf8(&demand)],
    );
    assert_close("cost", objective_of(&result), 1.1 * 2_500.0 * MILLION);
    assert_close("alumina", stage_output(&result, "alumina"), 2.2);
    assert_close("bauxite", stage_output(&result, "bauxite"), 5.5);

    // A stage list in an overlay replaces the base's whole too, so a partial stage is refused
    // with the overlay's position, not silently merged into the base's stage.
    let stage = write(
        dir.path(),
        "stage.toml",
        "[[metals]]\nname = \"aluminium\"\n\n[[metals.stages]]\nname = \"alumina\"\noperating_cost_cny_per_t = 600\n",
    );
    let run = metalplan([
        "solve",
        utf8(&market_file("stage-chain.toml")),
        "--with",
        utf8(&stage),
    ]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains("stage.toml:4:1: metals[0].stages[0]: missing field"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Ranging, LP export and infeasibility

fn range<'j>(ranging: &'j Json, list: &str, key: &str, name: &str) -> &'j Json {
    ranging[list]
        .as_array()
        .unwrap_or_else(|| panic!("no ranging {list}"))
        .iter()
        .find(|entry| entry[key] == name)
        .unwrap_or_else(|| panic!("no {list} range for {name} in {}", ranging[list]))
}

/// `low` and `high` of a range (`None` for no limit).
fn limits(entry: &Json) -> (Option<f64>, Option<f64>) {
    (entry["low"].as_f64(), entry["high"].as_f64())
}

fn assert_limits(what: &str, entry: &Json, expected: (Option<f64>, Option<f64>)) {
    let (low, high) = limits(entry);
    for (side, got, want) in [("low", low, expected.0), ("high", high, expected.1)] {
        match (got, want) {
            (Some(got), Some(want)) => assert_close(&format!("{what} {side}"), got, want),
            (None, None) => {}
            _ => panic!("{what} {side}: got {got:?}, expected {want:?} ({entry})"),
        }
    }
}

#[test]
fn ranging_covers_stage_trade_demand_and_rule_rows() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "import-cap.toml",
        &scenario_text("trade.toml", &[], IMPORT_CAP_RULES),
    );
    let result = solve(&file, "cost", &["--ranging"]);
    let ranging = &result["ranging"];
    assert_eq!(ranging["available"], true, "{ranging}");
    // The plan: imports 2.0 Mt (the rule binds), 3.0 Mt mined, 2.0 Mt alumina, 1.0 Mt refined.

    // Costs. Imports stay at the rule's 2.0 Mt for any price below the mine's 100 CNY/t; the
    // mine keeps its 3.0 Mt at any cost above the import price of 80.
    let import = range(
        ranging,
        "costs",
        "variable",
        "import[aluminium,bauxite,2025]",
    );
    assert_eq!(
        import["field"],
        "metals[aluminium].trade[bauxite].import_price_cny_per_t"
    );
    assert_close("import price", number(import, "value"), 80.0);
    assert_limits("import price", import, (None, Some(100.0)));
    let mine = range(
        ranging,
        "costs",
        "variable",
        "stage_output[aluminium,bauxite,2025]",
    );
    assert_eq!(
        mine["field"],
        "metals[aluminium].stages[bauxite].operating_cost_cny_per_t"
    );
    assert_limits("mine cost", mine, (Some(80.0), None));

    // Bounds. A stage capacity not reached can fall to what is made (3.0 and 2.0 Mt).
    let bauxite = range(
        ranging,
        "bounds",
        "row",
        "stage_capacity[aluminium,bauxite,2025]",
    );
    assert_eq!(
        bauxite["field"],
        "metals[aluminium].stages[bauxite].capacity_mt"
    );
    assert_limits("bauxite capacity", bauxite, (Some(3.0), None));
    let alumina = range(
        ranging,
        "bounds",
        "row",
        "stage_capacity[aluminium,alumina,2025]",
    );
    assert_limits("alumina capacity", alumina, (Some(2.0), None));
    // Demand D: imports stay at 2.0, the mine makes 5 D - 2, from 0 (D = 0.4) up to its 6.0
    // (D = 1.6); alumina 2 D reaches its 3.0 first, at D = 1.5. Downwards the rule
    // `consumption_floor` (consumption >= 0.5) stops D first, at 0.5.
    let demand = range(ranging, "bounds", "row", "demand[aluminium,2025]");
    assert_eq!(demand["field"], "metals[aluminium].demand.consumption_mt");
    assert_limits("demand", demand, (Some(0.5), Some(1.5)));
    // The consumption floor itself is slack (1.0 Mt consumed): it can rise to 1.0.
    let floor = range(ranging, "bounds", "row", "user[consumption_floor,2025]");
    assert_limits("consumption floor", floor, (None, Some(1.0)));
    // The rule's bound r: imports = r between 0 and the trade's 3.0 Mt (the mine, 5 - r, stays
    // within 0 to 6.0 meanwhile).
    let cap = range(ranging, "bounds", "row", "user[bauxite_import_cap,2025]");
    assert_eq!(cap["field"], "constraints[bauxite_import_cap]");
    assert_eq!(cap["unit"], "rule unit");
    assert_limits("rule bound", cap, (Some(0.0), Some(3.0)));

    // Under welfare there are no cost ranges to give.
    let result = solve(
        &market_file("demand-blocks.toml"),
        "welfare",
        &["--ranging"],
    );
    assert_eq!(result["ranging"]["available"], false);
    assert!(
        result["ranging"]["reason"]
            .as_str()
            .is_some_and(|reason| reason.contains("welfare")),
        "{}",
        result["ranging"]
    );
}

/// An LP row: its terms (coefficient, column), sense and right-hand side.
type LpRow = (Vec<(f64, String)>, String, f64);

/// An LP file's rows, objective and bounds, read with no help from metalplan.
struct LpFile {
    maximise: bool,
    objective: Vec<(f64, String)>,
    /// name -> (terms, sense, rhs)
    rows: BTreeMap<String, LpRow>,
    /// (low, column, high)
    bounds: Vec<(f64, String, f64)>,
}

/// `+ 1 x - 0.4 y` -> [(1, x), (-0.4, y)].
fn lp_terms(tokens: &[&str]) -> Vec<(f64, String)> {
    assert_eq!(tokens.len() % 3, 0, "sign, coefficient, column: {tokens:?}");
    tokens
        .chunks(3)
        .map(|term| {
            let sign = match term[0] {
                "+" => 1.0,
                "-" => -1.0,
                other => panic!("not a sign: {other}"),
            };
            let coefficient: f64 = term[1].parse().expect("a coefficient");
            (sign * coefficient, term[2].to_string())
        })
        .collect()
}

fn read_lp(text: &str) -> LpFile {
    let mut lp = LpFile {
        maximise: false,
        objective: Vec::new(),
        rows: BTreeMap::new(),
        bounds: Vec::new(),
    };
    let mut section = "";
    for line in text.lines() {
        let trimmed = line.trim();
        match trimmed {
            "Minimize" | "Maximize" | "Subject To" | "Bounds" | "End" => {
                lp.maximise |= trimmed == "Maximize";
                section = trimmed;
                continue;
            }
            _ if trimmed.starts_with('\\') || trimmed.is_empty() => continue,
            _ => {}
        }
        let tokens: Vec<&str> = trimmed.split_whitespace().collect();
        match section {
            "Minimize" | "Maximize" => {
                assert_eq!(tokens[0], "objective:", "{line}");
                lp.objective = lp_terms(&tokens[1..]);
            }
            "Subject To" => {
                let name = tokens[0].strip_suffix(':').expect("a row name").to_string();
                let count = tokens.len();
                let rhs: f64 = tokens[count - 1].parse().expect("a right-hand side");
                let terms = lp_terms(&tokens[1..count - 2]);
                lp.rows
                    .insert(name, (terms, tokens[count - 2].to_string(), rhs));
            }
            "Bounds" => {
                assert!(
                    tokens.len() == 5 && tokens[1] == "<=" && tokens[3] == "<=",
                    "a bound `low <= column <= high`: {line}"
                );
                lp.bounds.push((
                    tokens[0].parse().expect("a lower bound"),
                    tokens[2].to_string(),
                    tokens[4].parse().expect("an upper bound"),
                ));
            }
            _ => panic!("a line outside the sections: {line}"),
        }
    }
    lp
}

/// Every column's value at the plan of `result`, under its LP name (`[]` written `()`).
fn columns_at_plan(result: &Json) -> BTreeMap<String, f64> {
    let mut values = BTreeMap::new();
    let rows = |table: &str| result[table].as_array().cloned().unwrap_or_default();
    let text = |row: &Json, key: &str| {
        row[key]
            .as_str()
            .map(str::to_string)
            .or_else(|| row[key].as_i64().map(|number| number.to_string()))
            .unwrap_or_else(|| panic!("no `{key}` in {row}"))
    };
    let mut put = |name: String, value: &Json| {
        if let Some(value) = value.as_f64() {
            values.insert(name, value);
        }
    };
    for row in rows("plan") {
        let keys = [text(&row, "metal"), text(&row, "route"), text(&row, "year")];
        put(format!("output({})", keys.join(",")), &row["output_mt"]);
    }
    for row in rows("feed") {
        let keys = [
            text(&row, "metal"),
            text(&row, "source"),
            text(&row, "year"),
        ];
        put(format!("feed({})", keys.join(",")), &row["feed_mt"]);
    }
    for row in rows("stages") {
        let keys = [text(&row, "metal"), text(&row, "stage"), text(&row, "year")];
        put(
            format!("stage_output({})", keys.join(",")),
            &row["output_mt"],
        );
    }
    for row in rows("stage_use") {
        let keys = [
            text(&row, "metal"),
            text(&row, "stage"),
            text(&row, "user"),
            text(&row, "year"),
        ];
        put(format!("stage_use({})", keys.join(",")), &row["use_mt"]);
    }
    for row in rows("trade") {
        let keys = [
            text(&row, "metal"),
            text(&row, "material"),
            text(&row, "year"),
        ];
        put(format!("import({})", keys.join(",")), &row["import_mt"]);
        put(format!("export({})", keys.join(",")), &row["export_mt"]);
    }
    for row in rows("demand") {
        let (metal, year) = (text(&row, "metal"), text(&row, "year"));
        put(
            format!("consumption({metal},{year})"),
            &row["consumption_mt"],
        );
        for (block, taken) in row["blocks_mt"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            put(format!("demand_block({metal},{block},{year})"), taken);
        }
    }
    values
}

/// Exports the LP of `file` solved with `objective`, and checks every row, bound and the
/// objective at the reported plan; returns the LP.
fn exported_lp_holds_at_the_plan(dir: &Path, file: &Path, objective: &str) -> LpFile {
    let lp_file = dir.join(format!("{objective}.lp"));
    let result = solve(file, objective, &["--export-lp", utf8(&lp_file)]);
    let lp = read_lp(&std::fs::read_to_string(&lp_file).expect("the LP file is written"));
    let values = columns_at_plan(&result);
    let value = |column: &str| {
        *values
            .get(column)
            .unwrap_or_else(|| panic!("the result has no value for LP column {column}"))
    };
    let activity = |terms: &[(f64, String)]| -> f64 {
        terms
            .iter()
            .map(|(coefficient, column)| coefficient * value(column))
            .sum()
    };
    for (name, (terms, sense, rhs)) in &lp.rows {
        let lhs = activity(terms);
        let slack = 1e-9 * (1.0 + rhs.abs());
        let holds = match sense.as_str() {
            "<=" => lhs <= rhs + slack,
            ">=" => lhs >= rhs - slack,
            "=" => (lhs - rhs).abs() <= slack,
            other => panic!("{name}: sense {other}"),
        };
        assert!(
            holds,
            "{name}: {lhs} {sense} {rhs} does not hold at the plan"
        );
    }
    for (low, column, high) in &lp.bounds {
        let at = value(column);
        assert!(
            *low - 1e-9 <= at && at <= *high + 1e-9,
            "{column}: {at} outside [{low}, {high}]"
        );
    }
    // The objective at the plan, in million CNY, is the reported one.
    assert_close(
        "LP objective at the plan",
        activity(&lp.objective) * MILLION,
        objective_of(&result),
    );
    lp
}

#[test]
fn the_lp_export_names_market_rows_and_holds_at_the_plan() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "import-cap.toml",
        &scenario_text("trade.toml", &[], IMPORT_CAP_RULES),
    );
    let lp = exported_lp_holds_at_the_plan(dir.path(), &file, "cost");
    assert!(!lp.maximise);
    let terms = |name: &str| -> Vec<(f64, String)> {
        lp.rows
            .get(name)
            .unwrap_or_else(|| panic!("no row {name} in {:?}", lp.rows.keys()))
            .0
            .clone()
    };
    let term = |coefficient: f64, column: &str| (coefficient, column.to_string());
    // M25: bauxite mined + imported - used by refining = 0.
    assert_eq!(
        terms("market(aluminium,bauxite,2025)"),
        [
            term(1.0, "stage_output(aluminium,bauxite,2025)"),
            term(1.0, "import(aluminium,bauxite,2025)"),
            term(-1.0, "stage_use(aluminium,bauxite,alumina,2025)"),
        ]
    );
    // M23: alumina made = bauxite used / 2.5 t per t.
    assert_eq!(
        terms("stage_input(aluminium,alumina,2025)"),
        [
            term(1.0, "stage_output(aluminium,alumina,2025)"),
            term(-1.0 / 2.5, "stage_use(aluminium,bauxite,alumina,2025)"),
        ]
    );
    // M26 and M27: refined output = consumption = 1.0 Mt.
    assert_eq!(
        terms("market(aluminium,refined,2025)"),
        [
            term(1.0, "output(aluminium,primary,2025)"),
            term(-1.0, "consumption(aluminium,2025)"),
        ]
    );
    assert_eq!(lp.rows["demand(aluminium,2025)"].1, "=");
    assert_close("demand", lp.rows["demand(aluminium,2025)"].2, 1.0);
    // M24 and M20 with their right-hand sides.
    for (row, sense, rhs) in [
        ("stage_capacity(aluminium,bauxite,2025)", "<=", 6.0),
        ("stage_capacity(aluminium,alumina,2025)", "<=", 3.0),
        ("market(aluminium,alumina,2025)", "=", 0.0),
        ("user(bauxite_import_cap,2025)", "<=", 2.0),
        ("user(all_stages_cap,2025)", "<=", 10.0),
        ("user(consumption_floor,2025)", ">=", 0.5),
    ] {
        let (_, found_sense, found_rhs) = &lp.rows[row];
        assert_eq!(found_sense, sense, "{row}");
        assert_close(row, *found_rhs, rhs);
    }
    assert_eq!(
        terms("user(all_stages_cap,2025)"),
        [
            term(1.0, "stage_output(aluminium,bauxite,2025)"),
            term(1.0, "stage_output(aluminium,alumina,2025)"),
        ]
    );
    // The trade bound is the import column's.
    assert!(
        lp.bounds.iter().any(
            |(low, column, high)| column == "import(aluminium,bauxite,2025)"
                && *low == 0.0
                && *high == 3.0
        ),
        "{:?}",
        lp.bounds
    );

    // Welfare, with demand blocks and a consumption floor of 1.8 Mt (worked out in
    // consumption_rules_ration_and_force_the_demand_blocks_under_welfare): maximised, each block
    // a bounded column summed by the demand row.
    let forced = write(
        dir.path(),
        "forced.toml",
        &scenario_text(
            "demand-blocks.toml",
            &[],
            "[[constraints]]\nname = \"tin_use\"\nterms = [{ variable = \"consumption\" }]\nsense = \">=\"\nrhs = 1.8\n",
        ),
    );
    let lp = exported_lp_holds_at_the_plan(dir.path(), &forced, "welfare");
    assert!(lp.maximise);
    let blocks: Vec<(f64, String)> = (0..3)
        .map(|block| (-1.0, format!("demand_block(tin,{block},2025)")))
        .collect();
    let mut expected = vec![(1.0, "consumption(tin,2025)".to_string())];
    expected.extend(blocks);
    assert_eq!(lp.rows["demand(tin,2025)"].0, expected);
    for (block, price) in [20_000.0, 12_000.0, 8_000.0].into_iter().enumerate() {
        let column = format!("demand_block(tin,{block},2025)");
        assert!(
            lp.objective.contains(&(price, column.clone())),
            "{column} at {price} in {:?}",
            lp.objective
        );
        assert!(lp.bounds.contains(&(0.0, column, 1.0)), "{:?}", lp.bounds);
    }
    assert_eq!(lp.rows["user(tin_use,2025)"].1, ">=");
}

#[test]
fn demand_beyond_what_the_chain_can_make_is_infeasible_and_explained() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // trade.toml can make at most min(2.0 smelting, 3.0 alumina / 2.0 = 1.5,
    // (6.0 mined + 3.0 imported) bauxite / 5.0 = 1.8) = 1.5 Mt of aluminium: 1.6 Mt of demand
    // fails on the alumina refinery.
    let file = write(
        dir.path(),
        "short.toml",
        &scenario_text(
            "trade.toml",
            &[("consumption_mt = 1.0", "consumption_mt = 1.6")],
            "",
        ),
    );
    for solver in ["highs", "clarabel"] {
        let run = metalplan(["solve", utf8(&file), "--solver", solver]);
        run.expect_code(2).expect_no_panic();
        assert!(run.stderr.contains("infeasible"), "{}", run.stderr);
        assert_eq!(
            named_rows(&run.stderr),
            [
                "demand[aluminium,2025]",
                "stage_capacity[aluminium,alumina,2025]"
            ],
            "{solver}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("[metals[aluminium].stages[alumina].capacity_mt]"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(
                "consumption exactly 1.6 Mt in 2025 [metals[aluminium].demand.consumption_mt]"
            ),
            "{}",
            run.stderr
        );
    }

    // Under cost, demand-blocks.toml consumes its reference demand, all three blocks, 3.0 Mt;
    // a rule allowing at most 2.0 Mt conflicts with it and with nothing else.
    let capped = write(
        dir.path(),
        "capped.toml",
        &scenario_text(
            "demand-blocks.toml",
            &[],
            "[[constraints]]\nname = \"tin_use_cap\"\ndescription = \"tin consumption at most 2 Mt\"\nterms = [{ variable = \"consumption\", metal = \"tin\" }]\nsense = \"<=\"\nrhs = 2.0\n",
        ),
    );
    let run = metalplan(["solve", utf8(&capped)]);
    run.expect_code(2).expect_no_panic();
    assert_eq!(
        named_rows(&run.stderr),
        ["demand[tin,2025]", "user[tin_use_cap,2025]"],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[constraints[tin_use_cap]]")
            && run.stderr.contains("[metals[tin].demand.blocks]"),
        "{}",
        run.stderr
    );
    // With soft targets the rule is missed by the 1.0 Mt the demand needs beyond it, and the
    // plan is the cost plan of demand-blocks.toml: 36,000 million CNY.
    let result = solve(&capped, "cost", &["--soft-targets"]);
    assert_close("cost", objective_of(&result), 36_000.0 * MILLION);
    let cap = rule(&result, "tin_use_cap");
    assert_close("shortfall", number(cap, "shortfall"), 1.0);
    assert_close("value", number(cap, "value"), 3.0);
    // Under welfare the same rule is slack: welfare takes 1.5 Mt, 12,500 million CNY.
    let result = solve(&capped, "welfare", &[]);
    assert_close("welfare", objective_of(&result), 12_500.0 * MILLION);
    assert_eq!(rule(&result, "tin_use_cap")["binding"], false);
}

#[test]
fn a_trade_or_stock_bound_that_causes_infeasibility_is_named() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // trade.toml uses exactly 5.0 Mt of bauxite for its fixed 1 Mt of aluminium; at least 6.0
    // Mt must be imported and bauxite cannot be exported. Without the floor the plan is
    // trade.toml's; without the fixed demand 6 Mt of bauxite make 1.2 Mt of aluminium within
    // every capacity. So the conflict is exactly {import floor, demand}.
    let file = write(
        dir.path(),
        "import-floor.toml",
        &scenario_text(
            "trade.toml",
            &[(
                "import_max_mt = 3.0",
                "import_max_mt = 7.0\nimport_min_mt = 6.0",
            )],
            "",
        ),
    );
    let run = metalplan(["solve", utf8(&file)]);
    run.expect_code(2).expect_no_panic();
    assert_eq!(
        conflict_lines(&run.stderr),
        [
            "import[aluminium,bauxite,2025] (min): aluminium bauxite imported at least 6 Mt in \
             2025 [metals[aluminium].trade[bauxite].import_min_mt]",
            "demand[aluminium,2025]: aluminium consumption exactly 1 Mt in 2025 \
             [metals[aluminium].demand.consumption_mt]",
        ]
    );
    // Under welfare, 10 Mt of refined tin must be imported but the three blocks take at most
    // 1 Mt each and tin cannot be exported: the floor and every block's quantity conflict (the
    // definitional rows alone: the elastic filter's second solve, with bounds as rows).
    let file = write(
        dir.path(),
        "refined-floor.toml",
        &scenario_text(
            "demand-blocks.toml",
            &[(
                "import_max_mt = 5.0",
                "import_max_mt = 15.0\nimport_min_mt = 10.0",
            )],
            "",
        ),
    );
    let run = metalplan(["solve", utf8(&file), "--objective", "welfare"]);
    run.expect_code(2).expect_no_panic();
    let lines = conflict_lines(&run.stderr);
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert!(lines[0].ends_with("[metals[tin].trade[refined].import_min_mt]"));
    for (line, block) in lines[1..].iter().zip(0..) {
        assert!(
            line.ends_with(&format!("[metals[tin].demand.blocks[{block}].quantity_mt]")),
            "{line}"
        );
    }
    // A stock bound: stocks.toml must carry 0.2 Mt into 2026 (1.0 Mt demand, 0.8 Mt capacity);
    // with at most 0.1 Mt of stock the cap, that capacity and that demand conflict.
    let file = write(
        dir.path(),
        "small-stock.toml",
        &scenario_text("stocks.toml", &[("max_mt = 1.0", "max_mt = 0.1")], ""),
    );
    let run = metalplan(["solve", utf8(&file)]);
    run.expect_code(2).expect_no_panic();
    let lines = conflict_lines(&run.stderr);
    let fields: Vec<&str> = lines
        .iter()
        .map(|line| {
            line.rsplit_once(" [")
                .expect("a field")
                .1
                .trim_end_matches(']')
        })
        .collect();
    assert_eq!(
        fields,
        [
            "metals[tin].demand.stock.max_mt",
            "metals[tin].primary.capacity_mt",
            "metals[tin].demand.consumption_mt",
        ]
    );
    assert!(lines[0].starts_with("stock[tin,2025] (max): tin stock at most 0.1 Mt"));
}

/// The conflict's lines on stderr, without their `  - ` bullets.
fn conflict_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("  - "))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 4. Plugins: the lithium plugin's China-sourced floor over mined stages

/// The bundled lithium plugin's library, next to the metalplan binary.
fn lithium_library() -> PathBuf {
    metalplan_binary()
        .parent()
        .expect("the binary's folder")
        .join(format!(
            "{}metalplan_plugin_lithium{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        ))
}

/// A lithium metal small enough to solve by hand, with the lithium plugin loaded by name and its
/// China-sourced floor set to 0.5 Mt (one anchor, held after it).
///
/// Without the floor: 0.1 Mt of scrap at 30,000 + 1,000 = 31,000 CNY/t is the cheapest tonne,
/// and 0.9 Mt of salt is made from imported spodumene (40,000 < 50,000 mined):
///   0.1 x 31,000 + 0.9 x 1,000 + 0.9 x 40,000 = 3,100 + 900 + 36,000 = 40,000 million CNY.
/// The floor wants domestic scrap feed (0.1) + mined spodumene >= 0.5: 0.4 Mt mined,
/// 0.5 imported: 3,100 + 900 + 0.4 x 50,000 + 0.5 x 40,000 = 44,000 million CNY. Its shadow
/// price: a tonne more of the floor is mined instead of imported, 50,000 - 40,000 = 10,000.
/// Recycled output 0.1 Mt is under the plugin's battery cap (about 0.111 Mt in 2025).
const LITHIUM: &str = r#"
name = "hand-worked: the lithium floor over a mined stage"
base_year = 2024
years = [2025]

[[metals]]
name = "lithium"

[metals.primary]
base_output_mt = 0.8
capacity_mt = 2.0
operating_cost_cny_per_t = 1000
value_added_cny_per_t = 5000
co2_t_per_t = 1.0
input_t_per_t = { spodumene = 1.0 }

[[metals.stages]]
name = "spodumene"
capacity_mt = 1.0
operating_cost_cny_per_t = 50000

[[metals.trade]]
material = "spodumene"
import_max_mt = 2.0
import_price_cny_per_t = 40000

[metals.recycled]
base_output_mt = 0.1
capacity_mt = 1.0
operating_cost_cny_per_t = 1000
value_added_cny_per_t = 5000
co2_t_per_t = 1.0
feed.domestic_scrap = { available_mt = 0.1, cost_cny_per_t = 30000, recovery = 1.0 }

[metals.demand]
consumption_mt = 1.0

[[plugins]]
name = "lithium"
params = { china_sourced_floor_mt = { 2024 = 0.5 } }
"#;

fn plugin_row<'j>(result: &'j Json, plugin: &str, name: &str) -> &'j Json {
    result["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .find(|entry| entry["name"] == plugin)
        .unwrap_or_else(|| panic!("no plugin {plugin}"))["constraints"]
        .as_array()
        .expect("plugin constraints")
        .iter()
        .find(|row| row["name"] == name)
        .unwrap_or_else(|| panic!("no plugin row {name}"))
}

#[test]
fn the_lithium_floor_counts_domestic_scrap_and_the_mined_stage() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(dir.path(), "lithium.toml", LITHIUM);
    let result = solve(&file, "cost", &[]);
    assert_close("cost", objective_of(&result), 44_000.0 * MILLION);
    assert_close("spodumene mined", stage_output(&result, "spodumene"), 0.4);
    assert_close(
        "spodumene imported",
        traded(&result, "spodumene", "import_mt"),
        0.5,
    );
    let floor = plugin_row(
        &result,
        "lithium",
        "plugin.lithium.china_sourced_floor[2025]",
    );
    assert_eq!(floor["sense"], ">=");
    assert_eq!(floor["binding"], true, "{floor}");
    assert_close("floor bound", number(floor, "bound"), 0.5);
    assert_close("floor value", number(floor, "value"), 0.1 + 0.4);
    assert_close(
        "floor shadow price",
        number(floor, "shadow_price"),
        10_000.0,
    );

    // `plugins inspect` shows the same row over the scrap feed and the mined stage.
    let run = metalplan([
        OsStr::new("plugins"),
        OsStr::new("inspect"),
        lithium_library().as_os_str(),
        OsStr::new("--scenario"),
        file.as_os_str(),
    ]);
    run.expect_code(0).expect_no_panic();
    let line = run
        .stdout
        .lines()
        .find(|line| {
            line.trim_start()
                .starts_with("plugin.lithium.china_sourced_floor[2025]:")
        })
        .unwrap_or_else(|| panic!("no floor row:\n{}", run.stdout));
    for part in [
        r#"+1 {"feed":{"metal":"lithium","source":"domestic_scrap","year":2025}}"#,
        r#"+1 {"stage_output":{"metal":"lithium","stage":"spodumene","year":2025}}"#,
        ">= 0.5",
    ] {
        assert!(line.contains(part), "`{part}` not in {line}");
    }
}

#[test]
fn china_lithium_floor_is_domestic_scrap_plus_the_mined_stages() {
    let file = crate::common::china_market_scenario();
    let scenario: toml::Value =
        toml::from_str(&std::fs::read_to_string(&file).expect("readable")).expect("TOML");
    // The mined stages, from the file: lithium's stages without `input_t_per_t`.
    let lithium = scenario["metals"]
        .as_array()
        .expect("metals")
        .iter()
        .find(|metal| metal["name"].as_str() == Some("lithium"))
        .expect("lithium in the China scenario");
    let mined: Vec<&str> = lithium["stages"]
        .as_array()
        .expect("lithium stages")
        .iter()
        .filter(|stage| stage.get("input_t_per_t").is_none())
        .map(|stage| stage["name"].as_str().expect("a stage name"))
        .collect();
    assert_eq!(mined, ["spodumene", "lepidolite", "brine"]);

    let result = solve(&file, "cost", &[]);
    for year in [2025_i64, 2026] {
        let year_text = year.to_string();
        let scrap = number(
            row(
                &result,
                "feed",
                &[
                    ("metal", "lithium"),
                    ("source", "domestic_scrap"),
                    ("year", &year_text),
                ],
            ),
            "feed_mt",
        );
        let stages: f64 = mined
            .iter()
            .map(|stage| {
                number(
                    row(
                        &result,
                        "stages",
                        &[("metal", "lithium"), ("stage", stage), ("year", &year_text)],
                    ),
                    "output_mt",
                )
            })
            .sum();
        let floor = plugin_row(
            &result,
            "lithium",
            &format!("plugin.lithium.china_sourced_floor[{year}]"),
        );
        assert_close(
            &format!("China-sourced lithium {year}"),
            number(floor, "value"),
            scrap + stages,
        );
        // The plugin's default floor: 0.42 Mt in 2024 to 0.77 Mt in 2027, linear
        // (plugins/lithium README): 0.42 + 0.35 x (year - 2024) / 3.
        let bound = 0.42 + 0.35 * (year - 2024) as f64 / 3.0;
        assert_close(&format!("floor {year}"), number(floor, "bound"), bound);
        assert!(
            scrap + stages >= bound - 1e-9,
            "{year}: {} below the floor {bound}",
            scrap + stages
        );
        let binding = floor["binding"].as_bool().expect("binding");
        assert_eq!(
            binding,
            (scrap + stages - bound).abs() <= 1e-6 * bound.max(1.0),
            "{year}: {floor}"
        );
    }
}

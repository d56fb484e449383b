//! Recycling as it is done and electricity as it is made (docs/model.md, M30-M36) on the small
//! scenarios of `tests/data/recycling/`, each against the plan, cost and prices worked out by
//! hand in the file's comments; and the located errors of bad input.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use metalplan_core::model::Model;
use metalplan_core::plugin_host::plugin_context;
use metalplan_core::scenario::load_scenario;
use metalplan_core::{plan, ObjectiveKind, PluginRules, SolveOptions, SolverKind};
use metalplan_plugin::PluginInfo;
use serde_json::Value as Json;

use crate::common::{feasible_scenarios, metalplan, objective_of, repo_root};
use crate::market::{assert_close, assert_refused, number, row, solve};

fn recycling_file(name: &str) -> PathBuf {
    repo_root().join("tests/data/recycling").join(name)
}

fn totals_2025(result: &Json) -> &Json {
    row(result, "totals", &[("year", "2025")])
}

#[test]
fn additions_lift_recycled_output_above_its_scrap_and_are_counted_once() {
    let result = solve(&recycling_file("additions.toml"), "cost", &[]);
    let output = |route| number(row(&result, "plan", &[("route", route)]), "output_mt");
    assert_close("primary output", output("primary"), 1.19);
    assert_close("recycled output", output("recycled"), 0.8);
    let scrap = row(&result, "feed", &[("source", "domestic_scrap")]);
    assert_close("scrap drawn", number(scrap, "feed_mt"), 0.8);
    let inputs = row(&result, "recycled_inputs", &[("metal", "aluminium")]);
    assert_close("scrap metal", number(inputs, "scrap_metal_mt"), 0.72);
    assert_close(
        "primary metal added",
        number(inputs, "primary_input_mt"),
        0.04,
    );
    assert_close("silicon added", number(inputs, "alloying_mt"), 0.04);
    // Output is the scrap metal over 1 - 0.1, the declared ratio.
    assert_close(
        "output over scrap metal",
        number(inputs, "output_mt") / number(inputs, "scrap_metal_mt"),
        1.0 / 0.9,
    );
    let totals = totals_2025(&result);
    // 1.19 + 0.8 - 0.04: the primary metal in recycled output counted once.
    assert_close("output total", number(totals, "output_total_mt"), 1.95);
    assert_close(
        "base-year output total",
        number(&result["base_year"], "output_total_mt"),
        1.95,
    );
    assert_close("recycled total", number(totals, "recycled_mt"), 0.8);
    assert_close("cost", objective_of(&result), 2230e6);
    assert_close("CO2 with silicon", number(totals, "co2_t"), 12.5e6);
    let floor = row(&result, "targets", &[("name", "recycled_output_min")]);
    assert_close("recycled floor price", number(floor, "shadow_price"), 350.0);
    let growth = row(&result, "targets", &[("name", "output_growth_min")]);
    assert_close("growth floor price", number(growth, "shadow_price"), 19.5e6);
}

/// The share of `product`'s output that metal recovered from `grade` makes up.
fn grade_share(result: &Json, grade: &str, product: usize, recovery: f64) -> f64 {
    let used = row(result, "grades", &[("grade", grade)])["by_product_mt"][product]
        .as_f64()
        .expect("a grade's use per product");
    let outputs = result["recycled_inputs"]
        .as_array()
        .expect("recycled inputs");
    recovery * used / number(&outputs[product], "output_mt")
}

#[test]
fn a_grade_quality_limit_binds() {
    let file = recycling_file("grades.toml");
    let result = solve(&file, "cost", &[]);
    assert_close("cost", objective_of(&result), 210e6);
    let used = |grade| number(row(&result, "grades", &[("grade", grade)]), "used_mt");
    assert_close("old cast scrap", used("old_cast"), 1.1);
    assert_close("imported mixed scrap", used("imported_mixed"), 0.5);
    assert_close("new wrought scrap", used("new_wrought"), 0.0);
    // Products in file order: cast, wrought. Wrought takes old cast scrap up to its limit.
    assert_close(
        "old cast in wrought",
        grade_share(&result, "old_cast", 1, 1.0),
        0.2,
    );
    assert_close(
        "old cast in cast",
        grade_share(&result, "old_cast", 0, 1.0),
        1.0,
    );
    let dependence = row(&result, "import_dependence", &[("metal", "aluminium")]);
    assert_close("feed dependence", number(dependence, "feed"), 0.3125);
    let clarabel = solve(&file, "cost", &["--solver", "clarabel"]);
    assert_close("Clarabel's cost", objective_of(&clarabel), 210e6);

    // Without the limit, all 1.5 Mt come from old cast scrap.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let unlimited = dir.path().join("unlimited.toml");
    let text = std::fs::read_to_string(&file).expect("read grades.toml");
    let limit = "max_grade_share = { old_cast = 0.2 }";
    assert!(text.contains(limit));
    std::fs::write(&unlimited, text.replace(limit, "")).expect("write the variant");
    assert_close(
        "cost without the limit",
        objective_of(&solve(&unlimited, "cost", &[])),
        150e6,
    );
}

#[test]
fn co2_follows_the_power_mix_the_plan_chooses() {
    let file = recycling_file("power.toml");
    let cheapest = solve(&file, "cost", &[]);
    assert_close("cost", objective_of(&cheapest), 9800e6);
    assert_close(
        "CO2 on coal",
        number(totals_2025(&cheapest), "co2_t"),
        26.4e6,
    );
    let coal = row(&cheapest, "power", &[("source", "coal")]);
    assert_close("coal", number(coal, "twh"), 26.0);
    let cleanest = solve(&file, "emissions", &[]);
    assert_close("least CO2", number(totals_2025(&cleanest), "co2_t"), 10.2e6);
    let solar = row(&cleanest, "power", &[("source", "solar")]);
    assert_close("solar, least CO2", number(solar, "twh"), 8.0);
}

#[test]
fn a_clean_share_floor_binds_with_its_shadow_price() {
    let floor = recycling_file("clean-floor.toml");
    let floor = floor.to_str().expect("a UTF-8 path");
    for solver in ["highs", "clarabel"] {
        let result = solve(
            &recycling_file("power.toml"),
            "cost",
            &["--with", floor, "--solver", solver],
        );
        assert_close(&format!("{solver}: cost"), objective_of(&result), 10600e6);
        let totals = totals_2025(&result);
        assert_close(&format!("{solver}: CO2"), number(totals, "co2_t"), 14.7e6);
        let target = row(&result, "targets", &[("name", "clean_electricity_min")]);
        assert_eq!(target["process"], "primary");
        assert_close(
            &format!("{solver}: clean share"),
            number(target, "value"),
            0.5,
        );
        if solver == "highs" {
            assert_eq!(target["binding"], true);
            assert_close("floor price", number(target, "shadow_price"), 26e6);
            let used = row(&result, "power_use", &[("process", "primary")]);
            assert_close("power price", number(used, "price_cny_per_mwh"), 350.0);
            let hydro = row(&result, "power_sources", &[("source", "hydro")]);
            assert_close(
                "hydro scarcity",
                number(hydro, "scarcity_cny_per_mwh"),
                50.0,
            );
        }
        for (source, twh) in [("coal", 13.0), ("hydro", 10.0), ("solar", 3.0)] {
            let used = row(&result, "power", &[("source", source)]);
            assert_close(&format!("{solver}: {source}"), number(used, "twh"), twh);
        }
    }
}

/// `file` (under tests/data/recycling) with `old` replaced by `new`.
fn variant(file: &str, old: &str, new: &str) -> String {
    let text = std::fs::read_to_string(recycling_file(file)).expect("read the scenario");
    assert!(text.contains(old), "`{old}` is not in {file}");
    text.replacen(old, new, 1)
}

#[test]
fn bad_recycling_and_electricity_input_is_refused_with_its_place() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (text, said) in [
        (
            variant("grades.toml", "{ old_cast = 0.2 }", "{ old_kast = 0.2 }"),
            "metals[0].recycled.products[1].max_grade_share.old_kast: `old_kast` is not a grade of this route",
        ),
        (
            variant("grades.toml", "{ old_cast = 0.2 }", "{ old_cast = 1.5 }"),
            "metals[0].recycled.products[1].max_grade_share.old_cast",
        ),
        (
            variant("additions.toml", "t_per_t = 0.05,", "t_per_t = 0.96,"),
            "primary metal and alloying elements add up to 1.01 t per t of output in 2025",
        ),
        (
            variant("power.toml", "electricity_mwh_per_t = 13.0", "electricity_mwh_per_t = -13.0"),
            "metals[0].primary.electricity_mwh_per_t: must not be negative, got -13",
        ),
        (
            variant(
                "power.toml",
                "[[electricity.sources]]\nname = \"coal\"",
                "[[electricity.sources]]\nname = \"hydro\"",
            ),
            "electricity.sources[1].name",
        ),
        (
            variant(
                "power.toml",
                "co2_t_per_mwh = 0.9",
                "co2_t_per_mwh = 0.9\n\n[[targets.clean_electricity]]\nmetal = \"aluminium\"\nprocess = \"recycled\"\nmin = 0.5",
            ),
            "targets.clean_electricity[0].process",
        ),
        (
            variant("additions.toml", "[metals.recycled]", "[metals.recycled]\nelectricity_mwh_per_t = 0.5"),
            "metals[0].recycled.electricity_mwh_per_t: uses electricity, but the scenario has no [[electricity.sources]]",
        ),
        (
            variant("additions.toml", "co2_t_per_t = 10.0", "co2_t_per_t = 10.0\nprimary_input_t_per_t = 0.1"),
            "metals[0].primary.primary_input_t_per_t: applies to the recycled route only",
        ),
    ] {
        assert_refused(dir.path(), &text, said);
    }
}

/// A solver takes each column at most once per row; HiGHS refuses a model that repeats one.
/// (The output-growth row of additions.toml once named the recycled output twice: as output,
/// and again for the primary metal drawn into it.)
#[test]
fn no_row_names_a_column_twice() {
    let mut files = feasible_scenarios();
    for directory in ["tests/data/recycling", "tests/data/market"] {
        for entry in std::fs::read_dir(repo_root().join(directory)).expect("list the data") {
            let path = entry.expect("an entry").path();
            let is_scenario = path.extension().is_some_and(|ext| ext == "toml")
                && path
                    .file_name()
                    .is_some_and(|name| name != "clean-floor.toml" && name != "trade-capped.toml");
            if is_scenario {
                files.push(path);
            }
        }
    }
    for file in files {
        let loaded = load_scenario(Path::new(&file))
            .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let model = Model::build(&loaded.scenario);
        for row in &model.rows {
            let mut columns: Vec<usize> = row.terms.iter().map(|&(column, _)| column).collect();
            columns.sort_unstable();
            let before = columns.len();
            columns.dedup();
            assert_eq!(
                columns.len(),
                before,
                "{}: row {} names a column twice",
                file.display(),
                row.name
            );
        }
    }
}

/// `file` (under tests/data/recycling) with `rules` appended, written into `dir`.
fn with_rules(dir: &Path, file: &str, rules: &str) -> PathBuf {
    let text = std::fs::read_to_string(recycling_file(file)).expect("read the scenario");
    let path = dir.join(file);
    std::fs::write(&path, format!("{text}\n{rules}")).expect("write the variant");
    path
}

/// Rules over grades, products and power, worked out from the files' own hand-worked plans.
#[test]
fn rules_can_name_grades_products_and_power() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // grades.toml with imported scrap at most 0.3 Mt and cast at least 1.2 Mt: cast 1.2 Mt of
    // old cast (120); wrought 0.1 old cast (10), 0.3 Mt imported (60, 0.24 of metal) and 0.16
    // new wrought (48): 238. A tonne more imported scrap replaces 0.8 t of new wrought:
    // 240 - 200 = 40 saved; a tonne more cast is a tonne of old cast, 100.
    let rules = r#"
[[constraints]]
name = "imported_scrap_cap"
terms = [{ variable = "grade_use", metal = "aluminium", grade = "imported_mixed" }]
sense = "<="
rhs = 0.3

[[constraints]]
name = "cast_floor"
terms = [{ variable = "product_output", product = "cast" }]
sense = ">="
rhs = 1.2
"#;
    let result = solve(&with_rules(dir.path(), "grades.toml", rules), "cost", &[]);
    assert_close("cost", objective_of(&result), 238e6);
    let cap = row(&result, "constraints", &[("name", "imported_scrap_cap")]);
    assert_close("cap value", number(cap, "value"), 0.3);
    assert_close("cap price", number(cap, "shadow_price"), -40.0);
    let floor = row(&result, "constraints", &[("name", "cast_floor")]);
    assert_close("cast floor price", number(floor, "shadow_price"), 100.0);
    let new_wrought = row(&result, "grades", &[("grade", "new_wrought")]);
    assert_close("new wrought scrap", number(new_wrought, "used_mt"), 0.16);

    // power.toml with at least 5 TWh of solar: 2,000 + 21 x 300 + 5 x 400 = 10,300; a TWh
    // more of solar costs 100 CNY per MWh more than coal.
    let rules = r#"
[[constraints]]
name = "solar_floor"
terms = [{ variable = "power", source = "solar", process = "primary" }]
sense = ">="
rhs = 5.0
"#;
    let result = solve(&with_rules(dir.path(), "power.toml", rules), "cost", &[]);
    assert_close("cost", objective_of(&result), 10300e6);
    let floor = row(&result, "constraints", &[("name", "solar_floor")]);
    assert_eq!(floor["unit"], "TWh");
    assert_eq!(floor["shadow_price_unit"], "CNY per MWh");
    assert_close("solar floor price", number(floor, "shadow_price"), 100.0);
}

#[test]
fn rule_keys_for_grades_products_and_power_are_checked() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rule = |term: &str| {
        format!("\n[[constraints]]\nname = \"r\"\nterms = [{term}]\nsense = \"<=\"\nrhs = 1.0\n")
    };
    let grades = std::fs::read_to_string(recycling_file("grades.toml")).expect("read");
    let power = std::fs::read_to_string(recycling_file("power.toml")).expect("read");
    for (text, said) in [
        (
            grades.clone() + &rule("{ variable = \"grade_use\", grade = \"old_kast\" }"),
            "constraints[0].terms[0].grade: constraint `r`: `old_kast` is not a scrap grade of the selected metals",
        ),
        (
            grades.clone() + &rule("{ variable = \"product_output\", grade = \"old_cast\" }"),
            "constraints[0].terms[0].grade: constraint `r`: does not apply to product_output terms",
        ),
        (
            grades + &rule("{ variable = \"product_output\", product = [\"cast\", \"cast\"] }"),
            "constraints[0].terms[0].product[1]: constraint `r`: `cast` is listed twice",
        ),
        (
            power.clone() + &rule("{ variable = \"power\", source = \"wind\" }"),
            "constraints[0].terms[0].source: constraint `r`: `wind` is not a power source of this scenario (its sources: coal, hydro, solar)",
        ),
        (
            power + &rule("{ variable = \"power\", process = \"recycled\" }"),
            "constraints[0].terms[0].process: constraint `r`: `recycled` is not a process that uses electricity of the selected metals",
        ),
    ] {
        assert_refused(dir.path(), &text, said);
    }
}

/// A plugin's rules over grades, products and power, given as the JSON a plugin replies with
/// (docs/plugins.md), solved through the core: the same optima as the `[[constraints]]` above.
#[test]
fn plugin_rules_can_name_grades_products_and_power() {
    let options = SolveOptions {
        solver: SolverKind::Highs,
        objective: ObjectiveKind::Cost,
        time_limit_seconds: None,
        ranging: false,
    };
    let rules = |json: &str| PluginRules {
        name: "probe".to_string(),
        version: "0".to_string(),
        path: PathBuf::from("probe.so"),
        sha256: String::new(),
        contribution: serde_json::from_str(json).expect("a contribution"),
    };
    let grades = load_scenario(&recycling_file("grades.toml")).expect("grades.toml");
    // Imported scrap into wrought at most 0.3 Mt: 100 + 10 + 60 + 0.16 x 300 = 218.
    let cap = rules(
        r#"{"constraints": [{"name": "cap", "terms": [{"var": {"grade_use": {"metal": "aluminium",
        "grade": "imported_mixed", "product": "wrought", "year": 2025}}, "coefficient": 1.0}],
        "sense": "<=", "rhs": 0.3}]}"#,
    );
    let result = plan(&grades.scenario, &[cap], options).expect("a plan");
    assert_close("cost with the grade cap", result.objective, 218e6);
    // Cast at least 1.2 Mt: 230.
    let floor = rules(
        r#"{"constraints": [{"name": "floor", "terms": [{"var": {"product_output": {"metal":
        "aluminium", "product": "cast", "year": 2025}}, "coefficient": 1.0}], "sense": ">=",
        "rhs": 1.2}]}"#,
    );
    let result = plan(&grades.scenario, &[floor], options).expect("a plan");
    assert_close("cost with the cast floor", result.objective, 230e6);

    let power = load_scenario(&recycling_file("power.toml")).expect("power.toml");
    let solar = rules(
        r#"{"constraints": [{"name": "solar", "terms": [{"var": {"power": {"source": "solar",
        "metal": "aluminium", "process": "primary", "year": 2025}}, "coefficient": 1.0}],
        "sense": ">=", "rhs": 5.0}]}"#,
    );
    let result = plan(&power.scenario, &[solar], options).expect("a plan");
    assert_close("cost with the solar floor", result.objective, 10300e6);

    let unknown = rules(
        r#"{"constraints": [{"name": "wind", "terms": [{"var": {"power": {"source": "wind",
        "metal": "aluminium", "process": "primary", "year": 2025}}, "coefficient": 1.0}],
        "sense": ">=", "rhs": 5.0}]}"#,
    );
    let error = plan(&power.scenario, &[unknown], options).expect_err("no wind source");
    assert!(
        error
            .to_string()
            .contains("the scenario has no power source `wind`"),
        "{error}"
    );
}

#[test]
fn plugins_see_grades_products_and_power() {
    let info = PluginInfo {
        name: "probe".to_string(),
        version: "0".to_string(),
        description: String::new(),
        parameters: Vec::new(),
    };
    let params = std::collections::BTreeMap::new();
    let grades = load_scenario(&recycling_file("grades.toml")).expect("grades.toml");
    let context = plugin_context(&grades.scenario, &info, &params).expect("a context");
    let metal = context.metal("aluminium").expect("aluminium");
    let names: Vec<&str> = metal.scrap_grades.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["imported_mixed", "new_wrought", "old_cast"]);
    assert!(metal.scrap_grades[0].imported);
    assert_eq!(metal.scrap_grades[0].recovery, 0.8);
    assert_eq!(metal.recycled_products, ["cast", "wrought"]);
    let power = load_scenario(&recycling_file("power.toml")).expect("power.toml");
    let context = plugin_context(&power.scenario, &info, &params).expect("a context");
    assert_eq!(context.metals[0].power_processes, ["primary"]);
    let sources: Vec<(&str, bool, f64)> = context
        .power_sources
        .iter()
        .map(|s| (s.name.as_str(), s.clean, s.available_twh[&2025]))
        .collect();
    assert_eq!(
        sources,
        [
            ("coal", false, 100.0),
            ("hydro", true, 10.0),
            ("solar", true, 8.0)
        ]
    );
}

/// A sweep over a grade-share limit and an overlay over a grade's availability, against
/// grades.toml's hand-worked plan: share s leaves wrought 0.5 s of old cast scrap (100 CNY/t)
/// and 0.5 (1 - s) of metal from imported scrap (250 per tonne of metal), so the cost is
/// 100 + 50 s + 125 (1 - s) million CNY: 210, 180, 150 at s = 0.2, 0.6, 1.0.
#[test]
fn sweeps_and_overlays_reach_grades() {
    let file = recycling_file("grades.toml");
    let run = metalplan([
        OsStr::new("sweep"),
        file.as_os_str(),
        OsStr::new("--vary"),
        OsStr::new("metals[aluminium].recycled.products[1].max_grade_share.old_cast=0.2:1.0:0.4"),
    ]);
    run.expect_code(0).expect_no_panic();
    let objectives: Vec<f64> = run
        .stdout
        .lines()
        .filter(|line| !line.starts_with('#') && !line.starts_with("point"))
        .map(|line| {
            line.split(',')
                .nth(3)
                .expect("an objective")
                .parse()
                .expect("a number")
        })
        .collect();
    assert_eq!(objectives.len(), 3, "{}", run.stdout);
    for (got, expected) in objectives.iter().zip([210e6, 180e6, 150e6]) {
        assert_close("swept cost", *got, expected);
    }
    // 1.05 Mt of old cast scrap: cast takes 1.0, wrought 0.05, and 0.45 Mt of metal comes from
    // imported scrap (0.5625 Mt at 200): 100 + 5 + 112.5 = 217.5.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let overlay = dir.path().join("scarce.toml");
    std::fs::write(
        &overlay,
        "[[metals]]\nname = \"aluminium\"\n[metals.recycled.grades.old_cast]\navailable_mt = 1.05\n",
    )
    .expect("write the overlay");
    let overlay = overlay.to_str().expect("a UTF-8 path");
    let result = solve(&file, "cost", &["--with", overlay]);
    assert_close(
        "cost with scarce old cast scrap",
        objective_of(&result),
        217.5e6,
    );
}

//! Plant-level facilities, end to end through the `metalplan` binary: a route split into plants
//! plans like the national route it replaces, plants run in merit order and expand when that is
//! cheaper, bad facilities CSVs are refused with the file, line and column, `--group-by` sums
//! the right plants, and `metalplan generate` writes reproducible, solvable scenarios.
//!
//! The scenarios are in `tests/data/facilities/`; each says in its comments how its expected
//! plan and cost were worked out by hand. Expectations here come from those comments, from the
//! scenario and CSV files read without metalplan-core, or from recomputing one part of a result
//! from another part, never from a run of the code under test.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::Run;
use serde_json::Value as Json;

/// Relative tolerance (absolute below 1) for what two solves, or a solve and a hand
/// computation, must agree on.
const TIGHT: f64 = 1e-7;

/// The header of a facilities CSV with all ten columns, the optional two last.
const FULL_HEADER: &str = "id,metal,route,province,capacity_mt,operating_cost_cny_per_t,\
                           first_year,last_year,max_build_mt_per_year,investment_cny_per_t";

// ---------------------------------------------------------------------------------------------
// Helpers

/// A file of `tests/data/facilities/`.
fn data(name: &str) -> PathBuf {
    common::data_file(&format!("facilities/{name}"))
}

fn text(path: &Path) -> &str {
    path.to_str().expect("paths are UTF-8")
}

/// Whether `a` and `b` agree within `tolerance` relative to the larger, and absolutely below 1.
fn near(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
}

fn assert_near(what: &str, found: f64, expected: f64) {
    assert!(
        near(found, expected, TIGHT),
        "{what}: got {found}, expected {expected}"
    );
}

/// `metalplan solve SCENARIO --format json EXTRA...`, which must succeed, parsed.
fn solve(scenario: &Path, extra: &[&str]) -> Json {
    let mut args = vec!["solve", text(scenario), "--format", "json"];
    args.extend_from_slice(extra);
    let run = common::metalplan(&args);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|error| panic!("{args:?}: stdout is not JSON ({error}):\n{}", run.stdout))
}

fn number(row: &Json, field: &str) -> f64 {
    row[field]
        .as_f64()
        .unwrap_or_else(|| panic!("`{field}` is not a number in {row}"))
}

fn string<'j>(row: &'j Json, field: &str) -> &'j str {
    row[field]
        .as_str()
        .unwrap_or_else(|| panic!("`{field}` is not a string in {row}"))
}

fn year(row: &Json) -> i64 {
    row["year"]
        .as_i64()
        .unwrap_or_else(|| panic!("`year` is not a whole number in {row}"))
}

fn array<'j>(result: &'j Json, field: &str) -> &'j [Json] {
    result[field]
        .as_array()
        .unwrap_or_else(|| panic!("the result has no `{field}` array"))
}

/// One plan row or facility row: output, capacity and build in one year.
#[derive(Debug, Clone, Copy)]
// The fields are named as in the result JSON, units included.
#[allow(clippy::struct_field_names)]
struct Amounts {
    output_mt: f64,
    capacity_mt: f64,
    built_mt: f64,
}

impl Amounts {
    fn of(row: &Json) -> Self {
        Amounts {
            output_mt: number(row, "output_mt"),
            capacity_mt: number(row, "capacity_mt"),
            built_mt: number(row, "built_mt"),
        }
    }
}

/// The result's `plan`, by (metal, route, year); each key once.
fn plan_rows(result: &Json) -> BTreeMap<(String, String, i64), Amounts> {
    let mut rows = BTreeMap::new();
    for row in array(result, "plan") {
        let key = (
            string(row, "metal").to_string(),
            string(row, "route").to_string(),
            year(row),
        );
        assert!(
            rows.insert(key.clone(), Amounts::of(row)).is_none(),
            "plan row {key:?} twice"
        );
    }
    rows
}

/// The result's `facilities`, by (id, year); each key once.
fn facility_rows(result: &Json) -> BTreeMap<(String, i64), &Json> {
    let mut rows = BTreeMap::new();
    for row in array(result, "facilities") {
        let key = (string(row, "id").to_string(), year(row));
        assert!(
            rows.insert(key.clone(), row).is_none(),
            "facility row {key:?} twice"
        );
    }
    rows
}

/// One row of a facilities CSV, read by this test (not by metalplan-core).
#[derive(Debug, Clone)]
struct Plant {
    id: String,
    metal: String,
    route: String,
    province: String,
    capacity_mt: f64,
    first_year: i64,
    last_year: i64,
    max_build_mt_per_year: f64,
}

/// Reads a facilities CSV written without quoted fields: `#` lines and blank lines skipped, the
/// first other line is the header, the optional columns default to 0.
fn read_plants(path: &Path) -> Vec<Plant> {
    let content = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let mut lines = content
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            assert_eq!(fields.len(), header.len(), "{}: `{line}`", path.display());
            let field = |name: &str| -> Option<&str> {
                header
                    .iter()
                    .position(|column| *column == name)
                    .map(|index| fields[index])
            };
            let required = |name: &str| field(name).unwrap_or_else(|| panic!("no `{name}`"));
            let float = |name: &str| -> f64 {
                required(name)
                    .parse()
                    .unwrap_or_else(|_| panic!("`{name}` in `{line}`"))
            };
            let whole = |name: &str| -> i64 {
                required(name)
                    .parse()
                    .unwrap_or_else(|_| panic!("`{name}` in `{line}`"))
            };
            Plant {
                id: required("id").to_string(),
                metal: required("metal").to_string(),
                route: required("route").to_string(),
                province: required("province").to_string(),
                capacity_mt: float("capacity_mt"),
                first_year: whole("first_year"),
                last_year: whole("last_year"),
                max_build_mt_per_year: field("max_build_mt_per_year")
                    .map_or(0.0, |value| value.parse().expect("a number")),
            }
        })
        .collect()
}

/// Checks, for every plant and every year of `years`, that the result has a row exactly in the
/// plant's operating years, with its capacity equal to the CSV's plus everything built so far,
/// its build within its limit, and its output within that capacity; and that each route with
/// plants produces exactly their sum (M21, M22). Returns nothing: panics on the first breach.
fn check_plants(plants: &[Plant], years: &[i64], result: &Json, tolerance: f64) {
    let rows = facility_rows(result);
    let plan = plan_rows(result);
    let mut expected_keys = BTreeSet::new();
    let mut route_sums: BTreeMap<(String, String, i64), f64> = BTreeMap::new();
    for plant in plants {
        let mut built_so_far = 0.0;
        for &year in years {
            let key = (plant.id.clone(), year);
            if !(plant.first_year..=plant.last_year).contains(&year) {
                assert!(
                    !rows.contains_key(&key),
                    "{key:?}: a row outside the plant's years {}-{}",
                    plant.first_year,
                    plant.last_year
                );
                continue;
            }
            expected_keys.insert(key.clone());
            let row = rows
                .get(&key)
                .unwrap_or_else(|| panic!("no facility row {key:?}"));
            let amounts = Amounts::of(row);
            assert!(amounts.built_mt >= -tolerance, "{key:?}: negative build");
            assert!(
                amounts.built_mt <= plant.max_build_mt_per_year + tolerance,
                "{key:?}: built {} beyond max_build_mt_per_year {}",
                amounts.built_mt,
                plant.max_build_mt_per_year
            );
            built_so_far += amounts.built_mt;
            let capacity = plant.capacity_mt + built_so_far;
            assert!(
                near(amounts.capacity_mt, capacity, tolerance),
                "{key:?}: reported capacity {}, CSV capacity + builds so far {capacity}",
                amounts.capacity_mt
            );
            assert!(
                amounts.output_mt >= -tolerance
                    && amounts.output_mt <= capacity + tolerance * capacity.max(1.0),
                "{key:?}: output {} outside 0..={capacity}",
                amounts.output_mt
            );
            *route_sums
                .entry((plant.metal.clone(), plant.route.clone(), year))
                .or_default() += amounts.output_mt;
        }
    }
    assert_eq!(
        rows.keys().cloned().collect::<BTreeSet<_>>(),
        expected_keys,
        "one facility row per plant and operating year, no others"
    );
    for (key, sum) in route_sums {
        let route = plan
            .get(&key)
            .unwrap_or_else(|| panic!("no plan row {key:?}"));
        assert!(
            near(route.output_mt, sum, tolerance),
            "{key:?}: route output {} but its plants make {sum}",
            route.output_mt
        );
    }
}

/// A temporary folder holding a copy of `tests/data/facilities/<scenario>`.
fn folder_with(scenario: &str) -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let copy = folder.path().join(scenario);
    std::fs::copy(data(scenario), &copy).expect("the scenario can be copied");
    (folder, copy)
}

/// `metalplan check` and `metalplan solve` of `scenario`: both must refuse it with exit code 1
/// and without a panic; returns the solve run.
fn refused(scenario: &Path) -> Run {
    let check = common::metalplan(["check", text(scenario)]);
    check.expect_code(1).expect_no_panic();
    let solve = common::metalplan(["solve", text(scenario)]);
    solve.expect_code(1).expect_no_panic();
    assert_eq!(
        check.stderr, solve.stderr,
        "check and solve report the same problems"
    );
    solve
}

/// 1-based (line, column) of the first `needle` in `text`, columns in characters.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    for (index, line) in text.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            return (index + 1, line[..byte].chars().count() + 1);
        }
    }
    panic!("`{needle}` is not in the text");
}

// ---------------------------------------------------------------------------------------------
// 1. Facility vs national aggregation

/// national.toml and facility.toml describe the same system, once with national routes and once
/// with copper primary and zinc recycled split into plants (the comments of national.toml say
/// why the optima must agree). Both must give the same cost and output per route and year; the
/// plants must add up to their routes.
#[test]
fn splitting_routes_into_plants_keeps_the_national_plan_and_cost() {
    let national = solve(&data("national.toml"), &[]);
    let split = solve(&data("facility.toml"), &[]);

    // The comparison means something only if the national plan uses capacity to its limit
    // and builds more: worked out in national.toml, 0.68 / 1.0 / 0.4 Mt of copper primary.
    let national_plan = plan_rows(&national);
    let copper_primary = |year: i64| national_plan[&("copper".into(), "primary".into(), year)];
    assert!(
        national_plan.values().any(|row| row.built_mt > 1e-6),
        "the national plan builds capacity"
    );
    for (year, built) in [(2025, 0.68), (2026, 1.0), (2027, 0.4)] {
        assert_near(
            &format!("national copper primary built in {year}"),
            copper_primary(year).built_mt,
            built,
        );
    }
    for year in [2026, 2027] {
        let row = copper_primary(year);
        assert_near(
            &format!("national copper primary {year} runs at capacity"),
            row.output_mt,
            row.capacity_mt,
        );
    }
    let zinc_recycled = national_plan[&("zinc".into(), "recycled".into(), 2025)];
    assert_near(
        "national zinc recycled runs at capacity",
        zinc_recycled.output_mt,
        1.5,
    );

    let national_cost = common::objective_of(&national);
    let split_cost = common::objective_of(&split);
    assert!(
        near(national_cost, split_cost, TIGHT),
        "objective: national {national_cost}, facilities {split_cost}"
    );

    let split_plan = plan_rows(&split);
    assert_eq!(
        national_plan.keys().collect::<Vec<_>>(),
        split_plan.keys().collect::<Vec<_>>(),
        "the same plan rows"
    );
    for (key, row) in &national_plan {
        assert_near(
            &format!("{key:?} output, facilities vs national"),
            split_plan[key].output_mt,
            row.output_mt,
        );
    }

    // The plants add up to their route, and their builds to the national build of the route
    // (the aggregate build is unique: see national.toml).
    let plants = read_plants(&data("facility.csv"));
    assert_eq!(plants.len(), 7, "facility.csv lists seven plants");
    check_plants(&plants, &[2025, 2026, 2027], &split, TIGHT);
    let rows = facility_rows(&split);
    for ((metal, route, year), national_row) in &national_plan {
        let ours: Vec<&Plant> = plants
            .iter()
            .filter(|plant| &plant.metal == metal && &plant.route == route)
            .collect();
        if ours.is_empty() {
            continue;
        }
        let row = |plant: &&Plant| rows[&(plant.id.clone(), *year)];
        let output: f64 = ours
            .iter()
            .map(|plant| number(row(plant), "output_mt"))
            .sum();
        let built: f64 = ours
            .iter()
            .map(|plant| number(row(plant), "built_mt"))
            .sum();
        assert_near(
            &format!("{metal} {route} {year}: plants' output vs the route's"),
            output,
            split_plan[&(metal.clone(), route.clone(), *year)].output_mt,
        );
        assert_near(
            &format!("{metal} {route} {year}: plants' builds vs the national build"),
            built,
            national_row.built_mt,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Merit order

/// merit-order.toml: four tin plants, one opening in 2026 and one closing after 2026, filled
/// cheapest first; the outputs and the cost are worked out in the scenario's comments.
#[test]
fn plants_run_in_merit_order_worked_by_hand() {
    let result = solve(&data("merit-order.toml"), &[]);

    // 49,488 million CNY (merit-order.toml: 17,360 + 18,560 + 13,568).
    assert_near(
        "objective, CNY",
        common::objective_of(&result),
        (21_700.0 * 0.8 + 29_000.0 * 0.64 + 26_500.0 * 0.512) * 1e6,
    );
    assert_near(
        "that sum",
        21_700.0 * 0.8 + 29_000.0 * 0.64 + 26_500.0 * 0.512,
        49_488.0,
    );

    // (plant, year, output) for every plant and year it operates: SN-B has no 2025 row (it
    // opens in 2026), SN-C no 2027 row (it closes after 2026).
    let expected = [
        ("SN-A", 2025, 1.0),
        ("SN-A", 2026, 1.0),
        ("SN-A", 2027, 1.0),
        ("SN-B", 2026, 0.8),
        ("SN-B", 2027, 0.8),
        ("SN-C", 2025, 0.6),
        ("SN-C", 2026, 0.4),
        ("SN-D", 2025, 0.0),
        ("SN-D", 2026, 0.0),
        ("SN-D", 2027, 0.2),
    ];
    let rows = facility_rows(&result);
    assert_eq!(
        rows.keys()
            .map(|(id, year)| (id.as_str(), *year))
            .collect::<Vec<_>>(),
        expected
            .iter()
            .map(|&(id, year, _)| (id, year))
            .collect::<Vec<_>>(),
        "a row for each plant in each year it operates, and no other"
    );
    let capacity = BTreeMap::from([("SN-A", 1.0), ("SN-B", 0.8), ("SN-C", 1.5), ("SN-D", 0.5)]);
    for (id, year, output) in expected {
        let row = rows[&(id.to_string(), year)];
        let amounts = Amounts::of(row);
        assert_near(&format!("{id} {year} output"), amounts.output_mt, output);
        assert_near(
            &format!("{id} {year} capacity"),
            amounts.capacity_mt,
            capacity[id],
        );
        assert_near(&format!("{id} {year} built"), amounts.built_mt, 0.0);
    }

    // The route makes what its plants make; recycled makes the 0.1 Mt floor.
    let plan = plan_rows(&result);
    for (year, primary) in [(2025, 1.6), (2026, 2.2), (2027, 2.0)] {
        assert_near(
            &format!("tin primary {year}"),
            plan[&("tin".into(), "primary".into(), year)].output_mt,
            primary,
        );
        assert_near(
            &format!("tin recycled {year}"),
            plan[&("tin".into(), "recycled".into(), year)].output_mt,
            0.1,
        );
    }
    check_plants(
        &read_plants(&data("merit-order.csv")),
        &[2025, 2026, 2027],
        &result,
        TIGHT,
    );

    // Shadow prices of the plants' capacity (docs/model.md: dV/d rhs of the discounted cost):
    // a tonne more at a full plant displaces a tonne of the marginal plant of that year
    // (C in 2025 and 2026, D in 2027); slack plants are worth 0.
    let prices = [
        ("SN-A", 2025, -(13_500.0 - 11_500.0) * 0.8),
        ("SN-A", 2026, -(13_500.0 - 11_500.0) * 0.64),
        ("SN-A", 2027, -(14_500.0 - 11_500.0) * 0.512),
        ("SN-B", 2026, -(13_500.0 - 12_500.0) * 0.64),
        ("SN-B", 2027, -(14_500.0 - 12_500.0) * 0.512),
        ("SN-C", 2025, 0.0),
        ("SN-C", 2026, 0.0),
        ("SN-D", 2025, 0.0),
        ("SN-D", 2026, 0.0),
        ("SN-D", 2027, 0.0),
    ];
    for (id, year, price) in prices {
        assert_near(
            &format!("{id} {year} capacity shadow price"),
            number(
                rows[&(id.to_string(), year)],
                "capacity_shadow_price_cny_per_t",
            ),
            price,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Expansion

/// expansion.toml: a cheap nickel plant expands rather than leave output to a dear one, but
/// not for a single year; builds, capacities, outputs and cost are worked out in its comments.
#[test]
fn a_cheap_plant_expands_instead_of_running_a_dear_one() {
    let result = solve(&data("expansion.toml"), &[]);
    assert_near(
        "objective, CNY",
        common::objective_of(&result),
        (15_600.0 * 0.8 + 23_900.0 * 0.64 + 24_100.0 * 0.512) * 1e6,
    );
    let rows = facility_rows(&result);
    // (year, built, capacity, output) of NI-CHEAP, and NI-DEAR's output.
    let worked = [
        (2025, 0.4, 1.4, 1.2, 0.0),
        (2026, 0.5, 1.9, 1.9, 0.0),
        (2027, 0.0, 1.9, 1.9, 0.2),
    ];
    for (year, built, capacity, output, dear_output) in worked {
        let row = Amounts::of(rows[&("NI-CHEAP".to_string(), year)]);
        assert_near(&format!("NI-CHEAP built in {year}"), row.built_mt, built);
        assert_near(
            &format!("NI-CHEAP capacity in {year} (1.0 + builds so far)"),
            row.capacity_mt,
            capacity,
        );
        assert_near(&format!("NI-CHEAP output in {year}"), row.output_mt, output);
        let dear = Amounts::of(rows[&("NI-DEAR".to_string(), year)]);
        assert_near(
            &format!("NI-DEAR output in {year}"),
            dear.output_mt,
            dear_output,
        );
        assert_near(
            &format!("NI-DEAR capacity in {year}"),
            dear.capacity_mt,
            2.0,
        );
        assert_near(&format!("NI-DEAR built in {year}"), dear.built_mt, 0.0);
    }
    check_plants(
        &read_plants(&data("expansion.csv")),
        &[2025, 2026, 2027],
        &result,
        TIGHT,
    );
    // NI-CHEAP's capacity prices. 2027: a tonne more replaces a NI-DEAR tonne, 5,000 x 0.512.
    // 2026: a tonne more lets the 2025 build shrink by one (-4,800) but then 2027 has a tonne
    // less, which NI-DEAR makes (+2,560); the same in both directions, so -2,240 exactly.
    let price = |year: i64| {
        number(
            rows[&("NI-CHEAP".to_string(), year)],
            "capacity_shadow_price_cny_per_t",
        )
    };
    assert_near("NI-CHEAP 2027 shadow price", price(2027), -5_000.0 * 0.512);
    assert_near(
        "NI-CHEAP 2026 shadow price",
        price(2026),
        -6_000.0 * 0.8 + 5_000.0 * 0.512,
    );
    assert_near("NI-CHEAP 2025 shadow price (slack)", price(2025), 0.0);
}

/// The plants of expansion.csv written inline as `[[facilities]]` plan exactly as the CSV does.
#[test]
fn inline_facilities_plan_like_the_csv() {
    let scenario = std::fs::read_to_string(data("expansion.toml")).expect("readable");
    let inline = scenario.replace("facilities_csv = \"expansion.csv\"\n", "")
        + r#"
[[facilities]]
id = "NI-CHEAP"
metal = "nickel"
route = "primary"
province = "Gansu"
capacity_mt = 1.0
operating_cost_cny_per_t = 1000
first_year = 2000
last_year = 2050
max_build_mt_per_year = 0.5
investment_cny_per_t = 6000

[[facilities]]
id = "NI-DEAR"
metal = "nickel"
route = "primary"
province = "Jilin"
capacity_mt = 2.0
operating_cost_cny_per_t = 6000
first_year = 2000
last_year = 2050
"#;
    assert!(
        !inline.contains("facilities_csv"),
        "the CSV reference was removed"
    );
    let folder = tempfile::tempdir().expect("a temporary folder");
    let file = folder.path().join("inline.toml");
    std::fs::write(&file, inline).expect("writable");
    let result = solve(&file, &[]);
    assert_near(
        "objective, CNY (expansion.toml)",
        common::objective_of(&result),
        40_115.2e6,
    );
    check_plants(
        &read_plants(&data("expansion.csv")),
        &[2025, 2026, 2027],
        &result,
        TIGHT,
    );
    let rows = facility_rows(&result);
    assert_near(
        "NI-CHEAP built in 2025",
        number(rows[&("NI-CHEAP".to_string(), 2025)], "built_mt"),
        0.4,
    );
}

/// `metalplan verify` checks plants too: a merit-order plan broken in one place is refused
/// (exit 4) naming the row it breaks.
#[test]
fn verify_catches_plants_over_capacity_out_of_their_years_or_off_their_route() {
    let scenario = data("merit-order.toml");
    let plan = solve(&scenario, &[]);
    let folder = tempfile::tempdir().expect("a temporary folder");
    let shift = |plan: &mut Json, id: &str, year: i64, by: f64| {
        let row = array_mut(plan, "facilities")
            .iter_mut()
            .find(|row| row["id"] == id && row["year"] == year)
            .unwrap_or_else(|| panic!("no row {id} {year}"));
        row["output_mt"] = Json::from(number(row, "output_mt") + by);
    };
    // The route total stays right in the first and third case, so each breaks one row only.
    let mut over_capacity = plan.clone();
    shift(&mut over_capacity, "SN-A", 2025, 0.1);
    shift(&mut over_capacity, "SN-C", 2025, -0.1);
    let mut off_route = plan.clone();
    shift(&mut off_route, "SN-C", 2025, 0.1);
    let mut out_of_years = plan.clone();
    shift(&mut out_of_years, "SN-C", 2025, -0.1);
    array_mut(&mut out_of_years, "facilities").push(serde_json::json!({
        "id": "SN-B", "year": 2025, "output_mt": 0.1, "capacity_mt": 0.8, "built_mt": 0.0,
        "capacity_shadow_price_cny_per_t": 0.0
    }));
    for (name, broken, row) in [
        (
            "over-capacity",
            over_capacity,
            "facility_capacity[SN-A,2025]",
        ),
        ("off-route", off_route, "facility_total[tin,primary,2025]"),
        ("out-of-years", out_of_years, "facility_output[SN-B,2025]"),
    ] {
        let file = folder.path().join(format!("{name}.json"));
        std::fs::write(&file, broken.to_string()).expect("writable");
        let run = common::metalplan(["verify", text(&scenario), text(&file)]);
        run.expect_code(4).expect_no_panic();
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains(row), "{name}: `{row}` is not named in:\n{all}");
    }
    // The unbroken plan passes.
    let file = folder.path().join("plan.json");
    std::fs::write(&file, plan.to_string()).expect("writable");
    common::metalplan(["verify", text(&scenario), text(&file)])
        .expect_code(0)
        .expect_no_panic();
}

fn array_mut<'j>(result: &'j mut Json, field: &str) -> &'j mut Vec<Json> {
    result[field]
        .as_array_mut()
        .unwrap_or_else(|| panic!("the result has no `{field}` array"))
}

// ---------------------------------------------------------------------------------------------
// 4. Errors in facilities

/// expansion.toml's CSV with its second plant (line 3) written as `row`.
fn with_second_row(row: &str) -> String {
    format!("{FULL_HEADER}\nNI-CHEAP,nickel,primary,Gansu,1.0,1000,2000,2050,0.5,6000\n{row}\n")
}

/// A copy of expansion.toml with `csv` as its expansion.csv: (folder, scenario, CSV path).
fn scenario_with_csv(csv: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (folder, scenario) = folder_with("expansion.toml");
    let csv_file = folder.path().join("expansion.csv");
    std::fs::write(&csv_file, csv).expect("writable");
    (folder, scenario, csv_file)
}

/// Each bad CSV is refused by a message naming the file, the line and the column.
#[test]
fn bad_facilities_csv_names_file_line_and_column() {
    // (what, CSV, line, column, part of the message)
    let cases = [
        (
            "capacity not a number",
            with_second_row("NI-DEAR,nickel,primary,Jilin,two,6000,2000,2050,0,0"),
            3,
            "capacity_mt",
            "is not a number",
        ),
        (
            "year not a whole number",
            with_second_row("NI-DEAR,nickel,primary,Jilin,2.0,6000,2025.5,2050,0,0"),
            3,
            "first_year",
            "is not a whole number",
        ),
        (
            "a required column missing from the header",
            "id,metal,route,capacity_mt,operating_cost_cny_per_t,first_year,last_year\n\
             NI-CHEAP,nickel,primary,1.0,1000,2000,2050\n"
                .to_string(),
            1,
            "province",
            "the header has no `province` column",
        ),
        (
            "an unknown column",
            format!("{FULL_HEADER},owner\nNI-CHEAP,nickel,primary,Gansu,1.0,1000,2000,2050,0.5,6000,x\n"),
            1,
            "owner",
            "unknown column `owner`",
        ),
        (
            "an unknown metal",
            with_second_row("NI-DEAR,cobalt,primary,Jilin,2.0,6000,2000,2050,0,0"),
            3,
            "metal",
            "`cobalt` is not a metal of this scenario",
        ),
        (
            "a route the metal lacks",
            with_second_row("NI-DEAR,nickel,recycled,Jilin,2.0,6000,2000,2050,0,0"),
            3,
            "route",
            "metal `nickel` has no recycled route",
        ),
        (
            "a duplicate id",
            with_second_row("NI-CHEAP,nickel,primary,Jilin,2.0,6000,2000,2050,0,0"),
            3,
            "id",
            "`NI-CHEAP` is already the id at line 2; ids must be unique",
        ),
        (
            "last_year before first_year",
            with_second_row("NI-DEAR,nickel,primary,Jilin,2.0,6000,2030,2026,0,0"),
            3,
            "last_year",
            "2026 is before first_year 2030",
        ),
        (
            "a negative capacity",
            with_second_row("NI-DEAR,nickel,primary,Jilin,-2.0,6000,2000,2050,0,0"),
            3,
            "capacity_mt",
            "must not be negative",
        ),
    ];
    for (what, csv, line, column, message) in cases {
        let (_folder, scenario, csv_file) = scenario_with_csv(&csv);
        let run = refused(&scenario);
        let csv_name = csv_file.display();
        assert!(
            run.stderr
                .contains(&format!("facilities file {csv_name} has 1 problem")),
            "{what}: the message names the CSV file and one problem:\n{}",
            run.stderr
        );
        let located = format!("{csv_name}:{line}: column `{column}`: ");
        let problem_line = run
            .stderr
            .lines()
            .find(|text| text.trim_start().starts_with(&located))
            .unwrap_or_else(|| panic!("{what}: no line starting `{located}` in:\n{}", run.stderr));
        assert!(
            problem_line.contains(message),
            "{what}: `{problem_line}` does not say `{message}`"
        );
    }
}

/// Several bad rows are all reported, each at its own line, in file order.
#[test]
fn every_bad_row_is_reported_at_its_line() {
    let csv = format!(
        "{FULL_HEADER}\n\
         NI-CHEAP,nickel,primary,Gansu,1.0,1000,2000,2050,0.5,6000\n\
         NI-A,nickel,primary,Jilin,-1,6000,2000,2050,0,0\n\
         NI-B,nickel,primary,Jilin,1,6000,2000,2050,0,0\n\
         NI-A,cobalt,primary,Jilin,1,6000,2000,2050,0,0\n"
    );
    let (_folder, scenario, csv_file) = scenario_with_csv(&csv);
    let run = refused(&scenario);
    let csv_name = csv_file.display().to_string();
    assert!(
        run.stderr
            .contains(&format!("facilities file {csv_name} has 3 problems")),
        "{}",
        run.stderr
    );
    let located: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix(csv_name.as_str()))
        .collect();
    assert_eq!(located.len(), 3, "{}", run.stderr);
    assert!(
        located[0].starts_with(":3: column `capacity_mt`: "),
        "{located:?}"
    );
    assert!(located[1].starts_with(":5: column `id`: "), "{located:?}");
    assert!(
        located[2].starts_with(":5: column `metal`: "),
        "{located:?}"
    );
}

/// A row with fewer fields than the header is refused at its line (the column is checked by
/// [`a_short_row_names_the_first_missing_column`]).
#[test]
fn a_short_row_is_refused_at_its_line() {
    let (_folder, scenario, csv_file) = scenario_with_csv(&with_second_row(
        "NI-DEAR,nickel,primary,Jilin,2.0,6000,2000",
    ));
    let run = refused(&scenario);
    let csv_name = csv_file.display();
    assert!(
        run.stderr
            .contains(&format!("facilities file {csv_name} has 1 problem")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{csv_name}:3: ")),
        "the message names line 3:\n{}",
        run.stderr
    );
}

#[test]
fn a_short_row_names_the_first_missing_column() {
    let (_folder, scenario, csv_file) = scenario_with_csv(&with_second_row(
        "NI-DEAR,nickel,primary,Jilin,2.0,6000,2000",
    ));
    let run = refused(&scenario);
    // Seven fields of ten: the first missing one is the eighth, `last_year`.
    let expected = format!("{}:3: column `last_year`: ", csv_file.display());
    assert!(
        run.stderr.contains(&expected),
        "expected `{expected}` in:\n{}",
        run.stderr
    );
}

#[test]
fn an_unknown_route_names_its_column() {
    let (_folder, scenario, csv_file) = scenario_with_csv(&with_second_row(
        "NI-DEAR,nickel,smelter,Jilin,2.0,6000,2000,2050,0,0",
    ));
    let run = refused(&scenario);
    let expected = format!("{}:3: column `route`: ", csv_file.display());
    assert!(
        run.stderr.contains(&expected),
        "expected `{expected}` in:\n{}",
        run.stderr
    );
}

#[test]
fn comment_and_blank_lines_do_not_shift_line_numbers() {
    // Lines: 1 comment, 2 header, 3 NI-CHEAP, 4 comment, 5 blank, 6 the bad row.
    let csv = format!(
        "# plants\n{FULL_HEADER}\n\
         NI-CHEAP,nickel,primary,Gansu,1.0,1000,2000,2050,0.5,6000\n\
         # the dear plant\n\
         \n\
         NI-DEAR,nickel,primary,Jilin,two,6000,2000,2050,0,0\n"
    );
    let (_folder, scenario, csv_file) = scenario_with_csv(&csv);
    let run = refused(&scenario);
    let expected = format!("{}:6: column `capacity_mt`: ", csv_file.display());
    assert!(
        run.stderr.contains(&expected),
        "expected `{expected}` in:\n{}",
        run.stderr
    );
}

/// A scenario naming a CSV that is not there is refused with the CSV's path.
#[test]
fn a_missing_facilities_file_is_named() {
    let (folder, scenario) = folder_with("expansion.toml");
    let renamed = std::fs::read_to_string(&scenario)
        .expect("readable")
        .replace("\"expansion.csv\"", "\"missing.csv\"");
    std::fs::write(&scenario, renamed).expect("writable");
    let run = refused(&scenario);
    let missing = folder.path().join("missing.csv");
    assert!(
        run.stderr
            .contains(&format!("facilities file {}", missing.display())),
        "the message names the missing file:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cannot read"),
        "the message says it cannot be read:\n{}",
        run.stderr
    );
}

/// Inline `[[facilities]]` with a bad plant for the inline checks below.
const INLINE_PLANT: &str = r#"
[[facilities]]
id = "NI-1"
metal = "nickel"
route = "primary"
province = "Gansu"
capacity_mt = -1.5
operating_cost_cny_per_t = 1000
first_year = 2000
last_year = 2050
"#;

/// `facilities_csv` together with inline `[[facilities]]` is refused, pointing at
/// `facilities_csv` in the scenario.
#[test]
fn csv_and_inline_facilities_together_are_refused() {
    let (folder, scenario) = folder_with("expansion.toml");
    std::fs::copy(data("expansion.csv"), folder.path().join("expansion.csv"))
        .expect("the CSV can be copied");
    let both = std::fs::read_to_string(&scenario).expect("readable") + INLINE_PLANT;
    std::fs::write(&scenario, &both).expect("writable");
    let run = refused(&scenario);
    // The position is that of the value, as for every other field (docs/scenario.md).
    let (line, key_column) = position_of(&both, "facilities_csv = ");
    let column = key_column + "facilities_csv = ".len();
    let expected = format!(
        "{}:{line}:{column}: facilities_csv: is given together with inline [[facilities]]",
        scenario.display()
    );
    assert!(
        run.stderr.contains(&expected),
        "expected `{expected}` in:\n{}",
        run.stderr
    );
}

/// A problem in an inline facility is reported at its TOML line and column, with its path.
#[test]
fn an_inline_facility_problem_has_a_toml_position() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let scenario = folder.path().join("inline.toml");
    let inline = std::fs::read_to_string(data("expansion.toml"))
        .expect("readable")
        .replace("facilities_csv = \"expansion.csv\"\n", "")
        + INLINE_PLANT;
    std::fs::write(&scenario, &inline).expect("writable");
    let run = refused(&scenario);
    let (line, key_column) = position_of(&inline, "capacity_mt = -1.5");
    let column = key_column + "capacity_mt = ".len();
    let expected = format!(
        "{}:{line}:{column}: facilities[0].capacity_mt: must not be negative",
        scenario.display()
    );
    assert!(
        run.stderr.contains(&expected),
        "expected `{expected}` in:\n{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// 5. --group-by

/// A `groups` row's (group, metal, route, year).
type GroupKey = (String, String, String, i64);

/// `solve merit-order.toml --group-by KEY --format json`, with its `groups`, keyed by
/// (group, metal, route, year).
fn groups(by: &str) -> (Json, BTreeMap<GroupKey, Json>) {
    let result = solve(&data("merit-order.toml"), &["--group-by", by]);
    assert_eq!(result["group_by"], by, "the JSON says how it is grouped");
    let mut keyed = BTreeMap::new();
    for row in array(&result, "groups") {
        let key = (
            string(row, "group").to_string(),
            string(row, "metal").to_string(),
            string(row, "route").to_string(),
            year(row),
        );
        assert!(
            keyed.insert(key.clone(), row.clone()).is_none(),
            "group {key:?} twice"
        );
    }
    (result, keyed)
}

fn assert_group(what: &str, row: &Json, plants: usize, amounts: Amounts) {
    assert_eq!(
        row["facilities"].as_u64(),
        Some(plants as u64),
        "{what}: plants counted"
    );
    assert_near(
        &format!("{what} output"),
        number(row, "output_mt"),
        amounts.output_mt,
    );
    assert_near(
        &format!("{what} capacity"),
        number(row, "capacity_mt"),
        amounts.capacity_mt,
    );
    assert_near(
        &format!("{what} built"),
        number(row, "built_mt"),
        amounts.built_mt,
    );
}

/// `--group-by province` sums the plants of each province (from merit-order.csv) per metal,
/// route and year; the recycled route, without plants, is the `national` group.
#[test]
fn group_by_province_sums_the_plants_of_each_province() {
    let (result, grouped) = groups("province");
    let plants = read_plants(&data("merit-order.csv"));
    let province_of: BTreeMap<&str, &Plant> = plants
        .iter()
        .map(|plant| (plant.id.as_str(), plant))
        .collect();
    let mut expected: BTreeMap<GroupKey, (usize, Amounts)> = BTreeMap::new();
    for row in array(&result, "facilities") {
        let plant = province_of[string(row, "id")];
        let entry = expected
            .entry((
                plant.province.clone(),
                plant.metal.clone(),
                plant.route.clone(),
                year(row),
            ))
            .or_insert((
                0,
                Amounts {
                    output_mt: 0.0,
                    capacity_mt: 0.0,
                    built_mt: 0.0,
                },
            ));
        let amounts = Amounts::of(row);
        entry.0 += 1;
        entry.1.output_mt += amounts.output_mt;
        entry.1.capacity_mt += amounts.capacity_mt;
        entry.1.built_mt += amounts.built_mt;
    }
    for ((metal, route, year), amounts) in plan_rows(&result) {
        if route == "recycled" {
            expected.insert(("national".into(), metal, route, year), (0, amounts));
        }
    }
    // Yunnan (SN-A, SN-D) in three years, Guangxi (SN-B) in two, Hunan (SN-C) in two, national
    // recycled tin in three.
    assert_eq!(expected.len(), 10);
    assert_eq!(
        grouped.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "one group per province (or national), metal, route and year"
    );
    for (key, (count, amounts)) in &expected {
        assert_group(&format!("{key:?}"), &grouped[key], *count, *amounts);
    }
    // And by hand: Yunnan makes SN-A's 1.0 in 2025 and 1.0 + 0.2 in 2027.
    let yunnan = |year: i64| {
        number(
            &grouped[&("Yunnan".into(), "tin".into(), "primary".into(), year)],
            "output_mt",
        )
    };
    assert_near("Yunnan 2025", yunnan(2025), 1.0);
    assert_near("Yunnan 2027", yunnan(2027), 1.2);
}

/// `--group-by metal` is the plan itself; `--group-by facility` one row per plant and year.
#[test]
fn group_by_metal_is_the_plan_and_by_facility_one_row_per_plant_year() {
    let (result, grouped) = groups("metal");
    let plan = plan_rows(&result);
    assert_eq!(grouped.len(), plan.len(), "one group per plan row");
    let plants = read_plants(&data("merit-order.csv"));
    for ((metal, route, year), amounts) in &plan {
        let row = &grouped[&(metal.clone(), metal.clone(), route.clone(), *year)];
        let operating = plants
            .iter()
            .filter(|plant| &plant.metal == metal && &plant.route == route)
            .filter(|plant| (plant.first_year..=plant.last_year).contains(year))
            .count();
        assert_group(&format!("{metal} {route} {year}"), row, operating, *amounts);
    }

    let (result, grouped) = groups("facility");
    let rows = facility_rows(&result);
    assert_eq!(rows.len(), 10, "merit-order.csv: 3 + 2 + 2 + 3 plant-years");
    assert_eq!(grouped.len(), rows.len(), "one group per plant and year");
    let by_id: BTreeMap<&str, &Plant> = plants
        .iter()
        .map(|plant| (plant.id.as_str(), plant))
        .collect();
    for ((id, year), row) in rows {
        let plant = by_id[id.as_str()];
        let group = &grouped[&(id.clone(), plant.metal.clone(), plant.route.clone(), year)];
        assert_group(&format!("{id} {year}"), group, 1, Amounts::of(row));
    }
}

/// `--format csv --group-by province` writes the group rows under a header.
#[test]
fn group_by_csv_has_a_header_and_one_row_per_group() {
    let (_, grouped) = groups("province");
    let run = common::metalplan([
        "solve",
        text(&data("merit-order.toml")),
        "--format",
        "csv",
        "--group-by",
        "province",
    ]);
    run.expect_code(0).expect_no_panic();
    // Provenance comes first as `#` comment lines.
    assert!(run.stdout.starts_with("# "));
    let mut lines = run.stdout.lines().filter(|line| !line.starts_with('#'));
    assert_eq!(
        lines.next(),
        Some("group,metal,route,year,facilities,output_mt,capacity_mt,built_mt")
    );
    let rows: Vec<Vec<&str>> = lines.map(|line| line.split(',').collect()).collect();
    assert_eq!(rows.len(), grouped.len(), "one CSV row per JSON group");
    for row in rows {
        assert_eq!(row.len(), 8, "{row:?}");
        let key = (
            row[0].to_string(),
            row[1].to_string(),
            row[2].to_string(),
            row[3].parse::<i64>().expect("a year"),
        );
        let json = grouped
            .get(&key)
            .unwrap_or_else(|| panic!("CSV group {key:?} is not in the JSON"));
        let output: f64 = row[5].parse().expect("a number");
        assert_near(
            &format!("{key:?} CSV output"),
            output,
            number(json, "output_mt"),
        );
    }
}

/// With no plants, `--group-by facility` has no rows, and its CSV is still the header of the
/// same columns a grouped CSV with rows has.
#[test]
fn group_by_facility_without_plants_writes_the_header_alone() {
    let header_of = |scenario: &str| {
        let run = common::metalplan([
            "solve",
            scenario,
            "--format",
            "csv",
            "--group-by",
            "facility",
        ]);
        run.expect_code(0).expect_no_panic();
        run.stdout
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let with_plants = header_of(text(&data("merit-order.toml")));
    assert!(with_plants.len() > 1, "merit-order.toml has plant rows");
    let without_plants = header_of("tests/data/hand-worked.toml");
    assert_eq!(without_plants, [with_plants[0].clone()]);
}

// ---------------------------------------------------------------------------------------------
// 6. The generator

/// `metalplan generate ... -o FOLDER`, which must succeed.
fn generate(facilities: &str, seed: &str, folder: &Path) {
    let run = common::metalplan([
        "generate",
        "--facilities",
        facilities,
        "--years",
        "4",
        "--seed",
        seed,
        "-o",
        text(folder),
    ]);
    run.expect_code(0).expect_no_panic();
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The same seed writes the same files; another seed other plants.
#[test]
fn generate_is_reproducible_per_seed() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let first = folder.path().join("first");
    let second = folder.path().join("second");
    let other = folder.path().join("other");
    generate("60", "5", &first);
    generate("60", "5", &second);
    generate("60", "6", &other);
    for name in ["scenario.toml", "facilities.csv"] {
        assert_eq!(
            bytes(&first.join(name)),
            bytes(&second.join(name)),
            "{name}: same seed, same bytes"
        );
    }
    assert_ne!(
        bytes(&first.join("facilities.csv")),
        bytes(&other.join("facilities.csv")),
        "another seed, other plants"
    );
}

/// A generated scenario solves, passes `verify`, meets its growth and recycled floors
/// (recomputed from the plan rows and the generated TOML), and keeps every plant within its
/// capacity.
#[test]
fn a_generated_scenario_solves_and_meets_its_floors() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let generated = folder.path().join("generated");
    generate("60", "5", &generated);
    let scenario_file = generated.join("scenario.toml");
    let out = folder.path().join("out.json");
    let run = common::metalplan([
        "solve",
        text(&scenario_file),
        "--format",
        "json",
        "-o",
        text(&out),
    ]);
    run.expect_code(0).expect_no_panic();
    let verify = common::metalplan(["verify", text(&scenario_file), text(&out)]);
    verify.expect_code(0).expect_no_panic();
    let result: Json =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the result was written"))
            .expect("the result is JSON");

    let scenario = common::Scenario::load(&scenario_file);
    let years = scenario.years();
    assert_eq!(years, vec![2025, 2026, 2027, 2028], "--years 4 from 2025");
    let plan = plan_rows(&result);
    let output = |metal: &str, route: &str, year: i64| {
        plan.get(&(metal.to_string(), route.to_string(), year))
            .map_or(0.0, |row| row.output_mt)
    };
    // The ten-metal total counts routes by `counts_toward_output_total` (recycled aluminium
    // does not count); the recycled total counts recycled routes by
    // `counts_toward_recycled_total`.
    let metals = scenario.metals();
    let aluminium = metals
        .iter()
        .find(|metal| metal.name == "aluminium")
        .expect("the generated scenario has aluminium");
    assert!(!aluminium.counts_toward_output_total("recycled"));
    let mut previous_total: f64 = metals
        .iter()
        .flat_map(|metal| metal.routes().into_iter().map(move |route| (metal, route)))
        .filter(|(metal, (route, _))| metal.counts_toward_output_total(route))
        .map(|(_, (_, spec))| common::number(&spec["base_output_mt"]))
        .sum();
    let growth = scenario
        .target("output_growth_min")
        .map(common::number)
        .expect("a growth floor");
    assert_near("growth floor", growth, 0.015);
    for &year in &years {
        let total: f64 = metals
            .iter()
            .flat_map(|metal| metal.routes().into_iter().map(move |route| (metal, route)))
            .filter(|(metal, (route, _))| metal.counts_toward_output_total(route))
            .map(|(metal, (route, _))| output(metal.name, route, year))
            .sum();
        assert!(
            total >= (1.0 + growth) * previous_total * (1.0 - 1e-9),
            "{year}: ten-metal output {total} below 1.5 % over {previous_total}"
        );
        previous_total = total;
        let recycled: f64 = metals
            .iter()
            .filter(|metal| metal.counts_toward_recycled_total())
            .map(|metal| output(metal.name, "recycled", year))
            .sum();
        let floor = scenario
            .target_in("recycled_output_min_mt", year)
            .expect("a recycled floor every year");
        assert!(
            recycled >= floor * (1.0 - 1e-9),
            "{year}: recycled output {recycled} below the floor {floor}"
        );
    }

    let plants = read_plants(&generated.join("facilities.csv"));
    assert_eq!(plants.len(), 60, "--facilities 60");
    check_plants(&plants, &years, &result, common::TOLERANCE);
}

/// Fewer plants than routes is refused, with a message, and nothing is written.
#[test]
fn generate_refuses_too_few_facilities() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let target = folder.path().join("few");
    let run = common::metalplan([
        "generate",
        "--facilities",
        "3",
        "--years",
        "4",
        "-o",
        text(&target),
    ]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains("--facilities 3 is too few"),
        "the message says why:\n{}",
        run.stderr
    );
    assert!(
        !target.join("scenario.toml").exists(),
        "no scenario is written"
    );
}

/// An overlay keeps the base's facilities CSV (read relative to the base scenario), and an
/// overlay that changes a plant-level number changes the plan the way the CSV would.
#[test]
fn overlays_keep_the_facilities_csv() {
    let base = data("merit-order.toml");
    let plain = solve(&base, &[]);
    let folder = tempfile::tempdir().expect("a temporary folder");
    let overlay = folder.path().join("rename.toml");
    std::fs::write(&overlay, "name = \"renamed by an overlay\"\n").expect("write the overlay");
    let overlaid = solve(&base, &["--with", text(&overlay)]);
    assert_eq!(overlaid["scenario"], "renamed by an overlay");
    let plain_rows = plain["facilities"].as_array().expect("facility rows");
    assert!(!plain_rows.is_empty());
    assert_eq!(overlaid["facilities"], plain["facilities"]);
    let (a, b) = (number(&plain, "objective"), number(&overlaid, "objective"));
    assert!((a - b).abs() <= 1e-9 * a.abs(), "{a} vs {b}");
}

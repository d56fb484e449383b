//! Shadow prices are what they claim: for each kind of target and for capacity, the reported
//! price matches the finite difference of two solves, the bound and the bound moved a little,
//! within 1 %. Reduced costs are zero on routes in use and never negative.

use crate::common;

use std::ffi::OsStr;
use std::path::Path;

use serde_json::Value as Json;
use toml::Value as Toml;

/// Writes `scenario` (a parsed TOML scenario) next to the original, so relative plugin paths and
/// names resolve the same way, solves it, and returns the result.
fn solve_variant(original: &Path, scenario: &Toml, solver: &str) -> Json {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("variant.toml");
    std::fs::write(&file, toml::to_string(scenario).expect("TOML")).expect("write the variant");
    let run = common::metalplan([
        OsStr::new("solve"),
        file.as_os_str(),
        OsStr::new("--solver"),
        OsStr::new(solver),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]);
    run.expect_code(0).expect_no_panic();
    let _ = original;
    serde_json::from_str(&run.stdout).expect("JSON result")
}

fn load(path: &Path) -> Toml {
    toml::from_str(&std::fs::read_to_string(path).expect("read the scenario")).expect("TOML")
}

/// Sets `table[key]` to a per-year schedule: `value` in every planning year, `value + delta` in
/// `year`.
fn set_schedule(table: &mut Toml, key: &str, years: &[i64], value: f64, year: i64, delta: f64) {
    let schedule: toml::Table = years
        .iter()
        .map(|&each| {
            let bumped = if each == year { value + delta } else { value };
            (each.to_string(), Toml::from(bumped))
        })
        .collect();
    table
        .as_table_mut()
        .expect("a table")
        .insert(key.to_string(), Toml::Table(schedule));
}

fn years(scenario: &Toml) -> Vec<i64> {
    scenario["years"]
        .as_array()
        .expect("years")
        .iter()
        .map(|year| year.as_integer().expect("a year"))
        .collect()
}

fn target_price(result: &Json, name: &str, metal: Option<&str>, year: i64) -> (f64, bool) {
    let row = result["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|row| {
            row["name"] == name
                && row["year"] == year
                && metal.is_none_or(|metal| row["metal"] == metal)
        })
        .unwrap_or_else(|| panic!("no target {name} {metal:?} {year}"));
    (
        row["shadow_price"].as_f64().expect("a shadow price"),
        row["binding"].as_bool().expect("binding"),
    )
}

/// Asserts `price` (per unit of the bound) equals (cost(bound + delta) - cost(bound)) / delta
/// within 1 %, and that the target binds with a real price.
fn assert_matches_difference(what: &str, price: f64, base: &Json, moved: &Json, delta: f64) {
    let difference = (common::objective_of(moved) - common::objective_of(base)) / delta;
    assert!(
        price.abs() > 1.0,
        "{what}: the test needs a binding target, price {price}"
    );
    assert!(
        (difference - price).abs() <= 0.01 * price.abs(),
        "{what}: shadow price {price} but finite difference {difference}"
    );
}

/// At a degenerate optimum the cost is kinked: moving the bound up and down gives two different
/// slopes, and any price between them is a correct dual. Asserts `price` matches the backward
/// or the forward difference within 1 % and lies between them.
fn assert_within_kink(what: &str, price: f64, below: &Json, base: &Json, above: &Json, delta: f64) {
    let backward = (common::objective_of(base) - common::objective_of(below)) / delta;
    let forward = (common::objective_of(above) - common::objective_of(base)) / delta;
    assert!(
        price.abs() > 1.0,
        "{what}: the test needs a binding target, price {price}"
    );
    let near = |slope: f64| (slope - price).abs() <= 0.01 * price.abs();
    let (low, high) = (backward.min(forward), backward.max(forward));
    assert!(
        (near(backward) || near(forward))
            && price >= low - 0.01 * price.abs()
            && price <= high + 0.01 * price.abs(),
        "{what}: shadow price {price} outside the slopes {backward} (down) and {forward} (up)"
    );
}

#[test]
fn the_recycled_floor_is_priced_by_its_marginal_cost() {
    // Raise China's floor to 21 Mt so it binds (the plan meets 20 Mt with room to spare).
    let original = common::china_scenario();
    let mut scenario = load(&original);
    let planning = years(&scenario);
    for solver in ["highs", "clarabel"] {
        set_schedule(
            &mut scenario["targets"],
            "recycled_output_min_mt",
            &planning,
            21.0,
            2025,
            0.0,
        );
        let base = solve_variant(&original, &scenario, solver);
        let (price, binding) = target_price(&base, "recycled_output_min", None, 2025);
        assert!(binding, "{solver}: a 21 Mt floor binds");
        set_schedule(
            &mut scenario["targets"],
            "recycled_output_min_mt",
            &planning,
            21.0,
            2025,
            0.1,
        );
        let moved = solve_variant(&original, &scenario, solver);
        // Prices are per tonne; the floor moved by 0.1 Mt = 100,000 t.
        assert_matches_difference(
            &format!("{solver} recycled floor"),
            price,
            &base,
            &moved,
            0.1e6,
        );
    }
}

#[test]
fn growth_floors_are_priced_per_percentage_point() {
    let original = common::china_scenario();
    let scenario = load(&original);
    let planning = years(&scenario);
    for (key, name) in [
        ("output_growth_min", "output_growth_min"),
        ("value_added_growth_min", "value_added_growth_min"),
    ] {
        for year in [2025, 2026] {
            let base_value = scenario["targets"][key]
                .as_float()
                .expect("a single number");
            let base = common::solve_json(&original, "highs", "cost");
            let (price, binding) = target_price(&base, name, None, year);
            assert!(binding, "{name} {year} binds in the China plan");
            // 0.01 percentage point down and up in that year only. China's optimum is
            // degenerate here: the slope upwards is about 2 % steeper than downwards.
            let solve_moved = |delta: f64| {
                let mut moved = scenario.clone();
                set_schedule(
                    &mut moved["targets"],
                    key,
                    &planning,
                    base_value,
                    year,
                    delta,
                );
                solve_variant(&original, &moved, "highs")
            };
            let below = solve_moved(-0.0001);
            let above = solve_moved(0.0001);
            assert_within_kink(
                &format!("{name} {year}"),
                price,
                &below,
                &base,
                &above,
                0.01,
            );
        }
    }
}

#[test]
fn caps_are_priced_as_savings() {
    // builds-and-caps.toml has a binding CO2 cap and binding import-dependence caps.
    let original = common::data_file("builds-and-caps.toml");
    let scenario = load(&original);
    let planning = years(&scenario);
    let base = common::solve_json(&original, "highs", "cost");

    let (co2_price, binding) = target_price(&base, "co2_max", None, 2027);
    assert!(binding, "the 2027 CO2 cap binds");
    assert!(
        co2_price < 0.0,
        "raising a binding cap saves money: {co2_price}"
    );
    let mut moved = scenario.clone();
    set_schedule(
        &mut moved["targets"],
        "co2_max_mt",
        &[2026, 2027],
        300.0,
        2027,
        0.1,
    );
    let moved = solve_variant(&original, &moved, "highs");
    // CNY per t CO2; the cap moved by 0.1 Mt.
    assert_matches_difference("co2 cap", co2_price, &base, &moved, 0.1e6);

    let binding_caps: Vec<(i64, f64)> = planning
        .iter()
        .map(|&year| {
            (
                year,
                target_price(&base, "import_dependence_max", Some("copper"), year),
            )
        })
        .filter(|(_, (_, binding))| *binding)
        .map(|(year, (price, _))| (year, price))
        .collect();
    let &(year, price) = binding_caps.first().expect("a binding copper import cap");
    let caps = &scenario["targets"]["import_dependence_max"]["copper"];
    let mut moved = scenario.clone();
    let schedule: toml::Table = planning
        .iter()
        .map(|&each| {
            let cap = caps[each.to_string().as_str()].as_float().expect("a cap");
            let cap = if each == year { cap + 0.001 } else { cap };
            (each.to_string(), Toml::from(cap))
        })
        .collect();
    moved["targets"]["import_dependence_max"]
        .as_table_mut()
        .expect("caps")
        .insert("copper".to_string(), Toml::Table(schedule));
    let moved = solve_variant(&original, &moved, "highs");
    assert_matches_difference("copper import cap", price, &base, &moved, 0.1);
}

#[test]
fn capacity_is_priced_per_tonne_and_reduced_costs_are_consistent() {
    let original = common::data_file("builds-and-caps.toml");
    let scenario = load(&original);
    let planning = years(&scenario);
    let base = common::solve_json(&original, "highs", "cost");
    let plan = base["plan"].as_array().expect("plan rows");
    for row in plan {
        let reduced = row["reduced_cost_cny_per_t"]
            .as_f64()
            .expect("a reduced cost");
        assert!(reduced >= -1e-6, "reduced costs are never negative: {row}");
        if row["output_mt"].as_f64().expect("output") > 1e-6 {
            assert!(
                reduced.abs() < 1e-6,
                "a route in use has no reduced cost: {row}"
            );
        }
    }
    // The aluminium primary route has a per-year capacity schedule and no build option.
    let row = plan
        .iter()
        .filter(|row| row["metal"] == "aluminium" && row["route"] == "primary")
        .find(|row| {
            row["capacity_shadow_price_cny_per_t"]
                .as_f64()
                .unwrap_or(0.0)
                < -1.0
        })
        .expect("a binding aluminium smelter capacity");
    let year = row["year"].as_i64().expect("year");
    let price = row["capacity_shadow_price_cny_per_t"]
        .as_f64()
        .expect("price");
    let mut moved = scenario.clone();
    let aluminium = moved["metals"]
        .as_array_mut()
        .expect("metals")
        .iter_mut()
        .find(|metal| metal["name"].as_str() == Some("aluminium"))
        .expect("aluminium");
    let capacities: toml::Table = planning
        .iter()
        .map(|&each| {
            let capacity = aluminium["primary"]["capacity_mt"][each.to_string().as_str()]
                .as_float()
                .expect("a capacity");
            let capacity = if each == year {
                capacity + 0.01
            } else {
                capacity
            };
            (each.to_string(), Toml::from(capacity))
        })
        .collect();
    aluminium["primary"]
        .as_table_mut()
        .expect("route")
        .insert("capacity_mt".to_string(), Toml::Table(capacities));
    let moved = solve_variant(&original, &moved, "highs");
    assert_matches_difference("aluminium capacity", price, &base, &moved, 0.01e6);
}

#[test]
fn other_objectives_report_no_prices() {
    let result = common::solve_json(&common::china_scenario(), "highs", "emissions");
    for row in result["targets"].as_array().expect("targets") {
        assert!(row["shadow_price"].is_null(), "{row}");
    }
}

#[test]
fn a_growth_ceiling_is_priced_per_percentage_point() {
    // builds-and-caps.toml with no 2025 growth floor and a 2025 ceiling of 2.5 %: its
    // value-added floor needs more output than that, so the ceiling binds on its own, and
    // raising it saves money (a negative price).
    let original = common::data_file("builds-and-caps.toml");
    let mut scenario = load(&original);
    let planning = years(&scenario);
    set_schedule(
        &mut scenario["targets"],
        "output_growth_min",
        &planning,
        0.04,
        2025,
        -0.04,
    );
    let solve_with_ceiling = |ceiling_2025: f64| {
        let mut moved = scenario.clone();
        let schedule: toml::Table = [("2025", ceiling_2025), ("2026", 0.10), ("2027", 0.10)]
            .iter()
            .map(|&(year, value)| (year.to_string(), Toml::from(value)))
            .collect();
        moved["targets"]
            .as_table_mut()
            .expect("targets")
            .insert("output_growth_max".to_string(), Toml::Table(schedule));
        solve_variant(&original, &moved, "highs")
    };
    let base = solve_with_ceiling(0.025);
    let (price, binding) = target_price(&base, "output_growth_max", None, 2025);
    assert!(
        binding && price < 0.0,
        "the ceiling binds and costs money: {price}"
    );
    let below = solve_with_ceiling(0.0249);
    let above = solve_with_ceiling(0.0251);
    assert_within_kink(
        "output growth ceiling 2025",
        price,
        &below,
        &base,
        &above,
        0.01,
    );
}

//! `metalplan sweep` and `metalplan sweep-merge` on the China scenario: every point present once,
//! rows that agree with one-by-one `metalplan solve` runs of the same scenario edited by hand
//! (with `toml`, not metalplan's own field setter), output independent of `--jobs` and of
//! sharding, and clear errors for bad input.

use crate::common;

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// The recycled-output floor of the China scenario from 19 to 24.9 Mt: 60 points. The scrap
/// available caps recycled output near 22 Mt, so the upper points are infeasible.
const FLOOR: &str = "targets.recycled_output_min_mt=19:24.9:0.1";
const FLOOR_PATH: &str = "targets.recycled_output_min_mt";

fn china() -> String {
    common::china_scenario()
        .to_str()
        .expect("a UTF-8 path")
        .to_string()
}

/// Runs `metalplan sweep CHINA ARGS...`, expects success, and returns the CSV it printed.
fn sweep(args: &[&str]) -> String {
    let china = china();
    let mut all = vec!["sweep", china.as_str()];
    all.extend_from_slice(args);
    let run = common::metalplan(all);
    run.expect_code(0).expect_no_panic();
    run.stdout.clone()
}

/// Splits one CSV line into fields (quoted fields may hold commas; sweeps write no newlines
/// inside fields).
fn fields(line: &str) -> Vec<String> {
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

/// A sweep CSV: its header and its rows, each row a map from column to cell.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        assert!(text.ends_with('\n'), "the CSV ends with a newline");
        let mut lines = text.lines();
        let header = fields(lines.next().expect("a header line"));
        let rows: Vec<Vec<String>> = lines.map(fields).collect();
        for row in &rows {
            assert_eq!(row.len(), header.len(), "a cell per column: {row:?}");
        }
        Table { header, rows }
    }

    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    fn cell<'t>(&'t self, row: &'t [String], name: &str) -> &'t str {
        &row[self.column(name)]
    }

    fn number(&self, row: &[String], name: &str) -> f64 {
        let cell = self.cell(row, name);
        cell.parse()
            .unwrap_or_else(|_| panic!("{name} `{cell}` is not a number"))
    }

    fn points(&self) -> Vec<usize> {
        self.rows
            .iter()
            .map(|row| row[0].parse().expect("a point index"))
            .collect()
    }
}

/// Writes the China scenario with `edits` (dotted TOML paths, `metals` by name) to `directory`.
fn edited_china(directory: &Path, name: &str, edits: &[(&str, f64)]) -> PathBuf {
    let mut root: toml::Value = toml::from_str(
        &std::fs::read_to_string(common::china_scenario()).expect("the China scenario"),
    )
    .expect("TOML");
    for &(path, value) in edits {
        let mut steps = path.split('.');
        let first = steps.next().expect("a first step");
        let mut current = if first == "metals" {
            let metal = steps.next().expect("a metal name");
            root["metals"]
                .as_array_mut()
                .expect("metals")
                .iter_mut()
                .find(|table| table["name"].as_str() == Some(metal))
                .expect("the metal")
        } else {
            root.get_mut(first).expect("the table")
        };
        let steps: Vec<&str> = steps.collect();
        let (last, inner) = steps.split_last().expect("a field");
        for step in inner {
            current = current.get_mut(*step).expect("the table");
        }
        current
            .as_table_mut()
            .expect("a table")
            .insert((*last).to_string(), toml::Value::Float(value));
    }
    let file = directory.join(name);
    std::fs::write(&file, toml::to_string(&root).expect("TOML")).expect("a writable file");
    file
}

/// `(status, objective)` of `metalplan solve FILE`.
fn solve_one(file: &Path) -> (&'static str, Option<f64>) {
    let run = common::metalplan([
        "solve",
        file.to_str().expect("a UTF-8 path"),
        "--format",
        "json",
    ]);
    run.expect_no_panic();
    match run.code {
        Some(0) => {
            let result: Json = serde_json::from_str(&run.stdout).expect("JSON");
            ("optimal", Some(common::objective_of(&result)))
        }
        Some(2) => ("infeasible", None),
        other => panic!("solve exited with {other:?}: {}", run.stderr),
    }
}

fn relative_difference(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1.0)
}

#[test]
fn a_60_point_sweep_has_every_point_once_and_marks_infeasible_points() {
    let table = Table::parse(&sweep(&["--vary", FLOOR]));
    assert_eq!(
        &table.header[..5],
        ["point", FLOOR_PATH, "status", "objective", "message"]
    );
    // One shadow-price column per target row of the China scenario, in result order.
    assert_eq!(
        &table.header[5..],
        [
            "shadow_price:recycled_output_min[2025]",
            "shadow_price:recycled_output_min[2026]",
            "shadow_price:output_growth_min[2025]",
            "shadow_price:output_growth_min[2026]",
            "shadow_price:value_added_growth_min[2025]",
            "shadow_price:value_added_growth_min[2026]",
            "shadow_price:import_dependence_max[copper,2025]",
            "shadow_price:import_dependence_max[copper,2026]",
            "shadow_price:import_dependence_max[lithium,2025]",
            "shadow_price:import_dependence_max[lithium,2026]",
        ]
    );
    assert_eq!(table.points(), (0..60).collect::<Vec<_>>());
    let mut first_infeasible = None;
    let mut last_cost = f64::NEG_INFINITY;
    for (index, row) in table.rows.iter().enumerate() {
        let floor = table.number(row, FLOOR_PATH);
        assert!(
            (floor - (19.0 + index as f64 * 0.1)).abs() < 1e-9,
            "point {index} sets {floor}"
        );
        match table.cell(row, "status") {
            "optimal" => {
                assert!(
                    first_infeasible.is_none(),
                    "a higher floor cannot be easier to meet: point {index} is optimal after infeasible ones"
                );
                assert!(table.cell(row, "message").is_empty());
                // A higher floor cannot make the cheapest plan cheaper.
                let cost = table.number(row, "objective");
                assert!(
                    cost >= last_cost * (1.0 - 1e-9),
                    "point {index}: {cost} < {last_cost}"
                );
                last_cost = cost;
                // Below the floor's binding point the floor's price is 0; it is never negative.
                let price = table.number(row, "shadow_price:recycled_output_min[2025]");
                assert!(price >= 0.0, "point {index}: price {price}");
            }
            "infeasible" => {
                first_infeasible.get_or_insert(index);
                assert!(table.cell(row, "objective").is_empty());
                assert!(table.cell(row, "message").contains("infeasible"), "{row:?}");
                assert!(row[5..].iter().all(String::is_empty), "{row:?}");
            }
            other => panic!("point {index}: unexpected status {other}"),
        }
    }
    let first_infeasible = first_infeasible.expect("the top points are infeasible");
    assert!(
        first_infeasible > 0,
        "the China scenario's own floor region solves"
    );
}

#[test]
fn merged_shards_equal_the_unsharded_sweep_byte_for_byte() {
    let whole = sweep(&["--vary", FLOOR]);
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut parts = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let part = directory.path().join(format!("part-{}.csv", &shard[..1]));
        let part_text = part.to_str().expect("a UTF-8 path").to_string();
        sweep(&["--vary", FLOOR, "--shard", shard, "-o", &part_text]);
        let table = Table::parse(&std::fs::read_to_string(&part).expect("the part"));
        let index: usize = shard[..1].parse().expect("a shard index");
        assert!(
            table.points().iter().all(|point| point % 3 == index - 1),
            "shard {shard} has only its points"
        );
        assert_eq!(table.rows.len(), 20);
        parts.push(part_text);
    }
    // Merge out of order: the result is sorted by point.
    let merged_file = directory.path().join("all.csv");
    let run = common::metalplan([
        "sweep-merge",
        &parts[2],
        &parts[0],
        &parts[1],
        "-o",
        merged_file.to_str().expect("a UTF-8 path"),
    ]);
    run.expect_code(0).expect_no_panic();
    let merged = std::fs::read_to_string(&merged_file).expect("the merged file");
    assert!(merged == whole, "merged:\n{merged}\nwhole:\n{whole}");
}

#[test]
fn jobs_do_not_change_the_output() {
    let one = sweep(&["--vary", FLOOR, "--jobs", "1"]);
    let two = sweep(&["--vary", FLOOR, "--jobs", "2"]);
    assert!(one == two, "--jobs 1:\n{one}\n--jobs 2:\n{two}");
}

#[test]
fn sampled_points_agree_with_one_by_one_solves() {
    let table = Table::parse(&sweep(&["--vary", FLOOR]));
    let directory = tempfile::tempdir().expect("a temporary directory");
    let mut statuses = Vec::new();
    for point in [0, 25, 30, 31, 45] {
        let row = &table.rows[point];
        let floor = table.number(row, FLOOR_PATH);
        let file = edited_china(
            directory.path(),
            &format!("point-{point}.toml"),
            &[(FLOOR_PATH, floor)],
        );
        let (status, objective) = solve_one(&file);
        assert_eq!(table.cell(row, "status"), status, "point {point} ({floor})");
        if let Some(objective) = objective {
            let swept = table.number(row, "objective");
            assert!(
                relative_difference(swept, objective) <= 1e-9,
                "point {point}: sweep {swept}, solve {objective}"
            );
        }
        statuses.push(status);
    }
    assert!(statuses.contains(&"optimal") && statuses.contains(&"infeasible"));
}

#[test]
fn a_two_parameter_grid_runs_row_major_with_the_first_vary_slowest() {
    let capacity = "metals[copper].recycled.capacity_mt";
    let text = sweep(&[
        "--vary",
        "targets.recycled_output_min_mt=21:23:1",
        "--vary",
        &format!("{capacity}=4.5:6.5:0.5"),
    ]);
    let table = Table::parse(&text);
    assert_eq!(
        &table.header[..6],
        [
            "point",
            FLOOR_PATH,
            capacity,
            "status",
            "objective",
            "message"
        ]
    );
    assert_eq!(table.points(), (0..15).collect::<Vec<_>>());
    for (point, row) in table.rows.iter().enumerate() {
        let floor = 21.0 + (point / 5) as f64;
        let capacity_mt = 4.5 + (point % 5) as f64 * 0.5;
        assert_eq!(table.number(row, FLOOR_PATH), floor, "point {point}");
        assert_eq!(table.number(row, capacity), capacity_mt, "point {point}");
    }
    // Points where both values matter, checked against solves of the scenario edited by hand:
    // the tightest copper capacity at two floors, and the infeasible floor.
    let directory = tempfile::tempdir().expect("a temporary directory");
    for (point, floor, capacity_mt) in [(0, 21.0, 4.5), (6, 22.0, 5.0), (10, 23.0, 4.5)] {
        let file = edited_china(
            directory.path(),
            &format!("grid-{point}.toml"),
            &[
                (FLOOR_PATH, floor),
                ("metals.copper.recycled.capacity_mt", capacity_mt),
            ],
        );
        let row = &table.rows[point];
        let (status, objective) = solve_one(&file);
        assert_eq!(table.cell(row, "status"), status, "point {point}");
        if let Some(objective) = objective {
            let swept = table.number(row, "objective");
            assert!(
                relative_difference(swept, objective) <= 1e-9,
                "point {point}: sweep {swept}, solve {objective}"
            );
        }
    }
    // The capacity moves the cost: the grid is not one parameter in disguise.
    assert!(table.number(&table.rows[0], "objective") > table.number(&table.rows[1], "objective"));
}

#[test]
fn a_value_that_breaks_validation_marks_its_point_invalid() {
    let table = Table::parse(&sweep(&[
        "--vary",
        "metals[copper].recycled.capacity_mt=-1:5:1",
    ]));
    assert_eq!(table.rows.len(), 7);
    let first = &table.rows[0];
    assert_eq!(table.cell(first, "status"), "invalid");
    assert!(
        table
            .cell(first, "message")
            .contains("metals[0].recycled.capacity_mt: must not be negative, got -1"),
        "{first:?}"
    );
    assert_eq!(table.cell(&table.rows[6], "status"), "optimal");
}

#[test]
fn bad_input_exits_1_with_a_clear_message() {
    let china = china();
    for (args, said) in [
        (
            vec!["--vary", "targets.recycled_output_min_mt=1:0:1"],
            "STOP (0) is below START (1)",
        ),
        (
            vec!["--vary", "targets.recycled_output_min_mt=1:2:0"],
            "STEP must be above 0",
        ),
        (
            vec!["--vary", "targets.recycled_floor_mt=1:2:1"],
            "`targets.recycled_floor_mt`: `targets` has no field `recycled_floor_mt`",
        ),
        (
            vec!["--vary", "metals[nickel].primary.capacity_mt=1:2:1"],
            "no entry named `nickel`",
        ),
        (
            vec!["--vary", "metals[0].name=1:2:1"],
            "is text, not a number",
        ),
        (
            vec!["--vary", FLOOR, "--shard", "3/2"],
            "shard 3 of 2 does not exist",
        ),
        (
            vec![
                "--vary",
                "targets.recycled_output_min_mt=0:1000:1",
                "--vary",
                "targets.co2_max_mt=0:1000:1",
            ],
            "more than 1000000 points",
        ),
        (vec![], "--vary"),
    ] {
        let mut all = vec!["sweep", china.as_str()];
        all.extend_from_slice(&args);
        let run = common::metalplan(&all);
        run.expect_code(1).expect_no_panic();
        assert!(
            run.stderr.contains(said),
            "{args:?}: stderr does not say {said:?}:\n{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    let run = common::metalplan(["sweep", "no-such.toml", "--vary", FLOOR]);
    run.expect_code(1).expect_no_panic();
    assert!(run.stderr.contains("cannot read scenario no-such.toml"));
}

#[test]
fn merging_overlapping_or_foreign_shards_is_refused() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let file = |name: &str| {
        directory
            .path()
            .join(name)
            .to_str()
            .expect("a UTF-8 path")
            .to_string()
    };
    let (first, whole, other) = (file("first.csv"), file("whole.csv"), file("other.csv"));
    sweep(&["--vary", FLOOR, "--shard", "1/2", "-o", &first]);
    sweep(&["--vary", FLOOR, "-o", &whole]);
    sweep(&[
        "--vary",
        "targets.output_growth_min=0:0.02:0.01",
        "-o",
        &other,
    ]);

    let run = common::metalplan(["sweep-merge", &first, &whole, "-o", &file("all.csv")]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains(&format!("point 0 is in both {first} and {whole}")),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&file("all.csv")).exists(), "nothing is written");

    let run = common::metalplan(["sweep-merge", &first, &other]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains("has a different header"),
        "{}",
        run.stderr
    );
}

/// `--chart` draws the cost and the binding targets' prices against the one varied value, and
/// is refused for a grid.
#[test]
fn a_sweep_chart_is_drawn_for_one_varied_value() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let chart = dir.path().join("sweep.svg");
    let run = common::metalplan([
        std::ffi::OsStr::new("sweep"),
        common::china_scenario().as_os_str(),
        std::ffi::OsStr::new("--vary"),
        std::ffi::OsStr::new("targets.recycled_output_min_mt=20:23:0.5"),
        std::ffi::OsStr::new("--chart"),
        chart.as_os_str(),
    ]);
    run.expect_code(0).expect_no_panic();
    let text = std::fs::read_to_string(&chart).expect("the chart was written");
    let document = roxmltree::Document::parse(&text).expect("well-formed SVG");
    let texts: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .filter_map(|node| node.text())
        .collect();
    for expected in [
        "Optimal cost",
        "targets.recycled_output_min_mt",
        "cost (bn CNY)",
        "recycled_output_min[2025]",
        "infeasible or failed",
    ] {
        assert!(
            texts.iter().any(|text| text.contains(expected)),
            "no {expected:?} in {texts:?}"
        );
    }
    let grid = common::metalplan([
        std::ffi::OsStr::new("sweep"),
        common::china_scenario().as_os_str(),
        std::ffi::OsStr::new("--vary"),
        std::ffi::OsStr::new("targets.recycled_output_min_mt=20:21:0.5"),
        std::ffi::OsStr::new("--vary"),
        std::ffi::OsStr::new("targets.output_growth_min=0.01:0.02:0.01"),
        std::ffi::OsStr::new("--chart"),
        chart.as_os_str(),
    ]);
    grid.expect_code(1);
    assert!(
        grid.stderr.contains("exactly one --vary"),
        "{}",
        grid.stderr
    );
}

//! Scenarios that existed before stages, trade and demand keep their plan, objective and MPS
//! export exactly (tests/data/legacy/README.md says where the expected files come from).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::PathBuf;

use serde_json::Value as Json;

use crate::common::{metalplan, repo_root};

/// The scenario file an expected-file name stands for.
fn scenario_of(name: &str) -> PathBuf {
    let root = repo_root();
    if let Some(file) = name.strip_prefix("data-") {
        root.join("tests/data").join(format!("{file}.toml"))
    } else if let Some(file) = name.strip_prefix("facilities-") {
        root.join("tests/data/facilities")
            .join(format!("{file}.toml"))
    } else if name == "legacy-china-2025-2026" {
        root.join("tests/data/legacy/china-2025-2026.toml")
    } else {
        panic!("unknown expected-file name `{name}`")
    }
}

fn expected_dir() -> PathBuf {
    repo_root().join("tests/data/legacy/expected")
}

#[test]
fn every_earlier_scenario_exports_the_same_mps() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut compared = 0;
    for entry in std::fs::read_dir(expected_dir()).expect("list the expected files") {
        let path = entry.expect("an entry").path();
        if path.extension() != Some(OsStr::new("mps")) {
            continue;
        }
        let name = path.file_stem().and_then(OsStr::to_str).expect("a name");
        let written = dir.path().join(format!("{name}.mps"));
        metalplan([
            OsStr::new("export"),
            scenario_of(name).as_os_str(),
            OsStr::new("--mps"),
            written.as_os_str(),
        ])
        .expect_code(0);
        let expected = std::fs::read_to_string(&path).expect("read the expected MPS");
        let now = std::fs::read_to_string(&written).expect("read the MPS written");
        assert!(expected == now, "{name}: the MPS export changed");
        compared += 1;
    }
    assert_eq!(compared, 10, "every earlier scenario with a model");
}

/// (scenario, objective) -> (objective value, (metal, route, year) -> output).
type Expected = BTreeMap<(String, String), (f64, BTreeMap<(String, String, i64), f64>)>;

fn expected_plans() -> Expected {
    let text = std::fs::read_to_string(expected_dir().join("plans.csv")).expect("read plans.csv");
    let mut plans = Expected::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let number = |cell: &str| cell.parse::<f64>().expect("a number");
        let entry = plans
            .entry((cells[0].to_string(), cells[1].to_string()))
            .or_insert_with(|| (number(cells[2]), BTreeMap::new()));
        let year = cells[5].parse().expect("a year");
        entry.1.insert(
            (cells[3].to_string(), cells[4].to_string(), year),
            number(cells[6]),
        );
    }
    plans
}

#[test]
fn every_earlier_scenario_gives_the_identical_plan_under_every_objective() {
    let plans = expected_plans();
    assert_eq!(plans.len(), 40, "10 scenarios x 4 objectives");
    for ((name, objective), (value, outputs)) in &plans {
        let run = metalplan([
            OsStr::new("solve"),
            scenario_of(name).as_os_str(),
            OsStr::new("--objective"),
            OsStr::new(objective),
            OsStr::new("--format"),
            OsStr::new("json"),
        ]);
        run.expect_code(0);
        let result: Json = serde_json::from_str(&run.stdout).expect("JSON");
        assert_eq!(
            result["objective"].as_f64(),
            Some(*value),
            "{name} {objective}: objective"
        );
        let plan = result["plan"].as_array().expect("plan rows");
        assert_eq!(plan.len(), outputs.len(), "{name} {objective}: plan rows");
        for row in plan {
            let key = (
                row["metal"].as_str().expect("metal").to_string(),
                row["route"].as_str().expect("route").to_string(),
                row["year"].as_i64().expect("year"),
            );
            assert_eq!(
                row["output_mt"].as_f64(),
                outputs.get(&key).copied(),
                "{name} {objective}: output {key:?}"
            );
        }
    }
}

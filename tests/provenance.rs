//! Provenance, `solve --replay` and `diff`: every result records the versions, the hashes of its
//! inputs (recomputed here with `sha2` from the files) and its options; replay exits 0 on an
//! unchanged result and 5 naming the input that changed; diff's changes equal the differences
//! recomputed here from the two result files.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{close, data_file, metalplan, repo_root};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// The exit code of a replay that found changed inputs or a different plan (README).
const REPLAY_MISMATCH: i32 = 5;

fn text(path: &Path) -> &str {
    path.to_str().expect("paths are UTF-8")
}

fn sha256_of_file(path: &Path) -> String {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

fn solve_json(args: &[&str]) -> Json {
    let mut all = vec!["solve"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = metalplan(&all);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout).expect("the result is JSON")
}

/// The version of `package` in Cargo.lock, read here independently of the build script.
fn locked_version(package: &str) -> String {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).expect("Cargo.lock");
    let lines: Vec<&str> = lock.lines().collect();
    let index = lines
        .iter()
        .position(|line| *line == format!("name = \"{package}\""))
        .expect("the package is locked");
    lines[index + 1]
        .trim_start_matches("version = \"")
        .trim_end_matches('"')
        .to_string()
}

/// builds-and-caps.toml with high-scrap.toml, a shock and a time limit.
fn provenance_args(base: &Path, overlay: &Path) -> Vec<String> {
    [
        text(base),
        "--with",
        text(overlay),
        "--shock",
        "copper.imported_concentrate=0.9",
        "--time-limit",
        "60",
    ]
    .map(str::to_string)
    .to_vec()
}

#[test]
fn a_result_records_versions_input_hashes_and_options() {
    let base = data_file("builds-and-caps.toml");
    let overlay = data_file("overlays/high-scrap.toml");
    let args = provenance_args(&base, &overlay);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = solve_json(&args);
    let provenance = &result["provenance"];
    assert_eq!(provenance["metalplan_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(provenance["solver"]["name"], "highs");
    assert_eq!(provenance["solver"]["library"], "highs-sys");
    assert_eq!(provenance["solver"]["version"], locked_version("highs-sys"));
    // Paths inside the folder metalplan ran in are relative to it.
    assert_eq!(
        provenance["scenario"]["path"],
        "tests/data/builds-and-caps.toml"
    );
    assert_eq!(
        provenance["scenario"]["file_sha256"],
        sha256_of_file(&base).as_str()
    );
    assert_eq!(
        provenance["overlays"],
        serde_json::json!([{
            "path": "tests/data/overlays/high-scrap.toml",
            "file_sha256": sha256_of_file(&overlay),
        }])
    );
    let scenario_hash = provenance["scenario_sha256"].as_str().expect("a hash");
    assert_eq!(scenario_hash.len(), 64);
    assert!(scenario_hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(provenance["plugins"], serde_json::json!([]));
    assert_eq!(
        provenance["options"],
        serde_json::json!({
            "solver": "highs",
            "objective": "cost",
            "overlays": ["tests/data/overlays/high-scrap.toml"],
            "plugins": [],
            "shocks": ["copper.imported_concentrate=0.9"],
            "soft_targets": false,
            "time_limit_seconds": 60.0,
        })
    );
}

#[test]
fn the_csv_header_the_terminal_and_the_report_show_the_provenance() {
    let base = data_file("builds-and-caps.toml");
    let overlay = data_file("overlays/high-scrap.toml");
    let args = provenance_args(&base, &overlay);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = solve_json(&args);
    let scenario_hash = result["provenance"]["scenario_sha256"]
        .as_str()
        .expect("a hash");

    // The CSV starts with the same facts as comment lines.
    let mut csv_args = vec!["solve"];
    csv_args.extend_from_slice(&args);
    csv_args.extend_from_slice(&["--format", "csv", "--table", "totals"]);
    let csv = metalplan(&csv_args);
    csv.expect_code(0);
    let comments: Vec<&str> = csv
        .stdout
        .lines()
        .take_while(|line| line.starts_with('#'))
        .collect();
    assert!(
        comments.contains(&format!("# scenario sha256 after overlays: {scenario_hash}").as_str())
    );
    assert!(comments.contains(
        &format!(
            "# overlay 1: tests/data/overlays/high-scrap.toml (file sha256 {})",
            sha256_of_file(&overlay)
        )
        .as_str()
    ));
    assert!(
        comments.iter().any(|line| line.starts_with("# options: ")
            && line.contains("--shock copper.imported_concentrate=0.9")),
        "{comments:?}"
    );
    assert!(csv
        .stdout
        .lines()
        .nth(comments.len())
        .expect("a header")
        .starts_with("year,"));

    // The terminal header has one short provenance line with the start of the hash.
    let tables = metalplan(&{
        let mut table_args = vec!["solve"];
        table_args.extend_from_slice(&args);
        table_args
    });
    tables.expect_code(0);
    let line = tables
        .stdout
        .lines()
        .find(|line| line.starts_with("provenance: "))
        .expect("a provenance line");
    assert!(line.contains(&scenario_hash[..12]), "{line}");
    assert!(tables
        .stdout
        .contains("overlays: tests/data/overlays/high-scrap.toml"));

    // The report has a provenance section with the hashes.
    let directory = tempfile::tempdir().expect("a temporary directory");
    let report = directory.path().join("report.md");
    let mut report_args = vec!["solve"];
    report_args.extend_from_slice(&args);
    report_args.extend_from_slice(&["--report", text(&report)]);
    metalplan(&report_args).expect_code(0);
    let markdown = std::fs::read_to_string(&report).expect("the report was written");
    assert!(markdown.contains("## Provenance"), "{markdown}");
    assert!(markdown.contains(scenario_hash), "{markdown}");
    assert!(markdown.contains(&sha256_of_file(&overlay)), "{markdown}");
}

#[test]
fn the_scenario_hash_ignores_comments_and_layout_but_not_values() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let original = std::fs::read_to_string(data_file("two-metals.toml")).expect("the scenario");
    let file = directory.path().join("scenario.toml");
    let hash_of = |contents: &str| {
        std::fs::write(&file, contents).expect("the folder is writable");
        let result = solve_json(&[text(&file)]);
        (
            result["provenance"]["scenario_sha256"]
                .as_str()
                .expect("a hash")
                .to_string(),
            result["provenance"]["scenario"]["file_sha256"]
                .as_str()
                .expect("a hash")
                .to_string(),
        )
    };
    let (hash, file_hash) = hash_of(&original);
    let commented = format!(
        "# a comment added at the top\n\n{}",
        original.replace(" = ", "   =   ")
    );
    let (commented_hash, commented_file_hash) = hash_of(&commented);
    assert_eq!(
        hash, commented_hash,
        "comments and spaces do not change the scenario"
    );
    assert_ne!(
        file_hash, commented_file_hash,
        "but they do change the file"
    );
    let changed = original.replace(
        "recycled_output_min_mt = 3.0",
        "recycled_output_min_mt = 2.9",
    );
    assert_ne!(changed, original, "the replacement applied");
    let (changed_hash, _) = hash_of(&changed);
    assert_ne!(hash, changed_hash, "a value changes the scenario hash");
}

#[test]
fn plugins_are_recorded_with_their_file_hashes_and_relative_paths() {
    let result = solve_json(&[text(&common::china_scenario())]);
    let plugins = result["provenance"]["plugins"].as_array().expect("plugins");
    let names: Vec<&str> = plugins
        .iter()
        .map(|plugin| plugin["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["aluminium", "copper", "lithium"]);
    for plugin in plugins {
        let path = Path::new(plugin["path"].as_str().expect("a path"));
        assert!(path.is_relative(), "{}", path.display());
        assert_eq!(
            plugin["file_sha256"],
            sha256_of_file(&repo_root().join(path)).as_str()
        );
        assert_eq!(plugin["version"], "0.1.0");
    }
    // The result's own plugin entries show the same relative paths.
    let reported: Vec<&Json> = result["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .map(|plugin| &plugin["path"])
        .collect();
    let recorded: Vec<&Json> = plugins.iter().map(|plugin| &plugin["path"]).collect();
    assert_eq!(reported, recorded);
}

/// A copy of builds-and-caps.toml and high-scrap.toml in a temporary folder, solved there with
/// the result written beside them.
struct ReplayCase {
    _directory: tempfile::TempDir,
    scenario: PathBuf,
    overlay: PathBuf,
    result: PathBuf,
}

impl ReplayCase {
    fn new() -> Self {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let scenario = directory.path().join("scenario.toml");
        let overlay = directory.path().join("high-scrap.toml");
        let result = directory.path().join("result.json");
        std::fs::copy(data_file("builds-and-caps.toml"), &scenario).expect("copied");
        std::fs::copy(data_file("overlays/high-scrap.toml"), &overlay).expect("copied");
        metalplan([
            "solve",
            text(&scenario),
            "--with",
            text(&overlay),
            "--objective",
            "cost",
            "--format",
            "json",
            "-o",
            text(&result),
        ])
        .expect_code(0);
        ReplayCase {
            _directory: directory,
            scenario,
            overlay,
            result,
        }
    }

    fn replay(&self) -> common::Run {
        let run = metalplan(["solve", "--replay", text(&self.result)]);
        run.expect_no_panic();
        run
    }

    fn edit(file: &Path, from: &str, to: &str) {
        let contents = std::fs::read_to_string(file).expect("readable");
        assert!(contents.contains(from), "{from} is in {}", file.display());
        std::fs::write(file, contents.replacen(from, to, 1)).expect("writable");
    }
}

#[test]
fn replay_of_an_unchanged_result_matches() {
    let case = ReplayCase::new();
    let run = case.replay();
    run.expect_code(0);
    assert!(run.stdout.contains("replay matches"), "{}", run.stdout);
    assert!(
        run.stdout.contains("all 21 outputs match"),
        "{}",
        run.stdout
    );

    // A comment-only edit changes the file but not the scenario: still a match, with a note.
    ReplayCase::edit(&case.scenario, "name = ", "# a new comment\nname = ");
    let run = case.replay();
    run.expect_code(0);
    assert!(
        run.stdout.contains(&format!(
            "note: the scenario file {} changed only in comments or layout",
            case.scenario.display()
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn replay_names_a_changed_scenario_file() {
    let case = ReplayCase::new();
    ReplayCase::edit(
        &case.scenario,
        "discount_rate = 0.08",
        "discount_rate = 0.07",
    );
    let run = case.replay();
    run.expect_code(REPLAY_MISMATCH);
    assert!(
        run.stderr.contains(&format!(
            "replay mismatch: scenario hash differs: the scenario file {} changed since the \
             result was written",
            case.scenario.display()
        )),
        "{}",
        run.stderr
    );
    // A different discount rate changes the discounted objective: the plan check reports it.
    assert!(run.stderr.contains("objective:"), "{}", run.stderr);
}

#[test]
fn replay_names_a_changed_overlay() {
    let case = ReplayCase::new();
    ReplayCase::edit(&case.overlay, "capacity_mt = 2.8", "capacity_mt = 2.9");
    let run = case.replay();
    run.expect_code(REPLAY_MISMATCH);
    assert!(
        run.stderr.contains(&format!(
            "replay mismatch: scenario hash differs: overlay {} changed since the result was \
             written",
            case.overlay.display()
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("the scenario file"), "{}", run.stderr);
}

#[test]
fn replay_reports_a_plan_that_differs_from_the_result() {
    let case = ReplayCase::new();
    // Inputs unchanged, but the recorded plan altered: the re-solve must notice.
    let mut result: Json =
        serde_json::from_str(&std::fs::read_to_string(&case.result).expect("the result"))
            .expect("JSON");
    let row = result["plan"]
        .as_array_mut()
        .expect("plan rows")
        .iter_mut()
        .find(|row| row["metal"] == "zinc" && row["route"] == "recycled" && row["year"] == 2026)
        .expect("a zinc row");
    let output = row["output_mt"].as_f64().expect("output");
    row["output_mt"] = Json::from(output + 0.01);
    std::fs::write(
        &case.result,
        serde_json::to_string_pretty(&result).expect("JSON"),
    )
    .expect("writable");
    let run = case.replay();
    run.expect_code(REPLAY_MISMATCH);
    assert!(
        run.stderr.contains("output zinc recycled 2026:"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hash differs"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// diff

type Key = (String, String, i64);

fn outputs(result: &Json) -> BTreeMap<Key, f64> {
    result["plan"]
        .as_array()
        .expect("plan rows")
        .iter()
        .map(|row| {
            (
                (
                    row["metal"].as_str().expect("metal").to_string(),
                    row["route"].as_str().expect("route").to_string(),
                    row["year"].as_i64().expect("year"),
                ),
                row["output_mt"].as_f64().expect("output"),
            )
        })
        .collect()
}

fn target_prices(result: &Json) -> BTreeMap<String, Option<f64>> {
    result["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|row| {
            let name = row["name"].as_str().expect("name");
            let year = row["year"].as_i64().expect("year");
            let key = match row["metal"].as_str() {
                Some(metal) => format!("{name}[{metal},{year}]"),
                None => format!("{name}[{year}]"),
            };
            (key, row["shadow_price"].as_f64())
        })
        .collect()
}

#[test]
fn diff_of_two_overlays_matches_the_differences_of_the_result_files() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let a_file = directory.path().join("a.json");
    let b_file = directory.path().join("b.json");
    let base = data_file("builds-and-caps.toml");
    for (file, overlays) in [
        (&a_file, vec![]),
        (
            &b_file,
            vec!["--with", "tests/data/overlays/high-scrap.toml"],
        ),
    ] {
        let mut args = vec!["solve", text(&base)];
        args.extend(overlays);
        args.extend(["--format", "json", "-o", text(file)]);
        metalplan(&args).expect_code(0);
    }
    let read = |file: &Path| -> Json {
        serde_json::from_str(&std::fs::read_to_string(file).expect("a result")).expect("JSON")
    };
    let (a, b) = (read(&a_file), read(&b_file));
    let diff_file = directory.path().join("diff.json");
    let run = metalplan([
        "diff",
        text(&a_file),
        text(&b_file),
        "--format",
        "json",
        "-o",
        text(&diff_file),
    ]);
    run.expect_code(0).expect_no_panic();
    let diff = read(&diff_file);

    check_output_changes(&diff, &a, &b);
    check_objective_and_price_changes(&diff, &a, &b);
    check_totals_changes(&diff, &a, &b);

    // The other way round, zinc is removed; the tables and CSV name it too.
    let reverse = metalplan(["diff", text(&b_file), text(&a_file), "--format", "csv"]);
    reverse.expect_code(0);
    assert!(
        reverse
            .stdout
            .lines()
            .any(|line| line.starts_with("zinc,primary,2025,") && line.ends_with(",removed")),
        "{}",
        reverse.stdout
    );
    let tables = metalplan(["diff", text(&a_file), text(&b_file)]);
    tables.expect_code(0);
    assert!(
        tables.stdout.contains("metals only in B: zinc"),
        "{}",
        tables.stdout
    );

    // Something that is not a result is bad input.
    let run = metalplan(["diff", text(&a_file), text(&base)]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains("is not a metalplan result"),
        "{}",
        run.stderr
    );
}

/// Outputs: every key of either plan, with B - A where both have it.
fn check_output_changes(diff: &Json, a: &Json, b: &Json) {
    let (outputs_a, outputs_b) = (outputs(a), outputs(b));
    let rows = diff["plan"].as_array().expect("plan changes");
    let mut keys: Vec<&Key> = outputs_a.keys().chain(outputs_b.keys()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(rows.len(), keys.len());
    for row in rows {
        let key = (
            row["metal"].as_str().expect("metal").to_string(),
            row["route"].as_str().expect("route").to_string(),
            row["year"].as_i64().expect("year"),
        );
        let (in_a, in_b) = (outputs_a.get(&key), outputs_b.get(&key));
        assert_eq!(row["a"].as_f64().as_ref(), in_a, "{key:?}");
        assert_eq!(row["b"].as_f64().as_ref(), in_b, "{key:?}");
        match (in_a, in_b) {
            (Some(a), Some(b)) => {
                assert!(
                    close(row["delta"].as_f64().expect("delta"), b - a),
                    "{key:?}"
                );
                assert_eq!(row["status"], "both");
            }
            (None, Some(_)) => {
                assert_eq!(key.0, "zinc", "only the new metal is added");
                assert_eq!(row["status"], "added");
                assert!(row["delta"].is_null());
            }
            _ => panic!("{key:?} should not be only in A"),
        }
    }
    assert_eq!(diff["metals_only_in"]["b"], serde_json::json!(["zinc"]));
    assert_eq!(diff["metals_only_in"]["a"], serde_json::json!([]));
}

fn check_objective_and_price_changes(diff: &Json, a: &Json, b: &Json) {
    // The objective.
    let objective = |result: &Json| result["objective"].as_f64().expect("objective");
    assert!(close(
        diff["objective"]["delta"].as_f64().expect("delta"),
        objective(b) - objective(a)
    ));
    assert!(diff["objective"]["delta"].as_f64().expect("delta").abs() > 1e6);

    // Target shadow prices; the 2025 recycled floor exists only in B (the overlay extends it).
    let (prices_a, prices_b) = (target_prices(a), target_prices(b));
    let changes: BTreeMap<&str, &Json> = diff["shadow_prices"]
        .as_array()
        .expect("shadow price changes")
        .iter()
        .filter(|row| row["kind"] == "target")
        .map(|row| (row["row"].as_str().expect("row"), row))
        .collect();
    let mut target_keys: Vec<&String> = prices_a.keys().chain(prices_b.keys()).collect();
    target_keys.sort();
    target_keys.dedup();
    assert_eq!(changes.len(), target_keys.len());
    for key in target_keys {
        let change = changes[key.as_str()];
        let (in_a, in_b) = (
            prices_a.get(key).copied().flatten(),
            prices_b.get(key).copied().flatten(),
        );
        assert_eq!(change["a"].as_f64(), in_a, "{key}");
        assert_eq!(change["b"].as_f64(), in_b, "{key}");
        if let (Some(a), Some(b)) = (in_a, in_b) {
            assert!(
                close(change["delta"].as_f64().expect("delta"), b - a),
                "{key}"
            );
        }
    }
    assert_eq!(changes["recycled_output_min[2025]"]["status"], "added");
}

fn check_totals_changes(diff: &Json, a: &Json, b: &Json) {
    // Totals: every quantity of every year.
    for row in diff["totals"].as_array().expect("totals changes") {
        let year = row["year"].as_i64().expect("year");
        let quantity = row["quantity"].as_str().expect("quantity");
        let value = |result: &Json| {
            result["totals"]
                .as_array()
                .expect("totals")
                .iter()
                .find(|total| total["year"] == year)
                .and_then(|total| total[quantity].as_f64())
                .expect("a total")
        };
        assert!(
            close(row["delta"].as_f64().expect("delta"), value(b) - value(a)),
            "{year} {quantity}"
        );
    }
}

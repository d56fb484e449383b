//! The application layer used as a library, the way a notebook, a service or a Python binding
//! would use it: solve, sweep (with shards and their merge), compare and replay through
//! `metalplan_core` alone, and get what the `metalplan` binary gives on the same inputs.

use std::path::{Path, PathBuf};

use metalplan_core::app::compare::compare_files;
use metalplan_core::app::replay::replay;
use metalplan_core::app::sweep::{merge_shards, sweep, Shard, SweepRequest};
use metalplan_core::{run, Request};

use crate::common::{self, china_scenario, metalplan, metalplan_binary};

/// The folder the binary looks for the bundled plugins in: next to itself.
fn plugin_folders() -> Vec<PathBuf> {
    vec![metalplan_binary()
        .parent()
        .expect("the binary lives in a folder")
        .to_path_buf()]
}

fn request(scenario: &Path) -> Request {
    Request {
        plugin_folders: plugin_folders(),
        ..Request::new(scenario)
    }
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("serialises") + "\n"
}

#[test]
fn a_solve_through_the_library_writes_the_binarys_json() {
    let solved = run(&request(&china_scenario())).expect("the China scenario solves");
    let binary = metalplan(["solve", text(&china_scenario()), "--format", "json"]);
    binary.expect_code(0);
    // Byte for byte: the same plan, prices, totals and provenance (paths, hashes, options).
    assert_eq!(json_text(&solved.result), binary.stdout);
    let stages: Vec<&str> = solved.timings.iter().map(|lap| lap.stage).collect();
    assert_eq!(stages.first(), Some(&"load scenario"));
    assert!(stages.contains(&"solve"), "{stages:?}");
}

#[test]
fn a_sharded_sweep_merges_to_the_whole_and_to_the_binarys_table() {
    let floor = "targets.recycled_output_min_mt=19:21:0.5";
    let sweep_request = |shard: Option<Shard>| SweepRequest {
        base: request(&china_scenario()),
        varies: vec![floor.parse().expect("a valid range")],
        shard,
        jobs: None,
    };
    let whole = sweep(&sweep_request(None), &|_| {})
        .expect("the sweep runs")
        .csv()
        .expect("writes CSV");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut parts = Vec::new();
    for index in 1..=2 {
        let shard = Shard { index, count: 2 };
        let table = sweep(&sweep_request(Some(shard)), &|_| {}).expect("the shard runs");
        assert_eq!(table.total_points, 5);
        let part = dir.path().join(format!("part-{index}.csv"));
        std::fs::write(&part, table.csv().expect("writes CSV")).expect("write the part");
        parts.push(part);
    }
    assert_eq!(merge_shards(&parts).expect("the shards merge"), whole);
    let binary = metalplan(["sweep", text(&china_scenario()), "--vary", floor]);
    binary.expect_code(0);
    assert_eq!(binary.stdout, whole);
}

#[test]
fn a_comparison_and_a_replay_through_the_library_agree_with_the_binary() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let china = china_scenario();
    let result_file = |name: &str, args: &[&str]| {
        let file = dir.path().join(name);
        let mut all = vec!["solve", text(&china), "--format", "json", "-o"];
        all.push(text(&file));
        all.extend_from_slice(args);
        metalplan(&all).expect_code(0);
        file
    };
    let a = result_file("a.json", &[]);
    let b = result_file("b.json", &["--shock", "copper.imported_concentrate=0.95"]);

    let diff = compare_files(&a, &b).expect("both are results");
    let binary = metalplan(["diff", text(&a), text(&b), "--format", "json"]);
    binary.expect_code(0);
    assert_eq!(json_text(&diff), binary.stdout);
    assert!(diff.objective.delta > 0.0, "less concentrate costs more");

    let settings = Request {
        plugin_folders: plugin_folders(),
        ..Request::default()
    };
    let replayed = replay(&b, &settings).expect("the result can be replayed");
    let rerun = replayed.rerun.expect("the re-run solves");
    assert!(
        rerun.matches(),
        "{:?} {:?}",
        rerun.mismatches,
        rerun.plan_differences
    );
    assert!(replayed.changed_files.is_empty());
    assert_eq!(replayed.request.shocks.len(), 1);
    let binary = metalplan(["solve", "--replay", text(&b)]);
    binary.expect_code(0);
    assert!(
        binary.stdout.contains("replay matches"),
        "{}",
        binary.stdout
    );
    // The objective the library replays is the one the file records.
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&b).expect("read b")).expect("JSON");
    assert!(common::close(
        common::objective_of(&recorded),
        rerun.run.result.objective
    ));
}

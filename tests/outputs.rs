//! What `metalplan` writes and where: CSV tables with a header and one row per item the scenario
//! implies, `-o FILE` replacing a file only on success, byte-identical JSON across runs, and the
//! exit codes of `check` and of usage errors.

use crate::common;

use std::path::Path;

use crate::common::Scenario;
use serde_json::Value as Json;

fn path_text(path: &Path) -> &str {
    path.to_str().expect("paths are UTF-8")
}

fn china_text() -> String {
    path_text(&common::china_scenario()).to_string()
}

/// The names of the files in `folder`, sorted.
fn sorted_names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("the folder can be listed")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// `metalplan solve SCENARIO --format csv --table TABLE`, split into a header and rows.
fn csv_table(scenario: &str, table: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let run = common::metalplan(["solve", scenario, "--format", "csv", "--table", table]);
    run.expect_code(0).expect_no_panic();
    assert!(run.stdout.ends_with('\n'), "the CSV ends with a newline");
    // No field of these tables holds a comma or a quote (keys, numbers, `>=`), so a plain
    // split reads them; a quoted field would show up as a wrong column count below.
    // The provenance comes first, as `# label: text` comment lines (docs/results.md).
    let comments = run
        .stdout
        .lines()
        .take_while(|line| line.starts_with("# "))
        .count();
    assert!(
        run.stdout.contains("\n# scenario sha256 after overlays: "),
        "{table}: no provenance comment:\n{}",
        run.stdout
    );
    let mut lines = run.stdout.lines().skip(comments);
    let split = |line: &str| line.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().expect("a header line"));
    let rows: Vec<Vec<String>> = lines.map(split).collect();
    for row in &rows {
        assert_eq!(
            row.len(),
            header.len(),
            "{table}: row {row:?} vs header {header:?}"
        );
    }
    (header, rows)
}

/// How many rows each table should have, counted from the scenario file alone.
struct ExpectedRows {
    plan: usize,
    feed: usize,
    targets: usize,
    totals: usize,
}

fn expected_rows(scenario: &Scenario) -> ExpectedRows {
    let years = scenario.years();
    let metals = scenario.metals();
    let routes: usize = metals.iter().map(|metal| metal.routes().len()).sum();
    let feeds: usize = metals
        .iter()
        .flat_map(|metal| {
            metal
                .routes()
                .into_iter()
                .map(|(route, _)| metal.feeds(route).len())
        })
        .sum();
    // A target row for each planning year a target covers (docs/model.md, Targets).
    let covered = |value: &toml::Value| {
        years
            .iter()
            .filter(|&&year| common::per_year(value, year).is_some())
            .count()
    };
    let mut targets = 0;
    for key in [
        "recycled_output_min_mt",
        "output_growth_min",
        "output_growth_max",
        "value_added_growth_min",
        "co2_max_mt",
    ] {
        targets += scenario.target(key).map_or(0, covered);
    }
    targets += scenario
        .import_dependence_caps()
        .iter()
        .map(|(_, cap)| covered(cap))
        .sum::<usize>();
    ExpectedRows {
        plan: routes * years.len(),
        feed: feeds * years.len(),
        targets,
        totals: years.len(),
    }
}

#[test]
fn each_csv_table_has_a_header_and_one_row_per_item() {
    let paths = [
        common::china_scenario(),
        common::data_file("builds-and-caps.toml"),
    ];
    for path in paths {
        let scenario = Scenario::load(&path);
        let expected = expected_rows(&scenario);
        let metals: Vec<String> = scenario
            .metals()
            .iter()
            .map(|metal| format!("import_dependence_{}", metal.name))
            .collect();
        // The header names the same fields as the JSON rows (docs/results.md).
        let mut totals_header = vec![
            "year",
            "output_total_mt",
            "output_growth",
            "recycled_mt",
            "value_added_cny",
            "value_added_growth",
            "co2_t",
            "cost_cny",
        ];
        let mut sorted_metals = metals.clone();
        sorted_metals.sort();
        totals_header.extend(sorted_metals.iter().map(String::as_str));
        for (table, rows, header) in [
            (
                "plan",
                expected.plan,
                vec![
                    "metal",
                    "route",
                    "year",
                    "output_mt",
                    "capacity_mt",
                    "built_mt",
                    "capacity_shadow_price_cny_per_t",
                    "reduced_cost_cny_per_t",
                ],
            ),
            (
                "feed",
                expected.feed,
                vec![
                    "metal",
                    "route",
                    "source",
                    "year",
                    "feed_mt",
                    "available_mt",
                    "shadow_price_cny_per_t",
                ],
            ),
            (
                "targets",
                expected.targets,
                vec![
                    "name",
                    "metal",
                    "year",
                    "value",
                    "bound",
                    "sense",
                    "binding",
                    "unit",
                    "shadow_price",
                    "shadow_price_unit",
                    "definition",
                    "process",
                ],
            ),
            ("totals", expected.totals, totals_header.clone()),
        ] {
            let (found_header, found_rows) = csv_table(path_text(&path), table);
            assert_eq!(found_header, header, "{}: {table} header", path.display());
            assert_eq!(
                found_rows.len(),
                rows,
                "{}: {table} rows: {found_rows:#?}",
                path.display()
            );
        }
        assert!(expected.targets > 0 && expected.feed > expected.plan);
    }
}

#[test]
fn the_csv_plan_holds_the_same_numbers_as_the_json_plan() {
    let china = china_text();
    let (header, rows) = csv_table(&china, "plan");
    let result = common::solve_json(&common::china_scenario(), "highs", "cost");
    let json_rows = result["plan"].as_array().expect("a plan array");
    assert_eq!(rows.len(), json_rows.len());
    for (row, json) in rows.iter().zip(json_rows) {
        for (field, text) in header.iter().zip(row) {
            let value = &json[field.as_str()];
            let same = match value {
                Json::String(expected) => text == expected,
                Json::Number(number) => text.parse::<f64>().ok() == number.as_f64(),
                other => panic!("unexpected JSON value {other}"),
            };
            assert!(same, "{field}: CSV `{text}`, JSON {value}");
        }
    }
}

#[test]
fn output_file_receives_what_stdout_would() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let china = china_text();
    for (format, name) in [("json", "plan.json"), ("csv", "plan.csv")] {
        let file = directory.path().join(name);
        let to_stdout = common::metalplan(["solve", &china, "--format", format]);
        to_stdout.expect_code(0);
        let to_file =
            common::metalplan(["solve", &china, "--format", format, "-o", path_text(&file)]);
        to_file.expect_code(0).expect_no_panic();
        assert!(to_file.stdout.is_empty(), "with -o nothing goes to stdout");
        let written = std::fs::read_to_string(&file).expect("the output file was written");
        assert_eq!(
            written, to_stdout.stdout,
            "{format}: file and stdout differ"
        );
    }
    // Only the two outputs: no temporary file is left behind.
    let names = sorted_names(directory.path());
    assert_eq!(names, ["plan.csv", "plan.json"]);
}

#[test]
fn a_failed_run_leaves_an_existing_output_file_untouched() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let file = directory.path().join("result.json");
    let previous = "{\"a result from an earlier run\": true}\n";
    std::fs::write(&file, previous).expect("the directory is writable");
    let infeasible = common::data_file("infeasible-recycled-floor.toml");
    let invalid = directory.path().join("invalid.toml");
    std::fs::write(&invalid, "base_year = 2024\nyears = [2025]\nmetals = []\n")
        .expect("the directory is writable");
    for (scenario, code) in [(infeasible.as_path(), 2), (invalid.as_path(), 1)] {
        let run = common::metalplan([
            "solve",
            path_text(scenario),
            "--format",
            "json",
            "-o",
            path_text(&file),
        ]);
        run.expect_code(code).expect_no_panic();
        assert_eq!(
            std::fs::read_to_string(&file).expect("the file is still there"),
            previous,
            "{}: the earlier result was overwritten",
            scenario.display()
        );
    }
    let names = sorted_names(directory.path());
    assert_eq!(
        names,
        ["invalid.toml", "result.json"],
        "no temporary file is left"
    );
}

/// `-o` onto something that is not a regular file writes into it: renaming a temporary file
/// over a named pipe (or `/dev/null`) would replace it with a plain file. A FIFO stands in for
/// the devices here, so a regression cannot damage the machine's own `/dev`.
#[test]
fn output_into_a_named_pipe_goes_through_the_pipe() {
    use std::os::unix::fs::FileTypeExt as _;

    let directory = tempfile::tempdir().expect("a temporary directory");
    let pipe = directory.path().join("plan.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", pipe.display());
    // The reader blocks in `open` until metalplan opens the pipe for writing. Were the pipe
    // replaced instead, it would never return: the assertions below fail first, and the
    // blocked thread ends with the test process.
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || std::fs::read_to_string(pipe))
    };
    let china = china_text();
    let to_pipe = common::metalplan(["solve", &china, "--format", "json", "-o", path_text(&pipe)]);
    to_pipe.expect_code(0).expect_no_panic();
    let file_type = std::fs::symlink_metadata(&pipe)
        .expect("the pipe is still there")
        .file_type();
    assert!(
        file_type.is_fifo(),
        "the named pipe was replaced by {file_type:?}"
    );
    let received = reader
        .join()
        .expect("the reader thread does not panic")
        .expect("the pipe can be read");
    let to_stdout = common::metalplan(["solve", &china, "--format", "json"]);
    to_stdout.expect_code(0);
    assert_eq!(received, to_stdout.stdout, "what came through the pipe");
}

/// `-o LINK` replaces the file the link points to, keeps the link, and keeps that file's
/// permissions.
#[test]
fn output_through_a_symbolic_link_replaces_the_target_and_keeps_the_link() {
    use std::os::unix::fs::PermissionsExt as _;

    let directory = tempfile::tempdir().expect("a temporary directory");
    let target = directory.path().join("results").join("plan.json");
    std::fs::create_dir(target.parent().expect("a parent")).expect("a folder");
    std::fs::write(&target, "old\n").expect("the folder is writable");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))
        .expect("permissions can be set");
    let link = directory.path().join("latest.json");
    std::os::unix::fs::symlink(&target, &link).expect("a symbolic link");

    let china = china_text();
    let run = common::metalplan(["solve", &china, "--format", "json", "-o", path_text(&link)]);
    run.expect_code(0).expect_no_panic();

    assert!(
        std::fs::symlink_metadata(&link)
            .expect("the link is still there")
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    let to_stdout = common::metalplan(["solve", &china, "--format", "json"]);
    assert_eq!(
        std::fs::read_to_string(&target).expect("the target is readable"),
        to_stdout.stdout
    );
    let mode = std::fs::metadata(&target)
        .expect("the target")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "the target's permissions were not kept"
    );
    let names = sorted_names(target.parent().expect("a parent"));
    assert_eq!(names, ["plan.json"], "no temporary file is left");
}

#[test]
fn output_onto_a_folder_is_refused_with_its_path() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let folder = path_text(directory.path()).to_string();
    let run = common::metalplan(["solve", &china_text(), "--format", "json", "-o", &folder]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr.contains(&format!("cannot write {folder}")) && run.stderr.contains("folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn two_runs_give_byte_identical_output() {
    let china = china_text();
    for format in ["json", "csv"] {
        let first = common::metalplan(["solve", &china, "--format", format]);
        let second = common::metalplan(["solve", &china, "--format", format]);
        first.expect_code(0);
        second.expect_code(0);
        assert!(!first.stdout.is_empty());
        assert!(first.stdout == second.stdout, "{format}: two runs differ");
    }
}

#[test]
fn check_exits_0_on_a_valid_scenario_and_1_on_an_invalid_one() {
    let china = china_text();
    let valid = common::metalplan(["check", &china]);
    valid.expect_code(0).expect_no_panic();
    assert!(valid.stdout.contains("valid"), "{}", valid.stdout);
    assert!(
        valid.stdout.contains(&china),
        "check names the file: {}",
        valid.stdout
    );

    // The hand-worked scenario with a recovery above 1.
    let text = std::fs::read_to_string(common::data_file("hand-worked.toml"))
        .expect("the hand-worked scenario")
        .replace(
            "cost_cny_per_t = 8000, recovery = 0.8",
            "cost_cny_per_t = 8000, recovery = 1.8",
        );
    assert!(text.contains("recovery = 1.8"), "the replacement applied");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let invalid = directory.path().join("bad-recovery.toml");
    std::fs::write(&invalid, text).expect("the directory is writable");
    let run = common::metalplan(["check", path_text(&invalid)]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains("metals[0].primary.feed.domestic_ore.recovery"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(path_text(&invalid)), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    let china = china_text();
    for args in [
        vec!["solve", china.as_str(), "--solver", "gurobi"],
        vec!["solve", china.as_str(), "--objective", "profit"],
        vec!["solve", china.as_str(), "--format", "xml"],
        vec!["solve"],
        vec!["plan", china.as_str()],
    ] {
        let run = common::metalplan(&args);
        run.expect_code(1).expect_no_panic();
        assert!(
            !run.stderr.is_empty(),
            "{args:?}: a usage error explains itself"
        );
    }
    let help = common::metalplan(["--help"]);
    help.expect_code(0);
    assert!(help.stdout.contains("solve") && help.stdout.contains("check"));
}

#[test]
fn an_idle_metal_has_no_import_dependence() {
    // tests/data/idle-metal.toml: zinc is left idle (see the file's comments).
    let path = common::data_file("idle-metal.toml");
    for solver in ["highs", "clarabel"] {
        let result = common::solve_json(&path, solver, "cost");
        let objective = common::objective_of(&result);
        assert!(
            common::close(objective, 12_000.0 * 1e6),
            "{solver}: objective {objective} CNY, by hand 12,000 million CNY"
        );
        let dependence = &result["totals"][0]["import_dependence"];
        assert!(dependence["zinc"].is_null(), "{solver}: {dependence}");
        assert_eq!(
            dependence["tin"], 0.0,
            "{solver}: tin draws domestic ore only"
        );
    }
}

#[test]
fn an_import_cap_on_a_metal_that_draws_no_feed_does_not_bind() {
    let path = common::data_file("idle-metal.toml");
    let result = common::solve_json(&path, "highs", "cost");
    let row = result["targets"]
        .as_array()
        .expect("a targets array")
        .iter()
        .find(|row| row["name"] == "import_dependence_max" && row["metal"] == "zinc")
        .expect("the zinc import cap");
    assert_eq!(row["bound"], 0.5);
    // The plan is nowhere near the cap (zinc imports nothing), so the cap does not bind.
    assert_eq!(row["binding"], false, "{row}");
}

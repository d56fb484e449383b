//! Files, numbers and text metalplan should not trust: every case ends in exit 1 with a message
//! naming the cause, without a panic or a signal, touching no file outside the run and
//! overwriting no input (issue 15, parts 3 and 5).
//!
//! Scenarios are copies of `tests/data/hand-worked.toml` (one metal, `tin`, imported
//! concentrate `available_mt = 5.0`) and `tests/data/facilities/expansion.toml` with its CSV, in
//! a temporary folder per test.

use std::path::{Path, PathBuf};

use crate::common::{self, Run};

fn text(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// A temporary folder with a copy of the hand-worked scenario as `s.toml`.
fn hand_worked() -> (tempfile::TempDir, PathBuf) {
    let folder = common::scratch_with(&["hand-worked.toml"]);
    let scenario = folder.path().join("s.toml");
    std::fs::rename(folder.path().join("hand-worked.toml"), &scenario).expect("renamed");
    (folder, scenario)
}

/// Exit 1, no panic, no signal, and stderr containing each of `parts`.
fn refused(run: &Run, parts: &[&str]) {
    run.expect_code(1).expect_no_panic();
    for part in parts {
        assert!(
            run.stderr.contains(part),
            "stderr lacks `{part}`:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_planted_link_beside_the_output_is_never_followed() {
    let (folder, scenario) = hand_worked();
    let victim = folder.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let out = folder.path().join("out.json");
    // The old temporary name was `.out.json.<pid>.tmp`: plant a link at each name the next
    // few hundred processes would have used.
    let first = std::process::id();
    for pid in first..first + 500 {
        std::os::unix::fs::symlink(&victim, folder.path().join(format!(".out.json.{pid}.tmp")))
            .unwrap();
    }
    common::metalplan([
        "solve",
        text(&scenario),
        "--format",
        "json",
        "-o",
        text(&out),
    ])
    .expect_code(0)
    .expect_no_panic();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let written = std::fs::symlink_metadata(&out).unwrap();
    assert!(written.file_type().is_file(), "the result is a plain file");
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"plan\""));
    // Nothing but the planted links, the scenario, the victim and the result is left.
    let left = std::fs::read_dir(folder.path()).unwrap().count();
    assert_eq!(left, 500 + 3);
}

#[test]
fn a_private_result_stays_private_and_a_new_one_gets_the_usual_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let (folder, scenario) = hand_worked();
    let out = folder.path().join("private.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    common::metalplan([
        "solve",
        text(&scenario),
        "--format",
        "json",
        "-o",
        text(&out),
    ])
    .expect_code(0);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&out).unwrap().contains("\"plan\""));
    // A new file: what `touch` would make in the same folder (0666 less the umask).
    let touched = folder.path().join("touched");
    std::process::Command::new("touch")
        .arg(&touched)
        .status()
        .unwrap();
    let fresh = folder.path().join("fresh.json");
    common::metalplan([
        "solve",
        text(&scenario),
        "--format",
        "json",
        "-o",
        text(&fresh),
    ])
    .expect_code(0);
    assert_eq!(
        std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
        std::fs::metadata(&touched).unwrap().permissions().mode() & 0o777
    );
}

#[test]
fn an_output_that_is_an_input_of_the_run_is_refused() {
    let (folder, scenario) = hand_worked();
    let original = std::fs::read_to_string(&scenario).unwrap();
    let link = folder.path().join("link.lp");
    std::os::unix::fs::symlink(&scenario, &link).unwrap();
    let hard = folder.path().join("hard.json");
    std::fs::hard_link(&scenario, &hard).unwrap();
    let s = text(&scenario);
    for args in [
        vec!["solve", s, "-o", s],
        vec!["solve", s, "--export-lp", text(&link)],
        vec!["solve", s, "--export-mps", text(&hard)],
        vec!["export", s, "--lp", text(&link)],
        vec![
            "sweep",
            s,
            "--vary",
            "targets.output_growth_min=0.1:0.2:0.1",
            "-o",
            s,
        ],
    ] {
        let run = common::metalplan(&args);
        refused(&run, &["will not write", "an input of this run"]);
        assert_eq!(
            std::fs::read_to_string(&scenario).unwrap(),
            original,
            "{args:?}"
        );
    }
    // diff -o A.json over its own input.
    let a = folder.path().join("a.json");
    common::metalplan(["solve", s, "--format", "json", "-o", text(&a)]).expect_code(0);
    let result = std::fs::read_to_string(&a).unwrap();
    let run = common::metalplan(["diff", text(&a), text(&a), "-o", text(&a)]);
    refused(&run, &["will not write", "an input of this run"]);
    assert_eq!(std::fs::read_to_string(&a).unwrap(), result);
}

#[test]
fn a_facilities_csv_given_as_output_is_refused() {
    let folder = common::scratch_with(&["facilities/expansion.toml", "facilities/expansion.csv"]);
    let scenario = folder.path().join("expansion.toml");
    let csv = folder.path().join("expansion.csv");
    let original = std::fs::read_to_string(&csv).unwrap();
    let run = common::metalplan(["solve", text(&scenario), "--export-lp", text(&csv)]);
    refused(&run, &["will not write", "expansion.csv"]);
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), original);
    // The commands that do not return the scenario they read find its facilities CSV too.
    let overlay = folder.path().join("calibration.toml");
    for args in [
        vec![
            "sweep",
            text(&scenario),
            "--vary",
            "targets.recycled_output_min_mt=1:2:1",
            "-o",
            text(&csv),
        ],
        vec![
            "calibrate",
            text(&scenario),
            "-o",
            text(&overlay),
            "--base-year-scenario",
            text(&csv),
        ],
    ] {
        let run = common::metalplan(args.clone());
        refused(&run, &["will not write", "expansion.csv"]);
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), original, "{args:?}");
    }
}

#[test]
fn dev_zero_behind_a_link_is_refused_or_bounded() {
    let folder = tempfile::tempdir().unwrap();
    let zero = folder.path().join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    refused(
        &common::metalplan(["check", text(&zero)]),
        &[
            "is a character device, not a regular file",
            "--allow-special-files",
        ],
    );
    refused(
        &common::metalplan(["check", text(&zero), "--allow-special-files"]),
        &["holds more than the 16777216-byte limit"],
    );
}

#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let (folder, scenario) = hand_worked();
    let fifo = folder.path().join("pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    refused(
        &common::metalplan(["check", text(&fifo)]),
        &["is a FIFO (named pipe), not a regular file"],
    );
    refused(
        &common::metalplan(["check", text(&scenario), "--with", text(&fifo)]),
        &["a FIFO (named pipe)"],
    );
}

/// expansion.toml with `facilities_csv` set to `csv` (as written in TOML), in `folder`.
fn facilities_scenario(folder: &Path, csv: &str) -> PathBuf {
    let base = std::fs::read_to_string(common::data_file("facilities/expansion.toml")).unwrap();
    let changed = base.replace(
        "facilities_csv = \"expansion.csv\"",
        &format!("facilities_csv = {csv:?}"),
    );
    assert_ne!(base, changed);
    let scenario = folder.join("expansion.toml");
    std::fs::write(&scenario, changed).unwrap();
    scenario
}

#[test]
fn facilities_csv_outside_the_scenario_folder_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::data_file("facilities/expansion.csv"),
        folder.path().join("expansion.csv"),
    )
    .unwrap();
    let inner = folder.path().join("inner");
    std::fs::create_dir(&inner).unwrap();
    let scenario = facilities_scenario(&inner, "../expansion.csv");
    refused(
        &common::metalplan(["check", text(&scenario)]),
        &[
            "facilities_csv `../expansion.csv`",
            "outside the scenario's folder",
            "--allow-facilities-outside",
        ],
    );
    common::metalplan(["check", text(&scenario), "--allow-facilities-outside"])
        .expect_code(0)
        .expect_no_panic();
    // A link inside the folder that leads out is outside too.
    let linked = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        folder.path().join("expansion.csv"),
        linked.path().join("plants.csv"),
    )
    .unwrap();
    let scenario = facilities_scenario(linked.path(), "plants.csv");
    refused(
        &common::metalplan(["check", text(&scenario)]),
        &["outside the scenario's folder"],
    );
    let scenario = facilities_scenario(linked.path(), "/etc/passwd");
    refused(
        &common::metalplan(["check", text(&scenario)]),
        &[
            "facilities_csv `/etc/passwd`",
            "outside the scenario's folder",
        ],
    );
}

#[test]
fn a_proc_file_as_facilities_never_leaks_more_than_a_short_cell() {
    let folder = tempfile::tempdir().unwrap();
    let scenario = facilities_scenario(folder.path(), "/proc/self/environ");
    // A secret longer than the 40 characters a message may quote of a cell.
    let secret = format!("s3cr3t-{}", "q".repeat(60));
    let run = common::metalplan_with_env(
        ["check", text(&scenario)],
        &[("METALPLAN_TEST_SECRET", &secret)],
    );
    refused(&run, &["outside the scenario's folder"]);
    assert!(!run.stderr.contains("s3cr3t"));
    // Outside allowed, the kernel's files are still refused.
    let run = common::metalplan_with_env(
        ["check", text(&scenario), "--allow-facilities-outside"],
        &[("METALPLAN_TEST_SECRET", &secret)],
    );
    refused(
        &run,
        &["a file of the kernel's (under /proc, /sys or /dev)"],
    );
    assert!(!run.stderr.contains("s3cr3t"));
    // Both allowed: the message quotes at most a short cell.
    let run = common::metalplan_with_env(
        [
            "check",
            text(&scenario),
            "--allow-facilities-outside",
            "--allow-special-files",
        ],
        &[("METALPLAN_TEST_SECRET", &secret)],
    );
    refused(
        &run,
        &["facilities file /proc/self/environ has", "unknown column"],
    );
    assert!(
        !run.stderr.contains(&secret[..41]),
        "more than 40 characters of a cell quoted:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\0'), "a NUL reached the terminal");
}

#[cfg(target_os = "linux")]
#[test]
fn a_scenario_that_is_a_link_to_a_proc_file_is_refused_before_any_line_is_shown() {
    let folder = tempfile::tempdir().unwrap();
    let scenario = folder.path().join("environ.toml");
    std::os::unix::fs::symlink("/proc/self/environ", &scenario).unwrap();
    let secret = format!("s3cr3t-{}", "q".repeat(60));
    let run = common::metalplan_with_env(
        ["check", text(&scenario)],
        &[("METALPLAN_TEST_SECRET", &secret)],
    );
    refused(
        &run,
        &["a file of the kernel's (under /proc, /sys or /dev)"],
    );
    assert!(!run.stderr.contains("s3cr3t"), "{}", run.stderr);
}

#[test]
fn a_shock_beyond_1e12_is_refused_with_a_compact_number() {
    let (_folder, scenario) = hand_worked();
    let run = common::metalplan([
        "solve",
        text(&scenario),
        "--shock",
        "tin.imported_concentrate=1e308",
    ]);
    refused(&run, &["the factor 1e308 is beyond 1e12"]);
    // 5.0 Mt x 1e12 = 5e12 Mt: each factor is allowed, the shocked availability is not.
    let run = common::metalplan([
        "solve",
        text(&scenario),
        "--shock",
        "tin.imported_concentrate=1e12",
    ]);
    refused(
        &run,
        &["tin.primary.feed.imported_concentrate.available_mt 5000000000000, beyond 1e12"],
    );
}

#[test]
fn other_command_line_numbers_are_checked_like_scenario_numbers() {
    let (_folder, scenario) = hand_worked();
    let run = common::metalplan([
        "sweep",
        text(&scenario),
        "--vary",
        "targets.output_growth_min=0:1e308:1e307",
    ]);
    refused(&run, &["STOP 1e308 is beyond 1e12"]);
    let run = common::metalplan(["solve", text(&scenario), "--time-limit", "1e308"]);
    refused(
        &run,
        &["is not a positive number of seconds of at most 1e12"],
    );
}

#[test]
fn a_huge_scenario_number_is_shown_compact() {
    let (_folder, scenario) = hand_worked();
    let original = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(
        &scenario,
        original.replace("capacity_mt = 0.6", "capacity_mt = 1e308"),
    )
    .unwrap();
    let run = common::metalplan(["check", text(&scenario)]);
    refused(&run, &["1e308 is beyond 1e12"]);
    assert!(!run.stderr.contains("10000000000000000"), "{}", run.stderr);
}

#[test]
fn control_characters_in_names_are_refused_escaped() {
    let (_folder, scenario) = hand_worked();
    let original = std::fs::read_to_string(&scenario).unwrap();
    let broken = original
        .replace(
            "name = \"hand-worked: one metal, one year\"",
            "name = \"plan\\u001b[31mred\"",
        )
        .replace("name = \"tin\"", "name = \"tin\\u0007\"");
    std::fs::write(&scenario, broken).unwrap();
    let run = common::metalplan(["check", text(&scenario)]);
    refused(
        &run,
        &[
            "`plan\\u{1b}[31mred` holds the control character \\u{1b}",
            "`tin\\u{7}` holds the control character \\u{7}",
        ],
    );
    assert!(
        !run.stderr.contains('\u{1b}'),
        "a raw escape reached stderr"
    );
    assert!(!run.stderr.contains('\u{7}'));
}

#[test]
fn a_json_scenario_with_a_byte_order_mark_is_read() {
    let (folder, scenario) = hand_worked();
    let toml_value: toml::Value = toml::from_str(&std::fs::read_to_string(&scenario).unwrap())
        .expect("the hand-worked scenario is TOML");
    let json = serde_json::to_string_pretty(&toml_value).unwrap();
    let with_bom = folder.path().join("bom.json");
    std::fs::write(&with_bom, format!("\u{feff}{json}")).unwrap();
    let run = common::metalplan(["check", text(&with_bom)]);
    run.expect_code(0).expect_no_panic();
    assert!(run.stdout.contains("valid"), "{}", run.stdout);
    let toml_bom = folder.path().join("bom.toml");
    std::fs::write(
        &toml_bom,
        format!("\u{feff}{}", std::fs::read_to_string(&scenario).unwrap()),
    )
    .unwrap();
    common::metalplan(["check", text(&toml_bom)]).expect_code(0);
}

#[test]
fn a_bare_carriage_return_in_a_comment_is_named() {
    let (_folder, scenario) = hand_worked();
    let original = std::fs::read_to_string(&scenario).unwrap();
    std::fs::write(&scenario, format!("# note\r more\n{original}")).unwrap();
    let run = common::metalplan(["check", text(&scenario)]);
    refused(
        &run,
        &["1:7", "a carriage return (\\r) not followed by a line feed"],
    );
}

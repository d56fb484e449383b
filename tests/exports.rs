//! `--export-lp` and `--export-mps` write the model solved; GLPK's `glpsol`, a solver that shares
//! no code with metalplan, reads each file back and finds the same optimal objective.

use crate::common;

use std::ffi::OsStr;

#[test]
fn exported_models_solve_to_the_same_objective_in_glpk() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for scenario in [
        common::china_scenario(),
        common::data_file("builds-and-caps.toml"),
        common::data_file("two-metals.toml"),
        common::data_file("user-constraints.toml"),
    ] {
        let lp = dir.path().join("model.lp");
        let mps = dir.path().join("model.mps");
        let run = common::metalplan([
            OsStr::new("solve"),
            scenario.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--export-lp"),
            lp.as_os_str(),
            OsStr::new("--export-mps"),
            mps.as_os_str(),
        ]);
        run.expect_code(0).expect_no_panic();
        let result: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        // The files are in internal units: million CNY.
        let expected = common::objective_of(&result) / 1e6;
        for (flag, file) in [("--lp", &lp), ("--freemps", &mps)] {
            let found = common::glpsol_objective(flag, file);
            assert!(
                (found - expected).abs() <= 1e-6 * expected.abs().max(1.0),
                "{} {flag}: glpsol {found}, metalplan {expected}",
                scenario.display()
            );
        }
        // Readable names: the rows and columns are the model's own.
        let text = std::fs::read_to_string(&lp).expect("the LP file");
        assert!(
            text.contains("output(copper,primary,2025)"),
            "{}",
            &text[..400]
        );
        assert!(text.contains("capacity(copper,primary,2025):"));
        // Scenario constraints keep their own names (M20).
        if scenario.ends_with("user-constraints.toml") {
            assert!(text.contains("user(recycled_copper_share,2026):"));
            assert!(text.contains("user(lead_zinc_primary_cap,2025):"));
            let mps_text = std::fs::read_to_string(&mps).expect("the MPS file");
            assert!(mps_text.contains(" G user(recycled_copper_share,2026)"));
        }
    }
}

/// A maximised objective: LP says Maximize; MPS minimises the negated objective (GLPK refuses the
/// OBJSENSE extension). Value added is held within 1e-7 of its optimum by the cost stage.
#[test]
fn a_maximised_objective_exports_in_both_formats() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let lp = dir.path().join("model.lp");
    let mps = dir.path().join("model.mps");
    let run = common::metalplan([
        OsStr::new("solve"),
        common::china_scenario().as_os_str(),
        OsStr::new("--objective"),
        OsStr::new("value-added"),
        OsStr::new("--format"),
        OsStr::new("json"),
        OsStr::new("--export-lp"),
        lp.as_os_str(),
        OsStr::new("--export-mps"),
        mps.as_os_str(),
    ]);
    run.expect_code(0).expect_no_panic();
    let result: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let expected = common::objective_of(&result) / 1e6;
    let from_lp = common::glpsol_objective("--lp", &lp);
    let from_mps = -common::glpsol_objective("--freemps", &mps);
    for found in [from_lp, from_mps] {
        assert!(
            (found - expected).abs() <= 1e-6 * expected.abs(),
            "glpsol {found}, metalplan {expected}"
        );
    }
}

#[test]
fn no_export_is_written_when_the_run_fails() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let lp = dir.path().join("model.lp");
    std::fs::write(&lp, "keep me").expect("write");
    let run = common::metalplan([
        OsStr::new("solve"),
        OsStr::new("tests/data/infeasible-recycled-floor.toml"),
        OsStr::new("--export-lp"),
        lp.as_os_str(),
    ]);
    run.expect_code(2);
    assert_eq!(std::fs::read_to_string(&lp).expect("read"), "keep me");
}

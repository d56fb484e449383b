//! Limits end runs cleanly: a solver time limit exits 3 with what is known, and inputs too large
//! or too deeply nested are refused with a message instead of a crash or an out-of-memory.

use crate::common;

use std::fs;

#[test]
fn a_time_limit_that_runs_out_exits_3_and_says_so() {
    for solver in ["highs", "clarabel"] {
        // One ten-millionth of a second: no solver proves anything that fast.
        let run = common::metalplan([
            "solve",
            "tests/data/legacy/china-2025-2026.toml",
            "--solver",
            solver,
            "--time-limit",
            "0.0000001",
        ]);
        run.expect_code(3).expect_no_panic();
        assert!(
            run.stderr.contains("time limit of 0.0000001 s"),
            "{solver}: {}",
            run.stderr
        );
        assert!(
            run.stdout.is_empty(),
            "no plan may be printed: {}",
            run.stdout
        );
    }
}

#[test]
fn a_generous_time_limit_changes_nothing() {
    let limited = common::metalplan([
        "solve",
        "tests/data/legacy/china-2025-2026.toml",
        "--format",
        "json",
        "--time-limit",
        "600",
    ]);
    limited.expect_code(0);
    let unlimited = common::metalplan([
        "solve",
        "tests/data/legacy/china-2025-2026.toml",
        "--format",
        "json",
    ]);
    // Everything but the provenance, which records the option, is byte for byte the same.
    let without_provenance = |stdout: &str| {
        let mut result: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
        let provenance = result
            .as_object_mut()
            .and_then(|result| result.remove("provenance"))
            .expect("a provenance");
        (result.to_string(), provenance)
    };
    let (limited, limited_provenance) = without_provenance(&limited.stdout);
    let (unlimited, unlimited_provenance) = without_provenance(&unlimited.stdout);
    assert_eq!(limited, unlimited);
    assert_eq!(limited_provenance["options"]["time_limit_seconds"], 600.0);
    assert!(unlimited_provenance["options"]["time_limit_seconds"].is_null());
}

#[test]
fn a_time_limit_must_be_a_positive_number() {
    for bad in ["0", "-1", "soon", "inf"] {
        let run = common::metalplan([
            "solve",
            "tests/data/legacy/china-2025-2026.toml",
            &format!("--time-limit={bad}"),
        ]);
        run.expect_code(1).expect_no_panic();
        assert!(
            run.stderr.contains("not a positive number of seconds"),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn deeply_nested_and_huge_inputs_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let cases = [
        (
            "deep.toml",
            format!("base_year = 2024\nyears = [2025]\nname = {nested}\n"),
            "recursion limit",
        ),
        (
            "deep-params.toml",
            format!(
                "base_year = 2024\nyears = [2025]\nmetals = []\n[[plugins]]\nname = \"x\"\nparams = {{ p = {nested} }}\n"
            ),
            "recursion limit",
        ),
        (
            "deep.json",
            format!(
                "{{\"base_year\": 2024, \"years\": [2025], \"metals\": [], \"plugins\": [{{\"name\": \"x\", \"params\": {{\"p\": {nested}}}}}]}}"
            ),
            "recursion limit",
        ),
        ("huge.toml", "#".repeat(17 * 1024 * 1024), "more than the 16777216-byte limit"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write the input");
        let run = common::metalplan([std::ffi::OsStr::new("check"), path.as_os_str()]);
        run.expect_code(1).expect_no_panic();
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
    }
}

/// A finite but absurd number (a unit mistake) is refused by validation, naming the field,
/// instead of reaching the solver, which fails on it without saying which number is to blame.
#[test]
fn absurdly_large_numbers_are_refused_before_the_solver() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text = std::fs::read_to_string(common::data_file("two-metals.toml")).expect("read");
    let huge = text.replacen(
        "operating_cost_cny_per_t = 3000",
        "operating_cost_cny_per_t = 1e30",
        1,
    );
    assert_ne!(huge, text, "the test must change the file");
    let file = dir.path().join("huge.toml");
    fs::write(&file, huge).expect("write");
    let run = common::metalplan([std::ffi::OsStr::new("solve"), file.as_os_str()]);
    run.expect_code(1).expect_no_panic();
    assert!(
        run.stderr
            .contains("metals[0].primary.operating_cost_cny_per_t")
            && run.stderr.contains("beyond 1e12"),
        "{}",
        run.stderr
    );
}

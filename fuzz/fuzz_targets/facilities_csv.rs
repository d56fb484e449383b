//! Arbitrary bytes as a facilities CSV (a scenario's `facilities_csv`).
//!
//! Parsing must turn any text into facilities or into problems, never panic, and the problems
//! must render. A facilities file is input not to trust (it may be any file in the scenario's
//! folder), so no message may carry more of it than one cell, escaped and cut short
//! (docs/scenario.md): whatever the input, the rendered error is at most a bounded length per
//! problem and holds no control character but its own line breaks.

#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use metalplan_core::error::ScenarioError;
use metalplan_core::scenario::parse_facilities_csv;

/// A rendered problem: the file name, line, a column name quoted to 40 characters and a
/// message quoting at most one cell (40 characters) or a reader error (200); escapes such as
/// `\u{1b}` can make each quoted character ten long.
const LONGEST_PROBLEM_CHARS: usize = 4_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_facilities_csv(Path::new("fuzz.csv"), text) {
        Ok(file) => {
            std::hint::black_box(&file);
        }
        Err(problems) => {
            assert!(!problems.is_empty());
            assert!(
                problems.len() <= metalplan_core::scenario::MAX_FACILITY_PROBLEMS,
                "{} problems",
                problems.len()
            );
            let count = problems.len();
            let rendered = ScenarioError::Facilities {
                file: PathBuf::from("fuzz.csv"),
                problems,
            }
            .to_string();
            for line in rendered.lines() {
                assert!(
                    line.chars().count() <= LONGEST_PROBLEM_CHARS,
                    "a message of {} characters",
                    line.chars().count()
                );
                assert!(
                    !line.chars().any(char::is_control),
                    "a control character in {line:?}"
                );
            }
            assert_eq!(rendered.lines().count(), count + 1, "{rendered}");
        }
    }
});

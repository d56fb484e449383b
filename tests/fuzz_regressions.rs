//! Inputs a fuzzer once failed on (`fuzz/`, docs/testing.md), replayed through the same code
//! path, each with what the code must do instead.

use std::path::Path;

use crate::common::repo_root;
use metalplan_core::scenario::{parse_facilities_csv, FACILITY_COLUMNS, MAX_FACILITY_PROBLEMS};

/// `facilities_csv` (2026-11-30): the file's first line is a comment, so its second, a data
/// row of 14 cells, is read as the header: none of its cells is a column, and none of the 8
/// required columns is there. The reader returned all 22 problems; a header of thousands of
/// cells would have given thousands of lines. Now: the first 19, then one line for the other 3.
#[test]
fn a_header_of_many_problems_is_reported_in_at_most_twenty_lines() {
    let file =
        repo_root().join("tests/data/fuzz-regressions/facilities_csv-22-header-problems.csv");
    let text = std::fs::read_to_string(&file).expect("the regression input");
    let header = text
        .lines()
        .find(|line| !line.trim().starts_with('#'))
        .expect("a line that is not a comment");
    let cells = header.split(',').count();
    assert_eq!(cells, 14);
    assert!(header
        .split(',')
        .all(|cell| !FACILITY_COLUMNS.contains(&cell.trim())));
    let problems = parse_facilities_csv(Path::new("facilities.csv"), &text).expect_err("refused");
    assert_eq!(MAX_FACILITY_PROBLEMS, 20);
    assert_eq!(problems.len(), 20);
    // Missing required columns first (`id` is the first), then unknown ones.
    assert!(problems[0]
        .message
        .starts_with("the header has no `id` column"));
    assert!(problems[8].message.starts_with("unknown column `NI-CHE"));
    assert_eq!(
        problems[19].message,
        format!(
            "{} more problems found and not shown; fix those above first",
            8 + cells - 19
        )
    );
}

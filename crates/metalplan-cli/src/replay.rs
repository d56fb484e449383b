//! `metalplan solve --replay RESULT.json`: re-runs the inputs a result's provenance records (the
//! same scenario file, overlays, plugins and options) and checks that (a) the inputs are
//! unchanged, by their hashes, and (b) the plan is the same: every output per metal, route and
//! year and the objective within [`REPLAY_TOLERANCE`]. Any difference exits with
//! [`exit::REPLAY_MISMATCH`](crate::exit::REPLAY_MISMATCH).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use metalplan_core::provenance::Provenance;
use metalplan_core::scenario::Shock;
use metalplan_core::{PlanResult, SolveOptions};
use serde::Deserialize;

use crate::provenance::short_hash;
use crate::{exit, solve_inputs, SolveInputs, Solved};

/// Two plan values agree when `|a - b| <= REPLAY_TOLERANCE x max(1, |a|, |b|)`: relative for
/// values above 1 (Mt, CNY), absolute below.
pub const REPLAY_TOLERANCE: f64 = 1e-6;

/// What replay reads from a result file.
#[derive(Debug, Deserialize)]
struct Recorded {
    provenance: Provenance,
    objective: f64,
    plan: Vec<RecordedRow>,
}

#[derive(Debug, Deserialize)]
struct RecordedRow {
    metal: String,
    route: String,
    year: i64,
    output_mt: f64,
}

fn agree(a: f64, b: f64) -> bool {
    (a - b).abs() <= REPLAY_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

fn read(file: &Path) -> Result<Recorded, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("cannot read result {}: {error}", file.display()))?;
    serde_json::from_str(&text).map_err(|error| {
        format!(
            "{} cannot be replayed: {error} (a result written by `metalplan solve --format json` \
             with its `provenance` is needed)",
            file.display()
        )
    })
}

/// Runs `metalplan solve --replay RESULT.json`.
pub fn run(result_file: &Path) -> ExitCode {
    let recorded = match read(result_file) {
        Ok(recorded) => recorded,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::INPUT);
        }
    };
    let provenance = &recorded.provenance;
    let options = &provenance.options;
    let shocks: Result<Vec<Shock>, String> = options
        .shocks
        .iter()
        .map(|shock| {
            shock
                .parse()
                .map_err(|error| format!("recorded shock `{shock}`: {error}"))
        })
        .collect();
    let shocks = match shocks {
        Ok(shocks) => shocks,
        Err(error) => {
            eprintln!("error: {}: {error}", result_file.display());
            return ExitCode::from(exit::INPUT);
        }
    };
    let inputs = SolveInputs {
        scenario: PathBuf::from(&provenance.scenario.path),
        overlays: options.overlays.iter().map(PathBuf::from).collect(),
        plugins: options.plugins.iter().map(PathBuf::from).collect(),
        shocks,
        soft_targets: options.soft_targets,
        options: SolveOptions {
            solver: options.solver,
            objective: options.objective,
            time_limit_seconds: options.time_limit_seconds,
            ranging: false,
        },
        timings: false,
    };
    println!(
        "replaying {}: metalplan solve {} {}",
        result_file.display(),
        provenance.scenario.path,
        crate::provenance::options_text(options)
    );
    // The files are compared before solving, so that a changed input is named even when the
    // scenario no longer reads or solves.
    let changed_files = changed_files(provenance);
    let solved = match solve_inputs(&inputs) {
        Ok(solved) => solved,
        Err(code) => {
            for (path, what) in &changed_files {
                eprintln!("note: {what} {path} changed since the result was written");
            }
            return code;
        }
    };
    let mut mismatches = input_mismatches(provenance, &solved, &changed_files);
    let notes = version_notes(provenance, &solved.result);
    for note in &notes {
        println!("note: {note}");
    }
    let plan_differences = plan_differences(&recorded, &solved.result);
    let rows = recorded.plan.len();
    if plan_differences.is_empty() {
        println!(
            "plan: the objective and all {rows} outputs match within {REPLAY_TOLERANCE:e} relative"
        );
    } else {
        mismatches.push(format!(
            "the plan differs in {} place{} (tolerance {REPLAY_TOLERANCE:e} relative):",
            plan_differences.len(),
            if plan_differences.len() == 1 { "" } else { "s" }
        ));
        mismatches.extend(
            plan_differences
                .into_iter()
                .map(|difference| format!("  {difference}")),
        );
    }
    if mismatches.is_empty() {
        println!(
            "replay matches: inputs unchanged (scenario sha256 {}), same plan",
            short_hash(&provenance.scenario_sha256)
        );
        return ExitCode::SUCCESS;
    }
    for mismatch in &mismatches {
        eprintln!("replay mismatch: {mismatch}");
    }
    ExitCode::from(exit::REPLAY_MISMATCH)
}

/// The scenario and overlay files whose bytes differ from what was recorded (or that cannot be
/// read), with what changed.
fn changed_files(provenance: &Provenance) -> Vec<(String, &'static str)> {
    let mut changed = Vec::new();
    let inputs = std::iter::once((&provenance.scenario, "the scenario file")).chain(
        provenance
            .overlays
            .iter()
            .map(|overlay| (overlay, "overlay")),
    );
    for (input, what) in inputs {
        let now = metalplan_core::provenance::file_sha256(Path::new(&input.path)).ok();
        if now.as_deref() != Some(input.file_sha256.as_str()) {
            changed.push((input.path.clone(), what));
        }
    }
    changed
}

/// What differs between the recorded inputs and the re-run's: the scenario after overlays (by
/// its canonical hash, naming the files that changed) and each plugin library.
fn input_mismatches(
    provenance: &Provenance,
    solved: &Solved,
    changed_files: &[(String, &'static str)],
) -> Vec<String> {
    let mut mismatches = Vec::new();
    let Some(now) = &solved.result.provenance else {
        return vec!["the re-run has no provenance".to_string()];
    };
    if now.scenario_sha256 == provenance.scenario_sha256 {
        for (path, what) in changed_files {
            println!(
                "note: {what} {path} changed only in comments or layout: the scenario after \
                 overlays is the same"
            );
        }
    } else if changed_files.is_empty() {
        mismatches.push(format!(
            "scenario hash differs ({} recorded, {} now) although neither the scenario file nor \
             an overlay changed: a file the scenario names (its facilities CSV) changed, or this \
             metalplan reads the files differently",
            short_hash(&provenance.scenario_sha256),
            short_hash(&now.scenario_sha256)
        ));
    } else {
        for (path, what) in changed_files {
            mismatches.push(format!(
                "scenario hash differs: {what} {path} changed since the result was written"
            ));
        }
    }
    let recorded: BTreeMap<usize, _> = provenance.plugins.iter().enumerate().collect();
    for (index, plugin) in now.plugins.iter().enumerate() {
        match recorded.get(&index) {
            Some(before) if before.name != plugin.name => mismatches.push(format!(
                "plugin {} is now `{}`, was `{}`",
                index + 1,
                plugin.name,
                before.name
            )),
            Some(before) if before.file_sha256 != plugin.file_sha256 => {
                mismatches.push(format!(
                    "plugin `{}` changed: its library {} (version {}) differs from the one that \
                     wrote the result ({} {}, sha256 {} recorded, {} now)",
                    plugin.name,
                    plugin.path,
                    plugin.version,
                    before.path,
                    before.version,
                    short_hash(&before.file_sha256),
                    short_hash(&plugin.file_sha256)
                ));
            }
            Some(_) => {}
            None => mismatches.push(format!(
                "plugin `{}` is loaded now but was not",
                plugin.name
            )),
        }
    }
    for before in provenance.plugins.iter().skip(now.plugins.len()) {
        mismatches.push(format!(
            "plugin `{}` was loaded but is not now",
            before.name
        ));
    }
    mismatches
}

/// Differences that do not make a mismatch by themselves: another metalplan or solver version.
fn version_notes(provenance: &Provenance, result: &PlanResult) -> Vec<String> {
    let Some(now) = &result.provenance else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    if now.metalplan_version != provenance.metalplan_version {
        notes.push(format!(
            "written by metalplan {}, replayed with {}",
            provenance.metalplan_version, now.metalplan_version
        ));
    }
    if now.solver != provenance.solver {
        notes.push(format!(
            "solved with {} {}, replayed with {} {}",
            provenance.solver.library,
            provenance.solver.version,
            now.solver.library,
            now.solver.version
        ));
    }
    notes
}

/// Every output and the objective that differ beyond the tolerance, and rows in only one plan.
fn plan_differences(recorded: &Recorded, result: &PlanResult) -> Vec<String> {
    let mut differences = Vec::new();
    if !agree(recorded.objective, result.objective) {
        differences.push(format!(
            "objective: {} recorded, {} now (B - A {})",
            recorded.objective,
            result.objective,
            result.objective - recorded.objective
        ));
    }
    let now: BTreeMap<(String, String, i64), f64> = result
        .plan
        .iter()
        .map(|row| {
            (
                (
                    row.metal.clone(),
                    row.route.key().to_string(),
                    i64::from(row.year),
                ),
                row.output_mt,
            )
        })
        .collect();
    let mut seen = 0;
    for row in &recorded.plan {
        let key = (row.metal.clone(), row.route.clone(), row.year);
        match now.get(&key) {
            Some(&output) => {
                seen += 1;
                if !agree(row.output_mt, output) {
                    differences.push(format!(
                        "output {} {} {}: {} Mt recorded, {output} Mt now",
                        row.metal, row.route, row.year, row.output_mt
                    ));
                }
            }
            None => differences.push(format!(
                "output {} {} {}: in the result, not in the re-run",
                row.metal, row.route, row.year
            )),
        }
    }
    if seen < now.len() {
        let recorded_keys: std::collections::BTreeSet<(String, String, i64)> = recorded
            .plan
            .iter()
            .map(|row| (row.metal.clone(), row.route.clone(), row.year))
            .collect();
        for (metal, route, year) in now.keys().filter(|key| !recorded_keys.contains(*key)) {
            differences.push(format!(
                "output {metal} {route} {year}: in the re-run, not in the result"
            ));
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::agree;

    #[test]
    fn agreement_is_relative_above_one_and_absolute_below() {
        assert!(agree(1e12, 1e12 + 1e5));
        assert!(!agree(1e12, 1e12 + 1e7));
        assert!(agree(0.0, 5e-7));
        assert!(!agree(0.0, 2e-6));
    }
}

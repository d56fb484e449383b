//! `metalplan solve --replay RESULT.json`: prints what the core's replay found, and exits with
//! [`exit::REPLAY_MISMATCH`] when an input changed or the plan differs.

use std::path::Path;
use std::process::ExitCode;

use metalplan_core::app::replay::{replay, Rerun, REPLAY_TOLERANCE};
use metalplan_core::provenance::short_hash;

use crate::failure::{exit, Failure};
use crate::provenance::options_text;

/// Runs `metalplan solve --replay RESULT.json`.
pub fn run(
    result_file: &Path,
    plugin_run: &crate::args::PluginRunArgs,
    globals: &crate::Globals,
) -> Result<ExitCode, Failure> {
    // The run settings (plugin folders, consent, isolation, memory limit); the result gives the
    // rest.
    let settings = plugin_run.apply(globals.request(result_file, &[], &[]))?;
    let replayed = replay(result_file, &settings)?;
    let recorded = &replayed.recorded;
    println!(
        "replaying {}: metalplan solve {} {}",
        result_file.display(),
        recorded.scenario.path,
        options_text(&recorded.options)
    );
    let rerun = match replayed.rerun {
        Ok(rerun) => rerun,
        Err(error) => {
            let failure = Failure::from(error);
            failure.report();
            for changed in &replayed.changed_files {
                eprintln!(
                    "note: {} {} changed since the result was written",
                    changed.what, changed.path
                );
            }
            return Ok(ExitCode::from(failure.exit_code()));
        }
    };
    for changed in &rerun.layout_only {
        println!(
            "note: {} {} changed only in comments or layout: the scenario after overlays is the \
             same",
            changed.what, changed.path
        );
    }
    for note in &rerun.notes {
        println!("note: {note}");
    }
    let mismatches = mismatch_lines(&rerun);
    if mismatches.is_empty() {
        println!(
            "replay matches: inputs unchanged (scenario sha256 {}), same plan",
            short_hash(&recorded.scenario_sha256)
        );
        return Ok(ExitCode::SUCCESS);
    }
    for mismatch in &mismatches {
        eprintln!("replay mismatch: {mismatch}");
    }
    Ok(ExitCode::from(exit::REPLAY_MISMATCH))
}

/// The mismatches of the inputs, then of the plan, as lines; prints the plan's verdict when it
/// matches.
fn mismatch_lines(rerun: &Rerun) -> Vec<String> {
    let mut lines = rerun.mismatches.clone();
    let differences = &rerun.plan_differences;
    if differences.is_empty() {
        println!(
            "plan: the objective and all {} outputs match within {REPLAY_TOLERANCE:e} relative",
            rerun.recorded_rows
        );
    } else {
        lines.push(format!(
            "the plan differs in {} place{} (tolerance {REPLAY_TOLERANCE:e} relative):",
            differences.len(),
            if differences.len() == 1 { "" } else { "s" }
        ));
        lines.extend(
            differences
                .iter()
                .map(|difference| format!("  {difference}")),
        );
    }
    lines
}

//! Replaying a result: re-run the inputs its provenance records (the same scenario file,
//! overlays, plugins and options) and check that (a) the inputs are unchanged, by their hashes,
//! and (b) the plan is the same: every output per metal, route and year and the objective
//! within [`REPLAY_TOLERANCE`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{run, Error, Request, Run};
use crate::error::ResultRole;
use crate::provenance::{file_sha256, short_hash, Provenance};
use crate::results::{read_result_file, PlanResult};
use crate::scenario::{Shock, Year};
use crate::solve::SolveOptions;

/// Two plan values agree when `|a - b| <= REPLAY_TOLERANCE x max(1, |a|, |b|)`: relative for
/// values above 1 (Mt, CNY), absolute below.
pub const REPLAY_TOLERANCE: f64 = 1e-6;

/// An input file whose bytes differ from what the result recorded (or that cannot be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// The path as recorded.
    pub path: String,
    /// `the scenario file` or `overlay`.
    pub what: &'static str,
}

/// A result replayed.
#[derive(Debug)]
pub struct Replay {
    /// The provenance the result records.
    pub recorded: Provenance,
    /// The inputs re-run, as the provenance gives them.
    pub request: Request,
    /// The scenario and overlay files whose bytes changed since the result was written,
    /// compared before solving so that they are named even when the scenario no longer solves.
    pub changed_files: Vec<ChangedFile>,
    /// The re-run and what it found, or why it failed.
    pub rerun: Result<Rerun, Error>,
}

/// What a successful re-run found.
#[derive(Debug)]
pub struct Rerun {
    /// The re-run itself.
    pub run: Run,
    /// Files that changed only in comments or layout (the scenario after overlays is the same).
    pub layout_only: Vec<ChangedFile>,
    /// Inputs that differ: the scenario after overlays, or a plugin library.
    pub mismatches: Vec<String>,
    /// Differences that are not mismatches by themselves: another metalplan or solver version.
    pub notes: Vec<String>,
    /// Every output and the objective that differ beyond the tolerance, and rows in only one
    /// plan.
    pub plan_differences: Vec<String>,
    /// The number of plan rows the result records.
    pub recorded_rows: usize,
}

impl Rerun {
    /// Whether the inputs and the plan are the same.
    #[must_use]
    pub fn matches(&self) -> bool {
        self.mismatches.is_empty() && self.plan_differences.is_empty()
    }
}

fn agree(a: f64, b: f64) -> bool {
    (a - b).abs() <= REPLAY_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// Replays the result in `result_file` with the run settings of `settings` (its plugin
/// folders, consent, plugin isolation and memory limit; its scenario, overlays, plugins and
/// options are ignored: those come from the result). The plugin libraries the result records
/// are named by the result file, not by the user: they load only from a plugin folder or with
/// consent, like a scenario's. An `Err` means the result cannot be replayed at all; a re-run
/// that fails is in [`Replay::rerun`].
pub fn replay(result_file: &Path, settings: &Request) -> Result<Replay, Error> {
    let recorded = read_result_file(result_file, ResultRole::Result)?;
    let cannot = |reason: String| Error::Replay {
        file: result_file.to_path_buf(),
        reason,
    };
    let provenance = recorded.provenance.clone().ok_or_else(|| {
        cannot(
            "it records no `provenance`, so there is nothing to replay (a result written as \
             JSON by this version of metalplan records it)"
                .to_string(),
        )
    })?;
    let options = &provenance.options;
    let shocks = options
        .shocks
        .iter()
        .map(|shock| {
            shock
                .parse::<Shock>()
                .map_err(|error| cannot(format!("recorded shock `{shock}`: {error}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let request = Request {
        scenario: PathBuf::from(&provenance.scenario.path),
        overlays: options.overlays.iter().map(PathBuf::from).collect(),
        plugins: options.plugins.iter().map(PathBuf::from).collect(),
        plugin_folders: settings.plugin_folders.clone(),
        shocks,
        soft_targets: options.soft_targets,
        options: SolveOptions {
            solver: options.solver,
            objective: options.objective,
            time_limit_seconds: options.time_limit_seconds,
            ranging: false,
        },
        memory_limit_bytes: settings.memory_limit_bytes,
        // A replay reads what the result records with the safe defaults.
        read_policy: super::ReadPolicy::default(),
        consent: settings.consent.clone(),
        plugin_isolation: settings.plugin_isolation.clone(),
        plugins_named_by: Some(result_file.to_path_buf()),
    };
    let changed_files = changed_files(&provenance);
    let rerun = run(&request).map(|run| {
        let (layout_only, mismatches) = input_mismatches(&provenance, &run, &changed_files);
        let plan_differences = plan_differences(&recorded, &run.result);
        Rerun {
            notes: version_notes(&provenance, &run.result),
            layout_only,
            mismatches,
            plan_differences,
            recorded_rows: recorded.plan.len(),
            run,
        }
    });
    Ok(Replay {
        recorded: provenance,
        request,
        changed_files,
        rerun,
    })
}

/// The scenario and overlay files whose bytes differ from what was recorded (or that cannot be
/// read), with what changed.
fn changed_files(provenance: &Provenance) -> Vec<ChangedFile> {
    let inputs = std::iter::once((&provenance.scenario, "the scenario file")).chain(
        provenance
            .overlays
            .iter()
            .map(|overlay| (overlay, "overlay")),
    );
    inputs
        .filter(|(input, _)| {
            file_sha256(Path::new(&input.path)).ok().as_deref() != Some(input.file_sha256.as_str())
        })
        .map(|(input, what)| ChangedFile {
            path: input.path.clone(),
            what,
        })
        .collect()
}

/// What differs between the recorded inputs and the re-run's: the scenario after overlays (by
/// its canonical hash, naming the files that changed) and each plugin library. Also the files
/// that changed only in layout.
fn input_mismatches(
    provenance: &Provenance,
    run: &Run,
    changed_files: &[ChangedFile],
) -> (Vec<ChangedFile>, Vec<String>) {
    let mut mismatches = Vec::new();
    let Some(now) = &run.result.provenance else {
        return (Vec::new(), vec!["the re-run has no provenance".to_string()]);
    };
    let mut layout_only = Vec::new();
    if now.scenario_sha256 == provenance.scenario_sha256 {
        layout_only = changed_files.to_vec();
    } else if changed_files.is_empty() {
        mismatches.push(format!(
            "scenario hash differs ({} recorded, {} now) although neither the scenario file nor \
             an overlay changed: a file the scenario names (its facilities CSV) changed, or this \
             metalplan reads the files differently",
            short_hash(&provenance.scenario_sha256),
            short_hash(&now.scenario_sha256)
        ));
    } else {
        for changed in changed_files {
            mismatches.push(format!(
                "scenario hash differs: {} {} changed since the result was written",
                changed.what, changed.path
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
    (layout_only, mismatches)
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
fn plan_differences(recorded: &PlanResult, result: &PlanResult) -> Vec<String> {
    let mut differences = Vec::new();
    if !agree(recorded.objective, result.objective) {
        differences.push(format!(
            "objective: {} recorded, {} now (B - A {})",
            recorded.objective,
            result.objective,
            result.objective - recorded.objective
        ));
    }
    let key = |metal: &str, route: &str, year: Year| (metal.to_string(), route.to_string(), year);
    let now: BTreeMap<(String, String, Year), f64> = result
        .plan
        .iter()
        .map(|row| (key(&row.metal, row.route.key(), row.year), row.output_mt))
        .collect();
    let mut seen = 0;
    for row in &recorded.plan {
        match now.get(&key(&row.metal, row.route.key(), row.year)) {
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
        let recorded_keys: BTreeSet<(String, String, Year)> = recorded
            .plan
            .iter()
            .map(|row| key(&row.metal, row.route.key(), row.year))
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

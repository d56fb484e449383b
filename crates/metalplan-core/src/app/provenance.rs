//! Filling in a run's provenance (`docs/results.md`, "Provenance"): the paths as the user sees
//! them (relative to the current folder when inside it), the hashes of every file read, and the
//! options that change the plan.

use std::path::{Path, PathBuf};

use crate::plugin_host::PluginRules;
use crate::provenance::{sha256_hex, InputFile, PluginFile, Provenance, RunOptions, SolverInfo};
use crate::scenario::LoadedScenario;

use super::{Error, Request};

/// `path` relative to the current folder when it lies inside it, else as given; so that a
/// result written in a checkout reads the same on every machine.
#[must_use]
pub fn shown_path(path: &Path) -> String {
    if path.is_absolute() {
        if let Ok(current) = std::env::current_dir() {
            let canonical = current.canonicalize().ok();
            for folder in std::iter::once(current).chain(canonical) {
                if let Ok(inside) = path.strip_prefix(&folder) {
                    if !inside.as_os_str().is_empty() {
                        return inside.display().to_string();
                    }
                }
            }
        }
    }
    path.display().to_string()
}

fn shown_paths(paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|path| shown_path(path)).collect()
}

/// The provenance of `request`'s solve of `loaded` (whose canonical hash, taken before shocks
/// and soft targets, is `scenario_sha256`) with `rules`.
pub(super) fn build(
    request: &Request,
    loaded: &LoadedScenario,
    scenario_sha256: String,
    rules: &[PluginRules],
) -> Result<Provenance, Error> {
    let plugins = rules
        .iter()
        .map(|rule| {
            Ok(PluginFile {
                name: rule.name.clone(),
                version: rule.version.clone(),
                path: shown_path(&rule.path),
                // The hash of the bytes loaded, not of the file as it is now.
                file_sha256: rule.sha256.clone(),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let options = request.options;
    Ok(Provenance {
        metalplan_version: env!("CARGO_PKG_VERSION").to_string(),
        solver: SolverInfo::of(options.solver),
        scenario_sha256,
        scenario: InputFile {
            path: shown_path(&loaded.file),
            file_sha256: sha256_hex(loaded.text.as_bytes()),
        },
        overlays: loaded
            .overlays
            .iter()
            .map(|overlay| InputFile {
                path: shown_path(&overlay.file),
                file_sha256: sha256_hex(overlay.text.as_bytes()),
            })
            .collect(),
        plugins,
        options: RunOptions {
            solver: options.solver,
            objective: options.objective,
            overlays: shown_paths(&request.overlays),
            plugins: shown_paths(&request.plugins),
            shocks: request.shocks.iter().map(ToString::to_string).collect(),
            soft_targets: request.soft_targets,
            time_limit_seconds: options.time_limit_seconds,
        },
    })
}

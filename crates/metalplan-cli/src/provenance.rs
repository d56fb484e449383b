//! Filling in and showing a result's provenance (docs/results.md, "Provenance"): the paths as
//! the user sees them, the hashes of the files read, and the short forms for the CSV header,
//! the terminal and the report.

use std::fmt::Write as _;
use std::path::Path;

use metalplan_core::provenance::{
    file_sha256, InputFile, PluginFile, Provenance, RunOptions, SolverInfo,
};
use metalplan_core::{LoadedScenario, PluginRules, SolveOptions};

/// `path` relative to the current folder when it lies inside it, else as given; so that a
/// result written in a checkout reads the same on every machine.
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

/// What the command line asked for, beyond the scenario file.
pub struct Options<'a> {
    /// The solver and objective.
    pub solve: SolveOptions,
    /// `--with` overlays.
    pub overlays: &'a [std::path::PathBuf],
    /// `--plugin` paths.
    pub plugins: &'a [std::path::PathBuf],
    /// `--shock` options, as text.
    pub shocks: Vec<String>,
    /// `--soft-targets`.
    pub soft_targets: bool,
}

/// The provenance of a solve of `loaded` (whose canonical hash, taken before shocks and
/// `--soft-targets`, is `scenario_sha256`) with `rules`.
pub fn build(
    loaded: &LoadedScenario,
    scenario_sha256: String,
    rules: &[PluginRules],
    options: &Options<'_>,
) -> Result<Provenance, String> {
    let hash_error =
        |path: &Path, error: std::io::Error| format!("cannot hash {}: {error}", path.display());
    let plugins = rules
        .iter()
        .map(|rule| {
            Ok(PluginFile {
                name: rule.name.clone(),
                version: rule.version.clone(),
                path: shown_path(&rule.path),
                file_sha256: file_sha256(&rule.path)
                    .map_err(|error| hash_error(&rule.path, error))?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Provenance {
        metalplan_version: env!("CARGO_PKG_VERSION").to_string(),
        solver: SolverInfo::of(options.solve.solver),
        scenario_sha256,
        scenario: InputFile {
            path: shown_path(&loaded.file),
            file_sha256: metalplan_core::provenance::sha256_hex(loaded.text.as_bytes()),
        },
        overlays: loaded
            .overlays
            .iter()
            .map(|overlay| InputFile {
                path: shown_path(&overlay.file),
                file_sha256: metalplan_core::provenance::sha256_hex(overlay.text.as_bytes()),
            })
            .collect(),
        plugins,
        options: RunOptions {
            solver: options.solve.solver,
            objective: options.solve.objective,
            overlays: options
                .overlays
                .iter()
                .map(|path| shown_path(path))
                .collect(),
            plugins: options
                .plugins
                .iter()
                .map(|path| shown_path(path))
                .collect(),
            shocks: options.shocks.clone(),
            soft_targets: options.soft_targets,
            time_limit_seconds: options.solve.time_limit_seconds,
        },
    })
}

/// The first 12 hex digits of a hash: enough to tell two inputs apart by eye.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// One short line for the terminal header.
pub fn summary_line(provenance: &Provenance) -> String {
    let mut line = format!(
        "metalplan {}, {} ({} {}), scenario sha256 {}",
        provenance.metalplan_version,
        provenance.solver.name,
        provenance.solver.library,
        provenance.solver.version,
        short_hash(&provenance.scenario_sha256)
    );
    if !provenance.plugins.is_empty() {
        let plugins: Vec<String> = provenance
            .plugins
            .iter()
            .map(|plugin| format!("{} {}", plugin.name, plugin.version))
            .collect();
        // Writing to a String cannot fail.
        let _ = write!(line, ", plugins {}", plugins.join(", "));
    }
    line
}

/// Every fact of the provenance as (label, text) pairs, for the CSV header and the report.
pub fn facts(provenance: &Provenance) -> Vec<(String, String)> {
    let mut facts = vec![
        (
            "metalplan".to_string(),
            provenance.metalplan_version.clone(),
        ),
        (
            "solver".to_string(),
            format!(
                "{} ({} {})",
                provenance.solver.name, provenance.solver.library, provenance.solver.version
            ),
        ),
        (
            "scenario".to_string(),
            format!(
                "{} (file sha256 {})",
                provenance.scenario.path, provenance.scenario.file_sha256
            ),
        ),
        (
            "scenario sha256 after overlays".to_string(),
            provenance.scenario_sha256.clone(),
        ),
    ];
    for (index, overlay) in provenance.overlays.iter().enumerate() {
        facts.push((
            format!("overlay {}", index + 1),
            format!("{} (file sha256 {})", overlay.path, overlay.file_sha256),
        ));
    }
    for plugin in &provenance.plugins {
        facts.push((
            format!("plugin {}", plugin.name),
            format!(
                "{} {} (file sha256 {})",
                plugin.version, plugin.path, plugin.file_sha256
            ),
        ));
    }
    facts.push(("options".to_string(), options_text(&provenance.options)));
    facts
}

/// The options as command-line flags.
pub fn options_text(options: &RunOptions) -> String {
    let mut flags = vec![
        format!("--solver {}", options.solver),
        format!("--objective {}", options.objective.key().replace('_', "-")),
    ];
    flags.extend(options.overlays.iter().map(|path| format!("--with {path}")));
    flags.extend(
        options
            .plugins
            .iter()
            .map(|path| format!("--plugin {path}")),
    );
    flags.extend(
        options
            .shocks
            .iter()
            .map(|shock| format!("--shock {shock}")),
    );
    if options.soft_targets {
        flags.push("--soft-targets".to_string());
    }
    if let Some(seconds) = options.time_limit_seconds {
        flags.push(format!("--time-limit {seconds}"));
    }
    flags.join(" ")
}

/// The provenance as CSV comment lines (`# label: text`), each ending in a newline.
pub fn csv_comment(provenance: &Provenance) -> String {
    facts(provenance)
        .into_iter()
        .fold(String::new(), |mut comment, (label, text)| {
            let _ = writeln!(comment, "# {label}: {}", text.replace(['\n', '\r'], " "));
            comment
        })
}

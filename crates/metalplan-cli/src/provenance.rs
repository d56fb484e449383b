//! Showing a result's provenance (docs/results.md, "Provenance"): the short forms for the CSV
//! header, the terminal and the report, and the options as the command-line flags that give
//! them.

use std::fmt::Write as _;

use metalplan_core::provenance::{short_hash, Provenance, RunOptions};

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

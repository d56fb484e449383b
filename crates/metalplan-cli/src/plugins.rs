//! Finding, loading and inspecting the plugins a run uses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use metalplan_core::plugin_host::{plugin_context, resolve};
use metalplan_core::scenario::PluginSpec;
use metalplan_core::{LoadedPlugin, PluginError, PluginRules, Scenario};

/// Folders searched for plugins given by name: `METALPLAN_PLUGIN_PATH`, then the folder of the
/// `metalplan` executable (where cargo puts the bundled plugins).
pub fn search_dirs() -> Vec<PathBuf> {
    // Empty entries are skipped: they would mean "the current folder" only by accident.
    let mut dirs: Vec<PathBuf> = std::env::var_os("METALPLAN_PLUGIN_PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .filter(|dir| !dir.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        dirs.push(dir);
    }
    dirs
}

/// A plugin loaded once, with where its params come from.
pub struct PluginEntry {
    /// The library, loaded.
    pub plugin: LoadedPlugin,
    /// Position in the scenario's `[[plugins]]`, whose `params` it reads; `None` for a
    /// `--plugin` path, which has no params.
    pub scenario_entry: Option<usize>,
}

impl PluginEntry {
    /// This plugin's rules for `scenario` (a sweep point may vary the params it reads).
    pub fn rules_for(&self, scenario: &Scenario) -> Result<PluginRules, PluginError> {
        let params = self
            .scenario_entry
            .and_then(|index| scenario.plugins.get(index))
            .map(|spec| spec.params.clone())
            .unwrap_or_default();
        self.plugin.rules_for(scenario, &params)
    }
}

/// Loads the scenario's `[[plugins]]` (paths relative to the scenario file, names on the
/// search path) and then the `--plugin` paths.
pub fn load(
    scenario: &Scenario,
    scenario_file: &Path,
    extra_paths: &[PathBuf],
) -> Result<Vec<PluginEntry>, PluginError> {
    let scenario_dir = scenario_file.parent().unwrap_or_else(|| Path::new("."));
    let search = search_dirs();
    let mut loaded = Vec::new();
    for (entry, spec) in scenario.plugins.iter().enumerate() {
        loaded.push(PluginEntry {
            plugin: LoadedPlugin::load(&resolve(spec, scenario_dir, &search)?)?,
            scenario_entry: Some(entry),
        });
    }
    for path in extra_paths {
        loaded.push(PluginEntry {
            plugin: LoadedPlugin::load(path)?,
            scenario_entry: None,
        });
    }
    Ok(loaded)
}

/// Loads the scenario's plugins and the `--plugin` paths, and builds each one's rules.
pub fn rules(
    scenario: &Scenario,
    scenario_file: &Path,
    extra_paths: &[PathBuf],
) -> Result<Vec<PluginRules>, PluginError> {
    load(scenario, scenario_file, extra_paths)?
        .iter()
        .map(|entry| entry.rules_for(scenario))
        .collect()
}

/// The text of `metalplan plugins inspect`.
pub fn inspect(path: &Path, scenario: Option<(&Scenario, &Path)>) -> Result<String, PluginError> {
    let plugin = LoadedPlugin::load(path)?;
    let info = &plugin.info;
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(text, "plugin:      {}", info.name);
    let _ = writeln!(text, "version:     {}", info.version);
    let _ = writeln!(text, "ABI version: {}", plugin.abi_version);
    let _ = writeln!(text, "file:        {}", plugin.path.display());
    if !info.description.is_empty() {
        let _ = writeln!(text, "about:       {}", info.description);
    }
    let _ = writeln!(text, "parameters:");
    if info.parameters.is_empty() {
        let _ = writeln!(text, "  (none)");
    }
    for parameter in &info.parameters {
        let status = match (&parameter.default, parameter.required) {
            (_, true) => "required".to_string(),
            (Some(default), false) => format!("default {default}"),
            (None, false) => "optional".to_string(),
        };
        let _ = writeln!(
            text,
            "  {} ({status}): {}",
            parameter.name, parameter.description
        );
    }
    let Some((scenario, scenario_file)) = scenario else {
        return Ok(text);
    };
    // Use the params of the scenario's entry for this plugin, if it has one.
    let scenario_dir = scenario_file.parent().unwrap_or_else(|| Path::new("."));
    let params = scenario
        .plugins
        .iter()
        .find(|spec| entry_matches(spec, &plugin, scenario_dir))
        .map(|spec| spec.params.clone())
        .unwrap_or_default();
    let context = plugin_context(scenario, info, &params)?;
    let contribution = plugin.build(&context)?;
    // Check it as a solve would, so inspect shows the same errors.
    let mut model = metalplan_core::Model::build(scenario);
    model.add_plugin(scenario, &info.name, &contribution)?;
    let _ = writeln!(text, "\nfor {}:", scenario_file.display());
    let _ = writeln!(text, "constraints ({}):", contribution.constraints.len());
    for constraint in &contribution.constraints {
        let terms: Vec<String> = constraint
            .terms
            .iter()
            .map(|term| format!("{:+} {}", term.coefficient, var_text(&term.var)))
            .collect();
        let sense = match constraint.sense {
            metalplan_plugin::Sense::AtMost => "<=",
            metalplan_plugin::Sense::AtLeast => ">=",
            metalplan_plugin::Sense::Equal => "=",
        };
        let _ = writeln!(
            text,
            "  plugin.{}.{}: {} {sense} {}",
            info.name,
            constraint.name,
            terms.join(" "),
            constraint.rhs
        );
    }
    let _ = writeln!(text, "variables ({}):", contribution.variables.len());
    for variable in &contribution.variables {
        let upper = variable
            .upper
            .map_or_else(|| "inf".to_string(), |upper| upper.to_string());
        let _ = writeln!(text, "  {} in [{}, {upper}]", variable.name, variable.lower);
    }
    let _ = writeln!(text, "objective terms ({}):", contribution.objective.len());
    for term in &contribution.objective {
        let _ = writeln!(
            text,
            "  {} CNY per unit of {}",
            term.cost_cny_per_unit,
            var_text(&term.var)
        );
    }
    let _ = writeln!(text, "figures ({}):", contribution.figures.len());
    for figure in &contribution.figures {
        let year = figure
            .year
            .map(|year| format!(" {year}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  {}{year}: {} {}",
            figure.name, figure.value, figure.unit
        );
    }
    Ok(text)
}

fn entry_matches(spec: &PluginSpec, plugin: &LoadedPlugin, scenario_dir: &Path) -> bool {
    match (&spec.name, &spec.path) {
        (Some(name), _) => name == &plugin.info.name,
        (None, Some(path)) => {
            let resolved = scenario_dir.join(path);
            resolved.canonicalize().ok() == plugin.path.canonicalize().ok()
        }
        (None, None) => false,
    }
}

fn var_text(var: &metalplan_plugin::VarRef) -> String {
    serde_json::to_string(var).unwrap_or_else(|_| format!("{var:?}"))
}

//! The plugins of a request: the scenario's `[[plugins]]` (a path relative to the scenario file,
//! or a name looked up in the request's plugin folders) and then the extra libraries the request
//! names, each loaded once; and what `plugins inspect` shows of one library.

use std::path::{Path, PathBuf};

use metalplan_plugin::{Contribution, PluginInfo};

use crate::error::PluginError;
use crate::model::Model;
use crate::plugin_host::{plugin_context, resolve, LoadedPlugin, PluginRules};
use crate::scenario::{PluginSpec, Scenario};

/// A plugin loaded once, with where its params come from.
pub(crate) struct PluginEntry {
    /// The library, loaded.
    plugin: LoadedPlugin,
    /// Position in the scenario's `[[plugins]]`, whose `params` it reads; `None` for an extra
    /// library the request names, which has no params.
    scenario_entry: Option<usize>,
}

impl PluginEntry {
    /// This plugin's rules for `scenario` (a sweep point may vary the params it reads).
    pub(crate) fn rules_for(&self, scenario: &Scenario) -> Result<PluginRules, PluginError> {
        let params = self
            .scenario_entry
            .and_then(|index| scenario.plugins.get(index))
            .map(|spec| spec.params.clone())
            .unwrap_or_default();
        self.plugin.rules_for(scenario, &params)
    }
}

/// Loads the scenario's `[[plugins]]` (paths relative to the scenario file, names in
/// `folders`, in order) and then the `extra` libraries.
pub(crate) fn load(
    scenario: &Scenario,
    scenario_file: &Path,
    folders: &[PathBuf],
    extra: &[PathBuf],
) -> Result<Vec<PluginEntry>, PluginError> {
    let scenario_dir = scenario_file.parent().unwrap_or_else(|| Path::new("."));
    let mut loaded = Vec::new();
    for (entry, spec) in scenario.plugins.iter().enumerate() {
        loaded.push(PluginEntry {
            plugin: LoadedPlugin::load(&resolve(spec, scenario_dir, folders)?)?,
            scenario_entry: Some(entry),
        });
    }
    for path in extra {
        loaded.push(PluginEntry {
            plugin: LoadedPlugin::load(path)?,
            scenario_entry: None,
        });
    }
    Ok(loaded)
}

/// Every loaded plugin's rules for `scenario`, in load order.
pub(crate) fn rules(
    entries: &[PluginEntry],
    scenario: &Scenario,
) -> Result<Vec<PluginRules>, PluginError> {
    entries
        .iter()
        .map(|entry| entry.rules_for(scenario))
        .collect()
}

/// What `plugins inspect` shows of one library.
#[derive(Debug, Clone)]
pub struct PluginInspection {
    /// The library file.
    pub path: PathBuf,
    /// The plugin ABI version it was built for.
    pub abi_version: u32,
    /// Its name, version, description and parameters.
    pub info: PluginInfo,
    /// With a scenario: the scenario file and what the plugin adds to it (checked as a solve
    /// would check it).
    pub for_scenario: Option<(PathBuf, Contribution)>,
}

/// Loads the library at `path` and, with a scenario, asks what it adds to it, using the params
/// of the scenario's `[[plugins]]` entry for this plugin if there is one.
pub(crate) fn inspect(
    path: &Path,
    scenario: Option<(&Scenario, &Path)>,
) -> Result<PluginInspection, PluginError> {
    let plugin = LoadedPlugin::load(path)?;
    let mut inspection = PluginInspection {
        path: plugin.path.clone(),
        abi_version: plugin.abi_version,
        info: plugin.info.clone(),
        for_scenario: None,
    };
    let Some((scenario, scenario_file)) = scenario else {
        return Ok(inspection);
    };
    let scenario_dir = scenario_file.parent().unwrap_or_else(|| Path::new("."));
    let params = scenario
        .plugins
        .iter()
        .find(|spec| entry_matches(spec, &plugin, scenario_dir))
        .map(|spec| spec.params.clone())
        .unwrap_or_default();
    let context = plugin_context(scenario, &plugin.info, &params)?;
    let contribution = plugin.build(&context)?;
    // Checked as a solve would check it, so inspect shows the same errors.
    let mut model = Model::build(scenario);
    model.add_plugin(scenario, &plugin.info.name, &contribution)?;
    inspection.for_scenario = Some((scenario_file.to_path_buf(), contribution));
    Ok(inspection)
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

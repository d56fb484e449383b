//! The plugins of a request: the scenario's `[[plugins]]` (a path relative to the scenario file,
//! or a name looked up in the request's plugin folders) and then the extra libraries the request
//! names, each loaded once; and what `plugins inspect` shows of one library.

use std::path::{Path, PathBuf};

use metalplan_plugin::{Contribution, PluginInfo};

use crate::error::PluginError;
use crate::model::Model;
use crate::plugin_host::{
    plugin_context, resolve, CheckedLibrary, LoadedPlugin, Loader, PluginRules,
};
use crate::plugin_process::PluginIsolation;

/// What the user allows beyond the plugins they name themselves and the plugin folders
/// (docs/plugins.md, "Trust").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PluginConsent {
    /// Libraries allowed by path or by SHA-256 (64 hex digits), e.g. from `--allow-plugin`.
    pub allowed: Vec<String>,
    /// SHA-256 hashes from the user's trust file.
    pub trusted_sha256: Vec<String>,
}

/// Who named a library, which decides whether loading it needs consent.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    /// The user named it (`--plugin`): consent.
    User,
    /// A file named it (a scenario, an overlay, a result): allowed only from a plugin folder,
    /// by `consent`, or by the trust file.
    File(PathBuf),
}

/// One library a request would load, and whether it may.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPlugin {
    /// What names it: a `[[plugins]]` entry's name or path, or the library a request adds.
    pub named_as: String,
    /// The file that names it; `None` when the user named it.
    pub asked_by: Option<PathBuf>,
    /// The library checked, or why it cannot be found or checked.
    pub library: Result<CheckedLibrary, String>,
    /// Whether it may be loaded, and why (or why not).
    pub allowed: Result<String, String>,
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Why `library` may be loaded, or `None` when nothing allows it.
fn consent_for(
    library: &CheckedLibrary,
    source: &Source,
    folders: &[PathBuf],
    consent: &PluginConsent,
) -> Option<String> {
    if *source == Source::User {
        return Some("named by you".to_string());
    }
    for folder in folders {
        if let Ok(folder) = folder.canonicalize() {
            if library.canonical.starts_with(&folder) {
                return Some(format!("in the plugin folder {}", folder.display()));
            }
        }
    }
    for allowed in &consent.allowed {
        if is_sha256(allowed) {
            if allowed.eq_ignore_ascii_case(&library.sha256) {
                return Some("allowed by its SHA-256".to_string());
            }
        } else if Path::new(allowed).canonicalize().ok().as_ref() == Some(&library.canonical) {
            return Some("allowed by path".to_string());
        }
    }
    consent
        .trusted_sha256
        .iter()
        .any(|trusted| trusted.eq_ignore_ascii_case(&library.sha256))
        .then(|| "its SHA-256 is in your trust file".to_string())
}
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

/// What to load for a request: the scenario's plugins, the extra libraries, and who named them.
pub(crate) struct PluginSources<'a> {
    /// The scenario (after overlays).
    pub scenario: &'a Scenario,
    /// Its file: `[[plugins]] path` is relative to its folder, and it is the file that names
    /// them.
    pub scenario_file: &'a Path,
    /// Plugin folders: where names are looked up, and from where files may name libraries.
    pub folders: &'a [PathBuf],
    /// Extra libraries.
    pub extra: &'a [PathBuf],
    /// The file that named the extra libraries (a result being replayed); `None`: the user.
    pub extra_named_by: Option<&'a Path>,
    /// What else the user allows.
    pub consent: &'a PluginConsent,
}

/// One library a request names: how, where it resolved, its scenario entry and who named it.
struct NamedLibrary {
    named_as: String,
    path: Result<PathBuf, PluginError>,
    scenario_entry: Option<usize>,
    source: Source,
}

impl PluginSources<'_> {
    /// Every library these sources name, in load order.
    fn named(&self) -> Vec<NamedLibrary> {
        let scenario_dir = self
            .scenario_file
            .parent()
            .unwrap_or_else(|| Path::new("."));
        let mut named = Vec::new();
        for (entry, spec) in self.scenario.plugins.iter().enumerate() {
            let named_as = match (&spec.name, &spec.path) {
                (_, Some(path)) => format!("path {path}"),
                (Some(name), None) => format!("name {name}"),
                (None, None) => "an entry without name or path".to_string(),
            };
            named.push(NamedLibrary {
                named_as,
                path: resolve(spec, scenario_dir, self.folders),
                scenario_entry: Some(entry),
                source: Source::File(self.scenario_file.to_path_buf()),
            });
        }
        let extra_source = self
            .extra_named_by
            .map_or(Source::User, |file| Source::File(file.to_path_buf()));
        for path in self.extra {
            named.push(NamedLibrary {
                named_as: path.display().to_string(),
                path: Ok(path.clone()),
                scenario_entry: None,
                source: extra_source.clone(),
            });
        }
        named
    }

    /// What `check` shows: each library, found or not, allowed or not; nothing is loaded.
    pub(crate) fn plan(&self) -> Vec<PlannedPlugin> {
        self.named()
            .into_iter()
            .map(
                |NamedLibrary {
                     named_as,
                     path,
                     source,
                     ..
                 }| {
                    let library = path
                        .and_then(|path| CheckedLibrary::check(&path))
                        .map_err(|error| error.to_string());
                    let allowed = match &library {
                        Err(_) => Err("not checked".to_string()),
                        Ok(library) => consent_for(library, &source, self.folders, self.consent)
                            .ok_or_else(|| "not allowed".to_string()),
                    };
                    PlannedPlugin {
                        named_as,
                        asked_by: match source {
                            Source::User => None,
                            Source::File(file) => Some(file),
                        },
                        library,
                        allowed,
                    }
                },
            )
            .collect()
    }
}

/// Loads the libraries `sources` name, each checked and allowed first, as `isolation` says, for
/// `workers` threads calling them at once: a run with plugins out of process starts one plugin
/// host for all of them (a sweep up to one per worker, as its workers need them); a run
/// without plugins starts none. A library no one allowed stops the run before anything is
/// loaded.
pub(crate) fn load(
    sources: &PluginSources<'_>,
    isolation: &PluginIsolation,
    workers: usize,
) -> Result<Vec<PluginEntry>, PluginError> {
    let mut checked = Vec::new();
    for NamedLibrary {
        path,
        scenario_entry,
        source,
        ..
    } in sources.named()
    {
        let library = CheckedLibrary::check(&path?)?;
        let allowed = consent_for(&library, &source, sources.folders, sources.consent);
        if let (None, Source::File(asked_by)) = (allowed, source) {
            return Err(PluginError::NotAllowed {
                asked_by,
                library: library.path,
                sha256: library.sha256,
            });
        }
        checked.push((library, scenario_entry));
    }
    if checked.is_empty() {
        return Ok(Vec::new());
    }
    let loader = Loader::start(isolation, workers)?;
    checked
        .into_iter()
        .map(|(library, scenario_entry)| {
            Ok(PluginEntry {
                plugin: LoadedPlugin::load_with(&library, &loader)?,
                scenario_entry,
            })
        })
        .collect()
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
    isolation: &PluginIsolation,
) -> Result<PluginInspection, PluginError> {
    let checked = CheckedLibrary::check(path)?;
    let plugin = LoadedPlugin::load_with(&checked, &Loader::start(isolation, 1)?)?;
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

//! Loading constraint plugins and calling them: in a plugin host process (the default,
//! [`crate::plugin_process`]) or in metalplan's own process, both through the boundary crate
//! `metalplan-plugin-host`, which holds the only `unsafe` code of the plugin side. A library is
//! loaded once and never unloaded. Everything a plugin returns is checked here (the reply) and in
//! [`crate::model`] (keys, numbers, bounds) before it can reach the model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use metalplan_plugin::{
    Contribution, DemandInfo, FeedInfo, GradeInfo, MetalInfo, PluginContext, PluginInfo,
    PowerSourceInfo, Reply, RouteInfo, StageInfo, TradeInfo, ABI_VERSION,
};
use metalplan_plugin_host::library::{BadBuffer, Library, LoadError};
use metalplan_plugin_host::protocol::{Request, Response};
use serde::de::DeserializeOwned;

use crate::error::PluginError;
use crate::model::build_limit_allowed;
use crate::plugin_process::{HostProcess, HostSettings, PluginIsolation};
use crate::scenario::{Metal, Origin, PerYear, PluginSpec, Route, Scenario, Year};
use crate::variable::{power_users, process_name};

/// What one plugin adds to one scenario, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginRules {
    /// The plugin's name.
    pub name: String,
    /// The plugin's version.
    pub version: String,
    /// The library file.
    pub path: PathBuf,
    /// The SHA-256 of the library's bytes, as loaded.
    pub sha256: String,
    /// Its constraints, variables, objective terms and figures.
    pub contribution: Contribution,
}

impl LoadedPlugin {
    /// Builds this plugin's rules for `scenario` with `params` from its `[[plugins]]` entry.
    pub fn rules_for(
        &self,
        scenario: &Scenario,
        params: &BTreeMap<String, serde_json::Value>,
    ) -> Result<PluginRules, PluginError> {
        let context = plugin_context(scenario, &self.info, params)?;
        Ok(PluginRules {
            name: self.info.name.clone(),
            version: self.info.version.clone(),
            path: self.path.clone(),
            sha256: self.sha256.clone(),
            contribution: self.build(&context)?,
        })
    }
}

/// Where the plugins of one run are loaded: plugin host processes, or this process.
#[derive(Debug, Clone)]
pub enum Loader {
    /// Plugin host processes, at most one per worker, shared by every plugin of the run.
    Hosts(Arc<HostPool>),
    /// This process.
    InProcess,
}

impl Loader {
    /// The loader `isolation` asks for, for `workers` threads that call plugins at once (a
    /// sweep's workers; 1 otherwise). Out of process, the first host is started here, so a run
    /// without plugins starts none and a host that cannot start stops the run before anything
    /// is loaded; the others start when a worker finds every started host busy.
    pub fn start(isolation: &PluginIsolation, workers: usize) -> Result<Loader, PluginError> {
        match isolation {
            PluginIsolation::InProcess => Ok(Loader::InProcess),
            PluginIsolation::OutOfProcess(settings) => {
                Ok(Loader::Hosts(Arc::new(HostPool::start(settings, workers)?)))
            }
        }
    }
}

/// The plugin host processes of one run (docs/plugins.md, "Isolation"): at most one per worker,
/// each reused for every call that lands on it. A call takes the first host that is free,
/// starting it if it has not run yet, and waits for the first host only when every one is busy,
/// so a run with one worker uses one host and a sweep's workers do not take turns. A host loads
/// a library the first time a call for it lands there, from the path and hash checked once
/// (each load verifies the bytes against that hash again).
#[derive(Debug)]
pub struct HostPool {
    settings: HostSettings,
    hosts: Vec<Mutex<PooledHost>>,
    /// Libraries loaded so far, which numbers the next one.
    libraries: AtomicUsize,
}

/// One host of a pool: not started yet, or running with the libraries it has loaded.
#[derive(Debug, Default)]
struct PooledHost {
    process: Option<HostProcess>,
    /// The host's plugin number for each library it has loaded, by [`HostLibrary::id`].
    loaded: BTreeMap<usize, u32>,
}

/// A library as a pool knows it.
#[derive(Debug)]
struct HostLibrary {
    id: usize,
    /// The path as named (for messages).
    shown: PathBuf,
    /// The path the hosts load.
    canonical: PathBuf,
    /// The SHA-256 each load verifies.
    sha256: String,
}

impl HostPool {
    fn start(settings: &HostSettings, workers: usize) -> Result<HostPool, PluginError> {
        let mut hosts = vec![Mutex::new(PooledHost {
            process: Some(HostProcess::start(settings)?),
            loaded: BTreeMap::new(),
        })];
        hosts.extend((1..workers.max(1)).map(|_| Mutex::new(PooledHost::default())));
        Ok(HostPool {
            settings: settings.clone(),
            hosts,
            libraries: AtomicUsize::new(0),
        })
    }

    /// The host for one call: the first free one, or the first one once it is free.
    fn host(&self) -> MutexGuard<'_, PooledHost> {
        for host in &self.hosts {
            match host.try_lock() {
                Ok(guard) => return guard,
                // A call that panicked while holding the lock leaves a host in an unknown
                // state; its next call reports whatever the process did.
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        self.hosts[0]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Loads `checked` into a host: the library, and its information reply.
    fn load(
        &self,
        label: &str,
        checked: &CheckedLibrary,
    ) -> Result<(Arc<HostLibrary>, Vec<u8>), PluginError> {
        let library = Arc::new(HostLibrary {
            id: self.libraries.fetch_add(1, Ordering::Relaxed),
            shown: checked.path.clone(),
            canonical: checked.canonical.clone(),
            sha256: checked.sha256.clone(),
        });
        let mut host = self.host();
        let (_, _, info) = self.loaded_in(&mut host, &library, label)?;
        let info = info.ok_or_else(|| PluginError::BadReply {
            plugin: label.to_string(),
            reason: "a new library was already loaded in its plugin host".to_string(),
        })?;
        Ok((library, info))
    }

    /// `host`'s process and its number for `library`, starting the host and loading the
    /// library there first if need be (then with the information reply).
    fn loaded_in<'h>(
        &self,
        host: &'h mut PooledHost,
        library: &HostLibrary,
        label: &str,
    ) -> Result<(&'h mut HostProcess, u32, Option<Vec<u8>>), PluginError> {
        let PooledHost { process, loaded } = host;
        let process = match process {
            Some(process) => process,
            None => process.insert(HostProcess::start(&self.settings)?),
        };
        if let Some(&plugin) = loaded.get(&library.id) {
            return Ok((process, plugin, None));
        }
        let request = Request::Load {
            path: library.canonical.clone(),
            sha256: library.sha256.clone(),
        };
        match process.call(label, "loading", &request)? {
            Response::Loaded { plugin, info } => {
                loaded.insert(library.id, plugin);
                Ok((process, plugin, Some(info)))
            }
            Response::LoadFailed(error) => Err(load_error(&library.shown, &library.sha256, error)),
            Response::BadBuffer(length) => Err(bad_buffer(label, &BadBuffer { length })),
            other => Err(unexpected(label, &other)),
        }
    }

    /// Calls `library`'s build with `context` in a host: the reply's bytes.
    fn build(
        &self,
        library: &HostLibrary,
        name: &str,
        context: Vec<u8>,
    ) -> Result<Vec<u8>, PluginError> {
        let mut host = self.host();
        let (process, plugin, _) = self.loaded_in(&mut host, library, name)?;
        match process.call(name, "build", &Request::Build { plugin, context })? {
            Response::Built(reply) => Ok(reply),
            Response::BadBuffer(length) => Err(bad_buffer(name, &BadBuffer { length })),
            other => Err(unexpected(name, &other)),
        }
    }
}

/// Where a loaded plugin's code runs.
#[derive(Debug, Clone)]
enum Backend {
    InProcess(Library),
    Host {
        pool: Arc<HostPool>,
        library: Arc<HostLibrary>,
    },
}

/// A plugin library loaded, with its information read.
#[derive(Debug, Clone)]
pub struct LoadedPlugin {
    /// The file it was loaded from.
    pub path: PathBuf,
    /// What it says about itself.
    pub info: PluginInfo,
    /// The plugin ABI version it was built for (equal to the host's, or it is not loaded).
    pub abi_version: u32,
    /// The SHA-256 of the bytes loaded (lower-case hex).
    pub sha256: String,
    backend: Backend,
}

/// The platform's file name for a plugin called `name` (`libmetalplan_plugin_<name>.so` on Linux).
#[must_use]
pub fn plugin_file_name(name: &str) -> String {
    format!(
        "{}metalplan_plugin_{name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// Where the plugin of a `[[plugins]]` entry lives: `path` relative to the scenario's folder, or
/// `name` looked up in `search_dirs` in order.
pub fn resolve(
    spec: &PluginSpec,
    scenario_dir: &Path,
    search_dirs: &[PathBuf],
) -> Result<PathBuf, PluginError> {
    if let Some(path) = &spec.path {
        return Ok(scenario_dir.join(path));
    }
    let name = spec.name.as_deref().unwrap_or_default();
    let file = plugin_file_name(name);
    search_dirs
        .iter()
        .map(|dir| dir.join(&file))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| PluginError::NotFound {
            name: name.to_string(),
            file,
            searched: search_dirs.to_vec(),
        })
}

fn load_error(path: &Path, expected: &str, error: LoadError) -> PluginError {
    let path = path.to_path_buf();
    match error {
        LoadError::Unreadable(reason) => PluginError::Unreadable { path, reason },
        LoadError::Changed(found) => PluginError::Changed {
            path,
            expected: expected.to_string(),
            found,
        },
        LoadError::NotALibrary(reason) => PluginError::NotALibrary { path, reason },
        LoadError::MissingSymbol(symbol) => PluginError::MissingSymbol { path, symbol },
        LoadError::AbiMismatch(plugin) => PluginError::AbiMismatch {
            path,
            plugin,
            host: ABI_VERSION,
        },
    }
}

fn bad_buffer(plugin: &str, bad: &BadBuffer) -> PluginError {
    PluginError::BadReply {
        plugin: plugin.to_string(),
        reason: format!(
            "it returned an empty or oversized buffer ({} bytes)",
            bad.length
        ),
    }
}

fn unexpected(plugin: &str, response: &Response) -> PluginError {
    PluginError::BadReply {
        plugin: plugin.to_string(),
        reason: format!("the plugin host answered out of turn: {response:?}"),
    }
}

/// A library file checked before anything of it runs: a regular file, neither writable by
/// other users nor owned (with the folders above it) by another user than the one running (root
/// aside), with the SHA-256 of its bytes, which consent is given for and loading verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLibrary {
    /// The path as given.
    pub path: PathBuf,
    /// The canonical path: the dynamic loader is never left to search for a bare name.
    pub canonical: PathBuf,
    /// The SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

impl CheckedLibrary {
    /// Checks the library at `path` and hashes it; runs none of it.
    pub fn check(path: &Path) -> Result<CheckedLibrary, PluginError> {
        let shown = path.to_path_buf();
        let unreadable = |error: std::io::Error| PluginError::Unreadable {
            path: shown.clone(),
            reason: error.to_string(),
        };
        let metadata = std::fs::metadata(path).map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(PluginError::NotALibrary {
                path: shown,
                reason: "it is not a file".to_string(),
            });
        }
        let canonical = path.canonicalize().map_err(unreadable)?;
        refuse_writable_by_others(&canonical, &metadata)?;
        if let Some((owned, owner)) = metalplan_plugin_host::owned_by_another_user(&canonical) {
            return Err(PluginError::Untrusted {
                path: shown,
                reason: format!(
                    "{} belongs to another user (uid {owner}), who could replace the code",
                    owned.display()
                ),
            });
        }
        let file = std::fs::File::open(&canonical).map_err(unreadable)?;
        let sha256 = metalplan_plugin_host::library::sha256_of(file).map_err(unreadable)?;
        Ok(CheckedLibrary {
            path: shown,
            canonical,
            sha256,
        })
    }
}

impl LoadedPlugin {
    /// Loads the library at `path` into this process, whatever its bytes (for benchmarks and
    /// tools that name their own library; runs go through consent in the application layer).
    pub fn load(path: &Path) -> Result<LoadedPlugin, PluginError> {
        let checked = CheckedLibrary::check(path)?;
        Self::load_with(&checked, &Loader::InProcess)
    }

    /// Loads the `checked` library with `loader`, refusing it if its bytes are no longer the
    /// ones checked; checks its ABI version, then reads its information.
    pub fn load_with(
        checked: &CheckedLibrary,
        loader: &Loader,
    ) -> Result<LoadedPlugin, PluginError> {
        let path = checked.path.as_path();
        let shown = path.to_path_buf();
        let canonical = checked.canonical.clone();
        let sha256 = checked.sha256.clone();
        let label = path.display().to_string();
        let (backend, info_bytes) = match loader {
            Loader::InProcess => {
                let library = Library::load(&canonical, &sha256)
                    .map_err(|error| load_error(path, &sha256, error))?;
                let info = library.info().map_err(|bad| bad_buffer(&label, &bad))?;
                (Backend::InProcess(library), info)
            }
            Loader::Hosts(pool) => {
                let (library, info) = pool.load(&label, checked)?;
                (
                    Backend::Host {
                        pool: Arc::clone(pool),
                        library,
                    },
                    info,
                )
            }
        };
        let info: PluginInfo = decode_reply(&label, &info_bytes)?;
        if info.name.trim().is_empty() {
            return Err(PluginError::BadReply {
                plugin: label,
                reason: "its information has an empty name".to_string(),
            });
        }
        Ok(LoadedPlugin {
            path: shown,
            info,
            abi_version: ABI_VERSION,
            sha256,
            backend,
        })
    }

    /// The plugin's name, as it reports it.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.info.name
    }

    /// Asks the plugin what it adds for `context`.
    pub fn build(&self, context: &PluginContext) -> Result<Contribution, PluginError> {
        let input = serde_json::to_vec(context).map_err(|error| PluginError::BadReply {
            plugin: self.name().to_string(),
            reason: format!("cannot encode the context: {error}"),
        })?;
        let reply = match &self.backend {
            Backend::InProcess(library) => library
                .build(&input)
                .map_err(|bad| bad_buffer(self.name(), &bad))?,
            Backend::Host { pool, library } => pool.build(library, self.name(), input)?,
        };
        decode_reply(self.name(), &reply)
    }
}

/// Decodes a plugin's JSON reply.
fn decode_reply<T: DeserializeOwned>(plugin: &str, bytes: &[u8]) -> Result<T, PluginError> {
    let plugin = plugin.to_string();
    let reply: Reply<T> = serde_json::from_slice(bytes).map_err(|error| {
        let mut reason = format!("its reply is not valid: {error}");
        if reason.contains("null") {
            // serde_json writes NaN and infinities as null: say so, it is the usual cause.
            reason.push_str(
                " (a `null` where a number belongs usually means a NaN or infinite number)",
            );
        }
        PluginError::BadReply {
            plugin: plugin.clone(),
            reason,
        }
    })?;
    match reply {
        Reply::Ok(value) => Ok(value),
        Reply::Error(message) => Err(PluginError::Failed { plugin, message }),
        Reply::Panic(message) => Err(PluginError::Panicked { plugin, message }),
    }
}

#[cfg(unix)]
fn refuse_writable_by_others(path: &Path, metadata: &std::fs::Metadata) -> Result<(), PluginError> {
    use std::os::unix::fs::PermissionsExt;
    // Group- or world-writable: someone else could have replaced the code we are about to run.
    if metadata.permissions().mode() & 0o022 != 0 {
        return Err(PluginError::Untrusted {
            path: path.to_path_buf(),
            reason: "it is writable by other users; run `chmod go-w` on it if you trust it"
                .to_string(),
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_writable_by_others(
    _path: &Path,
    _metadata: &std::fs::Metadata,
) -> Result<(), PluginError> {
    Ok(())
}

/// The context a plugin sees: the scenario's horizon, metals, routes and feed, and its
/// parameters with defaults filled in. Missing required and unknown parameters are errors.
pub fn plugin_context(
    scenario: &Scenario,
    info: &PluginInfo,
    params: &BTreeMap<String, serde_json::Value>,
) -> Result<PluginContext, PluginError> {
    let mut filled = params.clone();
    for parameter in &info.parameters {
        if filled.contains_key(&parameter.name) {
            continue;
        }
        match (&parameter.default, parameter.required) {
            (_, true) => {
                return Err(PluginError::MissingParameter {
                    plugin: info.name.clone(),
                    parameter: parameter.name.clone(),
                    description: parameter.description.clone(),
                })
            }
            (Some(default), false) => {
                filled.insert(parameter.name.clone(), default.clone());
            }
            (None, false) => {}
        }
    }
    if let Some(unknown) = params.keys().find(|key| {
        !info
            .parameters
            .iter()
            .any(|parameter| &parameter.name == *key)
    }) {
        let known: Vec<&str> = info.parameters.iter().map(|p| p.name.as_str()).collect();
        return Err(PluginError::UnknownParameter {
            plugin: info.name.clone(),
            parameter: unknown.clone(),
            known: known.join(", "),
        });
    }
    let metals = scenario
        .metals
        .iter()
        .map(|metal| metal_info(scenario, metal))
        .collect();
    let power_sources = scenario
        .power_sources()
        .iter()
        .map(|source| PowerSourceInfo {
            name: source.name.clone(),
            clean: source.clean,
            available_twh: per_year(scenario, &source.available_twh),
        })
        .collect();
    Ok(PluginContext {
        base_year: scenario.base_year,
        discount_rate: scenario.discount_rate,
        years: scenario.years.clone(),
        metals,
        power_sources,
        params: filled,
    })
}

/// One metal as a plugin sees it.
fn metal_info(scenario: &Scenario, metal: &Metal) -> MetalInfo {
    MetalInfo {
        name: metal.name.clone(),
        routes: Route::ALL
            .iter()
            .filter_map(|&route| {
                let spec = metal.route(route)?;
                Some(RouteInfo {
                    route,
                    base_output_mt: spec.base_output_mt.unwrap_or(0.0),
                    can_build: scenario
                        .years
                        .iter()
                        .any(|&year| build_limit_allowed(spec.capacity(), year)),
                    feed: route
                        .feed_sources()
                        .into_iter()
                        .filter_map(|source| {
                            let feed = spec.feed_source(source)?;
                            Some(FeedInfo {
                                source,
                                recovery: feed.recovery,
                                available_mt: per_year(scenario, &feed.available_mt),
                            })
                        })
                        .collect(),
                })
            })
            .collect(),
        stages: metal
            .stages
            .iter()
            .map(|stage| StageInfo {
                name: stage.name.clone(),
                metal_content: stage.metal_content,
                base_output_mt: stage.base_output_mt.unwrap_or(0.0),
                capacity_mt: per_year(scenario, &stage.capacity_mt),
                inputs: stage.input_t_per_t.keys().cloned().collect(),
            })
            .collect(),
        trade: metal
            .trade
            .iter()
            .map(|trade| TradeInfo {
                material: trade.material.clone(),
                imports: trade.import_max_mt.is_some(),
                exports: trade.export_max_mt.is_some(),
            })
            .collect(),
        demand: metal.demand.as_ref().map(|demand| DemandInfo {
            reference_mt: scenario
                .years
                .iter()
                .map(|&year| (year, demand.reference_mt(year)))
                .collect(),
        }),
        scrap_grades: metal.recycled.as_ref().map_or(Vec::new(), |spec| {
            spec.grades
                .iter()
                .map(|(name, grade)| GradeInfo {
                    name: name.clone(),
                    imported: grade.origin == Origin::Imported,
                    available_mt: per_year(scenario, &grade.available_mt),
                    recovery: grade.recovery,
                })
                .collect()
        }),
        recycled_products: metal.recycled.as_ref().map_or(Vec::new(), |spec| {
            spec.products.iter().map(|p| p.name.clone()).collect()
        }),
        power_processes: power_users(metal)
            .into_iter()
            .map(|(process, _)| process_name(metal, process).to_string())
            .collect(),
    }
}

/// A per-year value of `scenario` over its planning years.
fn per_year(scenario: &Scenario, value: &PerYear) -> BTreeMap<Year, f64> {
    scenario
        .years
        .iter()
        .map(|&year| (year, value.at(year)))
        .collect()
}

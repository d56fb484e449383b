//! Loading constraint plugins and calling them across the C boundary of `metalplan-plugin`.
//!
//! This is the only module that touches `libloading`, and with `solve/highs.rs` (HiGHS's C API
//! for ranging) the only one with `unsafe`. A library is loaded once and
//! never unloaded: unloading libraries with thread-local destructors is unsound in practice.
//! Everything a plugin returns is checked here (the reply) and in [`crate::model`] (keys, numbers,
//! bounds) before it can reach the model.
#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use metalplan_plugin::{
    symbols, Buffer, Contribution, DemandInfo, FeedInfo, GradeInfo, MetalInfo, PluginContext,
    PluginInfo, PowerSourceInfo, Reply, RouteInfo, StageInfo, TradeInfo, ABI_VERSION,
};
use serde::de::DeserializeOwned;

use crate::error::PluginError;
use crate::model::build_limit_allowed;
use crate::scenario::{Metal, Origin, PerYear, PluginSpec, Route, Scenario, Year};
use crate::variable::{power_users, process_name};

/// Replies larger than this are refused: a plugin adds rules, not data sets.
const MAX_REPLY_BYTES: usize = 256 * 1024 * 1024;

type AbiVersionFn = unsafe extern "C" fn() -> u32;
type InfoFn = unsafe extern "C" fn() -> Buffer;
type BuildFn = unsafe extern "C" fn(*const u8, usize) -> Buffer;
type FreeFn = unsafe extern "C" fn(Buffer);

/// What one plugin adds to one scenario, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginRules {
    /// The plugin's name.
    pub name: String,
    /// The plugin's version.
    pub version: String,
    /// The library file.
    pub path: PathBuf,
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
            contribution: self.build(&context)?,
        })
    }
}

/// A plugin library loaded into the process, with its information read.
#[derive(Debug, Clone)]
pub struct LoadedPlugin {
    /// The file it was loaded from.
    pub path: PathBuf,
    /// What it says about itself.
    pub info: PluginInfo,
    /// The plugin ABI version it was built for (equal to the host's, or it is not loaded).
    pub abi_version: u32,
    info_entry: InfoFn,
    build_entry: BuildFn,
    free_entry: FreeFn,
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

impl LoadedPlugin {
    /// Loads the library at `path`, checks its ABI version first, then reads its information.
    pub fn load(path: &Path) -> Result<LoadedPlugin, PluginError> {
        let shown = path.to_path_buf();
        let metadata = std::fs::metadata(path).map_err(|error| PluginError::Unreadable {
            path: shown.clone(),
            reason: error.to_string(),
        })?;
        if !metadata.is_file() {
            return Err(PluginError::NotALibrary {
                path: shown,
                reason: "it is not a file".to_string(),
            });
        }
        // The file checked must be the file loaded: a bare name such as `libx.so` would make the
        // dynamic loader search LD_LIBRARY_PATH and the system folders instead of this folder.
        let canonical = path
            .canonicalize()
            .map_err(|error| PluginError::Unreadable {
                path: shown.clone(),
                reason: error.to_string(),
            })?;
        refuse_writable_by_others(&canonical, &metadata)?;
        // SAFETY: loading a library runs its initialisers with our rights. We load only files the
        // user named on the command line, in the scenario or on METALPLAN_PLUGIN_PATH
        // (docs/plugins.md, "Trust"), by the absolute path we just checked; anything else about
        // the library is checked below before use.
        let library = unsafe { libloading::Library::new(&canonical) }.map_err(|error| {
            PluginError::NotALibrary {
                path: shown.clone(),
                reason: error.to_string(),
            }
        })?;
        // Never unloaded: see the module documentation. The function pointers below stay valid
        // because the library lives for the rest of the process.
        let library: &'static libloading::Library = Box::leak(Box::new(library));
        let abi_version: AbiVersionFn = symbol(library, path, symbols::ABI_VERSION)?;
        // SAFETY: the symbol has the documented signature `extern "C" fn() -> u32` for every ABI
        // version; it is read before any other symbol precisely so that a mismatch stops here.
        let version = unsafe { abi_version() };
        if version != ABI_VERSION {
            return Err(PluginError::AbiMismatch {
                path: shown,
                plugin: version,
                host: ABI_VERSION,
            });
        }
        let info_entry: InfoFn = symbol(library, path, symbols::INFO)?;
        let build_entry: BuildFn = symbol(library, path, symbols::BUILD)?;
        let free_entry: FreeFn = symbol(library, path, symbols::FREE)?;
        let mut plugin = LoadedPlugin {
            path: shown,
            info: PluginInfo {
                name: path.display().to_string(),
                version: String::new(),
                description: String::new(),
                parameters: Vec::new(),
            },
            abi_version: version,
            info_entry,
            build_entry,
            free_entry,
        };
        // SAFETY: `metalplan_plugin_info` has the ABI-1 signature `extern "C" fn() -> Buffer`
        // (version checked above) and takes no input.
        let reply = unsafe { (plugin.info_entry)() };
        plugin.info = plugin.read_reply(reply)?;
        if plugin.info.name.trim().is_empty() {
            return Err(PluginError::BadReply {
                plugin: plugin.path.display().to_string(),
                reason: "its information has an empty name".to_string(),
            });
        }
        Ok(plugin)
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
        // SAFETY: ABI 1 signature `extern "C" fn(*const u8, usize) -> Buffer`; `input` is a live,
        // initialised allocation of `input.len()` bytes that outlives the call, and the plugin
        // only reads it during the call.
        let reply = unsafe { (self.build_entry)(input.as_ptr(), input.len()) };
        self.read_reply(reply)
    }

    /// Copies a reply out of the plugin's buffer, hands the buffer back, and decodes it.
    fn read_reply<T: DeserializeOwned>(&self, buffer: Buffer) -> Result<T, PluginError> {
        let plugin = self.name().to_string();
        let bytes = if buffer.is_null() || buffer.len() > MAX_REPLY_BYTES {
            None
        } else {
            // SAFETY: the plugin returned this buffer from an entry point and it is not null;
            // by the ABI contract it holds `len()` initialised bytes the plugin owns until we
            // pass the buffer to `metalplan_plugin_free`, which happens right after this copy.
            Some(unsafe { buffer.bytes() }.to_vec())
        };
        let length = buffer.len();
        // SAFETY: the buffer came from this plugin and is handed back exactly once.
        unsafe { (self.free_entry)(buffer) };
        let bytes = bytes.ok_or_else(|| PluginError::BadReply {
            plugin: plugin.clone(),
            reason: format!("it returned an empty or oversized buffer ({length} bytes)"),
        })?;
        let reply: Reply<T> = serde_json::from_slice(&bytes).map_err(|error| {
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
}

fn symbol<T: Copy>(
    library: &'static libloading::Library,
    path: &Path,
    name: &str,
) -> Result<T, PluginError> {
    // SAFETY: `T` is one of the function-pointer types above, matching the documented signature
    // of `name` for ABI 1; symbols are looked up only after (or, for the version, in order to)
    // check the ABI version. The library is never unloaded, so the pointer stays valid.
    unsafe { library.get::<T>(name.as_bytes()) }
        .map(|symbol| *symbol)
        .map_err(|_| PluginError::MissingSymbol {
            path: path.to_path_buf(),
            symbol: name.to_string(),
        })
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

//! The application layer: a request (a scenario file with overlays, plugins, shocks and solver
//! options) becomes a run (the result with its provenance and stage timings) or one typed
//! [`Error`]. Everything a front end offers is built here, so that the command-line tool, a
//! service or a notebook get the same behaviour without copying it: solving ([`run`]), checking
//! a scenario ([`check`]), verifying a plan ([`verify`]), writing the model ([`build_model`]),
//! inspecting a plugin ([`inspect_plugin`]), sweeps ([`sweep`]), comparing two results
//! ([`compare`]), replaying one ([`replay`]), lining a plan up against reported years
//! ([`backtest`]) and calibrating a scenario on its base year ([`calibrate`]).
//!
//! Nothing here prints, reads the environment or knows command-line flags: plugin folders, for
//! instance, are part of the request.

pub mod backtest;
pub mod calibrate;
pub mod compare;
mod error;
mod plugins;
mod provenance;
pub mod replay;
pub mod sweep;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::Error;
pub use plugins::{PlannedPlugin, PluginConsent, PluginInspection};
pub use provenance::shown_path;

pub use crate::model::ObjectiveKind;
pub use crate::plugin_process::{HostSettings, PluginIsolation};
pub use crate::solve::{SolveOptions, SolverKind};

use crate::error::{PluginError, ResultRole};
pub use crate::files::ReadPolicy;
use crate::model::Model;
use crate::pipeline::{plan_timed, PlanError};
use crate::plugin_host::PluginRules;
use crate::results::{read_result_file, PlanResult};
use crate::scenario::{apply_shocks, load_scenario_with, LoadedScenario, Scenario, Shock};
use crate::verify::{verify_plan, Violation};

/// What to solve and how.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Request {
    /// The scenario file (TOML or JSON).
    pub scenario: PathBuf,
    /// Overlay files merged into the scenario first, in order.
    pub overlays: Vec<PathBuf>,
    /// Plugin libraries to load beyond the scenario's `[[plugins]]`, in order.
    pub plugins: Vec<PathBuf>,
    /// Folders searched, in order, for the plugins the scenario names by name.
    pub plugin_folders: Vec<PathBuf>,
    /// Supply shocks applied after loading.
    pub shocks: Vec<Shock>,
    /// Let targets be missed by as little as possible (as `soft_targets = true` in the file).
    pub soft_targets: bool,
    /// Solver, objective, time limit and ranging.
    pub options: SolveOptions,
    /// Whether plugins run in a plugin host process (the default) or in this process, with the
    /// host's time and memory limits.
    pub plugin_isolation: PluginIsolation,
    /// What the user allows a file to load beyond the plugin folders (docs/plugins.md, "Trust").
    pub consent: PluginConsent,
    /// The file that named `plugins` (a result being replayed); `None`: the user named them,
    /// which is consent.
    pub plugins_named_by: Option<PathBuf>,
    /// What reading the input files may do beyond the safe defaults (special files, a
    /// facilities CSV outside the scenario's folder).
    pub read_policy: ReadPolicy,
    /// Refuse a scenario whose model is estimated to need more memory than this, in bytes,
    /// before building it ([`crate::size`]); `None`: no limit. Front ends set it (the CLI to
    /// half the machine's memory, [`crate::size::half_of_physical_memory`]).
    pub memory_limit_bytes: Option<u64>,
}

impl Request {
    /// A request to solve `scenario` with the default options and nothing else.
    #[must_use]
    pub fn new(scenario: impl Into<PathBuf>) -> Self {
        Request {
            scenario: scenario.into(),
            ..Request::default()
        }
    }

    /// The files this request reads as named: the scenario, the overlays and the extra
    /// plugins (a scenario's facilities CSV is known once it is read:
    /// [`LoadedScenario::facilities_file`]).
    #[must_use]
    pub fn input_files(&self) -> Vec<PathBuf> {
        std::iter::once(&self.scenario)
            .chain(&self.overlays)
            .chain(&self.plugins)
            .cloned()
            .collect()
    }
}

impl Run {
    /// Every file this run read as named: [`Request::input_files`] and the facilities CSV.
    #[must_use]
    pub fn input_files(&self, request: &Request) -> Vec<PathBuf> {
        let mut files = request.input_files();
        files.extend(self.scenario.facilities_file.iter().cloned());
        files
    }
}

/// Every file a run of `request` reads, as named: [`Request::input_files`] and the scenario's
/// facilities CSV (the scenario is read to find it; nothing is solved).
pub fn files_read(request: &Request) -> Result<Vec<PathBuf>, Error> {
    let loaded = check(request)?;
    let mut files = request.input_files();
    files.extend(loaded.facilities_file.iter().cloned());
    Ok(files)
}

/// Refuses to write any of `outputs` over one of `inputs` (the same file by inode or canonical
/// path: a link, a hard link or another spelling of it), which would destroy an input of the
/// run it was meant to record. Call it before writing anything.
pub fn refuse_overwriting_inputs(outputs: &[&Path], inputs: &[PathBuf]) -> Result<(), Error> {
    for output in outputs {
        if let Some(input) = crate::files::overwritten_input(output, inputs) {
            return Err(Error::OutputIsInput {
                output: output.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    Ok(())
}

/// How long one stage of a run took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageTiming {
    /// The stage, e.g. `solve`.
    pub stage: &'static str,
    /// Its wall time.
    pub duration: Duration,
}

/// A solved request.
#[derive(Debug, Clone)]
pub struct Run {
    /// The scenario, after overlays, shocks and soft targets.
    pub scenario: LoadedScenario,
    /// The plugins' rules.
    pub rules: Vec<PluginRules>,
    /// The verified result, with its provenance filled in.
    pub result: PlanResult,
    /// Wall time of each stage, in order.
    pub timings: Vec<StageTiming>,
}

/// A model built from a request, ready to be written for another solver.
#[derive(Debug, Clone)]
pub struct BuiltModel {
    model: Model,
    /// The facilities CSV its scenario read, if any.
    facilities_file: Option<PathBuf>,
}

impl BuiltModel {
    /// The model as a CPLEX LP file with readable names (internal units: million CNY, Mt).
    #[must_use]
    pub fn lp_text(&self, objective: ObjectiveKind) -> String {
        crate::export::lp_text(&self.model, objective)
    }

    /// The model as a free MPS file with readable names (internal units: million CNY, Mt).
    #[must_use]
    pub fn mps_text(&self, objective: ObjectiveKind) -> String {
        crate::export::mps_text(&self.model, objective)
    }

    /// Every file the model was built from as named: [`Request::input_files`] and the
    /// facilities CSV.
    #[must_use]
    pub fn input_files(&self, request: &Request) -> Vec<PathBuf> {
        let mut files = request.input_files();
        files.extend(self.facilities_file.iter().cloned());
        files
    }
}

impl Run {
    /// The model this run solved (built again from its scenario, rules and objective).
    pub fn model(&self) -> Result<BuiltModel, Error> {
        let objective = self.result.objective_kind;
        crate::pipeline::build_model(&self.scenario.scenario, &self.rules, objective)
            .map(|model| BuiltModel {
                model,
                facilities_file: self.scenario.facilities_file.clone(),
            })
            .map_err(|source| Error::Plugin {
                file: Some(self.scenario.file.clone()),
                source,
            })
    }
}

/// Times the stages of a run.
struct Stopwatch {
    since_lap: Instant,
    laps: Vec<StageTiming>,
}

impl Stopwatch {
    fn new() -> Self {
        Stopwatch {
            since_lap: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Records the time since the last lap under `stage`.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push(StageTiming {
            stage,
            duration: now - self.since_lap,
        });
        self.since_lap = now;
    }

    /// Records a stage timed elsewhere; the next lap starts now.
    fn record(&mut self, stage: &'static str, duration: Duration) {
        self.laps.push(StageTiming { stage, duration });
        self.since_lap = Instant::now();
    }
}

/// The scenario of `request`, read with its overlays and checked, before shocks: what
/// `metalplan check` validates.
pub fn check(request: &Request) -> Result<LoadedScenario, Error> {
    Ok(load_scenario_with(
        &request.scenario,
        &request.overlays,
        request.read_policy,
    )?)
}

/// The scenario of `request` ready to build: overlays merged, soft targets and shocks applied;
/// with the canonical hash of the scenario as the files give it (before those options).
fn prepared(request: &Request) -> Result<(LoadedScenario, String), Error> {
    let mut loaded = check(request)?;
    let scenario_sha256 = crate::provenance::scenario_sha256(&loaded.scenario);
    if request.soft_targets {
        loaded.scenario.soft_targets = true;
    }
    apply_shocks(&mut loaded.scenario, &request.shocks).map_err(|source| Error::Shock {
        file: request.scenario.clone(),
        source,
    })?;
    check_size(request, &loaded.scenario, &[])?;
    Ok((loaded, scenario_sha256))
}

/// Refuses `scenario`, with what `rules` add to it, when its model is estimated to need more
/// memory than `request` allows: checked before plugins are called, and again with their
/// replies before anything is built.
fn check_size(request: &Request, scenario: &Scenario, rules: &[PluginRules]) -> Result<(), Error> {
    let Some(limit) = request.memory_limit_bytes else {
        return Ok(());
    };
    rules
        .iter()
        .map(|rules| crate::size::ModelSize::of_contribution(&rules.contribution))
        .fold(
            crate::size::ModelSize::estimate(scenario),
            crate::size::ModelSize::plus,
        )
        .check(limit)
        .map_err(|source| Error::TooLarge {
            file: request.scenario.clone(),
            source,
        })
}

fn plugin_error(request: &Request) -> impl Fn(PluginError) -> Error + '_ {
    |source| Error::Plugin {
        // A refused library's message starts with the file that named it.
        file: (!matches!(source, PluginError::NotAllowed { .. })).then(|| request.scenario.clone()),
        source,
    }
}

/// The libraries `request` names for `loaded`, and who named them.
fn plugin_sources<'a>(
    request: &'a Request,
    loaded: &'a LoadedScenario,
) -> plugins::PluginSources<'a> {
    plugins::PluginSources {
        scenario: &loaded.scenario,
        scenario_file: &loaded.file,
        folders: &request.plugin_folders,
        extra: &request.plugins,
        extra_named_by: request.plugins_named_by.as_deref(),
        consent: &request.consent,
    }
}

/// Every plugin library `request` would load, whether it is found and whether it is allowed;
/// nothing is loaded or run (what `metalplan check` lists).
pub fn planned_plugins(request: &Request) -> Result<Vec<PlannedPlugin>, Error> {
    let loaded = check(request)?;
    Ok(plugin_sources(request, &loaded).plan())
}

/// The plugins' rules for the prepared scenario of `request`.
fn plugin_rules(request: &Request, loaded: &LoadedScenario) -> Result<Vec<PluginRules>, Error> {
    let entries = plugins::load(
        &plugin_sources(request, loaded),
        &request.plugin_isolation,
        1,
    )
    .map_err(plugin_error(request))?;
    let rules = plugins::rules(&entries, &loaded.scenario).map_err(plugin_error(request))?;
    if !rules.is_empty() {
        check_size(request, &loaded.scenario, &rules)?;
    }
    Ok(rules)
}

/// Loads, solves and verifies `request`: the whole pipeline, with the result's provenance and
/// the time each stage took. An infeasible scenario comes back with a minimal set of the
/// targets and limits that cannot hold together.
pub fn run(request: &Request) -> Result<Run, Error> {
    let mut stopwatch = Stopwatch::new();
    let (loaded, scenario_sha256) = prepared(request)?;
    stopwatch.lap("load scenario");
    let rules = plugin_rules(request, &loaded)?;
    stopwatch.lap("plugins: load and call");
    let options = request.options;
    let file = || request.scenario.clone();
    let (mut result, timings) =
        plan_timed(&loaded.scenario, &rules, options).map_err(|error| match error {
            PlanError::Plugin(source) => Error::Plugin {
                file: Some(file()),
                source,
            },
            PlanError::VerifyFailed(violations) => Error::VerifyFailed {
                file: file(),
                violations,
            },
            PlanError::Solve(crate::error::SolveError::Infeasible) => Error::Infeasible {
                file: file(),
                conflict: crate::pipeline::explain_infeasible(&loaded.scenario, &rules, options)
                    .map_err(|error| error.to_string()),
            },
            PlanError::Solve(source) => Error::Solve {
                file: file(),
                source,
            },
        })?;
    stopwatch.record("build model", timings.build);
    stopwatch.record("plugins: add rules", timings.plugin_rules);
    stopwatch.record("solve", timings.solve);
    stopwatch.record("results", timings.results);
    stopwatch.record("check", timings.check);
    let provenance = provenance::build(request, &loaded, scenario_sha256, &rules)?;
    result.shocks.clone_from(&provenance.options.shocks);
    result.overlays = provenance
        .overlays
        .iter()
        .map(|overlay| overlay.path.clone())
        .collect();
    for (report, plugin) in result.plugins.iter_mut().zip(&provenance.plugins) {
        report.path.clone_from(&plugin.path);
    }
    result.provenance = Some(provenance);
    stopwatch.lap("provenance");
    Ok(Run {
        scenario: loaded,
        rules,
        result,
        timings: stopwatch.laps,
    })
}

/// The model of `request` (scenario, overlays, shocks, plugins) without solving it.
pub fn build_model(request: &Request) -> Result<BuiltModel, Error> {
    let (loaded, _) = prepared(request)?;
    let rules = plugin_rules(request, &loaded)?;
    crate::pipeline::build_model(&loaded.scenario, &rules, request.options.objective)
        .map(|model| BuiltModel {
            model,
            facilities_file: loaded.facilities_file.clone(),
        })
        .map_err(plugin_error(request))
}

/// Every violation of the plan in `plan_file` (a result JSON from anywhere) against the
/// scenario of `request` and its plugins' rules; empty when the plan holds.
pub fn verify(request: &Request, plan_file: &Path) -> Result<Vec<Violation>, Error> {
    let loaded = check(request)?;
    let plan = read_result_file(plan_file, ResultRole::Plan)?;
    let rules = plugin_rules(request, &loaded)?;
    Ok(verify_plan(&loaded.scenario, &rules, &plan))
}

/// What the plugin library at `path` is, and with a scenario request what it adds to that
/// scenario (with the params of the scenario's entry for it); loaded as `isolation` says.
pub fn inspect_plugin(
    path: &Path,
    scenario: Option<&Request>,
    isolation: &PluginIsolation,
) -> Result<PluginInspection, Error> {
    let loaded = scenario.map(check).transpose()?;
    plugins::inspect(
        path,
        loaded
            .as_ref()
            .map(|loaded| (&loaded.scenario, loaded.file.as_path())),
        isolation,
    )
    .map_err(|source| Error::Plugin { file: None, source })
}

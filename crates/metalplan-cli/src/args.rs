//! The command line: every command, its arguments and their `--help` text (clap), and how the
//! argument values become the core's options.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use metalplan_core::app::sweep::{Shard, Vary};
use metalplan_core::app::{
    HostSettings, ObjectiveKind, PluginIsolation, ReadPolicy, SolveOptions, SolverKind,
};
use metalplan_core::grouping::GroupBy;
use metalplan_core::scenario::Shock;

/// Plan how primary and recycled non-ferrous metal output meet policy targets at least cost.
#[derive(Debug, Parser)]
#[command(name = "metalplan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub reading: ReadArgs,
    /// Refuse a scenario (or a `generate` request) whose model is estimated to need more than
    /// MIB mebibytes of memory, before building it [default: half the machine's memory]
    #[arg(long, global = true, value_name = "MIB")]
    pub memory_limit_mib: Option<u64>,
}

impl Cli {
    /// The memory limit in bytes: `--memory-limit-mib`, else half the machine's physical
    /// memory (Linux's `/proc/meminfo`), else none where that cannot be read.
    pub fn memory_limit_bytes(&self) -> Option<u64> {
        match self.memory_limit_mib {
            Some(mib) => Some(mib.saturating_mul(1024 * 1024)),
            None => std::fs::read_to_string("/proc/meminfo")
                .ok()
                .and_then(|meminfo| metalplan_core::size::half_of_physical_memory(&meminfo)),
        }
    }
}

/// How input files may be read, for every command (docs/scenario.md, "Reading files").
// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Copy, clap::Args)]
#[allow(clippy::struct_field_names)]
pub struct ReadArgs {
    /// Also read FIFOs, devices and sockets as input files (at most 16 MiB each); by default
    /// only regular files are read, so a FIFO with no writer never blocks a run.
    #[arg(long, global = true)]
    pub allow_special_files: bool,
    /// Let a scenario's facilities_csv name a file outside the scenario's folder (an absolute
    /// path, .., or a link leading out); by default it must lie within that folder.
    #[arg(long, global = true)]
    pub allow_facilities_outside: bool,
}

impl ReadArgs {
    /// The core's reading policy these flags ask for.
    pub fn policy(self) -> ReadPolicy {
        ReadPolicy {
            special_files: self.allow_special_files,
            facilities_anywhere: self.allow_facilities_outside,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Solve a scenario and print the plan, the targets and the yearly totals.
    Solve(SolveArgs),
    /// Validate a scenario without solving it, and list the plugins a run would load (found?
    /// allowed?) without loading any.
    Check {
        /// Scenario file (.toml or .json).
        scenario: PathBuf,
        /// Merge an overlay file into the scenario first (repeatable, applied in order).
        #[arg(long = "with", value_name = "OVERLAY")]
        overlays: Vec<PathBuf>,
        #[command(flatten)]
        plugin_run: PluginRunArgs,
    },
    /// Check a plan (a result JSON from anywhere) against a scenario and its plugins' rules.
    Verify {
        /// Scenario file (.toml or .json).
        scenario: PathBuf,
        /// Result JSON with `plan`, `feed` and `shared_capacity` rows (and `facilities`, when the scenario has plants).
        plan: PathBuf,
        /// Merge an overlay file into the scenario first (repeatable, applied in order).
        #[arg(long = "with", value_name = "OVERLAY")]
        overlays: Vec<PathBuf>,
        /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
        #[arg(long = "plugin", value_name = "PATH")]
        plugins: Vec<PathBuf>,
        #[command(flatten)]
        plugin_run: PluginRunArgs,
    },
    /// Compare two results written by `solve --format json`: output per metal, route and year,
    /// the objective, shadow prices and totals (B - A).
    Diff(DiffArgs),
    /// Work with constraint plugins.
    #[command(subcommand)]
    Plugins(PluginsCommand),
    /// Solve a scenario at every point of a grid of field values; one CSV row per point.
    Sweep(SweepArgs),
    /// Join the CSV outputs of sweep --shard I/N runs into one, sorted by point.
    SweepMerge(MergeArgs),
    /// Write a scenario's model as LP and/or MPS files without solving it (e.g. to hand it to
    /// another solver, or to time a solver alone on it).
    Export(ExportArgs),
    /// Solve a scenario whose planning years have been reported and line the plan up against
    /// the reported figures, beside two naive forecasts (persistence and trend).
    Backtest(BacktestArgs),
    /// Calibrate each metal's demand so that solving the base year (welfare, no policy)
    /// reproduces its observed output; write the calibration as an overlay.
    Calibrate(CalibrateArgs),
    /// Write a synthetic plant-level scenario (scenario.toml + facilities.csv) for scale tests.
    Generate(GenerateArgs),
}

/// Arguments of `metalplan export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Scenario file (.toml or .json).
    pub scenario: PathBuf,
    /// Write the model as a CPLEX LP file (internal units: million CNY, Mt).
    #[arg(long, value_name = "FILE.lp")]
    pub lp: Option<PathBuf>,
    /// Write the model as a free MPS file (internal units: million CNY, Mt).
    #[arg(long, value_name = "FILE.mps")]
    pub mps: Option<PathBuf>,
    /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
    #[arg(long = "plugin", value_name = "PATH")]
    pub plugins: Vec<PathBuf>,
    /// The objective written into the file.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    pub objective: ObjectiveArg,
    #[command(flatten)]
    pub plugin_run: PluginRunArgs,
}

/// Where plugins run and within which limits (docs/plugins.md, "Isolation").
#[derive(Debug, Clone, clap::Args)]
pub struct PluginRunArgs {
    /// Where plugins run: in a plugin host process that a crashing, hanging or greedy plugin
    /// cannot take metalplan down with (the default), or inside metalplan (no protection).
    #[arg(long, value_enum, default_value_t = IsolationArg::OutOfProcess)]
    pub plugin_isolation: IsolationArg,
    /// Longest one plugin call may take out of process, seconds; then the plugin is stopped.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = positive_seconds)]
    pub plugin_timeout: f64,
    /// Memory limit of the plugin host process (address space), MiB.
    #[arg(long, value_name = "MIB", default_value_t = 4096,
          value_parser = clap::value_parser!(u64).range(64..=1_048_576))]
    pub plugin_memory_limit: u64,
    /// Allow a plugin library that a scenario, overlay or result names, by its path or its
    /// SHA-256 (repeatable). Libraries in a plugin folder, or whose SHA-256 is in the trust file
    /// (~/.config/metalplan/trusted-plugins), need no flag.
    #[arg(long = "allow-plugin", value_name = "PATH|SHA256")]
    pub allow_plugins: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IsolationArg {
    /// In a metalplan-plugin-host process beside the metalplan binary.
    OutOfProcess,
    /// Inside metalplan's own process.
    InProcess,
}

impl PluginRunArgs {
    /// `request` with these arguments' isolation and consent (the allowed libraries and the
    /// trust file's hashes).
    pub fn apply(
        &self,
        request: metalplan_core::Request,
    ) -> Result<metalplan_core::Request, crate::failure::Failure> {
        Ok(metalplan_core::Request {
            plugin_isolation: self.isolation(),
            consent: metalplan_core::app::PluginConsent {
                allowed: self.allow_plugins.clone(),
                trusted_sha256: crate::trust::trusted_hashes()
                    .map_err(crate::failure::Failure::Usage)?,
            },
            ..request
        })
    }

    /// The isolation these arguments ask for.
    pub fn isolation(&self) -> PluginIsolation {
        match self.plugin_isolation {
            IsolationArg::InProcess => PluginIsolation::InProcess,
            IsolationArg::OutOfProcess => PluginIsolation::OutOfProcess(HostSettings {
                host: None,
                call_timeout: std::time::Duration::from_secs_f64(self.plugin_timeout),
                memory_limit_bytes: self.plugin_memory_limit * 1024 * 1024,
            }),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// Print a plugin's name, version, ABI version and parameters, and with --scenario what it
    /// would add to that scenario.
    Inspect {
        /// The plugin library (.so, .dylib or .dll).
        path: PathBuf,
        /// A scenario to show the plugin's constraints for (its [[plugins]] params are used).
        #[arg(long)]
        scenario: Option<PathBuf>,
        #[command(flatten)]
        plugin_run: PluginRunArgs,
    },
}

// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// Scenario file (.toml or .json).
    #[arg(required_unless_present = "replay")]
    pub scenario: Option<PathBuf>,
    /// Merge an overlay file into the scenario before solving (repeatable, applied in order):
    /// it changes or adds fields; metals are matched by name (docs/scenario.md, "Overlays").
    #[arg(long = "with", value_name = "OVERLAY")]
    pub overlays: Vec<PathBuf>,
    /// Re-run the inputs recorded in RESULT.json (its provenance) and check that they are
    /// unchanged and give the same plan; exit 5 if not.
    #[arg(long, value_name = "RESULT.json", conflicts_with_all = [
        "scenario", "overlays", "solver", "objective", "format", "table", "output", "plugins",
        "export_lp", "export_mps", "shocks", "soft_targets", "time_limit", "chart", "report",
    ])]
    pub replay: Option<PathBuf>,
    /// Solver: HiGHS (simplex) or Clarabel (pure-Rust interior point).
    #[arg(long, value_enum, default_value_t = SolverArg::Highs)]
    pub solver: SolverArg,
    /// What to optimise: least cost; least CO2, imports or most value added (ties broken by
    /// least cost); or most welfare (consumers' willingness to pay plus export revenue, less
    /// every cost), under which demand blocks answer to price.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    pub objective: ObjectiveArg,
    /// Output format: readable tables, the full result as JSON, or one table as CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: which table to write.
    #[arg(long, value_enum, default_value_t = crate::output::CsvTable::Plan)]
    pub table: crate::output::CsvTable,
    /// Write the output to FILE instead of stdout (replaced only when the run succeeds).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
    #[arg(long = "plugin", value_name = "PATH")]
    pub plugins: Vec<PathBuf>,
    /// Also write the model solved as a CPLEX LP file (internal units: million CNY, Mt).
    #[arg(long, value_name = "FILE.lp")]
    pub export_lp: Option<PathBuf>,
    /// Also write the model solved as a free MPS file (internal units: million CNY, Mt).
    #[arg(long, value_name = "FILE.mps")]
    pub export_mps: Option<PathBuf>,
    /// Supply shock METAL.FEED_SOURCE=FACTOR (repeatable): multiply that feed's availability,
    /// e.g. copper.imported_concentrate=0.8 for a 20 % cut.
    #[arg(long = "shock", value_name = "METAL.SOURCE=FACTOR")]
    pub shocks: Vec<Shock>,
    /// Let targets be missed by as little as possible instead of failing as infeasible; the
    /// shortfall of each target is reported (same as `soft_targets = true` in the scenario).
    #[arg(long)]
    pub soft_targets: bool,
    /// Stop the solver after SECONDS (per solver call); exit 3 if no plan was proven optimal.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Also draw primary and recycled output per metal and year, with the recycled-output
    /// target, as an SVG chart.
    #[arg(long, value_name = "FILE.svg", value_parser = crate::report::chart_file)]
    pub chart: Option<PathBuf>,
    /// Also write a report for readers (scenario, targets, plan, totals, plugins, chart):
    /// Markdown for .md (chart written beside it as <stem>.svg) or self-contained HTML for .html.
    #[arg(long, value_name = "FILE.md|FILE.html", value_parser = crate::report::report_file)]
    pub report: Option<PathBuf>,
    /// Report output grouped by facility, province or metal: a table, CSV rows, or `groups`
    /// in the JSON.
    #[arg(long, value_enum, value_name = "KEY")]
    pub group_by: Option<GroupByArg>,
    /// Report sensitivity ranges from HiGHS's final simplex basis: for each cost, the interval
    /// keeping the plan optimal; for each bound, the interval keeping the shadow prices.
    #[arg(long)]
    pub ranging: bool,
    /// Print how long each stage took (load, plugins, build, solve, results, check, write) to
    /// stderr.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub plugin_run: PluginRunArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupByArg {
    Facility,
    Province,
    Metal,
}

impl From<GroupByArg> for GroupBy {
    fn from(arg: GroupByArg) -> Self {
        match arg {
            GroupByArg::Facility => Self::Facility,
            GroupByArg::Province => Self::Province,
            GroupByArg::Metal => Self::Metal,
        }
    }
}

/// A time limit: checked like a scenario number (finite, above 0, at most `MAX_MAGNITUDE`).
pub fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds)
            if seconds.is_finite()
                && seconds > 0.0
                && seconds <= metalplan_core::scenario::MAX_MAGNITUDE =>
        {
            Ok(seconds)
        }
        _ => Err(format!(
            "`{}` is not a positive number of seconds of at most 1e12",
            metalplan_core::files::quoted(text, 40)
        )),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SolverArg {
    Highs,
    Clarabel,
}

impl From<SolverArg> for SolverKind {
    fn from(arg: SolverArg) -> Self {
        match arg {
            SolverArg::Highs => SolverKind::Highs,
            SolverArg::Clarabel => SolverKind::Clarabel,
        }
    }
}

/// `--objective` (docs/model.md, "Objectives").
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ObjectiveArg {
    /// Least discounted cost.
    Cost,
    /// Least CO2, then least cost.
    Emissions,
    /// Least imports, then least cost.
    Imports,
    /// Most value added, then least cost.
    ValueAdded,
    /// Most welfare: willingness to pay plus export revenue, less every cost.
    Welfare,
}

impl From<ObjectiveArg> for ObjectiveKind {
    fn from(arg: ObjectiveArg) -> Self {
        match arg {
            ObjectiveArg::Cost => ObjectiveKind::Cost,
            ObjectiveArg::Emissions => ObjectiveKind::Emissions,
            ObjectiveArg::Imports => ObjectiveKind::Imports,
            ObjectiveArg::ValueAdded => ObjectiveKind::ValueAdded,
            ObjectiveArg::Welfare => ObjectiveKind::Welfare,
        }
    }
}

/// How `solve` writes its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables.
    Table,
    /// The full result as JSON (docs/results.md).
    Json,
    /// One table as CSV (choose it with --table).
    Csv,
}

impl SolveArgs {
    /// The solver options these arguments ask for.
    pub fn solve_options(&self) -> SolveOptions {
        SolveOptions {
            solver: self.solver.into(),
            objective: self.objective.into(),
            time_limit_seconds: self.time_limit,
            ranging: self.ranging,
        }
    }
}

/// Arguments of `metalplan diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The first result (`solve --format json`).
    pub a: PathBuf,
    /// The second result; changes are B - A.
    pub b: PathBuf,
    /// Output format: readable tables (changed rows only), the whole comparison as JSON, or one
    /// table as CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: which table to write.
    #[arg(long, value_enum, default_value_t = DiffTable::Plan)]
    pub table: DiffTable,
    /// Write the output to FILE instead of stdout (replaced only when the comparison ran).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The table `diff --format csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffTable {
    /// Output per metal, route and year.
    Plan,
    /// Shadow prices of every row.
    ShadowPrices,
    /// National totals per year.
    Totals,
}

// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (.toml or .json).
    pub scenario: PathBuf,
    /// Merge an overlay file into the scenario first (repeatable, applied in order).
    #[arg(long = "with", value_name = "OVERLAY")]
    pub overlays: Vec<PathBuf>,
    /// Field to vary, PATH=START:STOP:STEP (repeatable; the points are the grid of all of them,
    /// the first --vary changing slowest). PATH as in validation messages, e.g.
    /// targets.recycled_output_min_mt or metals[copper].primary.capacity_mt.
    #[arg(long = "vary", value_name = "PATH=START:STOP:STEP", required = true)]
    pub varies: Vec<Vary>,
    /// Solver: HiGHS (simplex) or Clarabel (pure-Rust interior point).
    #[arg(long, value_enum, default_value_t = SolverArg::Highs)]
    pub solver: SolverArg,
    /// What to optimise; ties are broken by least cost (shadow prices only with cost).
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    pub objective: ObjectiveArg,
    /// Supply shock METAL.FEED_SOURCE=FACTOR (repeatable), applied at every point.
    #[arg(long = "shock", value_name = "METAL.SOURCE=FACTOR")]
    pub shocks: Vec<Shock>,
    /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
    #[arg(long = "plugin", value_name = "PATH")]
    pub plugins: Vec<PathBuf>,
    /// Let targets be missed by as little as possible instead of failing as infeasible.
    #[arg(long)]
    pub soft_targets: bool,
    /// Stop the solver after SECONDS (per solver call); such a point is marked failed.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Solve only shard I of N (1-based): the points whose index % N == I - 1.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// Points solved at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
    /// Write the CSV to FILE instead of stdout (replaced only when the sweep ran).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also draw the optimal cost and the binding targets' shadow prices against the varied
    /// value, as an SVG chart (one --vary only).
    #[arg(long, value_name = "FILE.svg", value_parser = crate::report::chart_file)]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub plugin_run: PluginRunArgs,
}

/// Arguments of `metalplan sweep-merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard outputs of one sweep (metalplan sweep --shard I/N -o PART.csv).
    #[arg(value_name = "PART.csv", required = true)]
    pub parts: Vec<PathBuf>,
    /// Write the merged CSV to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
pub struct BacktestArgs {
    /// Scenario file (.toml or .json) whose planning years have been reported.
    pub scenario: PathBuf,
    /// The reported figures: CSV with columns year, quantity, metal, detail, value, unit,
    /// scored, publisher, published, source, note (docs/backtest.md).
    #[arg(long, value_name = "ACTUALS.csv")]
    pub actuals: PathBuf,
    /// Merge an overlay file into the scenario first (repeatable), e.g. a calibration.
    #[arg(long = "with", value_name = "OVERLAY")]
    pub overlays: Vec<PathBuf>,
    /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
    #[arg(long = "plugin", value_name = "PATH")]
    pub plugins: Vec<PathBuf>,
    /// Solver: HiGHS (simplex) or Clarabel (pure-Rust interior point).
    #[arg(long, value_enum, default_value_t = SolverArg::Highs)]
    pub solver: SolverArg,
    /// What to optimise (welfare lets demand answer to price).
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Welfare)]
    pub objective: ObjectiveArg,
    /// Output format: a readable table, the backtest as JSON, or its rows as CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the output to FILE instead of stdout (replaced only when the run succeeds).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also draw each scored figure's difference from the report (model, persistence, trend)
    /// as an SVG chart.
    #[arg(long, value_name = "FILE.svg", value_parser = crate::report::chart_file)]
    pub chart: Option<PathBuf>,
    #[command(flatten)]
    pub plugin_run: PluginRunArgs,
}

// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Scenario file (.toml or .json) whose routes give base_output_mt.
    pub scenario: PathBuf,
    /// Merge an overlay file into the scenario first (repeatable, applied in order).
    #[arg(long = "with", value_name = "OVERLAY")]
    pub overlays: Vec<PathBuf>,
    /// Write the calibration overlay (TOML) to FILE; use it with `solve --with FILE`.
    #[arg(short, long, value_name = "FILE.toml")]
    pub output: Option<PathBuf>,
    /// Also write the base-year problem solved (a TOML scenario), to solve it yourself with the
    /// overlay and check the calibration.
    #[arg(long, value_name = "FILE.toml")]
    pub base_year_scenario: Option<PathBuf>,
    /// Largest relative gap accepted between modelled and observed output (0.001 = 0.1 %).
    #[arg(long, value_name = "FRACTION", default_value_t = 0.001, value_parser = tolerance)]
    pub tolerance: f64,
    /// How the per-metal result is printed: a table or JSON.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn tolerance(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 && value < 1.0 => Ok(value),
        _ => Err(format!("`{text}` is not a fraction between 0 and 1")),
    }
}

/// Arguments of `metalplan generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many facilities, over all routes (at least one per route).
    #[arg(long)]
    pub facilities: usize,
    /// How many planning years, from 2025.
    #[arg(long)]
    pub years: usize,
    /// Random seed: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder to write scenario.toml and facilities.csv into (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

//! `metalplan`: plan primary and recycled non-ferrous metal output from a scenario file.
//!
//! This binary parses arguments, calls `metalplan-core`, and renders what it returns; it holds
//! no planning logic. Exit codes: 0 solved (or valid), 1 usage or input error, 2 infeasible,
//! 3 solver failure, 4 `verify` found violations, 5 `solve --replay` found changed inputs or a
//! different plan.

#![forbid(unsafe_code)]

mod chart;
mod diagnostics;
mod diff;
mod format;
mod generate;
mod output;
mod plugins;
mod provenance;
mod render;
mod replay;
mod report;
mod sweep;
mod sweep_chart;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use metalplan_core::scenario::Shock;
use metalplan_core::{
    load_scenario_with_overlays, LoadedScenario, ObjectiveKind, PlanError, PlanResult, PluginRules,
    SolveError, SolveOptions, SolverKind,
};

/// Plan how primary and recycled non-ferrous metal output meet policy targets at least cost.
#[derive(Debug, Parser)]
#[command(name = "metalplan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Solve a scenario and print the plan, the targets and the yearly totals.
    Solve(SolveArgs),
    /// Validate a scenario without solving it.
    Check {
        /// Scenario file (.toml or .json).
        scenario: PathBuf,
        /// Merge an overlay file into the scenario first (repeatable, applied in order).
        #[arg(long = "with", value_name = "OVERLAY")]
        overlays: Vec<PathBuf>,
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
    },
    /// Compare two results written by `solve --format json`: output per metal, route and year,
    /// the objective, shadow prices and totals (B - A).
    Diff(diff::DiffArgs),
    /// Work with constraint plugins.
    #[command(subcommand)]
    Plugins(PluginsCommand),
    /// Solve a scenario at every point of a grid of field values; one CSV row per point.
    Sweep(sweep::SweepArgs),
    /// Join the CSV outputs of sweep --shard I/N runs into one, sorted by point.
    SweepMerge(sweep::MergeArgs),
    /// Write a scenario's model as LP and/or MPS files without solving it (e.g. to hand it to
    /// another solver, or to time a solver alone on it).
    Export {
        /// Scenario file (.toml or .json).
        scenario: PathBuf,
        /// Write the model as a CPLEX LP file (internal units: million CNY, Mt).
        #[arg(long, value_name = "FILE.lp")]
        lp: Option<PathBuf>,
        /// Write the model as a free MPS file (internal units: million CNY, Mt).
        #[arg(long, value_name = "FILE.mps")]
        mps: Option<PathBuf>,
        /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
        #[arg(long = "plugin", value_name = "PATH")]
        plugins: Vec<PathBuf>,
        /// The objective written into the file.
        #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
        objective: ObjectiveArg,
    },
    /// Write a synthetic plant-level scenario (scenario.toml + facilities.csv) for scale tests.
    Generate(generate::GenerateArgs),
}

#[derive(Debug, Subcommand)]
enum PluginsCommand {
    /// Print a plugin's name, version, ABI version and parameters, and with --scenario what it
    /// would add to that scenario.
    Inspect {
        /// The plugin library (.so, .dylib or .dll).
        path: PathBuf,
        /// A scenario to show the plugin's constraints for (its [[plugins]] params are used).
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
}

// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
struct SolveArgs {
    /// Scenario file (.toml or .json).
    #[arg(required_unless_present = "replay")]
    scenario: Option<PathBuf>,
    /// Merge an overlay file into the scenario before solving (repeatable, applied in order):
    /// it changes or adds fields; metals are matched by name (docs/scenario.md, "Overlays").
    #[arg(long = "with", value_name = "OVERLAY")]
    overlays: Vec<PathBuf>,
    /// Re-run the inputs recorded in RESULT.json (its provenance) and check that they are
    /// unchanged and give the same plan; exit 5 if not.
    #[arg(long, value_name = "RESULT.json", conflicts_with_all = [
        "scenario", "overlays", "solver", "objective", "format", "table", "output", "plugins",
        "export_lp", "export_mps", "shocks", "soft_targets", "time_limit", "chart", "report",
    ])]
    replay: Option<PathBuf>,
    /// Solver: HiGHS (simplex) or Clarabel (pure-Rust interior point).
    #[arg(long, value_enum, default_value_t = SolverArg::Highs)]
    solver: SolverArg,
    /// What to optimise; ties are broken by least cost.
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    objective: ObjectiveArg,
    /// Output format: readable tables, the full result as JSON, or one table as CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// With --format csv: which table to write.
    #[arg(long, value_enum, default_value_t = output::CsvTable::Plan)]
    table: output::CsvTable,
    /// Write the output to FILE instead of stdout (replaced only when the run succeeds).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
    #[arg(long = "plugin", value_name = "PATH")]
    plugins: Vec<PathBuf>,
    /// Also write the model solved as a CPLEX LP file (internal units: million CNY, Mt).
    #[arg(long, value_name = "FILE.lp")]
    export_lp: Option<PathBuf>,
    /// Also write the model solved as a free MPS file (internal units: million CNY, Mt).
    #[arg(long, value_name = "FILE.mps")]
    export_mps: Option<PathBuf>,
    /// Supply shock METAL.FEED_SOURCE=FACTOR (repeatable): multiply that feed's availability,
    /// e.g. copper.imported_concentrate=0.8 for a 20 % cut.
    #[arg(long = "shock", value_name = "METAL.SOURCE=FACTOR")]
    shocks: Vec<metalplan_core::scenario::Shock>,
    /// Let targets be missed by as little as possible instead of failing as infeasible; the
    /// shortfall of each target is reported (same as `soft_targets = true` in the scenario).
    #[arg(long)]
    soft_targets: bool,
    /// Stop the solver after SECONDS (per solver call); exit 3 if no plan was proven optimal.
    #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
    time_limit: Option<f64>,
    /// Also draw primary and recycled output per metal and year, with the recycled-output
    /// target, as an SVG chart.
    #[arg(long, value_name = "FILE.svg", value_parser = report::chart_file)]
    chart: Option<PathBuf>,
    /// Also write a report for readers (scenario, targets, plan, totals, plugins, chart):
    /// Markdown for .md (chart written beside it as <stem>.svg) or self-contained HTML for .html.
    #[arg(long, value_name = "FILE.md|FILE.html", value_parser = report::report_file)]
    report: Option<PathBuf>,
    /// Report output grouped by facility, province or metal: a table, CSV rows, or `groups`
    /// in the JSON.
    #[arg(long, value_enum, value_name = "KEY")]
    group_by: Option<GroupByArg>,
    /// Report sensitivity ranges from HiGHS's final simplex basis: for each cost, the interval
    /// keeping the plan optimal; for each bound, the interval keeping the shadow prices.
    #[arg(long)]
    ranging: bool,
    /// Print how long each stage took (load, plugins, build, solve, results, check, write) to
    /// stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum GroupByArg {
    Facility,
    Province,
    Metal,
}

impl From<GroupByArg> for metalplan_core::grouping::GroupBy {
    fn from(arg: GroupByArg) -> Self {
        match arg {
            GroupByArg::Facility => Self::Facility,
            GroupByArg::Province => Self::Province,
            GroupByArg::Metal => Self::Metal,
        }
    }
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 => Ok(seconds),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SolverArg {
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

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ObjectiveArg {
    Cost,
    Emissions,
    Imports,
    ValueAdded,
}

impl From<ObjectiveArg> for ObjectiveKind {
    fn from(arg: ObjectiveArg) -> Self {
        match arg {
            ObjectiveArg::Cost => ObjectiveKind::Cost,
            ObjectiveArg::Emissions => ObjectiveKind::Emissions,
            ObjectiveArg::Imports => ObjectiveKind::Imports,
            ObjectiveArg::ValueAdded => ObjectiveKind::ValueAdded,
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

/// Exit codes, as documented in the README.
pub(crate) mod exit {
    pub const INPUT: u8 = 1;
    pub const INFEASIBLE: u8 = 2;
    pub const SOLVER: u8 = 3;
    /// `verify`: the plan breaks a constraint or target.
    pub const VIOLATED: u8 = 4;
    /// `solve --replay`: an input changed since the result was written, or the plan differs.
    pub const REPLAY_MISMATCH: u8 = 5;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { exit::INPUT } else { 0 };
            // Printing help or a usage error can only fail if stdout/stderr are gone.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check { scenario, overlays } => check(&scenario, &overlays),
        Command::Solve(args) => solve(&args),
        Command::Verify {
            scenario,
            plan,
            overlays,
            plugins,
        } => verify(&scenario, &overlays, &plan, &plugins),
        Command::Diff(args) => diff::run(&args),
        Command::Plugins(PluginsCommand::Inspect { path, scenario }) => {
            inspect(&path, scenario.as_deref())
        }
        Command::Sweep(args) => sweep::run(&args),
        Command::SweepMerge(args) => sweep::merge(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Export {
            scenario,
            lp,
            mps,
            plugins,
            objective,
        } => export(
            &scenario,
            lp.as_deref(),
            mps.as_deref(),
            &plugins,
            objective.into(),
        ),
    }
}

/// Writes the model to the `--export-lp` / `--export-mps` files, after a successful solve.
fn write_exports(
    args: &SolveArgs,
    scenario: &metalplan_core::Scenario,
    rules: &[metalplan_core::PluginRules],
    objective: ObjectiveKind,
) -> Result<(), String> {
    if args.export_lp.is_none() && args.export_mps.is_none() {
        return Ok(());
    }
    // The same scenario and rules just solved, so the same model.
    let model = metalplan_core::build_model(scenario, rules).map_err(|error| error.to_string())?;
    write_model_files(
        &model,
        objective,
        args.export_lp.as_deref(),
        args.export_mps.as_deref(),
    )
}

/// Writes `model` as LP and/or MPS, each file only if asked for.
fn write_model_files(
    model: &metalplan_core::Model,
    objective: ObjectiveKind,
    lp: Option<&std::path::Path>,
    mps: Option<&std::path::Path>,
) -> Result<(), String> {
    if let Some(file) = lp {
        output::write(
            Some(file),
            &metalplan_core::export::lp_text(model, objective),
        )?;
    }
    if let Some(file) = mps {
        output::write(
            Some(file),
            &metalplan_core::export::mps_text(model, objective),
        )?;
    }
    Ok(())
}

/// `metalplan export`: the model of a scenario (with its plugins' rules) as LP and/or MPS.
fn export(
    scenario_file: &std::path::Path,
    lp: Option<&std::path::Path>,
    mps: Option<&std::path::Path>,
    extra: &[PathBuf],
    objective: ObjectiveKind,
) -> ExitCode {
    if lp.is_none() && mps.is_none() {
        eprintln!("error: nothing to write: give --lp FILE.lp and/or --mps FILE.mps");
        return ExitCode::from(exit::INPUT);
    }
    let loaded = match metalplan_core::load_scenario(scenario_file) {
        Ok(loaded) => loaded,
        Err(error) => {
            diagnostics::report_scenario_error(&error);
            return ExitCode::from(exit::INPUT);
        }
    };
    let written = plugins::rules(&loaded.scenario, &loaded.file, extra)
        .and_then(|rules| metalplan_core::build_model(&loaded.scenario, &rules))
        .map_err(|error| format!("{}: {error}", scenario_file.display()))
        .and_then(|model| write_model_files(&model, objective, lp, mps));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit::INPUT)
        }
    }
}

/// Prints a minimal conflicting set of targets and limits, or why none could be found.
fn explain_infeasible(
    scenario: &metalplan_core::Scenario,
    rules: &[metalplan_core::PluginRules],
    options: SolveOptions,
) {
    match metalplan_core::explain_infeasible(scenario, rules, options) {
        Ok(conflict) if !conflict.is_empty() => {
            eprintln!(
                "these cannot hold together (drop or relax any one of them and the rest can):"
            );
            for row in &conflict {
                eprintln!("  - {}: {} [{}]", row.name, row.meaning, row.field);
            }
        }
        Ok(_) => eprintln!("no smaller conflicting set was found"),
        Err(error) => eprintln!("the conflict could not be narrowed down: {error}"),
    }
}

fn check(scenario: &std::path::Path, overlays: &[PathBuf]) -> ExitCode {
    match load_scenario_with_overlays(scenario, overlays) {
        Ok(loaded) => {
            let scenario_data = &loaded.scenario;
            let plural = |count: usize| if count == 1 { "" } else { "s" };
            let with = if overlays.is_empty() {
                String::new()
            } else {
                let shown: Vec<String> = overlays
                    .iter()
                    .map(|overlay| overlay.display().to_string())
                    .collect();
                format!(" with {}", shown.join(", "))
            };
            println!(
                "{}{with}: valid ({} metal{}, base year {}, planning years {}-{}, {} plugin{}{})",
                scenario.display(),
                scenario_data.metals.len(),
                plural(scenario_data.metals.len()),
                scenario_data.base_year,
                scenario_data.years.first().copied().unwrap_or_default(),
                scenario_data.years.last().copied().unwrap_or_default(),
                scenario_data.plugins.len(),
                plural(scenario_data.plugins.len()),
                match scenario_data.constraints.len() {
                    0 => String::new(),
                    count => format!(", {count} constraint{}", plural(count)),
                },
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            diagnostics::report_scenario_error(&error);
            ExitCode::from(exit::INPUT)
        }
    }
}

fn verify(
    scenario_file: &std::path::Path,
    overlays: &[PathBuf],
    plan_file: &std::path::Path,
    extra: &[PathBuf],
) -> ExitCode {
    let loaded = match load_scenario_with_overlays(scenario_file, overlays) {
        Ok(loaded) => loaded,
        Err(error) => {
            diagnostics::report_scenario_error(&error);
            return ExitCode::from(exit::INPUT);
        }
    };
    let values: metalplan_core::check::PlanValues = match std::fs::read_to_string(plan_file)
        .map_err(|error| error.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|error| error.to_string()))
    {
        Ok(values) => values,
        Err(error) => {
            eprintln!("error: cannot read plan {}: {error}", plan_file.display());
            return ExitCode::from(exit::INPUT);
        }
    };
    let rules = match plugins::rules(&loaded.scenario, &loaded.file, extra) {
        Ok(rules) => rules,
        Err(error) => {
            eprintln!("error: {}: {error}", scenario_file.display());
            return ExitCode::from(exit::INPUT);
        }
    };
    let violations = metalplan_core::check::check_plan(&loaded.scenario, &rules, &values);
    if violations.is_empty() {
        println!(
            "{}: the plan meets every constraint and target of {} (tolerance {} relative)",
            plan_file.display(),
            scenario_file.display(),
            metalplan_core::check::CHECK_TOLERANCE
        );
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "{}: {} violation{} of {}:",
        plan_file.display(),
        violations.len(),
        if violations.len() == 1 { "" } else { "s" },
        scenario_file.display()
    );
    for violation in &violations {
        eprintln!("  {}: {}", violation.constraint, violation.message);
    }
    ExitCode::from(exit::VIOLATED)
}

fn inspect(path: &std::path::Path, scenario: Option<&std::path::Path>) -> ExitCode {
    let loaded = match scenario.map(metalplan_core::load_scenario).transpose() {
        Ok(loaded) => loaded,
        Err(error) => {
            diagnostics::report_scenario_error(&error);
            return ExitCode::from(exit::INPUT);
        }
    };
    let scenario = loaded
        .as_ref()
        .map(|loaded| (&loaded.scenario, loaded.file.as_path()));
    match plugins::inspect(path, scenario) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit::INPUT)
        }
    }
}

/// The inputs of one solve: from the command line, or from a result's provenance (`--replay`).
pub struct SolveInputs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `--with` overlays, in order.
    pub overlays: Vec<PathBuf>,
    /// `--plugin` paths.
    pub plugins: Vec<PathBuf>,
    /// `--shock` options.
    pub shocks: Vec<Shock>,
    /// `--soft-targets`.
    pub soft_targets: bool,
    /// Solver, objective and time limit.
    pub options: SolveOptions,
    /// `--timings`: time each stage, for printing at the end.
    pub timings: bool,
}

/// A successful solve with what it was made from.
pub struct Solved {
    /// The scenario, after overlays, shocks and `--soft-targets`.
    pub loaded: LoadedScenario,
    /// The plugins' rules.
    pub rules: Vec<PluginRules>,
    /// The result, with its overlays and provenance filled in.
    pub result: PlanResult,
    /// Stage timings so far (printed only with `--timings`).
    pub stopwatch: Stopwatch,
}

/// Loads, solves and checks `inputs`; on failure prints why and returns the exit code.
pub fn solve_inputs(inputs: &SolveInputs) -> Result<Solved, ExitCode> {
    let shown = inputs.scenario.display();
    let mut stopwatch = Stopwatch::new(inputs.timings);
    let mut loaded = match load_scenario_with_overlays(&inputs.scenario, &inputs.overlays) {
        Ok(loaded) => loaded,
        Err(error) => {
            diagnostics::report_scenario_error(&error);
            return Err(ExitCode::from(exit::INPUT));
        }
    };
    // The hash of the scenario as the files give it; shocks and --soft-targets are options.
    let scenario_sha256 = metalplan_core::provenance::scenario_sha256(&loaded.scenario);
    if inputs.soft_targets {
        loaded.scenario.soft_targets = true;
    }
    if let Err(error) = metalplan_core::scenario::apply_shocks(&mut loaded.scenario, &inputs.shocks)
    {
        eprintln!("error: {shown}: {error}");
        return Err(ExitCode::from(exit::INPUT));
    }
    stopwatch.lap("load scenario");
    let rules = match plugins::rules(&loaded.scenario, &loaded.file, &inputs.plugins) {
        Ok(rules) => rules,
        Err(error) => {
            eprintln!("error: {shown}: {error}");
            return Err(ExitCode::from(exit::INPUT));
        }
    };
    stopwatch.lap("plugins: load and call");
    let options = inputs.options;
    let mut result = match metalplan_core::plan_timed(&loaded.scenario, &rules, options) {
        Ok((result, timings)) => {
            stopwatch.record("build model", timings.build);
            stopwatch.record("plugins: add rules", timings.plugin_rules);
            stopwatch.record("solve", timings.solve);
            stopwatch.record("results", timings.results);
            stopwatch.record("check", timings.check);
            stopwatch.restart();
            result
        }
        Err(PlanError::Plugin(error)) => {
            eprintln!("error: {shown}: {error}");
            return Err(ExitCode::from(exit::INPUT));
        }
        Err(error @ PlanError::CheckFailed(_)) => {
            eprintln!("error: {shown}: {error}");
            return Err(ExitCode::from(exit::SOLVER));
        }
        Err(PlanError::Solve(error)) => {
            eprintln!("error: {shown}: {error}");
            return Err(ExitCode::from(match error {
                SolveError::Infeasible => {
                    explain_infeasible(&loaded.scenario, &rules, options);
                    exit::INFEASIBLE
                }
                SolveError::Unbounded
                | SolveError::Solver { .. }
                | SolveError::TimeLimit { .. } => exit::SOLVER,
            }));
        }
    };
    let shocks: Vec<String> = inputs.shocks.iter().map(ToString::to_string).collect();
    let provenance = provenance::build(
        &loaded,
        scenario_sha256,
        &rules,
        &provenance::Options {
            solve: options,
            overlays: &inputs.overlays,
            plugins: &inputs.plugins,
            shocks: shocks.clone(),
            soft_targets: inputs.soft_targets,
        },
    );
    let provenance = match provenance {
        Ok(provenance) => provenance,
        Err(error) => {
            eprintln!("error: {error}");
            return Err(ExitCode::from(exit::INPUT));
        }
    };
    result.shocks = shocks;
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
    Ok(Solved {
        loaded,
        rules,
        result,
        stopwatch,
    })
}

fn solve_options(args: &SolveArgs) -> SolveOptions {
    SolveOptions {
        solver: args.solver.into(),
        objective: args.objective.into(),
        time_limit_seconds: args.time_limit,
        ranging: args.ranging,
    }
}

fn solve(args: &SolveArgs) -> ExitCode {
    if let Some(result_file) = &args.replay {
        return replay::run(result_file);
    }
    let Some(scenario) = &args.scenario else {
        // clap requires SCENARIO unless --replay is given.
        eprintln!("error: give a SCENARIO file, or --replay RESULT.json");
        return ExitCode::from(exit::INPUT);
    };
    let inputs = SolveInputs {
        scenario: scenario.clone(),
        overlays: args.overlays.clone(),
        plugins: args.plugins.clone(),
        shocks: args.shocks.clone(),
        soft_targets: args.soft_targets,
        options: solve_options(args),
        timings: args.timings,
    };
    let Solved {
        loaded,
        rules,
        result,
        mut stopwatch,
    } = match solve_inputs(&inputs) {
        Ok(solved) => solved,
        Err(code) => return code,
    };
    if let Err(error) = write_exports(args, &loaded.scenario, &rules, inputs.options.objective) {
        eprintln!("error: {error}");
        return ExitCode::from(exit::INPUT);
    }
    if let Err(error) = report::write_chart_and_report(
        args.chart.as_deref(),
        args.report.as_deref(),
        &loaded.scenario.description,
        &result,
    ) {
        eprintln!("error: {error}");
        return ExitCode::from(exit::INPUT);
    }
    let text = match args.group_by.map(metalplan_core::grouping::GroupBy::from) {
        None => match args.format {
            Format::Table => Ok(render::tables(&result)),
            Format::Json => output::json(&result),
            Format::Csv => output::csv(&result, args.table),
        },
        Some(by) => {
            let rows = metalplan_core::grouping::group_output(&loaded.scenario, &result, by);
            match args.format {
                Format::Table => Ok(render::tables(&result) + &render::grouped(&rows, by)),
                Format::Json => output::json_with_groups(&result, by, &rows),
                Format::Csv => output::groups_csv(&result, &rows),
            }
        }
    };
    let written = text.and_then(|text| output::write(args.output.as_deref(), &text));
    stopwatch.lap("write output");
    stopwatch.print();
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit::INPUT)
        }
    }
}

/// Stage timings for `solve --timings`, printed to stderr at the end.
pub struct Stopwatch {
    enabled: bool,
    started: std::time::Instant,
    since_lap: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Stopwatch {
    fn new(enabled: bool) -> Self {
        let now = std::time::Instant::now();
        Stopwatch {
            enabled,
            started: now,
            since_lap: now,
            laps: Vec::new(),
        }
    }

    /// Records the time since the last lap under `stage`.
    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((stage, now - self.since_lap));
        self.since_lap = now;
    }

    /// Records a stage timed elsewhere.
    fn record(&mut self, stage: &'static str, duration: std::time::Duration) {
        self.laps.push((stage, duration));
    }

    /// Starts the next lap now.
    fn restart(&mut self) {
        self.since_lap = std::time::Instant::now();
    }

    fn print(&self) {
        if !self.enabled {
            return;
        }
        let total = self.started.elapsed().as_secs_f64();
        eprintln!("timings (wall clock):");
        for (stage, duration) in &self.laps {
            let seconds = duration.as_secs_f64();
            eprintln!(
                "  {stage:<24} {seconds:>10.3} s {:>6.1} %",
                100.0 * seconds / total.max(f64::MIN_POSITIVE)
            );
        }
        eprintln!("  {:<24} {total:>10.3} s", "total");
    }
}

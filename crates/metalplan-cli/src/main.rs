//! `metalplan`: plan primary and recycled non-ferrous metal output from a scenario file.
//!
//! This binary parses arguments, builds requests for `metalplan-core`'s application layer, and
//! renders what comes back; it holds no planning logic. Only it knows flags, environment
//! variables and exit codes: [`failure`] turns every failure into words and a code in one place
//! (0 solved or valid, 1 usage or input error, 2 infeasible, 3 solver failure, 4 `verify` found
//! violations, 5 `solve --replay` found changed inputs or a different plan).

#![forbid(unsafe_code)]

mod args;
mod backtest;
mod calibrate;
mod chart;
mod commands;
mod diagnostics;
mod diff;
mod failure;
mod format;
mod generate;
mod market;
mod output;
mod plugins;
mod provenance;
mod render;
mod replay;
mod report;
mod solve;
mod sweep;
mod sweep_chart;
mod trust;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use metalplan_core::app::ReadPolicy;

use crate::args::{Cli, Command, PluginsCommand};
use crate::failure::Failure;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                failure::exit::INPUT
            } else {
                0
            };
            // Printing help or a usage error can only fail if stdout/stderr are gone.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let globals = Globals {
        read_policy: cli.reading.policy(),
        memory_limit_bytes: cli.memory_limit_bytes(),
        plugin_folders: plugin_folders(),
    };
    match run(cli.command, &globals) {
        Ok(code) => code,
        Err(failure) => {
            failure.report();
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs one command: `Ok` with the exit code of a command that ran (0, or 4 and 5 for the
/// outcomes `verify` and `--replay` report), `Err` for everything that stopped it.
fn run(command: Command, globals: &Globals) -> Result<ExitCode, Failure> {
    match command {
        Command::Check {
            scenario,
            overlays,
            plugin_run,
        } => commands::check(&plugin_run.apply(globals.request(&scenario, &overlays, &[]))?),
        Command::Solve(args) => match &args.replay {
            Some(result_file) => replay::run(result_file, &args.plugin_run, globals),
            None => solve::run(&args, globals),
        },
        Command::Verify {
            scenario,
            plan,
            overlays,
            plugins,
            plugin_run,
        } => commands::verify(
            &plugin_run.apply(globals.request(&scenario, &overlays, &plugins))?,
            &plan,
        ),
        Command::Diff(args) => diff::run(&args),
        Command::Plugins(PluginsCommand::Inspect {
            path,
            scenario,
            plugin_run,
        }) => plugins::inspect(&path, scenario.as_deref(), &plugin_run.isolation(), globals),
        Command::Sweep(args) => sweep::run(&args, globals),
        Command::SweepMerge(args) => sweep::merge(&args),
        Command::Generate(args) => generate::run(&args, globals),
        Command::Export(args) => commands::export(&args, globals),
        Command::Backtest(args) => backtest::run(&args, globals),
        Command::Calibrate(args) => calibrate::run(&args, globals),
    }
}

/// What every command's request carries besides its own arguments: the global flags
/// (`--allow-special-files`, `--allow-facilities-outside`, `--memory-limit-mib`) and the plugin
/// folders, read once in `main`.
#[derive(Debug, Clone)]
pub struct Globals {
    /// How input files may be read.
    pub read_policy: ReadPolicy,
    /// The memory limit of this run (`--memory-limit-mib` or half the machine's memory).
    pub memory_limit_bytes: Option<u64>,
    /// Folders searched for plugins given by name ([`plugin_folders`]).
    pub plugin_folders: Vec<PathBuf>,
}

impl Globals {
    /// A request for `scenario` with its overlays and extra plugins, the plugin folders, the
    /// reading policy and the memory limit.
    fn request(
        &self,
        scenario: &Path,
        overlays: &[PathBuf],
        plugins: &[PathBuf],
    ) -> metalplan_core::Request {
        metalplan_core::Request {
            scenario: scenario.to_path_buf(),
            overlays: overlays.to_vec(),
            plugins: plugins.to_vec(),
            plugin_folders: self.plugin_folders.clone(),
            read_policy: self.read_policy,
            memory_limit_bytes: self.memory_limit_bytes,
            ..metalplan_core::Request::default()
        }
    }
}

/// Refuses to write any of `outputs` (the ones given) over one of `inputs`: nothing is written.
fn refuse_overwriting_inputs(
    outputs: &[Option<&Path>],
    inputs: &[PathBuf],
) -> Result<(), failure::Failure> {
    let outputs: Vec<&Path> = outputs.iter().flatten().copied().collect();
    metalplan_core::app::refuse_overwriting_inputs(&outputs, inputs).map_err(failure::Failure::from)
}

/// Folders searched for plugins given by name: `METALPLAN_PLUGIN_PATH`, then the folder of the
/// `metalplan` executable (where cargo puts the bundled plugins).
fn plugin_folders() -> Vec<PathBuf> {
    // Empty entries are skipped: they would mean "the current folder" only by accident.
    let mut folders: Vec<PathBuf> = std::env::var_os("METALPLAN_PLUGIN_PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .filter(|folder| !folder.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if let Some(folder) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        folders.push(folder);
    }
    folders
}

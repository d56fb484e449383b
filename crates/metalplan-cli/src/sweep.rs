//! `metalplan sweep` and `metalplan sweep-merge`: the arguments, a progress bar on a terminal,
//! and writing the table (and the chart of a one-parameter sweep) the core's sweep returns.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use metalplan_core::app::sweep::{
    merge_shards, sweep, Progress, Shard, Status, SweepRequest, SweepTable,
};
use metalplan_core::app::SolveOptions;
use metalplan_core::Request;

use crate::args::{MergeArgs, SweepArgs};
use crate::failure::Failure;
use crate::{output, sweep_chart};

/// Runs `metalplan sweep`.
pub fn run(args: &SweepArgs, globals: &crate::Globals) -> Result<ExitCode, Failure> {
    if args.chart.is_some() && args.varies.len() != 1 {
        return Err(Failure::Usage(
            "--chart draws against one varied value: give exactly one --vary".to_string(),
        ));
    }
    let request = SweepRequest {
        base: args.plugin_run.apply(Request {
            shocks: args.shocks.clone(),
            soft_targets: args.soft_targets,
            options: SolveOptions {
                solver: args.solver.into(),
                objective: args.objective.into(),
                time_limit_seconds: args.time_limit,
                ranging: false,
            },
            ..globals.request(&args.scenario, &args.overlays, &args.plugins)
        })?,
        varies: args.varies.clone(),
        shard: args.shard,
        jobs: args.jobs,
    };
    let outputs = [args.output.as_deref(), args.chart.as_deref()];
    crate::refuse_overwriting_inputs(&outputs, &metalplan_core::app::files_read(&request.base)?)?;
    let bar = progress_bar();
    let table = sweep(&request, &|progress| match progress {
        Progress::Started { points } => bar.set_length(points as u64),
        Progress::PointDone => bar.inc(1),
        Progress::Finished => bar.finish_and_clear(),
    })?;
    let text = table
        .csv()
        .map_err(|error| Failure::Output(error.to_string()))?;
    let chart = chart_svg(args, &table).map_err(Failure::Output)?;
    output::write(args.output.as_deref(), &text).map_err(Failure::Output)?;
    if let (Some(file), Some(svg)) = (&args.chart, &chart) {
        output::write(Some(file), svg).map_err(Failure::Output)?;
    }
    eprintln!("{}", summary(args.shard, &table));
    Ok(ExitCode::SUCCESS)
}

/// `sweep[ shard I/N]: R of T points: ... optimal, ... infeasible, ... invalid, ... failed`.
fn summary(shard: Option<Shard>, table: &SweepTable) -> String {
    let shard = shard.map_or_else(String::new, |shard| {
        format!(" shard {}/{}", shard.index, shard.count)
    });
    let total = table.total_points;
    format!(
        "sweep{shard}: {} of {total} point{}: {} optimal, {} infeasible, {} invalid, {} failed",
        table.rows.len(),
        if total == 1 { "" } else { "s" },
        table.count(Status::Optimal),
        table.count(Status::Infeasible),
        table.count(Status::Invalid),
        table.count(Status::Failed),
    )
}

/// The `--chart` SVG of a one-parameter sweep, when asked for.
fn chart_svg(args: &SweepArgs, table: &SweepTable) -> Result<Option<String>, String> {
    if args.chart.is_none() {
        return Ok(None);
    }
    let points: Vec<sweep_chart::ChartPoint> = table
        .rows
        .iter()
        .map(|row| sweep_chart::ChartPoint {
            x: row.values[0],
            objective: row.objective,
            prices: row.shadow_prices.clone(),
        })
        .collect();
    let title = if table.scenario_name.is_empty() {
        "metalplan sweep"
    } else {
        &table.scenario_name
    };
    sweep_chart::svg(title, &args.varies[0].path, &table.target_columns, &points).map(Some)
}

/// A bar on stderr when it is a terminal; nothing otherwise (logs and pipes stay clean).
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} points, {elapsed} elapsed, ~{eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// Runs `metalplan sweep-merge`.
pub fn merge(args: &MergeArgs) -> Result<ExitCode, Failure> {
    crate::refuse_overwriting_inputs(&[args.output.as_deref()], &args.parts)?;
    let text = merge_shards(&args.parts).map_err(|error| Failure::Core(error.into()))?;
    output::write(args.output.as_deref(), &text).map_err(Failure::Output)?;
    Ok(ExitCode::SUCCESS)
}

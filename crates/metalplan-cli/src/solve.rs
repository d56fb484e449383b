//! `metalplan solve`: build the request, run it, write what was asked for (model files, chart,
//! report, the result as tables, JSON or CSV) and, with `--timings`, how long each stage took.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use metalplan_core::app::ObjectiveKind;
use metalplan_core::grouping::{group_output, GroupBy};
use metalplan_core::{Request, Run, StageTiming};

use crate::args::{Format, SolveArgs};
use crate::failure::Failure;
use crate::{output, render, report};

/// Runs `metalplan solve SCENARIO`.
pub fn run(args: &SolveArgs, globals: &crate::Globals) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let Some(scenario) = &args.scenario else {
        // clap requires SCENARIO unless --replay is given.
        return Err(Failure::Usage(
            "give a SCENARIO file, or --replay RESULT.json".to_string(),
        ));
    };
    let request = args.plugin_run.apply(Request {
        shocks: args.shocks.clone(),
        soft_targets: args.soft_targets,
        options: args.solve_options(),
        ..globals.request(scenario, &args.overlays, &args.plugins)
    })?;
    let md_chart = args
        .report
        .as_deref()
        .filter(|file| report::ReportFormat::of(file) == Some(report::ReportFormat::Markdown))
        .map(|file| file.with_extension("svg"));
    let outputs = [
        args.output.as_deref(),
        args.export_lp.as_deref(),
        args.export_mps.as_deref(),
        args.chart.as_deref(),
        args.report.as_deref(),
        md_chart.as_deref(),
    ];
    // Before solving, against the files named; after, with the facilities CSV it read too.
    crate::refuse_overwriting_inputs(&outputs, &request.input_files())?;
    let run = metalplan_core::run(&request)?;
    crate::refuse_overwriting_inputs(&outputs, &run.input_files(&request))?;
    let written_at = Instant::now();
    write_model_files(args, &run, request.options.objective)?;
    report::write_chart_and_report(
        args.chart.as_deref(),
        args.report.as_deref(),
        &run.scenario.scenario.description,
        &run.result,
    )
    .map_err(Failure::Output)?;
    let text = rendered(args, &run).map_err(Failure::Output)?;
    let written = output::write(args.output.as_deref(), &text).map_err(Failure::Output);
    if args.timings {
        let mut laps = run.timings.clone();
        laps.push(StageTiming {
            stage: "write output",
            duration: written_at.elapsed(),
        });
        print_timings(&laps, started.elapsed());
    }
    written.map(|()| ExitCode::SUCCESS)
}

/// Writes the model solved to the `--export-lp` / `--export-mps` files, if asked for.
fn write_model_files(args: &SolveArgs, run: &Run, objective: ObjectiveKind) -> Result<(), Failure> {
    if args.export_lp.is_none() && args.export_mps.is_none() {
        return Ok(());
    }
    // The same scenario and rules just solved, so the same model.
    let model = run.model()?;
    if let Some(file) = &args.export_lp {
        output::write(Some(file), &model.lp_text(objective)).map_err(Failure::Output)?;
    }
    if let Some(file) = &args.export_mps {
        output::write(Some(file), &model.mps_text(objective)).map_err(Failure::Output)?;
    }
    Ok(())
}

/// The result in the format asked for, with the `--group-by` rows when asked for.
fn rendered(args: &SolveArgs, run: &Run) -> Result<String, String> {
    let result = &run.result;
    let Some(by) = args.group_by.map(GroupBy::from) else {
        return match args.format {
            Format::Table => Ok(render::tables(result)),
            Format::Json => output::json(result),
            Format::Csv => output::csv(result, args.table),
        };
    };
    let rows = group_output(&run.scenario.scenario, result, by);
    match args.format {
        Format::Table => Ok(render::tables(result) + &render::grouped(&rows, by)),
        Format::Json => output::json_with_groups(result, by, &rows),
        Format::Csv => output::groups_csv(result, &rows),
    }
}

/// `--timings`: each stage's wall time and share, to stderr.
fn print_timings(laps: &[StageTiming], total: Duration) {
    let total = total.as_secs_f64();
    eprintln!("timings (wall clock):");
    for lap in laps {
        let seconds = lap.duration.as_secs_f64();
        eprintln!(
            "  {:<24} {seconds:>10.3} s {:>6.1} %",
            lap.stage,
            100.0 * seconds / total.max(f64::MIN_POSITIVE)
        );
    }
    eprintln!("  {:<24} {total:>10.3} s", "total");
}

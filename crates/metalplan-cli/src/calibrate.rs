//! `metalplan calibrate`: calibrate a scenario's demand on its base year (the core's
//! `app::calibrate`), print each metal's result and write the calibration as an overlay.

use std::fmt::Write as _;
use std::process::ExitCode;

use metalplan_core::app::calibrate::{calibrate, CalibrateOptions, Calibration, CalibrationStatus};

use crate::args::{CalibrateArgs, Format};
use crate::failure::{exit, Failure};
use crate::output;

/// Runs `metalplan calibrate SCENARIO`.
pub fn run(args: &CalibrateArgs, globals: &crate::Globals) -> Result<ExitCode, Failure> {
    if args.format == Format::Csv {
        return Err(Failure::Usage(
            "calibrate prints a table or JSON (--format table|json)".to_string(),
        ));
    }
    let request = globals.request(&args.scenario, &args.overlays, &[]);
    let options = CalibrateOptions {
        tolerance: args.tolerance,
        ..CalibrateOptions::default()
    };
    crate::refuse_overwriting_inputs(
        &[args.output.as_deref(), args.base_year_scenario.as_deref()],
        &metalplan_core::app::files_read(&request)?,
    )?;
    let calibration = calibrate(&request, options)?;
    if let Some(file) = &args.base_year_scenario {
        let text = toml::to_string(&calibration.base_year_scenario).map_err(|error| {
            Failure::Output(format!("cannot write the base-year problem: {error}"))
        })?;
        output::write(Some(file), &text).map_err(Failure::Output)?;
    }
    if let Some(file) = &args.output {
        output::write(Some(file), &calibration.overlay_toml).map_err(Failure::Output)?;
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&calibration)
            .map(|text| text + "\n")
            .map_err(|error| Failure::Output(format!("cannot write JSON: {error}")))?,
        _ => table_text(&calibration),
    };
    output::write(None, &text).map_err(Failure::Output)?;
    if args.output.is_none() {
        eprintln!("note: give -o FILE.toml to write the calibration overlay");
    }
    Ok(if calibration.all_calibrated() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(exit::NOT_CALIBRATED)
    })
}

fn table_text(calibration: &Calibration) -> String {
    let mut table = crate::render::new_table(
        &[
            "metal",
            "observed (Mt)",
            "uncalibrated (Mt)",
            "calibrated (Mt)",
            "difference",
            "demand factor",
            "cost wedge (CNY/t)",
            "status",
        ],
        1,
    );
    for metal in &calibration.metals {
        table.add_row(vec![
            metal.metal.clone(),
            format!("{:.4}", metal.observed_mt),
            format!("{:.4}", metal.uncalibrated_mt),
            format!("{:.4}", metal.calibrated_mt),
            format!("{:+.3} %", metal.difference_percent),
            metal
                .demand_factor
                .map_or_else(|| "no demand".to_string(), |factor| format!("{factor:.4}")),
            format!("{:+.0}", metal.cost_wedge_cny_per_t),
            match &metal.status {
                CalibrationStatus::Calibrated => "calibrated".to_string(),
                CalibrationStatus::NotCalibrated(reason) => format!("not calibrated: {reason}"),
            },
        ]);
    }
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Calibration on the base year {} (welfare, no policy; tolerance {} %, {} solves)\n{table}",
        calibration.base_year,
        calibration.tolerance * 100.0,
        calibration.iterations
    );
    text
}

//! `metalplan backtest`: solve, then line the plan up against reported figures (the core's
//! `app::backtest`), written as a table, JSON or CSV, with a chart of the differences.

use std::fmt::Write as _;
use std::process::ExitCode;

use comfy_table::Table;
use metalplan_core::app::backtest::{backtest, Backtest, BacktestRow, FigureGroup};
use metalplan_core::app::SolveOptions;
use plotters::prelude::*;

use crate::args::{BacktestArgs, Format};
use crate::failure::Failure;
use crate::output;

/// Runs `metalplan backtest SCENARIO --actuals ACTUALS.csv`.
pub fn run(args: &BacktestArgs, globals: &crate::Globals) -> Result<ExitCode, Failure> {
    let mut request =
        args.plugin_run
            .apply(globals.request(&args.scenario, &args.overlays, &args.plugins))?;
    request.options = SolveOptions {
        solver: args.solver.into(),
        objective: args.objective.into(),
        ..SolveOptions::default()
    };
    let mut inputs = metalplan_core::app::files_read(&request)?;
    inputs.push(args.actuals.clone());
    crate::refuse_overwriting_inputs(&[args.output.as_deref(), args.chart.as_deref()], &inputs)?;
    let (_, backtest) = backtest(&request, &args.actuals)?;
    if let Some(file) = &args.chart {
        output::write(Some(file), &svg(&backtest)?).map_err(Failure::Output)?;
    }
    let text = match args.format {
        Format::Table => table_text(&backtest),
        Format::Json => serde_json::to_string_pretty(&backtest)
            .map(|text| text + "\n")
            .map_err(|error| Failure::Output(format!("cannot write JSON: {error}")))?,
        Format::Csv => csv_text(&backtest)?,
    };
    output::write(args.output.as_deref(), &text).map_err(Failure::Output)?;
    Ok(ExitCode::SUCCESS)
}

/// A value, or `missing`: never a zero for a figure nobody gave.
fn cell(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(
        || "missing".to_string(),
        |value| format!("{value:.decimals$}"),
    )
}

fn signed_percent(value: Option<f64>) -> String {
    value.map_or_else(|| "missing".to_string(), |value| format!("{value:+.1} %"))
}

fn table_text(backtest: &Backtest) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}\nbacktest against {}: base year {}, planning years {}\n",
        backtest.scenario,
        backtest.actuals,
        backtest.base_year,
        backtest
            .years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut rows = crate::render::new_table(
        &[
            "year",
            "figure",
            "unit",
            "scored",
            "reported",
            "plan",
            "plan - reported",
            "plan %",
            "persistence %",
            "trend %",
        ],
        4,
    );
    for row in &backtest.rows {
        rows.add_row(row_cells(row));
    }
    let _ = writeln!(text, "Plan against reported\n{rows}\n");
    let errors = errors_table(backtest);
    let _ = writeln!(
        text,
        "Mean absolute percentage error over the same scored figures\n{errors}"
    );
    for excluded in &backtest.excluded {
        let _ = writeln!(
            text,
            "left out: {} {}: {}",
            excluded.year, excluded.figure, excluded.reason
        );
    }
    if backtest.rows_after_horizon > 0 {
        let _ = writeln!(
            text,
            "{} row(s) of the actuals file lie after the plan's years and are not compared",
            backtest.rows_after_horizon
        );
    }
    text
}

/// The model's and the baselines' errors, per group of figures.
fn errors_table(backtest: &Backtest) -> Table {
    let mut errors: Table =
        crate::render::new_table(&["figures", "forecast", "MAPE", "largest", "count"], 2);
    for error in &backtest.errors {
        errors.add_row(vec![
            match error.group {
                FigureGroup::Outputs => "outputs",
                FigureGroup::TradeAndConsumption => "trade and consumption",
            }
            .to_string(),
            error.forecast.clone(),
            error
                .mape_percent
                .map_or_else(|| "missing".to_string(), |value| format!("{value:.2} %")),
            error
                .max_abs_percent
                .map_or_else(|| "missing".to_string(), |value| format!("{value:.2} %")),
            error.figures.to_string(),
        ]);
    }
    errors
}

fn row_cells(row: &BacktestRow) -> Vec<String> {
    vec![
        row.year.to_string(),
        row.figure.to_string(),
        row.unit.clone(),
        if row.scored { "yes" } else { "no" }.to_string(),
        cell(row.reported, 3),
        cell(row.planned, 3),
        row.difference
            .map_or_else(|| "missing".to_string(), |value| format!("{value:+.3}")),
        signed_percent(row.difference_percent),
        signed_percent(row.persistence_difference_percent),
        signed_percent(row.trend_difference_percent),
    ]
}

/// The rows as CSV: empty cells for missing values.
fn csv_text(backtest: &Backtest) -> Result<String, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |error: csv::Error| Failure::Output(format!("cannot write CSV: {error}"));
    writer
        .write_record([
            "year",
            "quantity",
            "metal",
            "detail",
            "unit",
            "scored",
            "reported",
            "planned",
            "difference",
            "difference_percent",
            "persistence",
            "persistence_difference_percent",
            "trend",
            "trend_difference_percent",
            "publisher",
            "published",
        ])
        .map_err(fail)?;
    let number = |value: Option<f64>| value.map(|value| value.to_string()).unwrap_or_default();
    for row in &backtest.rows {
        writer
            .write_record([
                row.year.to_string(),
                row.figure.quantity.to_string(),
                row.figure.metal.clone().unwrap_or_default(),
                row.figure.detail.clone().unwrap_or_default(),
                row.unit.clone(),
                if row.scored { "yes" } else { "no" }.to_string(),
                number(row.reported),
                number(row.planned),
                number(row.difference),
                number(row.difference_percent),
                number(row.persistence),
                number(row.persistence_difference_percent),
                number(row.trend),
                number(row.trend_difference_percent),
                row.publisher.clone(),
                row.published.clone(),
            ])
            .map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| Failure::Output(format!("cannot write CSV: {error}")))?;
    String::from_utf8(bytes).map_err(|error| Failure::Output(format!("cannot write CSV: {error}")))
}

const FORECASTS: [(&str, RGBColor); 3] = [
    ("model", RGBColor(0x3a, 0x6e, 0xa5)),
    ("persistence", RGBColor(0xe0, 0x8a, 0x2c)),
    ("trend", RGBColor(0x7f, 0x7f, 0x7f)),
];

/// A horizontal bar chart: per scored figure with a report, how far each forecast lies from
/// it (per cent); a missing forecast draws no bar.
fn svg(backtest: &Backtest) -> Result<String, Failure> {
    let rows: Vec<&BacktestRow> = backtest
        .rows
        .iter()
        .filter(|row| row.scored && row.reported.is_some())
        .collect();
    let percents = |row: &BacktestRow| {
        [
            row.difference_percent,
            row.persistence_difference_percent,
            row.trend_difference_percent,
        ]
    };
    let largest = rows
        .iter()
        .flat_map(|row| percents(row))
        .flatten()
        .map(f64::abs)
        .fold(5.0_f64, f64::max);
    let limit = (largest * 1.15 / 5.0).ceil() * 5.0;
    let height = 140 + 60 * u32::try_from(rows.len().max(1)).unwrap_or(u32::MAX / 120);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, height)).into_drawing_area();
        let drawn = draw(&root, backtest, &rows, limit, &percents);
        drawn
            .and_then(|()| root.present().map_err(Into::into))
            .map_err(|error| Failure::Output(format!("cannot draw the backtest chart: {error}")))?;
    }
    Ok(svg)
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    backtest: &Backtest,
    rows: &[&BacktestRow],
    limit: f64,
    percents: &dyn Fn(&BacktestRow) -> [Option<f64>; 3],
) -> Drawn {
    root.fill(&WHITE)?;
    let title = format!(
        "{}: plan against reported (% of reported)",
        backtest.scenario
    );
    let labels: Vec<String> = rows
        .iter()
        .map(|row| format!("{} {}", row.year, row.figure))
        .collect();
    let count = rows.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(260)
        .build_cartesian_2d(-limit..limit, 0.0..count as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(count * 2 + 1)
        .y_label_formatter(&|value| {
            let position = value - value.floor();
            let index = value.floor() as usize;
            if (position - 0.5).abs() < 1e-6 {
                labels.get(count - 1 - index).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_desc("difference from the reported value, %")
        .x_label_formatter(&|value| format!("{value:+.0}"))
        .draw()?;
    for (slot, (name, colour)) in FORECASTS.iter().enumerate() {
        let bars = rows.iter().enumerate().filter_map(|(index, row)| {
            percents(row)[slot].map(|percent| {
                let top = (count - index) as f64 - 0.15 - 0.23 * slot as f64;
                Rectangle::new([(0.0, top), (percent, top - 0.2)], colour.filled())
            })
        });
        chart
            .draw_series(bars)?
            .label(*name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled()));
    }
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (0.0, count as f64)],
        BLACK,
    )))?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    Ok(())
}

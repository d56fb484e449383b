//! `metalplan sweep` and `metalplan sweep-merge`: solve a scenario over a grid of values of some
//! of its fields, one CSV row per point, in parallel and optionally split into shards.
//!
//! Every point is solved on its own copy of the scenario ([`with_fields`], then the shocks), so
//! a row depends only on its point, never on which thread or shard solved it; rows are sorted
//! by point index, so the output is byte-identical whatever `--jobs` and however it is sharded.
//! The CSV format is described in `docs/sweeps.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::io::IsTerminal as _;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use metalplan_core::model::RowKind;
use metalplan_core::scenario::{apply_shocks, with_field, with_fields, FieldError, Shock};
use metalplan_core::{
    load_scenario_with_overlays, Model, PlanError, PluginError, PluginRules, Scenario, SolveError,
    SolveOptions,
};
use rayon::prelude::*;

use crate::{diagnostics, exit, output, plugins, sweep_chart, ObjectiveArg, SolverArg};

/// Most points one sweep may have.
pub const MAX_POINTS: usize = 1_000_000;

/// How far (in steps) STOP may sit beyond the last grid point and still count as on the grid.
const GRID_TOLERANCE: f64 = 1e-9;

// Doc comments here are --help text, where Markdown backticks would show as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (.toml or .json).
    scenario: PathBuf,
    /// Merge an overlay file into the scenario first (repeatable, applied in order).
    #[arg(long = "with", value_name = "OVERLAY")]
    overlays: Vec<PathBuf>,
    /// Field to vary, PATH=START:STOP:STEP (repeatable; the points are the grid of all of them,
    /// the first --vary changing slowest). PATH as in validation messages, e.g.
    /// targets.recycled_output_min_mt or metals[copper].primary.capacity_mt.
    #[arg(long = "vary", value_name = "PATH=START:STOP:STEP", required = true)]
    varies: Vec<Vary>,
    /// Solver: HiGHS (simplex) or Clarabel (pure-Rust interior point).
    #[arg(long, value_enum, default_value_t = SolverArg::Highs)]
    solver: SolverArg,
    /// What to optimise; ties are broken by least cost (shadow prices only with cost).
    #[arg(long, value_enum, default_value_t = ObjectiveArg::Cost)]
    objective: ObjectiveArg,
    /// Supply shock METAL.FEED_SOURCE=FACTOR (repeatable), applied at every point.
    #[arg(long = "shock", value_name = "METAL.SOURCE=FACTOR")]
    shocks: Vec<Shock>,
    /// Load a constraint plugin (repeatable), in addition to the scenario's [[plugins]].
    #[arg(long = "plugin", value_name = "PATH")]
    plugins: Vec<PathBuf>,
    /// Let targets be missed by as little as possible instead of failing as infeasible.
    #[arg(long)]
    soft_targets: bool,
    /// Stop the solver after SECONDS (per solver call); such a point is marked failed.
    #[arg(long, value_name = "SECONDS", value_parser = crate::positive_seconds)]
    time_limit: Option<f64>,
    /// Solve only shard I of N (1-based): the points whose index % N == I - 1.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Points solved at once (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Write the CSV to FILE instead of stdout (replaced only when the sweep ran).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also draw the optimal cost and the binding targets' shadow prices against the varied
    /// value, as an SVG chart (one --vary only).
    #[arg(long, value_name = "FILE.svg", value_parser = crate::report::chart_file)]
    chart: Option<PathBuf>,
}

/// Arguments of `metalplan sweep-merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Shard outputs of one sweep (metalplan sweep --shard I/N -o PART.csv).
    #[arg(value_name = "PART.csv", required = true)]
    parts: Vec<PathBuf>,
    /// Write the merged CSV to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// One `--vary PATH=START:STOP:STEP`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The scenario field path.
    pub path: String,
    start: f64,
    step: f64,
    /// Points along this axis: START, START + STEP, ... up to STOP.
    count: usize,
    /// Decimals that START and STEP are written with: each value is rounded to them, so that
    /// 19 + 3 x 0.1 is 19.3, not 19.300000000000001 (`None`: more than 12, no rounding).
    decimals: Option<usize>,
}

impl Vary {
    /// The value at position `position` along this axis.
    fn value(&self, position: usize) -> f64 {
        let raw = self.start + position as f64 * self.step;
        match self.decimals {
            Some(decimals) => format!("{raw:.decimals$}").parse().unwrap_or(raw),
            None => raw,
        }
    }
}

/// The fewest decimals (up to 12) that write `value` exactly.
fn decimals(value: f64) -> Option<usize> {
    (0..=12).find(|&decimals| format!("{value:.decimals$}").parse::<f64>() == Ok(value))
}

impl FromStr for Vary {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage =
            "write it as PATH=START:STOP:STEP, e.g. targets.recycled_output_min_mt=19:25:0.5";
        let (path, range) = text.rsplit_once('=').ok_or(usage)?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("the path is empty; {usage}"));
        }
        let parts: Vec<&str> = range.split(':').collect();
        let [start, end, step] = parts[..] else {
            return Err(format!("`{range}` is not START:STOP:STEP; {usage}"));
        };
        let number = |name: &str, text: &str| -> Result<f64, String> {
            match text.trim().parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(value),
                _ => Err(format!("{name} `{text}` is not a finite number")),
            }
        };
        // `end` is STOP (a name apart from `step`).
        let (start, end, step) = (
            number("START", start)?,
            number("STOP", end)?,
            number("STEP", step)?,
        );
        if step <= 0.0 {
            return Err(format!("STEP must be above 0, got {step}"));
        }
        if end < start {
            return Err(format!("STOP ({end}) is below START ({start})"));
        }
        // Whole steps from START to STOP; infinite when STEP is tiny against the range.
        let steps = ((end - start) / step + GRID_TOLERANCE).floor();
        if steps >= MAX_POINTS as f64 {
            return Err(format!(
                "{start}:{end}:{step} has more than {MAX_POINTS} points"
            ));
        }
        Ok(Vary {
            path: path.to_string(),
            start,
            step,
            count: steps as usize + 1,
            decimals: decimals(start).zip(decimals(step)).map(|(a, b)| a.max(b)),
        })
    }
}

/// `--shard I/N`: the points whose index % N == I - 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    index: usize,
    count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let usage = "write it as I/N with 1 <= I <= N, e.g. 3/8";
        let (index, count) = text.split_once('/').ok_or(usage)?;
        let (Ok(index), Ok(count)) = (index.trim().parse::<usize>(), count.trim().parse::<usize>())
        else {
            return Err(format!("`{text}` is not two whole numbers; {usage}"));
        };
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index} of {count} does not exist; {usage}"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    fn contains(self, point: usize) -> bool {
        point % self.count == self.index - 1
    }
}

/// What became of one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Optimal,
    Infeasible,
    /// The varied values break validation.
    Invalid,
    /// Solver error, time limit, plugin error or a plan that fails the check.
    Failed,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Optimal => "optimal",
            Status::Infeasible => "infeasible",
            Status::Invalid => "invalid",
            Status::Failed => "failed",
        })
    }
}

/// One CSV row.
struct PointRow {
    point: usize,
    values: Vec<f64>,
    status: Status,
    objective: Option<f64>,
    message: String,
    /// One per target column, in column order.
    shadow_prices: Vec<Option<f64>>,
}

/// What every point shares.
struct Sweep<'a> {
    base: &'a Scenario,
    varies: &'a [Vary],
    shocks: &'a [Shock],
    plugins: &'a [plugins::PluginEntry],
    options: SolveOptions,
    /// `name[year]` or `name[metal,year]` of each target row of the base scenario.
    target_columns: &'a [String],
}

/// Runs `metalplan sweep`.
pub fn run(args: &SweepArgs) -> ExitCode {
    let input_error = |message: String| {
        eprintln!("error: {message}");
        ExitCode::from(exit::INPUT)
    };
    let mut loaded = match load_scenario_with_overlays(&args.scenario, &args.overlays) {
        Ok(loaded) => loaded,
        Err(error) => {
            diagnostics::report_scenario_error(&error);
            return ExitCode::from(exit::INPUT);
        }
    };
    if args.soft_targets {
        loaded.scenario.soft_targets = true;
    }
    let base = loaded.scenario;
    let file = args.scenario.display();
    if let Err(error) = apply_shocks(&mut base.clone(), &args.shocks) {
        return input_error(format!("{file}: {error}"));
    }
    let total = match grid_size(&base, &args.varies) {
        Ok(total) => total,
        Err(error) => return input_error(format!("{file}: {error}")),
    };
    if args.chart.is_some() && args.varies.len() != 1 {
        return input_error(
            "--chart draws against one varied value: give exactly one --vary".to_string(),
        );
    }
    let plugins = match plugins::load(&base, &loaded.file, &args.plugins) {
        Ok(plugins) => plugins,
        Err(error) => return input_error(format!("{file}: {error}")),
    };
    let target_columns = target_columns(&base);
    let sweep = Sweep {
        base: &base,
        varies: &args.varies,
        shocks: &args.shocks,
        plugins: &plugins,
        options: solve_options(args),
        target_columns: &target_columns,
    };
    let points: Vec<usize> = (0..total)
        .filter(|&point| args.shard.is_none_or(|shard| shard.contains(point)))
        .collect();
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, NonZeroUsize::get))
        .build()
    {
        Ok(pool) => pool,
        Err(error) => return input_error(format!("cannot start the worker threads: {error}")),
    };
    let progress = progress_bar(points.len());
    // `collect` keeps the order of `points`, whichever thread finishes first.
    let rows: Vec<PointRow> = pool.install(|| {
        points
            .par_iter()
            .map(|&point| {
                let row = sweep.solve(point);
                progress.inc(1);
                row
            })
            .collect()
    });
    progress.finish_and_clear();
    let text = match sweep.csv(&rows) {
        Ok(text) => text,
        Err(error) => return input_error(error),
    };
    let chart = match chart_svg(args, &base, &target_columns, &rows) {
        Ok(chart) => chart,
        Err(error) => return input_error(error),
    };
    if let Err(error) = output::write(args.output.as_deref(), &text) {
        return input_error(error);
    }
    if let (Some(file), Some(svg)) = (&args.chart, &chart) {
        if let Err(error) = output::write(Some(file), svg) {
            return input_error(error);
        }
    }
    let count = |status: Status| rows.iter().filter(|row| row.status == status).count();
    let shard = args.shard.map_or_else(String::new, |shard| {
        format!(" shard {}/{}", shard.index, shard.count)
    });
    eprintln!(
        "sweep{shard}: {} of {total} point{}: {} optimal, {} infeasible, {} invalid, {} failed",
        rows.len(),
        if total == 1 { "" } else { "s" },
        count(Status::Optimal),
        count(Status::Infeasible),
        count(Status::Invalid),
        count(Status::Failed),
    );
    ExitCode::SUCCESS
}

/// The number of points of the grid, after checking every --vary names a number of `base`.
fn grid_size(base: &Scenario, varies: &[Vary]) -> Result<usize, String> {
    let mut total: usize = 1;
    for (position, vary) in varies.iter().enumerate() {
        if varies[..position]
            .iter()
            .any(|earlier| earlier.path == vary.path)
        {
            return Err(format!("--vary {}: the path is varied twice", vary.path));
        }
        // A value that breaks validation only marks its points invalid; a path that names no
        // number is an input error.
        match with_field(base, &vary.path, vary.start) {
            Ok(_) | Err(FieldError::Invalid { .. }) => {}
            Err(error) => return Err(format!("--vary {error}")),
        }
        total = total
            .checked_mul(vary.count)
            .filter(|&points| points <= MAX_POINTS)
            .ok_or_else(|| {
                format!(
                    "the sweep has more than {MAX_POINTS} points; use fewer or coarser --vary ranges"
                )
            })?;
    }
    Ok(total)
}

/// The `--chart` SVG of a one-parameter sweep, when asked for.
fn chart_svg(
    args: &SweepArgs,
    base: &Scenario,
    target_columns: &[String],
    rows: &[PointRow],
) -> Result<Option<String>, String> {
    if args.chart.is_none() {
        return Ok(None);
    }
    let points: Vec<sweep_chart::ChartPoint> = rows
        .iter()
        .map(|row| sweep_chart::ChartPoint {
            x: row.values[0],
            objective: row.objective,
            prices: row.shadow_prices.clone(),
        })
        .collect();
    let title = if base.name.is_empty() {
        "metalplan sweep"
    } else {
        &base.name
    };
    sweep_chart::svg(title, &args.varies[0].path, target_columns, &points).map(Some)
}

fn solve_options(args: &SweepArgs) -> SolveOptions {
    SolveOptions {
        solver: args.solver.into(),
        objective: args.objective.into(),
        time_limit_seconds: args.time_limit,
        ranging: false,
    }
}

/// A bar on stderr when it is a terminal; nothing otherwise (logs and pipes stay clean).
fn progress_bar(points: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(points as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} points, {elapsed} elapsed, ~{eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// `name[year]` or `name[metal,year]` for each target row of `scenario`, in result order.
fn target_columns(scenario: &Scenario) -> Vec<String> {
    Model::build(scenario)
        .rows
        .iter()
        .filter_map(|row| match (row.kind, row.year) {
            (RowKind::Target { target, metal, .. }, Some(year)) => {
                let metal = metal.map(|metal| scenario.metals[metal].name.as_str());
                Some(target_column(target.key(), metal, year))
            }
            _ => None,
        })
        .collect()
}

fn target_column(name: &str, metal: Option<&str>, year: i32) -> String {
    match metal {
        Some(metal) => format!("{name}[{metal},{year}]"),
        None => format!("{name}[{year}]"),
    }
}

/// An error as one CSV cell: one line.
fn one_line(message: &str) -> String {
    let mut text = String::new();
    for line in message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        if !text.is_empty() {
            // A line ending in `:` introduces a list; its items are separated by `;`.
            text.push_str(if text.ends_with(':') { " " } else { "; " });
        }
        text.push_str(line);
    }
    text
}

impl Sweep<'_> {
    /// The value of each varied field at `point` (row-major, the first --vary slowest).
    fn values(&self, point: usize) -> Vec<f64> {
        let mut rest = point;
        let mut values = vec![0.0; self.varies.len()];
        for (value, vary) in values.iter_mut().zip(self.varies).rev() {
            *value = vary.value(rest % vary.count);
            rest /= vary.count;
        }
        values
    }

    fn solve(&self, point: usize) -> PointRow {
        let values = self.values(point);
        let row = |status: Status, message: &str| PointRow {
            point,
            values: values.clone(),
            status,
            objective: None,
            message: one_line(message),
            shadow_prices: vec![None; self.target_columns.len()],
        };
        let fields: Vec<(&str, f64)> = self
            .varies
            .iter()
            .zip(&values)
            .map(|(vary, &value)| (vary.path.as_str(), value))
            .collect();
        let mut scenario = match with_fields(self.base, &fields) {
            Ok(scenario) => scenario,
            Err(error) => return row(Status::Invalid, &error.to_string()),
        };
        if let Err(error) = apply_shocks(&mut scenario, self.shocks) {
            return row(Status::Invalid, &error.to_string());
        }
        let rules: Result<Vec<PluginRules>, PluginError> = self
            .plugins
            .iter()
            .map(|entry| entry.rules_for(&scenario))
            .collect();
        let rules = match rules {
            Ok(rules) => rules,
            Err(error) => return row(Status::Failed, &error.to_string()),
        };
        match metalplan_core::plan(&scenario, &rules, self.options) {
            Ok(result) => {
                let prices: BTreeMap<String, Option<f64>> = result
                    .targets
                    .iter()
                    .map(|target| {
                        (
                            target_column(target.name.key(), target.metal.as_deref(), target.year),
                            target.shadow_price,
                        )
                    })
                    .collect();
                PointRow {
                    objective: Some(result.objective),
                    shadow_prices: self
                        .target_columns
                        .iter()
                        .map(|column| prices.get(column).copied().flatten())
                        .collect(),
                    ..row(Status::Optimal, "")
                }
            }
            Err(PlanError::Solve(error @ SolveError::Infeasible)) => {
                row(Status::Infeasible, &error.to_string())
            }
            Err(error) => row(Status::Failed, &error.to_string()),
        }
    }

    fn csv(&self, rows: &[PointRow]) -> Result<String, String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["point".to_string()];
        header.extend(self.varies.iter().map(|vary| vary.path.clone()));
        header.extend(["status", "objective", "message"].map(String::from));
        header.extend(
            self.target_columns
                .iter()
                .map(|column| format!("shadow_price:{column}")),
        );
        let number = |value: Option<f64>| value.map_or_else(String::new, |value| value.to_string());
        let written = writer.write_record(&header).and_then(|()| {
            rows.iter().try_for_each(|row| {
                let mut record = vec![row.point.to_string()];
                record.extend(row.values.iter().map(ToString::to_string));
                record.push(row.status.to_string());
                record.push(number(row.objective));
                record.push(row.message.clone());
                record.extend(row.shadow_prices.iter().map(|&price| number(price)));
                writer.write_record(&record)
            })
        });
        let bytes = written
            .and_then(|()| {
                writer
                    .into_inner()
                    .map_err(|error| error.into_error().into())
            })
            .map_err(|error| format!("cannot write CSV: {error}"))?;
        String::from_utf8(bytes).map_err(|error| format!("cannot write CSV: {error}"))
    }
}

/// Runs `metalplan sweep-merge`.
pub fn merge(args: &MergeArgs) -> ExitCode {
    match merged(&args.parts).and_then(|text| output::write(args.output.as_deref(), &text)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit::INPUT)
        }
    }
}

/// The shards' rows under their common header, sorted by point.
fn merged(parts: &[PathBuf]) -> Result<String, String> {
    let mut header: Option<(csv::StringRecord, &Path)> = None;
    let mut rows: BTreeMap<usize, (csv::StringRecord, &Path)> = BTreeMap::new();
    for part in parts {
        let shown = part.display();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(part)
            .map_err(|error| format!("cannot read {shown}: {error}"))?;
        let mut records = reader.records();
        let this_header = records
            .next()
            .ok_or_else(|| format!("{shown} is empty; expected a sweep CSV with a header"))?
            .map_err(|error| format!("{shown}: {error}"))?;
        if this_header.get(0) != Some("point") {
            return Err(format!(
                "{shown} is not a sweep output: its first column is not `point`"
            ));
        }
        match &header {
            None => header = Some((this_header, part)),
            Some((first, first_part)) if *first != this_header => {
                return Err(format!(
                    "{shown} has a different header from {}; merge shards of one sweep only\n  {}: {}\n  {shown}: {}",
                    first_part.display(),
                    first_part.display(),
                    first.iter().collect::<Vec<_>>().join(","),
                    this_header.iter().collect::<Vec<_>>().join(","),
                ));
            }
            Some(_) => {}
        }
        for record in records {
            let record = record.map_err(|error| format!("{shown}: {error}"))?;
            let point: usize = record
                .get(0)
                .and_then(|point| point.parse().ok())
                .ok_or_else(|| {
                    format!(
                        "{shown}: `{}` is not a point index",
                        record.get(0).unwrap_or_default()
                    )
                })?;
            if let Some((_, earlier)) = rows.get(&point) {
                return Err(format!(
                    "point {point} is in both {} and {shown}; the shards overlap (merge the outputs of one --shard I/N each)",
                    earlier.display()
                ));
            }
            rows.insert(point, (record, part));
        }
    }
    let (header, _) = header.ok_or("no shard to merge")?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = writer.write_record(&header).and_then(|()| {
        rows.values()
            .try_for_each(|(record, _)| writer.write_record(record))
    });
    let bytes = written
        .and_then(|()| {
            writer
                .into_inner()
                .map_err(|error| error.into_error().into())
        })
        .map_err(|error| format!("cannot write CSV: {error}"))?;
    String::from_utf8(bytes).map_err(|error| format!("cannot write CSV: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_includes_stop_on_the_grid_and_rounds_to_its_decimals() {
        let vary: Vary = "targets.recycled_output_min_mt=19:24.9:0.1"
            .parse()
            .unwrap();
        assert_eq!(vary.count, 60);
        assert_eq!(vary.value(3), 19.3);
        assert_eq!(vary.value(59), 24.9);
        let vary: Vary = "x=0:1:0.3".parse().unwrap();
        assert_eq!((vary.count, vary.value(3)), (4, 0.9));
        let vary: Vary = "x=1:1:5".parse().unwrap();
        assert_eq!(vary.count, 1);
        let vary: Vary = "metals[copper].primary.capacity_mt=1e-3:2e-3:1e-4"
            .parse()
            .unwrap();
        assert_eq!((vary.count, vary.value(7)), (11, 0.0017));
    }

    #[test]
    fn bad_ranges_are_refused() {
        for (text, said) in [
            ("x=1:0:1", "STOP (0) is below START (1)"),
            ("x=0:1:0", "STEP must be above 0"),
            ("x=0:1:-1", "STEP must be above 0"),
            ("x=0:1", "is not START:STOP:STEP"),
            ("x=a:1:1", "START `a` is not a finite number"),
            ("x=0:inf:1", "STOP `inf` is not a finite number"),
            ("=0:1:1", "the path is empty"),
            ("x", "PATH=START:STOP:STEP"),
            ("x=0:1000000:1", "more than 1000000 points"),
        ] {
            let error = text.parse::<Vary>().unwrap_err();
            assert!(error.contains(said), "{text}: {error}");
        }
        assert!("x=0:999999:1".parse::<Vary>().is_ok());
    }

    #[test]
    fn shards_split_the_points() {
        let shard: Shard = "2/3".parse().unwrap();
        let points: Vec<usize> = (0..8).filter(|&point| shard.contains(point)).collect();
        assert_eq!(points, [1, 4, 7]);
        for bad in ["0/2", "3/2", "1/0", "1", "a/b"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn messages_fit_one_line() {
        assert_eq!(one_line("a:\n  b\n\n  c\n"), "a: b; c");
    }
}

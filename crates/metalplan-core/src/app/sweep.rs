//! Sweeps: solve a scenario over a grid of values of some of its fields, one row per point, in
//! parallel and optionally split into shards; and merging the shards' tables into one.
//!
//! Every point is solved on its own copy of the scenario (the fields set, then the shocks), so a
//! row depends only on its point, never on which thread or shard solved it; rows are sorted by
//! point index, so the table is byte-identical whatever the number of workers and however the
//! grid is sharded. The CSV format is described in `docs/sweeps.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rayon::prelude::*;

use super::{plugin_error, plugins, prepared, Error, Request};
use crate::error::SolveError;
use crate::model::target_keys;
use crate::pipeline::{plan, PlanError};
use crate::plugin_host::PluginRules;
use crate::scenario::{apply_shocks, with_field, with_fields, FieldError, Scenario, Shock};
use crate::solve::SolveOptions;

/// Most points one sweep may have.
pub const MAX_POINTS: usize = 1_000_000;

/// How far (in steps) STOP may sit beyond the last grid point and still count as on the grid.
const GRID_TOLERANCE: f64 = 1e-9;

/// Why a sweep cannot be set up, or its shards merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SweepError {
    /// A varied field is not on the grid's terms (a path that names no number, one varied twice,
    /// too many points).
    #[error("{}: {reason}", file.display())]
    Grid {
        /// The scenario file.
        file: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The worker threads cannot be started.
    #[error("cannot start the worker threads: {0}")]
    Workers(String),
    /// The shards cannot be merged.
    #[error("{0}")]
    Merge(String),
}

/// One varied field: `PATH=START:STOP:STEP`.
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
    #[must_use]
    pub fn value(&self, position: usize) -> f64 {
        let raw = self.start + position as f64 * self.step;
        match self.decimals {
            Some(decimals) => format!("{raw:.decimals$}").parse().unwrap_or(raw),
            None => raw,
        }
    }

    /// Points along this axis.
    #[must_use]
    pub fn count(&self) -> usize {
        self.count
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
            // Checked like a scenario number: finite and at most MAX_MAGNITUDE.
            match text.trim().parse::<f64>() {
                Ok(value) if value.is_finite() && value.abs() <= crate::scenario::MAX_MAGNITUDE => {
                    Ok(value)
                }
                Ok(value) if value.is_finite() => Err(format!(
                    "{name} {} is beyond {:e}: no planning quantity is that large",
                    crate::files::compact(value),
                    crate::scenario::MAX_MAGNITUDE
                )),
                _ => Err(format!(
                    "{name} `{}` is not a finite number",
                    crate::files::quoted(text, 40)
                )),
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

/// Shard `index` of `count` (1-based): the points whose index % count == index - 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: usize,
    /// How many shards the grid is split into.
    pub count: usize,
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
    /// Whether `point` belongs to this shard.
    #[must_use]
    pub fn contains(self, point: usize) -> bool {
        point % self.count == self.index - 1
    }
}

/// What became of one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Solved.
    Optimal,
    /// No plan meets every target.
    Infeasible,
    /// The varied values break validation.
    Invalid,
    /// Solver error, time limit, plugin error or a plan that fails verification.
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

/// One point of the grid, solved.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    /// The point's index in the whole grid (row-major, the first varied field slowest).
    pub point: usize,
    /// The value of each varied field, in order.
    pub values: Vec<f64>,
    /// What became of it.
    pub status: Status,
    /// The optimal objective, when solved.
    pub objective: Option<f64>,
    /// Why it was not solved, on one line.
    pub message: String,
    /// One per target column, in column order.
    pub shadow_prices: Vec<Option<f64>>,
}

/// A sweep: the base request and the fields varied over it.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRequest {
    /// The scenario, overlays, plugins, shocks and options every point shares.
    pub base: Request,
    /// The varied fields; the points are the grid of all of them.
    pub varies: Vec<Vary>,
    /// Solve only this shard of the grid.
    pub shard: Option<Shard>,
    /// Points solved at once (`None`: one per core).
    pub jobs: Option<NonZeroUsize>,
}

/// How far a sweep has got, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The sweep is about to solve this many points.
    Started {
        /// Points in this run (the shard's, when sharded).
        points: usize,
    },
    /// One more point is done.
    PointDone,
    /// Every point is done.
    Finished,
}

/// A sweep's rows, with what names their columns.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepTable {
    /// The scenario's name (for a chart title).
    pub scenario_name: String,
    /// The varied fields.
    pub varies: Vec<Vary>,
    /// `name[year]` or `name[metal,year]` of each target row of the base scenario.
    pub target_columns: Vec<String>,
    /// Points in the whole grid.
    pub total_points: usize,
    /// The rows solved, by point.
    pub rows: Vec<PointRow>,
}

/// What every point shares.
struct Grid<'a> {
    base: &'a Scenario,
    varies: &'a [Vary],
    shocks: &'a [Shock],
    plugins: &'a [plugins::PluginEntry],
    options: SolveOptions,
    target_columns: &'a [String],
}

/// Solves every point of `request` (of its shard), reporting progress to `progress`.
pub fn sweep(
    request: &SweepRequest,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepTable, Error> {
    let base_request = &request.base;
    // Shocks are applied at every point, on the point's own scenario; checked once here.
    let shocks_only = Request {
        shocks: Vec::new(),
        ..base_request.clone()
    };
    let (loaded, _) = prepared(&shocks_only)?;
    let base = &loaded.scenario;
    apply_shocks(&mut base.clone(), &base_request.shocks).map_err(|source| Error::Shock {
        file: base_request.scenario.clone(),
        source,
    })?;
    let grid_error = |reason: String| {
        Error::Sweep(SweepError::Grid {
            file: base_request.scenario.clone(),
            reason,
        })
    };
    let total = grid_size(base, &request.varies).map_err(grid_error)?;
    // Points solved at once: each builds its own model and calls plugins in its own host.
    let jobs = request
        .jobs
        .map_or_else(
            || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
            NonZeroUsize::get,
        )
        .min(total.max(1));
    if let Some(limit) = base_request.memory_limit_bytes {
        crate::size::ModelSize::estimate(base)
            .times(jobs as u64)
            .check(limit)
            .map_err(|source| Error::TooLarge {
                file: base_request.scenario.clone(),
                source,
            })?;
    }
    let entries = plugins::load(
        &plugins::PluginSources {
            scenario: base,
            scenario_file: &loaded.file,
            folders: &base_request.plugin_folders,
            extra: &base_request.plugins,
            extra_named_by: base_request.plugins_named_by.as_deref(),
            consent: &base_request.consent,
        },
        &base_request.plugin_isolation,
        jobs,
    )
    .map_err(plugin_error(base_request))?;
    let target_columns: Vec<String> = target_keys(base)
        .iter()
        .map(|key| key.row_name(base))
        .collect();
    let grid = Grid {
        base,
        varies: &request.varies,
        shocks: &base_request.shocks,
        plugins: &entries,
        options: base_request.options,
        target_columns: &target_columns,
    };
    let points: Vec<usize> = (0..total)
        .filter(|&point| request.shard.is_none_or(|shard| shard.contains(point)))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|error| SweepError::Workers(error.to_string()))?;
    progress(Progress::Started {
        points: points.len(),
    });
    // `collect` keeps the order of `points`, whichever thread finishes first.
    let rows: Vec<PointRow> = pool.install(|| {
        points
            .par_iter()
            .map(|&point| {
                let row = grid.solve(point);
                progress(Progress::PointDone);
                row
            })
            .collect()
    });
    progress(Progress::Finished);
    Ok(SweepTable {
        scenario_name: base.name.clone(),
        varies: request.varies.clone(),
        target_columns,
        total_points: total,
        rows,
    })
}

/// The number of points of the grid, after checking every varied path names a number of `base`.
fn grid_size(base: &Scenario, varies: &[Vary]) -> Result<usize, String> {
    let mut total: usize = 1;
    for (position, vary) in varies.iter().enumerate() {
        if varies[..position]
            .iter()
            .any(|earlier| earlier.path == vary.path)
        {
            return Err(format!("`{}` is varied twice", vary.path));
        }
        // A value that breaks validation only marks its points invalid; a path that names no
        // number is an input error.
        match with_field(base, &vary.path, vary.start) {
            Ok(_) | Err(FieldError::Invalid { .. }) => {}
            Err(error) => return Err(format!("varied field {error}")),
        }
        total = total
            .checked_mul(vary.count)
            .filter(|&points| points <= MAX_POINTS)
            .ok_or_else(|| {
                format!(
                    "the sweep has more than {MAX_POINTS} points; vary fewer fields or use coarser ranges"
                )
            })?;
    }
    Ok(total)
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

impl Grid<'_> {
    /// The value of each varied field at `point` (row-major, the first varied field slowest).
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
        let rules: Result<Vec<PluginRules>, _> = plugins::rules(self.plugins, &scenario);
        let rules = match rules {
            Ok(rules) => rules,
            Err(error) => return row(Status::Failed, &error.to_string()),
        };
        match plan(&scenario, &rules, self.options) {
            Ok(result) => {
                let prices: BTreeMap<String, Option<f64>> = result
                    .targets
                    .iter()
                    .map(|target| (target.row_name(), target.shadow_price))
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
}

impl SweepTable {
    /// The table as CSV: `point`, each varied path, `status`, `objective`, `message`, then
    /// `shadow_price:<target column>` for every target row.
    pub fn csv(&self) -> Result<String, SweepError> {
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
            self.rows.iter().try_for_each(|row| {
                let mut record = vec![row.point.to_string()];
                record.extend(row.values.iter().map(ToString::to_string));
                record.push(row.status.to_string());
                record.push(number(row.objective));
                record.push(row.message.clone());
                record.extend(row.shadow_prices.iter().map(|&price| number(price)));
                writer.write_record(&record)
            })
        });
        csv_text(written, writer)
    }

    /// How many rows have `status`.
    #[must_use]
    pub fn count(&self, status: Status) -> usize {
        self.rows.iter().filter(|row| row.status == status).count()
    }
}

/// The text a CSV writer holds, once every record is written.
fn csv_text(written: csv::Result<()>, writer: csv::Writer<Vec<u8>>) -> Result<String, SweepError> {
    let bytes = written
        .and_then(|()| {
            writer
                .into_inner()
                .map_err(|error| error.into_error().into())
        })
        .map_err(|error| SweepError::Merge(format!("cannot write CSV: {error}")))?;
    String::from_utf8(bytes)
        .map_err(|error| SweepError::Merge(format!("cannot write CSV: {error}")))
}

/// The shards' rows under their common header, sorted by point, as CSV.
pub fn merge_shards(parts: &[PathBuf]) -> Result<String, SweepError> {
    let mut header: Option<(csv::StringRecord, &Path)> = None;
    let mut rows: BTreeMap<usize, (csv::StringRecord, &Path)> = BTreeMap::new();
    for part in parts {
        let shown = part.display();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_path(part)
            .map_err(|error| SweepError::Merge(format!("cannot read {shown}: {error}")))?;
        let mut records = reader.records();
        let this_header = records
            .next()
            .ok_or_else(|| {
                SweepError::Merge(format!(
                    "{shown} is empty; expected a sweep CSV with a header"
                ))
            })?
            .map_err(|error| SweepError::Merge(format!("{shown}: {error}")))?;
        if this_header.get(0) != Some("point") {
            return Err(SweepError::Merge(format!(
                "{shown} is not a sweep output: its first column is not `point`"
            )));
        }
        match &header {
            None => header = Some((this_header, part)),
            Some((first, first_part)) if *first != this_header => {
                return Err(SweepError::Merge(format!(
                    "{shown} has a different header from {}; merge shards of one sweep only\n  {}: {}\n  {shown}: {}",
                    first_part.display(),
                    first_part.display(),
                    first.iter().collect::<Vec<_>>().join(","),
                    this_header.iter().collect::<Vec<_>>().join(","),
                )));
            }
            Some(_) => {}
        }
        for record in records {
            let record = record.map_err(|error| SweepError::Merge(format!("{shown}: {error}")))?;
            let point: usize = record
                .get(0)
                .and_then(|point| point.parse().ok())
                .ok_or_else(|| {
                    SweepError::Merge(format!(
                        "{shown}: `{}` is not a point index",
                        record.get(0).unwrap_or_default()
                    ))
                })?;
            if let Some((_, earlier)) = rows.get(&point) {
                return Err(SweepError::Merge(format!(
                    "point {point} is in both {} and {shown}; the shards overlap (merge the outputs of one shard each)",
                    earlier.display()
                )));
            }
            rows.insert(point, (record, part));
        }
    }
    let (header, _) = header.ok_or_else(|| SweepError::Merge("no shard to merge".to_string()))?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = writer.write_record(&header).and_then(|()| {
        rows.values()
            .try_for_each(|(record, _)| writer.write_record(record))
    });
    csv_text(written, writer)
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

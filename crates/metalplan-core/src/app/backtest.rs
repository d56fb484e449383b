//! Backtests: a plan lined up against what was later reported (docs/backtest.md).
//!
//! An actuals file (CSV, format in docs/backtest.md) lists reported figures: the ten-metal and
//! recycled totals, a metal's output (both routes or one), a stage's output, a trade flow or a
//! metal's consumption, per year. Rows of a planning year are compared with the plan; rows of
//! the base year and earlier are the history the two naive forecasts start from: persistence
//! (the base year's value, every year) and trend (the base year's value grown each year by the
//! base year's growth). A figure nobody reported stays missing; it is never read as zero.
//!
//! The mean absolute percentage error (MAPE) of the model and of each baseline is taken over the
//! same figures: the scored rows where the report, the plan and both baselines all have a value.
//! It is given for the outputs (the two totals, metals' and stages' outputs: the headline) and,
//! apart, for trade and consumption. Scored rows left out of the common set are listed with the
//! reason.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{run, Error, Request, Run};
use crate::results::PlanResult;
use crate::scenario::{Route, Scenario, Year};

/// What a reported figure measures (the `quantity` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// The ten-metal output total: the routes counting toward the output total, Mt.
    OutputTotal,
    /// The national recycled output: the routes counting toward the recycled total, Mt.
    RecycledTotal,
    /// A metal's output: both routes (no detail) or the route named in `detail`, Mt.
    Output,
    /// A stage's output (`detail` names the stage), Mt.
    Stage,
    /// Imports of a material (`detail`: a stage or `refined`), Mt.
    Import,
    /// Exports of a material (`detail`: a stage or `refined`), Mt.
    Export,
    /// A metal's consumption, Mt.
    Consumption,
}

impl Quantity {
    const ALL: [(Quantity, &'static str); 7] = [
        (Quantity::OutputTotal, "output_total"),
        (Quantity::RecycledTotal, "recycled_total"),
        (Quantity::Output, "output"),
        (Quantity::Stage, "stage"),
        (Quantity::Import, "import"),
        (Quantity::Export, "export"),
        (Quantity::Consumption, "consumption"),
    ];

    /// The name written in actuals files and results.
    #[must_use]
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(quantity, _)| *quantity == self)
            .map_or("", |(_, name)| name)
    }

    fn parse(text: &str) -> Option<Quantity> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(quantity, _)| *quantity)
    }

    /// Whether the figure is an output (the totals, a metal's or a stage's), as opposed to a
    /// trade flow or consumption.
    #[must_use]
    pub fn is_output(self) -> bool {
        matches!(
            self,
            Quantity::OutputTotal | Quantity::RecycledTotal | Quantity::Output | Quantity::Stage
        )
    }

    /// Whether the figure is national (no metal).
    fn is_total(self) -> bool {
        matches!(self, Quantity::OutputTotal | Quantity::RecycledTotal)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which figure a row is about: the key shared by a year's report, the plan and the history.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Figure {
    /// What is measured.
    pub quantity: Quantity,
    /// The metal (absent for the national totals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metal: Option<String>,
    /// The route, stage or traded material (absent: a metal's both routes, or a total).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.quantity)?;
        if let Some(metal) = &self.metal {
            write!(f, " {metal}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " {detail}")?;
        }
        Ok(())
    }
}

/// One row of an actuals file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    /// The year the figure is about.
    pub year: Year,
    /// Which figure.
    #[serde(flatten)]
    pub figure: Figure,
    /// The reported value in the scenario's unit; `None` when not reported.
    pub value: Option<f64>,
    /// The unit as written (e.g. `Mt`, `Mt LCE`).
    pub unit: String,
    /// Whether a planning-year row counts in the error measures.
    pub scored: bool,
    /// Who published the figure.
    pub publisher: String,
    /// When it was published (as written, e.g. `2025-01-21`).
    pub published: String,
    /// Where (URL or title).
    pub source: String,
    /// Basis, derivation, caveats.
    pub note: String,
    /// The row's line in the file (1 = header).
    #[serde(skip)]
    pub line: usize,
}

/// The columns of an actuals file, in order.
pub const ACTUALS_COLUMNS: [&str; 11] = [
    "year",
    "quantity",
    "metal",
    "detail",
    "value",
    "unit",
    "scored",
    "publisher",
    "published",
    "source",
    "note",
];

/// Why an actuals file cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}: {message}", file.display(), location(*line, *column))]
pub struct ActualsError {
    /// The actuals file.
    pub file: PathBuf,
    /// The line (1 = header), when the problem is in one row.
    pub line: Option<usize>,
    /// The column, when the problem is in one cell.
    pub column: Option<&'static str>,
    /// What is wrong.
    pub message: String,
}

fn location(line: Option<usize>, column: Option<&'static str>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}, column `{column}`"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

/// Reads an actuals file: every row checked, none against a scenario yet.
pub fn read_actuals(file: &Path) -> Result<Vec<Actual>, ActualsError> {
    let fail = |line: Option<usize>, column: Option<&'static str>, message: String| ActualsError {
        file: file.to_path_buf(),
        line,
        column,
        message,
    };
    let text = crate::scenario::read_text(file, crate::files::ReadPolicy::default())
        .map_err(|error| fail(None, None, error.to_string()))?;
    parse_actuals(&text).map_err(|(line, column, message)| fail(line, column, message))
}

type RowProblem = (Option<usize>, Option<&'static str>, String);

/// Parses the text of an actuals file.
fn parse_actuals(text: &str) -> Result<Vec<Actual>, RowProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|error| (Some(1), None, format!("cannot read the header: {error}")))?
        .clone();
    let names: Vec<&str> = header.iter().collect();
    if names != ACTUALS_COLUMNS {
        return Err((
            Some(1),
            None,
            format!(
                "the header must be `{}`, found `{}`",
                ACTUALS_COLUMNS.join(","),
                names.join(",")
            ),
        ));
    }
    let mut actuals = Vec::new();
    let mut seen: BTreeMap<(Year, Figure), usize> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map(|position| position.line() as usize);
            (line, None, format!("cannot read the row: {error}"))
        })?;
        let line = record
            .position()
            .map_or(0, |position| position.line() as usize);
        let actual = parse_row(&record, line)?;
        let key = (actual.year, actual.figure.clone());
        if let Some(first) = seen.insert(key, line) {
            return Err((
                Some(line),
                None,
                format!(
                    "{} in {} is given twice (first on line {first})",
                    actual.figure, actual.year
                ),
            ));
        }
        actuals.push(actual);
    }
    if actuals.is_empty() {
        return Err((None, None, "the file has no rows".to_string()));
    }
    Ok(actuals)
}

fn parse_row(record: &csv::StringRecord, line: usize) -> Result<Actual, RowProblem> {
    let cell = |index: usize| record.get(index).unwrap_or("").to_string();
    let fail =
        |column: usize, message: String| (Some(line), Some(ACTUALS_COLUMNS[column]), message);
    let optional = |index: usize| Some(cell(index)).filter(|text| !text.is_empty());
    let year_text = cell(0);
    let year: Year = year_text
        .parse()
        .map_err(|_| fail(0, format!("`{}` is not a year", shown(&year_text))))?;
    let quantity_text = cell(1);
    let quantity = Quantity::parse(&quantity_text).ok_or_else(|| {
        let known: Vec<&str> = Quantity::ALL.iter().map(|(_, name)| *name).collect();
        fail(
            1,
            format!(
                "`{}` is not a quantity; use one of {}",
                shown(&quantity_text),
                known.join(", ")
            ),
        )
    })?;
    let metal = optional(2);
    let detail = optional(3);
    match (quantity.is_total(), &metal) {
        (true, Some(_)) => {
            return Err(fail(
                2,
                format!("{quantity} is national: leave `metal` empty"),
            ))
        }
        (false, None) => return Err(fail(2, format!("{quantity} needs a metal"))),
        _ => {}
    }
    let needs_detail = matches!(
        quantity,
        Quantity::Stage | Quantity::Import | Quantity::Export
    );
    let takes_detail = needs_detail || quantity == Quantity::Output;
    if needs_detail && detail.is_none() {
        return Err(fail(
            3,
            format!("{quantity} needs a detail (the stage or material)"),
        ));
    }
    if !takes_detail && detail.is_some() {
        return Err(fail(3, format!("{quantity} takes no detail")));
    }
    if quantity == Quantity::Output {
        if let Some(route) = &detail {
            if route != "primary" && route != "recycled" {
                return Err(fail(
                    3,
                    format!(
                        "`{}` is not a route: use primary, recycled or leave it empty",
                        shown(route)
                    ),
                ));
            }
        }
    }
    let value = match optional(4) {
        None => None,
        Some(text) => match text.parse::<f64>() {
            Ok(value) if value.is_finite() && value >= 0.0 => Some(value),
            _ => {
                return Err(fail(
                    4,
                    format!(
                        "`{}` is not a number >= 0 (leave it empty when not reported)",
                        shown(&text)
                    ),
                ))
            }
        },
    };
    let scored = match cell(6).as_str() {
        "yes" => true,
        "no" => false,
        other => return Err(fail(6, format!("`{}` must be yes or no", shown(other)))),
    };
    Ok(Actual {
        year,
        figure: Figure {
            quantity,
            metal,
            detail,
        },
        value,
        unit: cell(5),
        scored,
        publisher: cell(7),
        published: cell(8),
        source: cell(9),
        note: cell(10),
        line,
    })
}

/// A cell as shown in a message: control characters escaped, cut short.
fn shown(text: &str) -> String {
    crate::files::quoted(text, 40)
}

/// One figure of one planning year: reported, planned and the two naive forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestRow {
    /// The planning year.
    pub year: Year,
    /// Which figure.
    #[serde(flatten)]
    pub figure: Figure,
    /// The unit as the actuals file writes it.
    pub unit: String,
    /// Whether the row counts in the error measures (as the actuals file says).
    pub scored: bool,
    /// The reported value (`None`: not reported).
    pub reported: Option<f64>,
    /// The plan's value (`None`: the scenario does not model it, e.g. a trade direction it lacks).
    pub planned: Option<f64>,
    /// Plan less report, in the unit.
    pub difference: Option<f64>,
    /// Plan less report, per cent of the report.
    pub difference_percent: Option<f64>,
    /// Persistence: the base year's reported value.
    pub persistence: Option<f64>,
    /// Persistence less report, per cent of the report.
    pub persistence_difference_percent: Option<f64>,
    /// Trend: the base year's value grown by the base year's growth for each year ahead.
    pub trend: Option<f64>,
    /// Trend less report, per cent of the report.
    pub trend_difference_percent: Option<f64>,
    /// Who published the reported value, and when.
    pub publisher: String,
    /// When the reported value was published.
    pub published: String,
}

/// Which figures an error measure is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureGroup {
    /// Outputs: the two totals, metals' and stages' outputs (the headline measure).
    Outputs,
    /// Imports, exports and consumption.
    TradeAndConsumption,
}

/// The error of one forecast over the common scored figures of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastError {
    /// `model`, `persistence` or `trend`.
    pub forecast: String,
    /// Which figures.
    pub group: FigureGroup,
    /// Mean absolute percentage error, per cent (`None` when no figure could be scored).
    pub mape_percent: Option<f64>,
    /// Largest absolute percentage error, per cent.
    pub max_abs_percent: Option<f64>,
    /// How many figures the measures are over.
    pub figures: usize,
}

/// A scored row left out of the error measures, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// The planning year.
    pub year: Year,
    /// Which figure.
    #[serde(flatten)]
    pub figure: Figure,
    /// Why it is not in the common set.
    pub reason: String,
}

/// A plan lined up against an actuals file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// The scenario's name.
    pub scenario: String,
    /// The actuals file.
    pub actuals: String,
    /// The scenario's base year (the baselines start from it).
    pub base_year: Year,
    /// The planning years compared.
    pub years: Vec<Year>,
    /// One row per figure reported for a planning year (scored or not).
    pub rows: Vec<BacktestRow>,
    /// The model's and the baselines' errors over the same figures.
    pub errors: Vec<ForecastError>,
    /// Scored rows not in the common set, with the reason.
    pub excluded: Vec<Excluded>,
    /// Rows of years after the plan's horizon, not compared.
    pub rows_after_horizon: usize,
}

impl Backtest {
    /// The error measures of `forecast` (`model`, `persistence` or `trend`) over `group`.
    #[must_use]
    pub fn error(&self, forecast: &str, group: FigureGroup) -> Option<&ForecastError> {
        self.errors
            .iter()
            .find(|error| error.forecast == forecast && error.group == group)
    }
}

/// Solves `request` and lines its plan up against the actuals in `actuals_file`.
pub fn backtest(request: &Request, actuals_file: &Path) -> Result<(Run, Backtest), Error> {
    // Read the actuals first: a broken file is reported before any solve.
    let actuals = read_actuals(actuals_file)?;
    let solved = run(request)?;
    let backtest = score(
        &solved.scenario.scenario,
        &solved.result,
        &actuals,
        actuals_file,
    )?;
    Ok((solved, backtest))
}

/// Lines `result` (a plan of `scenario`) up against `actuals` read from `file`.
pub fn score(
    scenario: &Scenario,
    result: &PlanResult,
    actuals: &[Actual],
    file: &Path,
) -> Result<Backtest, ActualsError> {
    for actual in actuals {
        check_figure(scenario, &actual.figure).map_err(|(column, message)| ActualsError {
            file: file.to_path_buf(),
            line: Some(actual.line),
            column: Some(column),
            message,
        })?;
    }
    let history: BTreeMap<(Year, &Figure), Option<f64>> = actuals
        .iter()
        .filter(|actual| actual.year <= scenario.base_year)
        .map(|actual| ((actual.year, &actual.figure), actual.value))
        .collect();
    let past = |year: Year, figure: &Figure| history.get(&(year, figure)).copied().flatten();
    let mut rows = Vec::new();
    for actual in actuals
        .iter()
        .filter(|actual| scenario.years.contains(&actual.year))
    {
        let ahead = actual.year - scenario.base_year;
        let base = past(scenario.base_year, &actual.figure);
        let before = past(scenario.base_year - 1, &actual.figure);
        let persistence = base;
        let trend = match (base, before) {
            (Some(base), Some(before)) if before > 0.0 => Some(base * (base / before).powi(ahead)),
            _ => None,
        };
        let planned = planned_value(result, &actual.figure, actual.year);
        let percent = |forecast: Option<f64>| match (forecast, actual.value) {
            (Some(forecast), Some(reported)) if reported > 0.0 => {
                Some(100.0 * (forecast - reported) / reported)
            }
            _ => None,
        };
        rows.push(BacktestRow {
            year: actual.year,
            figure: actual.figure.clone(),
            unit: actual.unit.clone(),
            scored: actual.scored,
            reported: actual.value,
            planned,
            difference: planned
                .zip(actual.value)
                .map(|(plan, report)| plan - report),
            difference_percent: percent(planned),
            persistence,
            persistence_difference_percent: percent(persistence),
            trend,
            trend_difference_percent: percent(trend),
            publisher: actual.publisher.clone(),
            published: actual.published.clone(),
        });
    }
    let (errors, excluded) = error_measures(&rows);
    Ok(Backtest {
        scenario: scenario.name.clone(),
        actuals: super::shown_path(file),
        base_year: scenario.base_year,
        years: scenario.years.clone(),
        rows,
        errors,
        excluded,
        rows_after_horizon: actuals
            .iter()
            .filter(|actual| {
                actual.year > scenario.base_year && !scenario.years.contains(&actual.year)
            })
            .count(),
    })
}

/// The model's and the baselines' MAPE over the scored rows where all four values exist.
fn error_measures(rows: &[BacktestRow]) -> (Vec<ForecastError>, Vec<Excluded>) {
    let mut common: Vec<&BacktestRow> = Vec::new();
    let mut excluded = Vec::new();
    for row in rows.iter().filter(|row| row.scored) {
        let missing = [
            (row.reported.is_none(), "not reported"),
            (
                row.reported == Some(0.0),
                "reported as zero (no percentage)",
            ),
            (row.planned.is_none(), "not modelled by the scenario"),
            (
                row.persistence.is_none(),
                "no base-year value for the baselines",
            ),
            (
                row.trend.is_none(),
                "no value for the year before the base year (trend)",
            ),
        ];
        match missing.iter().find(|(missing, _)| *missing) {
            Some((_, reason)) => excluded.push(Excluded {
                year: row.year,
                figure: row.figure.clone(),
                reason: (*reason).to_string(),
            }),
            None => common.push(row),
        }
    }
    let measure = |forecast: &str, group: FigureGroup, percent: fn(&BacktestRow) -> Option<f64>| {
        let errors: Vec<f64> = common
            .iter()
            .filter(|row| row.figure.quantity.is_output() == (group == FigureGroup::Outputs))
            .filter_map(|row| percent(row))
            .map(f64::abs)
            .collect();
        ForecastError {
            forecast: forecast.to_string(),
            group,
            mape_percent: (!errors.is_empty())
                .then(|| errors.iter().sum::<f64>() / errors.len() as f64),
            max_abs_percent: errors.iter().copied().reduce(f64::max),
            figures: errors.len(),
        }
    };
    let mut errors = Vec::new();
    for group in [FigureGroup::Outputs, FigureGroup::TradeAndConsumption] {
        errors.push(measure("model", group, |row| row.difference_percent));
        errors.push(measure("persistence", group, |row| {
            row.persistence_difference_percent
        }));
        errors.push(measure("trend", group, |row| row.trend_difference_percent));
    }
    (errors, excluded)
}

/// The plan's value of `figure` in `year` (`None` when the scenario does not model it).
fn planned_value(result: &PlanResult, figure: &Figure, year: Year) -> Option<f64> {
    let metal = figure.metal.as_deref();
    let detail = figure.detail.as_deref();
    match figure.quantity {
        Quantity::OutputTotal => totals(result, year).map(|row| row.output_total_mt),
        Quantity::RecycledTotal => totals(result, year).map(|row| row.recycled_mt),
        Quantity::Output => {
            let rows: Vec<f64> = result
                .plan
                .iter()
                .filter(|row| Some(row.metal.as_str()) == metal && row.year == year)
                .filter(|row| detail.is_none_or(|route| route_name(row.route) == route))
                .map(|row| row.output_mt)
                .collect();
            (!rows.is_empty()).then(|| rows.iter().sum())
        }
        Quantity::Stage => result
            .stages
            .iter()
            .find(|row| {
                Some(row.metal.as_str()) == metal
                    && Some(row.stage.as_str()) == detail
                    && row.year == year
            })
            .map(|row| row.output_mt),
        Quantity::Import | Quantity::Export => result
            .trade
            .iter()
            .find(|row| {
                Some(row.metal.as_str()) == metal
                    && Some(row.material.as_str()) == detail
                    && row.year == year
            })
            .and_then(|row| {
                if figure.quantity == Quantity::Import {
                    row.import_mt
                } else {
                    row.export_mt
                }
            }),
        Quantity::Consumption => result
            .demand
            .iter()
            .find(|row| Some(row.metal.as_str()) == metal && row.year == year)
            .map(|row| row.consumption_mt),
    }
}

fn totals(result: &PlanResult, year: Year) -> Option<&crate::results::TotalsRow> {
    result.totals.iter().find(|row| row.year == year)
}

fn route_name(route: Route) -> &'static str {
    match route {
        Route::Primary => "primary",
        Route::Recycled => "recycled",
    }
}

/// Checks that the figure names a metal, route, stage or material of the scenario: a misspelt
/// name is an error, never a silently missing plan value.
fn check_figure(scenario: &Scenario, figure: &Figure) -> Result<(), (&'static str, String)> {
    let Some(name) = &figure.metal else {
        return Ok(());
    };
    let Some(metal) = scenario.metal(name) else {
        let known: Vec<&str> = scenario
            .metals
            .iter()
            .map(|metal| metal.name.as_str())
            .collect();
        return Err((
            "metal",
            format!(
                "the scenario has no metal `{}`; it has {}",
                shown(name),
                known.join(", ")
            ),
        ));
    };
    let detail = figure.detail.as_deref();
    match (figure.quantity, detail) {
        (Quantity::Output, Some(route)) => {
            let has = if route == "primary" {
                metal.primary.is_some()
            } else {
                metal.recycled.is_some()
            };
            if !has {
                return Err(("detail", format!("{name} has no {route} route")));
            }
        }
        (Quantity::Stage, Some(stage)) if metal.stage(stage).is_none() => {
            let known: Vec<&str> = metal
                .stages
                .iter()
                .map(|stage| stage.name.as_str())
                .collect();
            return Err((
                "detail",
                format!(
                    "{name} has no stage `{}`; its stages: {}",
                    shown(stage),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
        (Quantity::Import | Quantity::Export, Some(material))
            if material != "refined" && metal.stage(material).is_none() =>
        {
            return Err((
                "detail",
                format!(
                    "`{}` is neither `refined` nor a stage of {name}",
                    shown(material)
                ),
            ));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "year,quantity,metal,detail,value,unit,scored,publisher,published,source,note\n";

    fn problem(rows: &str) -> RowProblem {
        parse_actuals(&format!("{HEADER}{rows}")).expect_err("should be refused")
    }

    #[test]
    fn reads_rows_and_keeps_missing_values_missing() {
        let actuals = parse_actuals(&format!(
            "{HEADER}2024,output_total,,,79.19,Mt,yes,CNIA,2025-01-21,Xinhua,\n\
             2024,output,copper,primary,,Mt,yes,NBS,,,not reported\n"
        ))
        .expect("valid");
        assert_eq!(actuals.len(), 2);
        assert_eq!(actuals[0].value, Some(79.19));
        assert_eq!(actuals[1].value, None);
        assert_eq!(actuals[1].figure.detail.as_deref(), Some("primary"));
        assert_eq!(actuals[1].line, 3);
    }

    #[test]
    fn refuses_bad_rows_with_line_and_column() {
        let (line, column, message) = problem("2024,output,,,1.0,Mt,yes,,,,\n");
        assert_eq!((line, column), (Some(2), Some("metal")));
        assert!(message.contains("needs a metal"), "{message}");
        let (_, column, message) = problem("2024,outputs,copper,,1.0,Mt,yes,,,,\n");
        assert_eq!(column, Some("quantity"));
        assert!(message.contains("`outputs` is not a quantity"), "{message}");
        let (_, column, _) = problem("2024,output,copper,,-1,Mt,yes,,,,\n");
        assert_eq!(column, Some("value"));
        let (_, column, _) = problem("2024,output,copper,,1,Mt,maybe,,,,\n");
        assert_eq!(column, Some("scored"));
        let (_, column, _) = problem("2024,stage,copper,,1,Mt,yes,,,,\n");
        assert_eq!(column, Some("detail"));
        let (line, _, message) =
            problem("2024,output,copper,,1,Mt,yes,,,,\n2024,output,copper,,2,Mt,no,,,,\n");
        assert_eq!(line, Some(3));
        assert!(
            message.contains("given twice (first on line 2)"),
            "{message}"
        );
        let (line, _, message) = parse_actuals("year,value\n2024,1\n").expect_err("bad header");
        assert_eq!(line, Some(1));
        assert!(message.contains("the header must be"), "{message}");
    }

    #[test]
    fn mape_is_over_the_common_figures() {
        let row = |planned: Option<f64>, trend: Option<f64>| BacktestRow {
            year: 2024,
            figure: Figure {
                quantity: Quantity::OutputTotal,
                metal: None,
                detail: None,
            },
            unit: "Mt".to_string(),
            scored: true,
            reported: Some(100.0),
            planned,
            difference: None,
            difference_percent: planned.map(|plan| plan - 100.0),
            persistence: Some(90.0),
            persistence_difference_percent: Some(-10.0),
            trend,
            trend_difference_percent: trend.map(|trend| trend - 100.0),
            publisher: String::new(),
            published: String::new(),
        };
        // Errors 2 % and 6 % for the model; the third row lacks a trend and is left out.
        let rows = [
            row(Some(102.0), Some(104.0)),
            row(Some(94.0), Some(99.0)),
            row(Some(150.0), None),
        ];
        let (errors, excluded) = error_measures(&rows);
        assert_eq!(errors[0].group, FigureGroup::Outputs);
        assert_eq!(errors[3].group, FigureGroup::TradeAndConsumption);
        assert_eq!(errors[3].figures, 0);
        assert_eq!(errors[3].mape_percent, None);
        assert_eq!(errors[0].figures, 2);
        assert!((errors[0].mape_percent.expect("model") - 4.0).abs() < 1e-12);
        assert!((errors[0].max_abs_percent.expect("model") - 6.0).abs() < 1e-12);
        assert!((errors[1].mape_percent.expect("persistence") - 10.0).abs() < 1e-12);
        assert!((errors[2].mape_percent.expect("trend") - 2.5).abs() < 1e-12);
        assert_eq!(excluded.len(), 1);
        assert!(excluded[0].reason.contains("trend"));
    }
}

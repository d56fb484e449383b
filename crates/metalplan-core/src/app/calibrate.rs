//! Calibration on the base year (docs/backtest.md, "Calibration").
//!
//! The base year is solved as if it were a planning year, under welfare and without policy:
//! the problem keeps the scenario's technology, capacities (without new builds), feed, trade and
//! demand, read at the base year, and drops `[targets]`, per-metal output floors and ceilings,
//! `[[constraints]]` and plugins. Each metal's demand is then scaled by one factor (every
//! block's quantity and the reference consumption, in every year) until the metal's modelled
//! output is its observed base-year output (the sum of its routes' `base_output_mt`).
//!
//! Scaling demand keeps the model linear and says what the data lacked: the level of demand at
//! the scenario's prices. Each factor is found by the secant method on the metal's output,
//! starting from proportional steps; metals are solved together, since they can share power.
//! A metal whose output does not answer to its demand (a capacity below the observed output,
//! imports that take every extra tonne, no demand at all) is reported as not calibrated, with
//! the output it stays at.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{prepared, Error, Request};
use crate::model::ObjectiveKind;
use crate::results::PlanResult;
use crate::scenario::{validate, DemandSpec, PerYear, Scenario, Targets, Year};
use crate::solve::SolveOptions;

/// How closely and how long to calibrate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrateOptions {
    /// Largest relative gap between modelled and observed output accepted (0.001 = 0.1 %).
    pub tolerance: f64,
    /// Most solves.
    pub max_iterations: usize,
}

impl Default for CalibrateOptions {
    fn default() -> Self {
        CalibrateOptions {
            tolerance: 0.001,
            max_iterations: 40,
        }
    }
}

/// Why a scenario cannot be calibrated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrateError {
    /// The base-year problem made from the scenario is not a valid scenario.
    #[error("{}: the base-year problem is not valid: {}", file.display(), problems.join("; "))]
    BaseYearInvalid {
        /// The scenario file.
        file: std::path::PathBuf,
        /// Each problem, with its field path.
        problems: Vec<String>,
    },
    /// The base-year problem could not be solved.
    #[error("{}: the base-year problem ({base_year}) cannot be solved: {reason}", file.display())]
    Unsolved {
        /// The scenario file.
        file: std::path::PathBuf,
        /// The base year.
        base_year: Year,
        /// What the solver or the checker said.
        reason: String,
    },
}

/// Whether one metal was calibrated.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "reason")]
pub enum CalibrationStatus {
    /// Modelled output within the tolerance of the observed.
    Calibrated,
    /// Not within the tolerance, and why.
    NotCalibrated(String),
}

/// One metal's calibration.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MetalCalibration {
    /// The metal.
    pub metal: String,
    /// Observed base-year output (its routes' `base_output_mt`), Mt.
    pub observed_mt: f64,
    /// Modelled base-year output before calibration, Mt.
    pub uncalibrated_mt: f64,
    /// Modelled base-year output with the calibrated demand, Mt.
    pub calibrated_mt: f64,
    /// Calibrated less observed, per cent of observed.
    pub difference_percent: f64,
    /// The factor on the metal's demand (1 = unchanged; absent without demand).
    pub demand_factor: Option<f64>,
    /// Added to the operating cost of each of the metal's routes, CNY/t (0 = unchanged): the
    /// second lever, for a metal whose output does not answer to its demand.
    pub cost_wedge_cny_per_t: f64,
    /// Whether the metal is calibrated.
    #[serde(flatten)]
    pub status: CalibrationStatus,
}

/// A calibrated scenario: the factors, the overlay that applies them, and the base-year problem.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Calibration {
    /// The base year solved.
    pub base_year: Year,
    /// One entry per metal, in the scenario's order.
    pub metals: Vec<MetalCalibration>,
    /// Solves used.
    pub iterations: usize,
    /// The tolerance asked for (relative).
    pub tolerance: f64,
    /// An overlay (TOML) setting each calibrated metal's scaled demand, for every year.
    #[serde(skip)]
    pub overlay_toml: String,
    /// The base-year problem with the calibrated demand (solve it under welfare to check the
    /// calibration).
    #[serde(skip)]
    pub base_year_scenario: Scenario,
}

impl Calibration {
    /// Whether every metal is within the tolerance.
    #[must_use]
    pub fn all_calibrated(&self) -> bool {
        self.metals
            .iter()
            .all(|metal| metal.status == CalibrationStatus::Calibrated)
    }
}

/// The two levers of one metal: a factor on its demand and a cost wedge on its routes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lever {
    /// Factor on every demand block and the reference consumption (`None`: no demand).
    demand_factor: Option<f64>,
    /// Added to the operating cost of each of the metal's routes, CNY/t.
    wedge_cny_per_t: f64,
}

/// Solves the base-year problem with the levers applied; each metal's output.
struct Solver<'a> {
    problem: &'a Scenario,
    request: &'a Request,
    solves: usize,
}

impl Solver<'_> {
    fn outputs(&mut self, levers: &[Lever]) -> Result<Vec<f64>, Error> {
        self.solves += 1;
        let scaled = with_levers(self.problem, levers);
        let options = SolveOptions {
            objective: ObjectiveKind::Welfare,
            ..self.request.options
        };
        let result = crate::pipeline::plan(&scaled, &[], options).map_err(|error| {
            CalibrateError::Unsolved {
                file: self.request.scenario.clone(),
                base_year: self.problem.years[0],
                reason: error.to_string(),
            }
        })?;
        Ok(outputs(self.problem, &result))
    }
}

/// Calibrates the scenario of `request` (with its overlays and shocks) on its base year.
pub fn calibrate(request: &Request, options: CalibrateOptions) -> Result<Calibration, Error> {
    let (loaded, _) = prepared(request)?;
    let file = &request.scenario;
    let problem = base_year_problem(&loaded.scenario).map_err(|problems| {
        CalibrateError::BaseYearInvalid {
            file: file.clone(),
            problems,
        }
    })?;
    let observed: Vec<Option<f64>> = loaded.scenario.metals.iter().map(observed_output).collect();
    let mut levers = kept_levers(&problem, &[]);
    let mut solver = Solver {
        problem: &problem,
        request,
        solves: 0,
    };
    let within = |index: usize, output: f64| {
        observed[index].is_none_or(|observed| relative_gap(output, observed) <= options.tolerance)
    };
    let uncalibrated = solver.outputs(&levers)?;
    let all: Vec<usize> = (0..levers.len()).collect();
    let (mut current, stuck) = fit_demand(
        &mut solver,
        &mut levers,
        &all,
        &observed,
        uncalibrated.clone(),
        options,
    )?;
    // Metals whose output did not answer to demand: a cost wedge first, then demand again.
    let mut unreachable = vec![false; levers.len()];
    for &index in &stuck {
        let Some(target) = observed[index] else {
            continue;
        };
        levers[index].demand_factor = Some(1.0);
        match fit_wedge(&mut solver, &mut levers, index, target, options)? {
            None => unreachable[index] = true,
            Some(outputs) => {
                let (outputs, still) = fit_demand(
                    &mut solver,
                    &mut levers,
                    &[index],
                    &observed,
                    outputs,
                    options,
                )?;
                current = outputs;
                unreachable[index] = !still.is_empty();
            }
        }
    }
    if !stuck.is_empty() {
        // The outputs reported are those of the levers written.
        current = solver.outputs(&levers)?;
    }
    let metals = problem
        .metals
        .iter()
        .enumerate()
        .map(|(index, metal)| {
            let observed_mt = observed[index].unwrap_or(0.0);
            let calibrated_mt = current[index];
            let lever = levers[index];
            let status = status(
                observed[index],
                calibrated_mt,
                lever,
                unreachable[index],
                within(index, calibrated_mt),
                solver.solves,
            );
            MetalCalibration {
                metal: metal.name.clone(),
                observed_mt,
                uncalibrated_mt: uncalibrated[index],
                calibrated_mt,
                difference_percent: if observed_mt > 0.0 {
                    100.0 * (calibrated_mt - observed_mt) / observed_mt
                } else {
                    0.0
                },
                demand_factor: lever.demand_factor,
                cost_wedge_cny_per_t: lever.wedge_cny_per_t,
                status,
            }
        })
        .collect::<Vec<_>>();
    let calibrated = kept_levers(&problem, &levers.iter().zip(&metals).collect::<Vec<_>>());
    let overlay_toml = overlay(&loaded.scenario, &calibrated, &metals, request);
    Ok(Calibration {
        base_year: loaded.scenario.base_year,
        metals,
        iterations: solver.solves,
        tolerance: options.tolerance,
        overlay_toml,
        base_year_scenario: with_levers(&problem, &calibrated),
    })
}

/// Whether a metal is calibrated, and if not why.
fn status(
    observed: Option<f64>,
    calibrated_mt: f64,
    lever: Lever,
    unreachable: bool,
    within: bool,
    solves: usize,
) -> CalibrationStatus {
    match (observed, lever.demand_factor) {
        (None, _) => CalibrationStatus::NotCalibrated(
            "a route has no base_output_mt: nothing observed to calibrate on".to_string(),
        ),
        (Some(_), _) if within => CalibrationStatus::Calibrated,
        (Some(_), None) => CalibrationStatus::NotCalibrated(
            "no demand: output does not answer to price; give the metal [metals.demand]"
                .to_string(),
        ),
        (Some(_), Some(_)) if unreachable => CalibrationStatus::NotCalibrated(format!(
            "output stays at {calibrated_mt:.4} Mt whatever its demand and costs: a capacity, \
             feed or trade bound decides it"
        )),
        (Some(_), Some(_)) => CalibrationStatus::NotCalibrated(format!(
            "not within the tolerance after {solves} solves"
        )),
    }
}

/// The levers of each metal of `problem`: those of `calibrated` metals kept, every other
/// metal's demand and costs as they are (factor 1, no wedge); `&[]` gives the starting levers.
fn kept_levers(problem: &Scenario, calibrated: &[(&Lever, &MetalCalibration)]) -> Vec<Lever> {
    problem
        .metals
        .iter()
        .enumerate()
        .map(|(index, metal)| match calibrated.get(index) {
            Some((lever, report)) if report.status == CalibrationStatus::Calibrated => **lever,
            _ => Lever {
                demand_factor: metal.demand.as_ref().map(|_| 1.0),
                wedge_cny_per_t: 0.0,
            },
        })
        .collect()
}

/// Moves the demand factor of each metal in `indices` (secant steps) until its output is
/// within the tolerance; returns the outputs and the metals whose output did not move when
/// their demand did (their factor is put back to 1).
fn fit_demand(
    solver: &mut Solver<'_>,
    levers: &mut [Lever],
    indices: &[usize],
    observed: &[Option<f64>],
    mut current: Vec<f64>,
    options: CalibrateOptions,
) -> Result<(Vec<f64>, Vec<usize>), Error> {
    let mut previous: Vec<Option<(f64, f64)>> = vec![None; levers.len()];
    let mut stuck = vec![false; levers.len()];
    let within = |index: usize, output: f64| {
        observed[index].is_none_or(|observed| relative_gap(output, observed) <= options.tolerance)
    };
    for _ in 1..options.max_iterations {
        let mut changed = false;
        for &index in indices {
            let (Some(k), Some(target)) = (levers[index].demand_factor, observed[index]) else {
                continue;
            };
            let output = current[index];
            if stuck[index] || within(index, output) {
                continue;
            }
            if previous[index].is_some_and(|(_, before)| (output - before).abs() <= 1e-9) {
                stuck[index] = true;
                levers[index].demand_factor = Some(1.0);
                changed = true;
                continue;
            }
            let next = next_factor(k, output, target, previous[index]);
            previous[index] = Some((k, output));
            if (next - k).abs() > f64::EPSILON * k {
                levers[index].demand_factor = Some(next);
                changed = true;
            }
        }
        if !changed {
            break;
        }
        current = solver.outputs(levers)?;
    }
    let stuck = indices
        .iter()
        .copied()
        .filter(|&index| stuck[index])
        .collect();
    Ok((current, stuck))
}

/// The cost wedge on metal `index` at which its output first reaches `target` from above (a
/// positive wedge) or from below (a negative one), by doubling then bisection: output never
/// rises with the wedge. `None` when no wedge within a million CNY/t reaches it.
fn fit_wedge(
    solver: &mut Solver<'_>,
    levers: &mut [Lever],
    index: usize,
    target: f64,
    options: CalibrateOptions,
) -> Result<Option<Vec<f64>>, Error> {
    const LARGEST_WEDGE_CNY_PER_T: f64 = 1.0e6;
    let mut at = |levers: &mut [Lever], wedge: f64| {
        levers[index].wedge_cny_per_t = wedge;
        solver.outputs(levers)
    };
    let start = at(levers, 0.0)?;
    let direction = if start[index] > target { 1.0 } else { -1.0 };
    // `reached(output)`: the output has come to the target from the side it started on.
    let reached = |output: f64| {
        if direction > 0.0 {
            output <= target * (1.0 + options.tolerance)
        } else {
            output >= target * (1.0 - options.tolerance)
        }
    };
    let mut inside = 0.0;
    let mut outside = 1000.0;
    let mut outside_outputs = at(levers, direction * outside)?;
    while !reached(outside_outputs[index]) {
        inside = outside;
        outside *= 2.0;
        if outside > LARGEST_WEDGE_CNY_PER_T {
            levers[index].wedge_cny_per_t = 0.0;
            return Ok(None);
        }
        outside_outputs = at(levers, direction * outside)?;
    }
    while outside - inside > 1.0 {
        let middle = 0.5 * (inside + outside);
        let outputs = at(levers, direction * middle)?;
        if reached(outputs[index]) {
            outside = middle;
            outside_outputs = outputs;
        } else {
            inside = middle;
        }
    }
    levers[index].wedge_cny_per_t = direction * outside;
    Ok(Some(outside_outputs))
}

fn relative_gap(output: f64, observed: f64) -> f64 {
    if observed > 0.0 {
        (output - observed).abs() / observed
    } else {
        output.abs()
    }
}

/// The next demand factor: a secant step when the last step moved output, else proportional;
/// kept within a factor of 4 of the current one so that one step cannot run away.
fn next_factor(k: f64, output: f64, target: f64, previous: Option<(f64, f64)>) -> f64 {
    let proportional = if output > 0.0 {
        k * target / output
    } else {
        2.0 * k
    };
    let step = match previous {
        Some((k_before, output_before)) if (output - output_before).abs() > 1e-9 => {
            k + (target - output) * (k - k_before) / (output - output_before)
        }
        _ => proportional,
    };
    let step = if step.is_finite() && step > 0.0 {
        step
    } else {
        proportional
    };
    step.clamp(k / 4.0, k * 4.0)
}

/// The observed base-year output of a metal: its routes' `base_output_mt` (None if one lacks it).
fn observed_output(metal: &crate::scenario::Metal) -> Option<f64> {
    [metal.primary.as_ref(), metal.recycled.as_ref()]
        .into_iter()
        .flatten()
        .map(|route| route.base_output_mt)
        .sum()
}

/// Each metal's output in the single year of `result`, in the order of `problem`'s metals.
fn outputs(problem: &Scenario, result: &PlanResult) -> Vec<f64> {
    problem
        .metals
        .iter()
        .map(|metal| {
            result
                .plan
                .iter()
                .filter(|row| row.metal == metal.name)
                .map(|row| row.output_mt)
                .sum()
        })
        .collect()
}

/// The base year as a one-year planning problem without policy: every per-year schedule read at
/// the base year (or, when it does not give it, at the first planning year), no new builds, no
/// targets, output floors or ceilings, rules or plugins.
fn base_year_problem(scenario: &Scenario) -> Result<Scenario, Vec<String>> {
    let base_year = scenario.base_year;
    let first = scenario.years.first().copied().unwrap_or(base_year + 1);
    let mut document = serde_json::to_value(scenario).map_err(|error| vec![error.to_string()])?;
    at_year(&mut document, base_year, first);
    let mut problem: Scenario =
        serde_json::from_value(document).map_err(|error| vec![error.to_string()])?;
    problem.name = format!("{} (base year {base_year}, calibration)", scenario.name);
    problem.base_year = base_year - 1;
    problem.years = vec![base_year];
    problem.targets = Targets::default();
    problem.constraints.clear();
    problem.plugins.clear();
    problem.soft_targets = false;
    for metal in &mut problem.metals {
        metal.output_min_mt = None;
        metal.output_max_mt = None;
    }
    let problems = validate(&problem);
    if problems.is_empty() {
        Ok(problem)
    } else {
        Err(problems
            .iter()
            .map(|problem| format!("{}: {}", problem.path, problem.message))
            .collect())
    }
}

/// Replaces every per-year schedule in `value` by its entry for `year` (else for `fallback`,
/// else its first entry) and removes every new-build limit.
fn at_year(value: &mut Value, year: Year, fallback: Year) {
    match value {
        Value::Object(map) => {
            map.remove("max_build_mt_per_year");
            for (key, entry) in map.iter_mut() {
                let schedule = match entry {
                    Value::Object(inner) if crate::scenario::is_schedule(inner.keys()) => {
                        Some(inner.clone())
                    }
                    _ => None,
                };
                match schedule {
                    Some(inner) => {
                        let pick = inner
                            .get(&year.to_string())
                            .or_else(|| inner.get(&fallback.to_string()))
                            .or_else(|| inner.values().next())
                            .cloned()
                            .unwrap_or(Value::Null);
                        *entry = pick;
                    }
                    None => at_year(entry, year, fallback),
                }
                let _ = key;
            }
        }
        Value::Array(items) => {
            for item in items {
                at_year(item, year, fallback);
            }
        }
        _ => {}
    }
}

/// `problem` with each metal's demand scaled by its factor and its routes' operating cost
/// raised by its wedge.
fn with_levers(problem: &Scenario, levers: &[Lever]) -> Scenario {
    let mut scaled = problem.clone();
    for (metal, lever) in scaled.metals.iter_mut().zip(levers) {
        if let (Some(demand), Some(factor)) = (metal.demand.as_mut(), lever.demand_factor) {
            scale_demand(demand, factor);
        }
        if lever.wedge_cny_per_t != 0.0 {
            for route in [metal.primary.as_mut(), metal.recycled.as_mut()]
                .into_iter()
                .flatten()
            {
                route.operating_cost_cny_per_t = route
                    .operating_cost_cny_per_t
                    .map(|cost| cost + lever.wedge_cny_per_t);
            }
        }
    }
    scaled
}

fn scale_demand(demand: &mut DemandSpec, factor: f64) {
    if let Some(consumption) = &demand.consumption_mt {
        demand.consumption_mt = Some(consumption.map(|quantity| quantity * factor));
    }
    for block in &mut demand.blocks {
        block.quantity_mt = block.quantity_mt.map(|quantity| quantity * factor);
    }
}

/// The overlay: for each calibrated metal, its demand blocks (and reference consumption) with
/// the factor applied, in every year the scenario gives them.
fn overlay(
    scenario: &Scenario,
    levers: &[Lever],
    metals: &[MetalCalibration],
    request: &Request,
) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Calibration overlay written by `metalplan calibrate` (docs/backtest.md, \"Calibration\").\n\
         # Scenario: {}\n\
         # Base year {} solved as a planning year under welfare, without targets, output floors,\n\
         # rules or plugins; each metal's demand scaled (and, where output did not answer to\n\
         # demand, its routes' operating cost shifted) until its output is the observed one.\n\
         # Apply with: metalplan solve {} --with THIS_FILE --objective welfare",
        scenario.name,
        scenario.base_year,
        super::shown_path(&request.scenario),
    );
    for ((metal, lever), calibration) in scenario.metals.iter().zip(levers).zip(metals) {
        if calibration.status != CalibrationStatus::Calibrated {
            let _ = writeln!(
                text,
                "\n# {}: not calibrated, left as it is ({:+.2} % from the observed output).",
                metal.name, calibration.difference_percent
            );
            continue;
        }
        let _ = writeln!(
            text,
            "\n# {}: observed {:.4} Mt, modelled {:.4} Mt before and {:.4} Mt after; demand x {}, \
             operating cost {:+.1} CNY/t.\n[[metals]]\nname = {}",
            metal.name,
            calibration.observed_mt,
            calibration.uncalibrated_mt,
            calibration.calibrated_mt,
            lever.demand_factor.map_or_else(
                || "(no demand)".to_string(),
                |factor| format!("{factor:.6}")
            ),
            lever.wedge_cny_per_t,
            toml_string(&metal.name),
        );
        if let (Some(factor), Some(demand)) = (lever.demand_factor, &metal.demand) {
            let mut scaled = demand.clone();
            scale_demand(&mut scaled, factor);
            let _ = writeln!(text, "\n[metals.demand]");
            if let Some(consumption) = &scaled.consumption_mt {
                let _ = writeln!(text, "consumption_mt = {}", per_year_toml(consumption));
            }
            if !scaled.blocks.is_empty() {
                let _ = writeln!(text, "blocks = [");
                for block in &scaled.blocks {
                    let _ = writeln!(
                        text,
                        "  {{ quantity_mt = {}, price_cny_per_t = {} }},",
                        per_year_toml(&block.quantity_mt),
                        per_year_toml(&block.price_cny_per_t)
                    );
                }
                let _ = writeln!(text, "]");
            }
        }
        if lever.wedge_cny_per_t != 0.0 {
            for (table, route) in [("primary", &metal.primary), ("recycled", &metal.recycled)] {
                if let Some(route) = route {
                    let _ = writeln!(
                        text,
                        "\n[metals.{table}]\noperating_cost_cny_per_t = {}",
                        per_year_toml(
                            &route
                                .operating_cost_cny_per_t
                                .map(|cost| cost + lever.wedge_cny_per_t)
                        )
                    );
                }
            }
        }
    }
    text
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn toml_number(value: f64) -> String {
    // Shortest text that reads back as the same number, always with a decimal point.
    let text = format!("{value:?}");
    if text.contains(['.', 'e', 'E']) || !value.is_finite() {
        text
    } else {
        format!("{text}.0")
    }
}

fn per_year_toml(value: &PerYear) -> String {
    match value {
        PerYear::Constant(value) => toml_number(*value),
        PerYear::Schedule(by_year) => {
            let entries: BTreeMap<_, _> = by_year.iter().collect();
            let parts: Vec<String> = entries
                .iter()
                .map(|(year, value)| format!("{year} = {}", toml_number(**value)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secant_steps_land_on_a_linear_response() {
        // Output = 8 k: from k = 1 (output 8) towards 6, the proportional step gives 0.75.
        let first = next_factor(1.0, 8.0, 6.0, None);
        assert!((first - 0.75).abs() < 1e-12);
        // Output = 2 + 4 k (an intercept): secant from (1, 6) and (0.75, 5) to 4 gives 0.5.
        let second = next_factor(0.75, 5.0, 4.0, Some((1.0, 6.0)));
        assert!((second - 0.5).abs() < 1e-12);
        // No output: double, bounded.
        assert!((next_factor(1.0, 0.0, 3.0, None) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn per_year_values_are_written_as_toml() {
        assert_eq!(per_year_toml(&PerYear::Constant(3.0)), "3.0");
        let schedule = PerYear::Schedule([(2024, 1.5), (2025, 2.0)].into_iter().collect());
        assert_eq!(per_year_toml(&schedule), "{ 2024 = 1.5, 2025 = 2.0 }");
    }
}

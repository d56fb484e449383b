//! `metalplan diff A.json B.json`: what changes from one result to another (B - A): output per
//! metal, route and year, the objective, every shadow price (targets, capacities, feeds, shared
//! capacities, plugin constraints) and the yearly totals. Rows present in only one result are
//! listed as added (only in B) or removed (only in A). The format is in `docs/results.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use serde::{Deserialize, Serialize};

use crate::format::{mt, objective_text, price_text};
use crate::{exit, output, Format};

/// Arguments of `metalplan diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The first result (`solve --format json`).
    a: PathBuf,
    /// The second result; changes are B - A.
    b: PathBuf,
    /// Output format: readable tables (changed rows only), the whole comparison as JSON, or one
    /// table as CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// With --format csv: which table to write.
    #[arg(long, value_enum, default_value_t = DiffTable::Plan)]
    table: DiffTable,
    /// Write the output to FILE instead of stdout (replaced only when the comparison ran).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The table `diff --format csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffTable {
    /// Output per metal, route and year.
    Plan,
    /// Shadow prices of every row.
    ShadowPrices,
    /// National totals per year.
    Totals,
}

// ---------------------------------------------------------------------------------------------
// What is read from a result file: only the fields compared, so results from other versions
// with more fields still read.

#[derive(Debug, Deserialize)]
struct ResultFile {
    #[serde(default)]
    scenario: String,
    objective_kind: String,
    objective: f64,
    objective_unit: String,
    plan: Vec<PlanRow>,
    #[serde(default)]
    feed: Vec<FeedRow>,
    #[serde(default)]
    shared_capacity: Vec<SharedRow>,
    #[serde(default)]
    targets: Vec<TargetRow>,
    #[serde(default)]
    totals: Vec<TotalsRow>,
    #[serde(default)]
    plugins: Vec<PluginReport>,
    #[serde(default)]
    overlays: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct PlanRow {
    metal: String,
    route: String,
    year: i64,
    output_mt: f64,
    #[serde(default)]
    capacity_shadow_price_cny_per_t: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct FeedRow {
    metal: String,
    source: String,
    year: i64,
    #[serde(default)]
    shadow_price_cny_per_t: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct SharedRow {
    metal: String,
    year: i64,
    #[serde(default)]
    shadow_price_cny_per_t: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct TargetRow {
    name: String,
    #[serde(default)]
    metal: Option<String>,
    year: i64,
    #[serde(default)]
    shadow_price: Option<f64>,
    #[serde(default)]
    shadow_price_unit: String,
}

#[derive(Debug, Deserialize)]
struct TotalsRow {
    year: i64,
    output_total_mt: f64,
    recycled_mt: f64,
    value_added_cny: f64,
    co2_t: f64,
    cost_cny: f64,
}

#[derive(Debug, Deserialize)]
struct PluginReport {
    #[serde(default)]
    constraints: Vec<PluginConstraint>,
}

#[derive(Debug, Deserialize)]
struct PluginConstraint {
    name: String,
    #[serde(default)]
    shadow_price: Option<f64>,
}

fn read(file: &Path) -> Result<ResultFile, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|error| format!("cannot read result {}: {error}", file.display()))?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    parse_result(&mut deserializer).map_err(|error| {
        format!(
            "{} is not a metalplan result (`solve --format json`): {error}",
            file.display()
        )
    })
}

/// Deserialises a result; `serde_json`'s message names the line and column.
fn parse_result(
    deserializer: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
) -> Result<ResultFile, serde_json::Error> {
    let result = ResultFile::deserialize(&mut *deserializer)?;
    deserializer.end()?;
    Ok(result)
}

// ---------------------------------------------------------------------------------------------
// The comparison

/// Whether a row is in both results or only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// In A and B.
    Both,
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
}

/// One result's identity in the comparison.
#[derive(Debug, Serialize)]
pub struct Side {
    /// The file.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// Overlays applied.
    pub overlays: Vec<String>,
    /// What was optimised.
    pub objective_kind: String,
}

/// The change of the objective.
#[derive(Debug, Serialize)]
pub struct ObjectiveChange {
    /// Its unit (A's).
    pub unit: String,
    /// Whether A and B optimised the same thing; when not, `delta` compares unlike values.
    pub same_kind: bool,
    /// A's objective.
    pub a: f64,
    /// B's objective.
    pub b: f64,
    /// B - A.
    pub delta: f64,
}

/// The output of one metal, route and year in A and B.
#[derive(Debug, Serialize)]
pub struct PlanChange {
    /// Metal.
    pub metal: String,
    /// Route.
    pub route: String,
    /// Year.
    pub year: i64,
    /// Output in A, Mt (`null`: not in A).
    pub a: Option<f64>,
    /// Output in B, Mt (`null`: not in B).
    pub b: Option<f64>,
    /// B - A, Mt (`null` unless in both).
    pub delta: Option<f64>,
    /// In both, added or removed.
    pub status: Presence,
}

/// The shadow price of one row in A and B.
#[derive(Debug, Serialize)]
pub struct PriceChange {
    /// The row: `recycled_output_min[2025]`, `import_dependence_max[copper,2025]`,
    /// `capacity[copper,primary,2025]`, `feed[copper,domestic_scrap,2025]`,
    /// `shared_capacity[copper,2025]` or a plugin constraint's name.
    pub row: String,
    /// `target`, `capacity`, `feed`, `shared_capacity` or `plugin`.
    pub kind: &'static str,
    /// The price's unit.
    pub unit: String,
    /// Price in A (`null`: not in A, or no price there).
    pub a: Option<f64>,
    /// Price in B.
    pub b: Option<f64>,
    /// B - A (`null` unless both have a price).
    pub delta: Option<f64>,
    /// In both, added or removed.
    pub status: Presence,
}

/// One total of one year in A and B.
#[derive(Debug, Serialize)]
pub struct TotalChange {
    /// Year.
    pub year: i64,
    /// Which total: a field of the result's `totals` rows.
    pub quantity: &'static str,
    /// A's value.
    pub a: Option<f64>,
    /// B's value.
    pub b: Option<f64>,
    /// B - A.
    pub delta: Option<f64>,
    /// In both, added or removed.
    pub status: Presence,
}

/// Names in only one of the results.
#[derive(Debug, Default, Serialize)]
pub struct OnlyIn<T> {
    /// Only in A.
    pub a: Vec<T>,
    /// Only in B.
    pub b: Vec<T>,
}

/// The whole comparison.
#[derive(Debug, Serialize)]
pub struct Diff {
    /// The first result.
    pub a: Side,
    /// The second result.
    pub b: Side,
    /// The objective.
    pub objective: ObjectiveChange,
    /// Output per metal, route and year: A's rows in A's order, then B's new ones.
    pub plan: Vec<PlanChange>,
    /// Every row's shadow price, in the same order rule.
    pub shadow_prices: Vec<PriceChange>,
    /// Totals per year and quantity.
    pub totals: Vec<TotalChange>,
    /// Metals in only one result.
    pub metals_only_in: OnlyIn<String>,
    /// Planning years in only one result.
    pub years_only_in: OnlyIn<i64>,
}

/// Pairs up keyed values of A and B: A's keys in order, then B's new keys in order.
fn pair<K: Ord + Clone, V: Clone>(a: &[(K, V)], b: &[(K, V)]) -> Vec<(K, Option<V>, Option<V>)> {
    let in_b: BTreeMap<&K, &V> = b.iter().map(|(key, value)| (key, value)).collect();
    let in_a: BTreeSet<&K> = a.iter().map(|(key, _)| key).collect();
    let mut paired: Vec<(K, Option<V>, Option<V>)> = a
        .iter()
        .map(|(key, value)| {
            (
                key.clone(),
                Some(value.clone()),
                in_b.get(key).map(|value| (*value).clone()),
            )
        })
        .collect();
    paired.extend(
        b.iter()
            .filter(|(key, _)| !in_a.contains(key))
            .map(|(key, value)| (key.clone(), None, Some(value.clone()))),
    );
    paired
}

fn presence<T>(a: Option<&T>, b: Option<&T>) -> Presence {
    match (a, b) {
        (Some(_), None) => Presence::Removed,
        (None, Some(_)) => Presence::Added,
        _ => Presence::Both,
    }
}

fn delta(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(b? - a?)
}

/// A row's kind, the unit of its price, and the price.
type PriceEntry = (&'static str, String, Option<f64>);

/// The shadow-price rows of one result, keyed by row name.
fn price_rows(result: &ResultFile) -> Vec<(String, PriceEntry)> {
    let mut rows = Vec::new();
    for target in &result.targets {
        let row = match &target.metal {
            Some(metal) => format!("{}[{metal},{}]", target.name, target.year),
            None => format!("{}[{}]", target.name, target.year),
        };
        rows.push((
            row,
            (
                "target",
                target.shadow_price_unit.clone(),
                target.shadow_price,
            ),
        ));
    }
    for plan in &result.plan {
        rows.push((
            format!("capacity[{},{},{}]", plan.metal, plan.route, plan.year),
            (
                "capacity",
                "CNY per t".to_string(),
                plan.capacity_shadow_price_cny_per_t,
            ),
        ));
    }
    for feed in &result.feed {
        rows.push((
            format!("feed[{},{},{}]", feed.metal, feed.source, feed.year),
            ("feed", "CNY per t".to_string(), feed.shadow_price_cny_per_t),
        ));
    }
    for shared in &result.shared_capacity {
        rows.push((
            format!("shared_capacity[{},{}]", shared.metal, shared.year),
            (
                "shared_capacity",
                "CNY per t".to_string(),
                shared.shadow_price_cny_per_t,
            ),
        ));
    }
    for plugin in &result.plugins {
        for constraint in &plugin.constraints {
            rows.push((
                constraint.name.clone(),
                (
                    "plugin",
                    "CNY per unit of the bound".to_string(),
                    constraint.shadow_price,
                ),
            ));
        }
    }
    rows
}

/// The quantities of a totals row compared, with their units.
const TOTALS: [(&str, &str); 5] = [
    ("output_total_mt", "Mt"),
    ("recycled_mt", "Mt"),
    ("value_added_cny", "CNY"),
    ("co2_t", "t CO2"),
    ("cost_cny", "CNY"),
];

fn total_values(row: &TotalsRow) -> [f64; 5] {
    [
        row.output_total_mt,
        row.recycled_mt,
        row.value_added_cny,
        row.co2_t,
        row.cost_cny,
    ]
}

fn compare(a: &ResultFile, b: &ResultFile, files: (&Path, &Path)) -> Diff {
    let side = |result: &ResultFile, file: &Path| Side {
        file: crate::provenance::shown_path(file),
        scenario: result.scenario.clone(),
        overlays: result.overlays.clone(),
        objective_kind: result.objective_kind.clone(),
    };
    let plan = plan_changes(a, b);
    let shadow_prices = price_changes(a, b);
    let totals = totals_changes(a, b);
    let only_in = |left: BTreeSet<String>, right: &BTreeSet<String>| -> Vec<String> {
        left.difference(right).cloned().collect()
    };
    let metals = |result: &ResultFile| -> BTreeSet<String> {
        result.plan.iter().map(|row| row.metal.clone()).collect()
    };
    let years = |result: &ResultFile| -> BTreeSet<i64> {
        result
            .plan
            .iter()
            .map(|row| row.year)
            .chain(result.totals.iter().map(|row| row.year))
            .collect()
    };
    let (metals_a, metals_b) = (metals(a), metals(b));
    let (years_a, years_b) = (years(a), years(b));
    Diff {
        a: side(a, files.0),
        b: side(b, files.1),
        objective: ObjectiveChange {
            unit: a.objective_unit.clone(),
            same_kind: a.objective_kind == b.objective_kind,
            a: a.objective,
            b: b.objective,
            delta: b.objective - a.objective,
        },
        plan,
        shadow_prices,
        totals,
        metals_only_in: OnlyIn {
            a: only_in(metals_a.clone(), &metals_b),
            b: only_in(metals_b, &metals_a),
        },
        years_only_in: OnlyIn {
            a: years_a.difference(&years_b).copied().collect(),
            b: years_b.difference(&years_a).copied().collect(),
        },
    }
}

fn plan_changes(a: &ResultFile, b: &ResultFile) -> Vec<PlanChange> {
    let plan_values = |result: &ResultFile| -> Vec<((String, String, i64), f64)> {
        result
            .plan
            .iter()
            .map(|row| {
                (
                    (row.metal.clone(), row.route.clone(), row.year),
                    row.output_mt,
                )
            })
            .collect()
    };
    pair(&plan_values(a), &plan_values(b))
        .into_iter()
        .map(|((metal, route, year), output_a, output_b)| PlanChange {
            status: presence(output_a.as_ref(), output_b.as_ref()),
            delta: delta(output_a, output_b),
            metal,
            route,
            year,
            a: output_a,
            b: output_b,
        })
        .collect()
}

fn price_changes(a: &ResultFile, b: &ResultFile) -> Vec<PriceChange> {
    pair(&price_rows(a), &price_rows(b))
        .into_iter()
        .map(|(row, in_a, in_b)| {
            let (kind, unit) = in_a
                .as_ref()
                .or(in_b.as_ref())
                .map(|(kind, unit, _)| (*kind, unit.clone()))
                .unwrap_or_default();
            let price_a = in_a.as_ref().and_then(|(_, _, price)| *price);
            let price_b = in_b.as_ref().and_then(|(_, _, price)| *price);
            PriceChange {
                status: presence(in_a.as_ref(), in_b.as_ref()),
                delta: delta(price_a, price_b),
                row,
                kind,
                unit,
                a: price_a,
                b: price_b,
            }
        })
        .collect()
}

fn totals_changes(a: &ResultFile, b: &ResultFile) -> Vec<TotalChange> {
    let totals_of = |result: &ResultFile| -> Vec<(i64, [f64; 5])> {
        result
            .totals
            .iter()
            .map(|row| (row.year, total_values(row)))
            .collect()
    };
    let mut totals = Vec::new();
    for (year, in_a, in_b) in pair(&totals_of(a), &totals_of(b)) {
        for (index, (quantity, _)) in TOTALS.iter().enumerate() {
            let value_a = in_a.map(|values| values[index]);
            let value_b = in_b.map(|values| values[index]);
            totals.push(TotalChange {
                year,
                quantity,
                a: value_a,
                b: value_b,
                delta: delta(value_a, value_b),
                status: presence(in_a.as_ref(), in_b.as_ref()),
            });
        }
    }
    totals
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// Changes smaller than this are shown as unchanged in the tables (JSON and CSV list every row).
const SHOWN_CHANGE: f64 = 1e-9;

fn changed(delta: Option<f64>, status: Presence, a: Option<f64>, b: Option<f64>) -> bool {
    status != Presence::Both
        || a.is_some() != b.is_some()
        || delta.is_some_and(|delta| delta.abs() > SHOWN_CHANGE * a.unwrap_or(0.0).abs().max(1.0))
}

fn cell(value: Option<f64>, show: impl Fn(f64) -> String) -> String {
    value.map_or_else(|| "-".to_string(), show)
}

fn signed(value: Option<f64>, show: impl Fn(f64) -> String) -> String {
    value.map_or_else(String::new, |value| {
        let text = show(value);
        if value > 0.0 {
            format!("+{text}")
        } else {
            text
        }
    })
}

fn status_text(status: Presence) -> &'static str {
    match status {
        Presence::Both => "",
        Presence::Added => "added",
        Presence::Removed => "removed",
    }
}

fn new_table(header: &[&str], text_columns: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(header.iter().copied());
    for index in 0..header.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(if index < text_columns {
                CellAlignment::Left
            } else {
                CellAlignment::Right
            });
        }
    }
    table
}

fn side_text(side: &Side) -> String {
    let mut text = side.file.clone();
    if !side.scenario.is_empty() {
        let _ = write!(text, " ({})", side.scenario);
    }
    if !side.overlays.is_empty() {
        let _ = write!(text, " with {}", side.overlays.join(", "));
    }
    text
}

/// Readable tables of the rows that changed.
fn tables(diff: &Diff) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "A: {}\nB: {}\n",
        side_text(&diff.a),
        side_text(&diff.b)
    );
    let metals = &diff.metals_only_in;
    if !metals.a.is_empty() {
        let _ = writeln!(text, "metals only in A: {}", metals.a.join(", "));
    }
    if !metals.b.is_empty() {
        let _ = writeln!(text, "metals only in B: {}", metals.b.join(", "));
    }
    let years = |years: &[i64]| {
        years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !diff.years_only_in.a.is_empty() {
        let _ = writeln!(text, "years only in A: {}", years(&diff.years_only_in.a));
    }
    if !diff.years_only_in.b.is_empty() {
        let _ = writeln!(text, "years only in B: {}", years(&diff.years_only_in.b));
    }

    plan_section(&mut text, diff);
    prices_section(&mut text, diff);
    let mut totals = new_table(&["year", "total", "A", "B", "B - A", ""], 2);
    for row in &diff.totals {
        let unit = TOTALS
            .iter()
            .find(|(quantity, _)| *quantity == row.quantity)
            .map_or("", |(_, unit)| *unit);
        let show = |value: f64| match unit {
            "CNY" => format!("{:.2} bn", value / 1e9),
            "t CO2" => format!("{:.3} Mt", value / 1e6),
            _ => mt(value),
        };
        totals.add_row(vec![
            row.year.to_string(),
            row.quantity.to_string(),
            cell(row.a, show),
            cell(row.b, show),
            signed(row.delta, show),
            status_text(row.status).to_string(),
        ]);
    }
    let _ = writeln!(text, "Totals\n{totals}\n");
    let objective = &diff.objective;
    let _ = writeln!(
        text,
        "Objective{}: A {}, B {}, B - A {}",
        if objective.same_kind {
            format!(" ({})", diff.a.objective_kind)
        } else {
            format!(
                " (A {}, B {}: not comparable)",
                diff.a.objective_kind, diff.b.objective_kind
            )
        },
        objective_text(objective.a, &objective.unit),
        objective_text(objective.b, &objective.unit),
        signed(Some(objective.delta), |value| objective_text(
            value,
            &objective.unit
        ))
    );
    text
}

fn plan_section(text: &mut String, diff: &Diff) {
    let mut plan = new_table(&["metal", "route", "year", "A", "B", "B - A", ""], 3);
    let mut unchanged = 0;
    for row in &diff.plan {
        if changed(row.delta, row.status, row.a, row.b) {
            plan.add_row(vec![
                row.metal.clone(),
                row.route.clone(),
                row.year.to_string(),
                cell(row.a, mt),
                cell(row.b, mt),
                signed(row.delta, mt),
                status_text(row.status).to_string(),
            ]);
        } else {
            unchanged += 1;
        }
    }
    section(text, "Output (Mt)", &plan, unchanged, diff.plan.len());
}

fn prices_section(text: &mut String, diff: &Diff) {
    let mut prices = new_table(&["row", "A", "B", "B - A", ""], 1);
    let mut unchanged = 0;
    for row in &diff.shadow_prices {
        if changed(row.delta, row.status, row.a, row.b) {
            let show = |price: f64| price_text(price, &row.unit);
            prices.add_row(vec![
                row.row.clone(),
                cell(row.a, show),
                cell(row.b, show),
                signed(row.delta, show),
                status_text(row.status).to_string(),
            ]);
        } else {
            unchanged += 1;
        }
    }
    section(
        text,
        "Shadow prices",
        &prices,
        unchanged,
        diff.shadow_prices.len(),
    );
}

fn section(text: &mut String, heading: &str, table: &Table, unchanged: usize, total: usize) {
    if unchanged == total {
        let _ = writeln!(text, "{heading}: all {total} rows unchanged\n");
    } else {
        let _ = writeln!(
            text,
            "{heading}: {} of {total} rows changed\n{table}\n",
            total - unchanged
        );
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |value| value.to_string())
}

/// One table of the comparison as CSV, after `#` comment lines naming A, B and the objective.
fn csv(diff: &Diff, table: DiffTable) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let status = |status: Presence| match status {
        Presence::Both => "both",
        Presence::Added => "added",
        Presence::Removed => "removed",
    };
    let written: csv::Result<()> = (|| {
        match table {
            DiffTable::Plan => {
                writer.write_record(["metal", "route", "year", "a", "b", "delta", "status"])?;
                for row in &diff.plan {
                    writer.write_record([
                        row.metal.clone(),
                        row.route.clone(),
                        row.year.to_string(),
                        number(row.a),
                        number(row.b),
                        number(row.delta),
                        status(row.status).to_string(),
                    ])?;
                }
            }
            DiffTable::ShadowPrices => {
                writer.write_record(["row", "kind", "unit", "a", "b", "delta", "status"])?;
                for row in &diff.shadow_prices {
                    writer.write_record([
                        row.row.clone(),
                        row.kind.to_string(),
                        row.unit.clone(),
                        number(row.a),
                        number(row.b),
                        number(row.delta),
                        status(row.status).to_string(),
                    ])?;
                }
            }
            DiffTable::Totals => {
                writer.write_record(["year", "quantity", "a", "b", "delta", "status"])?;
                for row in &diff.totals {
                    writer.write_record([
                        row.year.to_string(),
                        row.quantity.to_string(),
                        number(row.a),
                        number(row.b),
                        number(row.delta),
                        status(row.status).to_string(),
                    ])?;
                }
            }
        }
        Ok(())
    })();
    let bytes = written
        .and_then(|()| {
            writer
                .into_inner()
                .map_err(|error| error.into_error().into())
        })
        .map_err(|error| format!("cannot write CSV: {error}"))?;
    let body = String::from_utf8(bytes).map_err(|error| format!("cannot write CSV: {error}"))?;
    let objective = &diff.objective;
    Ok(format!(
        "# a: {}\n# b: {}\n# objective ({}): a {}, b {}, delta {}\n{body}",
        side_text(&diff.a).replace('\n', " "),
        side_text(&diff.b).replace('\n', " "),
        objective.unit,
        objective.a,
        objective.b,
        objective.delta
    ))
}

/// Runs `metalplan diff`.
pub fn run(args: &DiffArgs) -> ExitCode {
    let results = read(&args.a).and_then(|a| read(&args.b).map(|b| (a, b)));
    let (a, b) = match results {
        Ok(results) => results,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::INPUT);
        }
    };
    let diff = compare(&a, &b, (&args.a, &args.b));
    let text = match args.format {
        Format::Table => Ok(tables(&diff)),
        Format::Json => serde_json::to_string_pretty(&diff)
            .map(|text| text + "\n")
            .map_err(|error| format!("cannot serialise the comparison as JSON: {error}")),
        Format::Csv => csv(&diff, args.table),
    };
    match text.and_then(|text| output::write(args.output.as_deref(), &text)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit::INPUT)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_a_order_and_append_b_only_keys() {
        let a = [("x", 1.0), ("y", 2.0)];
        let b = [("z", 3.0), ("x", 5.0)];
        assert_eq!(
            pair(&a, &b),
            [
                ("x", Some(1.0), Some(5.0)),
                ("y", Some(2.0), None),
                ("z", None, Some(3.0))
            ]
        );
    }
}

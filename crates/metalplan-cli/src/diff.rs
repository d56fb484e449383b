//! `metalplan diff A.json B.json`: renders the core's comparison of two results (B - A) as
//! tables of the rows that changed, as JSON, or one table as CSV (`docs/results.md`).

use std::fmt::Write as _;
use std::process::ExitCode;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use metalplan_core::app::compare::{compare_files, Diff, Presence, Side, TOTALS};

use crate::args::{DiffArgs, DiffTable, Format};
use crate::failure::Failure;
use crate::format::{mt, objective_text, price_text};
use crate::output;

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
    only_in_lines(&mut text, diff);
    plan_section(&mut text, diff);
    prices_section(&mut text, diff);
    totals_section(&mut text, diff);
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
    terminal_safe(&text)
}

/// `text` with every control character but the line feed escaped: the results compared may
/// come from anywhere, and a name in them must not reach the terminal as an escape sequence.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .flat_map(|character| {
            let keep = !character.is_control() || character == '\n';
            let shown: Vec<char> = if keep {
                vec![character]
            } else {
                character.escape_default().collect()
            };
            shown
        })
        .collect()
}

/// The metals and years only one result has.
fn only_in_lines(text: &mut String, diff: &Diff) {
    let metals = &diff.metals_only_in;
    if !metals.a.is_empty() {
        let _ = writeln!(text, "metals only in A: {}", metals.a.join(", "));
    }
    if !metals.b.is_empty() {
        let _ = writeln!(text, "metals only in B: {}", metals.b.join(", "));
    }
    let years = |years: &[i32]| {
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
}

fn totals_section(text: &mut String, diff: &Diff) {
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
    let written = match table {
        DiffTable::Plan => plan_records(&mut writer, diff),
        DiffTable::ShadowPrices => price_records(&mut writer, diff),
        DiffTable::Totals => totals_records(&mut writer, diff),
    };
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

/// `both`, `added` or `removed`, as the CSV writes it.
fn presence_key(status: Presence) -> &'static str {
    match status {
        Presence::Both => "both",
        Presence::Added => "added",
        Presence::Removed => "removed",
    }
}

fn plan_records(writer: &mut csv::Writer<Vec<u8>>, diff: &Diff) -> csv::Result<()> {
    writer.write_record(["metal", "route", "year", "a", "b", "delta", "status"])?;
    for row in &diff.plan {
        writer.write_record([
            row.metal.clone(),
            row.route.clone(),
            row.year.to_string(),
            number(row.a),
            number(row.b),
            number(row.delta),
            presence_key(row.status).to_string(),
        ])?;
    }
    Ok(())
}

fn price_records(writer: &mut csv::Writer<Vec<u8>>, diff: &Diff) -> csv::Result<()> {
    writer.write_record(["row", "kind", "unit", "a", "b", "delta", "status"])?;
    for row in &diff.shadow_prices {
        writer.write_record([
            row.row.clone(),
            row.kind.to_string(),
            row.unit.clone(),
            number(row.a),
            number(row.b),
            number(row.delta),
            presence_key(row.status).to_string(),
        ])?;
    }
    Ok(())
}

fn totals_records(writer: &mut csv::Writer<Vec<u8>>, diff: &Diff) -> csv::Result<()> {
    writer.write_record(["year", "quantity", "a", "b", "delta", "status"])?;
    for row in &diff.totals {
        writer.write_record([
            row.year.to_string(),
            row.quantity.to_string(),
            number(row.a),
            number(row.b),
            number(row.delta),
            presence_key(row.status).to_string(),
        ])?;
    }
    Ok(())
}

/// Runs `metalplan diff`.
pub fn run(args: &DiffArgs) -> Result<ExitCode, Failure> {
    crate::refuse_overwriting_inputs(&[args.output.as_deref()], &[args.a.clone(), args.b.clone()])?;
    let diff = compare_files(&args.a, &args.b)?;
    let text = match args.format {
        Format::Table => Ok(tables(&diff)),
        Format::Json => serde_json::to_string_pretty(&diff)
            .map(|text| text + "\n")
            .map_err(|error| format!("cannot serialise the comparison as JSON: {error}")),
        Format::Csv => csv(&diff, args.table),
    };
    text.and_then(|text| output::write(args.output.as_deref(), &text))
        .map_err(Failure::Output)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod terminal_tests {
    #[test]
    fn control_characters_are_escaped_but_lines_kept() {
        assert_eq!(
            super::terminal_safe("a\u{1b}[31mb\nc\u{7}"),
            "a\\u{1b}[31mb\nc\\u{7}"
        );
    }
}

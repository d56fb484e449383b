//! Readable tables of a plan result for the terminal.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use metalplan_core::grouping::{GroupBy, GroupRow};
use metalplan_core::results::PluginReport;
use metalplan_core::results::RangingReport;
use metalplan_core::PlanResult;

use crate::format::{
    constraint_cells, import_cells, mt, objective_text, percent, price_text, sense_ascii, share_of,
    totals_cells, Cells,
};

/// All tables of a result: plan, shared capacities, targets, scenario constraints, totals and
/// the objective.
pub fn tables(result: &PlanResult) -> String {
    let mut text = header(result);
    section(&mut text, "Plan (Mt)", &plan_table(result));
    if !result.shared_capacity.is_empty() {
        section(
            &mut text,
            "Shared capacity (primary + recycled, Mt)",
            &shared_table(result),
        );
    }
    if !result.targets.is_empty() {
        section(&mut text, "Targets", &target_table(result));
    }
    if !result.constraints.is_empty() {
        section(
            &mut text,
            "Scenario constraints",
            &comfy(&constraint_cells(result)),
        );
    }
    soft_target_lines(&mut text, result);
    for plugin in &result.plugins {
        let heading = format!(
            "Plugin {} {} ({})",
            plugin.name, plugin.version, plugin.path
        );
        section(&mut text, &heading, &plugin_table(plugin));
        if !plugin.figures.is_empty() {
            section(
                &mut text,
                &format!("Figures from plugin {}", plugin.name),
                &figure_table(plugin),
            );
        }
    }
    section(&mut text, "Totals", &totals_table(result));
    section(
        &mut text,
        "Import dependence (imported feed / all feed)",
        &import_table(result),
    );
    for (heading, cells) in crate::market::sections(result) {
        section(&mut text, heading, &comfy(&cells));
    }
    if let Some(ranging) = &result.ranging {
        ranging_sections(&mut text, ranging);
    }
    let _ = writeln!(
        text,
        "Objective ({}): {}",
        result.objective_kind,
        objective_text(result.objective, &result.objective_unit)
    );
    text
}

/// The title, solver, objective, overlays and provenance lines.
fn header(result: &PlanResult) -> String {
    let mut text = String::new();
    let title = if result.scenario.is_empty() {
        "metalplan result"
    } else {
        &result.scenario
    };
    // Writing to a String cannot fail.
    let overlays = if result.overlays.is_empty() {
        String::new()
    } else {
        format!(", overlays: {}", result.overlays.join(", "))
    };
    let _ = writeln!(
        text,
        "{title}\nsolver: {}, objective: {}{overlays}",
        result.solver, result.objective_kind
    );
    if let Some(provenance) = &result.provenance {
        let _ = writeln!(
            text,
            "provenance: {}",
            crate::provenance::summary_line(provenance)
        );
    }
    let _ = writeln!(text);
    text
}

/// With soft targets: which targets and rules are missed, and by how much.
fn soft_target_lines(text: &mut String, result: &PlanResult) {
    let soft = result.targets.iter().any(|row| row.shortfall.is_some())
        || result.constraints.iter().any(|row| row.shortfall.is_some());
    if !soft {
        return;
    }
    let amount = |shortfall: f64, unit: &str| match unit {
        "fraction" => format!("{:.3} percentage points", shortfall * 100.0),
        unit => format!("{shortfall:.3} {unit}"),
    };
    let targets = result.targets.iter().filter_map(|row| {
        let shortfall = row.shortfall.filter(|&shortfall| shortfall > 0.0)?;
        let metal = row
            .metal
            .as_ref()
            .map(|metal| format!(" ({metal})"))
            .unwrap_or_default();
        Some(format!(
            "  {}{metal} missed by {} in {}",
            row.name.key(),
            amount(shortfall, &row.unit),
            row.year
        ))
    });
    let rules = result.constraints.iter().filter_map(|row| {
        let shortfall = row.shortfall.filter(|&shortfall| shortfall > 0.0)?;
        Some(format!(
            "  {} missed by {}",
            row.row,
            amount(shortfall, &row.unit)
        ))
    });
    let missed: Vec<String> = targets.chain(rules).collect();
    let _ = writeln!(text, "Soft targets (missed by as little as possible)");
    if missed.is_empty() {
        let _ = writeln!(text, "  every target is met\n");
    } else {
        let _ = writeln!(text, "{}\n", missed.join("\n"));
    }
}

fn section(text: &mut String, heading: &str, table: &Table) {
    let _ = writeln!(text, "{heading}\n{table}\n");
}

/// A table whose first `text_columns` columns are left-aligned and the rest, numbers, right.
pub(crate) fn new_table(header: &[&str], text_columns: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(header.iter().copied());
    for index in 0..header.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    for index in 0..text_columns {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Left);
        }
    }
    table
}

fn plan_table(result: &PlanResult) -> Table {
    let mut table = new_table(
        &[
            "metal", "route", "year", "output", "capacity", "used", "built",
        ],
        2,
    );
    for row in &result.plan {
        table.add_row(vec![
            row.metal.clone(),
            row.route.to_string(),
            row.year.to_string(),
            mt(row.output_mt),
            mt(row.capacity_mt),
            share_of(row.output_mt, row.capacity_mt),
            mt(row.built_mt),
        ]);
    }
    table
}

fn shared_table(result: &PlanResult) -> Table {
    let mut table = new_table(&["metal", "year", "output", "capacity", "used", "built"], 1);
    for row in &result.shared_capacity {
        table.add_row(vec![
            row.metal.clone(),
            row.year.to_string(),
            mt(row.output_mt),
            mt(row.capacity_mt),
            share_of(row.output_mt, row.capacity_mt),
            mt(row.built_mt),
        ]);
    }
    table
}

fn target_table(result: &PlanResult) -> Table {
    let mut table = new_table(
        &[
            "target",
            "metal",
            "year",
            "value",
            "bound",
            "binding",
            "shadow price",
        ],
        2,
    );
    for row in &result.targets {
        let sense = sense_ascii(row.sense);
        let format = |value: f64| match row.unit.as_str() {
            "fraction" => percent(value),
            unit => format!("{value:.3} {unit}"),
        };
        table.add_row(vec![
            crate::format::target_name(row),
            row.metal.clone().unwrap_or_default(),
            row.year.to_string(),
            format(row.value),
            format!("{sense} {}", format(row.bound)),
            if row.binding { "yes" } else { "no" }.to_string(),
            row.shadow_price
                .map(|price| price_text(price, &row.shadow_price_unit))
                .unwrap_or_default(),
        ]);
    }
    table
}

fn plugin_table(plugin: &PluginReport) -> Table {
    let mut table = new_table(&["constraint", "year", "value", "bound", "binding"], 1);
    for row in &plugin.constraints {
        table.add_row(vec![
            row.name.clone(),
            row.year.map(|year| year.to_string()).unwrap_or_default(),
            format!("{:.3}", row.value),
            format!("{} {:.3}", sense_ascii(row.sense), row.bound),
            if row.binding { "yes" } else { "no" }.to_string(),
        ]);
    }
    table
}

fn figure_table(plugin: &PluginReport) -> Table {
    let mut table = new_table(&["figure", "year", "value", "unit"], 1);
    for figure in &plugin.figures {
        table.add_row(vec![
            figure.name.clone(),
            figure.year.map(|year| year.to_string()).unwrap_or_default(),
            format!("{:.3}", figure.value),
            figure.unit.clone(),
        ]);
    }
    table
}

fn totals_table(result: &PlanResult) -> Table {
    comfy(&totals_cells(result))
}

fn import_table(result: &PlanResult) -> Table {
    comfy(&import_cells(result))
}

fn comfy(cells: &Cells) -> Table {
    let mut table = new_table(&cells.titles(), 1);
    for row in &cells.rows {
        table.add_row(row.clone());
    }
    table
}

/// The `--group-by` table: output, capacity, use and expansion per group and year.
pub fn grouped(rows: &[GroupRow], by: GroupBy) -> String {
    if rows.is_empty() {
        // Only grouping by facility can come out empty: the other groupings cover every route.
        return "Output by facility: the scenario has no facilities; every route is planned nationally.\n"
            .to_string();
    }
    let group = match by {
        GroupBy::Facility => "facility",
        GroupBy::Province => "province",
        GroupBy::Metal => "metal",
    };
    let mut table = new_table(
        &[
            group, "metal", "route", "year", "plants", "output", "capacity", "used", "built",
        ],
        3,
    );
    for row in rows {
        table.add_row(vec![
            row.group.clone(),
            row.metal.clone(),
            row.route.to_string(),
            row.year.to_string(),
            row.facilities.to_string(),
            mt(row.output_mt),
            mt(row.capacity_mt),
            share_of(row.output_mt, row.capacity_mt),
            mt(row.built_mt),
        ]);
    }
    let mut text = String::new();
    section(&mut text, &format!("Output by {group} (Mt)"), &table);
    text
}

/// `--ranging`: bound ranges of targets (and other limits), then cost ranges.
fn ranging_sections(text: &mut String, ranging: &RangingReport) {
    if !ranging.available {
        let _ = writeln!(
            text,
            "Ranging not available: {}\n",
            ranging.reason.as_deref().unwrap_or("no reason given")
        );
        return;
    }
    let limit =
        |value: Option<f64>| value.map_or_else(|| "-".to_string(), |value| format!("{value:.6}"));
    let mut bounds = new_table(&["row", "unit", "bound", "low", "high", "note"], 2);
    for row in &ranging.bounds {
        bounds.add_row(vec![
            row.row.clone(),
            row.unit.clone(),
            format!("{:.6}", row.value),
            limit(row.low),
            limit(row.high),
            row.note.clone().unwrap_or_default(),
        ]);
    }
    section(
        text,
        "Bound ranges (the basis, and so every shadow price, holds inside [low, high]; - is no limit)",
        &bounds,
    );
    let mut costs = new_table(&["variable", "cost CNY/t", "low", "high"], 1);
    for row in &ranging.costs {
        costs.add_row(vec![
            row.variable.clone(),
            format!("{:.2}", row.value),
            limit(row.low),
            limit(row.high),
        ]);
    }
    section(
        text,
        "Cost ranges (the plan stays optimal while one cost moves inside [low, high], undiscounted CNY/t)",
        &costs,
    );
}

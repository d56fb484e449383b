//! A summary of a solve for people who don't use the CLI (`solve --report FILE.md|FILE.html`):
//! the scenario, solver and objective, targets, plan, totals and plugins, with the chart.
//!
//! The report is first built as a small document (headings, paragraphs, facts, tables, the
//! chart), then written as Markdown or HTML by plain string building. The HTML is one
//! self-contained, well-formed file: inline CSS, the SVG chart inline, no scripts and nothing
//! fetched from the network. The Markdown links the chart, written next to it as
//! `<report-stem>.svg`.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::format::{
    constraint_cells, import_cells, mt, objective_text, percent, price_text, share_of,
    totals_cells, Cells,
};
use metalplan_core::results::PluginReport;
use metalplan_core::results::Sense;
use metalplan_core::PlanResult;

use crate::{chart, output};

/// What `--report` writes, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// `.md`: Markdown, with the chart beside it as `<stem>.svg`.
    Markdown,
    /// `.html`: self-contained HTML.
    Html,
}

impl ReportFormat {
    /// The format `file`'s extension chooses.
    pub fn of(file: &Path) -> Option<Self> {
        let extension = file.extension().and_then(OsStr::to_str)?;
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            "html" | "htm" => Some(Self::Html),
            _ => None,
        }
    }
}

/// `--chart` argument: a file ending in `.svg`.
pub fn chart_file(text: &str) -> Result<PathBuf, String> {
    let file = PathBuf::from(text);
    let is_svg = file
        .extension()
        .and_then(OsStr::to_str)
        .is_some_and(|extension| extension.eq_ignore_ascii_case("svg"));
    if is_svg {
        Ok(file)
    } else {
        Err(format!("`{text}` does not end in .svg (charts are SVG)"))
    }
}

/// `--report` argument: a file ending in `.md` or `.html` (also `.markdown`, `.htm`).
pub fn report_file(text: &str) -> Result<PathBuf, String> {
    let file = PathBuf::from(text);
    match ReportFormat::of(&file) {
        Some(_) => Ok(file),
        None => Err(format!(
            "`{text}` does not end in .md or .html (the extension chooses the report format)"
        )),
    }
}

/// Draws the chart and builds the report, then writes each file through `output::write`
/// (temporary file + rename). Nothing is written unless everything rendered.
pub fn write_chart_and_report(
    chart_file: Option<&Path>,
    report_file: Option<&Path>,
    description: &str,
    result: &PlanResult,
) -> Result<(), String> {
    if chart_file.is_none() && report_file.is_none() {
        return Ok(());
    }
    let svg = chart::svg(result)?;
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    if let Some(file) = chart_file {
        files.push((file.to_path_buf(), svg.clone()));
    }
    if let Some(file) = report_file {
        let document = document(result, description);
        match ReportFormat::of(file) {
            Some(ReportFormat::Html) => files.push((file.to_path_buf(), html(&document, &svg))),
            Some(ReportFormat::Markdown) => {
                let svg_file = file.with_extension("svg");
                let link = svg_file
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push((svg_file, svg.clone()));
                files.push((file.to_path_buf(), markdown(&document, &link)));
            }
            None => return Err(report_file_error(file)),
        }
    }
    for (file, text) in &files {
        output::write(Some(file), text)?;
    }
    Ok(())
}

fn report_file_error(file: &Path) -> String {
    format!(
        "{}: a report must end in .md or .html",
        file.to_string_lossy()
    )
}

// ---------------------------------------------------------------------------------------------
// The document

/// The report's content, independent of how it is written.
#[derive(Debug)]
struct Document {
    title: String,
    blocks: Vec<Block>,
}

#[derive(Debug)]
enum Block {
    /// Section heading: level 2 or 3.
    Heading(u8, String),
    Paragraph(String),
    /// Label: value pairs.
    Facts(Vec<(String, String)>),
    Table(Table),
    Chart,
}

#[derive(Debug)]
struct Table {
    /// HTML `id`, also what tests look for.
    id: String,
    header: Vec<String>,
    /// How each column is aligned.
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    /// Text.
    Left,
    /// Yes/no flags.
    Centre,
    /// Numbers.
    Right,
}

impl Table {
    /// A table whose first `text_columns` columns hold text and the rest numbers; a `binding`
    /// column holds flags and a `unit` column text.
    /// A table of shared cells (see `format::Cells`), its first column text.
    fn from_cells(id: &str, cells: Cells) -> Self {
        let mut table = Table::new(id, &cells.titles(), 1);
        table.rows = cells.rows;
        table
    }

    fn new(id: impl Into<String>, header: &[&str], text_columns: usize) -> Self {
        Self {
            id: id.into(),
            header: header.iter().map(ToString::to_string).collect(),
            align: header
                .iter()
                .enumerate()
                .map(|(column, &name)| match name {
                    "binding" => Align::Centre,
                    "unit" => Align::Left,
                    _ if column < text_columns => Align::Left,
                    _ => Align::Right,
                })
                .collect(),
            rows: Vec::new(),
        }
    }
}

const CHART_CAPTION: &str = "Primary and recycled output per metal and year (Mt), one panel per \
     metal with its own scale; the last panel shows the national recycled output that counts \
     toward the target, and the target.";

fn document(result: &PlanResult, description: &str) -> Document {
    let title = if result.scenario.is_empty() {
        "metalplan result".to_string()
    } else {
        result.scenario.clone()
    };
    let mut blocks = Vec::new();
    if !description.trim().is_empty() {
        blocks.push(Block::Paragraph(description.trim().to_string()));
    }
    blocks.push(Block::Facts(facts(result)));
    blocks.push(Block::Heading(2, "Output by metal and route".into()));
    blocks.push(Block::Chart);
    target_blocks(&mut blocks, result);
    plan_blocks(&mut blocks, result);
    if !result.plugins.is_empty() {
        blocks.push(Block::Heading(2, "Plugins".into()));
        blocks.push(Block::Paragraph(
            "Constraints and figures the scenario's plugins added, in the plugins' units. A \
             plugin constraint's shadow price is in CNY per unit of its bound (CNY per t for \
             bounds in Mt)."
                .into(),
        ));
        for plugin in &result.plugins {
            plugin_blocks(&mut blocks, plugin);
        }
    }
    provenance_blocks(&mut blocks, result);
    blocks.push(Block::Paragraph(format!(
        "Written by metalplan {}. Every plan is re-checked against each constraint and target \
         before it is reported.",
        result.metalplan_version
    )));
    Document { title, blocks }
}

/// The targets and the scenario's own constraints.
fn target_blocks(blocks: &mut Vec<Block>, result: &PlanResult) {
    if !result.targets.is_empty() {
        blocks.push(Block::Heading(2, "Targets".into()));
        blocks.push(Block::Paragraph(
            "A target binds when the plan sits exactly on its bound. The shadow price is how \
             much the optimal cost changes when the bound moves up by one unit; it is 0 for \
             targets that do not bind and shown only when the objective is cost."
                .into(),
        ));
        blocks.push(Block::Table(target_table(result)));
    }
    if !result.constraints.is_empty() {
        blocks.push(Block::Heading(2, "Scenario constraints".into()));
        blocks.push(Block::Paragraph(
            "Rules written in the scenario's [[constraints]], one row per rule and year. The \
             shadow price is per tonne of the bound, or per percentage point for a share rule."
                .into(),
        ));
        blocks.push(Block::Table(Table::from_cells(
            "constraints",
            constraint_cells(result),
        )));
    }
}

/// The plan, shared capacities, totals and import dependence.
fn plan_blocks(blocks: &mut Vec<Block>, result: &PlanResult) {
    blocks.push(Block::Heading(2, "Plan".into()));
    blocks.push(Block::Paragraph(
        "Output, capacity and new capacity per metal, route and year, in Mt (capacity in Mt \
         per year)."
            .into(),
    ));
    blocks.push(Block::Table(plan_table(result)));
    if !result.shared_capacity.is_empty() {
        blocks.push(Block::Heading(
            3,
            "Shared capacity (primary + recycled)".into(),
        ));
        blocks.push(Block::Table(shared_table(result)));
    }
    blocks.push(Block::Heading(2, "Totals".into()));
    blocks.push(Block::Table(totals_table(result)));
    blocks.push(Block::Heading(
        3,
        "Import dependence (imported feed / all feed)".into(),
    ));
    blocks.push(Block::Table(import_table(result)));
    for (index, (heading, cells)) in crate::market::sections(result).into_iter().enumerate() {
        blocks.push(Block::Heading(2, heading.into()));
        blocks.push(Block::Table(Table::from_cells(
            &format!("market-{index}"),
            cells,
        )));
    }
}

/// What produced the plan.
fn provenance_blocks(blocks: &mut Vec<Block>, result: &PlanResult) {
    let Some(provenance) = &result.provenance else {
        return;
    };
    blocks.push(Block::Heading(2, "Provenance".into()));
    blocks.push(Block::Paragraph(
        "What produced this plan: SHA-256 hashes of the input files, and of the scenario \
         after overlays in a canonical form that comments and layout do not change. \
         metalplan solve --replay on the JSON result re-runs these inputs."
            .into(),
    ));
    blocks.push(Block::Facts(
        crate::provenance::facts(provenance)
            .into_iter()
            .map(|(label, text)| (capitalised(&label), text))
            .collect(),
    ));
}

fn facts(result: &PlanResult) -> Vec<(String, String)> {
    let mut facts = vec![
        ("Solver".to_string(), result.solver.to_string()),
        (
            "Objective".to_string(),
            format!(
                "{}: {} over the planning years",
                objective_name(&result.objective_kind.to_string()),
                objective_text(result.objective, &result.objective_unit)
            ),
        ),
    ];
    if let (Some(first), Some(last)) = (result.totals.first(), result.totals.last()) {
        let years = if first.year == last.year {
            first.year.to_string()
        } else {
            format!("{}-{}", first.year, last.year)
        };
        facts.push((
            "Planning years".to_string(),
            format!("{years} (base year {})", result.base_year.year),
        ));
    }
    let binding: Vec<String> = result
        .targets
        .iter()
        // A missed soft target sits on its bound through its shortfall; it is listed as missed.
        .filter(|row| row.binding && !row.shortfall.is_some_and(|shortfall| shortfall > 0.0))
        .map(|row| target_label(row.name.key(), row.metal.as_deref(), row.year))
        .collect();
    facts.push((
        "Binding targets".to_string(),
        if binding.is_empty() {
            "none".to_string()
        } else {
            binding.join(", ")
        },
    ));
    if let Some(soft) = soft_target_fact(result) {
        facts.push(("Soft targets".to_string(), soft));
    }
    if !result.shocks.is_empty() {
        facts.push(("Supply shocks".to_string(), result.shocks.join(", ")));
    }
    if !result.overlays.is_empty() {
        facts.push(("Overlays".to_string(), result.overlays.join(", ")));
    }
    facts
}

fn capitalised(text: &str) -> String {
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(characters).collect()
    })
}

fn target_label(name: &str, metal: Option<&str>, year: i32) -> String {
    match metal {
        Some(metal) => format!("{name} ({metal}) {year}"),
        None => format!("{name} {year}"),
    }
}

fn objective_name(kind: &str) -> &str {
    match kind {
        "cost" => "least cost",
        "emissions" => "least CO2",
        "imports" => "least imported feed",
        "value_added" => "most value added",
        other => other,
    }
}

fn target_table(result: &PlanResult) -> Table {
    let soft = result.targets.iter().any(|row| row.shortfall.is_some());
    let mut header = vec![
        "target",
        "metal",
        "year",
        "value",
        "bound",
        "binding",
        "shadow price",
    ];
    if soft {
        header.push("shortfall");
    }
    let mut table = Table::new("targets", &header, 2);
    for row in &result.targets {
        let format = |value: f64| match row.unit.as_str() {
            "fraction" => percent(value),
            unit => format!("{value:.3} {unit}"),
        };
        let mut cells = vec![
            row.name.key().to_string(),
            row.metal.clone().unwrap_or_default(),
            row.year.to_string(),
            format(row.value),
            format!("{} {}", sense_text(row.sense), format(row.bound)),
            yes_no(row.binding),
            row.shadow_price
                .map(|price| price_text(price, &row.shadow_price_unit))
                .unwrap_or_default(),
        ];
        if soft {
            cells.push(row.shortfall.map(format).unwrap_or_default());
        }
        table.rows.push(cells);
    }
    table
}

fn plan_table(result: &PlanResult) -> Table {
    let mut table = Table::new(
        "plan",
        &[
            "metal",
            "route",
            "year",
            "output (Mt)",
            "capacity (Mt/yr)",
            "used",
            "built (Mt/yr)",
        ],
        2,
    );
    for row in &result.plan {
        table.rows.push(vec![
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
    let mut table = Table::new(
        "shared-capacity",
        &[
            "metal",
            "year",
            "output (Mt)",
            "capacity (Mt/yr)",
            "used",
            "built (Mt/yr)",
        ],
        1,
    );
    for row in &result.shared_capacity {
        table.rows.push(vec![
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

fn totals_table(result: &PlanResult) -> Table {
    Table::from_cells("totals", totals_cells(result))
}

fn import_table(result: &PlanResult) -> Table {
    Table::from_cells("import-dependence", import_cells(result))
}

/// With soft targets, which targets are missed and by how much.
fn soft_target_fact(result: &PlanResult) -> Option<String> {
    if !result.targets.iter().any(|row| row.shortfall.is_some()) {
        return None;
    }
    let missed: Vec<String> = result
        .targets
        .iter()
        .filter_map(|row| {
            let shortfall = row.shortfall.filter(|&shortfall| shortfall > 0.0)?;
            let amount = match row.unit.as_str() {
                "fraction" => format!("{:.3} percentage points", shortfall * 100.0),
                unit => format!("{shortfall:.3} {unit}"),
            };
            Some(format!(
                "{} by {amount}",
                target_label(row.name.key(), row.metal.as_deref(), row.year)
            ))
        })
        .collect();
    Some(if missed.is_empty() {
        "on (targets may be missed by as little as possible); every target is met".to_string()
    } else {
        format!(
            "on (targets may be missed by as little as possible); missed: {}",
            missed.join(", ")
        )
    })
}

fn plugin_constraint_table(plugin: &PluginReport) -> Table {
    let mut table = Table::new(
        format!("plugin-{}-constraints", plugin.name),
        &[
            "constraint",
            "year",
            "value",
            "bound",
            "binding",
            "shadow price",
        ],
        1,
    );
    for row in &plugin.constraints {
        table.rows.push(vec![
            row.name.clone(),
            row.year.map(|year| year.to_string()).unwrap_or_default(),
            format!("{:.3}", row.value),
            format!("{} {:.3}", sense_text(row.sense), row.bound),
            yes_no(row.binding),
            row.shadow_price
                .map(|price| format!("{price:.0}"))
                .unwrap_or_default(),
        ]);
    }
    table
}

fn plugin_blocks(blocks: &mut Vec<Block>, plugin: &PluginReport) {
    blocks.push(Block::Heading(
        3,
        format!("Plugin {} {}", plugin.name, plugin.version),
    ));
    blocks.push(Block::Paragraph(format!("Loaded from {}.", plugin.path)));
    if !plugin.constraints.is_empty() {
        blocks.push(Block::Table(plugin_constraint_table(plugin)));
    }
    if !plugin.figures.is_empty() {
        let mut table = Table::new(
            format!("plugin-{}-figures", plugin.name),
            &["figure", "year", "value", "unit"],
            1,
        );
        for figure in &plugin.figures {
            table.rows.push(vec![
                figure.name.clone(),
                figure.year.map(|year| year.to_string()).unwrap_or_default(),
                format!("{:.3}", figure.value),
                figure.unit.clone(),
            ]);
        }
        blocks.push(Block::Table(table));
    }
    if !plugin.variables.is_empty() {
        let mut table = Table::new(
            format!("plugin-{}-variables", plugin.name),
            &["variable", "value"],
            1,
        );
        for variable in &plugin.variables {
            table.rows.push(vec![
                variable.name.clone(),
                format!("{:.3}", variable.value),
            ]);
        }
        blocks.push(Block::Table(table));
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers in the planner's units (as in the terminal tables of render.rs)

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

fn sense_text(sense: Sense) -> &'static str {
    match sense {
        Sense::AtLeast => "\u{2265}",
        Sense::AtMost => "\u{2264}",
        Sense::Equal => "=",
    }
}

// ---------------------------------------------------------------------------------------------
// HTML

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
       color: #222; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.5rem; padding-bottom: 0.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
p { max-width: 62rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.25rem; margin: 1rem 0; }
dl.facts dt { font-weight: 600; color: #555; }
dl.facts dd { margin: 0; }
figure { margin: 0.5rem 0; }
figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
figcaption { color: #555; font-size: 0.9rem; margin-top: 0.3rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
th { background: #f3f4f6; border-bottom: 2px solid #ccc; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.flag, td.flag { text-align: center; }
td.yes { font-weight: 700; }
tbody tr:nth-child(even) { background: #fafafa; }
";

/// `text` with the five characters that HTML and XML give meaning escaped.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The report as one self-contained HTML file, also well-formed XML (every element closed).
fn html(document: &Document, svg: &str) -> String {
    let title = escape_html(&document.title);
    let mut page = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{title}</h1>\n"
    );
    for block in &document.blocks {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(page, "<h{level}>{}</h{level}>", escape_html(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(page, "<p>{}</p>", escape_html(text));
            }
            Block::Facts(facts) => {
                page.push_str("<dl class=\"facts\">\n");
                for (label, value) in facts {
                    let _ = writeln!(
                        page,
                        "<dt>{}</dt><dd>{}</dd>",
                        escape_html(label),
                        escape_html(value)
                    );
                }
                page.push_str("</dl>\n");
            }
            Block::Table(table) => html_table(&mut page, table),
            Block::Chart => {
                let _ = writeln!(
                    page,
                    "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                    inline_svg(svg),
                    escape_html(CHART_CAPTION)
                );
            }
        }
    }
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// The SVG document as an element to place inside HTML: without an XML declaration.
fn inline_svg(svg: &str) -> &str {
    let svg = svg.trim();
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest
            .find("?>")
            .map_or(svg, |end| rest[end + 2..].trim_start()),
        None => svg,
    }
}

fn html_table(page: &mut String, table: &Table) {
    let class = |column: usize| match table.align.get(column) {
        Some(Align::Right) => " class=\"num\"",
        Some(Align::Centre) => " class=\"flag\"",
        Some(Align::Left) | None => "",
    };
    let _ = writeln!(
        page,
        "<div class=\"table-wrap\">\n<table id=\"{}\">\n<thead>\n<tr>",
        escape_html(&table.id)
    );
    for (column, name) in table.header.iter().enumerate() {
        let _ = write!(page, "<th{}>{}</th>", class(column), escape_html(name));
    }
    page.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        page.push_str("<tr>");
        for (column, cell) in row.iter().enumerate() {
            let class = if table.align.get(column) == Some(&Align::Centre) && cell == "yes" {
                " class=\"flag yes\""
            } else {
                class(column)
            };
            let _ = write!(page, "<td{class}>{}</td>", escape_html(cell));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</div>\n");
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// `text` safe in Markdown running text and table cells: characters that start markup are
/// backslash-escaped, and line breaks inside a cell become spaces. Underscores inside a word
/// (`other_ten_metals`) cannot start emphasis and stay as they are.
fn escape_markdown(text: &str, in_table: bool) -> String {
    let characters: Vec<char> = text.chars().collect();
    let mut escaped = String::with_capacity(text.len());
    for (index, &character) in characters.iter().enumerate() {
        match character {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' => {
                escaped.push('\\');
                escaped.push(character);
            }
            '_' => {
                let word = |position: Option<usize>| {
                    position
                        .and_then(|position| characters.get(position))
                        .is_some_and(|neighbour| neighbour.is_alphanumeric())
                };
                if !(word(index.checked_sub(1)) && word(Some(index + 1))) {
                    escaped.push('\\');
                }
                escaped.push('_');
            }
            '\n' | '\r' if in_table => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// A relative link target that survives spaces and parentheses in the file name.
fn markdown_link(file_name: &str) -> String {
    let mut link = String::with_capacity(file_name.len());
    for character in file_name.chars() {
        match character {
            ' ' => link.push_str("%20"),
            '(' => link.push_str("%28"),
            ')' => link.push_str("%29"),
            '<' => link.push_str("%3C"),
            '>' => link.push_str("%3E"),
            other => link.push(other),
        }
    }
    link
}

/// The report as Markdown (`CommonMark` with GitHub tables), linking the chart at `svg_link`.
fn markdown(document: &Document, svg_link: &str) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "# {}\n", escape_markdown(&document.title, false));
    for block in &document.blocks {
        match block {
            Block::Heading(level, heading) => {
                let marks = "#".repeat(usize::from(*level));
                let _ = writeln!(text, "{marks} {}\n", escape_markdown(heading, false));
            }
            Block::Paragraph(paragraph) => {
                let _ = writeln!(text, "{}\n", escape_markdown(paragraph, false));
            }
            Block::Facts(facts) => {
                for (label, value) in facts {
                    let _ = writeln!(
                        text,
                        "- **{}:** {}",
                        escape_markdown(label, true),
                        escape_markdown(value, true)
                    );
                }
                text.push('\n');
            }
            Block::Table(table) => markdown_table(&mut text, table),
            Block::Chart => {
                let _ = writeln!(
                    text,
                    "![{}]({})\n\n{}\n",
                    escape_markdown("Output by metal and route", true),
                    markdown_link(svg_link),
                    escape_markdown(CHART_CAPTION, false)
                );
            }
        }
    }
    text
}

fn markdown_table(text: &mut String, table: &Table) {
    let row_text = |cells: &[String]| {
        let cells: Vec<String> = cells
            .iter()
            .map(|cell| escape_markdown(cell, true))
            .collect();
        format!("| {} |\n", cells.join(" | "))
    };
    text.push_str(&row_text(&table.header));
    let rule: Vec<&str> = table
        .align
        .iter()
        .map(|align| match align {
            Align::Left => "---",
            Align::Centre => ":---:",
            Align::Right => "---:",
        })
        .collect();
    let _ = writeln!(text, "|{}|", rule.join("|"));
    for row in &table.rows {
        text.push_str(&row_text(row));
    }
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::{escape_html, escape_markdown, inline_svg, markdown_link, report_file};

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn markdown_escapes_markup_but_not_names() {
        assert_eq!(
            escape_markdown("other_ten_metals", true),
            "other_ten_metals"
        );
        assert_eq!(escape_markdown("_em_ a|b", true), r"\_em\_ a\|b");
        assert_eq!(escape_markdown("line\nbreak", true), "line break");
        assert_eq!(escape_markdown("[x](y) *z*", false), r"\[x\](y) \*z\*");
    }

    #[test]
    fn links_survive_spaces_and_parentheses() {
        assert_eq!(
            markdown_link("my plan (v2).svg"),
            "my%20plan%20%28v2%29.svg"
        );
    }

    #[test]
    fn inline_svg_drops_the_xml_declaration() {
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(inline_svg("<svg/>\n"), "<svg/>");
    }

    #[test]
    fn report_format_follows_the_extension() {
        assert!(report_file("out/report.md").is_ok());
        assert!(report_file("report.HTML").is_ok());
        assert!(report_file("report.pdf").is_err());
        assert!(report_file("report").is_err());
    }
}

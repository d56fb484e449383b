//! `solve --chart FILE.svg` and `solve --report FILE.md|FILE.html`: the SVG and the HTML parse
//! as XML; the chart has its axis titles, a panel per metal, the legend and the recycled-output
//! target line at the bound's height; the reports carry the numbers of the JSON result written
//! by the same run; nothing is written when the solve fails.
//!
//! The numbers are read back from the files and compared with the JSON result, within the
//! rounding of what is shown, never with a copy of the report's own formatting.

use crate::common;

use std::path::{Path, PathBuf};

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::Value as Json;

/// The target line's colour in the chart (`chart::TARGET_COLOUR`).
const TARGET_STROKE: &str = "#B01C2E";

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Solves `scenario` with `extra` arguments and the full result written to `dir/result.json`;
/// returns that result.
fn solve(scenario: &Path, dir: &Path, extra: &[&str]) -> Json {
    let result_file = dir.join("result.json");
    let mut args = vec![
        "solve",
        path_arg(scenario),
        "--format",
        "json",
        "-o",
        path_arg(&result_file),
    ];
    args.extend_from_slice(extra);
    common::metalplan(&args).expect_no_panic().expect_code(0);
    let text = std::fs::read_to_string(&result_file).expect("the JSON result is written");
    serde_json::from_str(&text).expect("the JSON result parses")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Parses `text` as XML, allowing the HTML doctype.
fn parse(text: &str) -> Document<'_> {
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options)
        .unwrap_or_else(|error| panic!("not well-formed: {error}"))
}

/// The trimmed text of every `<text>` element of an SVG.
fn svg_texts(svg: Node<'_, '_>) -> Vec<String> {
    svg.descendants()
        .filter(|node| node.has_tag_name("text"))
        .map(|node| {
            node.descendants()
                .filter(Node::is_text)
                .filter_map(|child| child.text())
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// The number a label starts with: `"20.2 Mt"` -> 20.2, `"1.50 %"` -> 1.5.
fn leading_number(text: &str) -> Option<f64> {
    let number: String = text
        .trim()
        .chars()
        .take_while(|character| character.is_ascii_digit() || matches!(character, '.' | '-'))
        .collect();
    number.parse().ok()
}

/// Whether a shown number (three significant digits or a fixed number of decimals) is `value`.
fn shows(shown: f64, value: f64) -> bool {
    (shown - value).abs() <= 0.006 * value.abs().max(0.01)
}

fn numbers(json: &Json, table: &str, field: &str) -> Vec<f64> {
    json[table]
        .as_array()
        .unwrap_or_else(|| panic!("result has no `{table}`"))
        .iter()
        .map(|row| row[field].as_f64().expect("a number"))
        .collect()
}

fn metals(result: &Json) -> Vec<String> {
    let mut metals: Vec<String> = Vec::new();
    for row in result["plan"].as_array().expect("plan rows") {
        let metal = row["metal"].as_str().expect("a metal name").to_string();
        if !metals.contains(&metal) {
            metals.push(metal);
        }
    }
    metals
}

/// `recycled_output_min` rows: (year, bound).
fn recycled_targets(result: &Json) -> Vec<(i64, f64)> {
    result["targets"]
        .as_array()
        .expect("target rows")
        .iter()
        .filter(|row| row["name"] == "recycled_output_min")
        .map(|row| {
            (
                row["year"].as_i64().expect("a year"),
                row["bound"].as_f64().expect("a bound"),
            )
        })
        .collect()
}

fn points(polyline: Node<'_, '_>) -> Vec<(f64, f64)> {
    polyline
        .attribute("points")
        .expect("a polyline has points")
        .split_whitespace()
        .map(|point| {
            let (x, y) = point.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}

fn attribute(node: Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("<{}> has no numeric {name}", node.tag_name().name()))
}

/// Checks the chart: well-formed, axis titles, one panel title per metal, the legend, a label
/// per bar with the plan's output, and the target line at the bound's height against the
/// national bars.
fn assert_chart(svg_text: &str, result: &Json) {
    let document = parse(svg_text);
    let svg = document.root_element();
    assert!(svg.has_tag_name("svg"), "the root element is <svg>");
    let texts = svg_texts(svg);
    let has_text = |wanted: &str| texts.iter().any(|text| text == wanted);
    for title in ["Output (Mt)", "Year"] {
        assert!(has_text(title), "axis title {title:?} in {texts:?}");
    }
    let scenario = result["scenario"].as_str().expect("a scenario name");
    assert!(has_text(scenario), "the title names the scenario");
    for metal in metals(result) {
        assert!(has_text(&metal), "a panel titled {metal:?}");
    }
    for legend in [
        "Primary output (from ore and concentrate)",
        "Recycled output (from scrap)",
    ] {
        assert!(has_text(legend), "legend entry {legend:?}");
    }
    let labels: Vec<f64> = texts
        .iter()
        .filter_map(|text| leading_number(text))
        .collect();
    for output in numbers(result, "plan", "output_mt") {
        assert!(
            labels.iter().any(|&label| shows(label, output)),
            "a bar labelled with {output} among {labels:?}"
        );
    }
    for total in numbers(result, "totals", "recycled_mt") {
        assert!(
            texts
                .iter()
                .filter(|text| text.ends_with(" Mt"))
                .filter_map(|text| leading_number(text))
                .any(|label| shows(label, total)),
            "the recycled total {total} is labelled"
        );
    }
    assert_target_line(svg, &texts, result);
}

/// The recycled-output target: in the legend, labelled per year, and drawn as a red step per
/// year at the bound's height on the scale of the national bars.
fn assert_target_line(svg: Node<'_, '_>, texts: &[String], result: &Json) {
    let has_text = |wanted: &str| texts.iter().any(|text| text == wanted);
    let targets = recycled_targets(result);
    assert!(
        !targets.is_empty(),
        "the scenario has a recycled-output target"
    );
    assert!(
        has_text("National recycled-output target (last panel)"),
        "legend entry for the target"
    );
    for &(year, bound) in &targets {
        assert!(
            texts
                .iter()
                .filter_map(|text| text.strip_prefix("target \u{2265} "))
                .filter_map(leading_number)
                .any(|label| shows(label, bound)),
            "the {year} target {bound} is labelled"
        );
    }
    // The target line: the red polyline with a flat step per target year (the legend's sample
    // has two points too, but lies in the header, above every bar).
    let lines: Vec<Vec<(f64, f64)>> = svg
        .descendants()
        .filter(|node| node.has_tag_name("polyline"))
        .filter(|node| node.attribute("stroke") == Some(TARGET_STROKE))
        .map(points)
        .collect();
    let steps: Vec<(f64, f64, f64)> = lines
        .iter()
        .filter(|line| line.len() >= 2 && line.len() % 2 == 0)
        .flat_map(|line| line.chunks(2).map(|pair| (pair[0].0, pair[1].0, pair[0].1)))
        .collect();
    // The national bars: recycled-coloured rectangles under a target step.
    let bars: Vec<(f64, f64, f64)> = svg
        .descendants()
        .filter(|node| node.has_tag_name("rect"))
        .map(|node| {
            let x = attribute(node, "x");
            let y = attribute(node, "y");
            (
                x + attribute(node, "width") / 2.0,
                y,
                y + attribute(node, "height"),
            )
        })
        .collect();
    let totals = result["totals"].as_array().expect("totals");
    for &(year, bound) in &targets {
        let achieved = totals
            .iter()
            .find(|row| row["year"] == year)
            .and_then(|row| row["recycled_mt"].as_f64())
            .expect("a totals row for every target year");
        // Steps and bars go left to right in year order; find this year's step by its bar.
        let matched = steps.iter().find_map(|&(left, right, line_y)| {
            bars.iter()
                .filter(|&&(centre, top, bottom)| {
                    left < centre && centre < right && bottom > top && (bottom - top) > 1.0
                })
                .find(|&&(_, top, bottom)| {
                    // The bar whose height, scaled, puts the bound at the line.
                    let expected = bottom - (bottom - top) * bound / achieved;
                    (expected - line_y).abs() <= 1.5
                })
                .map(|_| line_y)
        });
        assert!(
            matched.is_some(),
            "a target step at {bound} Mt over the {year} bar of {achieved} Mt; steps {steps:?}"
        );
    }
}

#[test]
fn china_chart_has_axes_panels_legend_and_the_target_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let chart = dir.path().join("china.svg");
    let result = solve(
        &common::china_scenario(),
        dir.path(),
        &["--chart", path_arg(&chart)],
    );
    assert_chart(&read(&chart), &result);
}

const CONSUMPTION_LEGEND: &str =
    "Consumption (metals with demand; the gap to output is filled by trade and stocks)";

#[test]
fn the_market_chart_marks_each_metals_consumption_above_its_output() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let chart = dir.path().join("market.svg");
    let result = solve(
        &common::china_market_scenario(),
        dir.path(),
        &["--objective", "welfare", "--chart", path_arg(&chart)],
    );
    let svg_text = read(&chart);
    assert_chart(&svg_text, &result);
    let document = parse(&svg_text);
    let texts = svg_texts(document.root_element());
    assert!(texts.iter().any(|text| text == CONSUMPTION_LEGEND));
    let labels: Vec<f64> = texts
        .iter()
        .filter_map(|text| text.strip_prefix("use "))
        .filter_map(leading_number)
        .collect();
    let demand = result["demand"].as_array().expect("demand rows");
    assert_eq!(labels.len(), demand.len(), "one step per metal and year");
    for row in demand {
        let consumption = row["consumption_mt"].as_f64().expect("a number");
        assert!(
            labels.iter().any(|&label| shows(label, consumption)),
            "a step labelled with {consumption} among {labels:?}"
        );
    }
    // Without demand, no consumption legend (the frozen China scenario).
    let plain = dir.path().join("plain.svg");
    solve(
        &common::china_scenario(),
        dir.path(),
        &["--chart", path_arg(&plain)],
    );
    let plain_texts = svg_texts(parse(&read(&plain)).root_element());
    assert!(!plain_texts.iter().any(|text| text == CONSUMPTION_LEGEND));
}

#[test]
fn a_target_set_for_some_years_only_is_drawn_for_those_years() {
    // builds-and-caps sets the recycled floor for 2026 and 2027, not 2025, over three years.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let chart = dir.path().join("chart.svg");
    let result = solve(
        &common::data_file("builds-and-caps.toml"),
        dir.path(),
        &["--chart", path_arg(&chart)],
    );
    assert_eq!(recycled_targets(&result).len(), 2);
    assert_chart(&read(&chart), &result);
}

/// The cells of each body row of the table with `id`.
fn table_rows(document: &Document<'_>, id: &str) -> Vec<Vec<String>> {
    let table = document
        .descendants()
        .find(|node| node.has_tag_name("table") && node.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no table with id {id:?}"));
    table
        .descendants()
        .filter(|node| node.has_tag_name("tbody"))
        .flat_map(|body| body.children().filter(|node| node.has_tag_name("tr")))
        .map(|row| {
            row.children()
                .filter(|node| node.has_tag_name("td"))
                .map(|cell| cell.text().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

fn header(document: &Document<'_>, id: &str) -> Vec<String> {
    let table = document
        .descendants()
        .find(|node| node.has_tag_name("table") && node.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no table with id {id:?}"));
    table
        .descendants()
        .filter(|node| node.has_tag_name("th"))
        .map(|cell| cell.text().unwrap_or_default().to_string())
        .collect()
}

/// A shown target value or bound in the result's unit: "20.203 Mt", "1.50 %" (a fraction
/// shown as percent), with a leading sense sign for bounds.
fn shown_in_unit(cell: &str, unit: &str) -> f64 {
    let number = cell.trim_start_matches(['\u{2265}', '\u{2264}', '=', ' ']);
    let value = leading_number(number).unwrap_or_else(|| panic!("no number in {cell:?}"));
    if unit == "fraction" {
        assert!(cell.ends_with('%'), "{cell:?} is a percentage");
        value / 100.0
    } else {
        assert!(cell.ends_with(unit), "{cell:?} is in {unit}");
        value
    }
}

/// Every target row of the result is a row of the report's targets table, in order, with its
/// value, bound and binding, and shortfall when soft targets are on.
fn assert_targets_table(document: &Document<'_>, result: &Json) {
    let rows = table_rows(document, "targets");
    let targets = result["targets"].as_array().expect("target rows");
    assert_eq!(rows.len(), targets.len(), "one row per target row");
    let columns = header(document, "targets");
    let column = |name: &str| {
        columns
            .iter()
            .position(|column| column == name)
            .unwrap_or_else(|| panic!("a {name:?} column in {columns:?}"))
    };
    for (row, target) in rows.iter().zip(targets) {
        let unit = target["unit"].as_str().expect("a unit");
        let what = format!("{row:?} against {target}");
        assert_eq!(
            row[column("target")],
            target["name"].as_str().unwrap(),
            "{what}"
        );
        assert_eq!(
            row[column("metal")],
            target["metal"].as_str().unwrap_or_default(),
            "{what}"
        );
        assert_eq!(row[column("year")], target["year"].to_string(), "{what}");
        let value = target["value"].as_f64().unwrap();
        let bound = target["bound"].as_f64().unwrap();
        // Mt with three decimals, percent with two: within half a unit of the last digit.
        let rounding = if unit == "fraction" { 0.5e-4 } else { 0.5e-3 };
        assert!(
            (shown_in_unit(&row[column("value")], unit) - value).abs() <= rounding + 1e-12,
            "value: {what}"
        );
        assert!(
            (shown_in_unit(&row[column("bound")], unit) - bound).abs() <= rounding + 1e-12,
            "bound: {what}"
        );
        let binding = if target["binding"] == true {
            "yes"
        } else {
            "no"
        };
        assert_eq!(row[column("binding")], binding, "binding: {what}");
        assert_eq!(
            row[column("shadow price")].is_empty(),
            target["shadow_price"].is_null(),
            "shadow price shown when the result has one: {what}"
        );
        if let Some(shortfall) = target["shortfall"].as_f64() {
            assert!(
                (shown_in_unit(&row[column("shortfall")], unit) - shortfall).abs()
                    <= rounding + 1e-12,
                "shortfall: {what}"
            );
        }
    }
}

#[test]
fn html_report_is_well_formed_self_contained_and_carries_the_result() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("china.html");
    let result = solve(
        &common::china_scenario(),
        dir.path(),
        &["--report", path_arg(&report)],
    );
    let html = read(&report);
    let document = parse(&html);
    let root = document.root_element();
    assert!(root.has_tag_name("html"));

    // Self-contained: no scripts, nothing loaded from elsewhere.
    for node in root.descendants().filter(Node::is_element) {
        let tag = node.tag_name().name();
        assert!(
            !matches!(tag, "script" | "link" | "iframe" | "img"),
            "<{tag}> in a self-contained report"
        );
        for attribute in node.attributes() {
            assert!(
                !attribute.value().contains("://") || attribute.name() == "xmlns",
                "<{tag} {}={:?}> points elsewhere",
                attribute.name(),
                attribute.value()
            );
        }
    }

    // Scenario name and description, from the scenario file itself.
    let scenario: toml::Value =
        toml::from_str(&read(&common::china_scenario())).expect("the scenario parses");
    let name = scenario["name"].as_str().expect("a name");
    let description = scenario["description"].as_str().expect("a description");
    let texts: Vec<String> = root
        .descendants()
        .filter_map(|node| node.text())
        .map(str::to_string)
        .collect();
    let title = root
        .descendants()
        .find(|node| node.has_tag_name("h1"))
        .and_then(|node| node.text());
    assert_eq!(title, Some(name));
    assert!(
        texts.iter().any(|text| text == description),
        "the description"
    );
    assert!(
        texts.iter().any(|text| text == "highs"),
        "the solver is named"
    );

    assert_targets_table(&document, &result);
    let plan = table_rows(&document, "plan");
    assert_eq!(plan.len(), result["plan"].as_array().unwrap().len());
    for (row, planned) in plan.iter().zip(result["plan"].as_array().unwrap()) {
        assert_eq!(row[0], planned["metal"].as_str().unwrap());
        assert_eq!(row[1], planned["route"].as_str().unwrap());
        let output: f64 = row[3].parse().expect("output in Mt");
        assert!((output - planned["output_mt"].as_f64().unwrap()).abs() <= 0.5e-3 + 1e-12);
    }
    let totals = table_rows(&document, "totals");
    assert_eq!(
        totals.len(),
        result["totals"].as_array().unwrap().len() + 1,
        "base year and one row per planning year"
    );
    for plugin in result["plugins"].as_array().expect("plugins") {
        let name = plugin["name"].as_str().unwrap();
        let constraints = table_rows(&document, &format!("plugin-{name}-constraints"));
        assert_eq!(
            constraints.len(),
            plugin["constraints"].as_array().unwrap().len(),
            "plugin {name} constraints"
        );
        let figures = table_rows(&document, &format!("plugin-{name}-figures"));
        assert_eq!(
            figures.len(),
            plugin["figures"].as_array().unwrap().len(),
            "plugin {name} figures"
        );
    }

    // The chart, inline.
    let figure = root
        .descendants()
        .find(|node| node.has_tag_name("figure"))
        .expect("a figure");
    let svg = figure
        .children()
        .find(|node| node.has_tag_name("svg"))
        .expect("the chart inline in the figure");
    let chart_texts = svg_texts(svg);
    for metal in metals(&result) {
        assert!(
            chart_texts.contains(&metal),
            "the chart has a {metal} panel"
        );
    }
}

#[test]
fn markdown_report_links_the_chart_written_beside_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // A space in the name: the link must still find the file.
    let report = dir.path().join("china plan.md");
    let result = solve(
        &common::china_scenario(),
        dir.path(),
        &["--report", path_arg(&report)],
    );
    let markdown = read(&report);
    assert!(markdown.starts_with(&format!("# {}\n", result["scenario"].as_str().unwrap())));
    let link = markdown
        .split("![")
        .nth(1)
        .and_then(|rest| rest.split_once("](")?.1.split_once(')'))
        .map(|(target, _)| target.replace("%20", " "))
        .expect("an image link");
    assert_eq!(link, "china plan.svg", "the chart is <report-stem>.svg");
    let chart: PathBuf = dir.path().join(&link);
    assert_chart(&read(&chart), &result);
    for target in result["targets"].as_array().unwrap() {
        let start = format!(
            "| {} | {} | {} |",
            target["name"].as_str().unwrap(),
            target["metal"].as_str().unwrap_or_default(),
            target["year"]
        );
        assert!(
            markdown.lines().any(|line| line.starts_with(&start)),
            "a targets row starting {start:?}"
        );
    }
}

#[test]
fn soft_targets_show_the_shortfall_in_chart_and_report() {
    // The recycled floor (7 Mt) is above all scrap: with soft targets it is missed.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let report = dir.path().join("soft.html");
    let chart = dir.path().join("soft.svg");
    let result = solve(
        &common::data_file("infeasible-recycled-floor.toml"),
        dir.path(),
        &[
            "--soft-targets",
            "--report",
            path_arg(&report),
            "--chart",
            path_arg(&chart),
        ],
    );
    let shortfall = result["targets"][0]["shortfall"]
        .as_f64()
        .expect("a shortfall");
    assert!(shortfall > 0.0, "the floor is missed");
    let html = read(&report);
    let document = parse(&html);
    assert!(header(&document, "targets").contains(&"shortfall".to_string()));
    assert_targets_table(&document, &result);
    assert_chart(&read(&chart), &result);
}

#[test]
fn names_with_markup_are_escaped() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let name = r#"Copper & zinc <2025> "plan" 'a' x"#;
    let text = read(&common::data_file("two-metals.toml")).replacen(
        "name = \"two metals\"",
        &format!("name = '''{name}'''\ndescription = \"</p><script>x</script>\""),
        1,
    );
    let scenario = dir.path().join("markup.toml");
    std::fs::write(&scenario, text).expect("the scenario is written");
    let report = dir.path().join("markup.html");
    let chart = dir.path().join("markup.svg");
    let result = solve(
        &scenario,
        dir.path(),
        &["--report", path_arg(&report), "--chart", path_arg(&chart)],
    );
    assert_eq!(result["scenario"], name);
    let html = read(&report);
    let document = parse(&html);
    assert!(
        !document
            .descendants()
            .any(|node| node.has_tag_name("script")),
        "the description stays text"
    );
    let title = document
        .descendants()
        .find(|node| node.has_tag_name("h1"))
        .and_then(|node| node.text());
    assert_eq!(title, Some(name));
    let svg = read(&chart);
    assert!(svg_texts(parse(&svg).root_element()).contains(&name.to_string()));
}

#[test]
fn nothing_is_written_when_the_solve_fails() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let chart = dir.path().join("chart.svg");
    let report = dir.path().join("report.md");
    std::fs::write(&chart, "an older chart").expect("a file to keep");
    common::metalplan([
        "solve",
        path_arg(&common::data_file("infeasible-recycled-floor.toml")),
        "--chart",
        path_arg(&chart),
        "--report",
        path_arg(&report),
    ])
    .expect_no_panic()
    .expect_code(2);
    assert_eq!(
        read(&chart),
        "an older chart",
        "the old chart is left alone"
    );
    assert!(!report.exists(), "no report for an infeasible scenario");
    assert!(!dir.path().join("report.svg").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the directory lists")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");
}

#[test]
fn chart_and_report_files_need_a_known_extension() {
    for (flag, file, says) in [
        ("--chart", "chart.png", ".svg"),
        ("--report", "report.pdf", ".md or .html"),
    ] {
        let run = common::metalplan(["solve", path_arg(&common::china_scenario()), flag, file]);
        run.expect_no_panic().expect_code(1);
        assert!(run.stderr.contains(says), "{flag} {file}: {}", run.stderr);
        assert!(!Path::new(file).exists());
    }
}

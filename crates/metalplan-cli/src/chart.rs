//! The plan as an SVG chart (`solve --chart`, and the chart in `--report`): primary and recycled
//! output per metal and year, one small panel per metal (with the metal's consumption as a dark
//! step where it has demand: the gap to output is what trade and stocks fill), and a last panel
//! with the national recycled output against its target.
//!
//! Small multiples rather than one stacked chart: the metals differ by two orders of magnitude
//! (aluminium tens of Mt, lithium a tenth of one), so each panel has its own scale and every
//! bar carries its value. plotters' SVG backend keeps text as `<text>`, so no font files are
//! read; the viewer's sans-serif font draws it.

use std::error::Error;

use metalplan_core::results::TargetKind;
use metalplan_core::scenario::{Route, Year};
use metalplan_core::PlanResult;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Primary output bars (blue and orange tell apart for colour-blind readers too).
pub const PRIMARY_COLOUR: RGBColor = RGBColor(0x3a, 0x6e, 0xa5);
/// Recycled output bars.
pub const RECYCLED_COLOUR: RGBColor = RGBColor(0xe0, 0x8a, 0x2c);
/// The national recycled-output target line and its markers.
pub const TARGET_COLOUR: RGBColor = RGBColor(0xb0, 0x1c, 0x2e);
/// A metal's consumption step (metals with demand).
pub const CONSUMPTION_COLOUR: RGBColor = RGBColor(0x1b, 0x1b, 0x1b);
const TEXT_COLOUR: RGBColor = RGBColor(0x22, 0x22, 0x22);
const MUTED_COLOUR: RGBColor = RGBColor(0x5a, 0x5a, 0x5a);
const GRID_COLOUR: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);

const FONT: &str = "sans-serif";
const WIDTH: u32 = 1200;
const COLUMNS: usize = 4;
const HEADER_HEIGHT: u32 = 118;
/// The header with the second legend line (consumption).
const HEADER_HEIGHT_WITH_DEMAND: u32 = 140;
const PANEL_HEIGHT: u32 = 310;
/// Half the width of a year's slot taken by its bars, in years.
const GROUP_HALF_WIDTH: f64 = 0.4;

type Drawn = Result<(), Box<dyn Error>>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
type Chart<'a> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart of `result` as a standalone SVG document.
pub fn svg(result: &PlanResult) -> Result<String, String> {
    let metals = metals(result);
    let rows = (metals.len() + 1).div_ceil(COLUMNS);
    let height = header_height(result) + PANEL_HEIGHT * rows as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        draw(&root, result, &metals, rows)
            .and_then(|()| root.present().map_err(Into::into))
            .map_err(|error| format!("cannot draw the chart: {error}"))?;
    }
    Ok(svg)
}

fn draw(root: &Area, result: &PlanResult, metals: &[&str], rows: usize) -> Drawn {
    root.fill(&WHITE)?;
    let (header, body) = root.split_vertically(header_height(result));
    let targets = recycled_targets(result);
    draw_header(
        &header,
        result,
        !targets.is_empty(),
        !result.demand.is_empty(),
    )?;
    let years: Vec<Year> = result.totals.iter().map(|row| row.year).collect();
    let panels = body.split_evenly((rows, COLUMNS));
    for (panel, metal) in panels.iter().zip(metals) {
        metal_panel(panel, result, metal, &years)?;
    }
    if let Some(panel) = panels.get(metals.len()) {
        national_panel(panel, result, &years, &targets)?;
    }
    Ok(())
}

fn header_height(result: &PlanResult) -> u32 {
    if result.demand.is_empty() {
        HEADER_HEIGHT
    } else {
        HEADER_HEIGHT_WITH_DEMAND
    }
}

/// Metals in scenario order (the order of the plan rows).
fn metals(result: &PlanResult) -> Vec<&str> {
    let mut metals: Vec<&str> = Vec::new();
    for row in &result.plan {
        if !metals.contains(&row.metal.as_str()) {
            metals.push(&row.metal);
        }
    }
    metals
}

/// The `recycled_output_min` bound per year, in year order.
fn recycled_targets(result: &PlanResult) -> Vec<(Year, f64)> {
    result
        .targets
        .iter()
        .filter(|row| row.name == TargetKind::RecycledOutputMin)
        .map(|row| (row.year, row.bound))
        .collect()
}

fn font(size: u32) -> TextStyle<'static> {
    font_with(size, FontStyle::Normal)
}

fn bold(size: u32) -> TextStyle<'static> {
    font_with(size, FontStyle::Bold)
}

fn font_with(size: u32, style: FontStyle) -> TextStyle<'static> {
    // plotters' SVG backend writes font-size as size / 1.24; ask for what should appear.
    (FONT, f64::from(size) * 1.24, style)
        .into_font()
        .color(&TEXT_COLOUR)
}

fn draw_header(area: &Area, result: &PlanResult, has_target: bool, has_demand: bool) -> Drawn {
    let title = if result.scenario.is_empty() {
        "metalplan result"
    } else {
        &result.scenario
    };
    area.draw(&Text::new(title.to_string(), (24, 14), bold(22)))?;
    area.draw(&Text::new(
        format!(
            "Output by metal, route and year (Mt), {} solver, {} objective. \
             Each panel has its own scale; the label on each bar is its value in Mt.",
            result.solver, result.objective_kind
        ),
        (24, 46),
        font(14).color(&MUTED_COLOUR),
    ))?;
    let y = 84;
    let mut x = 24;
    for (colour, label) in [
        (PRIMARY_COLOUR, "Primary output (from ore and concentrate)"),
        (RECYCLED_COLOUR, "Recycled output (from scrap)"),
    ] {
        area.draw(&Rectangle::new(
            [(x, y - 7), (x + 16, y + 7)],
            colour.filled(),
        ))?;
        area.draw(&Text::new(
            label,
            (x + 24, y),
            font(14).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += 24 + estimated_width(label, 14) + 36;
    }
    if has_target {
        let label = "National recycled-output target (last panel)";
        area.draw(&PathElement::new(
            vec![(x, y), (x + 28, y)],
            TARGET_COLOUR.stroke_width(3),
        ))?;
        area.draw(&Circle::new((x + 14, y), 5, TARGET_COLOUR.filled()))?;
        area.draw(&Text::new(
            label,
            (x + 36, y),
            font(14).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    if has_demand {
        // A second legend line: the first is full with three entries.
        let (x, y) = (24, y + 22);
        area.draw(&PathElement::new(
            vec![(x, y), (x + 28, y)],
            CONSUMPTION_COLOUR.stroke_width(2),
        ))?;
        area.draw(&Text::new(
            "Consumption (metals with demand; the gap to output is filled by trade and stocks)",
            (x + 36, y),
            font(14).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A generous width estimate for laying out the legend: viewers' fonts differ.
fn estimated_width(text: &str, size: u32) -> i32 {
    (text.chars().count() as f64 * f64::from(size) * 0.56).ceil() as i32
}

/// The x axis: one slot per planning year, ticks and labels on the years only.
/// With as many labels as years, plotters' tick search settles on a step of one year.
fn year_axis(years: &[Year]) -> std::ops::Range<f64> {
    let first = years.first().copied().unwrap_or_default();
    let last = years.last().copied().unwrap_or(first);
    f64::from(first) - 0.5..f64::from(last) + 0.5
}

/// The top of a panel's value axis: room above the tallest bar for its label(s).
fn axis_top(highest: f64, headroom: f64) -> f64 {
    if highest > 0.0 {
        highest * headroom
    } else {
        1.0
    }
}

fn configure_axes(chart: &mut Chart<'_>, years: usize, top: f64) -> Drawn {
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_max_light_lines(0)
        .bold_line_style(GRID_COLOUR)
        .axis_style(MUTED_COLOUR)
        .x_labels(years)
        .y_labels(6)
        .x_label_formatter(&|year| year_label(*year))
        .y_label_formatter(&|value| axis_number(*value, top))
        .x_desc("Year")
        .y_desc("Output (Mt)")
        .axis_desc_style(font(13).color(&MUTED_COLOUR))
        .label_style(font(12))
        .draw()?;
    Ok(())
}

/// One bar per route and year of `metal`: left and right edge (years), output (Mt), colour.
fn route_bars(result: &PlanResult, metal: &str) -> Vec<(f64, f64, f64, RGBColor)> {
    result
        .plan
        .iter()
        .filter(|row| row.metal == metal)
        .map(|row| {
            let centre = f64::from(row.year);
            let (left, right, colour) = match row.route {
                Route::Primary => (centre - GROUP_HALF_WIDTH, centre - 0.02, PRIMARY_COLOUR),
                Route::Recycled => (centre + 0.02, centre + GROUP_HALF_WIDTH, RECYCLED_COLOUR),
            };
            (left, right, row.output_mt, colour)
        })
        .collect()
}

/// A route the metal lacks leaves gaps; the note says so rather than let them read as zero.
fn missing_route_note(result: &PlanResult, metal: &str) -> Option<&'static str> {
    let has = |route: Route| {
        result
            .plan
            .iter()
            .any(|row| row.metal == metal && row.route == route)
    };
    match (has(Route::Primary), has(Route::Recycled)) {
        (true, false) => Some("no recycled route"),
        (false, true) => Some("no primary route"),
        _ => None,
    }
}

fn metal_panel(area: &Area, result: &PlanResult, metal: &str, years: &[Year]) -> Drawn {
    let bars = route_bars(result, metal);
    let missing = missing_route_note(result, metal);
    let consumption = consumption_steps(result, metal);
    // Room above the tallest bar or step for its label, and for the note when there is one.
    let headroom = if missing.is_some() { 1.3 } else { 1.15 };
    let highest = bars
        .iter()
        .map(|bar| bar.2)
        .chain(consumption.iter().map(|&(_, value)| value))
        .fold(0.0, f64::max);
    let top = axis_top(highest, headroom);
    let mut chart = ChartBuilder::on(area)
        .caption(metal, bold(16))
        .margin_left(8)
        .margin_right(16)
        .margin_top(8)
        .margin_bottom(6)
        .x_label_area_size(46)
        .y_label_area_size(62)
        .build_cartesian_2d(year_axis(years), 0.0..top)?;
    configure_axes(&mut chart, years.len(), top)?;
    chart.draw_series(bars.iter().map(|&(left, right, value, colour)| {
        Rectangle::new([(left, 0.0), (right, value)], colour.filled())
    }))?;
    if let (Some(note), Some(&last)) = (missing, years.last()) {
        chart.draw_series(std::iter::once(
            EmptyElement::at((f64::from(last) + 0.5, top))
                + Text::new(
                    note,
                    (-4, 4),
                    font(12)
                        .color(&MUTED_COLOUR)
                        .pos(Pos::new(HPos::Right, VPos::Top)),
                ),
        ))?;
    }
    chart.draw_series(bars.iter().map(|&(left, right, value, _)| {
        EmptyElement::at((f64::midpoint(left, right), value))
            + Text::new(
                value_label(value),
                (0, -3),
                font(12).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
    }))?;
    draw_consumption(&mut chart, &consumption)
}

/// A metal's consumption per year (`demand` rows), in year order; empty without demand.
fn consumption_steps(result: &PlanResult, metal: &str) -> Vec<(Year, f64)> {
    result
        .demand
        .iter()
        .filter(|row| row.metal == metal)
        .map(|row| (row.year, row.consumption_mt))
        .collect()
}

/// Each year's consumption as a dark step across the year's slot, labelled `use <value>` at its
/// left end (the bar labels sit at the bars' centres).
fn draw_consumption(chart: &mut Chart<'_>, steps: &[(Year, f64)]) -> Drawn {
    chart.draw_series(steps.iter().map(|&(year, value)| {
        let centre = f64::from(year);
        PathElement::new(
            vec![
                (centre - GROUP_HALF_WIDTH, value),
                (centre + GROUP_HALF_WIDTH, value),
            ],
            CONSUMPTION_COLOUR.stroke_width(2),
        )
    }))?;
    chart.draw_series(steps.iter().map(|&(year, value)| {
        EmptyElement::at((f64::from(year) - GROUP_HALF_WIDTH, value))
            + Text::new(
                format!("use {}", value_label(value)),
                (0, -3),
                font(11)
                    .color(&CONSUMPTION_COLOUR)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            )
    }))?;
    Ok(())
}

/// The recycled total counted toward the national target (`totals[].recycled_mt`) as bars, and
/// the target (`recycled_output_min` bounds) as a red step line with a marker per year.
fn national_panel(
    area: &Area,
    result: &PlanResult,
    years: &[Year],
    targets: &[(Year, f64)],
) -> Drawn {
    let highest = result
        .totals
        .iter()
        .map(|row| row.recycled_mt)
        .chain(targets.iter().map(|&(_, bound)| bound))
        .fold(0.0, f64::max);
    let top = axis_top(highest, 1.3);
    let caption = if targets.is_empty() {
        "recycled total (no target set)"
    } else {
        "recycled total vs target"
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, bold(16))
        .margin_left(8)
        .margin_right(16)
        .margin_top(8)
        .margin_bottom(6)
        .x_label_area_size(46)
        .y_label_area_size(62)
        .build_cartesian_2d(year_axis(years), 0.0..top)?;
    configure_axes(&mut chart, years.len(), top)?;
    chart.draw_series(result.totals.iter().map(|row| {
        let centre = f64::from(row.year);
        Rectangle::new(
            [(centre - 0.25, 0.0), (centre + 0.25, row.recycled_mt)],
            RECYCLED_COLOUR.filled(),
        )
    }))?;
    // One polyline per run of consecutive years, each year a flat step across its slot.
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut previous: Option<Year> = None;
    for &(year, bound) in targets {
        if previous != Some(year - 1) {
            runs.push(Vec::new());
        }
        if let Some(run) = runs.last_mut() {
            let centre = f64::from(year);
            run.push((centre - GROUP_HALF_WIDTH, bound));
            run.push((centre + GROUP_HALF_WIDTH, bound));
        }
        previous = Some(year);
    }
    chart.draw_series(
        runs.into_iter()
            .map(|run| PathElement::new(run, TARGET_COLOUR.stroke_width(3))),
    )?;
    chart.draw_series(
        targets
            .iter()
            .map(|&(year, bound)| Circle::new((f64::from(year), bound), 5, TARGET_COLOUR.filled())),
    )?;
    for row in &result.totals {
        let bound = targets
            .iter()
            .find(|&&(year, _)| year == row.year)
            .map(|&(_, bound)| bound);
        recycled_labels(&mut chart, row.year, row.recycled_mt, bound)?;
    }
    Ok(())
}

/// The achieved total and the target of one year. Usually the total meets the target and
/// both sit within a few pixels: the labels stack above the higher. A total short of its
/// target (soft targets) is labelled inside its bar, so it does not read as above the line.
fn recycled_labels(chart: &mut Chart<'_>, year: Year, achieved: f64, bound: Option<f64>) -> Drawn {
    let centre = f64::from(year);
    let above = Pos::new(HPos::Center, VPos::Bottom);
    let achieved_text = format!("{} Mt", value_label(achieved));
    let bar_pixels =
        chart.backend_coord(&(centre, 0.0)).1 - chart.backend_coord(&(centre, achieved)).1;
    let below_line = bound.is_some_and(|bound| {
        let gap =
            chart.backend_coord(&(centre, achieved)).1 - chart.backend_coord(&(centre, bound)).1;
        gap > 6
    });
    let target_offset = if below_line && bar_pixels > 24 {
        chart.draw_series(std::iter::once(
            EmptyElement::at((centre, achieved))
                + Text::new(
                    achieved_text,
                    (0, 5),
                    bold(12).pos(Pos::new(HPos::Center, VPos::Top)),
                ),
        ))?;
        -5
    } else {
        chart.draw_series(std::iter::once(
            EmptyElement::at((centre, bound.map_or(achieved, |bound| bound.max(achieved))))
                + Text::new(achieved_text, (0, -5), bold(12).pos(above)),
        ))?;
        -22
    };
    if let Some(bound) = bound {
        chart.draw_series(std::iter::once(
            EmptyElement::at((centre, bound.max(achieved)))
                + Text::new(
                    format!("target \u{2265} {}", value_label(bound)),
                    (0, target_offset),
                    font(12).color(&TARGET_COLOUR).pos(above),
                ),
        ))?;
    }
    Ok(())
}

/// A bar's value with about three significant digits.
fn value_label(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude == 0.0 {
        "0".to_string()
    } else if magnitude >= 100.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

/// A tick on the year axis: a year, or nothing between years.
fn year_label(tick: f64) -> String {
    if (tick - tick.round()).abs() < 1e-6 {
        format!("{}", tick.round())
    } else {
        String::new()
    }
}

/// An axis tick label, with as many decimals as the axis range needs.
fn axis_number(value: f64, top: f64) -> String {
    if top >= 10.0 {
        format!("{value:.0}")
    } else if top >= 1.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::{axis_number, value_label};

    #[test]
    fn labels_keep_about_three_significant_digits() {
        assert_eq!(value_label(45.0), "45.0");
        assert_eq!(value_label(9.2625), "9.26");
        assert_eq!(value_label(0.1234), "0.123");
        assert_eq!(value_label(0.0), "0");
        assert_eq!(value_label(123.4), "123");
        assert_eq!(axis_number(2.5, 0.8), "2.50");
        assert_eq!(axis_number(20.0, 30.0), "20");
    }
}

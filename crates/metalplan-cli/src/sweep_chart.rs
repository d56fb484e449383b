//! The chart of a one-parameter sweep (`sweep --chart`): the optimal cost against the varied
//! value, with infeasible and failed points marked on the axis, and below it the shadow prices
//! of the targets that bind somewhere in the sweep, one panel per unit (CNY per tonne, bn CNY
//! per percentage point), since prices in different units cannot share an axis.

use std::error::Error;

use plotters::prelude::*;

/// One point of the sweep as the chart needs it.
pub struct ChartPoint {
    /// The varied value.
    pub x: f64,
    /// The optimal objective, CNY (`None` unless optimal).
    pub objective: Option<f64>,
    /// One per price column (`None` when the point has no price).
    pub prices: Vec<Option<f64>>,
}

const WIDTH: u32 = 1000;
const TITLE_HEIGHT: u32 = 70;
const PANEL_HEIGHT: u32 = 300;
const OBJECTIVE_COLOUR: RGBColor = RGBColor(0x3a, 0x6e, 0xa5);
const INFEASIBLE_COLOUR: RGBColor = RGBColor(0xb0, 0x1c, 0x2e);
/// Distinct colours for price series, in column order.
const SERIES_COLOURS: [RGBColor; 6] = [
    RGBColor(0xe0, 0x8a, 0x2c),
    RGBColor(0x2e, 0x8b, 0x57),
    RGBColor(0x6a, 0x3d, 0x9a),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0x17, 0xbe, 0xcf),
    RGBColor(0x7f, 0x7f, 0x7f),
];

type Drawn = Result<(), Box<dyn Error>>;

/// The unit a price column is in, from its target name (see `results.rs`).
fn unit_of(column: &str) -> (&'static str, f64) {
    if column.starts_with("recycled_output_min") {
        ("shadow price (CNY per t)", 1.0)
    } else if column.starts_with("co2_max") {
        ("shadow price (CNY per t CO2)", 1.0)
    } else {
        ("shadow price (bn CNY per percentage point)", 1e-9)
    }
}

/// The SVG of a sweep over `parameter`; `columns` name the price columns of the points.
pub fn svg(
    title: &str,
    parameter: &str,
    columns: &[String],
    points: &[ChartPoint],
) -> Result<String, String> {
    // Price panels: one per unit, holding the columns with a non-zero price somewhere.
    let mut panels: Vec<(&'static str, f64, Vec<usize>)> = Vec::new();
    for (index, column) in columns.iter().enumerate() {
        let binds = points
            .iter()
            .any(|point| point.prices[index].is_some_and(|price| price.abs() > 1e-9));
        if !binds {
            continue;
        }
        let (unit, scale) = unit_of(column);
        match panels.iter_mut().find(|(existing, _, _)| *existing == unit) {
            Some((_, _, members)) => members.push(index),
            None => panels.push((unit, scale, vec![index])),
        }
    }
    let height = TITLE_HEIGHT + PANEL_HEIGHT * (1 + panels.len() as u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        draw(&root, title, parameter, columns, points, &panels)
            .and_then(|()| root.present().map_err(Into::into))
            .map_err(|error| format!("cannot draw the sweep chart: {error}"))?;
    }
    Ok(svg)
}

/// The top panel: the optimal cost at each point, infeasible or failed points crossed.
fn objective_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    parameter: &str,
    points: &[ChartPoint],
    (low, high): (f64, f64),
) -> Drawn {
    let objectives: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|point| point.objective.map(|value| (point.x, value / 1e9)))
        .collect();
    let (y_low, y_high) = y_range(objectives.iter().map(|&(_, y)| y));
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .caption("Optimal cost", ("sans-serif", 17))
        .build_cartesian_2d(low..high, y_low..y_high)?;
    chart
        .configure_mesh()
        .x_desc(parameter)
        .y_desc("cost (bn CNY)")
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            objectives.clone(),
            OBJECTIVE_COLOUR.stroke_width(2),
        ))?
        .label("optimal cost")
        .legend(|(x, y)| {
            PathElement::new(vec![(x, y), (x + 18, y)], OBJECTIVE_COLOUR.stroke_width(2))
        });
    chart.draw_series(
        objectives
            .iter()
            .map(|&(x, y)| Circle::new((x, y), 3, OBJECTIVE_COLOUR.filled())),
    )?;
    let missing: Vec<f64> = points
        .iter()
        .filter(|point| point.objective.is_none())
        .map(|point| point.x)
        .collect();
    if !missing.is_empty() {
        chart
            .draw_series(
                missing
                    .iter()
                    .map(|&x| Cross::new((x, y_low), 5, INFEASIBLE_COLOUR.stroke_width(2))),
            )?
            .label("infeasible or failed")
            .legend(|(x, y)| Cross::new((x + 9, y), 5, INFEASIBLE_COLOUR.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .label_font(("sans-serif", 13))
        .draw()?;
    Ok(())
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    parameter: &str,
    columns: &[String],
    points: &[ChartPoint],
    panels: &[(&'static str, f64, Vec<usize>)],
) -> Drawn {
    root.fill(&WHITE)?;
    let (header, body) = root.split_vertically(TITLE_HEIGHT);
    header.draw(&Text::new(
        title.to_string(),
        (20, 14),
        ("sans-serif", 22).into_font().style(FontStyle::Bold),
    ))?;
    header.draw(&Text::new(
        format!(
            "Sweep over {parameter}: optimal cost and shadow prices at each point; infeasible or failed points marked x on the axis"
        ),
        (20, 44),
        ("sans-serif", 14).into_font().color(&RGBColor(0x5a, 0x5a, 0x5a)),
    ))?;
    let areas = body.split_evenly((1 + panels.len(), 1));
    let (low, high) = x_range(points);
    objective_panel(&areas[0], parameter, points, (low, high))?;
    for (area, panel) in areas[1..].iter().zip(panels) {
        price_panel(area, parameter, columns, points, panel, (low, high))?;
    }
    Ok(())
}

/// One panel of shadow prices that share a unit.
fn price_panel(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    parameter: &str,
    columns: &[String],
    points: &[ChartPoint],
    (unit, scale, members): &(&'static str, f64, Vec<usize>),
    (low, high): (f64, f64),
) -> Drawn {
    let series: Vec<(usize, Vec<(f64, f64)>)> = members
        .iter()
        .map(|&column| {
            let values = points
                .iter()
                .filter_map(|point| point.prices[column].map(|price| (point.x, price * scale)))
                .collect();
            (column, values)
        })
        .collect();
    let (y_low, y_high) = y_range(
        series
            .iter()
            .flat_map(|(_, values)| values.iter().map(|&(_, y)| y)),
    );
    let mut chart = ChartBuilder::on(area)
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(80)
        .caption(*unit, ("sans-serif", 17))
        .build_cartesian_2d(low..high, y_low..y_high)?;
    chart
        .configure_mesh()
        .x_desc(parameter)
        .y_desc(*unit)
        .light_line_style(RGBColor(0xee, 0xee, 0xee))
        .draw()?;
    for (position, (column, values)) in series.into_iter().enumerate() {
        let colour = SERIES_COLOURS[position % SERIES_COLOURS.len()];
        chart
            .draw_series(LineSeries::new(values, colour.stroke_width(2)))?
            .label(columns[column].clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .label_font(("sans-serif", 13))
        .draw()?;
    Ok(())
}

fn x_range(points: &[ChartPoint]) -> (f64, f64) {
    let low = points
        .iter()
        .map(|point| point.x)
        .fold(f64::INFINITY, f64::min);
    let high = points
        .iter()
        .map(|point| point.x)
        .fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() || !high.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((high - low) * 0.03).max(1e-9);
    (low - pad, high + pad)
}

fn y_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for value in values {
        low = low.min(value);
        high = high.max(value);
    }
    if !low.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((high - low) * 0.08).max(high.abs().max(1.0) * 1e-3);
    (low - pad, high + pad)
}

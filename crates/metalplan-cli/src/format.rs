//! Number formats shared by the terminal tables and the reports, so both read the same.

use metalplan_core::results::Sense;
use metalplan_core::PlanResult;

/// Mt with three decimals.
pub fn mt(value: f64) -> String {
    format!("{value:.3}")
}

/// A fraction as a percentage with two decimals.
pub fn percent(fraction: f64) -> String {
    format!("{:.2} %", fraction * 100.0)
}

/// `part` as a whole percentage of `whole`, or `-` when there is no whole.
pub fn share_of(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.0} %", part / whole * 100.0)
    } else {
        "-".to_string()
    }
}

/// CNY in billions with one decimal.
pub fn billions(cny: f64) -> String {
    format!("{:.1}", cny / 1e9)
}

/// `>=`, `<=` or `=` in ASCII, for terminals and CSV.
pub fn sense_ascii(sense: Sense) -> &'static str {
    match sense {
        Sense::AtLeast => ">=",
        Sense::AtMost => "<=",
        Sense::Equal => "=",
    }
}

/// A shadow price in readable units: bn CNY per percentage point, CNY per tonne.
pub fn price_text(price: f64, unit: &str) -> String {
    match unit {
        "CNY per percentage point" => format!("{:.2} bn CNY/pp", price / 1e9),
        "CNY per t" => format!("{price:.0} CNY/t"),
        "CNY per t CO2" => format!("{price:.0} CNY/t CO2"),
        other => format!("{price} {other}"),
    }
}

/// The objective in its natural scale: bn CNY, Mt CO2 or Mt.
pub fn objective_text(value: f64, unit: &str) -> String {
    match unit {
        "CNY" => format!("{:.2} bn CNY", value / 1e9),
        "t CO2" => format!("{:.3} Mt CO2", value / 1e6),
        "t" => format!("{:.3} Mt", value / 1e6),
        other => format!("{value} {other}"),
    }
}

/// The cells of a table, before it is drawn for a terminal or a report.
pub struct Cells {
    /// Column titles.
    pub header: Vec<&'static str>,
    /// Extra column titles that depend on the result (metal names).
    pub extra_header: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<String>>,
}

impl Cells {
    /// Every column title.
    pub fn titles(&self) -> Vec<&str> {
        self.header
            .iter()
            .copied()
            .chain(self.extra_header.iter().map(String::as_str))
            .collect()
    }
}

/// The national totals: the base year from observed output, then each planning year.
pub fn totals_cells(result: &PlanResult) -> Cells {
    let base = &result.base_year;
    let mut rows = vec![vec![
        format!("{} (base)", base.year),
        mt(base.output_total_mt),
        String::new(),
        mt(base.recycled_mt),
        billions(base.value_added_cny),
        String::new(),
        String::new(),
        String::new(),
    ]];
    rows.extend(result.totals.iter().map(|row| {
        vec![
            row.year.to_string(),
            mt(row.output_total_mt),
            percent(row.output_growth),
            mt(row.recycled_mt),
            billions(row.value_added_cny),
            percent(row.value_added_growth),
            format!("{:.1}", row.co2_t / 1e6),
            billions(row.cost_cny),
        ]
    }));
    Cells {
        header: vec![
            "year",
            "ten-metal output (Mt)",
            "growth",
            "recycled (Mt)",
            "value added (bn CNY)",
            "growth",
            "CO2 (Mt)",
            "cost (bn CNY)",
        ],
        extra_header: Vec::new(),
        rows,
    }
}

/// Import dependence per year and metal (`-` where a metal draws no feed).
pub fn import_cells(result: &PlanResult) -> Cells {
    let metals: Vec<String> = result
        .totals
        .first()
        .map(|row| row.import_dependence.keys().cloned().collect())
        .unwrap_or_default();
    let rows = result
        .totals
        .iter()
        .map(|row| {
            let mut cells = vec![row.year.to_string()];
            cells.extend(metals.iter().map(|metal| {
                row.import_dependence
                    .get(metal)
                    .copied()
                    .flatten()
                    .map_or_else(|| "-".to_string(), percent)
            }));
            cells
        })
        .collect();
    Cells {
        header: vec!["year"],
        extra_header: metals,
        rows,
    }
}

/// The scenario's constraints (`[[constraints]]`): one row per rule and year, with a shortfall
/// column when targets are soft.
pub fn constraint_cells(result: &PlanResult) -> Cells {
    let soft = result.constraints.iter().any(|row| row.shortfall.is_some());
    let mut header = vec![
        "constraint",
        "year",
        "value",
        "bound",
        "binding",
        "shadow price",
    ];
    if soft {
        header.push("shortfall");
    }
    let rows = result
        .constraints
        .iter()
        .map(|row| {
            let format = |value: f64| match row.unit.as_str() {
                "fraction" => percent(value),
                unit => format!("{value:.3} {unit}"),
            };
            let mut cells = vec![
                row.name.clone(),
                row.year.to_string(),
                format(row.value),
                format!("{} {}", sense_ascii(row.sense), format(row.bound)),
                if row.binding { "yes" } else { "no" }.to_string(),
                row.shadow_price
                    .map(|price| price_text(price, &row.shadow_price_unit))
                    .unwrap_or_default(),
            ];
            if soft {
                cells.push(row.shortfall.map(format).unwrap_or_default());
            }
            cells
        })
        .collect();
    Cells {
        header,
        extra_header: Vec::new(),
        rows,
    }
}

/// A target's key, with its import-dependence definition or its process when it has one.
pub fn target_name(row: &metalplan_core::results::TargetRow) -> String {
    match (row.definition, &row.process) {
        (Some(definition), _) => format!("{} ({definition})", row.name.key()),
        (None, Some(process)) => format!("{} ({process})", row.name.key()),
        (None, None) => row.name.key().to_string(),
    }
}

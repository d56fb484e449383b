//! Number formats shared by the terminal tables and the reports, so both read the same.

use metalplan_core::model::RowSense;

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
pub fn sense_ascii(sense: RowSense) -> &'static str {
    match sense {
        RowSense::AtLeast => ">=",
        RowSense::AtMost => "<=",
        RowSense::Equal => "=",
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

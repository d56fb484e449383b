//! Writing the model in the two text formats other solvers read: CPLEX LP and free MPS, with
//! the model's readable row and column names.
//!
//! These small writers follow the formats directly rather than call HiGHS's writer through its C
//! API: they need no solver instance, work the same whichever solver is chosen, and keep
//! `unsafe` to the two places that cannot do without it; a test reads
//! both back with GLPK's `glpsol` and checks the objective. Names keep their meaning but swap the
//! characters the LP format does not allow: `output[copper,primary,2025]` is written
//! `output(copper,primary,2025)`.
//!
//! The objective written is the one chosen (internal units: million CNY, Mt). With soft targets
//! or an objective other than cost, metalplan solves in stages (docs/model.md, Ties); the file
//! holds the model with the chosen objective, not the stages' extra rows.

use std::fmt::Write as _;

use crate::model::{Model, ObjectiveKind, Sense};

/// Terms per line in LP files, to keep lines short for every reader.
const TERMS_PER_LINE: usize = 8;

/// A name the LP and MPS formats accept: no spaces, no square brackets, no `-`, no leading
/// digit or period, no `:`.
fn safe_name(name: &str) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            ' ' | ':' | '\t' => '_',
            // `-` would read as a minus sign in LP; `~` is allowed and no key uses it, so
            // `user[scrap-share,2026]` stays distinct from `user[scrap_share,2026]`.
            '-' => '~',
            other => other,
        })
        .collect();
    if safe.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        safe.insert(0, '_');
    }
    safe
}

/// The model as a CPLEX LP file.
#[must_use]
pub fn lp_text(model: &Model, objective: ObjectiveKind) -> String {
    let mut text = String::new();
    let columns: Vec<String> = model.columns.iter().map(|c| safe_name(&c.name)).collect();
    // Writing to a String cannot fail.
    let _ = writeln!(
        text,
        "\\ metalplan {}: objective {} in internal units (million CNY, Mt)",
        env!("CARGO_PKG_VERSION"),
        objective.key()
    );
    let _ = writeln!(
        text,
        "{}",
        if objective.maximises() {
            "Maximize"
        } else {
            "Minimize"
        }
    );
    let coefficients = model.objectives.get(objective);
    let terms: Vec<(usize, f64)> = coefficients.iter().copied().enumerate().collect();
    write_terms(&mut text, " objective:", &terms, &columns);
    let _ = writeln!(text, "\nSubject To");
    for row in &model.rows {
        let sense = match row.sense {
            Sense::AtMost => "<=",
            Sense::AtLeast => ">=",
            Sense::Equal => "=",
        };
        let label = format!(" {}:", safe_name(&row.name));
        write_terms(&mut text, &label, &row.terms, &columns);
        let _ = writeln!(text, " {sense} {}", number(row.rhs));
    }
    let _ = writeln!(text, "Bounds");
    for (column, name) in model.columns.iter().zip(&columns) {
        if column.upper.is_finite() {
            let _ = writeln!(
                text,
                " {} <= {name} <= {}",
                number(column.lower),
                number(column.upper)
            );
        } else if column.lower != 0.0 {
            let _ = writeln!(text, " {name} >= {}", number(column.lower));
        }
    }
    let _ = writeln!(text, "End");
    text
}

/// Writes `label` then the terms, several per line; an empty sum is written `0 <first column>`.
fn write_terms(text: &mut String, label: &str, terms: &[(usize, f64)], columns: &[String]) {
    text.push_str(label);
    if terms.is_empty() {
        if let Some(first) = columns.first() {
            let _ = write!(text, " 0 {first}");
        }
        return;
    }
    for (position, &(column, coefficient)) in terms.iter().enumerate() {
        if position > 0 && position % TERMS_PER_LINE == 0 {
            text.push_str("\n   ");
        }
        let sign = if coefficient < 0.0 { '-' } else { '+' };
        let _ = write!(
            text,
            " {sign} {} {}",
            number(coefficient.abs()),
            columns[column]
        );
    }
}

/// The model as a free-format MPS file.
#[must_use]
pub fn mps_text(model: &Model, objective: ObjectiveKind) -> String {
    let mut text = String::new();
    let columns: Vec<String> = model.columns.iter().map(|c| safe_name(&c.name)).collect();
    let rows: Vec<String> = model.rows.iter().map(|r| safe_name(&r.name)).collect();
    let _ = writeln!(
        text,
        "* metalplan {}: objective {} in internal units (million CNY, Mt)",
        env!("CARGO_PKG_VERSION"),
        objective.key()
    );
    // OBJSENSE is an extension some readers (GLPK) refuse: a maximisation is written as the
    // minimisation of the negated objective, which every reader takes.
    let sign = if objective.maximises() {
        let _ = writeln!(
            text,
            "* maximisation written as minimising the negated objective"
        );
        -1.0
    } else {
        1.0
    };
    let _ = writeln!(text, "NAME metalplan");
    let _ = writeln!(text, "ROWS\n N objective");
    for (row, name) in model.rows.iter().zip(&rows) {
        let kind = match row.sense {
            Sense::AtMost => 'L',
            Sense::AtLeast => 'G',
            Sense::Equal => 'E',
        };
        let _ = writeln!(text, " {kind} {name}");
    }
    // MPS lists coefficients column by column.
    let mut by_column: Vec<Vec<(usize, f64)>> = vec![Vec::new(); model.columns.len()];
    for (row_index, row) in model.rows.iter().enumerate() {
        for &(column, coefficient) in &row.terms {
            by_column[column].push((row_index, coefficient));
        }
    }
    let coefficients = model.objectives.get(objective);
    let _ = writeln!(text, "COLUMNS");
    for (column, name) in columns.iter().enumerate() {
        // The objective entry is written even when 0, so every column is declared.
        let _ = writeln!(
            text,
            "    {name} objective {}",
            number(sign * coefficients[column] + 0.0)
        );
        for &(row, coefficient) in &by_column[column] {
            let _ = writeln!(text, "    {name} {} {}", rows[row], number(coefficient));
        }
    }
    let _ = writeln!(text, "RHS");
    for (row, name) in model.rows.iter().zip(&rows) {
        if row.rhs != 0.0 {
            let _ = writeln!(text, "    RHS {name} {}", number(row.rhs));
        }
    }
    let _ = writeln!(text, "BOUNDS");
    for (column, name) in model.columns.iter().zip(&columns) {
        if column.lower != 0.0 {
            let _ = writeln!(text, " LO BND {name} {}", number(column.lower));
        }
        if column.upper.is_finite() {
            let _ = writeln!(text, " UP BND {name} {}", number(column.upper));
        }
    }
    let _ = writeln!(text, "ENDATA");
    text
}

/// A number as both formats read it: Rust's shortest round-trip form, never `inf` or `NaN`
/// (the model builder only makes finite coefficients and bounds here).
fn number(value: f64) -> String {
    format!("{value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_only_the_characters_the_formats_forbid() {
        assert_eq!(
            safe_name("output[copper,primary,2025]"),
            "output(copper,primary,2025)"
        );
        assert_eq!(safe_name("plugin.a.b c:d"), "plugin.a.b_c_d");
        assert_eq!(safe_name("2025x"), "_2025x");
        assert_eq!(
            safe_name("user[scrap-share,2026]"),
            "user(scrap~share,2026)"
        );
    }
}

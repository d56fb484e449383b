//! Rows of the scenario's `[[constraints]]` (M20 in docs/model.md): one row per rule and year,
//! named `user[<name>,<year>]`, over the columns the rule's stable keys select. The rule's
//! expansion to keys lives with the scenario (`scenario::expand_constraints`), which validation
//! also uses; this module only maps keys to columns and merges repeated columns.

use std::collections::BTreeMap;

use super::{Builder, Model, RowKind, RowSense, VariableKey};
use crate::scenario::{expand_constraints, Sense, VarKey, Year};

/// The name of rule `name`'s row in `year`: `user[<name>,<year>]`.
#[must_use]
pub fn user_row_name(name: &str, year: Year) -> String {
    format!("user[{name},{year}]")
}

/// The model's direction for a rule's sense.
#[must_use]
pub fn row_sense(sense: Sense) -> RowSense {
    match sense {
        Sense::AtMost => RowSense::AtMost,
        Sense::AtLeast => RowSense::AtLeast,
        Sense::Equal => RowSense::Equal,
    }
}

/// The column a scenario key names, if the model has one.
#[must_use]
pub fn column_of(model: &Model, key: VarKey) -> Option<usize> {
    model.column(match key {
        VarKey::Output { metal, route, year } => VariableKey::Output { metal, route, year },
        VarKey::Feed {
            metal,
            source,
            year,
        } => VariableKey::Feed {
            metal,
            source,
            year,
        },
        VarKey::Build { metal, route, year } => VariableKey::Build { metal, route, year },
    })
}

impl Builder<'_> {
    /// M20: `sum(terms) sense rhs`, or `sum(terms) - share * sum(of) sense 0`, per rule and year.
    pub(super) fn user_rows(&mut self) {
        let scenario = self.scenario;
        for expanded in expand_constraints(scenario) {
            // A column may be selected more than once (a term in both `terms` and `of`): one
            // coefficient per column, as LP and MPS files need.
            let mut merged: BTreeMap<usize, f64> = BTreeMap::new();
            let mut add = |key: VarKey, coefficient: f64| {
                if let Some(column) = column_of(&self.model, key) {
                    *merged.entry(column).or_insert(0.0) += coefficient;
                }
            };
            for &(key, coefficient) in &expanded.part {
                add(key, coefficient);
            }
            if let Some((share, whole)) = &expanded.whole {
                for &(key, coefficient) in whole {
                    add(key, -share * coefficient);
                }
            }
            let terms: Vec<(usize, f64)> = merged
                .into_iter()
                .filter(|&(_, coefficient)| coefficient != 0.0)
                .collect();
            let name = &scenario.constraints[expanded.constraint].name;
            self.push_row(
                user_row_name(name, expanded.year),
                RowKind::User {
                    constraint: expanded.constraint,
                },
                expanded.year,
                (terms, row_sense(expanded.sense), expanded.rhs),
            );
        }
    }
}

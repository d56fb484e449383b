//! Rows of the scenario's `[[constraints]]` (M20 in docs/model.md): one row per rule and year,
//! named `user[<name>,<year>]`, over the columns the rule's stable keys select. The rule's
//! expansion to keys lives with the scenario (`scenario::expand_constraints`), which validation
//! also uses; this module only maps keys to columns and merges repeated columns.

use std::collections::BTreeMap;

use super::{Builder, RowKind, VariableKey};
use crate::scenario::{expand_constraints, Year};

/// The name of rule `name`'s row in `year`: `user[<name>,<year>]`.
#[must_use]
pub fn user_row_name(name: &str, year: Year) -> String {
    format!("user[{name},{year}]")
}

impl Builder<'_> {
    /// M20: `sum(terms) sense rhs`, or `sum(terms) - share * sum(of) sense 0`, per rule and year.
    pub(super) fn user_rows(&mut self) {
        let scenario = self.scenario;
        for expanded in expand_constraints(scenario) {
            // A column may be selected more than once (a term in both `terms` and `of`): one
            // coefficient per column, as LP and MPS files need.
            let mut merged: BTreeMap<usize, f64> = BTreeMap::new();
            let mut add = |key: VariableKey, coefficient: f64| {
                if let Some(column) = self.model.column(key) {
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
                (terms, expanded.sense, expanded.rhs),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, RowKind, Sense, VariableKey};
    use crate::scenario::{parse_scenario, Route, SourceFormat};

    #[test]
    fn a_share_row_merges_a_column_in_both_sums() {
        let text = r#"
base_year = 2024
years = [2025]
[[metals]]
name = "cu"
[metals.primary]
base_output_mt = 1.0
capacity_mt = 2.0
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_ore = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
[metals.recycled]
base_output_mt = 1.0
capacity_mt = 2.0
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_scrap = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
[[constraints]]
name = "share"
terms = [{ metal = "cu", route = "recycled" }]
sense = ">="
share = 0.25
of = [{ metal = "cu" }]
"#;
        let loaded = parse_scenario(
            text.to_string(),
            std::path::Path::new("t.toml"),
            SourceFormat::Toml,
        )
        .unwrap();
        let model = Model::build(&loaded.scenario);
        let row = model
            .rows
            .iter()
            .find(|row| row.name == "user[share,2025]")
            .unwrap();
        assert_eq!(row.kind, RowKind::User { constraint: 0 });
        assert_eq!(row.sense, Sense::AtLeast);
        assert_eq!(row.rhs, 0.0);
        let column = |route| {
            model
                .column(VariableKey::Output {
                    metal: 0,
                    route,
                    year: 2025,
                })
                .unwrap()
        };
        // recycled - 0.25 (primary + recycled): one coefficient per column.
        let mut terms = row.terms.clone();
        terms.sort_by_key(|&(column, _)| column);
        let mut expected = vec![
            (column(Route::Primary), -0.25),
            (column(Route::Recycled), 0.75),
        ];
        expected.sort_by_key(|&(column, _)| column);
        assert_eq!(terms, expected);
    }
}

//! Comparing two results (B - A): output per metal, route and year, the objective, every shadow
//! price (targets, capacities, feeds, shared capacities, plugin constraints) and the yearly
//! totals. Rows present in only one result are marked added (only in B) or removed (only in A).
//! The format is in `docs/results.md`, "Comparing two results".

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::{shown_path, Error};
use crate::error::{ResultFileError, ResultRole};
use crate::results::{read_result_file, PlanResult, TotalsRow};
use crate::scenario::Year;

/// Reads the results in files `a` and `b` and compares them.
pub fn compare_files(a: &Path, b: &Path) -> Result<Diff, Error> {
    let read = |file: &Path| -> Result<PlanResult, Error> {
        let result = read_result_file(file, ResultRole::Result)?;
        if result.objective_unit.is_empty() {
            return Err(ResultFileError::NotAResult {
                file: file.to_path_buf(),
                role: ResultRole::Result,
                reason: "it has no `objective`".to_string(),
            }
            .into());
        }
        Ok(result)
    };
    let (result_a, result_b) = (read(a)?, read(b)?);
    Ok(compare(&result_a, &result_b, (a, b)))
}

/// Whether a row is in both results or only one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// In A and B.
    Both,
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
}

/// One result's identity in the comparison.
#[derive(Debug, Serialize)]
pub struct Side {
    /// The file.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// Overlays applied.
    pub overlays: Vec<String>,
    /// What was optimised.
    pub objective_kind: String,
}

/// The change of the objective.
#[derive(Debug, Serialize)]
pub struct ObjectiveChange {
    /// Its unit (A's).
    pub unit: String,
    /// Whether A and B optimised the same thing; when not, `delta` compares unlike values.
    pub same_kind: bool,
    /// A's objective.
    pub a: f64,
    /// B's objective.
    pub b: f64,
    /// B - A.
    pub delta: f64,
}

/// The output of one metal, route and year in A and B.
#[derive(Debug, Serialize)]
pub struct PlanChange {
    /// Metal.
    pub metal: String,
    /// Route.
    pub route: String,
    /// Year.
    pub year: Year,
    /// Output in A, Mt (`null`: not in A).
    pub a: Option<f64>,
    /// Output in B, Mt (`null`: not in B).
    pub b: Option<f64>,
    /// B - A, Mt (`null` unless in both).
    pub delta: Option<f64>,
    /// In both, added or removed.
    pub status: Presence,
}

/// The shadow price of one row in A and B.
#[derive(Debug, Serialize)]
pub struct PriceChange {
    /// The row: `recycled_output_min[2025]`, `import_dependence_max[copper,2025]`,
    /// `capacity[copper,primary,2025]`, `feed[copper,domestic_scrap,2025]`,
    /// `shared_capacity[copper,2025]` or a plugin constraint's name.
    pub row: String,
    /// `target`, `capacity`, `feed`, `shared_capacity` or `plugin`.
    pub kind: &'static str,
    /// The price's unit.
    pub unit: String,
    /// Price in A (`null`: not in A, or no price there).
    pub a: Option<f64>,
    /// Price in B.
    pub b: Option<f64>,
    /// B - A (`null` unless both have a price).
    pub delta: Option<f64>,
    /// In both, added or removed.
    pub status: Presence,
}

/// One total of one year in A and B.
#[derive(Debug, Serialize)]
pub struct TotalChange {
    /// Year.
    pub year: Year,
    /// Which total: a field of the result's `totals` rows.
    pub quantity: &'static str,
    /// A's value.
    pub a: Option<f64>,
    /// B's value.
    pub b: Option<f64>,
    /// B - A.
    pub delta: Option<f64>,
    /// In both, added or removed.
    pub status: Presence,
}

/// Names in only one of the results.
#[derive(Debug, Default, Serialize)]
pub struct OnlyIn<T> {
    /// Only in A.
    pub a: Vec<T>,
    /// Only in B.
    pub b: Vec<T>,
}

/// The whole comparison.
#[derive(Debug, Serialize)]
pub struct Diff {
    /// The first result.
    pub a: Side,
    /// The second result.
    pub b: Side,
    /// The objective.
    pub objective: ObjectiveChange,
    /// Output per metal, route and year: A's rows in A's order, then B's new ones.
    pub plan: Vec<PlanChange>,
    /// Every row's shadow price, in the same order rule.
    pub shadow_prices: Vec<PriceChange>,
    /// Totals per year and quantity.
    pub totals: Vec<TotalChange>,
    /// Metals in only one result.
    pub metals_only_in: OnlyIn<String>,
    /// Planning years in only one result.
    pub years_only_in: OnlyIn<Year>,
}

/// Pairs up keyed values of A and B: A's keys in order, then B's new keys in order.
fn pair<K: Ord + Clone, V: Clone>(a: &[(K, V)], b: &[(K, V)]) -> Vec<(K, Option<V>, Option<V>)> {
    let in_b: BTreeMap<&K, &V> = b.iter().map(|(key, value)| (key, value)).collect();
    let in_a: BTreeSet<&K> = a.iter().map(|(key, _)| key).collect();
    let mut paired: Vec<(K, Option<V>, Option<V>)> = a
        .iter()
        .map(|(key, value)| {
            (
                key.clone(),
                Some(value.clone()),
                in_b.get(key).map(|value| (*value).clone()),
            )
        })
        .collect();
    paired.extend(
        b.iter()
            .filter(|(key, _)| !in_a.contains(key))
            .map(|(key, value)| (key.clone(), None, Some(value.clone()))),
    );
    paired
}

fn presence<T>(a: Option<&T>, b: Option<&T>) -> Presence {
    match (a, b) {
        (Some(_), None) => Presence::Removed,
        (None, Some(_)) => Presence::Added,
        _ => Presence::Both,
    }
}

fn delta(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(b? - a?)
}

/// A row's kind, the unit of its price, and the price.
type PriceEntry = (&'static str, String, Option<f64>);

/// The shadow-price rows of one result, keyed by row name.
fn price_rows(result: &PlanResult) -> Vec<(String, PriceEntry)> {
    let mut rows = Vec::new();
    for target in &result.targets {
        let row = target.row_name();
        rows.push((
            row,
            (
                "target",
                target.shadow_price_unit.clone(),
                target.shadow_price,
            ),
        ));
    }
    for plan in &result.plan {
        rows.push((
            format!("capacity[{},{},{}]", plan.metal, plan.route, plan.year),
            (
                "capacity",
                "CNY per t".to_string(),
                plan.capacity_shadow_price_cny_per_t,
            ),
        ));
    }
    for feed in &result.feed {
        rows.push((
            format!("feed[{},{},{}]", feed.metal, feed.source, feed.year),
            ("feed", "CNY per t".to_string(), feed.shadow_price_cny_per_t),
        ));
    }
    for shared in &result.shared_capacity {
        rows.push((
            format!("shared_capacity[{},{}]", shared.metal, shared.year),
            (
                "shared_capacity",
                "CNY per t".to_string(),
                shared.shadow_price_cny_per_t,
            ),
        ));
    }
    for plugin in &result.plugins {
        for constraint in &plugin.constraints {
            rows.push((
                constraint.name.clone(),
                (
                    "plugin",
                    "CNY per unit of the bound".to_string(),
                    constraint.shadow_price,
                ),
            ));
        }
    }
    rows
}

/// The quantities of a totals row compared, with their units.
pub const TOTALS: [(&str, &str); 5] = [
    ("output_total_mt", "Mt"),
    ("recycled_mt", "Mt"),
    ("value_added_cny", "CNY"),
    ("co2_t", "t CO2"),
    ("cost_cny", "CNY"),
];

fn total_values(row: &TotalsRow) -> [f64; 5] {
    [
        row.output_total_mt,
        row.recycled_mt,
        row.value_added_cny,
        row.co2_t,
        row.cost_cny,
    ]
}

/// Compares result `a` with result `b`, read from `files` (which name them in the comparison).
#[must_use]
pub fn compare(a: &PlanResult, b: &PlanResult, files: (&Path, &Path)) -> Diff {
    let side = |result: &PlanResult, file: &Path| Side {
        file: shown_path(file),
        scenario: result.scenario.clone(),
        overlays: result.overlays.clone(),
        objective_kind: result.objective_kind.key().to_string(),
    };
    let plan = plan_changes(a, b);
    let shadow_prices = price_changes(a, b);
    let totals = totals_changes(a, b);
    let only_in = |left: BTreeSet<String>, right: &BTreeSet<String>| -> Vec<String> {
        left.difference(right).cloned().collect()
    };
    let metals = |result: &PlanResult| -> BTreeSet<String> {
        result.plan.iter().map(|row| row.metal.clone()).collect()
    };
    let years = |result: &PlanResult| -> BTreeSet<Year> {
        result
            .plan
            .iter()
            .map(|row| row.year)
            .chain(result.totals.iter().map(|row| row.year))
            .collect()
    };
    let (metals_a, metals_b) = (metals(a), metals(b));
    let (years_a, years_b) = (years(a), years(b));
    Diff {
        a: side(a, files.0),
        b: side(b, files.1),
        objective: ObjectiveChange {
            unit: a.objective_unit.clone(),
            same_kind: a.objective_kind == b.objective_kind,
            a: a.objective,
            b: b.objective,
            delta: b.objective - a.objective,
        },
        plan,
        shadow_prices,
        totals,
        metals_only_in: OnlyIn {
            a: only_in(metals_a.clone(), &metals_b),
            b: only_in(metals_b, &metals_a),
        },
        years_only_in: OnlyIn {
            a: years_a.difference(&years_b).copied().collect(),
            b: years_b.difference(&years_a).copied().collect(),
        },
    }
}

fn plan_changes(a: &PlanResult, b: &PlanResult) -> Vec<PlanChange> {
    let plan_values = |result: &PlanResult| -> Vec<((String, String, Year), f64)> {
        result
            .plan
            .iter()
            .map(|row| {
                (
                    (row.metal.clone(), row.route.key().to_string(), row.year),
                    row.output_mt,
                )
            })
            .collect()
    };
    pair(&plan_values(a), &plan_values(b))
        .into_iter()
        .map(|((metal, route, year), output_a, output_b)| PlanChange {
            status: presence(output_a.as_ref(), output_b.as_ref()),
            delta: delta(output_a, output_b),
            metal,
            route,
            year,
            a: output_a,
            b: output_b,
        })
        .collect()
}

fn price_changes(a: &PlanResult, b: &PlanResult) -> Vec<PriceChange> {
    pair(&price_rows(a), &price_rows(b))
        .into_iter()
        .map(|(row, in_a, in_b)| {
            let (kind, unit) = in_a
                .as_ref()
                .or(in_b.as_ref())
                .map(|(kind, unit, _)| (*kind, unit.clone()))
                .unwrap_or_default();
            let price_a = in_a.as_ref().and_then(|(_, _, price)| *price);
            let price_b = in_b.as_ref().and_then(|(_, _, price)| *price);
            PriceChange {
                status: presence(in_a.as_ref(), in_b.as_ref()),
                delta: delta(price_a, price_b),
                row,
                kind,
                unit,
                a: price_a,
                b: price_b,
            }
        })
        .collect()
}

fn totals_changes(a: &PlanResult, b: &PlanResult) -> Vec<TotalChange> {
    let totals_of = |result: &PlanResult| -> Vec<(Year, [f64; 5])> {
        result
            .totals
            .iter()
            .map(|row| (row.year, total_values(row)))
            .collect()
    };
    let mut totals = Vec::new();
    for (year, in_a, in_b) in pair(&totals_of(a), &totals_of(b)) {
        for (index, (quantity, _)) in TOTALS.iter().enumerate() {
            let value_a = in_a.map(|values| values[index]);
            let value_b = in_b.map(|values| values[index]);
            totals.push(TotalChange {
                year,
                quantity,
                a: value_a,
                b: value_b,
                delta: delta(value_a, value_b),
                status: presence(in_a.as_ref(), in_b.as_ref()),
            });
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_a_order_and_append_b_only_keys() {
        let a = [("x", 1.0), ("y", 2.0)];
        let b = [("z", 3.0), ("x", 5.0)];
        assert_eq!(
            pair(&a, &b),
            [
                ("x", Some(1.0), Some(5.0)),
                ("y", Some(2.0), None),
                ("z", None, Some(3.0))
            ]
        );
    }
}

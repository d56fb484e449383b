//! Output bounds and national targets (M6-M13 in docs/model.md), and soft targets (M19): the
//! shortfall columns that let a target be missed.

use super::{Builder, Column, RowKind, Sense, TargetKind, VariableKey};
use crate::scenario::{PerYear, Route, Scenario, Year};

impl Builder<'_> {
    /// M6 and M7 for one metal in one year, over its routes' output columns `total`.
    pub(super) fn output_bound_rows(
        &mut self,
        metal_index: usize,
        year: Year,
        total: &[(usize, f64)],
    ) {
        let metal = &self.scenario.metals[metal_index];
        let name = &metal.name;
        // M6, M7: the metal's output within its market bounds.
        if let Some(min) = metal.output_min_mt.as_ref().and_then(|min| min.get(year)) {
            self.push_row(
                format!("metal_output_min[{name},{year}]"),
                RowKind::MetalOutputMin { metal: metal_index },
                year,
                (total.to_vec(), Sense::AtLeast, min),
            );
        }
        if let Some(max) = metal.output_max_mt.as_ref().and_then(|max| max.get(year)) {
            self.push_row(
                format!("metal_output_max[{name},{year}]"),
                RowKind::MetalOutputMax { metal: metal_index },
                year,
                (total.to_vec(), Sense::AtMost, max),
            );
        }
    }

    /// A per-year sum over routes: `weight(metal, route, year) * output` for each route with a
    /// weight, and the same sum's base-year value from observed output.
    fn route_sum(
        &self,
        year: Year,
        weight: &dyn Fn(usize, Route, Year) -> Option<f64>,
    ) -> Vec<(usize, f64)> {
        let mut terms = Vec::new();
        for metal_index in 0..self.scenario.metals.len() {
            for route in Route::ALL {
                if let (Some(column), Some(coefficient)) = (
                    self.output(metal_index, route, year),
                    weight(metal_index, route, year),
                ) {
                    terms.push((column, coefficient));
                }
            }
        }
        terms
    }

    fn base_route_sum(&self, weight: &dyn Fn(usize, Route, Year) -> Option<f64>) -> f64 {
        let base_year = self.scenario.base_year;
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for route in Route::ALL {
                if let (Some(spec), Some(coefficient)) =
                    (metal.route(route), weight(metal_index, route, base_year))
                {
                    total += coefficient * spec.base_output_mt.unwrap_or(0.0);
                }
            }
        }
        total
    }

    /// The terms and right-hand side of growth row `sum_y >= (1 + g) sum_{y-1}` (or `<=`):
    /// against observed data in the first planning year, against the plan after it.
    fn growth_terms(
        &self,
        year: Year,
        growth: f64,
        weight: &dyn Fn(usize, Route, Year) -> Option<f64>,
    ) -> (Vec<(usize, f64)>, f64) {
        let years = &self.scenario.years;
        let mut terms = self.route_sum(year, weight);
        let position = years.iter().position(|&y| y == year).unwrap_or(0);
        if position == 0 {
            return (terms, (1.0 + growth) * self.base_route_sum(weight));
        }
        let previous = self.route_sum(years[position - 1], weight);
        terms.extend(
            previous
                .into_iter()
                .map(|(column, coefficient)| (column, -(1.0 + growth) * coefficient)),
        );
        (terms, 0.0)
    }

    /// M12's terms: imported feed - cap x all feed, for one metal and year.
    fn import_dependence_terms(&self, metal: usize, year: Year, bound: f64) -> Vec<(usize, f64)> {
        let mut terms = Vec::new();
        for route in Route::ALL {
            for source in route.feed_sources() {
                if let Some(column) = self.feed(metal, source, year) {
                    let imported = if source.is_imported() { 1.0 } else { 0.0 };
                    terms.push((column, imported - bound));
                }
            }
        }
        terms
    }

    /// Rows M8-M13: the national targets, one per [`target_keys`] entry.
    pub(super) fn target_rows(&mut self) {
        let scenario = self.scenario;
        let counts_toward_output = |metal: usize, route: Route, _year: Year| {
            scenario.metals[metal]
                .route(route)
                .filter(|spec| spec.counts_toward_output_total)
                .map(|_| 1.0)
        };
        let value_added = |metal: usize, route: Route, year: Year| {
            scenario.metals[metal]
                .route(route)
                .and_then(|spec| spec.value_added_cny_per_t.get(year))
        };
        let recycled = |metal: usize, route: Route, _year: Year| {
            (route == Route::Recycled && counts_toward_recycled(scenario, metal)).then_some(1.0)
        };
        let co2 = |metal: usize, route: Route, year: Year| {
            scenario.metals[metal]
                .route(route)
                .map(|spec| spec.co2_t_per_t.at(year))
        };
        for key in target_keys(scenario) {
            let TargetKey {
                target,
                metal,
                year,
                bound,
            } = key;
            let (terms, sense, rhs) = match target {
                // M8: recycled output floor.
                TargetKind::RecycledOutputMin => {
                    (self.route_sum(year, &recycled), Sense::AtLeast, bound)
                }
                // M9, M10: ten-metal output growth floor and ceiling.
                TargetKind::OutputGrowthMin => {
                    let (terms, rhs) = self.growth_terms(year, bound, &counts_toward_output);
                    (terms, Sense::AtLeast, rhs)
                }
                TargetKind::OutputGrowthMax => {
                    let (terms, rhs) = self.growth_terms(year, bound, &counts_toward_output);
                    (terms, Sense::AtMost, rhs)
                }
                // M11: value-added growth floor.
                TargetKind::ValueAddedGrowthMin => {
                    let (terms, rhs) = self.growth_terms(year, bound, &value_added);
                    (terms, Sense::AtLeast, rhs)
                }
                // M12: imported feed - cap x all feed <= 0, per metal.
                TargetKind::ImportDependenceMax => {
                    let metal = metal.expect("an import-dependence target names its metal");
                    let terms = self.import_dependence_terms(metal, year, bound);
                    (terms, Sense::AtMost, 0.0)
                }
                // M13: CO2 cap.
                TargetKind::Co2Max => (self.route_sum(year, &co2), Sense::AtMost, bound),
            };
            self.push_row(
                key.row_name(scenario),
                RowKind::Target {
                    target,
                    metal,
                    bound,
                },
                year,
                (terms, sense, rhs),
            );
        }
    }

    /// M19: with soft targets, each target row (and each scenario rule's `<=`/`>=` row, M20) gets
    /// a shortfall column that lets it be missed.
    /// The first solve stage minimises their weighted sum: 1 per Mt (output, feed, CO2) and
    /// 1 per base-year-average tonne of value added for value-added rows.
    pub(super) fn shortfalls(&mut self) {
        let scenario = self.scenario;
        let (mut output, mut value_added) = (0.0, 0.0);
        for metal in &scenario.metals {
            for route in Route::ALL {
                if let Some(spec) = metal.route(route) {
                    let base = spec.base_output_mt.unwrap_or(0.0);
                    output += base;
                    value_added += base * spec.value_added_cny_per_t.at(scenario.base_year);
                }
            }
        }
        // Million CNY of value added per Mt-equivalent: the average value added per tonne.
        let average_value_added = if output > 0.0 && value_added > 0.0 {
            value_added / output
        } else {
            1.0
        };
        for row_index in 0..self.model.rows.len() {
            let row = &self.model.rows[row_index];
            // Scenario rules (M20) are soft too, weighted 1 per unit of their row (Mt).
            let weight = match row.kind {
                RowKind::Target {
                    target: TargetKind::ValueAddedGrowthMin,
                    ..
                } => 1.0 / average_value_added,
                RowKind::Target { .. } | RowKind::User { .. } => 1.0,
                _ => continue,
            };
            let sign = match row.sense {
                Sense::AtLeast => 1.0,
                Sense::AtMost => -1.0,
                Sense::Equal => continue,
            };
            let name = format!("shortfall[{}]", row.name);
            let key = VariableKey::Shortfall { row: row_index };
            let column = self.model.columns.len();
            self.model.columns.push(Column {
                name,
                key,
                lower: 0.0,
                upper: f64::INFINITY,
            });
            self.model.index.insert(key, column);
            self.model.objectives.push_zero();
            self.model.objectives.shortfall[column] = weight;
            self.model.rows[row_index].terms.push((column, sign));
        }
    }
}

/// Whether the metal's recycled route counts toward the national recycled total (default yes).
#[must_use]
pub fn counts_toward_recycled(scenario: &Scenario, metal: usize) -> bool {
    scenario.metals[metal]
        .recycled
        .as_ref()
        .is_some_and(|spec| spec.counts_toward_recycled_total != Some(false))
}

/// One national target row (M8-M13) of a scenario, before it is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetKey {
    /// Which target.
    pub target: TargetKind,
    /// The metal, for per-metal targets (index into `Scenario::metals`).
    pub metal: Option<usize>,
    /// The year.
    pub year: Year,
    /// The bound in user units (Mt, a growth rate, a fraction, Mt CO2).
    pub bound: f64,
}

impl TargetKey {
    /// The row's name: `<target>[<year>]`, or `<target>[<metal>,<year>]` for per-metal targets.
    #[must_use]
    pub fn row_name(&self, scenario: &Scenario) -> String {
        let name = self.target.key();
        match self.metal {
            Some(metal) => format!("{name}[{},{}]", scenario.metals[metal].name, self.year),
            None => format!("{name}[{}]", self.year),
        }
    }
}

/// The national target rows of a valid scenario, in the order the model holds them: each
/// target in the order of docs/model.md (M8-M13), year by year, import-dependence caps metal by
/// metal in name order.
#[must_use]
pub fn target_keys(scenario: &Scenario) -> Vec<TargetKey> {
    let targets = &scenario.targets;
    let mut keys = Vec::new();
    let mut yearly = |target: TargetKind, metal: Option<usize>, schedule: Option<&PerYear>| {
        for &year in &scenario.years {
            if let Some(bound) = schedule.and_then(|schedule| schedule.get(year)) {
                keys.push(TargetKey {
                    target,
                    metal,
                    year,
                    bound,
                });
            }
        }
    };
    yearly(
        TargetKind::RecycledOutputMin,
        None,
        targets.recycled_output_min_mt.as_ref(),
    );
    yearly(
        TargetKind::OutputGrowthMin,
        None,
        targets.output_growth_min.as_ref(),
    );
    yearly(
        TargetKind::OutputGrowthMax,
        None,
        targets.output_growth_max.as_ref(),
    );
    yearly(
        TargetKind::ValueAddedGrowthMin,
        None,
        targets.value_added_growth_min.as_ref(),
    );
    for (metal_name, cap) in &targets.import_dependence_max {
        if let Some(metal) = scenario.metals.iter().position(|m| &m.name == metal_name) {
            yearly(TargetKind::ImportDependenceMax, Some(metal), Some(cap));
        }
    }
    yearly(TargetKind::Co2Max, None, targets.co2_max_mt.as_ref());
    keys
}

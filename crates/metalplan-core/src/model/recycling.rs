//! Recycling as it is done (M30 and M34-M36 in docs/model.md): scrap grades with their own
//! availability, products of the recycled route with limits on the grades they take, and what a
//! tonne of recycled output holds besides scrap (primary metal for dilution, alloying
//! elements). A recycled route without grades, products or additions adds nothing here.

use super::objectives::ColumnCosts;
use super::{Builder, RowKind, Sense, VariableKey};
use crate::scenario::{AdditionsView, Metal, Origin, Route, RouteSpec, Year};

/// The recycled route of `metal`, if it has one.
fn recycled(metal: &Metal) -> Option<&RouteSpec> {
    metal.recycled.as_ref()
}

/// The additions that apply to each output column of the recycled route: the route itself when
/// it has no products, else each product.
pub(crate) fn addition_outputs(
    metal: &Metal,
    metal_index: usize,
    year: Year,
) -> Vec<(VariableKey, AdditionsView<'_>)> {
    let Some(spec) = recycled(metal) else {
        return Vec::new();
    };
    if spec.products.is_empty() {
        return vec![(
            VariableKey::Output {
                metal: metal_index,
                route: Route::Recycled,
                year,
            },
            spec.additions(),
        )];
    }
    spec.products
        .iter()
        .enumerate()
        .map(|(product, product_spec)| {
            (
                VariableKey::ProductOutput {
                    metal: metal_index,
                    product,
                    year,
                },
                product_spec.additions(),
            )
        })
        .collect()
}

/// The grade-use columns of one product (or of the route, `None`) of `metal` in `year`, with
/// each grade's recovery.
fn grade_keys(
    spec: &RouteSpec,
    metal_index: usize,
    product: Option<usize>,
    year: Year,
) -> Vec<(VariableKey, f64)> {
    spec.grades
        .values()
        .enumerate()
        .map(|(grade, grade_spec)| {
            (
                VariableKey::GradeUse {
                    metal: metal_index,
                    grade,
                    product,
                    year,
                },
                grade_spec.recovery,
            )
        })
        .collect()
}

impl Builder<'_> {
    /// The columns of one metal's recycling in one year: product outputs and grade uses, with
    /// their costs; and the alloying elements' cost and CO2 on the route's output column when
    /// the route has no products.
    pub(super) fn recycling_columns(&mut self, metal_index: usize, year: Year, discount: f64) {
        let metal = &self.scenario.metals[metal_index];
        let Some(spec) = recycled(metal) else {
            return;
        };
        // Alloying on the route's own output (no products): its cost and CO2 per tonne.
        if spec.products.is_empty() && !spec.alloying.is_empty() {
            let additions = spec.additions();
            if let Some(output) = self.output(metal_index, Route::Recycled, year) {
                self.model
                    .objectives
                    .add_cost(output, discount * additions.alloying_cost(year));
                self.model.objectives.emissions[output] += additions.alloying_co2(year);
            }
        }
        for (product, product_spec) in spec.products.iter().enumerate() {
            let additions = product_spec.additions();
            let costs = ColumnCosts {
                cost: discount * additions.alloying_cost(year),
                emissions: additions.alloying_co2(year),
                ..ColumnCosts::default()
            };
            let key = VariableKey::ProductOutput {
                metal: metal_index,
                product,
                year,
            };
            let column = self.add_costed_column(key, f64::INFINITY, costs);
            self.model.columns[column].lower = product_spec
                .output_min_mt
                .as_ref()
                .map_or(0.0, |least| least.at(year));
        }
        let products: Vec<Option<usize>> = if spec.products.is_empty() {
            vec![None]
        } else {
            (0..spec.products.len()).map(Some).collect()
        };
        for (grade, grade_spec) in spec.grades.values().enumerate() {
            for &product in &products {
                let costs = ColumnCosts {
                    cost: discount * grade_spec.cost_cny_per_t.at(year),
                    imports: if grade_spec.origin == Origin::Imported {
                        1.0
                    } else {
                        0.0
                    },
                    ..ColumnCosts::default()
                };
                let key = VariableKey::GradeUse {
                    metal: metal_index,
                    grade,
                    product,
                    year,
                };
                self.add_costed_column(key, f64::INFINITY, costs);
            }
        }
    }

    /// M1's grade terms for the recycled route without products: `-recovery x use` per grade.
    pub(super) fn route_grade_terms(&self, metal_index: usize, year: Year) -> Vec<(usize, f64)> {
        let metal = &self.scenario.metals[metal_index];
        let Some(spec) = recycled(metal) else {
            return Vec::new();
        };
        grade_keys(spec, metal_index, None, year)
            .into_iter()
            .filter_map(|(key, recovery)| Some((self.model.column(key)?, -recovery)))
            .collect()
    }

    /// The recycled route's rows beyond M1 and M2 in one year: with products, M34 (the route
    /// makes what its products make; each product is the scrap metal recovered for it plus its
    /// additions) replacing M1, and M36 (grade limits); with grades, M35 (grade availability).
    pub(super) fn recycling_rows(&mut self, metal_index: usize, year: Year, output: usize) {
        let metal = &self.scenario.metals[metal_index];
        let Some(spec) = recycled(metal) else {
            return;
        };
        let name = &metal.name;
        if !spec.products.is_empty() {
            // M34: recycled output - sum of product outputs = 0.
            let mut terms = vec![(output, 1.0)];
            for product in 0..spec.products.len() {
                if let Some(column) = self.model.column(VariableKey::ProductOutput {
                    metal: metal_index,
                    product,
                    year,
                }) {
                    terms.push((column, -1.0));
                }
            }
            self.push_row(
                format!("product_total[{name},{year}]"),
                RowKind::ProductTotal { metal: metal_index },
                year,
                (terms, Sense::Equal, 0.0),
            );
            for product in 0..spec.products.len() {
                self.product_rows(metal_index, product, year);
            }
        }
        // M35: each grade drawn within what is available.
        for (grade, (grade_name, grade_spec)) in spec.grades.iter().enumerate() {
            let uses: Vec<(usize, f64)> = (0..spec.products.len().max(1))
                .filter_map(|product| {
                    let product = (!spec.products.is_empty()).then_some(product);
                    self.model.column(VariableKey::GradeUse {
                        metal: metal_index,
                        grade,
                        product,
                        year,
                    })
                })
                .map(|column| (column, 1.0))
                .collect();
            self.push_row(
                format!("grade_available[{name},{grade_name},{year}]"),
                RowKind::GradeAvailable {
                    metal: metal_index,
                    grade,
                },
                year,
                (uses, Sense::AtMost, grade_spec.available_mt.at(year)),
            );
        }
    }

    /// M34 for one product (its output is the scrap metal recovered for it plus its additions)
    /// and M36 (each limited grade's recovered metal at most its share of the product).
    fn product_rows(&mut self, metal_index: usize, product: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        let Some(spec) = recycled(metal) else {
            return;
        };
        let product_spec = &spec.products[product];
        let Some(output) = self.model.column(VariableKey::ProductOutput {
            metal: metal_index,
            product,
            year,
        }) else {
            return;
        };
        let label = format!("{},{}", metal.name, product_spec.name);
        // M34: (1 - additions) x product output - sum of recovery x grade use = 0.
        let scrap_share = 1.0 - product_spec.additions().total_share(year);
        let mut terms = vec![(output, scrap_share)];
        terms.extend(
            grade_keys(spec, metal_index, Some(product), year)
                .into_iter()
                .filter_map(|(key, recovery)| Some((self.model.column(key)?, -recovery))),
        );
        self.push_row(
            format!("product_balance[{label},{year}]"),
            RowKind::ProductBalance {
                metal: metal_index,
                product,
            },
            year,
            (terms, Sense::Equal, 0.0),
        );
        // M36: recovery x grade use - share x product output <= 0.
        for (grade_name, share) in &product_spec.max_grade_share {
            let Some((grade, grade_spec)) = spec.grade(grade_name) else {
                continue;
            };
            let Some(share) = share.get(year) else {
                continue;
            };
            let Some(use_column) = self.model.column(VariableKey::GradeUse {
                metal: metal_index,
                grade,
                product: Some(product),
                year,
            }) else {
                continue;
            };
            self.push_row(
                format!("grade_share_max[{label},{grade_name},{year}]"),
                RowKind::GradeShare {
                    metal: metal_index,
                    grade,
                    product,
                },
                year,
                (
                    vec![(use_column, grade_spec.recovery), (output, -share)],
                    Sense::AtMost,
                    0.0,
                ),
            );
        }
    }

    /// The primary metal drawn into the recycled route in `year`, as terms over its output
    /// columns (route output, or product outputs), each `+ratio`: empty when none is drawn.
    pub(super) fn primary_draw_terms(&self, metal_index: usize, year: Year) -> Vec<(usize, f64)> {
        let metal = &self.scenario.metals[metal_index];
        addition_outputs(metal, metal_index, year)
            .into_iter()
            .filter_map(|(key, additions)| {
                let ratio = additions.primary_share(year);
                (ratio > 0.0).then_some(())?;
                Some((self.model.column(key)?, ratio))
            })
            .collect()
    }

    /// M30 for a metal without demand: the primary metal the recycled route draws comes from the
    /// primary route's output (with demand, the refined market balance, M26, holds it).
    pub(super) fn primary_input_row(&mut self, metal_index: usize, year: Year) {
        let metal = &self.scenario.metals[metal_index];
        if metal.demand.is_some() {
            return;
        }
        let draw = self.primary_draw_terms(metal_index, year);
        if draw.is_empty() {
            return;
        }
        let Some(primary) = self.output(metal_index, Route::Primary, year) else {
            return;
        };
        // M30: primary output - primary drawn into recycled output >= 0.
        let mut terms = vec![(primary, 1.0)];
        terms.extend(draw.into_iter().map(|(column, ratio)| (column, -ratio)));
        self.push_row(
            format!("primary_input[{},{year}]", metal.name),
            RowKind::PrimaryInput { metal: metal_index },
            year,
            (terms, Sense::AtLeast, 0.0),
        );
    }

    /// The product outputs' alloying CO2 in `year` (M13 and M15 count it; a route without
    /// products carries its alloying CO2 in its own factor).
    pub(super) fn product_co2_terms(&self, year: Year) -> Vec<(usize, f64)> {
        let mut terms = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            let Some(spec) = recycled(metal) else {
                continue;
            };
            for (product, product_spec) in spec.products.iter().enumerate() {
                let co2 = product_spec.additions().alloying_co2(year);
                if co2 == 0.0 {
                    continue;
                }
                if let Some(column) = self.model.column(VariableKey::ProductOutput {
                    metal: metal_index,
                    product,
                    year,
                }) {
                    terms.push((column, co2));
                }
            }
        }
        terms
    }
}

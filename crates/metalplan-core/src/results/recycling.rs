//! The recycling parts of a result: scrap drawn per grade, and what recycled output holds
//! besides scrap (docs/results.md, "Grades and recycled inputs").

use serde::{Deserialize, Serialize};

use super::PlanView;
use crate::model::{addition_outputs, VariableKey};
use crate::scenario::{Origin, Route, Year};

/// One scrap grade of one metal in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeRow {
    /// Metal key.
    pub metal: String,
    /// Grade name.
    pub grade: String,
    /// `domestic` or `imported`.
    pub origin: Origin,
    /// Year.
    pub year: Year,
    /// Scrap drawn, Mt of contained metal (all products together).
    pub used_mt: f64,
    /// Scrap available, Mt of contained metal.
    pub available_mt: f64,
    /// Change in cost (minus welfare) per extra tonne available, CNY/t: `0` when the grade is
    /// not used up, negative when more would pay. `null` unless the objective is cost or welfare.
    pub shadow_price_cny_per_t: Option<f64>,
    /// Scrap drawn by each product, Mt, in product order (empty for a route without products).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_product_mt: Vec<f64>,
}

/// What one output of a recycled route (the route, or one of its products) holds in one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecycledInputRow {
    /// Metal key.
    pub metal: String,
    /// The product; `null` for the route itself (no products).
    pub product: Option<String>,
    /// Year.
    pub year: Year,
    /// Output, Mt.
    pub output_mt: f64,
    /// Metal recovered from scrap in it, Mt.
    pub scrap_metal_mt: f64,
    /// Primary metal drawn into it, Mt.
    pub primary_input_mt: f64,
    /// Alloying elements added, Mt (all elements together).
    pub alloying_mt: f64,
}

impl PlanView<'_> {
    /// Imported and all scrap grades drawn by `metal`'s recycled route in `year`, Mt.
    pub(super) fn grades_drawn(&self, metal: usize, year: Year) -> (f64, f64) {
        let Some(spec) = &self.scenario.metals[metal].recycled else {
            return (0.0, 0.0);
        };
        let (mut imported, mut all) = (0.0, 0.0);
        for (grade, grade_spec) in spec.grades.values().enumerate() {
            let used = self.grade_used(metal, grade, year).0;
            all += used;
            if grade_spec.origin == Origin::Imported {
                imported += used;
            }
        }
        (imported, all)
    }

    /// Scrap of `grade` drawn in `year`, Mt: in all, and by each product.
    fn grade_used(&self, metal: usize, grade: usize, year: Year) -> (f64, Vec<f64>) {
        let products = self.scenario.metals[metal]
            .recycled
            .as_ref()
            .map_or(0, |spec| spec.products.len());
        if products == 0 {
            let used = self.value(VariableKey::GradeUse {
                metal,
                grade,
                product: None,
                year,
            });
            return (used, Vec::new());
        }
        let by_product: Vec<f64> = (0..products)
            .map(|product| {
                self.value(VariableKey::GradeUse {
                    metal,
                    grade,
                    product: Some(product),
                    year,
                })
            })
            .collect();
        (by_product.iter().sum(), by_product)
    }

    pub(super) fn grade_rows(&self) -> Vec<GradeRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            let Some(spec) = &metal.recycled else {
                continue;
            };
            for &year in &self.scenario.years {
                for (grade, (name, grade_spec)) in spec.grades.iter().enumerate() {
                    let (used_mt, by_product_mt) = self.grade_used(metal_index, grade, year);
                    rows.push(GradeRow {
                        metal: metal.name.clone(),
                        grade: name.clone(),
                        origin: grade_spec.origin,
                        year,
                        used_mt,
                        available_mt: grade_spec.available_mt.at(year),
                        shadow_price_cny_per_t: self
                            .dual_of(&format!("grade_available[{},{name},{year}]", metal.name)),
                        by_product_mt,
                    });
                }
            }
        }
        rows
    }

    pub(super) fn recycled_input_rows(&self) -> Vec<RecycledInputRow> {
        let mut rows = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            let Some(spec) = &metal.recycled else {
                continue;
            };
            let has_inputs = !spec.grades.is_empty()
                || !spec.products.is_empty()
                || !spec.additions().is_empty();
            if !has_inputs {
                continue;
            }
            for &year in &self.scenario.years {
                for (key, additions) in addition_outputs(metal, metal_index, year) {
                    let product = match key {
                        VariableKey::ProductOutput { product, .. } => {
                            Some(spec.products[product].name.clone())
                        }
                        _ => None,
                    };
                    let output_mt = match key {
                        VariableKey::ProductOutput { .. } => self.value(key),
                        _ => self.output(metal_index, Route::Recycled, year),
                    };
                    let primary_input_mt = additions.primary_share(year) * output_mt;
                    let total_share = additions.total_share(year);
                    rows.push(RecycledInputRow {
                        metal: metal.name.clone(),
                        product,
                        year,
                        output_mt,
                        scrap_metal_mt: (1.0 - total_share) * output_mt,
                        primary_input_mt,
                        alloying_mt: (total_share - additions.primary_share(year)) * output_mt,
                    });
                }
            }
        }
        rows
    }

    /// The primary metal drawn into recycled output in `year` that the output total would count
    /// twice (metals whose routes both count toward it), Mt.
    pub(super) fn counted_twice(&self, year: Year) -> f64 {
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            let both = [Route::Primary, Route::Recycled].iter().all(|&route| {
                metal
                    .route(route)
                    .is_some_and(|spec| spec.counts_toward_output_total)
            });
            if !both {
                continue;
            }
            for (key, additions) in addition_outputs(metal, metal_index, year) {
                total += additions.primary_share(year) * self.value(key);
            }
        }
        total
    }

    /// CO2 of alloying elements in `year`, Mt: on the route's output, or on each product's.
    pub(super) fn alloying_co2(&self, year: Year) -> f64 {
        let mut total = 0.0;
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            for (key, additions) in addition_outputs(metal, metal_index, year) {
                let co2 = additions.alloying_co2(year);
                if co2 != 0.0 {
                    total += co2 * self.value(key);
                }
            }
        }
        total
    }
}

//! A valid rule as one linear row per year over model variables (M20 in docs/model.md).

use super::{ConstraintTerm, TermVariable};
use crate::scenario::{Metal, Route, Scenario, Sense, Year};
use crate::variable::{Material, VariableKey};

/// One row of a valid rule in one year, over model variables.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpandedConstraint {
    /// Index of the rule in `Scenario::constraints`.
    pub constraint: usize,
    /// The year of the row.
    pub year: Year,
    /// `sum(terms)`: each variable with its coefficient (a variable may appear more than once).
    pub part: Vec<(VariableKey, f64)>,
    /// Share form: the share and `sum(of)`.
    pub whole: Option<(f64, Vec<(VariableKey, f64)>)>,
    /// Direction.
    pub sense: Sense,
    /// Right-hand side: `rhs` of the linear form, 0 for the share form.
    pub rhs: f64,
}

/// Every row of every rule of a valid scenario, rule by rule, year by year.
#[must_use]
pub fn expand(scenario: &Scenario) -> Vec<ExpandedConstraint> {
    let mut rows = Vec::new();
    for (index, constraint) in scenario.constraints.iter().enumerate() {
        let Some(sense) = constraint.parsed_sense() else {
            continue;
        };
        for year in constraint.rule_years(scenario) {
            let sum = |terms: &[ConstraintTerm]| -> Vec<(VariableKey, f64)> {
                terms
                    .iter()
                    .flat_map(|term| {
                        let coefficient = term.coefficient.unwrap_or(1.0);
                        select(scenario, term, term.year.unwrap_or(year))
                            .into_iter()
                            .map(move |key| (key, coefficient))
                    })
                    .collect()
            };
            let part = sum(&constraint.terms);
            let whole = match (&constraint.share, &constraint.of) {
                (Some(share), Some(of)) => Some((share.get(year).unwrap_or(0.0), sum(of))),
                _ => None,
            };
            let rhs = if whole.is_some() {
                0.0
            } else {
                constraint
                    .rhs
                    .as_ref()
                    .and_then(|rhs| rhs.get(year))
                    .unwrap_or(0.0)
            };
            rows.push(ExpandedConstraint {
                constraint: index,
                year,
                part,
                whole,
                sense,
                rhs,
            });
        }
    }
    rows
}

/// Whether capacity of `route` of metal `metal` can be built in `year` (a build variable exists:
/// `max_build_mt_per_year` above 0 that year).
fn can_build(scenario: &Scenario, metal: usize, route: Route, year: Year) -> bool {
    scenario.metals[metal]
        .route(route)
        .and_then(|spec| spec.max_build_mt_per_year.as_ref())
        .and_then(|limit| limit.get(year))
        .is_some_and(|limit| limit > 0.0)
}

/// The variables a term selects in `year`: every combination of its keys that names a variable
/// of the model. Unknown names select nothing (validation reports them).
pub(super) fn select(scenario: &Scenario, term: &ConstraintTerm, year: Year) -> Vec<VariableKey> {
    let Some(variable) = TermVariable::parse(term.variable.as_deref()) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for (metal_index, metal) in scenario.metals.iter().enumerate() {
        if term
            .metal
            .as_ref()
            .is_some_and(|names| !names.contains(&metal.name))
        {
            continue;
        }
        if variable.by_route() {
            select_by_route(
                scenario,
                term,
                variable,
                (metal_index, metal),
                year,
                &mut keys,
            );
        } else if variable.in_recycling() {
            select_in_recycling(
                scenario,
                term,
                variable,
                (metal_index, metal),
                year,
                &mut keys,
            );
        } else {
            select_in_market(term, variable, (metal_index, metal), year, &mut keys);
        }
    }
    keys
}

/// Output, feed and build variables of one metal a term selects.
fn select_by_route(
    scenario: &Scenario,
    term: &ConstraintTerm,
    variable: TermVariable,
    (metal_index, metal): (usize, &Metal),
    year: Year,
    keys: &mut Vec<VariableKey>,
) {
    for route in Route::ALL {
        if term
            .route
            .as_ref()
            .is_some_and(|names| !names.contains(route.key()))
        {
            continue;
        }
        let Some(spec) = metal.route(route) else {
            continue;
        };
        match variable {
            TermVariable::Output => keys.push(VariableKey::Output {
                metal: metal_index,
                route,
                year,
            }),
            TermVariable::Build if can_build(scenario, metal_index, route, year) => {
                keys.push(VariableKey::Build {
                    metal: metal_index,
                    route,
                    year,
                });
            }
            TermVariable::Feed => {
                for source in route.feed_sources() {
                    let wanted = term
                        .source
                        .as_ref()
                        .is_none_or(|names| names.contains(source.key()));
                    if wanted && spec.feed_source(source).is_some() {
                        keys.push(VariableKey::Feed {
                            metal: metal_index,
                            source,
                            year,
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

/// Stage, trade and consumption variables of one metal a term selects.
fn select_in_market(
    term: &ConstraintTerm,
    variable: TermVariable,
    (metal_index, metal): (usize, &Metal),
    year: Year,
    keys: &mut Vec<VariableKey>,
) {
    let metal_key = metal_index;
    match variable {
        TermVariable::StageOutput => {
            for (stage, spec) in metal.stages.iter().enumerate() {
                if term
                    .stage
                    .as_ref()
                    .is_none_or(|names| names.contains(&spec.name))
                {
                    keys.push(VariableKey::StageOutput {
                        metal: metal_key,
                        stage,
                        year,
                    });
                }
            }
        }
        TermVariable::Import | TermVariable::Export => {
            for trade in &metal.trade {
                let wanted = term
                    .material
                    .as_ref()
                    .is_none_or(|names| names.contains(&trade.material));
                let material = match metal.stage(&trade.material) {
                    Some((stage, _)) => Material::Stage(stage),
                    None => Material::Refined,
                };
                if wanted && variable == TermVariable::Import && trade.import_max_mt.is_some() {
                    keys.push(VariableKey::Import {
                        metal: metal_key,
                        material,
                        year,
                    });
                }
                if wanted && variable == TermVariable::Export && trade.export_max_mt.is_some() {
                    keys.push(VariableKey::Export {
                        metal: metal_key,
                        material,
                        year,
                    });
                }
            }
        }
        TermVariable::Consumption => {
            if metal.demand.is_some() {
                keys.push(VariableKey::Consumption {
                    metal: metal_key,
                    year,
                });
            }
        }
        TermVariable::GradeUse
        | TermVariable::ProductOutput
        | TermVariable::Power
        | TermVariable::Output
        | TermVariable::Feed
        | TermVariable::Build => {}
    }
}

/// Grade, product and power variables of one metal a term selects.
fn select_in_recycling(
    scenario: &Scenario,
    term: &ConstraintTerm,
    variable: TermVariable,
    (metal_index, metal): (usize, &Metal),
    year: Year,
    keys: &mut Vec<VariableKey>,
) {
    let named =
        |names: &Option<super::Names>, name: &str| super::Names::selects(names.as_ref(), name);
    let recycled = metal.recycled.as_ref();
    let products: Vec<usize> = recycled.map_or(Vec::new(), |spec| {
        (0..spec.products.len())
            .filter(|&product| named(&term.product, &spec.products[product].name))
            .collect()
    });
    match variable {
        TermVariable::GradeUse => {
            let Some(spec) = recycled else { return };
            for (grade, name) in spec.grades.keys().enumerate() {
                if !named(&term.grade, name) {
                    continue;
                }
                let key = |product| VariableKey::GradeUse {
                    metal: metal_index,
                    grade,
                    product,
                    year,
                };
                if spec.products.is_empty() {
                    if term.product.is_none() {
                        keys.push(key(None));
                    }
                } else {
                    keys.extend(products.iter().map(|&product| key(Some(product))));
                }
            }
        }
        TermVariable::ProductOutput => {
            keys.extend(products.iter().map(|&product| VariableKey::ProductOutput {
                metal: metal_index,
                product,
                year,
            }));
        }
        TermVariable::Power => {
            let Some(electricity) = &scenario.electricity else {
                return;
            };
            for (process, _) in crate::model::power_users(metal) {
                if !named(&term.process, crate::model::process_name(metal, process)) {
                    continue;
                }
                for (source, spec) in electricity.sources.iter().enumerate() {
                    if named(&term.source, &spec.name) {
                        keys.push(VariableKey::Power {
                            source,
                            metal: metal_index,
                            process,
                            year,
                        });
                    }
                }
            }
        }
        _ => {}
    }
}

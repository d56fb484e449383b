//! The size of a scenario's model, counted part by part from the scenario without building it
//! (`crate::size` says why). Each part follows the file that builds it and counts what that
//! file adds per metal, route, stage and year; where a count depends on numbers (a build limit
//! of 0 adds no column) it counts the column, so the estimate errs on the large side. Plugin
//! rows are not counted: plugins add a few rows per year, and are called before this check.

use super::targets::target_keys;
use super::TargetKind;
use metalplan_plugin::Contribution;

use crate::scenario::{Metal, RouteSpec, Scenario};
use crate::size::ModelSize;

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// `1 + 2 + ... + n`: the terms of the capacity rows of a build column series, each year's row
/// holding every build up to that year (M3, M4, M21, M24).
fn cumulative(n: u64) -> u64 {
    n.saturating_mul(n.saturating_add(1)) / 2
}

impl ModelSize {
    /// What `contribution` adds to a model: a row per constraint, a column per new variable, a
    /// non-zero per term.
    #[must_use]
    pub fn of_contribution(contribution: &Contribution) -> ModelSize {
        ModelSize {
            columns: count(contribution.variables.len()),
            rows: count(contribution.constraints.len()),
            nonzeros: contribution.constraints.iter().fold(0_u64, |terms, row| {
                terms.saturating_add(count(row.terms.len()))
            }),
        }
    }

    /// The model [`crate::model::Model::build_for`] would make of a validated `scenario`,
    /// counted from the scenario alone.
    #[must_use]
    pub fn estimate(scenario: &Scenario) -> ModelSize {
        let years = count(scenario.years.len());
        let power_sources = scenario
            .electricity
            .as_ref()
            .map_or(0, |electricity| count(electricity.sources.len()));
        let mut size = ModelSize::default();
        // Output columns per year, all metals: national targets sum over them.
        let mut outputs_per_year = 0_u64;
        for metal in &scenario.metals {
            size = size.plus(metal_part(metal, years, power_sources));
            outputs_per_year = outputs_per_year
                .saturating_add(count(metal.primary.iter().chain(&metal.recycled).count()))
                .saturating_add(count(metal.stages.len()));
        }
        size = size.plus(facility_part(scenario));
        // M32: one row per source and year over every process's power.
        size = size.plus(ModelSize {
            columns: 0,
            rows: power_sources.saturating_mul(years),
            nonzeros: 0,
        });
        // M8-M13, M33: a target row sums the outputs (growth rows: of two years) or a metal's
        // feed; each may get a shortfall column (M19).
        for key in target_keys(scenario) {
            let terms = match key.target {
                TargetKind::OutputGrowthMin
                | TargetKind::OutputGrowthMax
                | TargetKind::ValueAddedGrowthMin => outputs_per_year.saturating_mul(2),
                TargetKind::RecycledOutputMin | TargetKind::Co2Max => outputs_per_year,
                // One metal's feed, trade or power.
                TargetKind::ImportDependenceMax | TargetKind::CleanElectricityMin => 8,
            };
            size = size.plus(ModelSize {
                columns: u64::from(scenario.soft_targets),
                rows: 1,
                nonzeros: terms.saturating_add(1),
            });
        }
        // M20: a row per rule and year; a term without a metal selects every metal's columns.
        let metals = count(scenario.metals.len()).max(1);
        for rule in &scenario.constraints {
            let terms = rule.terms.iter().chain(rule.of.iter().flatten());
            let per_row = terms
                .map(|term| if term.metal.is_some() { 2 } else { 2 * metals })
                .fold(1_u64, u64::saturating_add);
            size = size.plus(
                ModelSize {
                    columns: u64::from(scenario.soft_targets),
                    rows: 1,
                    nonzeros: per_row,
                }
                .times(years),
            );
        }
        size
    }
}

/// One metal's columns and rows over all years: routes, shared capacity, stages, trade and
/// demand (columns.rs, balances.rs, capacities.rs, market.rs, recycling.rs, electricity.rs).
fn metal_part(metal: &Metal, years: u64, power_sources: u64) -> ModelSize {
    let mut per_year = ModelSize::default();
    let mut builds = 0_u64;
    for spec in metal.primary.iter().chain(&metal.recycled) {
        per_year = per_year.plus(route_part(spec, power_sources));
        builds += u64::from(spec.max_build_mt_per_year.is_some());
    }
    if let Some(shared) = &metal.shared_capacity {
        // M4 over both outputs, and its build column.
        per_year = per_year.plus(ModelSize {
            columns: 0,
            rows: 1,
            nonzeros: 2,
        });
        builds += u64::from(shared.max_build_mt_per_year.is_some());
    }
    // M6, M7.
    let bounds =
        u64::from(metal.output_min_mt.is_some()) + u64::from(metal.output_max_mt.is_some());
    per_year = per_year.plus(ModelSize {
        columns: 0,
        rows: bounds,
        nonzeros: bounds * 2,
    });
    for stage in &metal.stages {
        let inputs = count(stage.input_t_per_t.len());
        let powered = u64::from(stage.electricity_mwh_per_t.is_some());
        // Output and the uses of its inputs; market (M25), capacity (M24), input (M23) rows;
        // power columns and balance (M31).
        per_year = per_year.plus(ModelSize {
            columns: 1 + inputs + powered * power_sources,
            rows: 3 + inputs + powered,
            nonzeros: 4 + 3 * inputs + powered * (2 + 2 * power_sources),
        });
        builds += u64::from(stage.max_build_mt_per_year.is_some());
    }
    // Imports and exports, on their market rows.
    let trade = metal
        .trade
        .iter()
        .map(|trade| {
            u64::from(trade.import_max_mt.is_some() || trade.import_min_mt.is_some())
                + u64::from(trade.export_max_mt.is_some() || trade.export_min_mt.is_some())
        })
        .sum::<u64>();
    per_year = per_year.plus(ModelSize {
        columns: trade,
        rows: 0,
        nonzeros: trade,
    });
    if let Some(demand) = &metal.demand {
        // Consumption, blocks, stock; the refined market (M26) and demand rows (M27, M28).
        let blocks = count(demand.blocks.len());
        let stock = u64::from(demand.stock.is_some());
        per_year = per_year.plus(ModelSize {
            columns: 1 + blocks + stock,
            rows: 3,
            nonzeros: 6 + 2 * blocks + 2 * stock,
        });
    }
    // Build columns, and their terms in every later year's capacity row.
    per_year.times(years).plus(ModelSize {
        columns: builds.saturating_mul(years),
        rows: 0,
        nonzeros: builds.saturating_mul(cumulative(years)),
    })
}

/// One route's columns and rows in one year (columns.rs, balances.rs, capacities.rs,
/// recycling.rs, electricity.rs).
fn route_part(spec: &RouteSpec, power_sources: u64) -> ModelSize {
    let feeds = count(spec.feed.len());
    let inputs = count(spec.input_t_per_t.len());
    let grades = count(spec.grades.len());
    let products = count(spec.products.len());
    let outputs = products.max(1);
    let shares: u64 = spec
        .products
        .iter()
        .map(|product| count(product.max_grade_share.len()))
        .sum();
    let powered = u64::from(spec.electricity_mwh_per_t.is_some());
    ModelSize {
        // Output, feed, input uses, grade use per output, products, power.
        columns: 1 + feeds + inputs + grades * outputs + products + powered * power_sources,
        // Balance (M1, or M34 per product), feed availability (M2), capacity (M3), grade
        // availability (M35) and shares (M36), primary input (M30), power balance (M31).
        rows: outputs + feeds + 1 + grades + shares + 1 + powered,
        nonzeros: 2
            + 3 * feeds
            + 2 * inputs
            + 2 * grades * outputs
            + 2 * products
            + 2 * shares
            + powered * (2 + 2 * power_sources),
    }
}

/// The facilities' output and build columns, capacity rows (M21) and their share of the route
/// totals (M22).
fn facility_part(scenario: &Scenario) -> ModelSize {
    scenario
        .facilities
        .iter()
        .map(|facility| {
            let operating = count(
                scenario
                    .years
                    .iter()
                    .filter(|&&year| facility.operates_in(year))
                    .count(),
            );
            let expands = u64::from(facility.max_build_mt_per_year > 0.0);
            ModelSize {
                columns: operating * (1 + expands),
                rows: operating,
                nonzeros: 2 * operating + expands * cumulative(operating),
            }
        })
        .fold(ModelSize::default(), ModelSize::plus)
}

#[cfg(test)]
mod tests {
    use crate::model::{Model, ObjectiveKind};
    use crate::scenario::load_scenario;
    use crate::size::ModelSize;

    /// The estimate against the model actually built, for the shipped and test scenarios:
    /// within a factor of two either way, so the limit refuses what it should.
    #[test]
    fn estimate_is_near_the_built_model() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        for file in [
            "scenarios/china-2025-2026.toml",
            "tests/data/hand-worked.toml",
            "tests/data/two-metals.toml",
            "tests/data/builds-and-caps.toml",
            "tests/data/user-constraints.toml",
            "tests/data/facilities/expansion.toml",
            "tests/data/legacy/china-2025-2026.toml",
        ] {
            let loaded = load_scenario(std::path::Path::new(&format!("{root}/{file}")))
                .unwrap_or_else(|error| panic!("{file}: {error}"));
            for soft in [false, true] {
                let mut scenario = loaded.scenario.clone();
                scenario.soft_targets = soft;
                let model = Model::build_for(&scenario, ObjectiveKind::Welfare);
                let built = [
                    model.columns.len(),
                    model.rows.len(),
                    model.rows.iter().map(|row| row.terms.len()).sum(),
                ];
                let estimate = ModelSize::estimate(&scenario);
                let estimated = [estimate.columns, estimate.rows, estimate.nonzeros];
                for ((what, built), estimated) in ["columns", "rows", "non-zeros"]
                    .iter()
                    .zip(built)
                    .zip(estimated)
                {
                    #[allow(clippy::cast_precision_loss)]
                    let ratio = estimated as f64 / built.max(1) as f64;
                    assert!(
                        (0.5..=2.0).contains(&ratio),
                        "{file} (soft {soft}): {what} estimated {estimated}, built {built}"
                    );
                }
            }
        }
    }
}

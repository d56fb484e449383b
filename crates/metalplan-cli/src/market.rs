//! The market parts of a result as table cells, shared by the terminal tables and the report:
//! stages, trade, prices and demand, import dependence by every definition, scrap grades and
//! recycled inputs, and electricity.

use metalplan_core::PlanResult;

use crate::format::{mt, percent, share_of, Cells};

fn optional_mt(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), mt)
}

fn price(value: Option<f64>) -> String {
    value.map_or_else(String::new, |price| format!("{price:.0}"))
}

/// Each stage's output, capacity and builds (empty when no metal has stages).
pub fn stage_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec![
            "metal",
            "stage",
            "year",
            "output (Mt)",
            "capacity (Mt)",
            "used",
            "built (Mt)",
            "capacity price (CNY/t)",
        ],
        extra_header: Vec::new(),
        rows: result
            .stages
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.stage.clone(),
                    row.year.to_string(),
                    mt(row.output_mt),
                    mt(row.capacity_mt),
                    share_of(row.output_mt, row.capacity_mt),
                    mt(row.built_mt),
                    price(row.capacity_shadow_price_cny_per_t),
                ]
            })
            .collect(),
    }
}

/// Imports and exports of every traded material.
pub fn trade_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec!["metal", "material", "year", "imports (Mt)", "exports (Mt)"],
        extra_header: Vec::new(),
        rows: result
            .trade
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.material.clone(),
                    row.year.to_string(),
                    optional_mt(row.import_mt),
                    optional_mt(row.export_mt),
                ]
            })
            .collect(),
    }
}

/// The price of every material with a market (the dual of its balance, undiscounted).
pub fn price_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec!["metal", "material", "year", "price (CNY/t)"],
        extra_header: Vec::new(),
        rows: result
            .markets
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.material.clone(),
                    row.year.to_string(),
                    price(row.price_cny_per_t),
                ]
            })
            .collect(),
    }
}

/// Consumption, the demand blocks taken and stocks.
pub fn demand_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec![
            "metal",
            "year",
            "consumption (Mt)",
            "blocks taken (Mt)",
            "stock (Mt)",
        ],
        extra_header: Vec::new(),
        rows: result
            .demand
            .iter()
            .map(|row| {
                let blocks: Vec<String> = row.blocks_mt.iter().map(|&taken| mt(taken)).collect();
                vec![
                    row.metal.clone(),
                    row.year.to_string(),
                    mt(row.consumption_mt),
                    blocks.join(" / "),
                    optional_mt(row.stock_mt),
                ]
            })
            .collect(),
    }
}

/// Import dependence by every definition (`-` where a definition has no whole to divide by).
pub fn dependence_cells(result: &PlanResult) -> Cells {
    let share = |value: Option<f64>| value.map_or_else(|| "-".to_string(), percent);
    Cells {
        header: vec![
            "metal",
            "year",
            "feed",
            "net imports / consumption",
            "raw material",
        ],
        extra_header: Vec::new(),
        rows: result
            .import_dependence
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.year.to_string(),
                    share(row.feed),
                    share(row.net_imports_over_consumption),
                    share(row.raw_material),
                ]
            })
            .collect(),
    }
}

/// Scrap drawn per grade.
pub fn grade_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec![
            "metal",
            "grade",
            "origin",
            "year",
            "used (Mt)",
            "available (Mt)",
            "used",
            "scarcity price (CNY/t)",
        ],
        extra_header: Vec::new(),
        rows: result
            .grades
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.grade.clone(),
                    row.origin.key().to_string(),
                    row.year.to_string(),
                    mt(row.used_mt),
                    mt(row.available_mt),
                    share_of(row.used_mt, row.available_mt),
                    price(row.shadow_price_cny_per_t),
                ]
            })
            .collect(),
    }
}

/// What recycled output (or each product) holds: scrap metal, primary metal, alloying.
pub fn recycled_input_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec![
            "metal",
            "product",
            "year",
            "output (Mt)",
            "scrap metal (Mt)",
            "primary metal (Mt)",
            "alloying (Mt)",
        ],
        extra_header: Vec::new(),
        rows: result
            .recycled_inputs
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.product.clone().unwrap_or_else(|| "-".to_string()),
                    row.year.to_string(),
                    mt(row.output_mt),
                    mt(row.scrap_metal_mt),
                    mt(row.primary_input_mt),
                    mt(row.alloying_mt),
                ]
            })
            .collect(),
    }
}

/// Each process's electricity, its clean share and the price of its power.
pub fn power_use_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec![
            "metal",
            "process",
            "year",
            "power (TWh)",
            "clean share",
            "power price (CNY/MWh)",
        ],
        extra_header: Vec::new(),
        rows: result
            .power_use
            .iter()
            .map(|row| {
                vec![
                    row.metal.clone(),
                    row.process.clone(),
                    row.year.to_string(),
                    mt(row.twh),
                    row.clean_share.map_or_else(|| "-".to_string(), percent),
                    price(row.price_cny_per_mwh),
                ]
            })
            .collect(),
    }
}

/// Each power source's use, CO2 and scarcity.
pub fn power_source_cells(result: &PlanResult) -> Cells {
    Cells {
        header: vec![
            "source",
            "clean",
            "year",
            "used (TWh)",
            "available (TWh)",
            "used",
            "CO2 (Mt)",
            "scarcity (CNY/MWh)",
        ],
        extra_header: Vec::new(),
        rows: result
            .power_sources
            .iter()
            .map(|row| {
                vec![
                    row.source.clone(),
                    if row.clean { "yes" } else { "no" }.to_string(),
                    row.year.to_string(),
                    mt(row.used_twh),
                    mt(row.available_twh),
                    share_of(row.used_twh, row.available_twh),
                    mt(row.co2_t / 1e6),
                    price(row.scarcity_cny_per_mwh),
                ]
            })
            .collect(),
    }
}

/// Whether the result has any market part worth showing (stages, trade, demand, grades,
/// recycled inputs, electricity, or a target measured by a stated definition).
pub fn has_market(result: &PlanResult) -> bool {
    !result.stages.is_empty()
        || !result.trade.is_empty()
        || !result.demand.is_empty()
        || !result.grades.is_empty()
        || !result.recycled_inputs.is_empty()
        || !result.power_use.is_empty()
        || result.targets.iter().any(|row| row.definition.is_some())
}

/// The sections of the market parts: (heading, cells), non-empty ones only.
pub fn sections(result: &PlanResult) -> Vec<(&'static str, Cells)> {
    if !has_market(result) {
        return Vec::new();
    }
    [
        ("Stages", stage_cells(result)),
        ("Trade", trade_cells(result)),
        ("Demand", demand_cells(result)),
        (
            "Prices (CNY/t, the value of one more tonne on each market)",
            price_cells(result),
        ),
        ("Import dependence by definition", dependence_cells(result)),
        ("Scrap grades", grade_cells(result)),
        (
            "Recycled output: scrap metal, primary metal and alloying",
            recycled_input_cells(result),
        ),
        ("Electricity by process", power_use_cells(result)),
        ("Power sources", power_source_cells(result)),
    ]
    .into_iter()
    .filter(|(_, cells)| !cells.rows.is_empty())
    .collect()
}

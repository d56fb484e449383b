//! Copper rules (sources and calibration in this crate's README):
//!
//! - domestic scrap drawn is at most what a dynamic stock model of copper in use releases:
//!   `feed[copper,domestic_scrap,y] <= collection_rate * outflow(y) + new_scrap_share * inflow(y)`,
//!   where `outflow(y)` is the end-of-life outflow of the copper that entered use in earlier years
//!   (see the `metalplan-stock` crate);
//! - imported scrap drawn is at most `imported_scrap_max_mt`;
//! - imported concentrate is at most `concentrate_import_dependence_max` of primary feed:
//!   `feed[imported_concentrate] - cap * (feed[domestic_ore] + feed[imported_concentrate]) <= 0`.

use metalplan_plugin::{
    export_plugin, year_table_default, Constraint, Contribution, FeedSource, Figure, ParameterInfo,
    Plugin, PluginContext, PluginInfo, Route, Sense, VarRef,
};

use metalplan_stock::{Inflows, Lifetime, StockModel};

/// Copper entering use in China by year, Mt Cu: ESTIMATES, round order-of-magnitude values of
/// China's refined copper consumption. The reference file has no such series; these are our own
/// round figures (about 0.4 Mt around 1980, 1.9 Mt in 2000, 7.4 Mt in 2010, 14 Mt in 2020,
/// 16 Mt in 2024), good to perhaps +-15 %.
pub const DEFAULT_INFLOWS_MT: [(i32, f64); 45] = [
    (1980, 0.40),
    (1981, 0.40),
    (1982, 0.40),
    (1983, 0.45),
    (1984, 0.45),
    (1985, 0.50),
    (1986, 0.50),
    (1987, 0.55),
    (1988, 0.55),
    (1989, 0.60),
    (1990, 0.60),
    (1991, 0.65),
    (1992, 0.75),
    (1993, 0.85),
    (1994, 0.90),
    (1995, 1.00),
    (1996, 1.10),
    (1997, 1.20),
    (1998, 1.30),
    (1999, 1.45),
    (2000, 1.90),
    (2001, 2.30),
    (2002, 2.70),
    (2003, 3.10),
    (2004, 3.40),
    (2005, 3.70),
    (2006, 3.60),
    (2007, 4.40),
    (2008, 4.80),
    (2009, 6.00),
    (2010, 7.40),
    (2011, 7.90),
    (2012, 8.90),
    (2013, 9.80),
    (2014, 11.00),
    (2015, 11.30),
    (2016, 11.60),
    (2017, 11.80),
    (2018, 12.50),
    (2019, 12.80),
    (2020, 14.00),
    (2021, 13.90),
    (2022, 14.60),
    (2023, 15.50),
    (2024, 16.00),
];

/// Mean lifetime of copper in use, years (estimate; literature uses 20-40 across end uses).
pub const DEFAULT_LIFETIME_MEAN_YEARS: f64 = 25.0;
/// Standard deviation of that lifetime, years (estimate).
pub const DEFAULT_LIFETIME_SD_YEARS: f64 = 10.0;
/// Share of end-of-life copper collected as old scrap (estimate).
pub const DEFAULT_COLLECTION_RATE: f64 = 0.6;
/// New (manufacturing) scrap as a share of the same year's inflow to use (estimate, calibrated).
pub const DEFAULT_NEW_SCRAP_SHARE: f64 = 0.07;
/// Most imported scrap per year, Mt Cu contained (the China scenario's level, an estimate there).
pub const DEFAULT_IMPORTED_SCRAP_MAX_MT: f64 = 1.9;
/// Most imported concentrate as a share of primary feed (China 2025 scenario: 7.6 / 9.5 = 0.80).
pub const DEFAULT_CONCENTRATE_IMPORT_DEPENDENCE_MAX: f64 = 0.82;

/// The plugin; it keeps no state between calls.
#[derive(Default)]
pub struct Copper;

/// What the stock model says about domestic scrap in one year, Mt Cu.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScrapYear {
    /// End-of-life outflow from use.
    pub eol_outflow_mt: f64,
    /// The part of it collected: old scrap.
    pub old_scrap_mt: f64,
    /// New (manufacturing) scrap.
    pub new_scrap_mt: f64,
    /// Old plus new: the domestic scrap available.
    pub domestic_scrap_mt: f64,
}

/// The stock model with the scrap rates: domestic scrap by year.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrapModel {
    /// Copper in use.
    pub stock: StockModel,
    /// Share of end-of-life outflow collected.
    pub collection_rate: f64,
    /// New scrap as a share of the same year's inflow.
    pub new_scrap_share: f64,
}

impl ScrapModel {
    /// Domestic scrap in `year`.
    #[must_use]
    pub fn at(&self, year: i32) -> ScrapYear {
        let eol_outflow_mt = self.stock.outflow(year);
        let old_scrap_mt = self.collection_rate * eol_outflow_mt;
        let new_scrap_mt = self.new_scrap_share * self.stock.inflows.at(i64::from(year));
        ScrapYear {
            eol_outflow_mt,
            old_scrap_mt,
            new_scrap_mt,
            domestic_scrap_mt: old_scrap_mt + new_scrap_mt,
        }
    }
}

impl Plugin for Copper {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "copper".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: "Recycled copper bounded by the scrap a stock model of copper in use \
                          releases; imported-scrap and concentrate-import-dependence caps (China)"
                .to_string(),
            parameters: vec![
                ParameterInfo::optional("metal", "the scenario's metal key for copper", "copper"),
                ParameterInfo::optional(
                    "inflows_mt",
                    "copper entering use by year, Mt Cu (default: China 1980-2024, estimates of \
                     refined copper consumption); linear between listed years",
                    year_table_default(&DEFAULT_INFLOWS_MT),
                ),
                ParameterInfo::optional(
                    "inflow_growth",
                    "yearly growth of the inflow after the last history year, fraction (0 holds \
                     the last value)",
                    0.0,
                ),
                ParameterInfo::optional(
                    "lifetime_mean_years",
                    "mean lifetime of copper in use, years (normal, truncated at 0)",
                    DEFAULT_LIFETIME_MEAN_YEARS,
                ),
                ParameterInfo::optional(
                    "lifetime_sd_years",
                    "standard deviation of that lifetime, years",
                    DEFAULT_LIFETIME_SD_YEARS,
                ),
                ParameterInfo::optional(
                    "collection_rate",
                    "share of end-of-life copper collected as old scrap, 0-1",
                    DEFAULT_COLLECTION_RATE,
                ),
                ParameterInfo::optional(
                    "new_scrap_share",
                    "new (manufacturing) scrap as a share of the same year's inflow, 0-1",
                    DEFAULT_NEW_SCRAP_SHARE,
                ),
                ParameterInfo::optional(
                    "imported_scrap_max_mt",
                    "most imported scrap per year, Mt Cu contained",
                    DEFAULT_IMPORTED_SCRAP_MAX_MT,
                ),
                ParameterInfo::optional(
                    "concentrate_import_dependence_max",
                    "most imported concentrate as a share of primary feed (domestic ore plus \
                     imported concentrate), 0-1",
                    DEFAULT_CONCENTRATE_IMPORT_DEPENDENCE_MAX,
                ),
            ],
        }
    }

    fn build(&self, context: &PluginContext) -> Result<Contribution, String> {
        let metal: String = context.require("metal")?;
        let history = context.year_table("inflows_mt")?;
        let growth = context.growth_rate("inflow_growth")?;
        let mean = context.non_negative("lifetime_mean_years")?;
        let sd = context.non_negative("lifetime_sd_years")?;
        let collection_rate = context.fraction("collection_rate")?;
        let new_scrap_share = context.fraction("new_scrap_share")?;
        let imported_scrap_max = context.non_negative("imported_scrap_max_mt")?;
        let dependence_max = context.fraction("concentrate_import_dependence_max")?;

        let info = context
            .metal(&metal)
            .ok_or_else(|| format!("the scenario has no metal `{metal}`"))?;
        let recycled = info
            .route(Route::Recycled)
            .ok_or_else(|| format!("metal `{metal}` has no recycled route"))?;
        if !recycled.has_feed(FeedSource::DomesticScrap) {
            return Err(format!(
                "metal `{metal}`: the recycled route has no domestic_scrap feed to bound"
            ));
        }
        let model = ScrapModel {
            stock: StockModel {
                inflows: Inflows::new(history, growth).map_err(|e| format!("inflows_mt: {e}"))?,
                lifetime: Lifetime::truncated_normal(mean, sd)?,
            },
            collection_rate,
            new_scrap_share,
        };

        let mut contribution = Contribution::default();
        for &year in &context.years {
            let scrap = model.at(year);
            if !scrap.domestic_scrap_mt.is_finite() {
                return Err(format!(
                    "the stock model gives no finite scrap for {year} (inflow growth too large?)"
                ));
            }
            contribution.constraints.push(
                Constraint::new(
                    format!("domestic_scrap_from_stock[{year}]"),
                    Some(year),
                    Sense::AtMost,
                    scrap.domestic_scrap_mt,
                )
                .term(VarRef::feed(&metal, FeedSource::DomesticScrap, year), 1.0),
            );
            if recycled.has_feed(FeedSource::ImportedScrap) {
                contribution.constraints.push(
                    Constraint::new(
                        format!("imported_scrap_max[{year}]"),
                        Some(year),
                        Sense::AtMost,
                        imported_scrap_max,
                    )
                    .term(VarRef::feed(&metal, FeedSource::ImportedScrap, year), 1.0),
                );
            }
            if let Some(primary) = info
                .route(Route::Primary)
                .filter(|primary| primary.has_feed(FeedSource::ImportedConcentrate))
            {
                // conc - cap * (ore + conc) <= 0, with the two conc terms merged.
                let mut row = Constraint::new(
                    format!("concentrate_import_dependence[{year}]"),
                    Some(year),
                    Sense::AtMost,
                    0.0,
                )
                .term(
                    VarRef::feed(&metal, FeedSource::ImportedConcentrate, year),
                    1.0 - dependence_max,
                );
                if primary.has_feed(FeedSource::DomesticOre) {
                    row = row.term(
                        VarRef::feed(&metal, FeedSource::DomesticOre, year),
                        -dependence_max,
                    );
                }
                contribution.constraints.push(row);
            }
            for (name, value) in [
                ("eol_outflow_mt", scrap.eol_outflow_mt),
                ("old_scrap_mt", scrap.old_scrap_mt),
                ("new_scrap_mt", scrap.new_scrap_mt),
                ("domestic_scrap_mt", scrap.domestic_scrap_mt),
            ] {
                contribution.figures.push(figure(name, Some(year), value));
            }
        }
        let stock = model.stock.stock(context.base_year);
        if !stock.is_finite() {
            return Err(format!(
                "the stock model gives no finite stock for {}",
                context.base_year
            ));
        }
        contribution
            .figures
            .push(figure("stock_in_use_mt", Some(context.base_year), stock));
        Ok(contribution)
    }
}

fn figure(name: &str, year: Option<i32>, value: f64) -> Figure {
    Figure::new(name, year, value, "Mt")
}

export_plugin!(Copper);

#[cfg(test)]
mod tests {
    use super::*;
    use metalplan_plugin::serde_json;
    use metalplan_plugin::{FeedInfo, MetalInfo, RouteInfo};
    use std::collections::BTreeMap;

    /// Reported domestic copper scrap recovered 2021-2024, Mt (CNIA, via the reference file).
    const REPORTED_2021_2024_MT: f64 = 9.76;

    fn feed(source: FeedSource, available: f64) -> FeedInfo {
        FeedInfo {
            recovery: 1.0,
            source,
            available_mt: BTreeMap::from([(2025, available), (2026, available)]),
        }
    }

    /// The copper part of the China 2025-2026 scenario, with the plugin's defaults.
    fn china(params: &[(&str, serde_json::Value)]) -> PluginContext {
        let mut filled: BTreeMap<String, serde_json::Value> = Copper
            .info()
            .parameters
            .into_iter()
            .map(|p| (p.name, p.default.unwrap()))
            .collect();
        for (name, value) in params {
            filled.insert((*name).to_string(), value.clone());
        }
        PluginContext {
            discount_rate: 0.0,
            base_year: 2024,
            years: vec![2025, 2026],
            metals: vec![
                MetalInfo {
                    name: "copper".to_string(),
                    routes: vec![
                        RouteInfo {
                            route: Route::Primary,
                            base_output_mt: 9.1,
                            can_build: true,
                            feed: vec![
                                feed(FeedSource::DomesticOre, 1.9),
                                feed(FeedSource::ImportedConcentrate, 7.6),
                            ],
                        },
                        RouteInfo {
                            route: Route::Recycled,
                            base_output_mt: 4.5,
                            can_build: true,
                            feed: vec![
                                feed(FeedSource::DomesticScrap, 3.0),
                                feed(FeedSource::ImportedScrap, 1.9),
                            ],
                        },
                    ],
                    ..MetalInfo::default()
                },
                MetalInfo {
                    name: "magnesium".to_string(),
                    routes: vec![RouteInfo {
                        route: Route::Primary,
                        base_output_mt: 1.03,
                        can_build: false,
                        feed: vec![feed(FeedSource::DomesticOre, 3.0)],
                    }],
                    ..MetalInfo::default()
                },
            ],
            params: filled,
            ..PluginContext::default()
        }
    }

    fn default_model() -> ScrapModel {
        ScrapModel {
            stock: StockModel {
                inflows: Inflows::new(BTreeMap::from(DEFAULT_INFLOWS_MT), 0.0).unwrap(),
                lifetime: Lifetime::truncated_normal(
                    DEFAULT_LIFETIME_MEAN_YEARS,
                    DEFAULT_LIFETIME_SD_YEARS,
                )
                .unwrap(),
            },
            collection_rate: DEFAULT_COLLECTION_RATE,
            new_scrap_share: DEFAULT_NEW_SCRAP_SHARE,
        }
    }

    #[test]
    fn defaults_are_calibrated_to_reported_scrap_2021_2024() {
        let model = default_model();
        let total: f64 = (2021..=2024).map(|y| model.at(y).domestic_scrap_mt).sum();
        let error = total / REPORTED_2021_2024_MT - 1.0;
        assert!(error.abs() < 0.15, "2021-2024: {total} Mt ({error:+.3})");
    }

    #[test]
    fn scrap_adds_up() {
        let model = default_model();
        let scrap = model.at(2025);
        assert!((scrap.old_scrap_mt - 0.6 * scrap.eol_outflow_mt).abs() < 1e-12);
        assert!((scrap.new_scrap_mt - 0.07 * 16.0).abs() < 1e-12);
        assert!((scrap.domestic_scrap_mt - scrap.old_scrap_mt - scrap.new_scrap_mt).abs() < 1e-12);
    }

    #[test]
    fn builds_the_three_rules_per_year() {
        let contribution = Copper.build(&china(&[])).unwrap();
        let names: Vec<&str> = contribution
            .constraints
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "domestic_scrap_from_stock[2025]",
                "imported_scrap_max[2025]",
                "concentrate_import_dependence[2025]",
                "domestic_scrap_from_stock[2026]",
                "imported_scrap_max[2026]",
                "concentrate_import_dependence[2026]",
            ]
        );
        let dependence = &contribution.constraints[2];
        assert_eq!(dependence.rhs, 0.0);
        assert!((dependence.terms[0].coefficient - 0.18).abs() < 1e-12);
        assert!((dependence.terms[1].coefficient + 0.82).abs() < 1e-12);
        // The China scenario's 2025 primary feed, 7.6 concentrate and 1.9 ore, meets the cap.
        let lhs = dependence.terms[0].coefficient * 7.6 + dependence.terms[1].coefficient * 1.9;
        assert!(lhs <= 0.0, "{lhs}");
        let stock = contribution
            .figures
            .iter()
            .find(|f| f.name == "stock_in_use_mt")
            .unwrap();
        assert_eq!(stock.year, Some(2024));
        assert_eq!(contribution.figures.len(), 9);
    }

    #[test]
    fn bad_parameters_are_errors() {
        let cases: Vec<(&str, serde_json::Value)> = vec![
            ("lifetime_sd_years", 0.0.into()),
            ("lifetime_sd_years", (-3.0).into()),
            ("lifetime_mean_years", (-1.0).into()),
            ("collection_rate", 1.2.into()),
            ("collection_rate", (-0.1).into()),
            ("new_scrap_share", 2.0.into()),
            ("imported_scrap_max_mt", (-1.0).into()),
            ("concentrate_import_dependence_max", 1.5.into()),
            ("inflow_growth", (-1.0).into()),
            ("inflows_mt", serde_json::json!({"1990s": 1.0})),
            ("inflows_mt", serde_json::json!({"2000": -1.0})),
            ("inflows_mt", serde_json::json!({})),
            ("inflows_mt", serde_json::json!({"2000": "a lot"})),
            ("metal", "cobalt".into()),
            ("metal", "magnesium".into()),
            ("collection_rate", serde_json::Value::Null),
        ];
        for (name, value) in cases {
            let result = Copper.build(&china(&[(name, value.clone())]));
            assert!(result.is_err(), "{name} = {value} was accepted");
        }
    }
}

//! Lithium rules, in Mt of lithium carbonate equivalent (LCE); sources and calibration in this
//! crate's README:
//!
//! - recycled output is at most the lithium recoverable from end-of-life batteries and
//!   production scrap:
//!   `output[lithium,recycled,y] <= (eol(y) * collection_rate + production_scrap(y)) * recovery_rate`,
//!   where `eol(y)` is the end-of-life outflow of a dynamic stock model of batteries in use (see
//!   `metalplan-stock`) and `production_scrap(y) = production_scrap_share * sales(y)`, both converted
//!   from gigawatt-hours at `lce_t_per_gwh`;
//! - China-sourced supply, the domestic feed and the output of mined stages (stages without
//!   inputs: spodumene, lepidolite, brine), is at least a floor interpolated linearly between
//!   the years of `china_sourced_floor_mt`:
//!   `feed[lithium,domestic_ore,y] + feed[lithium,domestic_scrap,y] + sum of
//!   stage_output[lithium,s,y] over mined stages s >= floor(y)`.

use std::collections::BTreeMap;

use metalplan_plugin::{
    export_plugin, year_table_default, Constraint, Contribution, FeedSource, Figure, MetalInfo,
    ParameterInfo, Plugin, PluginContext, PluginInfo, Route, Sense, VarRef,
};

use metalplan_stock::{Inflows, Lifetime, StockModel};

/// Batteries sold into use in China by year, gigawatt-hours: ESTIMATES, round order-of-magnitude values of
/// China's electric-vehicle power-battery installations. The reference file has no such series;
/// these are our own round figures.
pub const DEFAULT_BATTERY_SALES_GWH: [(i32, f64); 11] = [
    (2014, 4.0),
    (2015, 16.0),
    (2016, 28.0),
    (2017, 36.0),
    (2018, 57.0),
    (2019, 62.0),
    (2020, 64.0),
    (2021, 155.0),
    (2022, 295.0),
    (2023, 390.0),
    (2024, 550.0),
];

/// Lithium in a gigawatt-hour of batteries, t LCE (estimate: about 550-600 for LFP, 650-750 for NMC).
pub const DEFAULT_LCE_T_PER_GWH: f64 = 650.0;
/// Mean lifetime of a battery in use, years (estimate).
pub const DEFAULT_LIFETIME_MEAN_YEARS: f64 = 8.0;
/// Standard deviation of that lifetime, years (estimate).
pub const DEFAULT_LIFETIME_SD_YEARS: f64 = 3.0;
/// Share of end-of-life batteries collected for recycling (estimate).
pub const DEFAULT_COLLECTION_RATE: f64 = 0.6;
/// Share of the lithium in collected material that ends up in recycled output (estimate; the
/// China scenario's recovery of lithium scrap feed).
pub const DEFAULT_RECOVERY_RATE: f64 = 0.85;
/// Production scrap as a share of the same year's sales (estimate, calibrated: it also stands
/// for scrap from cells made in China for export and storage, which the sales series leaves
/// out).
pub const DEFAULT_PRODUCTION_SCRAP_SHARE: f64 = 0.3;
/// China-sourced lithium supply floors, Mt LCE: 420 kt in 2024 to at least 770 kt by 2027
/// (reported, CNIA).
pub const DEFAULT_CHINA_SOURCED_FLOOR_MT: [(i32, f64); 2] = [(2024, 0.42), (2027, 0.77)];

/// The plugin; it keeps no state between calls.
#[derive(Default)]
pub struct Lithium;

/// What the battery model says about one year, Mt LCE.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatteryYear {
    /// Lithium in batteries reaching end of life.
    pub eol_mt: f64,
    /// Lithium in production scrap.
    pub production_scrap_mt: f64,
    /// Recoverable lithium: `(eol * collection + production scrap) * recovery`.
    pub recyclable_mt: f64,
}

/// Batteries in use, with the rates that turn them into recyclable lithium.
#[derive(Debug, Clone, PartialEq)]
pub struct BatteryModel {
    /// Batteries in use, gigawatt-hours.
    pub stock: StockModel,
    /// t LCE per gigawatt-hour.
    pub lce_t_per_gwh: f64,
    /// Share of end-of-life batteries collected.
    pub collection_rate: f64,
    /// Share of collected lithium recovered.
    pub recovery_rate: f64,
    /// Production scrap as a share of the same year's sales.
    pub production_scrap_share: f64,
}

impl BatteryModel {
    /// The model's figures for `year`.
    #[must_use]
    pub fn at(&self, year: i32) -> BatteryYear {
        let mt_per_gwh = self.lce_t_per_gwh / 1e6;
        let eol_mt = self.stock.outflow(year) * mt_per_gwh;
        let production_scrap_mt =
            self.production_scrap_share * self.stock.inflows.at(i64::from(year)) * mt_per_gwh;
        BatteryYear {
            eol_mt,
            production_scrap_mt,
            recyclable_mt: (eol_mt * self.collection_rate + production_scrap_mt)
                * self.recovery_rate,
        }
    }
}

impl Plugin for Lithium {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "lithium".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: "Recycled lithium bounded by end-of-life batteries and production scrap; \
                          floor on China-sourced lithium supply (Mt LCE)"
                .to_string(),
            parameters: vec![
                ParameterInfo::optional(
                    "metal",
                    "the scenario's metal key for lithium (in Mt LCE)",
                    "lithium",
                ),
                ParameterInfo::optional(
                    "battery_sales_gwh",
                    "batteries entering use by year, GWh (default: China 2014-2024, estimates of \
                     EV battery installations); linear between listed years",
                    year_table_default(&DEFAULT_BATTERY_SALES_GWH),
                ),
                ParameterInfo::optional(
                    "sales_growth",
                    "yearly growth of sales after the last history year, fraction (0 holds the \
                     last value)",
                    0.0,
                ),
                ParameterInfo::optional(
                    "lce_t_per_gwh",
                    "lithium per GWh of batteries, t LCE",
                    DEFAULT_LCE_T_PER_GWH,
                ),
                ParameterInfo::optional(
                    "lifetime_mean_years",
                    "mean battery lifetime, years (normal, truncated at 0)",
                    DEFAULT_LIFETIME_MEAN_YEARS,
                ),
                ParameterInfo::optional(
                    "lifetime_sd_years",
                    "standard deviation of that lifetime, years",
                    DEFAULT_LIFETIME_SD_YEARS,
                ),
                ParameterInfo::optional(
                    "collection_rate",
                    "share of end-of-life batteries collected, 0-1",
                    DEFAULT_COLLECTION_RATE,
                ),
                ParameterInfo::optional(
                    "recovery_rate",
                    "share of the lithium collected that ends up in recycled output, 0-1",
                    DEFAULT_RECOVERY_RATE,
                ),
                ParameterInfo::optional(
                    "production_scrap_share",
                    "production scrap as a share of the same year's sales, 0-1",
                    DEFAULT_PRODUCTION_SCRAP_SHARE,
                ),
                ParameterInfo::optional(
                    "china_sourced_floor_mt",
                    "floors on China-sourced supply (domestic ore and domestic scrap feed, and the \
                     output of mined stages) by year, Mt LCE, interpolated linearly between years \
                     and held after the last",
                    year_table_default(&DEFAULT_CHINA_SOURCED_FLOOR_MT),
                ),
            ],
        }
    }

    fn build(&self, context: &PluginContext) -> Result<Contribution, String> {
        let metal: String = context.require("metal")?;
        let sales = context.year_table("battery_sales_gwh")?;
        let growth = context.growth_rate("sales_growth")?;
        let lce_t_per_gwh = context.non_negative("lce_t_per_gwh")?;
        let mean = context.non_negative("lifetime_mean_years")?;
        let sd = context.non_negative("lifetime_sd_years")?;
        let collection_rate = context.fraction("collection_rate")?;
        let recovery_rate = context.fraction("recovery_rate")?;
        let production_scrap_share = context.fraction("production_scrap_share")?;
        let floors = context.year_table("china_sourced_floor_mt")?;

        let info = context
            .metal(&metal)
            .ok_or_else(|| format!("the scenario has no metal `{metal}`"))?;
        if info.route(Route::Recycled).is_none() {
            return Err(format!("metal `{metal}` has no recycled route"));
        }
        let china_sourced = ChinaSourced::of(&metal, info)?;
        let model = BatteryModel {
            stock: StockModel {
                inflows: Inflows::new(sales, growth)
                    .map_err(|e| format!("battery_sales_gwh: {e}"))?,
                lifetime: Lifetime::truncated_normal(mean, sd)?,
            },
            lce_t_per_gwh,
            collection_rate,
            recovery_rate,
            production_scrap_share,
        };

        let mut contribution = Contribution::default();
        for &year in &context.years {
            let batteries = model.at(year);
            if !batteries.recyclable_mt.is_finite() {
                return Err(format!(
                    "the battery model gives no finite cap for {year} (sales growth too large?)"
                ));
            }
            contribution.constraints.push(
                Constraint::new(
                    format!("recycled_from_batteries[{year}]"),
                    Some(year),
                    Sense::AtMost,
                    batteries.recyclable_mt,
                )
                .term(VarRef::output(&metal, Route::Recycled, year), 1.0),
            );
            contribution
                .figures
                .push(figure("eol_batteries_mt", year, batteries.eol_mt));
            contribution.figures.push(figure(
                "production_scrap_mt",
                year,
                batteries.production_scrap_mt,
            ));
            contribution.figures.push(figure(
                "recyclable_lithium_cap_mt",
                year,
                batteries.recyclable_mt,
            ));
            if let Some(floor) = interpolate(&floors, year) {
                contribution
                    .constraints
                    .push(china_sourced.floor(&metal, year, floor));
                contribution
                    .figures
                    .push(figure("china_sourced_floor_mt", year, floor));
            }
        }
        Ok(contribution)
    }
}

/// What counts as China-sourced supply of a metal: its domestic feed and, with stages, the ore,
/// brine and concentrate mined at home (a mined stage has no inputs; its imports are trade and
/// do not count).
struct ChinaSourced {
    domestic_feed: Vec<FeedSource>,
    mined_stages: Vec<String>,
}

impl ChinaSourced {
    fn of(metal: &str, info: &MetalInfo) -> Result<Self, String> {
        let domestic_feed: Vec<FeedSource> = [
            (Route::Primary, FeedSource::DomesticOre),
            (Route::Recycled, FeedSource::DomesticScrap),
        ]
        .into_iter()
        .filter(|&(route, source)| info.route(route).is_some_and(|r| r.has_feed(source)))
        .map(|(_, source)| source)
        .collect();
        let mined_stages: Vec<String> = info
            .stages
            .iter()
            .filter(|stage| stage.inputs.is_empty())
            .map(|stage| stage.name.clone())
            .collect();
        if domestic_feed.is_empty() && mined_stages.is_empty() {
            return Err(format!(
                "metal `{metal}` has neither domestic_ore nor domestic_scrap feed, nor a mined \
                 stage, for the China-sourced floor"
            ));
        }
        Ok(Self {
            domestic_feed,
            mined_stages,
        })
    }

    /// `china_sourced_floor[year]`: domestic feed plus mined stage output at least `floor_mt`.
    fn floor(&self, metal: &str, year: i32, floor_mt: f64) -> Constraint {
        let row = Constraint::new(
            format!("china_sourced_floor[{year}]"),
            Some(year),
            Sense::AtLeast,
            floor_mt,
        );
        let row = self.domestic_feed.iter().fold(row, |row, &source| {
            row.term(VarRef::feed(metal, source, year), 1.0)
        });
        self.mined_stages.iter().fold(row, |row, stage| {
            row.term(
                VarRef::StageOutput {
                    metal: metal.to_string(),
                    stage: stage.clone(),
                    year,
                },
                1.0,
            )
        })
    }
}

/// The floor in `year`: linear between the anchors around it, the last anchor after them, and
/// none before the first.
#[must_use]
pub fn interpolate(anchors: &BTreeMap<i32, f64>, year: i32) -> Option<f64> {
    let before = anchors.range(..=year).next_back();
    let after = anchors.range(year..).next();
    match (before, after) {
        (Some((&y0, &v0)), Some((&y1, &v1))) if y1 > y0 => {
            let span = (i64::from(y1) - i64::from(y0)) as f64;
            Some(v0 + (v1 - v0) * (i64::from(year) - i64::from(y0)) as f64 / span)
        }
        (Some((_, &value)), _) => Some(value),
        (None, _) => None,
    }
}

fn figure(name: &str, year: i32, value: f64) -> Figure {
    Figure::new(name, Some(year), value, "Mt LCE")
}

export_plugin!(Lithium);

#[cfg(test)]
mod tests {
    use super::*;
    use metalplan_plugin::serde_json;
    use metalplan_plugin::{FeedInfo, RouteInfo, StageInfo};

    /// Reported lithium recovered from spent batteries in 2024, Mt LCE (via the reference file).
    const REPORTED_2024_MT: f64 = 0.10;

    fn default_model() -> BatteryModel {
        BatteryModel {
            stock: StockModel {
                inflows: Inflows::new(BTreeMap::from(DEFAULT_BATTERY_SALES_GWH), 0.0).unwrap(),
                lifetime: Lifetime::truncated_normal(
                    DEFAULT_LIFETIME_MEAN_YEARS,
                    DEFAULT_LIFETIME_SD_YEARS,
                )
                .unwrap(),
            },
            lce_t_per_gwh: DEFAULT_LCE_T_PER_GWH,
            collection_rate: DEFAULT_COLLECTION_RATE,
            recovery_rate: DEFAULT_RECOVERY_RATE,
            production_scrap_share: DEFAULT_PRODUCTION_SCRAP_SHARE,
        }
    }

    fn feed(source: FeedSource, available: [f64; 2]) -> FeedInfo {
        FeedInfo {
            recovery: 1.0,
            source,
            available_mt: BTreeMap::from([(2025, available[0]), (2026, available[1])]),
        }
    }

    /// The lithium part of the China 2025-2026 scenario, with the plugin's defaults.
    fn china(params: &[(&str, serde_json::Value)]) -> PluginContext {
        let mut filled: BTreeMap<String, serde_json::Value> = Lithium
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
                    name: "lithium".to_string(),
                    routes: vec![
                        RouteInfo {
                            route: Route::Primary,
                            base_output_mt: 0.9,
                            can_build: true,
                            feed: vec![
                                feed(FeedSource::DomesticOre, [0.42, 0.52]),
                                feed(FeedSource::ImportedConcentrate, [0.85, 0.9]),
                            ],
                        },
                        RouteInfo {
                            route: Route::Recycled,
                            base_output_mt: 0.1,
                            can_build: true,
                            feed: vec![
                                feed(FeedSource::DomesticScrap, [0.14, 0.18]),
                                feed(FeedSource::ImportedScrap, [0.02, 0.02]),
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
                        feed: vec![feed(FeedSource::DomesticOre, [3.0, 3.0])],
                    }],
                    ..MetalInfo::default()
                },
            ],
            params: filled,
            ..PluginContext::default()
        }
    }

    #[test]
    fn defaults_are_calibrated_to_reported_recovery_2024() {
        let recyclable = default_model().at(2024).recyclable_mt;
        let error = recyclable / REPORTED_2024_MT - 1.0;
        assert!(
            error.abs() < 0.30,
            "2024: {recyclable} Mt LCE ({error:+.3})"
        );
    }

    #[test]
    fn cap_by_hand_from_a_pulse() {
        // 100 GWh sold in 2010 only, all leaving at age 2; 1000 t LCE/GWh, collection 0.5,
        // recovery 0.8, production scrap 10 % of sales.
        let model = BatteryModel {
            stock: StockModel {
                inflows: Inflows::new(BTreeMap::from([(2010, 100.0), (2011, 0.0)]), 0.0).unwrap(),
                lifetime: Lifetime::from_shares(vec![0.0, 1.0]).unwrap(),
            },
            lce_t_per_gwh: 1000.0,
            collection_rate: 0.5,
            recovery_rate: 0.8,
            production_scrap_share: 0.1,
        };
        // 2010: no end of life; scrap 0.1 * 100 GWh * 1000 t = 0.01 Mt; cap 0.008.
        let first = model.at(2010);
        assert!(first.eol_mt.abs() < 1e-15);
        assert!((first.production_scrap_mt - 0.01).abs() < 1e-15);
        assert!((first.recyclable_mt - 0.008).abs() < 1e-15);
        // 2012: 100 GWh * 1000 t = 0.1 Mt leaves; cap 0.1 * 0.5 * 0.8 = 0.04.
        let eol = model.at(2012);
        assert!((eol.eol_mt - 0.1).abs() < 1e-15);
        assert!((eol.recyclable_mt - 0.04).abs() < 1e-15);
    }

    #[test]
    fn floor_interpolates_the_cnia_path() {
        let floors = BTreeMap::from(DEFAULT_CHINA_SOURCED_FLOOR_MT);
        assert_eq!(interpolate(&floors, 2023), None);
        assert!((interpolate(&floors, 2025).unwrap() - (0.42 + 0.35 / 3.0)).abs() < 1e-12);
        assert!((interpolate(&floors, 2026).unwrap() - (0.42 + 0.70 / 3.0)).abs() < 1e-12);
        assert_eq!(interpolate(&floors, 2030), Some(0.77));
    }

    #[test]
    fn builds_cap_and_floor_per_year() {
        let contribution = Lithium.build(&china(&[])).unwrap();
        let names: Vec<&str> = contribution
            .constraints
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "recycled_from_batteries[2025]",
                "china_sourced_floor[2025]",
                "recycled_from_batteries[2026]",
                "china_sourced_floor[2026]",
            ]
        );
        let floor = &contribution.constraints[1];
        assert_eq!(floor.terms.len(), 2);
        assert_eq!(floor.sense, Sense::AtLeast);
        assert_eq!(contribution.figures.len(), 8);
    }

    #[test]
    fn the_floor_counts_mined_stages_but_not_converted_ones() {
        let mut context = china(&[]);
        let stage = |name: &str, inputs: &[&str]| StageInfo {
            name: name.to_string(),
            metal_content: 1.0,
            base_output_mt: 0.1,
            capacity_mt: BTreeMap::from([(2025, 0.2), (2026, 0.2)]),
            inputs: inputs.iter().map(ToString::to_string).collect(),
        };
        context.metals[0].stages = vec![
            stage("brine", &[]),
            stage("spodumene", &[]),
            stage("concentrate", &["spodumene"]),
        ];
        let contribution = Lithium.build(&context).unwrap();
        let floor = &contribution.constraints[1];
        assert_eq!(floor.name, "china_sourced_floor[2025]");
        let stage_terms: Vec<&str> = floor
            .terms
            .iter()
            .filter_map(|term| match &term.var {
                VarRef::StageOutput { stage, year, .. } => {
                    assert_eq!(*year, 2025);
                    Some(stage.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(stage_terms, ["brine", "spodumene"]);
        // Domestic ore and domestic scrap feed, and the two mined stages.
        assert_eq!(floor.terms.len(), 4);
        assert!(floor.terms.iter().all(|term| term.coefficient == 1.0));
    }

    #[test]
    fn bad_parameters_are_errors() {
        let cases: Vec<(&str, serde_json::Value)> = vec![
            ("lifetime_sd_years", 0.0.into()),
            ("lifetime_mean_years", (-8.0).into()),
            ("collection_rate", 1.5.into()),
            ("recovery_rate", (-0.5).into()),
            ("production_scrap_share", 3.0.into()),
            ("lce_t_per_gwh", (-650.0).into()),
            ("sales_growth", (-2.0).into()),
            ("battery_sales_gwh", serde_json::json!({"last year": 1.0})),
            ("battery_sales_gwh", serde_json::json!({"2020": -5.0})),
            ("battery_sales_gwh", serde_json::json!({})),
            ("china_sourced_floor_mt", serde_json::json!({"2027": -0.1})),
            ("china_sourced_floor_mt", serde_json::json!({"twenty": 0.5})),
            ("metal", "cobalt".into()),
            ("metal", "magnesium".into()),
        ];
        for (name, value) in cases {
            let result = Lithium.build(&china(&[(name, value.clone())]));
            assert!(result.is_err(), "{name} = {value} was accepted");
        }
    }
}

//! Synthetic plant-level scenarios for scale tests and benchmarks (`metalplan generate`).
//!
//! National totals are China's 2024 figures as used in `scenarios/china-2025-2026.toml` (which
//! cites `shared/reference/china-nonferrous-2024.md` for each): six metal groups, ten routes.
//! Facilities split each route's output with log-normal sizes, spread over provinces with
//! Zipf-like weights, and differ in cost by up to ±30 %. Some open during the horizon, some
//! close, and some may expand.
//!
//! **Feasible by construction**: a reference plan in which every route grows by exactly the
//! growth floor (1.5 %/yr) meets every target, and every input is sized so that it fits: each
//! route's operating facilities alone (without expansion) cover 105 % of the reference path in
//! every year, imported feed covers twice the reference output, national capacity three times
//! the base output, and the recycled floor is 97 % of the reference recycled total.
//!
//! **Deterministic**: one `ChaCha8` stream from the seed drives every draw, in a fixed order, and
//! numbers are written with fixed decimals, so a seed gives the same files on every platform.

use std::fmt::Write as _;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

use crate::scenario::{Route, Year, FACILITY_COLUMNS};
use crate::size::{ModelSize, TooLarge};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratorSpec {
    /// How many facilities, over all routes.
    pub facilities: usize,
    /// How many planning years (the first is the base year + 1).
    pub years: usize,
    /// The random seed.
    pub seed: u64,
    /// Refuse a request whose model is estimated to need more memory than this, in bytes,
    /// before generating anything ([`crate::size`]); `None`: no limit.
    pub memory_limit_bytes: Option<u64>,
}

/// The generated scenario file and its facilities CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The scenario (TOML), naming the CSV as `facilities.csv` in the same folder.
    pub scenario_toml: String,
    /// The facilities.
    pub facilities_csv: String,
}

/// Why a request cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// Fewer facilities than routes: every route needs at least one.
    #[error("{given} facilities are too few: each of the {routes} routes needs at least one")]
    TooFewFacilities {
        /// The number asked for.
        given: usize,
        /// The number of routes.
        routes: usize,
    },
    /// Outside the supported horizon.
    #[error("{given} planning years is outside 1 to {max}")]
    Years {
        /// The number asked for.
        given: usize,
        /// The most supported.
        max: usize,
    },
    /// The scenario's model would need more memory than the limit allows.
    #[error("{} facilities over {} years: {}", .facilities, .years, .source)]
    TooLarge {
        /// The number of facilities asked for.
        facilities: usize,
        /// The number of years asked for.
        years: usize,
        /// The estimate and the limit.
        source: TooLarge,
    },
}

/// The model of a generated scenario, estimated from the request alone: each facility has an
/// output column and a capacity row (M21) in each year it operates, and the 40 % that may
/// expand a build column whose terms reach every later year's capacity row; the national
/// routes add a few columns and rows a year. Counted as if every plant operated every year.
#[must_use]
pub fn estimate(spec: GeneratorSpec) -> ModelSize {
    let facilities = u64::try_from(spec.facilities).unwrap_or(u64::MAX);
    let years = u64::try_from(spec.years).unwrap_or(u64::MAX);
    let facility_years = facilities.saturating_mul(years);
    let cumulative = years.saturating_mul(years.saturating_add(1)) / 2;
    let plants = ModelSize {
        columns: facility_years.saturating_add(facility_years.saturating_mul(2) / 5),
        rows: facility_years,
        nonzeros: facility_years
            .saturating_mul(2)
            .saturating_add(facilities.saturating_mul(cumulative).saturating_mul(2) / 5),
    };
    let routes = u64::try_from(METALS.iter().map(|metal| metal.routes.len()).sum::<usize>())
        .unwrap_or(u64::MAX);
    let national = ModelSize {
        columns: 5,
        rows: 5,
        nonzeros: 20,
    }
    .times(routes.saturating_mul(years));
    plants.plus(national)
}

/// The generated scenario's base year.
pub const BASE_YEAR: Year = 2024;
/// The most planning years the generator writes.
pub const MAX_YEARS: usize = 50;
/// The file name the scenario gives its CSV.
pub const FACILITIES_FILE: &str = "facilities.csv";

/// Output growth floor, per year (the stable-growth plan's +1.5 %).
const GROWTH: f64 = 0.015;
/// Facilities run at this share of their capacity in the base year.
const BASE_UTILISATION: f64 = 0.8;
const DISCOUNT_RATE: f64 = 0.05;

/// One route's national figures, from `scenarios/china-2025-2026.toml`.
struct RouteFigures {
    route: Route,
    base_output_mt: f64,
    operating_cost_cny_per_t: f64,
    /// Domestic ore or domestic scrap: base-year availability (Mt), cost, recovery.
    domestic: (f64, f64),
    imported_cost_cny_per_t: f64,
    recovery: f64,
    investment_cny_per_t: f64,
    co2_t_per_t: f64,
    value_added_cny_per_t: f64,
    counts_toward_output_total: bool,
}

struct MetalFigures {
    name: &'static str,
    code: &'static str,
    routes: &'static [RouteFigures],
}

const fn route(
    route: Route,
    base_output_mt: f64,
    operating_cost_cny_per_t: f64,
    domestic: (f64, f64),
    (imported_cost_cny_per_t, recovery): (f64, f64),
    investment_cny_per_t: f64,
    (co2_t_per_t, value_added_cny_per_t): (f64, f64),
) -> RouteFigures {
    RouteFigures {
        route,
        base_output_mt,
        operating_cost_cny_per_t,
        domestic,
        imported_cost_cny_per_t,
        recovery,
        investment_cny_per_t,
        co2_t_per_t,
        value_added_cny_per_t,
        counts_toward_output_total: true,
    }
}

/// 2024 output (Mt), costs (CNY/t), recovery and emissions per route, as in the China scenario.
const METALS: &[MetalFigures] = &[
    MetalFigures {
        name: "copper",
        code: "CU",
        routes: &[
            route(
                Route::Primary,
                9.1,
                4000.0,
                (1.9, 69000.0),
                (70500.0, 0.975),
                18000.0,
                (4.0, 6000.0),
            ),
            route(
                Route::Recycled,
                4.5,
                2000.0,
                (3.0, 69000.0),
                (69500.0, 0.98),
                5000.0,
                (1.0, 5000.0),
            ),
        ],
    },
    MetalFigures {
        name: "aluminium",
        code: "AL",
        routes: &[
            route(
                Route::Primary,
                43.82,
                10500.0,
                (16.0, 7500.0),
                (7900.0, 0.99),
                20000.0,
                (15.9, 4500.0),
            ),
            // Recycled aluminium is outside the ten-metal output total, as in the China scenario.
            RouteFigures {
                counts_toward_output_total: false,
                ..route(
                    Route::Recycled,
                    10.5,
                    1500.0,
                    (10.5, 18000.0),
                    (18300.0, 0.94),
                    3000.0,
                    (0.85, 2000.0),
                )
            },
        ],
    },
    MetalFigures {
        name: "lead",
        code: "PB",
        routes: &[
            route(
                Route::Primary,
                3.92,
                2500.0,
                (2.0, 11800.0),
                (12000.0, 0.97),
                8000.0,
                (1.8, 2500.0),
            ),
            route(
                Route::Recycled,
                3.48,
                1500.0,
                (3.8, 11000.0),
                (11200.0, 0.95),
                3000.0,
                (0.6, 2000.0),
            ),
        ],
    },
    MetalFigures {
        name: "zinc",
        code: "ZN",
        routes: &[
            route(
                Route::Primary,
                5.58,
                4500.0,
                (3.2, 19500.0),
                (19800.0, 0.96),
                10000.0,
                (3.5, 4000.0),
            ),
            route(
                Route::Recycled,
                1.22,
                3000.0,
                (1.35, 18000.0),
                (18300.0, 0.93),
                4000.0,
                (1.0, 3000.0),
            ),
        ],
    },
    MetalFigures {
        name: "magnesium",
        code: "MG",
        routes: &[route(
            Route::Primary,
            1.03,
            14000.0,
            (3.0, 2000.0),
            (2500.0, 0.9),
            12000.0,
            (25.0, 3000.0),
        )],
    },
    MetalFigures {
        name: "other_ten_metals",
        code: "OT",
        routes: &[route(
            Route::Primary,
            6.54,
            15000.0,
            (3.6, 30000.0),
            (31000.0, 0.95),
            25000.0,
            (5.0, 10000.0),
        )],
    },
];

/// China's 31 provincial-level regions; facilities are spread over them.
const PROVINCES: [&str; 31] = [
    "Anhui",
    "Beijing",
    "Chongqing",
    "Fujian",
    "Gansu",
    "Guangdong",
    "Guangxi",
    "Guizhou",
    "Hainan",
    "Hebei",
    "Heilongjiang",
    "Henan",
    "Hubei",
    "Hunan",
    "Inner Mongolia",
    "Jiangsu",
    "Jiangxi",
    "Jilin",
    "Liaoning",
    "Ningxia",
    "Qinghai",
    "Shaanxi",
    "Shandong",
    "Shanghai",
    "Shanxi",
    "Sichuan",
    "Tianjin",
    "Tibet",
    "Xinjiang",
    "Yunnan",
    "Zhejiang",
];

/// One generated facility, before it is written out.
struct Plant {
    id: String,
    province: &'static str,
    capacity_mt: f64,
    operating_cost_cny_per_t: f64,
    first_year: Year,
    last_year: Year,
    max_build_mt_per_year: f64,
    investment_cny_per_t: f64,
}

/// Generates a scenario and its facilities for `spec`.
///
/// # Errors
/// Fewer facilities than routes, or a horizon outside 1 to [`MAX_YEARS`] years.
pub fn generate(spec: GeneratorSpec) -> Result<Generated, GenerateError> {
    let routes: Vec<(&MetalFigures, &RouteFigures)> = METALS
        .iter()
        .flat_map(|metal| metal.routes.iter().map(move |route| (metal, route)))
        .collect();
    if spec.facilities < routes.len() {
        return Err(GenerateError::TooFewFacilities {
            given: spec.facilities,
            routes: routes.len(),
        });
    }
    if spec.years == 0 || spec.years > MAX_YEARS {
        return Err(GenerateError::Years {
            given: spec.years,
            max: MAX_YEARS,
        });
    }
    // Before anything is allocated: the files alone grow with the facilities.
    if let Some(limit) = spec.memory_limit_bytes {
        estimate(spec)
            .check(limit)
            .map_err(|source| GenerateError::TooLarge {
                facilities: spec.facilities,
                years: spec.years,
                source,
            })?;
    }
    let years: Vec<Year> = (1..=spec.years)
        .map(|offset| BASE_YEAR + Year::try_from(offset).unwrap_or(Year::MAX - BASE_YEAR))
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let counts = facility_counts(spec.facilities, &routes);
    let mut csv = FACILITY_COLUMNS.join(",");
    csv.push('\n');
    for ((metal, figures), count) in routes.iter().zip(counts) {
        let plants = plants(&mut rng, metal, figures, count, &years);
        for plant in plants {
            // Fixed decimals: the same digits on every platform.
            let _ = writeln!(
                csv,
                "{},{},{},{},{:.6},{:.1},{},{},{:.6},{:.1}",
                plant.id,
                metal.name,
                figures.route,
                plant.province,
                plant.capacity_mt,
                plant.operating_cost_cny_per_t,
                plant.first_year,
                plant.last_year,
                plant.max_build_mt_per_year,
                plant.investment_cny_per_t
            );
        }
    }
    Ok(Generated {
        scenario_toml: scenario_toml(spec, &years),
        facilities_csv: csv,
    })
}

/// The reference plan: base output grown by the floor, `year - BASE_YEAR` times.
fn reference(base_output_mt: f64, year: Year) -> f64 {
    base_output_mt * (1.0 + GROWTH).powi(year - BASE_YEAR)
}

/// Facilities per route, in proportion to output (largest remainders), at least one each.
fn facility_counts(total: usize, routes: &[(&MetalFigures, &RouteFigures)]) -> Vec<usize> {
    let spare = total - routes.len();
    let output: f64 = routes.iter().map(|(_, route)| route.base_output_mt).sum();
    #[allow(clippy::cast_precision_loss)] // facility counts are far below 2^52
    let shares: Vec<f64> = routes
        .iter()
        .map(|(_, route)| route.base_output_mt / output * spare as f64)
        .collect();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // shares are >= 0 and < total
    let mut counts: Vec<usize> = shares
        .iter()
        .map(|share| 1 + share.floor() as usize)
        .collect();
    let mut by_remainder: Vec<usize> = (0..routes.len()).collect();
    by_remainder.sort_by(|&a, &b| {
        let remainder = |i: usize| shares[i] - shares[i].floor();
        remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b))
    });
    let assigned: usize = counts.iter().sum();
    for &route in by_remainder.iter().take(total - assigned) {
        counts[route] += 1;
    }
    counts
}

/// The facilities of one route, scaled so that those operating in a year cover 105 % of the
/// reference path without expanding.
fn plants(
    rng: &mut ChaCha8Rng,
    metal: &MetalFigures,
    figures: &RouteFigures,
    count: usize,
    years: &[Year],
) -> Vec<Plant> {
    let last_planning_year = years.last().copied().unwrap_or(BASE_YEAR + 1);
    let horizon = Year::try_from(years.len()).unwrap_or(Year::MAX);
    // Zipf-like weights over a route-specific order of provinces: industries cluster.
    let mut provinces = PROVINCES;
    for index in (1..provinces.len()).rev() {
        provinces.swap(index, rng.random_range(0..=index));
    }
    #[allow(clippy::cast_precision_loss)] // at most 31
    let weights: Vec<f64> = (0..provinces.len())
        .map(|rank| 1.0 / (rank as f64 + 1.0).powf(0.8))
        .collect();
    let total_weight: f64 = weights.iter().sum();
    let size =
        LogNormal::new(0.0, 0.9).unwrap_or_else(|_| unreachable!("constant parameters are valid"));
    let route_letter = match figures.route {
        Route::Primary => 'P',
        Route::Recycled => 'R',
    };
    let mut plants: Vec<Plant> = (0..count)
        .map(|index| {
            let mut pick = rng.random::<f64>() * total_weight;
            let mut province = provinces[provinces.len() - 1];
            for (candidate, weight) in provinces.iter().zip(&weights) {
                if pick < *weight {
                    province = candidate;
                    break;
                }
                pick -= weight;
            }
            let lifecycle = rng.random::<f64>();
            let (first_year, last_year) = if lifecycle < 0.10 {
                // A new plant, opening during the horizon.
                (
                    BASE_YEAR + rng.random_range(1..=horizon),
                    last_planning_year + 20,
                )
            } else if lifecycle < 0.15 {
                // An old plant, closing during the horizon.
                (BASE_YEAR - 30, BASE_YEAR + rng.random_range(1..=horizon))
            } else {
                (BASE_YEAR - rng.random_range(0..30), last_planning_year + 20)
            };
            let capacity = size.sample(rng);
            let expands = rng.random::<f64>() < 0.4;
            Plant {
                id: format!("{}-{route_letter}-{index:06}", metal.code),
                province,
                capacity_mt: capacity,
                operating_cost_cny_per_t: figures.operating_cost_cny_per_t
                    * rng.random_range(0.7..1.3),
                first_year,
                last_year,
                max_build_mt_per_year: if expands {
                    capacity * rng.random_range(0.03..0.08)
                } else {
                    0.0
                },
                investment_cny_per_t: figures.investment_cny_per_t * rng.random_range(0.8..1.2),
            }
        })
        .collect();
    // Base-year capacity at the utilisation, then more if some year would fall short.
    let operating = |plants: &[Plant], year: Year| -> f64 {
        plants
            .iter()
            .filter(|plant| (plant.first_year..=plant.last_year).contains(&year))
            .map(|plant| plant.capacity_mt)
            .sum()
    };
    let all: f64 = plants.iter().map(|plant| plant.capacity_mt).sum();
    let mut scale = figures.base_output_mt / BASE_UTILISATION / all;
    for &year in years {
        let available = operating(&plants, year) * scale;
        let needed = 1.05 * reference(figures.base_output_mt, year);
        if available < needed {
            scale *= needed / available;
        }
    }
    for plant in &mut plants {
        plant.capacity_mt *= scale;
        plant.max_build_mt_per_year *= scale;
    }
    plants
}

/// Writes one per-year table `{ 2025 = a, 2026 = b, ... }`.
fn per_year(years: &[Year], value: impl Fn(Year) -> f64) -> String {
    let entries: Vec<String> = years
        .iter()
        .map(|&year| format!("{year} = {:.6}", value(year)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

fn scenario_toml(spec: GeneratorSpec, years: &[Year]) -> String {
    let year_list: Vec<String> = years.iter().map(ToString::to_string).collect();
    let recycled_floor = |year: Year| -> f64 {
        0.97 * METALS
            .iter()
            .flat_map(|metal| metal.routes)
            .filter(|route| route.route == Route::Recycled)
            .map(|route| reference(route.base_output_mt, year))
            .sum::<f64>()
    };
    let mut toml = format!(
        r#"# Generated by metalplan's scenario generator: {facilities} facilities, {count} years, seed {seed}.
# Synthetic plant-level scenario for scale tests. National 2024 figures (base output, costs,
# recovery, CO2, value added) are those of scenarios/china-2025-2026.toml, which cites
# shared/reference/china-nonferrous-2024.md for each; facility data are random draws around
# them (see crates/metalplan-core/src/generate.rs). Feasible by construction: every route
# growing 1.5 %/yr meets every target.

name = "generated: {facilities} facilities, {count} years, seed {seed}"
base_year = {BASE_YEAR}
years = [{years}]
discount_rate = {DISCOUNT_RATE}
facilities_csv = "{FACILITIES_FILE}"

[targets]
output_growth_min = {GROWTH}
recycled_output_min_mt = {recycled}
"#,
        facilities = spec.facilities,
        count = spec.years,
        seed = spec.seed,
        years = year_list.join(", "),
        recycled = per_year(years, recycled_floor),
    );
    for metal in METALS {
        let _ = write!(toml, "\n[[metals]]\nname = \"{}\"\n", metal.name);
        for figures in metal.routes {
            let (domestic_available, domestic_cost) = figures.domestic;
            let (domestic, imported) = match figures.route {
                Route::Primary => ("domestic_ore", "imported_concentrate"),
                Route::Recycled => ("domestic_scrap", "imported_scrap"),
            };
            let _ = write!(
                toml,
                "
[metals.{route}]
base_output_mt = {base}
capacity_mt = {capacity:.6}      # national cap: 3x base output, never binding
operating_cost_cny_per_t = 0     # carried by the facilities
value_added_cny_per_t = {value_added}
co2_t_per_t = {co2}
counts_toward_output_total = {counts}
feed.{domestic} = {{ available_mt = {domestic_available}, cost_cny_per_t = {domestic_cost}, recovery = {recovery} }}
feed.{imported} = {{ available_mt = {imported_available}, cost_cny_per_t = {imported_cost}, recovery = {recovery} }}
",
                route = figures.route,
                base = figures.base_output_mt,
                capacity = 3.0 * figures.base_output_mt,
                value_added = figures.value_added_cny_per_t,
                co2 = figures.co2_t_per_t,
                counts = figures.counts_toward_output_total,
                domestic_available = per_year(years, |year| {
                    domestic_available * 1.01_f64.powi(year - BASE_YEAR)
                }),
                recovery = figures.recovery,
                imported_available = per_year(years, |year| {
                    2.0 * reference(figures.base_output_mt, year) / figures.recovery
                }),
                imported_cost = figures.imported_cost_cny_per_t,
            );
        }
    }
    toml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_every_route_gets_one() {
        let routes: Vec<(&MetalFigures, &RouteFigures)> = METALS
            .iter()
            .flat_map(|metal| metal.routes.iter().map(move |route| (metal, route)))
            .collect();
        for total in [routes.len(), 11, 97, 1000, 33_333] {
            let counts = facility_counts(total, &routes);
            assert_eq!(counts.iter().sum::<usize>(), total);
            assert!(counts.iter().all(|&count| count >= 1));
        }
    }

    #[test]
    fn same_seed_same_files_other_seed_other_files() {
        let spec = GeneratorSpec {
            facilities: 50,
            years: 5,
            seed: 7,
            memory_limit_bytes: None,
        };
        let first = generate(spec).unwrap();
        assert_eq!(first, generate(spec).unwrap());
        let other = generate(GeneratorSpec { seed: 8, ..spec }).unwrap();
        // The national figures do not depend on the seed; only the header names it.
        assert_eq!(
            first.scenario_toml.replace("seed 7", "seed 8"),
            other.scenario_toml
        );
        assert_ne!(first.facilities_csv, other.facilities_csv);
        assert_eq!(first.facilities_csv.lines().count(), 51);
    }

    #[test]
    fn refuses_too_few_facilities_and_bad_horizons() {
        let spec = GeneratorSpec {
            facilities: 3,
            years: 5,
            seed: 1,
            memory_limit_bytes: None,
        };
        assert!(matches!(
            generate(spec),
            Err(GenerateError::TooFewFacilities { .. })
        ));
        let spec = GeneratorSpec {
            facilities: 30,
            years: 0,
            seed: 1,
            memory_limit_bytes: None,
        };
        assert!(matches!(generate(spec), Err(GenerateError::Years { .. })));
    }

    /// The estimate from the request against the one from the generated scenario itself.
    #[test]
    fn estimate_from_the_request_matches_the_scenario() {
        let spec = GeneratorSpec {
            facilities: 2_000,
            years: 12,
            seed: 3,
            memory_limit_bytes: None,
        };
        let generated = generate(spec).unwrap();
        let folder = std::env::temp_dir().join(format!("metalplan-size-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(FACILITIES_FILE), &generated.facilities_csv).unwrap();
        let file = folder.join("scenario.toml");
        std::fs::write(&file, &generated.scenario_toml).unwrap();
        let loaded = crate::scenario::load_scenario(&file).unwrap();
        std::fs::remove_dir_all(&folder).unwrap();
        let from_scenario = ModelSize::estimate(&loaded.scenario);
        let from_request = estimate(spec);
        for (request, scenario) in [
            (from_request.columns, from_scenario.columns),
            (from_request.rows, from_scenario.rows),
            (from_request.nonzeros, from_scenario.nonzeros),
        ] {
            #[allow(clippy::cast_precision_loss)]
            let ratio = request as f64 / scenario as f64;
            assert!(
                (0.8..=1.5).contains(&ratio),
                "{from_request:?} against {from_scenario:?}"
            );
        }
    }

    #[test]
    fn refuses_a_request_above_the_memory_limit() {
        let spec = GeneratorSpec {
            facilities: 100_000_000_000,
            years: 10,
            seed: 1,
            memory_limit_bytes: Some(1 << 30),
        };
        let Err(GenerateError::TooLarge { source, .. }) = generate(spec) else {
            panic!("a request of 1e11 facilities is refused");
        };
        assert_eq!(source.limit_bytes, 1 << 30);
    }
}

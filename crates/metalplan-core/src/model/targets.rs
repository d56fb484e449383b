//! Output bounds and national targets (M6-M13 in docs/model.md), and soft targets (M19): the
//! shortfall columns that let a target be missed.

use super::market::{metal_content, trade_material};
use super::{merged, Builder, Column, Material, Process, RowKind, Sense, TargetKind, VariableKey};
use crate::scenario::{
    FeedSource, ImportDefinition, Metal, Origin, PerYear, Route, Scenario, Year,
};
use crate::variable::process_name;

/// A route's weight in a sum over routes (`None`: not in the sum), by metal, route and year.
type RouteWeight<'w> = dyn Fn(usize, Route, Year) -> Option<f64> + 'w;
/// A stage's weight in a sum over stages, by metal, stage and year.
type StageWeight<'w> = dyn Fn(usize, usize, Year) -> Option<f64> + 'w;

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
    fn route_sum(&self, year: Year, weight: &RouteWeight<'_>) -> Vec<(usize, f64)> {
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

    fn base_route_sum(&self, weight: &RouteWeight<'_>) -> f64 {
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

    /// A per-year sum over stages: `weight(metal, stage, year) * stage output` for each stage
    /// with a weight (value added and CO2 count stages too; output totals do not).
    fn stage_sum(&self, year: Year, weight: &StageWeight<'_>) -> Vec<(usize, f64)> {
        let mut terms = Vec::new();
        for (metal, spec) in self.scenario.metals.iter().enumerate() {
            for stage in 0..spec.stages.len() {
                let key = VariableKey::StageOutput { metal, stage, year };
                if let (Some(column), Some(coefficient)) =
                    (self.model.column(key), weight(metal, stage, year))
                {
                    terms.push((column, coefficient));
                }
            }
        }
        terms
    }

    fn base_stage_sum(&self, weight: &StageWeight<'_>) -> f64 {
        let base_year = self.scenario.base_year;
        let mut total = 0.0;
        for (metal, spec) in self.scenario.metals.iter().enumerate() {
            for (stage, stage_spec) in spec.stages.iter().enumerate() {
                if let Some(coefficient) = weight(metal, stage, base_year) {
                    total += coefficient * stage_spec.base_output_mt.unwrap_or(0.0);
                }
            }
        }
        total
    }

    /// A year's sum over routes and, with a stage weight, stages.
    fn total_terms(
        &self,
        year: Year,
        weight: &RouteWeight<'_>,
        stage_weight: Option<&StageWeight<'_>>,
    ) -> Vec<(usize, f64)> {
        let mut terms = self.route_sum(year, weight);
        if let Some(stage_weight) = stage_weight {
            terms.extend(self.stage_sum(year, stage_weight));
        }
        terms
    }

    /// The terms and right-hand side of growth row `sum_y >= (1 + g) sum_{y-1}` (or `<=`):
    /// against observed data in the first planning year, against the plan after it. With
    /// `once`, the output total counts the primary metal drawn into recycled output once.
    fn growth_terms(
        &self,
        year: Year,
        growth: f64,
        weight: &RouteWeight<'_>,
        stage_weight: Option<&StageWeight<'_>>,
        once: bool,
    ) -> (Vec<(usize, f64)>, f64) {
        let years = &self.scenario.years;
        // The primary metal drawn into recycled output is taken off the recycled output's
        // own coefficient (or a product's): one term per column.
        let sum = |at: Year| {
            let mut terms = self.total_terms(at, weight, stage_weight);
            if once {
                let twice = self.counted_twice_terms(at);
                if !twice.is_empty() {
                    terms.extend(twice);
                    terms = merged(terms);
                }
            }
            terms
        };
        let mut terms = sum(year);
        let position = years.iter().position(|&y| y == year).unwrap_or(0);
        if position == 0 {
            let mut base = self.base_route_sum(weight)
                + stage_weight.map_or(0.0, |stage_weight| self.base_stage_sum(stage_weight));
            if once {
                base -= counted_twice_in_base_year(self.scenario);
            }
            return (terms, (1.0 + growth) * base);
        }
        let previous = sum(years[position - 1]);
        terms.extend(
            previous
                .into_iter()
                .map(|(column, coefficient)| (column, -(1.0 + growth) * coefficient)),
        );
        (terms, 0.0)
    }

    /// The primary metal drawn into recycled output, with -1, for metals whose primary and
    /// recycled output both count toward the ten-metal total (it would be counted twice).
    fn counted_twice_terms(&self, year: Year) -> Vec<(usize, f64)> {
        let mut terms = Vec::new();
        for (metal_index, metal) in self.scenario.metals.iter().enumerate() {
            if counts_both(metal) {
                terms.extend(
                    self.primary_draw_terms(metal_index, year)
                        .into_iter()
                        .map(|(column, ratio)| (column, -ratio)),
                );
            }
        }
        terms
    }

    /// M12's terms: what is imported less the cap times the whole it is a share of, for one
    /// metal and year, by `definition` (docs/model.md, "Import dependence").
    fn import_dependence_terms(
        &self,
        metal: usize,
        year: Year,
        bound: f64,
        definition: ImportDefinition,
    ) -> Vec<(usize, f64)> {
        let spec = &self.scenario.metals[metal];
        let mut terms = Vec::new();
        let mut add = |key: VariableKey, coefficient: f64| {
            if let Some(column) = self.model.column(key) {
                terms.push((column, coefficient));
            }
        };
        let feed = |source: FeedSource| VariableKey::Feed {
            metal,
            source,
            year,
        };
        let imported = |source: FeedSource| if source.is_imported() { 1.0 } else { 0.0 };
        // Scrap grades count as feed: imported grades as imported feed.
        let grades = grade_uses(spec, metal, year);
        match definition {
            // Imported feed - cap x all feed.
            ImportDefinition::Feed => {
                for source in FeedSource::ALL {
                    add(feed(source), imported(source) - bound);
                }
                for &(key, origin) in &grades {
                    add(key, imported_grade(origin) - bound);
                }
            }
            // Metal in net imports of every kind - cap x consumption.
            ImportDefinition::NetImportsOverConsumption => {
                for source in FeedSource::ALL {
                    add(feed(source), imported(source));
                }
                for &(key, origin) in &grades {
                    add(key, imported_grade(origin));
                }
                for material in materials(spec) {
                    let content = metal_content(spec, material);
                    add(
                        VariableKey::Import {
                            metal,
                            material,
                            year,
                        },
                        content,
                    );
                    add(
                        VariableKey::Export {
                            metal,
                            material,
                            year,
                        },
                        -content,
                    );
                }
                add(VariableKey::Consumption { metal, year }, -bound);
            }
            // Imported ore and concentrate - cap x all ore and concentrate used, in metal.
            ImportDefinition::RawMaterial => {
                for source in Route::Primary.feed_sources() {
                    add(feed(source), imported(source) - bound);
                }
                for (stage, _) in spec.stages.iter().enumerate().filter(|(_, s)| s.is_raw()) {
                    let content = spec.stages[stage].metal_content;
                    let material = Material::Stage(stage);
                    add(
                        VariableKey::StageOutput { metal, stage, year },
                        -bound * content,
                    );
                    add(
                        VariableKey::Import {
                            metal,
                            material,
                            year,
                        },
                        (1.0 - bound) * content,
                    );
                    add(
                        VariableKey::Export {
                            metal,
                            material,
                            year,
                        },
                        bound * content,
                    );
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
        // A route's CO2 per tonne includes its alloying elements' (routes without products).
        let co2 = |metal: usize, route: Route, year: Year| {
            scenario.metals[metal]
                .route(route)
                .map(|spec| spec.co2_t_per_t.at(year) + spec.additions().alloying_co2(year))
        };
        let stage_value_added = |metal: usize, stage: usize, year: Year| {
            scenario.metals[metal].stages[stage]
                .value_added_cny_per_t
                .as_ref()
                .and_then(|value| value.get(year))
        };
        let stage_co2 = |metal: usize, stage: usize, year: Year| {
            scenario.metals[metal].stages[stage]
                .co2_t_per_t
                .as_ref()
                .map(|co2| co2.at(year))
        };
        for key in target_keys(scenario) {
            let TargetKey {
                target,
                metal,
                year,
                bound,
                definition,
                process,
            } = key;
            let (terms, sense, rhs) = match target {
                // M8: recycled output floor.
                TargetKind::RecycledOutputMin => {
                    (self.route_sum(year, &recycled), Sense::AtLeast, bound)
                }
                // M9, M10: ten-metal output growth floor and ceiling.
                TargetKind::OutputGrowthMin => {
                    let (terms, rhs) =
                        self.growth_terms(year, bound, &counts_toward_output, None, true);
                    (terms, Sense::AtLeast, rhs)
                }
                TargetKind::OutputGrowthMax => {
                    let (terms, rhs) =
                        self.growth_terms(year, bound, &counts_toward_output, None, true);
                    (terms, Sense::AtMost, rhs)
                }
                // M11: value-added growth floor (routes and stages).
                TargetKind::ValueAddedGrowthMin => {
                    let (terms, rhs) = self.growth_terms(
                        year,
                        bound,
                        &value_added,
                        Some(&stage_value_added),
                        false,
                    );
                    (terms, Sense::AtLeast, rhs)
                }
                // M12: imported - cap x the whole <= 0, per metal and definition.
                TargetKind::ImportDependenceMax => {
                    let metal = metal.expect("an import-dependence target names its metal");
                    let definition = definition.unwrap_or(ImportDefinition::Feed);
                    let terms = self.import_dependence_terms(metal, year, bound, definition);
                    (terms, Sense::AtMost, 0.0)
                }
                // M13: CO2 cap (routes and stages, products' alloying, power).
                TargetKind::Co2Max => {
                    let mut terms = self.total_terms(year, &co2, Some(&stage_co2));
                    terms.extend(self.product_co2_terms(year));
                    terms.extend(self.power_co2_terms(year));
                    (terms, Sense::AtMost, bound)
                }
                // M33: clean power - floor x all power >= 0, for one process.
                TargetKind::CleanElectricityMin => {
                    let metal = metal.expect("a clean-electricity floor names its metal");
                    let process = key
                        .process
                        .expect("a clean-electricity floor names its process");
                    let terms = self.clean_share_terms(metal, process, year, bound);
                    (terms, Sense::AtLeast, 0.0)
                }
            };
            self.push_row(
                key.row_name(scenario),
                RowKind::Target {
                    target,
                    metal,
                    bound,
                    definition,
                    process,
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
    /// For an import-dependence cap written with its definition (`[[targets.import_dependence]]`);
    /// `None` for `import_dependence_max`, which measures feed.
    pub definition: Option<ImportDefinition>,
    /// The route or stage of a clean-electricity floor.
    pub process: Option<Process>,
}

impl TargetKey {
    /// The row's name: `<target>[<year>]`, or `<target>[<metal>,<year>]` for per-metal targets.
    #[must_use]
    pub fn row_name(&self, scenario: &Scenario) -> String {
        let metal = self.metal.map(|metal| &scenario.metals[metal]);
        let qualifier = match (self.definition, self.process, metal) {
            (Some(definition), _, _) => Some(definition.key()),
            (None, Some(process), Some(metal)) => Some(process_name(metal, process)),
            _ => None,
        };
        target_row_name(
            self.target,
            metal.map(|metal| metal.name.as_str()),
            qualifier,
            self.year,
        )
    }
}

/// The national target rows of a valid scenario, in the order the model holds them: each
/// target in the order of docs/model.md (M8-M13), year by year, import-dependence caps metal by
/// metal in name order.
#[must_use]
pub fn target_keys(scenario: &Scenario) -> Vec<TargetKey> {
    let targets = &scenario.targets;
    let mut keys = Vec::new();
    let mut defined = |target: TargetKind,
                       metal: Option<usize>,
                       schedule: Option<&PerYear>,
                       definition: Option<ImportDefinition>| {
        for &year in &scenario.years {
            if let Some(bound) = schedule.and_then(|schedule| schedule.get(year)) {
                keys.push(TargetKey {
                    target,
                    metal,
                    year,
                    bound,
                    definition,
                    process: None,
                });
            }
        }
    };
    let mut yearly = |target, metal, schedule| defined(target, metal, schedule, None);
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
    for cap in &targets.import_dependence {
        if let Some(metal) = scenario.metals.iter().position(|m| m.name == cap.metal) {
            defined(
                TargetKind::ImportDependenceMax,
                Some(metal),
                Some(&cap.max),
                Some(cap.definition),
            );
        }
    }
    for floor in &targets.clean_electricity {
        let Some(metal) = scenario.metals.iter().position(|m| m.name == floor.metal) else {
            continue;
        };
        let Some(process) = named_process(&scenario.metals[metal], &floor.process) else {
            continue;
        };
        for &year in &scenario.years {
            if let Some(bound) = floor.min.get(year) {
                keys.push(TargetKey {
                    target: TargetKind::CleanElectricityMin,
                    metal: Some(metal),
                    year,
                    bound,
                    definition: None,
                    process: Some(process),
                });
            }
        }
    }
    keys
}

/// The process of `metal` called `name`: `primary`, `recycled` or one of its stages.
pub(crate) fn named_process(metal: &Metal, name: &str) -> Option<Process> {
    match name {
        "primary" => metal
            .primary
            .as_ref()
            .map(|_| Process::Route(Route::Primary)),
        "recycled" => metal
            .recycled
            .as_ref()
            .map(|_| Process::Route(Route::Recycled)),
        _ => metal.stage(name).map(|(stage, _)| Process::Stage(stage)),
    }
}

/// Whether both of `metal`'s routes count toward the ten-metal output total, so that primary
/// metal drawn into recycled output would be counted twice.
fn counts_both(metal: &Metal) -> bool {
    [Route::Primary, Route::Recycled].iter().all(|&route| {
        metal
            .route(route)
            .is_some_and(|spec| spec.counts_toward_output_total)
    })
}

/// The primary metal drawn into recycled output in the base year, Mt, for metals whose routes
/// both count toward the output total: each addition ratio of the base year times the observed
/// output it applies to (the route's, or each product's `base_output_mt`).
pub(crate) fn counted_twice_in_base_year(scenario: &Scenario) -> f64 {
    let base_year = scenario.base_year;
    let mut total = 0.0;
    for metal in scenario.metals.iter().filter(|metal| counts_both(metal)) {
        let Some(spec) = &metal.recycled else {
            continue;
        };
        if spec.products.is_empty() {
            let ratio = spec
                .primary_input_t_per_t
                .as_ref()
                .and_then(|ratio| ratio.get(base_year))
                .unwrap_or(0.0);
            total += ratio * spec.base_output_mt.unwrap_or(0.0);
        } else {
            for product in &spec.products {
                let ratio = product
                    .primary_input_t_per_t
                    .as_ref()
                    .and_then(|ratio| ratio.get(base_year))
                    .unwrap_or(0.0);
                total += ratio * product.base_output_mt.unwrap_or(0.0);
            }
        }
    }
    total
}

/// Each grade-use column key of `metal`'s recycled route in `year`, with the grade's origin.
fn grade_uses(spec: &Metal, metal: usize, year: Year) -> Vec<(VariableKey, Origin)> {
    let Some(route) = &spec.recycled else {
        return Vec::new();
    };
    let products: Vec<Option<usize>> = if route.products.is_empty() {
        vec![None]
    } else {
        (0..route.products.len()).map(Some).collect()
    };
    let mut keys = Vec::new();
    for (grade, grade_spec) in route.grades.values().enumerate() {
        for &product in &products {
            keys.push((
                VariableKey::GradeUse {
                    metal,
                    grade,
                    product,
                    year,
                },
                grade_spec.origin,
            ));
        }
    }
    keys
}

fn imported_grade(origin: Origin) -> f64 {
    if origin == Origin::Imported {
        1.0
    } else {
        0.0
    }
}

/// A target row's name: `<target>[<year>]`, `<target>[<metal>,<year>]` for per-metal targets,
/// `<target>[<metal>,<qualifier>,<year>]` for import-dependence caps with a definition (the
/// qualifier) and clean-electricity floors (the process).
#[must_use]
pub fn target_row_name(
    target: TargetKind,
    metal: Option<&str>,
    qualifier: Option<&str>,
    year: Year,
) -> String {
    let name = target.key();
    match (metal, qualifier) {
        (Some(metal), Some(qualifier)) => format!("{name}[{metal},{qualifier},{year}]"),
        (Some(metal), None) => format!("{name}[{metal},{year}]"),
        (None, _) => format!("{name}[{year}]"),
    }
}

/// Every material of `metal` that is traded: its traded stages and the refined metal, in the
/// order of its `trade` entries.
fn materials(metal: &Metal) -> impl Iterator<Item = Material> + '_ {
    metal
        .trade
        .iter()
        .map(|trade| trade_material(metal, &trade.material))
}

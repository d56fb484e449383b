//! Checks of the market parts of a scenario: each metal's stages (names, numbers, a chain
//! without cycles), trade (known materials, bounds and prices), demand (fixed or blocks whose
//! prices do not rise, stocks), and import-dependence caps by definition (one that can be
//! computed for its metal).

use std::collections::{BTreeMap, BTreeSet};

use super::{key_problem, Checker, Coverage, Rule};
use crate::scenario::{
    DemandSpec, ImportDefinition, Metal, PerYear, Route, StageSpec, TradeSpec, REFINED,
};

/// Names a stage may not take: they mean something else where materials and processes are
/// named.
const RESERVED: [&str; 3] = [REFINED, "primary", "recycled"];

impl Checker<'_> {
    /// Every metal's stages, route inputs, trade and demand.
    pub(super) fn markets(&mut self) {
        let scenario = self.scenario;
        for (index, metal) in scenario.metals.iter().enumerate() {
            let path = format!("metals[{index}]");
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            for (position, stage) in metal.stages.iter().enumerate() {
                let stage_path = format!("{path}.stages[{position}]");
                if let Some(first) = seen.insert(&stage.name, position) {
                    seen.insert(&stage.name, first);
                    self.report(
                        format!("{stage_path}.name"),
                        format!(
                            "stage `{}` is named twice (also stages[{first}])",
                            stage.name
                        ),
                    );
                }
                self.stage(&stage_path, metal, stage);
            }
            self.chain_without_cycles(&path, metal);
            for route in Route::ALL {
                if let Some(spec) = metal.route(route) {
                    let inputs_path = format!("{path}.{route}.input_t_per_t");
                    self.inputs(&inputs_path, metal, &spec.input_t_per_t);
                }
            }
            let mut traded: BTreeMap<&str, usize> = BTreeMap::new();
            for (position, trade) in metal.trade.iter().enumerate() {
                let trade_path = format!("{path}.trade[{position}]");
                if let Some(first) = traded.insert(&trade.material, position) {
                    traded.insert(&trade.material, first);
                    self.report(
                        format!("{trade_path}.material"),
                        format!(
                            "`{}` is traded twice (also trade[{first}]); give its imports and exports in one entry",
                            trade.material
                        ),
                    );
                }
                self.trade(&trade_path, metal, trade);
            }
            if let Some(demand) = &metal.demand {
                self.demand(&format!("{path}.demand"), demand);
            }
        }
    }

    fn stage(&mut self, path: &str, metal: &Metal, stage: &StageSpec) {
        if let Some(message) = key_problem(&stage.name) {
            self.report(format!("{path}.name"), message);
        } else if RESERVED.contains(&stage.name.as_str()) {
            self.report(
                format!("{path}.name"),
                format!(
                    "`{}` names something else (the refined metal or a route); call the stage by its material",
                    stage.name
                ),
            );
        }
        self.number(
            &format!("{path}.metal_content"),
            stage.metal_content,
            Rule::Recovery,
        );
        if let Some(base) = stage.base_output_mt {
            self.number(&format!("{path}.base_output_mt"), base, Rule::NonNegative);
        }
        self.capacity(path, stage.capacity());
        let every = Coverage::EveryPlanningYear;
        self.per_year(
            &format!("{path}.operating_cost_cny_per_t"),
            &stage.operating_cost_cny_per_t,
            Rule::NonNegative,
            every,
        );
        if let Some(value_added) = &stage.value_added_cny_per_t {
            self.per_year(
                &format!("{path}.value_added_cny_per_t"),
                value_added,
                Rule::NonNegative,
                Coverage::PlanningAndBaseYear,
            );
        }
        if let Some(co2) = &stage.co2_t_per_t {
            self.per_year(
                &format!("{path}.co2_t_per_t"),
                co2,
                Rule::NonNegative,
                every,
            );
        }
        self.inputs(
            &format!("{path}.input_t_per_t"),
            metal,
            &stage.input_t_per_t,
        );
    }

    /// Each input names a stage of the metal, with a conversion factor above 0.
    fn inputs(&mut self, path: &str, metal: &Metal, inputs: &BTreeMap<String, PerYear>) {
        for (name, ratio) in inputs {
            let at = format!("{path}.{name}");
            if metal.stage(name).is_none() {
                self.report(
                    &at,
                    format!(
                        "`{name}` is not a stage of metal `{}` (its stages: {})",
                        metal.name,
                        stage_names(metal)
                    ),
                );
            }
            self.per_year(&at, ratio, Rule::Positive, Coverage::EveryPlanningYear);
        }
    }

    /// A stage may not be made, through any chain of inputs, from itself.
    fn chain_without_cycles(&mut self, path: &str, metal: &Metal) {
        // Depth-first search, stage by stage in file order; each cycle is reported once, at the
        // first stage (in file order) on it.
        let mut reported: BTreeSet<usize> = BTreeSet::new();
        for start in 0..metal.stages.len() {
            if reported.contains(&start) {
                continue;
            }
            if let Some(cycle) = cycle_from(metal, start) {
                let names: Vec<&str> = cycle
                    .iter()
                    .map(|&stage| metal.stages[stage].name.as_str())
                    .collect();
                reported.extend(cycle.iter().copied());
                self.report(
                    format!("{path}.stages[{start}].input_t_per_t"),
                    format!(
                        "the stage chain has a cycle: {} -> {} (a material cannot be made, however indirectly, from itself)",
                        names.join(" -> "),
                        names[0]
                    ),
                );
            }
        }
    }

    fn trade(&mut self, path: &str, metal: &Metal, trade: &TradeSpec) {
        if trade.material == REFINED {
            if metal.demand.is_none() {
                self.report(
                    format!("{path}.material"),
                    "trade in the refined metal needs the metal's `demand`: without it the plan has no market the trade balances against",
                );
            }
        } else if metal.stage(&trade.material).is_none() {
            self.report(
                format!("{path}.material"),
                format!(
                    "`{}` is not a material of metal `{}`; use `refined` or one of its stages ({})",
                    trade.material,
                    metal.name,
                    stage_names(metal)
                ),
            );
        }
        let sides = [
            (
                "import",
                &trade.import_max_mt,
                &trade.import_min_mt,
                &trade.import_price_cny_per_t,
            ),
            (
                "export",
                &trade.export_max_mt,
                &trade.export_min_mt,
                &trade.export_price_cny_per_t,
            ),
        ];
        for (side, most, least, price) in sides {
            self.trade_side(path, side, (most.as_ref(), least.as_ref(), price.as_ref()));
        }
        if trade.import_max_mt.is_none() && trade.export_max_mt.is_none() {
            self.report(
                path,
                "trades nothing; give import_max_mt (with import_price_cny_per_t) or export_max_mt (with export_price_cny_per_t)",
            );
        }
    }

    /// One side of a trade entry: bounds at least 0 with the least at most the most, a price.
    fn trade_side(
        &mut self,
        path: &str,
        side: &str,
        (most, least, price): (Option<&PerYear>, Option<&PerYear>, Option<&PerYear>),
    ) {
        let every = Coverage::EveryPlanningYear;
        let Some(most) = most else {
            for (given, field) in [
                (least.is_some(), format!("{side}_min_mt")),
                (price.is_some(), format!("{side}_price_cny_per_t")),
            ] {
                if given {
                    self.report(
                        format!("{path}.{field}"),
                        format!("needs {side}_max_mt: without a most there are no {side}s"),
                    );
                }
            }
            return;
        };
        self.per_year(
            &format!("{path}.{side}_max_mt"),
            most,
            Rule::NonNegative,
            every,
        );
        match price {
            Some(price) => self.per_year(
                &format!("{path}.{side}_price_cny_per_t"),
                price,
                Rule::NonNegative,
                every,
            ),
            None => self.report(
                format!("{path}.{side}_price_cny_per_t"),
                format!("is required with {side}_max_mt"),
            ),
        }
        if let Some(least) = least {
            let at = format!("{path}.{side}_min_mt");
            self.per_year(&at, least, Rule::NonNegative, every);
            for &year in &self.scenario.years {
                if let (Some(low), Some(high)) = (least.get(year), most.get(year)) {
                    if low > high {
                        self.report(
                            &at,
                            format!("{low} Mt is above {side}_max_mt ({high} Mt) in {year}"),
                        );
                    }
                }
            }
        }
    }

    fn demand(&mut self, path: &str, demand: &DemandSpec) {
        let every = Coverage::EveryPlanningYear;
        if demand.consumption_mt.is_none() && demand.blocks.is_empty() {
            self.report(
                path,
                "gives no demand; write consumption_mt = ... (fixed, or the reference for objectives other than welfare), and/or blocks = [{ quantity_mt = ..., price_cny_per_t = ... }, ...]",
            );
        }
        if let Some(consumption) = &demand.consumption_mt {
            self.per_year(
                &format!("{path}.consumption_mt"),
                consumption,
                Rule::NonNegative,
                every,
            );
        }
        for (index, block) in demand.blocks.iter().enumerate() {
            let at = format!("{path}.blocks[{index}]");
            self.per_year(
                &format!("{at}.quantity_mt"),
                &block.quantity_mt,
                Rule::NonNegative,
                every,
            );
            self.per_year(
                &format!("{at}.price_cny_per_t"),
                &block.price_cny_per_t,
                Rule::NonNegative,
                every,
            );
        }
        self.prices_do_not_rise(path, demand);
        if let Some(stock) = &demand.stock {
            let at = format!("{path}.stock");
            self.number(
                &format!("{at}.initial_mt"),
                stock.initial_mt,
                Rule::NonNegative,
            );
            self.per_year(
                &format!("{at}.max_mt"),
                &stock.max_mt,
                Rule::NonNegative,
                every,
            );
            self.per_year(
                &format!("{at}.holding_cost_cny_per_t"),
                &stock.holding_cost_cny_per_t,
                Rule::NonNegative,
                every,
            );
            if let Some(least) = &stock.min_mt {
                self.per_year(&format!("{at}.min_mt"), least, Rule::NonNegative, every);
                for &year in &self.scenario.years {
                    if let (Some(low), Some(high)) = (least.get(year), stock.max_mt.get(year)) {
                        if low > high {
                            self.report(
                                format!("{at}.min_mt"),
                                format!("{low} Mt is above max_mt ({high} Mt) in {year}"),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Demand blocks, dearest first: a price above the block before it would make consumer
    /// surplus convex, which a linear program cannot take in order.
    fn prices_do_not_rise(&mut self, path: &str, demand: &DemandSpec) {
        for &year in &self.scenario.years {
            for (index, pair) in demand.blocks.windows(2).enumerate() {
                let (Some(before), Some(after)) = (
                    pair[0].price_cny_per_t.get(year),
                    pair[1].price_cny_per_t.get(year),
                ) else {
                    continue;
                };
                if after > before {
                    self.report(
                        format!("{path}.blocks[{}].price_cny_per_t", index + 1),
                        format!(
                            "is {after} CNY/t in {year}, above blocks[{index}]'s {before}: demand blocks must not rise in price (list the dearest first)"
                        ),
                    );
                    return;
                }
            }
        }
    }

    /// `[[targets.import_dependence]]`: a known metal, a share, each metal and definition once,
    /// and a definition that has something to take a share of for that metal.
    pub(super) fn import_dependence_targets(&mut self) {
        let scenario = self.scenario;
        let mut seen: BTreeMap<(&str, ImportDefinition), usize> = BTreeMap::new();
        for (index, cap) in scenario.targets.import_dependence.iter().enumerate() {
            let path = format!("targets.import_dependence[{index}]");
            self.per_year(
                &format!("{path}.max"),
                &cap.max,
                Rule::Fraction,
                Coverage::AnyPlanningYears,
            );
            if let Some(first) = seen.insert((&cap.metal, cap.definition), index) {
                seen.insert((&cap.metal, cap.definition), first);
                self.report(
                    &path,
                    format!(
                        "caps `{}`'s {} dependence twice (also import_dependence[{first}])",
                        cap.metal, cap.definition
                    ),
                );
            }
            let Some(metal) = scenario.metal(&cap.metal) else {
                self.report(
                    format!("{path}.metal"),
                    format!("`{}` is not a metal of this scenario", cap.metal),
                );
                continue;
            };
            if let Some(reason) = uncomputable(metal, cap.definition) {
                self.report(
                    format!("{path}.definition"),
                    format!(
                        "{} dependence cannot be computed for `{}`: {reason}",
                        cap.definition, cap.metal
                    ),
                );
            }
        }
    }
}

/// Why `definition` has nothing to take a share of for `metal`, if so.
fn uncomputable(metal: &Metal, definition: ImportDefinition) -> Option<&'static str> {
    let has_feed = |routes: &[Route]| {
        routes
            .iter()
            .filter_map(|&route| metal.route(route))
            .any(|spec| !spec.feed.is_empty())
    };
    match definition {
        ImportDefinition::Feed if !has_feed(&Route::ALL) => Some("its routes draw no feed"),
        ImportDefinition::NetImportsOverConsumption if metal.demand.is_none() => {
            Some("it has no demand, so no consumption to divide by")
        }
        ImportDefinition::RawMaterial
            if !has_feed(&[Route::Primary]) && !metal.stages.iter().any(StageSpec::is_raw) =>
        {
            Some("it has no ore or concentrate: no primary feed and no mined stage")
        }
        _ => None,
    }
}

/// A cycle through `start` in `metal`'s stage chain, as the stages on it from `start`.
fn cycle_from(metal: &Metal, start: usize) -> Option<Vec<usize>> {
    fn visit(metal: &Metal, start: usize, at: usize, path: &mut Vec<usize>) -> bool {
        for name in metal.stages[at].input_t_per_t.keys() {
            let Some((next, _)) = metal.stage(name) else {
                continue;
            };
            if next == start {
                return true;
            }
            if path.contains(&next) {
                continue;
            }
            path.push(next);
            if visit(metal, start, next, path) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = vec![start];
    visit(metal, start, start, &mut path).then_some(path)
}

fn stage_names(metal: &Metal) -> String {
    if metal.stages.is_empty() {
        return "none".to_string();
    }
    metal
        .stages
        .iter()
        .map(|stage| stage.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

//! A minimal metalplan plugin, meant to be copied: a floor on every metal's recycled share of
//! output. For each metal with both routes and each planning year it adds
//!
//! ```text
//! recycled - share * (primary + recycled) >= 0
//! ```
//!
//! written as `(1 - share) * recycled - share * primary >= 0`, so the row stays linear.
//! See docs/plugins.md for the whole story: what a plugin sees, what it may return, and how to
//! build, test and load it.

use metalplan_plugin::{
    export_plugin, Constraint, Contribution, Figure, ParameterInfo, Plugin, PluginContext,
    PluginInfo, Route, Sense, VarRef,
};

/// The plugin. metalplan creates it with `Default` for every call, so it keeps no state.
#[derive(Default)]
pub struct Template;

/// The one parameter, read from `[[plugins]] params` in the scenario.
const SHARE_PARAMETER: &str = "recycled_share_min";

impl Plugin for Template {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            // Prefixes everything the plugin adds: `plugin.template.<constraint>` in results.
            name: "template".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: "Floor on each metal's recycled share of output".to_string(),
            // metalplan fills in defaults and refuses a scenario that leaves out a required
            // parameter (`ParameterInfo::required`) or gives one not listed here.
            parameters: vec![ParameterInfo::optional(
                SHARE_PARAMETER,
                "least share of each metal's output made by the recycled route, 0 to 1",
                0.25,
            )],
        }
    }

    fn build(&self, context: &PluginContext) -> Result<Contribution, String> {
        // `require` works for optional parameters too: the host has filled in the default.
        let share: f64 = context.require(SHARE_PARAMETER)?;
        if !(0.0..=1.0).contains(&share) {
            // An `Err` reaches the planner as "plugin `template` failed: <this message>".
            return Err(format!(
                "{SHARE_PARAMETER} must be between 0 and 1, got {share}"
            ));
        }
        let mut contribution = Contribution::default();
        for metal in &context.metals {
            // Refer only to variables that exist: a metal without a recycled route has no
            // recycled output, and the host would refuse the row.
            let (Some(primary), Some(recycled)) =
                (metal.route(Route::Primary), metal.route(Route::Recycled))
            else {
                continue;
            };
            for &year in &context.years {
                contribution.constraints.push(
                    // The name must be unique within the plugin; a year in it helps reading.
                    Constraint::new(
                        format!("recycled_share_min[{},{year}]", metal.name),
                        Some(year),
                        Sense::AtLeast,
                        0.0,
                    )
                    .term(
                        VarRef::output(&metal.name, Route::Recycled, year),
                        1.0 - share,
                    )
                    .term(VarRef::output(&metal.name, Route::Primary, year), -share),
                );
            }
            // Figures are reported with the results as they are; here, the base-year share for
            // comparison with the floor.
            let base_total = primary.base_output_mt + recycled.base_output_mt;
            if base_total > 0.0 {
                contribution.figures.push(Figure {
                    name: format!("base_recycled_share[{}]", metal.name),
                    year: Some(context.base_year),
                    value: recycled.base_output_mt / base_total,
                    unit: "share".to_string(),
                });
            }
        }
        Ok(contribution)
    }
}

// Generates the four C entry points metalplan looks for. No other glue is needed.
export_plugin!(Template);

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use metalplan_plugin::{MetalInfo, RouteInfo, Term};

    use super::*;

    /// A route as the host would describe it (no feed: this plugin does not look at feed).
    fn route(route: Route, base_output_mt: f64) -> RouteInfo {
        RouteInfo {
            route,
            base_output_mt,
            can_build: false,
            feed: Vec::new(),
        }
    }

    /// Copper with both routes and magnesium with a primary route only, over 2025-2026.
    fn context(share: f64) -> PluginContext {
        PluginContext {
            discount_rate: 0.0,
            base_year: 2024,
            years: vec![2025, 2026],
            metals: vec![
                MetalInfo {
                    name: "copper".to_string(),
                    routes: vec![route(Route::Primary, 8.0), route(Route::Recycled, 2.0)],
                    ..MetalInfo::default()
                },
                MetalInfo {
                    name: "magnesium".to_string(),
                    routes: vec![route(Route::Primary, 1.0)],
                    ..MetalInfo::default()
                },
            ],
            params: BTreeMap::from([(SHARE_PARAMETER.to_string(), share.into())]),
            ..PluginContext::default()
        }
    }

    #[test]
    fn one_row_per_year_for_metals_with_both_routes() {
        let contribution = Template.build(&context(0.3)).expect("a valid share");
        let names: Vec<&str> = contribution
            .constraints
            .iter()
            .map(|constraint| constraint.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "recycled_share_min[copper,2025]",
                "recycled_share_min[copper,2026]"
            ]
        );
        let row = &contribution.constraints[1];
        assert_eq!(row.year, Some(2026));
        assert_eq!((row.sense, row.rhs), (Sense::AtLeast, 0.0));
        assert_eq!(
            row.terms,
            [
                Term {
                    var: VarRef::output("copper", Route::Recycled, 2026),
                    coefficient: 0.7
                },
                Term {
                    var: VarRef::output("copper", Route::Primary, 2026),
                    coefficient: -0.3
                },
            ]
        );
        // Base-year share: 2 of 10 Mt.
        assert_eq!(contribution.figures.len(), 1);
        assert!((contribution.figures[0].value - 0.2).abs() < 1e-12);
    }

    #[test]
    fn a_share_outside_zero_to_one_is_an_error() {
        let error = Template.build(&context(1.5)).unwrap_err();
        assert!(error.contains("between 0 and 1"), "{error}");
    }
}

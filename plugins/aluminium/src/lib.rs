//! Aluminium rules from China's aluminium policy (sources in this crate's README):
//! primary output at most the 45 Mt/yr capacity ceiling, and recycled output at least the
//! floors of 11.5 Mt in 2025 and 15 Mt in 2027, interpolated linearly for the years between and
//! held at the last floor after it.

use std::collections::BTreeMap;

use metalplan_plugin::{
    export_plugin, year_table_default, Constraint, Contribution, Figure, ParameterInfo, Plugin,
    PluginContext, PluginInfo, Route, Sense, VarRef,
};

/// The plugin; it keeps no state between calls.
#[derive(Default)]
pub struct Aluminium;

impl Plugin for Aluminium {
    fn info(&self) -> PluginInfo {
        PluginInfo {
            name: "aluminium".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            description: "Primary aluminium ceiling and recycled-aluminium floors (China)"
                .to_string(),
            parameters: vec![
                ParameterInfo::optional(
                    "metal",
                    "the scenario's metal key for aluminium",
                    "aluminium",
                ),
                ParameterInfo::optional(
                    "primary_ceiling_mt",
                    "most primary output per year, Mt (the 2017 capacity ceiling)",
                    45.0,
                ),
                ParameterInfo::optional(
                    "recycled_floor_mt",
                    "recycled output floors by year, Mt, interpolated linearly between years",
                    year_table_default(&[(2025, 11.5), (2027, 15.0)]),
                ),
            ],
        }
    }

    fn build(&self, context: &PluginContext) -> Result<Contribution, String> {
        let metal: String = context.require("metal")?;
        let ceiling = context.non_negative("primary_ceiling_mt")?;
        let anchors = context.year_table("recycled_floor_mt")?;
        let info = context
            .metal(&metal)
            .ok_or_else(|| format!("the scenario has no metal `{metal}`"))?;
        let mut contribution = Contribution::default();
        for &year in &context.years {
            if info.route(Route::Primary).is_some() {
                contribution.constraints.push(
                    Constraint::new(
                        format!("primary_ceiling[{year}]"),
                        Some(year),
                        Sense::AtMost,
                        ceiling,
                    )
                    .term(VarRef::output(&metal, Route::Primary, year), 1.0),
                );
            }
            if let (Some(floor), Some(_)) =
                (interpolate(&anchors, year), info.route(Route::Recycled))
            {
                contribution.constraints.push(
                    Constraint::new(
                        format!("recycled_floor[{year}]"),
                        Some(year),
                        Sense::AtLeast,
                        floor,
                    )
                    .term(VarRef::output(&metal, Route::Recycled, year), 1.0),
                );
                contribution.figures.push(Figure {
                    name: "recycled_floor_mt".to_string(),
                    year: Some(year),
                    value: floor,
                    unit: "Mt".to_string(),
                });
            }
        }
        Ok(contribution)
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
            Some(v0 + (v1 - v0) * f64::from(year - y0) / f64::from(y1 - y0))
        }
        (Some((_, &value)), _) => Some(value),
        (None, _) => None,
    }
}

export_plugin!(Aluminium);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_interpolate_between_policy_years() {
        let anchors = BTreeMap::from([(2025, 11.5), (2027, 15.0)]);
        assert_eq!(interpolate(&anchors, 2024), None);
        assert_eq!(interpolate(&anchors, 2025), Some(11.5));
        assert!((interpolate(&anchors, 2026).unwrap() - 13.25).abs() < 1e-12);
        assert_eq!(interpolate(&anchors, 2027), Some(15.0));
        assert_eq!(interpolate(&anchors, 2030), Some(15.0));
    }
}

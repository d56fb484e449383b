//! Output grouped by facility, province or metal (`solve --group-by`).
//!
//! Works from a [`PlanResult`] and its scenario only (the facility rows carry ids; the scenario
//! says where each facility is), so a result file can be regrouped without solving again.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::results::PlanResult;
use crate::scenario::{Route, Scenario, Year};

/// What to group output by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row per facility and year.
    Facility,
    /// One row per province, metal, route and year; routes without facilities are one group,
    /// `national`.
    Province,
    /// One row per metal, route and year (the plan itself).
    Metal,
}

/// Output of one group in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// The facility id, the province, or the metal.
    pub group: String,
    /// Metal.
    pub metal: String,
    /// Route.
    pub route: Route,
    /// Year.
    pub year: Year,
    /// Facilities in the group operating this year (0 for routes without facilities).
    pub facilities: usize,
    /// Output, Mt.
    pub output_mt: f64,
    /// Capacity available this year, Mt/yr.
    pub capacity_mt: f64,
    /// Capacity added this year, Mt/yr.
    pub built_mt: f64,
}

impl GroupRow {
    /// Output as a share of capacity, when there is capacity.
    #[must_use]
    pub fn utilisation(&self) -> Option<f64> {
        (self.capacity_mt > 0.0).then(|| self.output_mt / self.capacity_mt)
    }
}

/// The group of routes that have no facilities, under `--group-by province`.
pub const NATIONAL_GROUP: &str = "national";

/// `result`'s output grouped by `by`: sorted by group, metal, route and year, except by metal,
/// which keeps the plan's own order (metal by metal, year by year).
#[must_use]
pub fn group_output(scenario: &Scenario, result: &PlanResult, by: GroupBy) -> Vec<GroupRow> {
    if by == GroupBy::Metal {
        return result
            .plan
            .iter()
            .map(|row| GroupRow {
                group: row.metal.clone(),
                metal: row.metal.clone(),
                route: row.route,
                year: row.year,
                facilities: scenario
                    .facilities
                    .iter()
                    .filter(|f| f.metal == row.metal && f.route == row.route)
                    .filter(|f| f.operates_in(row.year))
                    .count(),
                output_mt: row.output_mt,
                capacity_mt: row.capacity_mt,
                built_mt: row.built_mt,
            })
            .collect();
    }
    let facility_by_id: BTreeMap<&str, &crate::scenario::Facility> = scenario
        .facilities
        .iter()
        .map(|facility| (facility.id.as_str(), facility))
        .collect();
    let mut groups: BTreeMap<(&str, &str, Route, Year), GroupRow> = BTreeMap::new();
    for row in &result.facilities {
        let Some(facility) = facility_by_id.get(row.id.as_str()) else {
            continue;
        };
        let group = match by {
            GroupBy::Facility => facility.id.as_str(),
            GroupBy::Province | GroupBy::Metal => facility.province.as_str(),
        };
        let entry = groups
            .entry((group, facility.metal.as_str(), facility.route, row.year))
            .or_insert_with(|| GroupRow {
                group: group.to_string(),
                metal: facility.metal.clone(),
                route: facility.route,
                year: row.year,
                facilities: 0,
                output_mt: 0.0,
                capacity_mt: 0.0,
                built_mt: 0.0,
            });
        entry.facilities += 1;
        entry.output_mt += row.output_mt;
        entry.capacity_mt += row.capacity_mt;
        entry.built_mt += row.built_mt;
    }
    if by == GroupBy::Province {
        // Routes without facilities are planned nationally; they form one group of their own.
        for row in &result.plan {
            let has_facilities = scenario
                .facilities
                .iter()
                .any(|f| f.metal == row.metal && f.route == row.route);
            if !has_facilities {
                groups.insert(
                    (NATIONAL_GROUP, row.metal.as_str(), row.route, row.year),
                    GroupRow {
                        group: NATIONAL_GROUP.to_string(),
                        metal: row.metal.clone(),
                        route: row.route,
                        year: row.year,
                        facilities: 0,
                        output_mt: row.output_mt,
                        capacity_mt: row.capacity_mt,
                        built_mt: row.built_mt,
                    },
                );
            }
        }
    }
    groups.into_values().collect()
}

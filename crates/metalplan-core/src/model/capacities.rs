//! Capacities (M3, M4 and M21 in docs/model.md): each route, shared plant and facility produces
//! within what exists plus what has been built up to the year; builds are bounded per year.

use super::columns::facility_name;
use super::{Builder, RowKind, Sense, VariableKey};
use crate::scenario::{CapacityView, Route, Year};

impl Builder<'_> {
    /// Builds made in `year` or earlier (M3, M4: built capacity stays available).
    pub(super) fn builds_up_to(&self, year: Year, key: impl Fn(Year) -> VariableKey) -> Vec<usize> {
        self.scenario
            .years
            .iter()
            .filter(|&&built| built <= year)
            .filter_map(|&built| self.model.column(key(built)))
            .collect()
    }

    /// M21: each facility's output within its capacity plus its expansions so far, each year it
    /// operates.
    pub(super) fn facility_capacity_rows(&mut self) {
        let scenario = self.scenario;
        let columns = std::mem::take(&mut self.model.facility_columns);
        for (facility_index, facility) in scenario.facilities.iter().enumerate() {
            let mut builds = Vec::new();
            for (position, &year) in scenario.years.iter().enumerate() {
                let Some((output, build)) = columns.at(facility_index, position) else {
                    continue;
                };
                builds.extend(build);
                // M21: output - expansions so far <= capacity.
                let mut terms = Vec::with_capacity(1 + builds.len());
                terms.push((output, 1.0));
                terms.extend(builds.iter().map(|&build| (build, -1.0)));
                self.push_row(
                    facility_name("facility_capacity", &facility.id, year),
                    RowKind::FacilityCapacity {
                        facility: facility_index,
                    },
                    year,
                    (terms, Sense::AtMost, facility.capacity_mt),
                );
            }
        }
        self.model.facility_columns = columns;
    }

    /// M3 for one route of one metal in one year whose output column is `output`.
    pub(super) fn route_capacity_row(
        &mut self,
        metal_index: usize,
        route: Route,
        year: Year,
        output: usize,
    ) {
        let metal = &self.scenario.metals[metal_index];
        let Some(spec) = metal.route(route) else {
            return;
        };
        // M3: output - builds so far <= existing capacity.
        let mut terms = vec![(output, 1.0)];
        let builds = self.builds_up_to(year, |built| VariableKey::Build {
            metal: metal_index,
            route,
            year: built,
        });
        terms.extend(builds.into_iter().map(|column| (column, -1.0)));
        self.push_row(
            format!("capacity[{},{route},{year}]", metal.name),
            RowKind::Capacity {
                metal: metal_index,
                route,
            },
            year,
            (terms, Sense::AtMost, spec.capacity_mt.at(year)),
        );
    }

    /// M4 for one metal in one year, over its routes' output columns `total`.
    pub(super) fn shared_capacity_row(
        &mut self,
        metal_index: usize,
        year: Year,
        total: &[(usize, f64)],
    ) {
        let metal = &self.scenario.metals[metal_index];
        let Some(shared) = &metal.shared_capacity else {
            return;
        };
        // M4: primary + recycled - shared builds so far <= shared capacity.
        let mut terms = total.to_vec();
        let builds = self.builds_up_to(year, |built| VariableKey::SharedBuild {
            metal: metal_index,
            year: built,
        });
        terms.extend(builds.into_iter().map(|column| (column, -1.0)));
        self.push_row(
            format!("shared_capacity[{},{year}]", metal.name),
            RowKind::SharedCapacity { metal: metal_index },
            year,
            (terms, Sense::AtMost, shared.capacity_mt.at(year)),
        );
    }
}

/// The build limit in `year`, when building is allowed at all.
pub(super) fn build_limit(capacity: CapacityView<'_>, year: Year) -> Option<f64> {
    capacity
        .max_build_mt_per_year
        .map(|limit| limit.at(year))
        .filter(|&limit| limit > 0.0)
}

/// Whether capacity can be built in `year` (a build column exists).
pub(crate) fn build_limit_allowed(capacity: CapacityView<'_>, year: Year) -> bool {
    build_limit(capacity, year).is_some()
}

pub(super) fn investment(capacity: CapacityView<'_>, year: Year) -> f64 {
    capacity
        .investment_cny_per_t
        .map_or(0.0, |investment| investment.at(year))
}

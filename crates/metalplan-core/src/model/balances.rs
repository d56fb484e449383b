//! Balances (M1, M2 and M22 in docs/model.md): a route's output is the metal recovered from
//! the feed it draws, within what is available; a route with plants produces what they produce.

use std::collections::BTreeMap;

use super::{Builder, Process, RowKind, Sense};
use crate::scenario::{FeedSource, Route, Year};

impl Builder<'_> {
    /// M1 and M2 for one route of one metal in one year whose output column is `output`.
    pub(super) fn feed_rows(
        &mut self,
        metal_index: usize,
        route: Route,
        year: Year,
        output: usize,
    ) {
        let metal = &self.scenario.metals[metal_index];
        let name = &metal.name;
        let Some(spec) = metal.route(route) else {
            return;
        };
        // With products the route makes what they make (M34, in place of M1).
        if !spec.products.is_empty() {
            self.recycling_rows(metal_index, year, output);
            return;
        }
        let feeds: Vec<(FeedSource, usize, f64, f64)> = route
            .feed_sources()
            .into_iter()
            .filter_map(|source| {
                let column = self.feed(metal_index, source, year)?;
                let feed = spec.feed_source(source)?;
                Some((source, column, feed.recovery, feed.available_mt.at(year)))
            })
            .collect();
        // M1: (1 - additions) x output = sum of recovery x feed (+ sum of stage material used /
        // its ratio, + sum of recovery x grade drawn). Without additions the share is exactly 1.
        let scrap_share = 1.0 - spec.additions().total_share(year);
        let mut terms = vec![(output, scrap_share)];
        terms.extend(
            feeds
                .iter()
                .map(|&(_, column, recovery, _)| (column, -recovery)),
        );
        terms.extend(self.input_terms(metal_index, Process::Route(route), year));
        if route == Route::Recycled {
            terms.extend(self.route_grade_terms(metal_index, year));
        }
        self.push_row(
            format!("feed_balance[{name},{route},{year}]"),
            RowKind::FeedBalance {
                metal: metal_index,
                route,
            },
            year,
            (terms, Sense::Equal, 0.0),
        );
        // M2: feed drawn <= feed available.
        for (source, column, _, available) in feeds {
            self.push_row(
                format!("feed_available[{name},{source},{year}]"),
                RowKind::FeedAvailable {
                    metal: metal_index,
                    source,
                },
                year,
                (vec![(column, 1.0)], Sense::AtMost, available),
            );
        }
        // M35: grades within what is available.
        if route == Route::Recycled && !spec.grades.is_empty() {
            self.recycling_rows(metal_index, year, output);
        }
    }

    /// M22: a route with facilities produces exactly the sum of their outputs, each year.
    pub(super) fn facility_total_rows(&mut self) {
        let scenario = self.scenario;
        if scenario.facilities.is_empty() {
            return;
        }
        let mut by_route: BTreeMap<(usize, Route), Vec<usize>> = BTreeMap::new();
        for (facility_index, facility) in scenario.facilities.iter().enumerate() {
            if let Some(metal) = scenario
                .metals
                .iter()
                .position(|m| m.name == facility.metal)
            {
                by_route
                    .entry((metal, facility.route))
                    .or_default()
                    .push(facility_index);
            }
        }
        let columns = std::mem::take(&mut self.model.facility_columns);
        for ((metal, route), facilities) in by_route {
            let name = &scenario.metals[metal].name;
            for (position, &year) in scenario.years.iter().enumerate() {
                let Some(output) = self.output(metal, route, year) else {
                    continue;
                };
                // M22: route output - sum of facility outputs = 0.
                let mut terms = Vec::with_capacity(1 + facilities.len());
                terms.push((output, 1.0));
                terms.extend(
                    facilities
                        .iter()
                        .filter_map(|&facility| columns.at(facility, position))
                        .map(|(column, _)| (column, -1.0)),
                );
                self.push_row(
                    format!("facility_total[{name},{route},{year}]"),
                    RowKind::FacilityTotal { metal, route },
                    year,
                    (terms, Sense::Equal, 0.0),
                );
            }
        }
        self.model.facility_columns = columns;
    }
}

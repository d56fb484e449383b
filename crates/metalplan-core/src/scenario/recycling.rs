//! Recycling as it is done (docs/scenario.md, "Recycling: grades, products and additions"):
//! named scrap grades with their own availability, cost and recovery; products of the recycled
//! route (cast and wrought alloys, say) with limits on the grades they take; and what a tonne of
//! recycled output holds besides scrap: primary metal for dilution and alloying elements.
//!
//! Every part is optional; a recycled route without them is planned as before.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{PerYear, RouteSpec, Year};

/// Where a scrap grade comes from: domestic scrap, or imported (which counts as imported feed in
/// import dependence and the imports objective).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Scrap arising at home.
    Domestic,
    /// Scrap bought abroad.
    Imported,
}

impl Origin {
    /// The key used in files and results.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Origin::Domestic => "domestic",
            Origin::Imported => "imported",
        }
    }
}

/// One scrap grade of a recycled route, in tonnes of contained metal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeSpec {
    /// What the grade is (old or new scrap, cast or wrought, a standard's name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Domestic or imported.
    pub origin: Origin,
    /// Available per year, Mt of contained metal.
    pub available_mt: PerYear,
    /// Delivered cost per tonne of contained metal, CNY/t.
    pub cost_cny_per_t: PerYear,
    /// Share of the contained metal that ends up in output, in (0, 1].
    pub recovery: f64,
}

/// An alloying element added per tonne of recycled output, bought at a price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlloyingSpec {
    /// Tonnes of the element per tonne of output.
    pub t_per_t: PerYear,
    /// Delivered price of the element, CNY/t.
    pub price_cny_per_t: PerYear,
    /// CO2 of making the element, t CO2 per t of it (absent: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_t_per_t: Option<PerYear>,
}

/// What a tonne of recycled output (or of one product) holds besides recovered scrap.
#[derive(Debug, Clone, Copy)]
pub struct AdditionsView<'a> {
    /// Primary metal of the same metal per tonne of output.
    pub primary_input_t_per_t: Option<&'a PerYear>,
    /// Alloying elements per tonne of output, by element.
    pub alloying: &'a BTreeMap<String, AlloyingSpec>,
}

impl AdditionsView<'_> {
    /// Primary metal per tonne of output in `year` (0 when none is added).
    #[must_use]
    pub fn primary_share(&self, year: Year) -> f64 {
        self.primary_input_t_per_t
            .map_or(0.0, |ratio| ratio.at(year))
    }

    /// Every addition per tonne of output in `year`: primary metal and alloying elements. The
    /// rest of a tonne, `1 - total_share`, is metal recovered from scrap.
    #[must_use]
    pub fn total_share(&self, year: Year) -> f64 {
        self.primary_share(year)
            + self
                .alloying
                .values()
                .map(|element| element.t_per_t.at(year))
                .sum::<f64>()
    }

    /// The alloying elements' cost per tonne of output in `year`, CNY/t.
    #[must_use]
    pub fn alloying_cost(&self, year: Year) -> f64 {
        self.alloying
            .values()
            .map(|element| element.t_per_t.at(year) * element.price_cny_per_t.at(year))
            .sum()
    }

    /// The alloying elements' CO2 per tonne of output in `year`, t CO2/t.
    #[must_use]
    pub fn alloying_co2(&self, year: Year) -> f64 {
        self.alloying
            .values()
            .map(|element| {
                element.t_per_t.at(year) * element.co2_t_per_t.as_ref().map_or(0.0, |c| c.at(year))
            })
            .sum()
    }

    /// Whether anything is added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.primary_input_t_per_t.is_none() && self.alloying.is_empty()
    }
}

/// One product of a recycled route (a cast or a wrought alloy, say): its own additions, and the
/// most of its output each grade's recovered metal may make up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductSpec {
    /// Stable key: lowercase letters, digits, `_` and `-`; unique within the route.
    pub name: String,
    /// What the product is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Observed output in the base year, Mt (absent: 0): only the base-year output total uses
    /// it, to count the primary metal drawn into the product once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_output_mt: Option<f64>,
    /// Least output per year, Mt (what buyers of this alloy take; absent: 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_min_mt: Option<PerYear>,
    /// Primary metal of the same metal per tonne of this product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_input_t_per_t: Option<PerYear>,
    /// Alloying elements per tonne of this product, by element.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub alloying: BTreeMap<String, AlloyingSpec>,
    /// The most of this product's output that metal recovered from a grade may make up, a
    /// fraction, by grade (0 keeps a grade out). Grades not listed are not limited.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub max_grade_share: BTreeMap<String, PerYear>,
}

impl ProductSpec {
    /// What a tonne of this product holds besides recovered scrap.
    #[must_use]
    pub fn additions(&self) -> AdditionsView<'_> {
        AdditionsView {
            primary_input_t_per_t: self.primary_input_t_per_t.as_ref(),
            alloying: &self.alloying,
        }
    }
}

impl RouteSpec {
    /// What a tonne of the route's output holds besides recovered scrap (for a route without
    /// products).
    #[must_use]
    pub fn additions(&self) -> AdditionsView<'_> {
        AdditionsView {
            primary_input_t_per_t: self.primary_input_t_per_t.as_ref(),
            alloying: &self.alloying,
        }
    }

    /// The grade called `name`, with its index in name order.
    #[must_use]
    pub fn grade(&self, name: &str) -> Option<(usize, &GradeSpec)> {
        self.grades
            .iter()
            .enumerate()
            .find(|(_, (grade, _))| grade.as_str() == name)
            .map(|(index, (_, spec))| (index, spec))
    }

    /// The product called `name`, with its index.
    #[must_use]
    pub fn product(&self, name: &str) -> Option<(usize, &ProductSpec)> {
        self.products
            .iter()
            .enumerate()
            .find(|(_, product)| product.name == name)
    }
}

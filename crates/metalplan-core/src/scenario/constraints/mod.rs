//! `[[constraints]]`: linear rules planners write in the scenario file, without a plugin
//! (docs/constraints.md). A rule sums model variables named by the same stable keys plugins use
//! (output, feed or build of a metal, route, feed source and year) and compares the sum with a
//! right-hand side, or with a `share` of another sum; it repeats for each year it lists.
//!
//! This module holds the file's types; [`check`] their checks (every problem names the
//! constraint and the offending key by its field path, which the loader turns into a line and
//! column); [`expand`] the expansion of a valid rule into one linear row per year over
//! [`VariableKey`](crate::variable::VariableKey)s, which the model builder turns into columns.
//! The plan verifier does not use the expansion at all.

mod check;
mod expand;

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::{PerYear, Scenario, Sense, Year};

pub(super) use check::check;
pub use expand::{expand, ExpandedConstraint};

/// One `[[constraints]]` entry, as written.
///
/// Either the linear form `sum(terms) sense rhs`, or the share form
/// `sum(terms) sense share * sum(of)`, expanded to `sum(terms) - share * sum(of) sense 0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConstraint {
    /// Stable key: lowercase letters, digits, `_` and `-`; unique among the constraints. Rows are
    /// named `user[<name>,<year>]`.
    pub name: String,
    /// Free text: what the rule is and where it comes from.
    #[serde(default)]
    pub description: String,
    /// The years the rule is repeated for; absent: every planning year.
    pub years: Option<YearSelection>,
    /// The left-hand side: terms summed.
    #[serde(default)]
    pub terms: Vec<ConstraintTerm>,
    /// `<=`, `>=` or `=`.
    pub sense: Option<String>,
    /// Right-hand side of the linear form, in the unit of the terms (Mt for plain coefficients).
    pub rhs: Option<PerYear>,
    /// Share form: the fraction (0 to 1) of `of` that `terms` is compared with.
    pub share: Option<PerYear>,
    /// Share form: the terms whose sum `share` multiplies.
    pub of: Option<Vec<ConstraintTerm>>,
}

/// One term: `coefficient` times the sum of the variables its keys select.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstraintTerm {
    /// `output` (default), `feed`, `build`, `stage_output`, `import`, `export`,
    /// `consumption`, `grade_use`, `product_output` or `power`.
    pub variable: Option<String>,
    /// One metal or a list; absent: every metal that has the selected variables.
    pub metal: Option<Names>,
    /// One route or a list (`primary`, `recycled`); absent: every route.
    pub route: Option<Names>,
    /// Feed terms: one feed source or a list; absent: every source of the selected routes.
    /// Power terms: one power source or a list; absent: every source.
    pub source: Option<Names>,
    /// `stage_output` terms only: one stage or a list; absent: every stage of the metals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Names>,
    /// `import` and `export` terms only: one material (a stage's name, or `refined`) or a list;
    /// absent: every material the metals trade that way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<Names>,
    /// `grade_use` terms only: one scrap grade or a list; absent: every grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Names>,
    /// `grade_use` and `product_output` terms only: one recycled product or a list; absent:
    /// every product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Names>,
    /// `power` terms only: one process (`primary`, `recycled` or a stage) or a list; absent:
    /// every process that uses electricity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Names>,
    /// An explicit planning year (for rules across years); absent: the year of the rule's row.
    pub year: Option<Year>,
    /// Multiplies the sum; absent: 1.
    pub coefficient: Option<f64>,
}

/// A name or a list of names: `metal = "lead"` or `metal = ["lead", "zinc"]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Names {
    /// One name.
    One(String),
    /// A list of names.
    Many(Vec<String>),
}

impl Names {
    /// Whether a term key selects `name`: an absent key selects every name.
    #[must_use]
    pub fn selects(names: Option<&Names>, name: &str) -> bool {
        names.is_none_or(|names| names.contains(name))
    }

    /// Every name with the suffix of its field path: `""` for a single name, `[k]` in a list.
    pub(super) fn entries(&self) -> Vec<(String, &str)> {
        match self {
            Names::One(name) => vec![(String::new(), name.as_str())],
            Names::Many(names) => names
                .iter()
                .enumerate()
                .map(|(index, name)| (format!("[{index}]"), name.as_str()))
                .collect(),
        }
    }

    /// Whether `name` is one of the names.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        match self {
            Names::One(one) => one == name,
            Names::Many(names) => names.iter().any(|listed| listed == name),
        }
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NamesVisitor)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Names;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter
            .write_str("a name such as \"copper\", or a list of names such as [\"lead\", \"zinc\"]")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Names, E> {
        Ok(Names::One(value.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
        let mut names = Vec::new();
        while let Some(name) = seq.next_element::<String>()? {
            names.push(name);
        }
        Ok(Names::Many(names))
    }
}

/// The years a rule repeats for: `years = 2026`, `years = [2025, 2026]` or
/// `years = { from = 2025, to = 2030 }` (both ends included).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum YearSelection {
    /// One year.
    One(Year),
    /// Listed years.
    List(Vec<Year>),
    /// Every year from `from` to `to`, inclusive.
    Range {
        /// First year.
        from: Year,
        /// Last year, included.
        to: Year,
    },
}

impl<'de> Deserialize<'de> for YearSelection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YearsVisitor)
    }
}

struct YearsVisitor;

/// The `{ from, to }` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearRange {
    from: Year,
    to: Year,
}

impl<'de> Visitor<'de> for YearsVisitor {
    type Value = YearSelection;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(
            "a year such as 2026, a list of years such as [2025, 2026], or a range such as { from = 2025, to = 2030 }",
        )
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<YearSelection, E> {
        Year::try_from(value)
            .map(YearSelection::One)
            .map_err(|_| E::custom(format!("{value} is not a year")))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<YearSelection, E> {
        Year::try_from(value)
            .map(YearSelection::One)
            .map_err(|_| E::custom(format!("{value} is not a year")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YearSelection, A::Error> {
        let mut years = Vec::new();
        while let Some(year) = seq.next_element::<Year>()? {
            years.push(year);
        }
        Ok(YearSelection::List(years))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<YearSelection, A::Error> {
        let range = YearRange::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(YearSelection::Range {
            from: range.from,
            to: range.to,
        })
    }
}

/// What a term sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermVariable {
    /// Output of a route, Mt.
    Output,
    /// Feed drawn from a source, Mt of contained metal.
    Feed,
    /// Route capacity built in a year, Mt/yr.
    Build,
    /// A stage's material made, Mt of that material.
    StageOutput,
    /// A material imported, Mt.
    Import,
    /// A material exported, Mt.
    Export,
    /// Consumption of the refined metal, Mt.
    Consumption,
    /// Scrap of a grade drawn (for a product), Mt of contained metal.
    GradeUse,
    /// Output of a recycled product, Mt.
    ProductOutput,
    /// Electricity from a source used by a process, TWh.
    Power,
}

impl TermVariable {
    /// Whether a term of this variable selects by route (output, feed, build).
    #[must_use]
    pub fn by_route(self) -> bool {
        matches!(
            self,
            TermVariable::Output | TermVariable::Feed | TermVariable::Build
        )
    }

    /// Whether a term of this variable selects recycling or electricity variables (grade use,
    /// product output, power).
    #[must_use]
    pub fn in_recycling(self) -> bool {
        matches!(
            self,
            TermVariable::GradeUse | TermVariable::ProductOutput | TermVariable::Power
        )
    }

    /// The variable a term names; absent means output.
    #[must_use]
    pub fn parse(text: Option<&str>) -> Option<TermVariable> {
        match text.map(str::trim) {
            None | Some("output") => Some(TermVariable::Output),
            Some("feed") => Some(TermVariable::Feed),
            Some("build") => Some(TermVariable::Build),
            Some("stage_output") => Some(TermVariable::StageOutput),
            Some("import") => Some(TermVariable::Import),
            Some("export") => Some(TermVariable::Export),
            Some("consumption") => Some(TermVariable::Consumption),
            Some("grade_use") => Some(TermVariable::GradeUse),
            Some("product_output") => Some(TermVariable::ProductOutput),
            Some("power") => Some(TermVariable::Power),
            Some(_) => None,
        }
    }
}

impl UserConstraint {
    /// The years this rule repeats for, in increasing order, for a valid scenario.
    #[must_use]
    pub fn rule_years(&self, scenario: &Scenario) -> Vec<Year> {
        match &self.years {
            None => scenario.years.clone(),
            Some(YearSelection::One(year)) => vec![*year],
            Some(YearSelection::List(years)) => {
                let set: BTreeSet<Year> = years.iter().copied().collect();
                set.into_iter().collect()
            }
            Some(YearSelection::Range { from, to }) => (*from..=*to).collect(),
        }
    }

    /// Whether every term of the rule sums power (TWh), so its row counts TWh, not Mt.
    #[must_use]
    pub fn counts_power_only(&self) -> bool {
        !self.terms.is_empty()
            && self.terms.iter().all(|term| {
                TermVariable::parse(term.variable.as_deref()) == Some(TermVariable::Power)
            })
    }

    /// The parsed sense (`None` only for an invalid rule).
    #[must_use]
    pub fn parsed_sense(&self) -> Option<Sense> {
        self.sense.as_deref().and_then(Sense::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;
    use crate::scenario::{parse_scenario, FeedSource, Route, SourceFormat};
    use crate::variable::VariableKey;

    const BASE: &str = r#"
base_year = 2024
years = [2025, 2026, 2027]
[[metals]]
name = "cu"
[metals.primary]
base_output_mt = 1.0
capacity_mt = 2.0
max_build_mt_per_year = { 2025 = 0.0, 2026 = 1.0, 2027 = 1.0 }
investment_cny_per_t = 1
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_ore = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
feed.imported_concentrate = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
[metals.recycled]
base_output_mt = 1.0
capacity_mt = 2.0
operating_cost_cny_per_t = 1
value_added_cny_per_t = 1
co2_t_per_t = 1
feed.domestic_scrap = { available_mt = 3.0, cost_cny_per_t = 1, recovery = 1 }
"#;

    fn scenario(rules: &str) -> Result<Scenario, Vec<Problem>> {
        parse_scenario(
            format!("{BASE}{rules}"),
            std::path::Path::new("t.toml"),
            SourceFormat::Toml,
        )
        .map(|loaded| loaded.scenario)
        .map_err(|error| match error {
            crate::error::ScenarioError::Invalid { problems, .. } => problems,
            other => panic!("{other}"),
        })
    }

    #[test]
    fn years_are_one_a_list_a_range_or_every_planning_year() {
        for (years, expected) in [
            ("years = 2026", vec![2026]),
            ("years = [2027, 2025]", vec![2025, 2027]),
            ("years = { from = 2026, to = 2027 }", vec![2026, 2027]),
            ("", vec![2025, 2026, 2027]),
        ] {
            let parsed = scenario(&format!(
                "[[constraints]]\nname = \"r\"\n{years}\nterms = [{{ metal = \"cu\" }}]\nsense = \"<=\"\nrhs = 5\n"
            ))
            .unwrap();
            let rule = &parsed.constraints[0];
            assert_eq!(rule.rule_years(&parsed), expected, "{years}");
            let rows = expand(&parsed);
            assert_eq!(rows.len(), expected.len());
            // No route: both routes of cu.
            assert_eq!(rows[0].part.len(), 2);
        }
    }

    #[test]
    fn feed_and_build_terms_select_what_exists() {
        let parsed = scenario(
            r#"
[[constraints]]
name = "r"
terms = [{ variable = "feed", route = "primary" }, { variable = "build", metal = "cu", year = 2027, coefficient = 2.5 }]
sense = "<="
rhs = 5
years = [2026]
"#,
        )
        .unwrap();
        let row = &expand(&parsed)[0];
        assert_eq!(
            row.part,
            vec![
                (
                    VariableKey::Feed {
                        metal: 0,
                        source: FeedSource::DomesticOre,
                        year: 2026
                    },
                    1.0
                ),
                (
                    VariableKey::Feed {
                        metal: 0,
                        source: FeedSource::ImportedConcentrate,
                        year: 2026
                    },
                    1.0
                ),
                (
                    VariableKey::Build {
                        metal: 0,
                        route: Route::Primary,
                        year: 2027
                    },
                    2.5
                ),
            ]
        );
        assert_eq!(row.rhs, 5.0);
        assert!(row.whole.is_none());
    }

    #[test]
    fn a_build_term_in_a_year_without_building_is_refused() {
        // Building is allowed from 2026 only; every metal is meant, so the term is empty in 2025.
        let problems = scenario(
            "[[constraints]]\nname = \"r\"\nterms = [{ variable = \"build\" }]\nsense = \"<=\"\nrhs = 1\n",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "constraints[0].terms[0]");
        assert!(problems[0]
            .message
            .starts_with("constraint `r`: selects no variable of the model in 2025 "));
    }

    #[test]
    fn a_share_schedule_gives_exactly_the_rule_years() {
        let problems = scenario(
            "[[constraints]]\nname = \"s\"\nyears = [2025, 2026]\nterms = [{ route = \"recycled\" }]\nsense = \">=\"\nshare = { 2025 = 0.2, 2027 = 0.3 }\nof = [{ metal = \"cu\" }]\n",
        )
        .unwrap_err();
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|problem| (problem.path.as_str(), problem.message.as_str()))
            .collect();
        // In file order: the table, then its 2027 entry.
        assert_eq!(
            found,
            vec![
                ("constraints[0].share", "constraint `s`: no value for 2026"),
                (
                    "constraints[0].share.2027",
                    "constraint `s`: year 2027 is not one of the rule's years (2025, 2026)"
                ),
            ]
        );
    }
}

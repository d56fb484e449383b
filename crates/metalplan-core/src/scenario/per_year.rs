//! A value that is either the same every year or given per year.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Year;

/// A number that holds for every year (`20.0`) or a schedule by year (`{ 2025 = 20.0, 2026 = 21.0 }`).
#[derive(Debug, Clone, PartialEq)]
pub enum PerYear {
    /// The same value in every year.
    Constant(f64),
    /// One value per listed year; validation checks that the years needed are present.
    Schedule(BTreeMap<Year, f64>),
}

impl PerYear {
    /// The value for `year`: the constant, or the schedule's entry (`None` when it lacks the year).
    #[must_use]
    pub fn get(&self, year: Year) -> Option<f64> {
        match self {
            PerYear::Constant(value) => Some(*value),
            PerYear::Schedule(by_year) => by_year.get(&year).copied(),
        }
    }

    /// The value for `year`, for callers that run after validation guaranteed the year exists.
    ///
    /// # Panics
    /// When the schedule lacks the year: validation rejects such scenarios before any model is built.
    #[must_use]
    pub fn at(&self, year: Year) -> f64 {
        self.get(year)
            .expect("validation guarantees every schedule covers the years it is used in")
    }

    /// The same shape with `f` applied to every value (the constant, or each year's entry).
    #[must_use]
    pub fn map(&self, f: impl Fn(f64) -> f64) -> PerYear {
        match self {
            PerYear::Constant(value) => PerYear::Constant(f(*value)),
            PerYear::Schedule(by_year) => PerYear::Schedule(
                by_year
                    .iter()
                    .map(|(year, value)| (*year, f(*value)))
                    .collect(),
            ),
        }
    }

    /// Every (year, value) entry written in the file; a constant has none.
    pub fn entries(&self) -> impl Iterator<Item = (Option<Year>, f64)> + '_ {
        let (constant, schedule) = match self {
            PerYear::Constant(value) => (Some((None, *value)), None),
            PerYear::Schedule(by_year) => (
                None,
                Some(by_year.iter().map(|(year, value)| (Some(*year), *value))),
            ),
        };
        constant.into_iter().chain(schedule.into_iter().flatten())
    }
}

/// Whether `key` names a year of a per-year table (`"2025"`; surrounding blanks allowed).
#[must_use]
pub fn is_year_key(key: &str) -> bool {
    key.trim().parse::<Year>().is_ok()
}

/// The one rule for telling a per-year table from any other table, wherever a file is read
/// (parsing, overlays, setting a field by its path): a table is a per-year schedule when it has
/// at least one key and every key is a year. An empty table is a table: as a per-year value it
/// is refused, since it gives no year.
pub fn is_schedule<'k>(keys: impl IntoIterator<Item = &'k String>) -> bool {
    let mut any = false;
    for key in keys {
        if !is_year_key(key) {
            return false;
        }
        any = true;
    }
    any
}

impl Serialize for PerYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PerYear::Constant(value) => serializer.serialize_f64(*value),
            // Year keys are strings in TOML and JSON.
            PerYear::Schedule(by_year) => serializer.collect_map(
                by_year
                    .iter()
                    .map(|(year, value)| (year.to_string(), *value)),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for PerYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PerYearVisitor)
    }
}

struct PerYearVisitor;

impl<'de> Visitor<'de> for PerYearVisitor {
    type Value = PerYear;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a number, or a table of numbers keyed by year such as { 2025 = 1.0 }")
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<PerYear, E> {
        Ok(PerYear::Constant(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<PerYear, E> {
        Ok(PerYear::Constant(value as f64))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<PerYear, E> {
        Ok(PerYear::Constant(value as f64))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PerYear, A::Error> {
        let mut by_year = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let year: Year = key.trim().parse().map_err(|_| {
                de::Error::custom(format!(
                    "`{key}` is not a year; schedule keys are years such as 2025"
                ))
            })?;
            let value: Number = map.next_value()?;
            if by_year.insert(year, value.0).is_some() {
                return Err(de::Error::custom(format!("year {year} is given twice")));
            }
        }
        if by_year.is_empty() {
            return Err(de::Error::custom(
                "an empty table gives no year; write a number, or a table with at least one year such as { 2025 = 1.0 }",
            ));
        }
        Ok(PerYear::Schedule(by_year))
    }
}

/// A number that accepts TOML integers as well as floats.
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl Visitor<'_> for NumberVisitor {
            type Value = Number;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a number")
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Number, E> {
                Ok(Number(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Number, E> {
                Ok(Number(value as f64))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Number, E> {
                Ok(Number(value as f64))
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        value: PerYear,
    }

    #[test]
    fn reads_a_constant_or_a_schedule() {
        let constant: Holder = toml::from_str("value = 3").unwrap();
        assert_eq!(constant.value, PerYear::Constant(3.0));
        let schedule: Holder = toml::from_str("value = { 2025 = 1.5, 2026 = 2 }").unwrap();
        assert_eq!(schedule.value.get(2025), Some(1.5));
        assert_eq!(schedule.value.get(2026), Some(2.0));
        assert_eq!(schedule.value.get(2027), None);
    }

    #[test]
    fn an_empty_table_is_not_a_schedule() {
        let error = toml::from_str::<Holder>("value = {}").err().unwrap();
        assert!(error.to_string().contains("gives no year"), "{error}");
        let none: Vec<String> = Vec::new();
        assert!(!is_schedule(&none));
        let years = vec!["2025".to_string(), " 2026 ".to_string()];
        assert!(is_schedule(&years));
        let mixed = vec!["2025".to_string(), "next".to_string()];
        assert!(!is_schedule(&mixed));
    }

    #[test]
    fn rejects_a_key_that_is_not_a_year() {
        let error = toml::from_str::<Holder>("value = { next = 1.0 }")
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("`next` is not a year"),
            "{error}"
        );
    }
}

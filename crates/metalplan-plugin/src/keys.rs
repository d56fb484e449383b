//! The small vocabulary host and plugins share: routes, feed sources and the direction of a
//! row. Defined here, in the lowest crate, and re-exported by `metalplan-core`, so that each
//! concept has one definition on both sides of the boundary.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A calendar year.
pub type Year = i32;

/// Route of a metal: primary (ore, concentrate) or recycled (scrap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// From domestic ore and imported concentrate.
    Primary,
    /// From domestic and imported scrap.
    Recycled,
}

impl Route {
    /// Both routes, in reporting order.
    pub const ALL: [Route; 2] = [Route::Primary, Route::Recycled];

    /// The key used in files and results.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Route::Primary => "primary",
            Route::Recycled => "recycled",
        }
    }

    /// The two feed sources this route draws on, domestic first.
    #[must_use]
    pub fn feed_sources(self) -> [FeedSource; 2] {
        match self {
            Route::Primary => [FeedSource::DomesticOre, FeedSource::ImportedConcentrate],
            Route::Recycled => [FeedSource::DomesticScrap, FeedSource::ImportedScrap],
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Where a route's feed comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedSource {
    /// Ore mined at home (primary route).
    DomesticOre,
    /// Concentrate bought abroad (primary route).
    ImportedConcentrate,
    /// Scrap collected at home (recycled route).
    DomesticScrap,
    /// Scrap bought abroad (recycled route).
    ImportedScrap,
}

impl FeedSource {
    /// Every source, in reporting order.
    pub const ALL: [FeedSource; 4] = [
        FeedSource::DomesticOre,
        FeedSource::ImportedConcentrate,
        FeedSource::DomesticScrap,
        FeedSource::ImportedScrap,
    ];

    /// The key used in files and results.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            FeedSource::DomesticOre => "domestic_ore",
            FeedSource::ImportedConcentrate => "imported_concentrate",
            FeedSource::DomesticScrap => "domestic_scrap",
            FeedSource::ImportedScrap => "imported_scrap",
        }
    }

    /// Whether this feed is bought abroad.
    #[must_use]
    pub fn is_imported(self) -> bool {
        matches!(
            self,
            FeedSource::ImportedConcentrate | FeedSource::ImportedScrap
        )
    }

    /// The route that consumes this source.
    #[must_use]
    pub fn route(self) -> Route {
        match self {
            FeedSource::DomesticOre | FeedSource::ImportedConcentrate => Route::Primary,
            FeedSource::DomesticScrap | FeedSource::ImportedScrap => Route::Recycled,
        }
    }
}

impl fmt::Display for FeedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Direction of a row: `activity <= rhs`, `>= rhs` or `= rhs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sense {
    /// `<=`
    #[serde(rename = "<=")]
    AtMost,
    /// `>=`
    #[serde(rename = ">=")]
    AtLeast,
    /// `=`
    #[serde(rename = "=")]
    Equal,
}

impl Sense {
    /// The sense written as `<=`, `>=` or `=` (also `==`), surrounding blanks ignored.
    #[must_use]
    pub fn parse(text: &str) -> Option<Sense> {
        match text.trim() {
            "<=" => Some(Sense::AtMost),
            ">=" => Some(Sense::AtLeast),
            "=" | "==" => Some(Sense::Equal),
            _ => None,
        }
    }

    /// `<=`, `>=` or `=`.
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            Sense::AtMost => "<=",
            Sense::AtLeast => ">=",
            Sense::Equal => "=",
        }
    }
}

impl fmt::Display for Sense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_serde_names() {
        for source in FeedSource::ALL {
            let json = serde_json::to_string(&source).unwrap();
            assert_eq!(json, format!("\"{}\"", source.key()));
            assert!(source.route().feed_sources().contains(&source));
        }
        for route in Route::ALL {
            assert_eq!(
                serde_json::to_string(&route).unwrap(),
                format!("\"{route}\"")
            );
        }
        for sense in [Sense::AtMost, Sense::AtLeast, Sense::Equal] {
            assert_eq!(Sense::parse(sense.symbol()), Some(sense));
            assert_eq!(
                serde_json::to_string(&sense).unwrap(),
                format!("\"{sense}\"")
            );
        }
        assert_eq!(Sense::parse(" == "), Some(Sense::Equal));
        assert_eq!(Sense::parse("=>"), None);
    }
}

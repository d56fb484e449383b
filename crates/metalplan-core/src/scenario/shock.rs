//! Supply shocks: scale one metal's availability of one feed source, for supply-chain stress
//! tests such as `copper.imported_concentrate=0.8` (a 20 % cut in imported concentrate).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::{FeedSource, PerYear, Route, Scenario, MAX_MAGNITUDE};
use crate::files::compact;

/// `metal.feed_source=FACTOR`: multiply that feed's `available_mt` in every planning year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shock {
    /// Metal key.
    pub metal: String,
    /// Feed source.
    pub source: FeedSource,
    /// Multiplier on availability, at least 0 (0.8 = a 20 % cut).
    pub factor: f64,
}

/// Why a shock cannot be read or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shock `{shock}`: {reason}")]
pub struct ShockError {
    /// The shock as written.
    pub shock: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for Shock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}={}", self.metal, self.source, self.factor)
    }
}

impl FromStr for Shock {
    type Err = ShockError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |reason: &str| ShockError {
            shock: text.to_string(),
            reason: reason.to_string(),
        };
        let (target, factor) = text.split_once('=').ok_or_else(|| {
            error("write it as METAL.FEED_SOURCE=FACTOR, e.g. copper.imported_concentrate=0.8")
        })?;
        let (metal, source) = target.split_once('.').ok_or_else(|| {
            error("write it as METAL.FEED_SOURCE=FACTOR, e.g. copper.imported_concentrate=0.8")
        })?;
        let source = [
            FeedSource::DomesticOre,
            FeedSource::ImportedConcentrate,
            FeedSource::DomesticScrap,
            FeedSource::ImportedScrap,
        ]
        .into_iter()
        .find(|candidate| candidate.key() == source.trim())
        .ok_or_else(|| {
            error("the feed source must be domestic_ore, imported_concentrate, domestic_scrap or imported_scrap")
        })?;
        let factor: f64 = factor
            .trim()
            .parse()
            .map_err(|_| error("the factor is not a number"))?;
        if !factor.is_finite() || factor < 0.0 {
            return Err(error("the factor must be a finite number of at least 0"));
        }
        // Checked like a scenario number: a factor of 1e308 would make availability infinite.
        if factor > MAX_MAGNITUDE {
            return Err(error(&format!(
                "the factor {} is beyond {MAX_MAGNITUDE:e}: no real shock is that large",
                compact(factor)
            )));
        }
        Ok(Shock {
            metal: metal.trim().to_string(),
            source,
            factor,
        })
    }
}

/// Applies each shock to `scenario` in order (two shocks on one feed multiply).
pub fn apply_shocks(scenario: &mut Scenario, shocks: &[Shock]) -> Result<(), ShockError> {
    for shock in shocks {
        let error = |reason: String| ShockError {
            shock: shock.to_string(),
            reason,
        };
        let metal = scenario
            .metals
            .iter_mut()
            .find(|metal| metal.name == shock.metal)
            .ok_or_else(|| error(format!("the scenario has no metal `{}`", shock.metal)))?;
        let route: Route = shock.source.route();
        let spec = match route {
            Route::Primary => metal.primary.as_mut(),
            Route::Recycled => metal.recycled.as_mut(),
        }
        .ok_or_else(|| error(format!("metal `{}` has no {route} route", shock.metal)))?;
        let feed = spec.feed.get_mut(shock.source.key()).ok_or_else(|| {
            error(format!(
                "metal `{}` has no {} feed",
                shock.metal, shock.source
            ))
        })?;
        // The shocked availability is checked as the scenario's own numbers are: finite and
        // at most MAX_MAGNITUDE, so it never reaches the model, a result or an LP file as inf.
        let scaled = |value: f64| {
            let product = value * shock.factor;
            if product.is_finite() && product.abs() <= MAX_MAGNITUDE {
                Ok(product)
            } else {
                Err(error(format!(
                    "makes {}.{}.feed.{}.available_mt {}, beyond {MAX_MAGNITUDE:e}",
                    shock.metal,
                    route,
                    shock.source,
                    compact(product)
                )))
            }
        };
        feed.available_mt = match &feed.available_mt {
            PerYear::Constant(value) => PerYear::Constant(scaled(*value)?),
            PerYear::Schedule(by_year) => PerYear::Schedule(
                by_year
                    .iter()
                    .map(|(&year, &value)| scaled(value).map(|value| (year, value)))
                    .collect::<Result<_, _>>()?,
            ),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_shock() {
        let shock: Shock = "copper.imported_concentrate=0.8".parse().unwrap();
        assert_eq!(shock.metal, "copper");
        assert_eq!(shock.source, FeedSource::ImportedConcentrate);
        assert_eq!(shock.factor, 0.8);
        for bad in [
            "copper=0.8",
            "copper.ore=0.8",
            "copper.domestic_ore",
            "copper.domestic_ore=-1",
            "copper.domestic_ore=nan",
            "copper.domestic_ore=1e308",
            "copper.domestic_ore=inf",
        ] {
            assert!(bad.parse::<Shock>().is_err(), "{bad}");
        }
    }
}

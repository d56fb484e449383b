//! A dynamic stock model of goods in use, as material-flow analysis builds it.
//!
//! Goods enter use each year (the inflow of cohort `c`) and leave it after a lifetime drawn from
//! a distribution. The end-of-life outflow in year `t` is
//! `outflow(t) = sum over c < t of inflow(c) * share(t - c)`, where `share(a)` is the part of a
//! cohort that leaves at age `a` (whole years, `a >= 1`). The stock in use at the end of year `t`
//! is what entered up to `t` and has not left yet, so that
//! `cumulative inflow = stock + cumulative outflow` holds exactly.
//!
//! The lifetime is a normal distribution truncated at 0 and discretised per year: a cohort leaves
//! at age `a` when its lifetime `L` rounds to `a`, i.e. `a - 0.5 < L <= a + 0.5`; lifetimes in
//! `(0, 1.5]` leave at age 1, since nothing leaves in the year it entered. The shares are cut at
//! `mean + 8 sd` (the tail beyond is below 1e-15) and normalised to sum to 1, which also takes
//! care of the truncation at 0.
//!
//! Shared by the copper and lithium plugins. It is plain arithmetic with no metalplan types, so
//! a plugin that uses it still crosses the boundary through the SDK alone.

use std::collections::BTreeMap;

/// Longest lifetime (`mean + 8 sd`, years) accepted; keeps the discretised distribution small.
pub const MAX_LIFETIME_YEARS: f64 = 1000.0;

/// How long goods stay in use: `share(a)` of a cohort leaves at age `a` years, `a >= 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifetime {
    /// `shares[i]` leaves at age `i + 1`; sums to 1.
    shares: Vec<f64>,
}

impl Lifetime {
    /// The normal distribution with `mean` and `sd` (years), truncated at 0, discretised per
    /// year and normalised (see the module documentation).
    pub fn truncated_normal(mean: f64, sd: f64) -> Result<Lifetime, String> {
        if !mean.is_finite() || mean < 0.0 {
            return Err(format!(
                "lifetime_mean_years must be a non-negative number, got {}",
                show(mean)
            ));
        }
        if !sd.is_finite() || sd <= 0.0 {
            return Err(format!(
                "lifetime_sd_years must be a positive number, got {}",
                show(sd)
            ));
        }
        let reach = mean + 8.0 * sd;
        if reach > MAX_LIFETIME_YEARS {
            return Err(format!(
                "lifetime too long: mean + 8 sd = {} years, at most {MAX_LIFETIME_YEARS}",
                show(reach)
            ));
        }
        let max_age = (reach.ceil() as usize).max(1);
        let shares = (1..=max_age)
            .map(|age| {
                let age = age as f64;
                let low = if age <= 1.0 { 0.0 } else { age - 0.5 };
                interval_mass((low - mean) / sd, (age + 0.5 - mean) / sd)
            })
            .collect();
        Lifetime::from_shares(shares)
    }

    /// A lifetime given directly: `shares[i]` leaves at age `i + 1`. The shares are normalised to
    /// sum to 1.
    pub fn from_shares(shares: Vec<f64>) -> Result<Lifetime, String> {
        if shares
            .iter()
            .any(|share| !share.is_finite() || *share < 0.0)
        {
            return Err("lifetime shares must be non-negative numbers".to_string());
        }
        let total: f64 = shares.iter().sum();
        if total <= 0.0 || !total.is_finite() {
            return Err("lifetime shares must have a positive sum".to_string());
        }
        Ok(Lifetime {
            shares: shares.into_iter().map(|share| share / total).collect(),
        })
    }

    /// The oldest age with a share, years.
    #[must_use]
    pub fn max_age(&self) -> i64 {
        self.shares.len() as i64
    }

    /// The part of a cohort that leaves use at `age` years (0 for `age < 1`).
    #[must_use]
    pub fn share(&self, age: i64) -> f64 {
        if age < 1 {
            return 0.0;
        }
        usize::try_from(age - 1)
            .ok()
            .and_then(|index| self.shares.get(index))
            .copied()
            .unwrap_or(0.0)
    }

    /// The part of a cohort still in use `age` years after it entered (1 at age 0).
    #[must_use]
    pub fn surviving(&self, age: i64) -> f64 {
        if age < 1 {
            return 1.0;
        }
        let left: f64 = (1..=age.min(self.max_age())).map(|a| self.share(a)).sum();
        (1.0 - left).max(0.0)
    }
}

/// Yearly inflows to use: a history table, linear between its years, zero before its first year,
/// and after its last year the last value grown by `growth` a year (held when `growth` is 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Inflows {
    history: BTreeMap<i32, f64>,
    growth: f64,
}

impl Inflows {
    /// From a history table (year -> quantity) and the yearly growth after it.
    pub fn new(history: BTreeMap<i32, f64>, growth: f64) -> Result<Inflows, String> {
        if history.is_empty() {
            return Err("the inflow history is empty".to_string());
        }
        if let Some((year, value)) = history
            .iter()
            .find(|(_, value)| !value.is_finite() || **value < 0.0)
        {
            return Err(format!(
                "inflow for {year} must be a non-negative number, got {}",
                show(*value)
            ));
        }
        if !growth.is_finite() || growth <= -1.0 {
            return Err(format!(
                "growth after the history must be a number above -1, got {}",
                show(growth)
            ));
        }
        Ok(Inflows { history, growth })
    }

    /// The last year of the history.
    #[must_use]
    pub fn last_history_year(&self) -> i32 {
        self.history.keys().next_back().copied().unwrap_or_default()
    }

    /// The inflow in `year`.
    #[must_use]
    pub fn at(&self, year: i64) -> f64 {
        let before = self
            .history
            .range(..=clamp_year(year))
            .next_back()
            .filter(|(&y, _)| i64::from(y) <= year);
        let after = self
            .history
            .range(clamp_year(year)..)
            .next()
            .filter(|(&y, _)| i64::from(y) >= year);
        match (before, after) {
            (Some((&y0, &v0)), Some((&y1, &v1))) => {
                if y1 == y0 {
                    v0
                } else {
                    let span = (i64::from(y1) - i64::from(y0)) as f64;
                    v0 + (v1 - v0) * (year - i64::from(y0)) as f64 / span
                }
            }
            (Some((&last, &value)), None) => {
                let years = (year - i64::from(last)) as f64;
                value * (1.0 + self.growth).powf(years)
            }
            (None, _) => 0.0,
        }
    }
}

/// A number for an error message: in scientific notation when very large or small.
#[must_use]
pub fn show(value: f64) -> String {
    if value.is_finite() && value != 0.0 && !(1e-4..1e6).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

fn clamp_year(year: i64) -> i32 {
    i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX })
}

/// Inflows and a lifetime: outflows and stock by year.
#[derive(Debug, Clone, PartialEq)]
pub struct StockModel {
    /// What enters use each year.
    pub inflows: Inflows,
    /// How long it stays.
    pub lifetime: Lifetime,
}

impl StockModel {
    /// The end-of-life outflow in `year`: `sum over c < year of inflow(c) * share(year - c)`.
    #[must_use]
    pub fn outflow(&self, year: i32) -> f64 {
        let year = i64::from(year);
        (1..=self.lifetime.max_age())
            .map(|age| self.inflows.at(year - age) * self.lifetime.share(age))
            .sum()
    }

    /// The stock in use at the end of `year`: every cohort up to `year` times the part of it
    /// still in use.
    #[must_use]
    pub fn stock(&self, year: i32) -> f64 {
        let year = i64::from(year);
        (0..self.lifetime.max_age())
            .map(|age| self.inflows.at(year - age) * self.lifetime.surviving(age))
            .sum()
    }
}

/// `P(a < Z <= b)` for a standard normal `Z`, computed on the side of the mean that avoids
/// cancellation.
fn interval_mass(a: f64, b: f64) -> f64 {
    if a >= 0.0 {
        (upper_tail(a) - upper_tail(b)).max(0.0)
    } else {
        (upper_tail(-b) - upper_tail(-a)).max(0.0)
    }
}

/// `P(Z > z)` for a standard normal `Z`.
fn upper_tail(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function, by the Chebyshev fit of Numerical Recipes (`erfcc`),
/// fractional error below 1.2e-7 everywhere: ample for lifetime shares that are normalised
/// afterwards.
fn erfc(x: f64) -> f64 {
    if x == f64::INFINITY {
        return 0.0;
    }
    if x == f64::NEG_INFINITY {
        return 2.0;
    }
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let value = t * poly.exp();
    if x >= 0.0 {
        value
    } else {
        2.0 - value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// `size` entering in `year` and nothing in any other year (zero the year after, held).
    fn pulse(year: i32, size: f64) -> Inflows {
        Inflows::new(BTreeMap::from([(year, size), (year + 1, 0.0)]), 0.0).unwrap()
    }

    #[test]
    fn erfc_matches_known_values() {
        // erfc(0) = 1, erfc(1) = 0.157299207050285, erfc(-1) = 1.842700792949715,
        // erfc(2) = 0.004677734981047.
        assert!(close(erfc(0.0), 1.0, 2e-7));
        assert!(close(erfc(1.0), 0.157_299_207_050_285, 2e-7));
        assert!(close(erfc(-1.0), 1.842_700_792_949_715, 2e-7));
        assert!(close(erfc(2.0), 0.004_677_734_981_047, 1e-9));
    }

    #[test]
    fn pulse_with_a_simple_lifetime_leaves_as_computed_by_hand() {
        // 10 Mt enter in 2000; half leaves at age 2, half at age 3.
        let model = StockModel {
            inflows: pulse(2000, 10.0),
            lifetime: Lifetime::from_shares(vec![0.0, 0.5, 0.5]).unwrap(),
        };
        assert!(close(model.outflow(2000), 0.0, 1e-12));
        assert!(close(model.outflow(2001), 0.0, 1e-12));
        assert!(close(model.outflow(2002), 5.0, 1e-12));
        assert!(close(model.outflow(2003), 5.0, 1e-12));
        assert!(close(model.outflow(2004), 0.0, 1e-12));
        assert!(close(model.stock(1999), 0.0, 1e-12));
        assert!(close(model.stock(2000), 10.0, 1e-12));
        assert!(close(model.stock(2001), 10.0, 1e-12));
        assert!(close(model.stock(2002), 5.0, 1e-12));
        assert!(close(model.stock(2003), 0.0, 1e-12));
    }

    #[test]
    fn degenerate_normal_lifetime_puts_everything_at_the_mean() {
        let lifetime = Lifetime::truncated_normal(3.0, 1e-3).unwrap();
        assert!(close(lifetime.share(3), 1.0, 1e-12));
        assert!(close(lifetime.share(2) + lifetime.share(4), 0.0, 1e-12));
        let history = BTreeMap::from([(2000, 4.0), (2001, 6.0), (2002, 0.0)]);
        let model = StockModel {
            inflows: Inflows::new(history, 0.0).unwrap(),
            lifetime,
        };
        // 4 Mt from 2000 leave in 2003, 6 Mt from 2001 in 2004.
        assert!(close(model.outflow(2003), 4.0, 1e-12));
        assert!(close(model.outflow(2004), 6.0, 1e-12));
        assert!(close(model.stock(2003), 6.0, 1e-12));
    }

    #[test]
    fn truncation_at_zero_by_hand() {
        // Mean 0, sd 1: half the normal is cut off. Age 1 takes lifetimes in (0, 1.5]:
        // (Phi(1.5) - 0.5) / 0.5 = 2 * 0.433193 = 0.866386; age 2 takes (1.5, 2.5]:
        // 2 * (0.993790 - 0.933193) = 0.121194.
        let lifetime = Lifetime::truncated_normal(0.0, 1.0).unwrap();
        assert!(close(lifetime.share(1), 0.866_386, 1e-5));
        assert!(close(lifetime.share(2), 0.121_194, 1e-5));
        assert!(close(lifetime.share(0), 0.0, 0.0));
        let total: f64 = (1..=lifetime.max_age()).map(|a| lifetime.share(a)).sum();
        assert!(close(total, 1.0, 1e-12));
    }

    #[test]
    fn normal_share_at_the_mean_by_hand() {
        // Mean 10, sd 2: age 10 takes (9.5, 10.5], Phi(0.25) - Phi(-0.25) = 0.197413; the mass
        // below 0 (Phi(-5) = 3e-7) hardly changes it after normalising.
        let lifetime = Lifetime::truncated_normal(10.0, 2.0).unwrap();
        assert!(close(lifetime.share(10), 0.197_413, 1e-5));
        assert!(close(lifetime.share(9), lifetime.share(11), 1e-7));
        let mean: f64 = (1..=lifetime.max_age())
            .map(|a| a as f64 * lifetime.share(a))
            .sum();
        assert!(close(mean, 10.0, 1e-4));
    }

    #[test]
    fn mass_balance_holds() {
        let history: BTreeMap<i32, f64> = (1980..=2024)
            .map(|year| (year, 0.5 + 0.1 * f64::from(year - 1980)))
            .collect();
        let model = StockModel {
            inflows: Inflows::new(history, 0.03).unwrap(),
            lifetime: Lifetime::truncated_normal(25.0, 10.0).unwrap(),
        };
        for end in [1985, 2000, 2024, 2030] {
            let inflow: f64 = (1980..=end).map(|y| model.inflows.at(i64::from(y))).sum();
            let outflow: f64 = (1980..=end).map(|y| model.outflow(y)).sum();
            let stock = model.stock(end);
            assert!(
                close(inflow, stock + outflow, 1e-9 * inflow),
                "{end}: {inflow} vs {stock} + {outflow}"
            );
        }
    }

    #[test]
    fn inflows_interpolate_and_project() {
        let inflows = Inflows::new(BTreeMap::from([(2000, 1.0), (2004, 3.0)]), 0.1).unwrap();
        assert_eq!(inflows.at(1999), 0.0);
        assert!(close(inflows.at(2002), 2.0, 1e-12));
        assert!(close(inflows.at(2006), 3.0 * 1.1 * 1.1, 1e-12));
        let held = Inflows::new(BTreeMap::from([(2000, 1.0)]), 0.0).unwrap();
        assert_eq!(held.at(2050), 1.0);
        assert_eq!(held.last_history_year(), 2000);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(Lifetime::truncated_normal(25.0, 0.0).is_err());
        assert!(Lifetime::truncated_normal(25.0, -1.0).is_err());
        assert!(Lifetime::truncated_normal(-1.0, 1.0).is_err());
        assert!(Lifetime::truncated_normal(f64::NAN, 1.0).is_err());
        assert!(Lifetime::truncated_normal(25.0, f64::INFINITY).is_err());
        assert!(Lifetime::truncated_normal(990.0, 10.0).is_err());
        assert!(Lifetime::from_shares(vec![0.0, 0.0]).is_err());
        assert!(Lifetime::from_shares(vec![-1.0, 2.0]).is_err());
        assert!(Inflows::new(BTreeMap::new(), 0.0).is_err());
        assert!(Inflows::new(BTreeMap::from([(2000, -1.0)]), 0.0).is_err());
        assert!(Inflows::new(BTreeMap::from([(2000, 1.0)]), -1.0).is_err());
        assert!(Inflows::new(BTreeMap::from([(2000, 1.0)]), f64::NAN).is_err());
    }
}

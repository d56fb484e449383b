//! How large a model will be before it is built, and the memory limit a request must fit in.
//!
//! A scenario of 20,000 metals over 176 years, or `generate --facilities 1e11`, once asked the
//! allocator for more than the machine has and aborted the process. The size of the model is
//! known from the scenario alone (its columns, rows and non-zeros follow from the metals,
//! routes, years and facilities: [`ModelSize::estimate`], per part in `model/size.rs`), so the
//! application layer checks it against a memory limit before anything is built and refuses
//! with [`TooLarge`] instead.

use std::fmt;

/// Estimated peak bytes per column of a solve: the model's column (name, key, bounds, six
/// objective coefficients, index entry) and HiGHS's copy, solution and basis.
/// Calibrated on `metalplan generate` scenarios (docs/performance.md, "Memory": 1.7 GB peak
/// at 1,003,026 columns and 717,046 rows); the three constants give 1.6 GB there.
const BYTES_PER_COLUMN: u64 = 900;
/// Estimated peak bytes per row: its name, kind and term list, HiGHS's row bounds and duals.
const BYTES_PER_ROW: u64 = 700;
/// Estimated peak bytes per non-zero: the model's `(column, coefficient)` pair, the row-wise
/// copy handed to HiGHS and HiGHS's column-wise matrix and factorisation.
const BYTES_PER_NONZERO: u64 = 80;

/// The size of a linear program: columns, rows and non-zero coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelSize {
    /// Columns (variables).
    pub columns: u64,
    /// Rows (constraints).
    pub rows: u64,
    /// Non-zero coefficients of the constraint matrix.
    pub nonzeros: u64,
}

impl ModelSize {
    /// The peak memory a solve of a model this size is estimated to need, in bytes.
    #[must_use]
    pub fn memory_bytes(&self) -> u64 {
        self.columns
            .saturating_mul(BYTES_PER_COLUMN)
            .saturating_add(self.rows.saturating_mul(BYTES_PER_ROW))
            .saturating_add(self.nonzeros.saturating_mul(BYTES_PER_NONZERO))
    }

    /// `self` and `other` together (saturating: an estimate never wraps around).
    #[must_use]
    pub fn plus(self, other: ModelSize) -> ModelSize {
        ModelSize {
            columns: self.columns.saturating_add(other.columns),
            rows: self.rows.saturating_add(other.rows),
            nonzeros: self.nonzeros.saturating_add(other.nonzeros),
        }
    }

    /// `self` `times` times over (saturating).
    #[must_use]
    pub fn times(self, times: u64) -> ModelSize {
        ModelSize {
            columns: self.columns.saturating_mul(times),
            rows: self.rows.saturating_mul(times),
            nonzeros: self.nonzeros.saturating_mul(times),
        }
    }

    /// `Ok` when the model fits in `limit_bytes`, or [`TooLarge`] naming the estimate and the
    /// limit.
    pub fn check(self, limit_bytes: u64) -> Result<(), TooLarge> {
        if self.memory_bytes() <= limit_bytes {
            Ok(())
        } else {
            Err(TooLarge {
                estimate: self,
                limit_bytes,
            })
        }
    }
}

impl fmt::Display for ModelSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} columns, {} rows and {} non-zeros",
            grouped(self.columns),
            grouped(self.rows),
            grouped(self.nonzeros)
        )
    }
}

/// A model estimated to need more memory than the limit allows; nothing was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the model would be too large: an estimated {estimate}, needing about {} of memory, above the limit of {}",
    bytes_text(estimate.memory_bytes()),
    bytes_text(*limit_bytes)
)]
pub struct TooLarge {
    /// The estimated size.
    pub estimate: ModelSize,
    /// The memory limit, bytes.
    pub limit_bytes: u64,
}

/// Half of the machine's physical memory, in bytes, from the text of `/proc/meminfo` (its
/// `MemTotal:` line, in kB); `None` when the text has no such line. The default memory limit.
#[must_use]
pub fn half_of_physical_memory(meminfo: &str) -> Option<u64> {
    let line = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))?;
    let kilobytes: u64 = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kilobytes.saturating_mul(1024) / 2)
}

/// `bytes` in MiB or GiB, one decimal.
#[must_use]
pub fn bytes_text(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    #[allow(clippy::cast_precision_loss)] // a size to one decimal
    let mib = bytes as f64 / MIB;
    if mib >= 1024.0 {
        format!("{:.1} GiB", mib / 1024.0)
    } else {
        format!("{mib:.1} MiB")
    }
}

/// `1234567` as `1,234,567`.
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_half_of_mem_total() {
        let meminfo = "MemTotal:        8000000 kB\nMemFree:         100 kB\n";
        assert_eq!(half_of_physical_memory(meminfo), Some(4_096_000_000));
        assert_eq!(half_of_physical_memory("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn refuses_above_the_limit_and_names_both() {
        let size = ModelSize {
            columns: 1_000_000,
            rows: 2_000,
            nonzeros: 3_000_000,
        };
        assert!(size.check(size.memory_bytes()).is_ok());
        let error = size.check(size.memory_bytes() - 1).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("1,000,000 columns, 2,000 rows and 3,000,000 non-zeros"));
        assert!(message.contains("above the limit of"));
    }

    #[test]
    fn saturates_instead_of_wrapping() {
        let huge = ModelSize {
            columns: u64::MAX,
            rows: 1,
            nonzeros: 1,
        };
        assert_eq!(huge.times(3).columns, u64::MAX);
        assert_eq!(huge.memory_bytes(), u64::MAX);
    }
}

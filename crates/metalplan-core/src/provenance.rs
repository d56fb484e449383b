//! What produced a result: the metalplan and solver versions, hashes of every input file and of
//! the scenario after overlays, the plugins and the options that change the plan
//! (`docs/results.md`, "Provenance"). `metalplan solve --replay` reads it back.
//!
//! The scenario hash is taken over a canonical form, the compact JSON serialisation of the
//! merged and validated [`Scenario`] (fields in declaration order, maps sorted by key, numbers
//! in shortest round-trip form), so that comments, layout, key order and `1` versus `1.0` in the
//! files do not change it, while any change of a value does.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::ObjectiveKind;
use crate::scenario::Scenario;
use crate::solve::SolverKind;

/// The version of the `highs-sys` crate this build links (HiGHS is compiled from the sources
/// that crate bundles), read from `Cargo.lock` at build time.
pub const HIGHS_SYS_VERSION: &str = env!("METALPLAN_HIGHS_SYS_VERSION");

/// The version of the `clarabel` crate this build links, read from `Cargo.lock` at build time.
pub const CLARABEL_VERSION: &str = env!("METALPLAN_CLARABEL_VERSION");

/// Everything needed to say what produced a result, and to run it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The metalplan version.
    pub metalplan_version: String,
    /// The solver and its version.
    pub solver: SolverInfo,
    /// SHA-256 of the scenario after overlays, in its canonical form ([`scenario_sha256`]).
    pub scenario_sha256: String,
    /// The scenario file.
    pub scenario: InputFile,
    /// The overlay files (`--with`), in the order they were applied.
    pub overlays: Vec<InputFile>,
    /// Every plugin loaded (the scenario's `[[plugins]]`, then `--plugin`), in order.
    pub plugins: Vec<PluginFile>,
    /// The command-line options that change the plan.
    pub options: RunOptions,
}

/// A solver and the version of its library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolverInfo {
    /// `highs` or `clarabel`.
    pub name: SolverKind,
    /// The Rust crate that provides it (`highs-sys`, which bundles HiGHS, or `clarabel`).
    pub library: String,
    /// That crate's version.
    pub version: String,
}

impl SolverInfo {
    /// The solver of this build of metalplan.
    #[must_use]
    pub fn of(solver: SolverKind) -> Self {
        let (library, version) = match solver {
            SolverKind::Highs => ("highs-sys", HIGHS_SYS_VERSION),
            SolverKind::Clarabel => ("clarabel", CLARABEL_VERSION),
        };
        SolverInfo {
            name: solver,
            library: library.to_string(),
            version: version.to_string(),
        }
    }
}

/// An input file and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path, relative to the folder metalplan ran in when the file is inside it.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub file_sha256: String,
}

/// A plugin library that was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginFile {
    /// The plugin's name.
    pub name: String,
    /// The plugin's version.
    pub version: String,
    /// The library file, relative to the folder metalplan ran in when it is inside it.
    pub path: String,
    /// SHA-256 of the library file, lowercase hex.
    pub file_sha256: String,
}

/// The options of `metalplan solve` that change the plan, as given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunOptions {
    /// `--solver`.
    pub solver: SolverKind,
    /// `--objective`.
    pub objective: ObjectiveKind,
    /// `--with` overlay paths, in order.
    pub overlays: Vec<String>,
    /// `--plugin` paths, in order (the scenario's own `[[plugins]]` are in the scenario).
    pub plugins: Vec<String>,
    /// `--shock` options, as given.
    pub shocks: Vec<String>,
    /// `--soft-targets`.
    pub soft_targets: bool,
    /// `--time-limit`, seconds.
    pub time_limit_seconds: Option<f64>,
}

/// SHA-256 of `bytes`, lowercase hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest
        .iter()
        .fold(String::with_capacity(64), |mut text, byte| {
            use std::fmt::Write as _;
            // Writing to a String cannot fail.
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// SHA-256 of a file's bytes, lowercase hex.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    std::fs::read(path).map(|bytes| sha256_hex(&bytes))
}

/// The first 12 hex digits of a hash: enough to tell two inputs apart by eye.
#[must_use]
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// SHA-256 of the canonical form of `scenario`: its compact JSON serialisation.
///
/// # Panics
/// Never for a validated scenario: it holds only finite numbers, text and maps keyed by text,
/// all of which serialise.
#[must_use]
pub fn scenario_sha256(scenario: &Scenario) -> String {
    let canonical = serde_json::to_vec(scenario)
        .expect("a scenario holds only finite numbers, strings and maps with string keys");
    sha256_hex(&canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_a_known_text() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_solver_versions_come_from_the_lock_file() {
        assert_ne!(HIGHS_SYS_VERSION, "unknown");
        assert!(
            HIGHS_SYS_VERSION.split('.').count() == 3,
            "{HIGHS_SYS_VERSION}"
        );
        assert_ne!(CLARABEL_VERSION, "unknown");
    }
}

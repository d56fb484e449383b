//! Helpers shared by the end-to-end tests.
//!
//! - [`metalplan`] runs the real `metalplan` binary and captures what it prints.
//! - [`Scenario`] reads a scenario file with the `toml` crate into a `toml::Value`, on purpose
//!   not with metalplan-core's types: a bug in the product's parsing must not hide itself.
//! - [`check_plan`] recomputes every constraint of `docs/model.md` (M1-M13, the scenario's own
//!   `[[constraints]]`, M20, and the market a plan lives in, M23-M28 with trade and stock
//!   bounds) from a result's `plan`, `feed`, `shared_capacity`, `stages`, `stage_use`, `trade`
//!   and `demand` rows; [`recompute_totals`] and [`objective_value`] recompute the derived
//!   expressions and the objectives (M14-M17, M29) the same way, and
//!   [`assert_import_dependence_match`] the three import-dependence definitions.
//!
//! Everything here follows `docs/model.md`, not the code under test.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value as Json;
use toml::Value as Toml;

/// Relative tolerance for every comparison of plan quantities (the brief's 1e-6).
pub const TOLERANCE: f64 = 1e-6;

/// Internal units per reported unit: the model counts Mt and million CNY (docs/model.md, Units).
pub const MILLION: f64 = 1e6;

/// The two routes, in the order docs/model.md lists them.
pub const ROUTES: [&str; 2] = ["primary", "recycled"];

// ---------------------------------------------------------------------------------------------
// Paths and the binary

/// The workspace root, where `scenarios/` and `tests/data/` live.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The China scenario as it was before stages, trade and demand (a frozen copy, see
/// tests/data/legacy/README.md): the tests that assert on its worked-out plan read this one.
pub fn china_scenario() -> PathBuf {
    repo_root().join("tests/data/legacy/china-2025-2026.toml")
}

/// The shipped China scenario, with stages, trade and demand for aluminium, copper and lithium.
pub fn china_market_scenario() -> PathBuf {
    repo_root().join("scenarios/china-2025-2026.toml")
}

/// A file in `tests/data/`.
pub fn data_file(name: &str) -> PathBuf {
    repo_root().join("tests/data").join(name)
}

/// Every scenario that should solve: the `.toml` files of `scenarios/` and `tests/data/`, except
/// those whose name starts with `infeasible` or `invalid`, sorted.
pub fn feasible_scenarios() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for directory in [
        repo_root().join("scenarios"),
        repo_root().join("tests/data"),
    ] {
        let entries = std::fs::read_dir(&directory)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", directory.display()));
        for entry in entries {
            let path = entry.expect("a directory entry can be read").path();
            let name = path.file_name().and_then(OsStr::to_str).unwrap_or_default();
            let is_toml = path.extension().and_then(OsStr::to_str) == Some("toml");
            if is_toml && !name.starts_with("infeasible") && !name.starts_with("invalid") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 2,
        "expected the China scenario and test scenarios, found {files:?}"
    );
    files
}

/// The `metalplan` binary, built once per test process.
///
/// The binary belongs to another package (`metalplan-cli`), so `assert_cmd::Command::cargo_bin`
/// cannot find it, and `cargo test --workspace` only builds that package's unit tests, not the
/// binary itself. It sits next to the test executable's directory:
/// `target/<profile>/deps/<test>-<hash>` -> `target/<profile>/metalplan`.
///
/// Setting `METALPLAN_BIN` tests that binary instead, without building anything (an installed
/// release, or a known-good build while the workspace is mid-edit).
pub fn metalplan_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(binary) = std::env::var_os("METALPLAN_BIN") {
            let binary = PathBuf::from(binary);
            assert!(
                binary.is_file(),
                "METALPLAN_BIN={} is not a file",
                binary.display()
            );
            return binary;
        }
        let test_executable = std::env::current_exe().expect("a test knows its own path");
        let profile_directory = test_executable
            .parent()
            .and_then(Path::parent)
            .expect("test executables live in target/<profile>/deps")
            .to_path_buf();
        let binary = profile_directory.join(format!("metalplan{}", std::env::consts::EXE_SUFFIX));
        // Build even when a binary is there: cargo does nothing when it is up to date, and an
        // old binary left by an earlier `cargo build` would otherwise be tested silently.
        build_binary(&profile_directory, binary.is_file());
        assert!(
            binary.is_file(),
            "the metalplan binary is still missing at {} after `cargo build`",
            binary.display()
        );
        binary
    })
}

/// Runs `$CARGO build` of the workspace's libraries, binaries and tests (the CLI, and the
/// bundled plugins' shared libraries, which the China scenario loads by name from the binary's
/// folder) into the profile directory the tests run from.
///
/// `--workspace --lib --bins --tests` resolves features as `cargo test --workspace` does (with
/// every dev-dependency), so after that command nothing but the `metalplan` binary itself is
/// compiled: 7 s in a fresh CI clone, against 47 s for a plain `cargo build`, whose feature set
/// differs and recompiles most dependencies once more.
fn build_binary(profile_directory: &Path, already_there: bool) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target_directory = profile_directory
        .parent()
        .expect("a profile directory sits inside the target directory");
    let mut command = Command::new(&cargo);
    command
        .current_dir(repo_root())
        .args([
            "build",
            "--quiet",
            "--workspace",
            "--lib",
            "--bins",
            "--tests",
            "--target-dir",
        ])
        .arg(target_directory);
    match profile_directory.file_name().and_then(OsStr::to_str) {
        Some("debug") | None => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(profile) => {
            command.args(["--profile", profile]);
        }
    }
    match command.output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "`{} build` failed ({}):\n{}",
            cargo.to_string_lossy(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
        // Without cargo (tests run outside cargo), a binary that is there is the best we have.
        Err(_) if already_there => {}
        Err(error) => panic!(
            "cannot run `{}` to build the metalplan binary: {error}",
            cargo.to_string_lossy()
        ),
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl Run {
    /// Panics, showing both streams, unless the run exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics when stderr shows a Rust panic: bad input must be reported, never crash.
    pub fn expect_no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "metalplan panicked:\n{}",
            self.stderr
        );
        self
    }
}

/// Runs `metalplan ARGS...` from the workspace root.
pub fn metalplan<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = Command::new(metalplan_binary())
        .current_dir(repo_root())
        .args(args)
        .output()
        .expect("the metalplan binary can be started");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `metalplan ARGS...` from the workspace root with the extra environment `env`.
pub fn metalplan_with_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = Command::new(metalplan_binary())
        .current_dir(repo_root())
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the metalplan binary can be started");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A fresh temporary folder holding a copy of each of `files` (paths under `tests/data/`),
/// under its own file name; dropped, the folder goes.
pub fn scratch_with(files: &[&str]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a temporary folder");
    for file in files {
        let source = data_file(file);
        let name = source.file_name().expect("a data file has a name");
        std::fs::copy(&source, folder.path().join(name)).expect("the data file can be copied");
    }
    folder
}

/// Solves `scenario` with `--format json`, asserts success, and parses the result.
pub fn solve_json(scenario: &Path, solver: &str, objective: &str) -> Json {
    solve_json_with(scenario, &[], solver, objective)
}

/// Solves `scenario` with each of `overlays` (`--with`, in order) and `--format json`, asserts
/// success, and parses the result.
pub fn solve_json_with(scenario: &Path, overlays: &[&Path], solver: &str, objective: &str) -> Json {
    let mut args = vec![
        OsStr::new("solve"),
        scenario.as_os_str(),
        OsStr::new("--solver"),
        OsStr::new(solver),
        OsStr::new("--objective"),
        OsStr::new(objective),
        OsStr::new("--format"),
        OsStr::new("json"),
    ];
    for overlay in overlays {
        args.push(OsStr::new("--with"));
        args.push(overlay.as_os_str());
    }
    let run = metalplan(args);
    run.expect_code(0).expect_no_panic();
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| {
        panic!(
            "{}: stdout is not JSON ({error}):\n{}",
            scenario.display(),
            run.stdout
        )
    })
}

/// The reported objective of a JSON result.
pub fn objective_of(result: &Json) -> f64 {
    result["objective"]
        .as_f64()
        .unwrap_or_else(|| panic!("result has no numeric `objective`: {}", result["objective"]))
}

/// Whether `a` and `b` agree within [`TOLERANCE`] relative to the larger (plus 1e-12 absolute,
/// so that two zeros, or a zero and rounding noise, agree).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE * a.abs().max(b.abs()) + 1e-12
}

/// The optimal objective glpsol reports for `file` (`--lp` or `--freemps`).
pub fn glpsol_objective(format_flag: &str, file: &Path) -> f64 {
    let report = file.with_extension("glpsol.txt");
    let output = Command::new("glpsol")
        .arg(format_flag)
        .arg(file)
        .arg("-o")
        .arg(&report)
        .output()
        .expect("glpsol is installed (Debian's glpk-utils; .ci/run installs it)");
    assert!(
        output.status.success(),
        "glpsol failed on {}:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stdout)
    );
    let text = std::fs::read_to_string(&report).expect("glpsol's report");
    assert!(
        text.contains("OPTIMAL"),
        "glpsol did not solve {}:\n{text}",
        file.display()
    );
    // "Objective:  objective = 5567624.849616 (MINimum)"
    let line = text
        .lines()
        .find(|line| line.starts_with("Objective:"))
        .expect("an objective line");
    line.split('=')
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the objective in {line:?}"))
}

// ---------------------------------------------------------------------------------------------
// The scenario, read with `toml` only

/// A scenario file as a plain `toml::Value`, with the few accessors the checks need.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Where it was read from.
    pub path: PathBuf,
    /// The whole document.
    pub root: Toml,
}

/// One `[[metals]]` entry.
#[derive(Debug, Clone, Copy)]
pub struct Metal<'s> {
    /// Its `name`.
    pub name: &'s str,
    /// The whole table.
    pub table: &'s Toml,
}

impl<'s> Metal<'s> {
    /// The route's table, when the metal has the route (`R(m)`).
    pub fn route(&self, route: &str) -> Option<&'s Toml> {
        self.table.get(route)
    }

    /// The routes the metal has, primary first.
    pub fn routes(&self) -> Vec<(&'static str, &'s Toml)> {
        ROUTES
            .iter()
            .filter_map(|&route| self.route(route).map(|spec| (route, spec)))
            .collect()
    }

    /// The feed sources route `route` lists under `feed` (`F(m,r)`), as (source, table).
    pub fn feeds(&self, route: &str) -> Vec<(&'s str, &'s Toml)> {
        self.route(route)
            .and_then(|spec| spec.get("feed"))
            .and_then(Toml::as_table)
            .map(|feeds| {
                feeds
                    .iter()
                    .map(|(source, spec)| (source.as_str(), spec))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `T(m,r)`: whether the route counts toward the ten-metal output total (default yes).
    pub fn counts_toward_output_total(&self, route: &str) -> bool {
        self.route(route)
            .and_then(|spec| spec.get("counts_toward_output_total"))
            .is_none_or(|flag| flag.as_bool().expect("a boolean flag"))
    }

    /// `C(m)`: whether the recycled route counts toward the recycled total (default yes).
    pub fn counts_toward_recycled_total(&self) -> bool {
        self.route("recycled").is_some_and(|spec| {
            spec.get("counts_toward_recycled_total")
                .is_none_or(|flag| flag.as_bool().expect("a boolean flag"))
        })
    }
}

/// The refined metal's name as a traded material and a market (`ref` in docs/model.md).
pub const REFINED: &str = "refined";

/// One `[[metals.stages]]` entry: a material made by one process (`h` in `G(m)`).
#[derive(Debug, Clone, Copy)]
pub struct Stage<'s> {
    /// Its `name`.
    pub name: &'s str,
    /// The whole table.
    pub table: &'s Toml,
}

impl<'s> Stage<'s> {
    /// `In(h)`: the stages this one is made from, with their per-year ratio `k`.
    pub fn inputs(&self) -> Vec<(&'s str, &'s Toml)> {
        inputs_of(self.table)
    }

    /// Whether the stage is mined (in `Raw(m)`): it has no inputs.
    pub fn is_mined(&self) -> bool {
        self.inputs().is_empty()
    }

    /// `cont[m,h]`: `metal_content`, default 1.
    pub fn metal_content(&self) -> f64 {
        self.table.get("metal_content").map_or(1.0, number)
    }

    /// `gbase[m,h]`: `base_output_mt`, default 0.
    pub fn base_output(&self) -> f64 {
        self.table.get("base_output_mt").map_or(0.0, number)
    }

    /// A per-year field that counts 0 when absent (`value_added_cny_per_t`, `co2_t_per_t`,
    /// `max_build_mt_per_year`, `investment_cny_per_t`).
    pub fn param_or_zero(&self, key: &str, year: i64) -> f64 {
        param(self.table, key, year).unwrap_or(0.0)
    }
}

/// One `[[metals.trade]]` entry (`k` in `K(m)`).
#[derive(Debug, Clone, Copy)]
pub struct Trade<'s> {
    /// Its `material`: a stage of the metal, or [`REFINED`].
    pub material: &'s str,
    /// The whole table.
    pub table: &'s Toml,
}

impl Trade<'_> {
    /// Whether the material can be imported (`k` in `KI(m)`: `import_max_mt` given).
    pub fn imports(&self) -> bool {
        self.table.get("import_max_mt").is_some()
    }

    /// Whether the material can be exported (`k` in `KE(m)`: `export_max_mt` given).
    pub fn exports(&self) -> bool {
        self.table.get("export_max_mt").is_some()
    }
}

/// `input_t_per_t` of a process table (a route or a stage): its inputs `In(p)`, each with its
/// per-year ratio `k` (t of the input per t of the process's output); empty without inputs.
pub fn inputs_of(process: &Toml) -> Vec<(&str, &Toml)> {
    process
        .get("input_t_per_t")
        .and_then(Toml::as_table)
        .map(|inputs| {
            inputs
                .iter()
                .map(|(stage, ratio)| (stage.as_str(), ratio))
                .collect()
        })
        .unwrap_or_default()
}

/// A ratio `k[m,h,p,y]` of `input_t_per_t` in `year`.
pub fn ratio_in(ratio: &Toml, year: i64) -> f64 {
    per_year(ratio, year).unwrap_or_else(|| panic!("input_t_per_t = {ratio} gives no {year}"))
}

impl<'s> Metal<'s> {
    /// `G(m)`, in file order.
    pub fn stages(&self) -> Vec<Stage<'s>> {
        self.table
            .get("stages")
            .and_then(Toml::as_array)
            .map(|stages| {
                stages
                    .iter()
                    .map(|table| Stage {
                        name: table["name"].as_str().expect("a stage's name is text"),
                        table,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every process of the metal, as (name, table): its stages, then its routes. A stage is
    /// named by its name, a route by `primary` or `recycled` (the `user` of `stage_use`).
    pub fn processes(&self) -> Vec<(&'s str, &'s Toml)> {
        let mut processes: Vec<_> = self
            .stages()
            .into_iter()
            .map(|stage| (stage.name, stage.table))
            .collect();
        processes.extend(self.routes());
        processes
    }

    /// Every use of a stage by a process, as (stage `h`, user `p`, ratio `k[m,h,p,y]`): one
    /// `u[m,h,p,y]` column each.
    pub fn uses(&self) -> Vec<(&'s str, &'s str, &'s Toml)> {
        self.processes()
            .into_iter()
            .flat_map(|(user, table)| {
                inputs_of(table)
                    .into_iter()
                    .map(move |(stage, ratio)| (stage, user, ratio))
            })
            .collect()
    }

    /// `U(h)`: the processes that use stage `stage`.
    pub fn users_of(&self, stage: &str) -> Vec<&'s str> {
        self.uses()
            .into_iter()
            .filter(|(used, _, _)| *used == stage)
            .map(|(_, user, _)| user)
            .collect()
    }

    /// `metals[i].trade`, in file order.
    pub fn trade(&self) -> Vec<Trade<'s>> {
        self.table
            .get("trade")
            .and_then(Toml::as_array)
            .map(|entries| {
                entries
                    .iter()
                    .map(|table| Trade {
                        material: table["material"].as_str().expect("a material is text"),
                        table,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The trade entry of `material`, if the metal trades it.
    pub fn trade_in(&self, material: &str) -> Option<Trade<'s>> {
        self.trade()
            .into_iter()
            .find(|trade| trade.material == material)
    }

    /// `cont[m,k]`: a stage's `metal_content`, 1 for the refined metal.
    pub fn metal_content(&self, material: &str) -> f64 {
        if material == REFINED {
            return 1.0;
        }
        self.stages()
            .into_iter()
            .find(|stage| stage.name == material)
            .unwrap_or_else(|| panic!("`{material}` is not a stage of {}", self.name))
            .metal_content()
    }

    /// `metals[i].demand` (the metal is in `Dm`).
    pub fn demand(&self) -> Option<&'s Toml> {
        self.table.get("demand")
    }

    /// `B(m)`: the demand blocks, in file order (empty without blocks).
    pub fn blocks(&self) -> Vec<&'s Toml> {
        self.demand()
            .and_then(|demand| demand.get("blocks"))
            .and_then(Toml::as_array)
            .map(|blocks| blocks.iter().collect())
            .unwrap_or_default()
    }

    /// `demand.stock`, when the metal holds a stock.
    pub fn stock(&self) -> Option<&'s Toml> {
        self.demand().and_then(|demand| demand.get("stock"))
    }

    /// `Dref[m,y]`: `consumption_mt` when given, else every block's quantity; `None` without
    /// demand.
    pub fn reference_demand(&self, year: i64) -> Option<f64> {
        let demand = self.demand()?;
        Some(param(demand, "consumption_mt", year).unwrap_or_else(|| {
            self.blocks()
                .iter()
                .map(|block| required(block, "quantity_mt", year))
                .sum()
        }))
    }
}

/// One entry of `[[targets.import_dependence]]`: a cap on one definition of one metal's import
/// dependence.
#[derive(Debug, Clone, Copy)]
pub struct DependenceCap<'s> {
    /// `metal`.
    pub metal: &'s str,
    /// `definition`: `feed`, `net_imports_over_consumption` or `raw_material`.
    pub definition: &'s str,
    /// `max`, a per-year fraction.
    pub max: &'s Toml,
}

/// The import-dependence definitions, in the order results list them.
pub const DEPENDENCE_DEFINITIONS: [&str; 3] =
    ["feed", "net_imports_over_consumption", "raw_material"];

impl Scenario {
    /// Reads and parses a TOML scenario.
    pub fn load(path: &Path) -> Self {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let root = toml::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not TOML: {error}", path.display()));
        Scenario {
            path: path.to_path_buf(),
            root,
        }
    }

    /// `y0`.
    pub fn base_year(&self) -> i64 {
        self.root["base_year"]
            .as_integer()
            .expect("base_year is an integer")
    }

    /// `Y`, in file order.
    pub fn years(&self) -> Vec<i64> {
        self.root["years"]
            .as_array()
            .expect("years is an array")
            .iter()
            .map(|year| year.as_integer().expect("a year is an integer"))
            .collect()
    }

    /// `d` (default 0).
    pub fn discount_rate(&self) -> f64 {
        self.root.get("discount_rate").map_or(0.0, number)
    }

    /// `disc[y] = (1 + d)^-(y - y0)`.
    pub fn discount(&self, year: i64) -> f64 {
        let periods = i32::try_from(year - self.base_year()).expect("a short horizon");
        (1.0 + self.discount_rate()).powi(-periods)
    }

    /// `M`, in file order.
    pub fn metals(&self) -> Vec<Metal<'_>> {
        self.root["metals"]
            .as_array()
            .expect("metals is an array")
            .iter()
            .map(|table| Metal {
                name: table["name"].as_str().expect("a metal's name is a string"),
                table,
            })
            .collect()
    }

    /// `targets.<key>`, when the scenario sets it.
    pub fn target(&self, key: &str) -> Option<&Toml> {
        self.root
            .get("targets")
            .and_then(|targets| targets.get(key))
    }

    /// The value of target `key` in `year`: a single number applies to every planning year, a
    /// per-year table only to the years it lists.
    pub fn target_in(&self, key: &str, year: i64) -> Option<f64> {
        self.target(key).and_then(|value| per_year(value, year))
    }

    /// `targets.import_dependence_max`, as (metal, per-year value).
    pub fn import_dependence_caps(&self) -> Vec<(&str, &Toml)> {
        self.target("import_dependence_max")
            .and_then(Toml::as_table)
            .map(|caps| {
                caps.iter()
                    .map(|(metal, cap)| (metal.as_str(), cap))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `[[targets.import_dependence]]`, in file order (empty without any).
    pub fn import_dependence_targets(&self) -> Vec<DependenceCap<'_>> {
        self.target("import_dependence")
            .and_then(Toml::as_array)
            .map(|caps| {
                caps.iter()
                    .map(|cap| DependenceCap {
                        metal: cap["metal"].as_str().expect("a cap's metal is text"),
                        definition: cap["definition"]
                            .as_str()
                            .expect("a cap's definition is text"),
                        max: &cap["max"],
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The metal named `name`.
    pub fn metal(&self, name: &str) -> Metal<'_> {
        self.metals()
            .into_iter()
            .find(|metal| metal.name == name)
            .unwrap_or_else(|| panic!("`{name}` is not a metal of {}", self.path.display()))
    }

    /// Reads `path` and merges each of `overlays` into it in order, by the rules of
    /// docs/scenario.md ("Overlays"): tables field by field, `[[metals]]` by `name` (new names
    /// appended), every other value, per-year tables and lists whole.
    pub fn load_with_overlays(path: &Path, overlays: &[&Path]) -> Self {
        let mut scenario = Scenario::load(path);
        for overlay in overlays {
            let overlay = Scenario::load(overlay);
            merge_overlay(&mut scenario.root, &overlay.root, true);
        }
        scenario
    }
}

impl Scenario {
    /// `[[constraints]]`, in file order (empty when the scenario has none).
    pub fn user_constraints(&self) -> Vec<UserConstraint<'_>> {
        self.root
            .get("constraints")
            .and_then(Toml::as_array)
            .map(|rules| {
                rules
                    .iter()
                    .map(|table| UserConstraint {
                        name: table["name"].as_str().expect("a constraint's name is text"),
                        table,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One `[[constraints]]` entry, read as docs/constraints.md describes it.
#[derive(Debug, Clone, Copy)]
pub struct UserConstraint<'s> {
    /// Its `name`.
    pub name: &'s str,
    /// The whole table.
    pub table: &'s Toml,
}

impl UserConstraint<'_> {
    /// The years the rule repeats for: `years` as one year, a list or `{ from, to }`; every
    /// planning year when absent.
    pub fn years(&self, scenario: &Scenario) -> Vec<i64> {
        let mut years = match self.table.get("years") {
            None => scenario.years(),
            Some(Toml::Integer(year)) => vec![*year],
            Some(Toml::Array(list)) => list
                .iter()
                .map(|year| year.as_integer().expect("a year"))
                .collect(),
            Some(Toml::Table(range)) => {
                let from = range["from"].as_integer().expect("`from` is a year");
                let to = range["to"].as_integer().expect("`to` is a year");
                (from..=to).collect()
            }
            Some(other) => panic!("constraint `{}`: years = {other}", self.name),
        };
        years.sort_unstable();
        years.dedup();
        years
    }

    /// `>=`, `<=` or `=`.
    pub fn sense(&self) -> &str {
        self.table["sense"].as_str().expect("`sense` is text")
    }

    /// The share in `year`, for a share rule.
    pub fn share(&self, year: i64) -> Option<f64> {
        self.table
            .get("share")
            .map(|share| per_year(share, year).expect("a share for every year of the rule"))
    }

    /// The right-hand side in `year` (0 for a share rule).
    pub fn rhs(&self, year: i64) -> f64 {
        self.table.get("rhs").map_or(0.0, |rhs| {
            per_year(rhs, year).expect("an rhs for every year of the rule")
        })
    }

    /// `sum(terms)` (`list = "terms"`) or `sum(of)` (`list = "of"`) in `year` for the plan:
    /// each term's coefficient (default 1) times every plan value of its variable (`output`
    /// by default, `feed`, `build`) whose metal, route and source are among the term's (any,
    /// when the key is left out), in the term's own `year` or else the rule's.
    pub fn sum(&self, list: &str, plan: &PlanRows, year: i64) -> f64 {
        let Some(terms) = self.table.get(list).and_then(Toml::as_array) else {
            return 0.0;
        };
        let matches = |term: &Toml, key: &str, value: &str| match term.get(key) {
            None => true,
            Some(Toml::String(one)) => one == value,
            Some(Toml::Array(many)) => many.iter().any(|name| name.as_str() == Some(value)),
            Some(other) => panic!("constraint `{}`: {key} = {other}", self.name),
        };
        let mut total = 0.0;
        for term in terms {
            let year = term
                .get("year")
                .map_or(year, |year| year.as_integer().expect("a year"));
            let coefficient = term.get("coefficient").map_or(1.0, number);
            let variable = term
                .get("variable")
                .and_then(Toml::as_str)
                .unwrap_or("output");
            let sum: f64 = match variable {
                "output" | "build" => {
                    let values = if variable == "output" {
                        &plan.output
                    } else {
                        &plan.built
                    };
                    values
                        .iter()
                        .filter(|((metal, route, at), _)| {
                            *at == year
                                && matches(term, "metal", metal)
                                && matches(term, "route", route)
                        })
                        .map(|(_, value)| value)
                        .sum()
                }
                "feed" => plan
                    .feed
                    .iter()
                    .filter(|(key, _)| {
                        let (metal, source, at) = key;
                        *at == year
                            && matches(term, "metal", metal)
                            && matches(term, "source", source)
                            && matches(term, "route", &plan.feed_route[*key])
                    })
                    .map(|(_, value)| value)
                    .sum(),
                "stage_output" => plan
                    .stage_output
                    .iter()
                    .filter(|((metal, stage, at), _)| {
                        *at == year
                            && matches(term, "metal", metal)
                            && matches(term, "stage", stage)
                    })
                    .map(|(_, value)| value)
                    .sum(),
                "import" | "export" => {
                    let traded = if variable == "import" {
                        &plan.imports
                    } else {
                        &plan.exports
                    };
                    traded
                        .iter()
                        .filter(|((metal, material, at), _)| {
                            *at == year
                                && matches(term, "metal", metal)
                                && matches(term, "material", material)
                        })
                        .filter_map(|(_, value)| *value)
                        .sum()
                }
                "consumption" => plan
                    .consumption
                    .iter()
                    .filter(|((metal, at), _)| *at == year && matches(term, "metal", metal))
                    .map(|(_, value)| value)
                    .sum(),
                other => panic!("constraint `{}`: variable = {other}", self.name),
            };
            total += coefficient * sum;
        }
        total
    }
}

/// Merges `overlay` into `base` (docs/scenario.md, "Overlays"). `top_level` marks the
/// document itself, whose `metals` list is merged by name.
fn merge_overlay(base: &mut Toml, overlay: &Toml, top_level: bool) {
    let is_per_year = |table: &toml::map::Map<String, Toml>| {
        !table.is_empty() && table.keys().all(|key| key.parse::<i64>().is_ok())
    };
    match (base, overlay) {
        (Toml::Table(base), Toml::Table(overlay)) if !is_per_year(overlay) => {
            for (key, value) in overlay {
                match (key.as_str(), base.get_mut(key), value) {
                    ("metals", Some(Toml::Array(metals)), Toml::Array(added)) if top_level => {
                        for metal in added {
                            let name = metal.get("name").and_then(Toml::as_str);
                            let same = metals
                                .iter_mut()
                                .find(|old| old.get("name").and_then(Toml::as_str) == name);
                            match same {
                                Some(old) => merge_overlay(old, metal, false),
                                None => metals.push(metal.clone()),
                            }
                        }
                    }
                    (_, Some(old), _) => merge_overlay(old, value, false),
                    (_, None, _) => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, overlay) => *base = overlay.clone(),
    }
}

/// `prev(y)`: planning years are consecutive and follow the base year, so `y - 1`.
pub fn previous_year(year: i64) -> i64 {
    year - 1
}

/// A TOML number (integer or float) as `f64`.
pub fn number(value: &Toml) -> f64 {
    match value {
        Toml::Integer(integer) => *integer as f64,
        Toml::Float(float) => *float,
        other => panic!("expected a number, got {other}"),
    }
}

/// A per-year value in `year`: a number applies to every year; a table is keyed by year strings
/// and gives `None` for a year it does not list.
pub fn per_year(value: &Toml, year: i64) -> Option<f64> {
    match value {
        Toml::Table(by_year) => by_year.get(&year.to_string()).map(number),
        other => Some(number(other)),
    }
}

/// Field `key` of `table` in `year`; `None` when the field is absent.
pub fn param(table: &Toml, key: &str, year: i64) -> Option<f64> {
    table.get(key).map(|value| {
        per_year(value, year)
            .unwrap_or_else(|| panic!("`{key}` = {value} gives no value for {year}"))
    })
}

/// Field `key` of `table` in `year`, which a valid scenario must give.
pub fn required(table: &Toml, key: &str, year: i64) -> f64 {
    param(table, key, year).unwrap_or_else(|| panic!("`{key}` is missing from {table}"))
}

/// Whether a feed source is imported (`I = {conc, iscrap}`).
pub fn is_imported(source: &str) -> bool {
    matches!(source, "imported_concentrate" | "imported_scrap")
}

// ---------------------------------------------------------------------------------------------
// The result's rows

/// The decision values of a result, keyed the way docs/model.md indexes them.
#[derive(Debug, Clone, Default)]
pub struct PlanRows {
    /// `x[m,r,y]` by (metal, route, year).
    pub output: BTreeMap<(String, String, i64), f64>,
    /// `b[m,r,y]` by (metal, route, year).
    pub built: BTreeMap<(String, String, i64), f64>,
    /// The `capacity_mt` the result reports, by (metal, route, year).
    pub reported_capacity: BTreeMap<(String, String, i64), f64>,
    /// `f[m,s,y]` by (metal, source, year).
    pub feed: BTreeMap<(String, String, i64), f64>,
    /// The route each feed row names, by (metal, source, year).
    pub feed_route: BTreeMap<(String, String, i64), String>,
    /// The `available_mt` the result reports, by (metal, source, year).
    pub reported_available: BTreeMap<(String, String, i64), f64>,
    /// `bs[m,y]` by (metal, year).
    pub shared_built: BTreeMap<(String, i64), f64>,
    /// The shared rows' `output_mt`, by (metal, year).
    pub reported_shared_output: BTreeMap<(String, i64), f64>,
    /// The shared rows' `capacity_mt`, by (metal, year).
    pub reported_shared_capacity: BTreeMap<(String, i64), f64>,
    /// `g[m,h,y]` by (metal, stage, year).
    pub stage_output: BTreeMap<(String, String, i64), f64>,
    /// `gb[m,h,y]` by (metal, stage, year).
    pub stage_built: BTreeMap<(String, String, i64), f64>,
    /// The stage rows' `capacity_mt`, by (metal, stage, year).
    pub reported_stage_capacity: BTreeMap<(String, String, i64), f64>,
    /// `u[m,h,p,y]` by (metal, stage, user, year).
    pub stage_use: BTreeMap<(String, String, String, i64), f64>,
    /// `im[m,k,y]` by (metal, material, year); `None` where the row's `import_mt` is null.
    pub imports: BTreeMap<(String, String, i64), Option<f64>>,
    /// `ex[m,k,y]` by (metal, material, year); `None` where the row's `export_mt` is null.
    pub exports: BTreeMap<(String, String, i64), Option<f64>>,
    /// `c[m,y]` by (metal, year).
    pub consumption: BTreeMap<(String, i64), f64>,
    /// `q[m,b,y]` for each block `b`, by (metal, year); empty where no block is a variable.
    pub blocks: BTreeMap<(String, i64), Vec<f64>>,
    /// `st[m,y]` by (metal, year); `None` where the row's `stock_mt` is null.
    pub stock: BTreeMap<(String, i64), Option<f64>>,
    /// Rows that appear twice, described.
    pub duplicates: Vec<String>,
}

fn text_field<'j>(row: &'j Json, key: &str) -> &'j str {
    row[key]
        .as_str()
        .unwrap_or_else(|| panic!("row has no text `{key}`: {row}"))
}

fn number_field(row: &Json, key: &str) -> f64 {
    row[key]
        .as_f64()
        .unwrap_or_else(|| panic!("row has no number `{key}`: {row}"))
}

fn year_field(row: &Json) -> i64 {
    row["year"]
        .as_i64()
        .unwrap_or_else(|| panic!("row has no integer `year`: {row}"))
}

fn rows<'j>(result: &'j Json, table: &str) -> &'j [Json] {
    result[table]
        .as_array()
        .unwrap_or_else(|| panic!("result has no `{table}` array"))
}

/// The rows of `table`, or none when the result leaves the table out (results of scenarios
/// without stages, trade or demand do; the checker then reports the rows the scenario implies
/// as missing).
fn optional_rows<'j>(result: &'j Json, table: &str) -> &'j [Json] {
    match result.get(table) {
        None => &[],
        Some(value) => value
            .as_array()
            .unwrap_or_else(|| panic!("result's `{table}` is not an array")),
    }
}

/// A number field that may be null (`None`); panics when the field is missing or not a number.
fn nullable_number_field(row: &Json, key: &str) -> Option<f64> {
    match row.get(key) {
        Some(Json::Null) => None,
        Some(value) => Some(
            value
                .as_f64()
                .unwrap_or_else(|| panic!("row's `{key}` is not a number: {row}")),
        ),
        None => panic!("row has no `{key}`: {row}"),
    }
}

impl PlanRows {
    /// Reads the `plan`, `feed` and `shared_capacity` rows of a JSON result.
    pub fn from_result(result: &Json) -> Self {
        let mut plan = PlanRows::default();
        for row in rows(result, "plan") {
            let key = (
                text_field(row, "metal").to_string(),
                text_field(row, "route").to_string(),
                year_field(row),
            );
            if plan.output.contains_key(&key) {
                plan.duplicates.push(format!("plan row {key:?}"));
            }
            plan.output
                .insert(key.clone(), number_field(row, "output_mt"));
            plan.built
                .insert(key.clone(), number_field(row, "built_mt"));
            plan.reported_capacity
                .insert(key, number_field(row, "capacity_mt"));
        }
        for row in rows(result, "feed") {
            let key = (
                text_field(row, "metal").to_string(),
                text_field(row, "source").to_string(),
                year_field(row),
            );
            if plan.feed.contains_key(&key) {
                plan.duplicates.push(format!("feed row {key:?}"));
            }
            plan.feed.insert(key.clone(), number_field(row, "feed_mt"));
            plan.feed_route
                .insert(key.clone(), text_field(row, "route").to_string());
            plan.reported_available
                .insert(key, number_field(row, "available_mt"));
        }
        for row in rows(result, "shared_capacity") {
            let key = (text_field(row, "metal").to_string(), year_field(row));
            if plan.shared_built.contains_key(&key) {
                plan.duplicates.push(format!("shared_capacity row {key:?}"));
            }
            plan.shared_built
                .insert(key.clone(), number_field(row, "built_mt"));
            plan.reported_shared_output
                .insert(key.clone(), number_field(row, "output_mt"));
            plan.reported_shared_capacity
                .insert(key, number_field(row, "capacity_mt"));
        }
        plan.read_market(result);
        plan
    }

    /// Reads the `stages`, `stage_use`, `trade` and `demand` rows.
    fn read_market(&mut self, result: &Json) {
        for row in optional_rows(result, "stages") {
            let key = (
                text_field(row, "metal").to_string(),
                text_field(row, "stage").to_string(),
                year_field(row),
            );
            if self.stage_output.contains_key(&key) {
                self.duplicates.push(format!("stages row {key:?}"));
            }
            self.stage_output
                .insert(key.clone(), number_field(row, "output_mt"));
            self.stage_built
                .insert(key.clone(), number_field(row, "built_mt"));
            self.reported_stage_capacity
                .insert(key, number_field(row, "capacity_mt"));
        }
        for row in optional_rows(result, "stage_use") {
            let key = (
                text_field(row, "metal").to_string(),
                text_field(row, "stage").to_string(),
                text_field(row, "user").to_string(),
                year_field(row),
            );
            if self.stage_use.contains_key(&key) {
                self.duplicates.push(format!("stage_use row {key:?}"));
            }
            self.stage_use.insert(key, number_field(row, "use_mt"));
        }
        for row in optional_rows(result, "trade") {
            let key = (
                text_field(row, "metal").to_string(),
                text_field(row, "material").to_string(),
                year_field(row),
            );
            if self.imports.contains_key(&key) {
                self.duplicates.push(format!("trade row {key:?}"));
            }
            self.imports
                .insert(key.clone(), nullable_number_field(row, "import_mt"));
            self.exports
                .insert(key, nullable_number_field(row, "export_mt"));
        }
        for row in optional_rows(result, "demand") {
            let key = (text_field(row, "metal").to_string(), year_field(row));
            if self.consumption.contains_key(&key) {
                self.duplicates.push(format!("demand row {key:?}"));
            }
            self.consumption
                .insert(key.clone(), number_field(row, "consumption_mt"));
            let blocks = row["blocks_mt"]
                .as_array()
                .unwrap_or_else(|| panic!("demand row has no `blocks_mt` list: {row}"))
                .iter()
                .map(|block| {
                    block
                        .as_f64()
                        .unwrap_or_else(|| panic!("a block is not a number: {row}"))
                })
                .collect();
            self.blocks.insert(key.clone(), blocks);
            self.stock
                .insert(key, nullable_number_field(row, "stock_mt"));
        }
    }

    /// `g[m,h,y]`; 0 without a row.
    pub fn stage_output(&self, metal: &str, stage: &str, year: i64) -> f64 {
        lookup(&self.stage_output, metal, stage, year)
    }

    /// `gb[m,h,y]`; 0 without a row.
    pub fn stage_built(&self, metal: &str, stage: &str, year: i64) -> f64 {
        lookup(&self.stage_built, metal, stage, year)
    }

    /// `u[m,h,p,y]`; 0 without a row.
    pub fn stage_use(&self, metal: &str, stage: &str, user: &str, year: i64) -> f64 {
        self.stage_use
            .get(&(metal.to_string(), stage.to_string(), user.to_string(), year))
            .copied()
            .unwrap_or(0.0)
    }

    /// `im[m,k,y]`; 0 without a row or when it is null (docs/model.md: an absent `im` counts 0).
    pub fn import(&self, metal: &str, material: &str, year: i64) -> f64 {
        self.imports
            .get(&(metal.to_string(), material.to_string(), year))
            .copied()
            .flatten()
            .unwrap_or(0.0)
    }

    /// `ex[m,k,y]`; 0 without a row or when it is null.
    pub fn export(&self, metal: &str, material: &str, year: i64) -> f64 {
        self.exports
            .get(&(metal.to_string(), material.to_string(), year))
            .copied()
            .flatten()
            .unwrap_or(0.0)
    }

    /// `c[m,y]`; 0 without a row.
    pub fn consumption(&self, metal: &str, year: i64) -> f64 {
        self.consumption
            .get(&(metal.to_string(), year))
            .copied()
            .unwrap_or(0.0)
    }

    /// `q[m,b,y]` for every block `b` (empty without block variables).
    pub fn blocks(&self, metal: &str, year: i64) -> &[f64] {
        self.blocks
            .get(&(metal.to_string(), year))
            .map_or(&[], Vec::as_slice)
    }

    /// `st[m,y]`; 0 without a row or when it is null.
    pub fn stock(&self, metal: &str, year: i64) -> f64 {
        self.stock
            .get(&(metal.to_string(), year))
            .copied()
            .flatten()
            .unwrap_or(0.0)
    }

    /// `x[m,r,y]`; 0 when there is no such row (the checker reports missing rows itself).
    pub fn output(&self, metal: &str, route: &str, year: i64) -> f64 {
        lookup(&self.output, metal, route, year)
    }

    /// `b[m,r,y]`.
    pub fn built(&self, metal: &str, route: &str, year: i64) -> f64 {
        lookup(&self.built, metal, route, year)
    }

    /// `f[m,s,y]`.
    pub fn feed(&self, metal: &str, source: &str, year: i64) -> f64 {
        lookup(&self.feed, metal, source, year)
    }

    /// `bs[m,y]`.
    pub fn shared_built(&self, metal: &str, year: i64) -> f64 {
        self.shared_built
            .get(&(metal.to_string(), year))
            .copied()
            .unwrap_or(0.0)
    }
}

fn lookup(map: &BTreeMap<(String, String, i64), f64>, a: &str, b: &str, year: i64) -> f64 {
    map.get(&(a.to_string(), b.to_string(), year))
        .copied()
        .unwrap_or(0.0)
}

// ---------------------------------------------------------------------------------------------
// Derived expressions (docs/model.md, "Derived expressions")

/// A scenario and a plan for it: the derived expressions, in internal units (Mt, million CNY).
pub struct Evaluation<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The plan's rows.
    pub plan: &'a PlanRows,
}

impl Evaluation<'_> {
    /// `OT[y]`, or `OT[y0]` from `base_output_mt` for the base year.
    pub fn ten_metal_output(&self, year: i64) -> f64 {
        self.route_sum(year, |metal, route, _| {
            if metal.counts_toward_output_total(route) {
                1.0
            } else {
                0.0
            }
        })
    }

    /// `RT[y]` (also for the base year, from `base_output_mt`).
    pub fn recycled_output(&self, year: i64) -> f64 {
        self.route_sum(year, |metal, route, _| {
            if route == "recycled" && metal.counts_toward_recycled_total() {
                1.0
            } else {
                0.0
            }
        })
    }

    /// `V[y]` in million CNY, with `va` and `gva` of that year (the base year too): routes and
    /// stages.
    pub fn value_added(&self, year: i64) -> f64 {
        self.route_sum(year, |_, _, spec| {
            required(spec, "value_added_cny_per_t", year)
        }) + self.stage_sum(year, |stage| {
            stage.param_or_zero("value_added_cny_per_t", year)
        })
    }

    /// `E[y]` in Mt CO2: routes and stages.
    pub fn co2(&self, year: i64) -> f64 {
        self.route_sum(year, |_, _, spec| required(spec, "co2_t_per_t", year))
            + self.stage_sum(year, |stage| stage.param_or_zero("co2_t_per_t", year))
    }

    /// `sum over m, g of weight(g) * g[m,g,y]`; in the base year, `g` is `gbase[m,g]`.
    fn stage_sum(&self, year: i64, weight: impl Fn(&Stage<'_>) -> f64) -> f64 {
        let base_year = year == self.scenario.base_year();
        let mut total = 0.0;
        for metal in self.scenario.metals() {
            for stage in metal.stages() {
                let made = if base_year {
                    stage.base_output()
                } else {
                    self.plan.stage_output(metal.name, stage.name, year)
                };
                total += weight(&stage) * made;
            }
        }
        total
    }

    /// `sum over m, r of weight(m, r) * x[m,r,y]`; in the base year, `x` is `base_output_mt`.
    fn route_sum(&self, year: i64, weight: impl Fn(&Metal<'_>, &str, &Toml) -> f64) -> f64 {
        let base_year = year == self.scenario.base_year();
        let mut total = 0.0;
        for metal in self.scenario.metals() {
            for (route, spec) in metal.routes() {
                let output = if base_year {
                    number(spec.get("base_output_mt").expect("base_output_mt is given"))
                } else {
                    self.plan.output(metal.name, route, year)
                };
                total += weight(&metal, route, spec) * output;
            }
        }
        total
    }

    /// Imported feed and all feed of one metal in one year, Mt.
    pub fn feed_split(&self, metal: &Metal<'_>, year: i64) -> (f64, f64) {
        let mut imported = 0.0;
        let mut all = 0.0;
        for (route, _) in metal.routes() {
            for (source, _) in metal.feeds(route) {
                let feed = self.plan.feed(metal.name, source, year);
                all += feed;
                if is_imported(source) {
                    imported += feed;
                }
            }
        }
        (imported, all)
    }

    /// `D[m,y]`; `None` when the metal draws no feed.
    pub fn import_dependence(&self, metal: &Metal<'_>, year: i64) -> Option<f64> {
        let (imported, all) = self.feed_split(metal, year);
        (all > 0.0).then(|| imported / all)
    }

    /// The numerator and the whole of import-dependence definition `definition` for one metal
    /// and year, in Mt of metal (docs/model.md, "Derived expressions"):
    /// - `feed`: imported feed, all feed;
    /// - `net_imports_over_consumption`: imported feed plus the metal in every traded
    ///   material's imports less exports, consumption `c` (0 without demand);
    /// - `raw_material`: imported concentrate plus the metal in imports of mined stages, all ore
    ///   and concentrate drawn plus the metal in what mined stages make, import and export.
    pub fn dependence_parts(&self, metal: &Metal<'_>, definition: &str, year: i64) -> (f64, f64) {
        let plan = self.plan;
        let name = metal.name;
        match definition {
            "feed" => self.feed_split(metal, year),
            "net_imports_over_consumption" => {
                let (imported_feed, _) = self.feed_split(metal, year);
                let net_trade: f64 = metal
                    .trade()
                    .iter()
                    .map(|trade| {
                        let material = trade.material;
                        metal.metal_content(material)
                            * (plan.import(name, material, year)
                                - plan.export(name, material, year))
                    })
                    .sum();
                (imported_feed + net_trade, plan.consumption(name, year))
            }
            "raw_material" => {
                let concentrate = plan.feed(name, "imported_concentrate", year);
                let ore = plan.feed(name, "domestic_ore", year);
                let mut imported = concentrate;
                let mut all = ore + concentrate;
                for stage in metal.stages().iter().filter(|stage| stage.is_mined()) {
                    let content = stage.metal_content();
                    let import = plan.import(name, stage.name, year);
                    let export = plan.export(name, stage.name, year);
                    imported += content * import;
                    all += content * (plan.stage_output(name, stage.name, year) + import - export);
                }
                (imported, all)
            }
            other => panic!("unknown import-dependence definition `{other}`"),
        }
    }

    /// Import dependence by `definition`; `None` when its whole is 0 (and for
    /// `net_imports_over_consumption`, for a metal without demand).
    pub fn import_dependence_by(
        &self,
        metal: &Metal<'_>,
        definition: &str,
        year: i64,
    ) -> Option<f64> {
        let (numerator, whole) = self.dependence_parts(metal, definition, year);
        (whole != 0.0).then(|| numerator / whole)
    }

    /// What the plan earns in one year before discounting, million CNY (the bracket of M29
    /// before costs): willingness to pay for the blocks taken and export revenue.
    pub fn benefit(&self, year: i64) -> f64 {
        let plan = self.plan;
        let mut total = 0.0;
        for metal in self.scenario.metals() {
            let taken = plan.blocks(metal.name, year);
            for (block, quantity) in metal.blocks().iter().zip(taken) {
                total += required(block, "price_cny_per_t", year) * quantity;
            }
            for trade in metal.trade().iter().filter(|trade| trade.exports()) {
                total += required(trade.table, "export_price_cny_per_t", year)
                    * plan.export(metal.name, trade.material, year);
            }
        }
        total
    }

    /// Cost in one year before discounting, million CNY: the bracket of M14.
    pub fn cost(&self, year: i64) -> f64 {
        let mut total = 0.0;
        for metal in self.scenario.metals() {
            for (route, spec) in metal.routes() {
                total += required(spec, "operating_cost_cny_per_t", year)
                    * self.plan.output(metal.name, route, year);
                for (source, feed) in metal.feeds(route) {
                    total += required(feed, "cost_cny_per_t", year)
                        * self.plan.feed(metal.name, source, year);
                }
                let investment = param(spec, "investment_cny_per_t", year).unwrap_or(0.0);
                total += investment * self.plan.built(metal.name, route, year);
            }
            if let Some(shared) = metal.table.get("shared_capacity") {
                let investment = param(shared, "investment_cny_per_t", year).unwrap_or(0.0);
                total += investment * self.plan.shared_built(metal.name, year);
            }
            total += self.market_cost(&metal, year);
        }
        total
    }

    /// The market's part of M14 for one metal and year, million CNY: stages operated and
    /// built, imports bought, stock held at the end of the year.
    fn market_cost(&self, metal: &Metal<'_>, year: i64) -> f64 {
        let plan = self.plan;
        let name = metal.name;
        let mut total = 0.0;
        for stage in metal.stages() {
            total += required(stage.table, "operating_cost_cny_per_t", year)
                * plan.stage_output(name, stage.name, year);
            total += stage.param_or_zero("investment_cny_per_t", year)
                * plan.stage_built(name, stage.name, year);
        }
        for trade in metal.trade().iter().filter(|trade| trade.imports()) {
            total += required(trade.table, "import_price_cny_per_t", year)
                * plan.import(name, trade.material, year);
        }
        if let Some(stock) = metal.stock() {
            total += param(stock, "holding_cost_cny_per_t", year).unwrap_or(0.0)
                * plan.stock(name, year);
        }
        total
    }

    /// Imports in one year, Mt of metal (the bracket of M16): imported feed, and the metal in
    /// imports of traded materials.
    pub fn imports(&self, year: i64) -> f64 {
        self.scenario
            .metals()
            .iter()
            .map(|metal| {
                let traded: f64 = metal
                    .trade()
                    .iter()
                    .filter(|trade| trade.imports())
                    .map(|trade| {
                        metal.metal_content(trade.material)
                            * self.plan.import(metal.name, trade.material, year)
                    })
                    .sum();
                self.feed_split(metal, year).0 + traded
            })
            .sum()
    }
}

/// The objective of kind `kind` (`cost`, `emissions`, `imports`, `value_added`, `welfare`) for
/// the plan in `result`, in the result's units (CNY, t CO2, t, CNY, CNY), per M14-M17 and M29.
pub fn objective_value(scenario: &Scenario, result: &Json, kind: &str) -> f64 {
    let plan = PlanRows::from_result(result);
    let evaluation = Evaluation {
        scenario,
        plan: &plan,
    };
    let per_year = |year: i64| match kind {
        "cost" => scenario.discount(year) * evaluation.cost(year),
        "welfare" => scenario.discount(year) * (evaluation.benefit(year) - evaluation.cost(year)),
        "emissions" => evaluation.co2(year),
        "imports" => evaluation.imports(year),
        "value_added" => evaluation.value_added(year),
        other => panic!("unknown objective kind {other}"),
    };
    scenario.years().into_iter().map(per_year).sum::<f64>() * MILLION
}

/// National totals of one year, recomputed from the plan (the fields of the result's `totals`).
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// The year.
    pub year: i64,
    /// `OT[y]`, Mt.
    pub output_total_mt: f64,
    /// `OT[y] / OT[prev(y)] - 1`.
    pub output_growth: f64,
    /// `RT[y]`, Mt.
    pub recycled_mt: f64,
    /// `V[y]`, CNY.
    pub value_added_cny: f64,
    /// `V[y] / V[prev(y)] - 1`.
    pub value_added_growth: f64,
    /// `E[y]`, t CO2.
    pub co2_t: f64,
    /// Undiscounted cost, CNY.
    pub cost_cny: f64,
    /// `D[m,y]` per metal.
    pub import_dependence: BTreeMap<String, Option<f64>>,
}

/// The base year's totals from `base_output_mt`: (`OT[y0]` Mt, `RT[y0]` Mt, `V[y0]` CNY).
pub fn base_totals(scenario: &Scenario) -> (f64, f64, f64) {
    let plan = PlanRows::default();
    let evaluation = Evaluation {
        scenario,
        plan: &plan,
    };
    let base_year = scenario.base_year();
    (
        evaluation.ten_metal_output(base_year),
        evaluation.recycled_output(base_year),
        evaluation.value_added(base_year) * MILLION,
    )
}

/// Every planning year's totals, recomputed from the plan rows of `result` and the scenario.
pub fn recompute_totals(scenario: &Scenario, result: &Json) -> Vec<Totals> {
    let plan = PlanRows::from_result(result);
    let evaluation = Evaluation {
        scenario,
        plan: &plan,
    };
    scenario
        .years()
        .into_iter()
        .map(|year| {
            let previous = previous_year(year);
            let output = evaluation.ten_metal_output(year);
            let value_added = evaluation.value_added(year);
            Totals {
                year,
                output_total_mt: output,
                output_growth: output / evaluation.ten_metal_output(previous) - 1.0,
                recycled_mt: evaluation.recycled_output(year),
                value_added_cny: value_added * MILLION,
                value_added_growth: value_added / evaluation.value_added(previous) - 1.0,
                co2_t: evaluation.co2(year) * MILLION,
                cost_cny: evaluation.cost(year) * MILLION,
                import_dependence: scenario
                    .metals()
                    .iter()
                    .map(|metal| {
                        (
                            metal.name.to_string(),
                            evaluation.import_dependence(metal, year),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The independent plan checker

/// The direction of a constraint.
#[derive(Debug, Clone, Copy)]
enum Sense {
    AtMost,
    AtLeast,
    Equal,
}

impl fmt::Display for Sense {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sense::AtMost => "<=",
            Sense::AtLeast => ">=",
            Sense::Equal => "=",
        })
    }
}

struct Checker<'a> {
    evaluation: Evaluation<'a>,
    /// Whether the result was solved for welfare (M29): demand blocks are then variables
    /// (M27, M28).
    welfare: bool,
    violations: Vec<String>,
}

impl Checker<'_> {
    /// Checks `sum(terms) sense rhs`, allowing [`TOLERANCE`] relative to the row's largest term
    /// or right-hand side, and to no less than 1 (1e-6 Mt is a tonne).
    fn row(&mut self, label: impl fmt::Display, terms: &[f64], sense: Sense, rhs: f64) {
        let activity: f64 = terms.iter().sum();
        let magnitude = terms
            .iter()
            .fold(rhs.abs(), |largest, term| largest.max(term.abs()))
            .max(1.0);
        let excess = match sense {
            Sense::AtMost => activity - rhs,
            Sense::AtLeast => rhs - activity,
            Sense::Equal => (activity - rhs).abs(),
        };
        if excess.is_nan() || excess > TOLERANCE * magnitude {
            self.violations.push(format!(
                "{label}: {activity} {sense} {rhs} is violated by {excess}"
            ));
        }
    }

    fn report(&mut self, message: String) {
        self.violations.push(message);
    }

    /// Every row the scenario implies is in the result, and no other.
    fn structure(&mut self) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        let mut plan_keys = BTreeSet::new();
        let mut feed_keys = BTreeMap::new();
        let mut shared_keys = BTreeSet::new();
        for metal in scenario.metals() {
            for year in scenario.years() {
                for (route, _) in metal.routes() {
                    plan_keys.insert((metal.name.to_string(), route.to_string(), year));
                    for (source, _) in metal.feeds(route) {
                        feed_keys.insert(
                            (metal.name.to_string(), source.to_string(), year),
                            route.to_string(),
                        );
                    }
                }
                if metal.table.get("shared_capacity").is_some() {
                    shared_keys.insert((metal.name.to_string(), year));
                }
            }
        }
        let found: BTreeSet<_> = plan.output.keys().cloned().collect();
        for key in plan_keys.difference(&found) {
            self.report(format!("missing plan row {key:?}"));
        }
        for key in found.difference(&plan_keys) {
            self.report(format!("plan row {key:?} is not in the scenario"));
        }
        for (key, route) in &feed_keys {
            match plan.feed_route.get(key) {
                None => self.report(format!("missing feed row {key:?}")),
                Some(found) if found != route => {
                    self.report(format!("feed row {key:?} names route {found}, not {route}"));
                }
                Some(_) => {}
            }
        }
        for key in plan.feed.keys() {
            if !feed_keys.contains_key(key) {
                self.report(format!("feed row {key:?} is not in the scenario"));
            }
        }
        let found: BTreeSet<_> = plan.shared_built.keys().cloned().collect();
        for key in shared_keys.difference(&found) {
            self.report(format!("missing shared_capacity row {key:?}"));
        }
        for key in found.difference(&shared_keys) {
            self.report(format!(
                "shared_capacity row {key:?} is not in the scenario"
            ));
        }
        for duplicate in &plan.duplicates {
            self.report(format!("{duplicate} appears twice"));
        }
        self.market_structure();
    }

    /// Reports every key of `expected` missing from `found` and every key of `found` the
    /// scenario does not imply, for the result's table `table`.
    fn compare_keys<K: Ord + fmt::Debug>(
        &mut self,
        table: &str,
        expected: &BTreeSet<K>,
        found: &BTreeSet<K>,
    ) {
        for key in expected.difference(found) {
            self.report(format!("missing {table} row {key:?}"));
        }
        for key in found.difference(expected) {
            self.report(format!("{table} row {key:?} is not in the scenario"));
        }
    }

    /// The `stages`, `stage_use`, `trade` and `demand` rows are exactly those the scenario
    /// implies, with a number where a column exists and null where it does not (imports and
    /// exports a trade entry does not allow, stock without `demand.stock`), and one block per
    /// demand block under welfare (none otherwise: `q` exists only under welfare).
    fn market_structure(&mut self) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        let mut stage_keys = BTreeSet::new();
        let mut use_keys = BTreeSet::new();
        let mut trade_keys = BTreeMap::new();
        let mut demand_keys = BTreeMap::new();
        for metal in scenario.metals() {
            let name = metal.name.to_string();
            for year in scenario.years() {
                for stage in metal.stages() {
                    stage_keys.insert((name.clone(), stage.name.to_string(), year));
                }
                for (stage, user, _) in metal.uses() {
                    use_keys.insert((name.clone(), stage.to_string(), user.to_string(), year));
                }
                for trade in metal.trade() {
                    trade_keys.insert(
                        (name.clone(), trade.material.to_string(), year),
                        (trade.imports(), trade.exports()),
                    );
                }
                if metal.demand().is_some() {
                    let blocks = if self.welfare {
                        metal.blocks().len()
                    } else {
                        0
                    };
                    demand_keys.insert((name.clone(), year), (blocks, metal.stock().is_some()));
                }
            }
        }
        let found: BTreeSet<_> = plan.stage_output.keys().cloned().collect();
        self.compare_keys("stages", &stage_keys, &found);
        let found: BTreeSet<_> = plan.stage_use.keys().cloned().collect();
        self.compare_keys("stage_use", &use_keys, &found);
        let found: BTreeSet<_> = plan.imports.keys().cloned().collect();
        let expected: BTreeSet<_> = trade_keys.keys().cloned().collect();
        self.compare_keys("trade", &expected, &found);
        for (key, &(imports, exports)) in &trade_keys {
            for (field, column, values) in [
                ("import_mt", imports, &plan.imports),
                ("export_mt", exports, &plan.exports),
            ] {
                match values.get(key) {
                    Some(Some(_)) if !column => self.report(format!(
                        "trade row {key:?} reports {field}, which the scenario does not allow"
                    )),
                    Some(None) if column => {
                        self.report(format!("trade row {key:?} has a null {field}"));
                    }
                    _ => {}
                }
            }
        }
        let found: BTreeSet<_> = plan.consumption.keys().cloned().collect();
        let expected: BTreeSet<_> = demand_keys.keys().cloned().collect();
        self.compare_keys("demand", &expected, &found);
        for (key, &(blocks, stock)) in &demand_keys {
            if let Some(taken) = plan.blocks.get(key) {
                if taken.len() != blocks {
                    self.report(format!(
                        "demand row {key:?} has {} blocks_mt, not {blocks}",
                        taken.len()
                    ));
                }
            }
            match plan.stock.get(key) {
                Some(Some(_)) if !stock => self.report(format!(
                    "demand row {key:?} reports stock_mt, but the scenario holds no stock"
                )),
                Some(None) if stock => {
                    self.report(format!("demand row {key:?} has a null stock_mt"));
                }
                _ => {}
            }
        }
    }

    /// M1-M7 (and M5, the variable bounds) for every metal, route and year.
    fn technical(&mut self) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        let years = scenario.years();
        for metal in scenario.metals() {
            let name = metal.name;
            for &year in &years {
                for (route, spec) in metal.routes() {
                    let output = plan.output(name, route, year);
                    self.row(
                        format_args!("M5 output[{name},{route},{year}] >= 0"),
                        &[output],
                        Sense::AtLeast,
                        0.0,
                    );
                    // M1: output - sum of recovery x feed - sum of stage material used over
                    // its ratio = 0.
                    let mut balance = vec![output];
                    for (stage, ratio) in inputs_of(spec) {
                        let used = plan.stage_use(name, stage, route, year);
                        balance.push(-used / ratio_in(ratio, year));
                    }
                    for (source, feed_spec) in metal.feeds(route) {
                        let feed = plan.feed(name, source, year);
                        let recovery = number(&feed_spec["recovery"]);
                        balance.push(-recovery * feed);
                        self.row(
                            format_args!("M5 feed[{name},{source},{year}] >= 0"),
                            &[feed],
                            Sense::AtLeast,
                            0.0,
                        );
                        // M2: feed drawn <= feed available.
                        self.row(
                            format_args!("M2 feed_available[{name},{source},{year}]"),
                            &[feed],
                            Sense::AtMost,
                            required(feed_spec, "available_mt", year),
                        );
                    }
                    self.row(
                        format_args!("M1 feed_balance[{name},{route},{year}]"),
                        &balance,
                        Sense::Equal,
                        0.0,
                    );
                    // M3: output - capacity built in this or an earlier planning year <= cap.
                    let mut terms = vec![output];
                    terms.extend(
                        years
                            .iter()
                            .filter(|&&built| built <= year)
                            .map(|&built| -plan.built(name, route, built)),
                    );
                    self.row(
                        format_args!("M3 capacity[{name},{route},{year}]"),
                        &terms,
                        Sense::AtMost,
                        required(spec, "capacity_mt", year),
                    );
                    // M5: 0 <= b <= bmax; no build at all without a positive bmax.
                    let built = plan.built(name, route, year);
                    let limit = param(spec, "max_build_mt_per_year", year).unwrap_or(0.0);
                    self.row(
                        format_args!("M5 build[{name},{route},{year}] >= 0"),
                        &[built],
                        Sense::AtLeast,
                        0.0,
                    );
                    self.row(
                        format_args!("M5 build[{name},{route},{year}] <= max_build_mt_per_year"),
                        &[built],
                        Sense::AtMost,
                        limit.max(0.0),
                    );
                }
                self.shared(&metal, &years, year);
                self.market(&metal, year);
                self.stages(&metal, &years, year);
                self.trade(&metal, year);
                self.demand(&metal, year);
            }
        }
    }

    /// M23-M25 and the bounds of the stage columns, for every stage of `metal` in `year`.
    fn stages(&mut self, metal: &Metal<'_>, years: &[i64], year: i64) {
        let plan = self.evaluation.plan;
        let name = metal.name;
        for stage in metal.stages() {
            let h = stage.name;
            let made = plan.stage_output(name, h, year);
            self.row(
                format_args!("M5 stage_output[{name},{h},{year}] >= 0"),
                &[made],
                Sense::AtLeast,
                0.0,
            );
            // M23: what is made is what each input used gives.
            let inputs = stage.inputs();
            if !inputs.is_empty() {
                let mut terms = vec![made];
                for (input, ratio) in inputs {
                    terms.push(-plan.stage_use(name, input, h, year) / ratio_in(ratio, year));
                }
                self.row(
                    format_args!("M23 stage_input[{name},{h},{year}]"),
                    &terms,
                    Sense::Equal,
                    0.0,
                );
            }
            // M24: made - stage capacity built in this or an earlier year <= gcap.
            let mut terms = vec![made];
            terms.extend(
                years
                    .iter()
                    .filter(|&&built| built <= year)
                    .map(|&built| -plan.stage_built(name, h, built)),
            );
            self.row(
                format_args!("M24 stage_capacity[{name},{h},{year}]"),
                &terms,
                Sense::AtMost,
                required(stage.table, "capacity_mt", year),
            );
            let built = plan.stage_built(name, h, year);
            self.row(
                format_args!("M5 build_stage[{name},{h},{year}] >= 0"),
                &[built],
                Sense::AtLeast,
                0.0,
            );
            self.row(
                format_args!("M5 build_stage[{name},{h},{year}] <= max_build_mt_per_year"),
                &[built],
                Sense::AtMost,
                stage.param_or_zero("max_build_mt_per_year", year).max(0.0),
            );
            // M25: made + imported - exported - used by every user = 0.
            let mut terms = vec![
                made,
                plan.import(name, h, year),
                -plan.export(name, h, year),
            ];
            for user in metal.users_of(h) {
                terms.push(-plan.stage_use(name, h, user, year));
            }
            self.row(
                format_args!("M25 market[{name},{h},{year}]"),
                &terms,
                Sense::Equal,
                0.0,
            );
        }
        for (stage, user, _) in metal.uses() {
            self.row(
                format_args!("M5 stage_use[{name},{stage},{user},{year}] >= 0"),
                &[plan.stage_use(name, stage, user, year)],
                Sense::AtLeast,
                0.0,
            );
        }
    }

    /// Trade bounds: `imin <= im <= imax` and `emin <= ex <= emax` for the sides a trade entry
    /// opens.
    fn trade(&mut self, metal: &Metal<'_>, year: i64) {
        let plan = self.evaluation.plan;
        let name = metal.name;
        for trade in metal.trade() {
            let k = trade.material;
            for (column, prefix, value) in [
                ("import", "import", plan.import(name, k, year)),
                ("export", "export", plan.export(name, k, year)),
            ] {
                let Some(max) = param(trade.table, &format!("{prefix}_max_mt"), year) else {
                    continue;
                };
                let min = param(trade.table, &format!("{prefix}_min_mt"), year).unwrap_or(0.0);
                self.row(
                    format_args!("M5 {column}[{name},{k},{year}] >= {prefix}_min_mt"),
                    &[value],
                    Sense::AtLeast,
                    min,
                );
                self.row(
                    format_args!("M5 {column}[{name},{k},{year}] <= {prefix}_max_mt"),
                    &[value],
                    Sense::AtMost,
                    max,
                );
            }
        }
    }

    /// M26-M28 and the stock bounds, for a metal with demand.
    fn demand(&mut self, metal: &Metal<'_>, year: i64) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        let name = metal.name;
        if metal.demand().is_none() {
            return;
        }
        let consumption = plan.consumption(name, year);
        self.row(
            format_args!("M5 consumption[{name},{year}] >= 0"),
            &[consumption],
            Sense::AtLeast,
            0.0,
        );
        // M26: output + imports - exports - consumption - stock + previous stock = 0.
        let mut terms: Vec<f64> = metal
            .routes()
            .iter()
            .map(|(route, _)| plan.output(name, route, year))
            .collect();
        terms.push(plan.import(name, REFINED, year));
        terms.push(-plan.export(name, REFINED, year));
        terms.push(-consumption);
        let mut rhs = 0.0;
        if let Some(stock) = metal.stock() {
            let held = plan.stock(name, year);
            terms.push(-held);
            let previous = previous_year(year);
            if previous == scenario.base_year() {
                rhs = -number(&stock["initial_mt"]);
            } else {
                terms.push(plan.stock(name, previous));
            }
            self.row(
                format_args!("M5 stock[{name},{year}] >= min_mt"),
                &[held],
                Sense::AtLeast,
                param(stock, "min_mt", year).unwrap_or(0.0),
            );
            self.row(
                format_args!("M5 stock[{name},{year}] <= max_mt"),
                &[held],
                Sense::AtMost,
                required(stock, "max_mt", year),
            );
        }
        self.row(
            format_args!("M26 market[{name},{REFINED},{year}]"),
            &terms,
            Sense::Equal,
            rhs,
        );
        // M27: under welfare a metal with blocks consumes the blocks it takes (M28 bounds
        // them); otherwise it consumes the reference demand.
        let blocks = metal.blocks();
        if self.welfare && !blocks.is_empty() {
            let taken = plan.blocks(name, year);
            let mut terms = vec![consumption];
            terms.extend(taken.iter().map(|quantity| -quantity));
            self.row(
                format_args!("M27 demand[{name},{year}]"),
                &terms,
                Sense::Equal,
                0.0,
            );
            for (index, block) in blocks.iter().enumerate() {
                let quantity = taken.get(index).copied().unwrap_or(0.0);
                self.row(
                    format_args!("M28 demand_block[{name},{index},{year}] >= 0"),
                    &[quantity],
                    Sense::AtLeast,
                    0.0,
                );
                self.row(
                    format_args!("M28 demand_block[{name},{index},{year}] <= quantity_mt"),
                    &[quantity],
                    Sense::AtMost,
                    required(block, "quantity_mt", year),
                );
            }
        } else {
            let reference = metal
                .reference_demand(year)
                .expect("a metal with demand has a reference demand");
            self.row(
                format_args!("M27 demand[{name},{year}]"),
                &[consumption],
                Sense::Equal,
                reference,
            );
        }
    }

    /// M4 and its build bounds, for a metal with `shared_capacity`.
    fn shared(&mut self, metal: &Metal<'_>, years: &[i64], year: i64) {
        let plan = self.evaluation.plan;
        let name = metal.name;
        let Some(shared) = metal.table.get("shared_capacity") else {
            return;
        };
        let mut terms: Vec<f64> = metal
            .routes()
            .iter()
            .map(|(route, _)| plan.output(name, route, year))
            .collect();
        terms.extend(
            years
                .iter()
                .filter(|&&built| built <= year)
                .map(|&built| -plan.shared_built(name, built)),
        );
        self.row(
            format_args!("M4 shared_capacity[{name},{year}]"),
            &terms,
            Sense::AtMost,
            required(shared, "capacity_mt", year),
        );
        let built = plan.shared_built(name, year);
        let limit = param(shared, "max_build_mt_per_year", year).unwrap_or(0.0);
        self.row(
            format_args!("M5 build_shared[{name},{year}] >= 0"),
            &[built],
            Sense::AtLeast,
            0.0,
        );
        self.row(
            format_args!("M5 build_shared[{name},{year}] <= max_build_mt_per_year"),
            &[built],
            Sense::AtMost,
            limit.max(0.0),
        );
    }

    /// M6 and M7: the metal's output within its market bounds, for the years they list.
    fn market(&mut self, metal: &Metal<'_>, year: i64) {
        let plan = self.evaluation.plan;
        let name = metal.name;
        let total: Vec<f64> = metal
            .routes()
            .iter()
            .map(|(route, _)| plan.output(name, route, year))
            .collect();
        if let Some(min) = metal
            .table
            .get("output_min_mt")
            .and_then(|v| per_year(v, year))
        {
            self.row(
                format_args!("M6 metal_output_min[{name},{year}]"),
                &total,
                Sense::AtLeast,
                min,
            );
        }
        if let Some(max) = metal
            .table
            .get("output_max_mt")
            .and_then(|v| per_year(v, year))
        {
            self.row(
                format_args!("M7 metal_output_max[{name},{year}]"),
                &total,
                Sense::AtMost,
                max,
            );
        }
    }

    /// M8-M13: the national targets, for each planning year they cover.
    fn targets(&mut self) {
        let scenario = self.evaluation.scenario;
        for year in scenario.years() {
            let previous = previous_year(year);
            let evaluation = &self.evaluation;
            let output = evaluation.ten_metal_output(year);
            let previous_output = evaluation.ten_metal_output(previous);
            let recycled = evaluation.recycled_output(year);
            let value_added = evaluation.value_added(year);
            let previous_value_added = evaluation.value_added(previous);
            let co2 = evaluation.co2(year);
            if let Some(floor) = scenario.target_in("recycled_output_min_mt", year) {
                self.row(
                    format_args!("M8 recycled_output_min[{year}]"),
                    &[recycled],
                    Sense::AtLeast,
                    floor,
                );
            }
            if let Some(growth) = scenario.target_in("output_growth_min", year) {
                self.row(
                    format_args!("M9 output_growth_min[{year}]"),
                    &[output, -(1.0 + growth) * previous_output],
                    Sense::AtLeast,
                    0.0,
                );
            }
            if let Some(growth) = scenario.target_in("output_growth_max", year) {
                self.row(
                    format_args!("M10 output_growth_max[{year}]"),
                    &[output, -(1.0 + growth) * previous_output],
                    Sense::AtMost,
                    0.0,
                );
            }
            if let Some(growth) = scenario.target_in("value_added_growth_min", year) {
                self.row(
                    format_args!("M11 value_added_growth_min[{year}]"),
                    &[value_added, -(1.0 + growth) * previous_value_added],
                    Sense::AtLeast,
                    0.0,
                );
            }
            for (metal_name, cap) in scenario.import_dependence_caps() {
                let Some(cap) = per_year(cap, year) else {
                    continue;
                };
                let metal = scenario
                    .metals()
                    .into_iter()
                    .find(|metal| metal.name == metal_name)
                    .unwrap_or_else(|| panic!("import_dependence_max names `{metal_name}`"));
                let (imported, all) = self.evaluation.feed_split(&metal, year);
                self.row(
                    format_args!("M12 import_dependence_max[{metal_name},{year}]"),
                    &[imported, -cap * all],
                    Sense::AtMost,
                    0.0,
                );
            }
            if let Some(cap) = scenario.target_in("co2_max_mt", year) {
                self.row(
                    format_args!("M13 co2_max[{year}]"),
                    &[co2],
                    Sense::AtMost,
                    cap,
                );
            }
            // M12 by definition: numerator - max x whole <= 0.
            for cap in scenario.import_dependence_targets() {
                let Some(max) = per_year(cap.max, year) else {
                    continue;
                };
                let metal = scenario.metal(cap.metal);
                let (numerator, whole) =
                    self.evaluation
                        .dependence_parts(&metal, cap.definition, year);
                self.row(
                    format_args!(
                        "M12 import_dependence_max[{},{},{year}]",
                        cap.metal, cap.definition
                    ),
                    &[numerator, -max * whole],
                    Sense::AtMost,
                    0.0,
                );
            }
        }
    }

    /// M20: each `[[constraints]]` rule in each of its years, `sum(terms) sense rhs` or
    /// `sum(terms) - share * sum(of) sense 0`.
    fn user_constraints(&mut self) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        for rule in scenario.user_constraints() {
            let sense = match rule.sense() {
                ">=" => Sense::AtLeast,
                "<=" => Sense::AtMost,
                "=" => Sense::Equal,
                other => panic!("constraint `{}`: sense {other}", rule.name),
            };
            for year in rule.years(scenario) {
                let mut terms = vec![rule.sum("terms", plan, year)];
                if let Some(share) = rule.share(year) {
                    terms.push(-share * rule.sum("of", plan, year));
                }
                self.row(
                    format_args!("M20 user[{},{year}]", rule.name),
                    &terms,
                    sense,
                    rule.rhs(year),
                );
            }
        }
    }

    /// The columns the result derives from the decisions agree with the scenario: capacity
    /// (existing plus built so far), feed available, shared output and capacity.
    fn reported_columns(&mut self) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        let years = scenario.years();
        for metal in scenario.metals() {
            let name = metal.name;
            for &year in &years {
                for (route, spec) in metal.routes() {
                    let built_so_far: f64 = years
                        .iter()
                        .filter(|&&built| built <= year)
                        .map(|&built| plan.built(name, route, built))
                        .sum();
                    let expected = required(spec, "capacity_mt", year) + built_so_far;
                    let key = (name.to_string(), route.to_string(), year);
                    if let Some(&reported) = plan.reported_capacity.get(&key) {
                        self.row(
                            format_args!("reported capacity_mt of plan row {key:?}"),
                            &[reported],
                            Sense::Equal,
                            expected,
                        );
                    }
                    for (source, feed_spec) in metal.feeds(route) {
                        let key = (name.to_string(), source.to_string(), year);
                        if let Some(&reported) = plan.reported_available.get(&key) {
                            self.row(
                                format_args!("reported available_mt of feed row {key:?}"),
                                &[reported],
                                Sense::Equal,
                                required(feed_spec, "available_mt", year),
                            );
                        }
                    }
                }
                let Some(shared) = metal.table.get("shared_capacity") else {
                    continue;
                };
                let key = (name.to_string(), year);
                let output: f64 = metal
                    .routes()
                    .iter()
                    .map(|(route, _)| plan.output(name, route, year))
                    .sum();
                let built_so_far: f64 = years
                    .iter()
                    .filter(|&&built| built <= year)
                    .map(|&built| plan.shared_built(name, built))
                    .sum();
                if let Some(&reported) = plan.reported_shared_output.get(&key) {
                    self.row(
                        format_args!("reported output_mt of shared_capacity row {key:?}"),
                        &[reported],
                        Sense::Equal,
                        output,
                    );
                }
                if let Some(&reported) = plan.reported_shared_capacity.get(&key) {
                    self.row(
                        format_args!("reported capacity_mt of shared_capacity row {key:?}"),
                        &[reported],
                        Sense::Equal,
                        required(shared, "capacity_mt", year) + built_so_far,
                    );
                }
            }
        }
        self.reported_stage_capacity();
    }

    /// Each stage row's `capacity_mt` is the stage's capacity plus what it built so far.
    fn reported_stage_capacity(&mut self) {
        let scenario = self.evaluation.scenario;
        let plan = self.evaluation.plan;
        let years = scenario.years();
        for metal in scenario.metals() {
            for stage in metal.stages() {
                for &year in &years {
                    let key = (metal.name.to_string(), stage.name.to_string(), year);
                    let Some(&reported) = plan.reported_stage_capacity.get(&key) else {
                        continue;
                    };
                    let built_so_far: f64 = years
                        .iter()
                        .filter(|&&built| built <= year)
                        .map(|&built| plan.stage_built(metal.name, stage.name, built))
                        .sum();
                    self.row(
                        format_args!("reported capacity_mt of stages row {key:?}"),
                        &[reported],
                        Sense::Equal,
                        required(stage.table, "capacity_mt", year) + built_so_far,
                    );
                }
            }
        }
    }
}

/// Recomputes every constraint of docs/model.md (M1-M13, M20, M23-M28, with M5's variable
/// bounds and the trade and stock bounds) for the plan in `result`, and checks that the result
/// holds exactly the rows the scenario implies and that its derived columns (capacity, feed
/// available, shared output) agree with the scenario. The result's `objective_kind` says
/// whether demand blocks are variables (welfare) or consumption is the reference demand.
/// Returns one line per violation beyond [`TOLERANCE`], each starting with the row's label
/// (`M25 market[aluminium,alumina,2025]`); empty when the plan is feasible.
pub fn check_plan(scenario: &Scenario, result: &Json) -> Vec<String> {
    let plan = PlanRows::from_result(result);
    let mut checker = Checker {
        evaluation: Evaluation {
            scenario,
            plan: &plan,
        },
        welfare: result["objective_kind"] == "welfare",
        violations: Vec::new(),
    };
    checker.structure();
    checker.technical();
    checker.targets();
    checker.user_constraints();
    checker.reported_columns();
    checker.violations
}

/// Sets `field` of the first row of `table` that `matches`, and returns the value it replaced.
/// Used to break a real result on purpose.
pub fn nudge(
    result: &mut Json,
    table: &str,
    matches: impl Fn(&Json) -> bool,
    field: &str,
    value: impl FnOnce(f64) -> f64,
) -> f64 {
    let row = result[table]
        .as_array_mut()
        .unwrap_or_else(|| panic!("result has no `{table}` array"))
        .iter_mut()
        .find(|row| matches(row))
        .unwrap_or_else(|| panic!("no `{table}` row matches"));
    let old = number_field(row, field);
    row[field] = Json::from(value(old));
    old
}

/// A row matcher on `metal`, `year` and one more text field (`route` or `source`).
pub fn row_is<'a>(
    metal: &'a str,
    field: &'a str,
    text: &'a str,
    year: i64,
) -> impl Fn(&Json) -> bool + 'a {
    move |row| row["metal"] == metal && row[field] == text && row["year"] == year
}

// ---------------------------------------------------------------------------------------------
// The result's own summaries against the recomputation

/// Panics unless `reported` (a JSON number, or null for `None`) matches `expected`.
pub fn assert_reported(what: &str, reported: &Json, expected: Option<f64>) {
    match (reported.as_f64(), expected) {
        (Some(found), Some(expected)) => assert!(
            close(found, expected),
            "{what}: reported {found}, recomputed {expected}"
        ),
        (None, None) if reported.is_null() => {}
        _ => panic!("{what}: reported {reported}, recomputed {expected:?}"),
    }
}

/// Panics unless the result's `totals` and `base_year` sections equal [`recompute_totals`] and
/// [`base_totals`] within [`TOLERANCE`].
pub fn assert_totals_match(scenario: &Scenario, result: &Json, what: &str) {
    let recomputed = recompute_totals(scenario, result);
    let reported = result["totals"].as_array().expect("a totals array");
    assert_eq!(
        reported.len(),
        recomputed.len(),
        "{what}: one totals row per year"
    );
    for (row, totals) in reported.iter().zip(&recomputed) {
        assert_eq!(row["year"], totals.year, "{what}: totals in year order");
        let field_name = |field: &str| format!("{what}: totals {} {field}", totals.year);
        for (field, value) in [
            ("output_total_mt", totals.output_total_mt),
            ("output_growth", totals.output_growth),
            ("recycled_mt", totals.recycled_mt),
            ("value_added_cny", totals.value_added_cny),
            ("value_added_growth", totals.value_added_growth),
            ("co2_t", totals.co2_t),
            ("cost_cny", totals.cost_cny),
        ] {
            assert_reported(&field_name(field), &row[field], Some(value));
        }
        let dependence = row["import_dependence"]
            .as_object()
            .expect("an import_dependence map");
        assert_eq!(
            dependence.keys().collect::<Vec<_>>(),
            totals.import_dependence.keys().collect::<Vec<_>>(),
            "{what}: one import dependence per metal"
        );
        for (metal, value) in &totals.import_dependence {
            assert_reported(
                &field_name(&format!("import_dependence.{metal}")),
                &dependence[metal],
                *value,
            );
        }
    }
    let (output, recycled, value_added) = base_totals(scenario);
    let base = &result["base_year"];
    assert_eq!(base["year"], scenario.base_year(), "{what}: base year");
    for (field, value) in [
        ("output_total_mt", output),
        ("recycled_mt", recycled),
        ("value_added_cny", value_added),
    ] {
        assert_reported(
            &format!("{what}: base_year {field}"),
            &base[field],
            Some(value),
        );
    }
}

/// One target row as the scenario and the recomputed plan say it should be.
#[derive(Debug)]
struct ExpectedTarget {
    name: &'static str,
    metal: Option<String>,
    /// The definition of an `[[targets.import_dependence]]` cap; `None` for every other row.
    definition: Option<String>,
    year: i64,
    bound: f64,
    value: f64,
    sense: &'static str,
    unit: &'static str,
}

/// The target rows implied by the scenario's targets, with values recomputed from the plan.
fn expected_targets(scenario: &Scenario, result: &Json) -> Vec<ExpectedTarget> {
    let totals = recompute_totals(scenario, result);
    let plan = PlanRows::from_result(result);
    let evaluation = Evaluation {
        scenario,
        plan: &plan,
    };
    let mut expected = Vec::new();
    for year in &totals {
        let y = year.year;
        for (key, name, value, sense, unit) in [
            (
                "recycled_output_min_mt",
                "recycled_output_min",
                year.recycled_mt,
                ">=",
                "Mt",
            ),
            (
                "output_growth_min",
                "output_growth_min",
                year.output_growth,
                ">=",
                "fraction",
            ),
            (
                "output_growth_max",
                "output_growth_max",
                year.output_growth,
                "<=",
                "fraction",
            ),
            (
                "value_added_growth_min",
                "value_added_growth_min",
                year.value_added_growth,
                ">=",
                "fraction",
            ),
            ("co2_max_mt", "co2_max", evaluation.co2(y), "<=", "Mt CO2"),
        ] {
            if let Some(bound) = scenario.target_in(key, y) {
                expected.push(ExpectedTarget {
                    name,
                    metal: None,
                    definition: None,
                    year: y,
                    bound,
                    value,
                    sense,
                    unit,
                });
            }
        }
        for (metal, cap) in scenario.import_dependence_caps() {
            if let Some(bound) = per_year(cap, y) {
                expected.push(ExpectedTarget {
                    name: "import_dependence_max",
                    metal: Some(metal.to_string()),
                    definition: None,
                    year: y,
                    bound,
                    // docs/model.md: D is null without feed; the target row then shows 0.
                    value: year.import_dependence[metal].unwrap_or(0.0),
                    sense: "<=",
                    unit: "fraction",
                });
            }
        }
        for cap in scenario.import_dependence_targets() {
            if let Some(bound) = per_year(cap.max, y) {
                let metal = scenario.metal(cap.metal);
                expected.push(ExpectedTarget {
                    name: "import_dependence_max",
                    metal: Some(cap.metal.to_string()),
                    definition: Some(cap.definition.to_string()),
                    year: y,
                    bound,
                    // As for the feed cap: a dependence whose whole is 0 shows 0.
                    value: evaluation
                        .import_dependence_by(&metal, cap.definition, y)
                        .unwrap_or(0.0),
                    sense: "<=",
                    unit: "fraction",
                });
            }
        }
    }
    expected
}

/// Panics unless the result's `targets` rows are exactly the targets the scenario sets, in any
/// order, each with its bound, sense, unit and the value recomputed from the plan.
pub fn assert_targets_match(scenario: &Scenario, result: &Json, what: &str) {
    let expected = expected_targets(scenario, result);
    let reported = result["targets"].as_array().expect("a targets array");
    assert_eq!(
        reported.len(),
        expected.len(),
        "{what}: one target row per target and year the scenario sets; expected {expected:#?}, got {reported:#?}"
    );
    for target in expected {
        let row = reported
            .iter()
            .find(|row| {
                row["name"] == target.name
                    && row["year"] == target.year
                    && row["metal"].as_str() == target.metal.as_deref()
                    && row["definition"].as_str() == target.definition.as_deref()
            })
            .unwrap_or_else(|| panic!("{what}: no target row for {target:?}"));
        let label = format!(
            "{what}: {} {:?} {:?} {}",
            target.name, target.metal, target.definition, target.year
        );
        assert_reported(&format!("{label} bound"), &row["bound"], Some(target.bound));
        assert_reported(&format!("{label} value"), &row["value"], Some(target.value));
        assert_eq!(row["sense"], target.sense, "{label} sense");
        assert_eq!(row["unit"], target.unit, "{label} unit");
    }
}

/// Panics unless the result's `constraints` rows are exactly one per `[[constraints]]` rule and
/// year, in scenario order, each with its bound, sense, unit and the value recomputed from the
/// plan (the sum of the terms, or for a share rule that sum over the sum of `of`).
pub fn assert_constraints_match(scenario: &Scenario, result: &Json, what: &str) {
    let plan = PlanRows::from_result(result);
    let reported = result["constraints"]
        .as_array()
        .expect("a constraints array");
    let mut expected = 0;
    for rule in scenario.user_constraints() {
        for year in rule.years(scenario) {
            let row = reported
                .get(expected)
                .unwrap_or_else(|| panic!("{what}: no constraints row for {} {year}", rule.name));
            expected += 1;
            let label = format!("{what}: constraint {} {year}", rule.name);
            assert_eq!(row["name"], rule.name, "{label} name");
            assert_eq!(row["year"], year, "{label} year");
            assert_eq!(
                row["row"],
                format!("user[{},{year}]", rule.name),
                "{label} row"
            );
            assert_eq!(row["sense"], rule.sense(), "{label} sense");
            let part = rule.sum("terms", &plan, year);
            if let Some(share) = rule.share(year) {
                let whole = rule.sum("of", &plan, year);
                let value = if whole > 0.0 { part / whole } else { 0.0 };
                assert_eq!(row["unit"], "fraction", "{label} unit");
                assert_reported(&format!("{label} bound"), &row["bound"], Some(share));
                assert_reported(&format!("{label} value"), &row["value"], Some(value));
                assert_reported(&format!("{label} part_mt"), &row["part_mt"], Some(part));
                assert_reported(&format!("{label} whole_mt"), &row["whole_mt"], Some(whole));
            } else {
                assert_eq!(row["unit"], "Mt", "{label} unit");
                let rhs = rule.rhs(year);
                assert_reported(&format!("{label} bound"), &row["bound"], Some(rhs));
                assert_reported(&format!("{label} value"), &row["value"], Some(part));
            }
        }
    }
    assert_eq!(
        reported.len(),
        expected,
        "{what}: one constraints row per rule and year"
    );
}

/// Panics unless the result's `import_dependence` rows are one per metal and planning year, each
/// with the three definitions recomputed from the plan (docs/model.md, "Derived expressions"):
/// null where the definition's whole is 0, and `net_imports_over_consumption` null for a metal
/// without demand.
pub fn assert_import_dependence_match(scenario: &Scenario, result: &Json, what: &str) {
    let plan = PlanRows::from_result(result);
    let evaluation = Evaluation {
        scenario,
        plan: &plan,
    };
    let reported = rows(result, "import_dependence");
    let years = scenario.years();
    let metals = scenario.metals();
    assert_eq!(
        reported.len(),
        metals.len() * years.len(),
        "{what}: one import_dependence row per metal and year"
    );
    for metal in &metals {
        for &year in &years {
            let row = reported
                .iter()
                .find(|row| row["metal"] == metal.name && row["year"] == year)
                .unwrap_or_else(|| {
                    panic!("{what}: no import_dependence row for {} {year}", metal.name)
                });
            for definition in DEPENDENCE_DEFINITIONS {
                let expected =
                    if definition == "net_imports_over_consumption" && metal.demand().is_none() {
                        None
                    } else {
                        evaluation.import_dependence_by(metal, definition, year)
                    };
                assert_reported(
                    &format!(
                        "{what}: import_dependence {definition} of {} {year}",
                        metal.name
                    ),
                    &row[definition],
                    expected,
                );
            }
        }
    }
}

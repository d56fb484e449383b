//! The pipeline's stages at plant scale, on scenarios from `metalplan generate` with about 1k,
//! 10k, 100k and 1M variables (20 planning years; 40 to 38,500 facilities).
//!
//! Measured per size: loading (TOML + facilities CSV + validation), model construction, one
//! plugin call (the bundled aluminium plugin: loading its rules through the C ABI and adding
//! them to the model), solving with HiGHS, and result extraction with the independent check.
//!
//! Two stages are left out at 1M variables, because one HiGHS solve there takes minutes and
//! criterion needs ten samples: solving (`benches/compare.py` times it once, against HiGHS
//! alone and linopy), and result extraction runs on an all-zero solution of the right shape
//! instead of the optimum (its cost depends on the model's size, not on the values).
//!
//! The plugin stage needs the plugin built: run `cargo build --release` first; without it that
//! stage is skipped with a note. Run with `cargo bench -p metalplan-suite --bench scale`;
//! `METALPLAN_BENCH_MAX_FACILITIES=3850` stops at 100k variables.

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use metalplan_core::generate::{generate, GeneratorSpec};
use metalplan_core::model::Model;
use metalplan_core::plugin_host::LoadedPlugin;
use metalplan_core::solve::Solution;
use metalplan_core::{
    load_scenario, results, solve, verify, ObjectiveKind, SolveOptions, SolverKind,
};

const YEARS: usize = 20;
/// Facility counts for about 1k, 10k, 100k and 1M variables.
const FACILITIES: [usize; 4] = [40, 380, 3_850, 38_500];
/// Above this many facilities, solving is left to `benches/compare.py`.
const MAX_SOLVED_FACILITIES: usize = 3_850;

fn write_scenario(dir: &Path, facilities: usize) -> PathBuf {
    let generated = generate(GeneratorSpec {
        facilities,
        years: YEARS,
        seed: 1,
        memory_limit_bytes: None,
    })
    .expect("valid generator arguments");
    std::fs::write(dir.join("facilities.csv"), generated.facilities_csv)
        .expect("temp dir writable");
    let scenario = dir.join("scenario.toml");
    std::fs::write(&scenario, generated.scenario_toml).expect("temp dir writable");
    scenario
}

/// The aluminium plugin built by `cargo build --release`, if it is there.
fn aluminium_plugin() -> Option<LoadedPlugin> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/release")
        .join(metalplan_core::plugin_host::plugin_file_name("aluminium"));
    match LoadedPlugin::load(&file) {
        Ok(plugin) => Some(plugin),
        Err(error) => {
            eprintln!("plugin stage skipped: {error} (run `cargo build --release` first)");
            None
        }
    }
}

fn label(model: &Model) -> String {
    format!("{} vars", model.columns.len())
}

fn scale(c: &mut Criterion) {
    let max_facilities: usize = std::env::var("METALPLAN_BENCH_MAX_FACILITIES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(usize::MAX);
    let plugin = aluminium_plugin();
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    for facilities in FACILITIES.into_iter().filter(|&n| n <= max_facilities) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = write_scenario(dir.path(), facilities);
        let scenario = load_scenario(&file)
            .expect("generated scenarios are valid")
            .scenario;
        let model = Model::build(&scenario);
        let size = label(&model);
        eprintln!(
            "{facilities} facilities: {} columns, {} rows, {} nonzeros",
            model.columns.len(),
            model.rows.len(),
            model.rows.iter().map(|row| row.terms.len()).sum::<usize>()
        );
        group.bench_function(BenchmarkId::new("load", &size), |b| {
            b.iter(|| load_scenario(black_box(&file)));
        });
        group.bench_function(BenchmarkId::new("build", &size), |b| {
            b.iter(|| Model::build(black_box(&scenario)));
        });
        if let Some(plugin) = &plugin {
            group.bench_function(BenchmarkId::new("plugin", &size), |b| {
                b.iter_batched(
                    || model.clone(),
                    |mut model| {
                        let rules = plugin
                            .rules_for(&scenario, &BTreeMap::new())
                            .expect("the aluminium plugin accepts generated scenarios");
                        model
                            .add_plugin(&scenario, &rules.name, &rules.contribution)
                            .expect("its rules fit the model");
                        model
                    },
                    BatchSize::LargeInput,
                );
            });
        }
        let solution = if facilities <= MAX_SOLVED_FACILITIES {
            let options = SolveOptions {
                solver: SolverKind::Highs,
                ..SolveOptions::default()
            };
            group.bench_function(BenchmarkId::new("solve", &size), |b| {
                b.iter(|| {
                    solve::solve(black_box(&model), options).expect("feasible by construction")
                });
            });
            solve::solve(&model, options).expect("feasible by construction")
        } else {
            Solution {
                solver: SolverKind::Highs,
                objective: ObjectiveKind::Cost,
                values: vec![0.0; model.columns.len()],
                row_duals: vec![0.0; model.rows.len()],
                shortfall_row_duals: None,
                ranging: None,
            }
        };
        group.bench_function(BenchmarkId::new("results and check", &size), |b| {
            b.iter(|| {
                let result = results::build_results(&scenario, &model, black_box(&solution), &[]);
                verify::verify_plan(&scenario, &[], &result)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, scale);
criterion_main!(benches);

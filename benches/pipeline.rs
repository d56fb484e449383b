//! The stages of one run on the shipped China scenario, measured apart: parsing and validation,
//! model construction, solving with each solver, and result extraction with the plan check.
//! Plugins are left out here: they are loaded from shared libraries built by `cargo build`.
//!
//! Run with `cargo bench -p metalplan-suite --bench pipeline`.

// criterion's macros generate undocumented items.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use metalplan_core::scenario::{parse_scenario, SourceFormat};
use metalplan_core::{model::Model, results, solve, verify, SolveOptions, SolverKind};

const CHINA: &str = include_str!("../scenarios/china-2025-2026.toml");

fn china_without_plugins() -> metalplan_core::Scenario {
    let mut scenario = parse_scenario(
        CHINA.to_string(),
        Path::new("china-2025-2026.toml"),
        SourceFormat::Toml,
    )
    .expect("the shipped scenario is valid")
    .scenario;
    scenario.plugins.clear();
    scenario
}

fn pipeline(c: &mut Criterion) {
    let scenario = china_without_plugins();
    c.bench_function("parse and validate", |b| {
        b.iter(|| {
            parse_scenario(
                black_box(CHINA.to_string()),
                Path::new("china.toml"),
                SourceFormat::Toml,
            )
        });
    });
    c.bench_function("build model", |b| {
        b.iter(|| Model::build(black_box(&scenario)));
    });
    let model = Model::build(&scenario);
    for solver in [SolverKind::Highs, SolverKind::Clarabel] {
        let options = SolveOptions {
            solver,
            ..SolveOptions::default()
        };
        c.bench_function(&format!("solve ({solver})"), |b| {
            b.iter(|| solve::solve(black_box(&model), options).expect("China solves"));
        });
    }
    let solution = solve::solve(&model, SolveOptions::default()).expect("China solves");
    c.bench_function("results and check", |b| {
        b.iter(|| {
            let result = results::build_results(&scenario, &model, black_box(&solution), &[]);
            verify::verify_plan(&scenario, &[], &result)
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = pipeline
}
criterion_main!(benches);

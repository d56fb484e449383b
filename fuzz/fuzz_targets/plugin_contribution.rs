//! Arbitrary bytes as a plugin's JSON reply (a `Contribution`), checked against the China model.
//!
//! What a plugin returns is untrusted: `Model::add_plugin` must accept it or list its problems,
//! never panic. Accepted rules then go through the plan checker with an empty plan. Bytes that are
//! not a `Contribution` are skipped: serde_json's own robustness is not under test.

#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use metalplan_core::results::PlanResult;
use metalplan_core::verify::verify_plan;
use metalplan_core::scenario::{parse_scenario, SourceFormat};
use metalplan_core::{Model, PluginRules, Scenario};
use metalplan_plugin::Contribution;

/// The shipped China scenario and its model, parsed and built once.
static CHINA: LazyLock<(Scenario, Model)> = LazyLock::new(|| {
    let text = include_str!("../../scenarios/china-2025-2026.toml");
    let loaded = parse_scenario(
        text.to_string(),
        Path::new("scenarios/china-2025-2026.toml"),
        SourceFormat::Toml,
    )
    .expect("the shipped China scenario is valid");
    let model = Model::build(&loaded.scenario);
    (loaded.scenario, model)
});

fuzz_target!(|data: &[u8]| {
    let Ok(contribution) = serde_json::from_slice::<Contribution>(data) else {
        return;
    };
    let (scenario, model) = &*CHINA;
    let mut model = model.clone();
    match model.add_plugin(scenario, "fuzz", &contribution) {
        Ok(()) => {
            let rules = PluginRules {
                name: "fuzz".to_string(),
                version: "0.0.0".to_string(),
                path: PathBuf::from("fuzz.so"),
                sha256: String::new(),
                contribution,
            };
            let violations = verify_plan(scenario, &[rules], &PlanResult::default());
            std::hint::black_box(&violations);
        }
        Err(error) => {
            std::hint::black_box(error.to_string());
        }
    }
});

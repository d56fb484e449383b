//! Arbitrary bytes as a JSON scenario file.
//!
//! Parsing and validation must turn any text into a scenario or into problems (with the line and
//! column serde_json reports), never panic; the error must also render. A scenario that
//! validates must build a model (`Model::build` may only panic on unvalidated input) and pass
//! through the independent plan checker with an empty plan (which reports missing rows).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use metalplan_core::results::PlanResult;
use metalplan_core::verify::verify_plan;
use metalplan_core::scenario::{parse_scenario, SourceFormat};
use metalplan_core::Model;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_scenario(text.to_string(), Path::new("fuzz.json"), SourceFormat::Json) {
        Ok(loaded) => {
            let model = Model::build(&loaded.scenario);
            std::hint::black_box(&model);
            let violations = verify_plan(&loaded.scenario, &[], &PlanResult::default());
            std::hint::black_box(&violations);
        }
        Err(error) => {
            std::hint::black_box(error.to_string());
        }
    }
});

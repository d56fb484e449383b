//! `metalplan generate`: write a synthetic plant-level scenario and its facilities CSV.

use std::process::ExitCode;

use metalplan_core::generate::{generate, GeneratorSpec, FACILITIES_FILE};

use crate::args::GenerateArgs;
use crate::failure::Failure;
use crate::output;

/// Runs `metalplan generate`.
pub fn run(args: &GenerateArgs, globals: &crate::Globals) -> Result<ExitCode, Failure> {
    let spec = GeneratorSpec {
        facilities: args.facilities,
        years: args.years,
        seed: args.seed,
        memory_limit_bytes: globals.memory_limit_bytes,
    };
    let generated = generate(spec).map_err(|error| Failure::Core(error.into()))?;
    std::fs::create_dir_all(&args.output).map_err(|error| {
        Failure::Output(format!("cannot create {}: {error}", args.output.display()))
    })?;
    let scenario = args.output.join("scenario.toml");
    // The CSV first: a scenario file is only ever written next to the CSV it names.
    output::write(
        Some(&args.output.join(FACILITIES_FILE)),
        &generated.facilities_csv,
    )
    .and_then(|()| output::write(Some(&scenario), &generated.scenario_toml))
    .map_err(Failure::Output)?;
    eprintln!(
        "wrote {} and {} ({} facilities, {} years, seed {})",
        scenario.display(),
        args.output.join(FACILITIES_FILE).display(),
        args.facilities,
        args.years,
        args.seed
    );
    Ok(ExitCode::SUCCESS)
}

//! The short commands: `check` (validate a scenario), `verify` (check a plan against one) and
//! `export` (write its model for another solver).

use std::path::Path;
use std::process::ExitCode;

use metalplan_core::verify::VERIFY_TOLERANCE;
use metalplan_core::Request;

use crate::args::ExportArgs;
use crate::failure::{exit, Failure};
use crate::output;

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// Runs `metalplan check SCENARIO`: validates it and lists the plugins a run would load, found
/// or not, allowed or not, loading none.
pub fn check(request: &Request) -> Result<ExitCode, Failure> {
    let scenario = request.scenario.as_path();
    let overlays = request.overlays.as_slice();
    let loaded = metalplan_core::app::check(request)?;
    let scenario_data = &loaded.scenario;
    let with = if overlays.is_empty() {
        String::new()
    } else {
        let shown: Vec<String> = overlays
            .iter()
            .map(|overlay| overlay.display().to_string())
            .collect();
        format!(" with {}", shown.join(", "))
    };
    println!(
        "{}{with}: valid ({} metal{}, base year {}, planning years {}-{}, {} plugin{}{})",
        scenario.display(),
        scenario_data.metals.len(),
        plural(scenario_data.metals.len()),
        scenario_data.base_year,
        scenario_data.years.first().copied().unwrap_or_default(),
        scenario_data.years.last().copied().unwrap_or_default(),
        scenario_data.plugins.len(),
        plural(scenario_data.plugins.len()),
        match scenario_data.constraints.len() {
            0 => String::new(),
            count => format!(", {count} constraint{}", plural(count)),
        },
    );
    let mut refused = false;
    for planned in metalplan_core::app::planned_plugins(request)? {
        let found = match &planned.library {
            Ok(library) => format!("{} (SHA-256 {})", library.path.display(), library.sha256),
            Err(reason) => {
                refused = true;
                format!("not usable: {reason}")
            }
        };
        let allowed = match &planned.allowed {
            Ok(why) => format!("allowed: {why}"),
            Err(why) => {
                refused = true;
                format!("{why}: give --allow-plugin PATH or SHA256 to run it")
            }
        };
        println!("  plugin {}: {found}; {allowed}", planned.named_as);
    }
    if refused {
        println!("  (a run would stop before loading any plugin; nothing was loaded)");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `metalplan verify SCENARIO PLAN.json`.
pub fn verify(request: &Request, plan_file: &Path) -> Result<ExitCode, Failure> {
    let violations = metalplan_core::app::verify(request, plan_file)?;
    let scenario_file = request.scenario.display();
    if violations.is_empty() {
        println!(
            "{}: the plan meets every constraint and target of {scenario_file} (tolerance \
             {VERIFY_TOLERANCE} relative)",
            plan_file.display(),
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "{}: {} violation{} of {scenario_file}:",
        plan_file.display(),
        violations.len(),
        plural(violations.len()),
    );
    for violation in &violations {
        eprintln!("  {}: {}", violation.constraint, violation.message);
    }
    Ok(ExitCode::from(exit::VIOLATED))
}

/// Runs `metalplan export SCENARIO --lp FILE --mps FILE`.
pub fn export(args: &ExportArgs, globals: &crate::Globals) -> Result<ExitCode, Failure> {
    if args.lp.is_none() && args.mps.is_none() {
        return Err(Failure::Usage(
            "nothing to write: give --lp FILE.lp and/or --mps FILE.mps".to_string(),
        ));
    }
    let objective = args.objective.into();
    let mut request = args
        .plugin_run
        .apply(globals.request(&args.scenario, &[], &args.plugins))?;
    request.options.objective = objective;
    let outputs = [args.lp.as_deref(), args.mps.as_deref()];
    crate::refuse_overwriting_inputs(&outputs, &request.input_files())?;
    let model = metalplan_core::app::build_model(&request)?;
    crate::refuse_overwriting_inputs(&outputs, &model.input_files(&request))?;
    if let Some(file) = &args.lp {
        output::write(Some(file), &model.lp_text(objective)).map_err(Failure::Output)?;
    }
    if let Some(file) = &args.mps {
        output::write(Some(file), &model.mps_text(objective)).map_err(Failure::Output)?;
    }
    Ok(ExitCode::SUCCESS)
}

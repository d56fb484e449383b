//! `metalplan plugins inspect`: what a plugin library is and, with a scenario, what it adds.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use metalplan_core::app::PluginIsolation;
use metalplan_core::PluginInspection;
use metalplan_plugin::{Contribution, VarRef};

use crate::failure::Failure;

/// Runs `metalplan plugins inspect PATH [--scenario S]`.
pub fn inspect(
    path: &Path,
    scenario: Option<&Path>,
    isolation: &PluginIsolation,
    globals: &crate::Globals,
) -> Result<ExitCode, Failure> {
    let request = scenario.map(|scenario| globals.request(scenario, &[], &[]));
    let inspection = metalplan_core::app::inspect_plugin(path, request.as_ref(), isolation)?;
    print!("{}", text(&inspection));
    Ok(ExitCode::SUCCESS)
}

/// The inspection as text.
fn text(inspection: &PluginInspection) -> String {
    let info = &inspection.info;
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(text, "plugin:      {}", info.name);
    let _ = writeln!(text, "version:     {}", info.version);
    let _ = writeln!(text, "ABI version: {}", inspection.abi_version);
    let _ = writeln!(text, "file:        {}", inspection.path.display());
    if !info.description.is_empty() {
        let _ = writeln!(text, "about:       {}", info.description);
    }
    let _ = writeln!(text, "parameters:");
    if info.parameters.is_empty() {
        let _ = writeln!(text, "  (none)");
    }
    for parameter in &info.parameters {
        let status = match (&parameter.default, parameter.required) {
            (_, true) => "required".to_string(),
            (Some(default), false) => format!("default {default}"),
            (None, false) => "optional".to_string(),
        };
        let _ = writeln!(
            text,
            "  {} ({status}): {}",
            parameter.name, parameter.description
        );
    }
    if let Some((scenario_file, contribution)) = &inspection.for_scenario {
        let _ = writeln!(text, "\nfor {}:", scenario_file.display());
        contribution_text(&mut text, &info.name, contribution);
    }
    text
}

/// What a plugin adds: its constraints, variables, objective terms and figures.
fn contribution_text(text: &mut String, plugin: &str, contribution: &Contribution) {
    let _ = writeln!(text, "constraints ({}):", contribution.constraints.len());
    for constraint in &contribution.constraints {
        let terms: Vec<String> = constraint
            .terms
            .iter()
            .map(|term| format!("{:+} {}", term.coefficient, var_text(&term.var)))
            .collect();
        let _ = writeln!(
            text,
            "  plugin.{plugin}.{}: {} {} {}",
            constraint.name,
            terms.join(" "),
            constraint.sense,
            constraint.rhs
        );
    }
    let _ = writeln!(text, "variables ({}):", contribution.variables.len());
    for variable in &contribution.variables {
        let upper = variable
            .upper
            .map_or_else(|| "inf".to_string(), |upper| upper.to_string());
        let _ = writeln!(text, "  {} in [{}, {upper}]", variable.name, variable.lower);
    }
    let _ = writeln!(text, "objective terms ({}):", contribution.objective.len());
    for term in &contribution.objective {
        let _ = writeln!(
            text,
            "  {} CNY per unit of {}",
            term.cost_cny_per_unit,
            var_text(&term.var)
        );
    }
    let _ = writeln!(text, "figures ({}):", contribution.figures.len());
    for figure in &contribution.figures {
        let year = figure
            .year
            .map(|year| format!(" {year}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "  {}{year}: {} {}",
            figure.name, figure.value, figure.unit
        );
    }
}

fn var_text(var: &VarRef) -> String {
    serde_json::to_string(var).unwrap_or_else(|_| format!("{var:?}"))
}

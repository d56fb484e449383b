//! Renders scenario errors for people: one `FILE:LINE:COL: PATH: MESSAGE` line per problem and,
//! on a terminal, the offending source line underlined by miette.

use std::io::IsTerminal;
use std::path::Path;

use metalplan_core::{Problem, ScenarioError};
use miette::{Diagnostic, GraphicalReportHandler, NamedSource, SourceSpan};

/// One problem as a miette diagnostic pointing into the scenario text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}")]
struct SourceProblem {
    path: String,
    #[source_code]
    source_code: NamedSource<String>,
    #[label("{message}")]
    span: SourceSpan,
    message: String,
}

/// Prints `error` to stderr.
pub fn report_scenario_error(error: &ScenarioError) {
    eprintln!("error: {error}");
    let problems: Vec<(&Path, &str, &Problem)> = match error {
        ScenarioError::Syntax {
            file,
            text,
            problem,
        } => vec![(file.as_path(), text.as_str(), problem.as_ref())],
        ScenarioError::Invalid {
            file,
            text,
            problems,
        } => problems
            .iter()
            .map(|problem| (file.as_path(), text.as_str(), problem))
            .collect(),
        ScenarioError::Overlay { sources, problems } => problems
            .iter()
            .filter_map(|sourced| {
                let source = sources.get(sourced.source)?;
                Some((
                    source.file.as_path(),
                    source.text.as_str(),
                    &sourced.problem,
                ))
            })
            .collect(),
        _ => return,
    };
    if !std::io::stderr().is_terminal() {
        return;
    }
    let handler = GraphicalReportHandler::new();
    for (file, text, problem) in problems {
        let Some(location) = &problem.location else {
            continue;
        };
        let diagnostic = SourceProblem {
            path: if problem.path.is_empty() {
                problem.message.clone()
            } else {
                problem.path.clone()
            },
            source_code: NamedSource::new(file.display().to_string(), text.to_string()),
            span: (location.span.start, location.span.len()).into(),
            message: problem.message.clone(),
        };
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &diagnostic).is_ok() {
            eprint!("{rendered}");
        }
    }
}

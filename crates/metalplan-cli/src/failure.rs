//! What can stop a command, and the one place that turns it into words on stderr and an exit
//! code (README, "Exit codes").

use metalplan_core::error::PluginError;
use metalplan_core::generate::GenerateError;
use metalplan_core::{Error, ScenarioError};

use crate::diagnostics;

/// Exit codes, as documented in the README.
pub mod exit {
    /// Usage or input error: a bad scenario, plugin, option or file.
    pub const INPUT: u8 = 1;
    /// No plan meets every target and limit together.
    pub const INFEASIBLE: u8 = 2;
    /// The solver found no optimal plan, or its plan failed verification.
    pub const SOLVER: u8 = 3;
    /// `verify`: the plan breaks a constraint or target.
    pub const VIOLATED: u8 = 4;
    /// `solve --replay`: an input changed since the result was written, or the plan differs.
    pub const REPLAY_MISMATCH: u8 = 5;
    /// `calibrate`: a metal's output could not be brought within the tolerance.
    pub const NOT_CALIBRATED: u8 = 6;
}

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The core could not carry out the request.
    Core(Error),
    /// The arguments do not make sense together.
    Usage(String),
    /// An output could not be written.
    Output(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Core(error)
    }
}

impl Failure {
    /// The exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Core(Error::Infeasible { .. }) => exit::INFEASIBLE,
            Failure::Core(Error::Solve { .. } | Error::VerifyFailed { .. }) => exit::SOLVER,
            Failure::Core(_) | Failure::Usage(_) | Failure::Output(_) => exit::INPUT,
        }
    }

    /// Tells the user, on stderr.
    pub fn report(&self) {
        match self {
            Failure::Core(Error::Scenario(
                ScenarioError::NotRegular { .. } | ScenarioError::FacilitiesOutside { .. },
            )) => eprintln!("error: {}", self.message()),
            Failure::Core(Error::Scenario(error)) => diagnostics::report_scenario_error(error),
            Failure::Core(Error::Infeasible { conflict, .. }) => {
                eprintln!("error: {}", self.message());
                match conflict {
                    Ok(rows) if !rows.is_empty() => {
                        eprintln!(
                            "these cannot hold together (drop or relax any one of them and the rest can):"
                        );
                        for row in rows {
                            eprintln!("  - {}: {} [{}]", row.name, row.meaning, row.field);
                        }
                    }
                    Ok(_) => eprintln!("no smaller conflicting set was found"),
                    Err(error) => eprintln!("the conflict could not be narrowed down: {error}"),
                }
            }
            _ => eprintln!("error: {}", self.message()),
        }
    }

    /// The message, in the command line's terms: flags and environment variables named where
    /// they are the way out.
    fn message(&self) -> String {
        match self {
            Failure::Core(Error::Generate(GenerateError::TooFewFacilities { given, routes })) => {
                format!(
                    "--facilities {given} is too few: each of the {routes} routes needs at least one facility"
                )
            }
            Failure::Core(Error::Generate(GenerateError::Years { given, max })) => {
                format!("--years {given} is outside 1 to {max}")
            }
            _ => match self.way_out() {
                Some(way_out) => format!("{}{way_out}", self.core_text()),
                None => self.core_text(),
            },
        }
    }

    /// What to add to the core's message: the flag or variable that is the way out.
    fn way_out(&self) -> Option<String> {
        let Failure::Core(error) = self else {
            return None;
        };
        let text = match error {
            Error::Plugin { source, .. } => match source {
                PluginError::NotFound { .. } => {
                    " (the plugin folders are METALPLAN_PLUGIN_PATH's, \
                     then the metalplan executable's; set METALPLAN_PLUGIN_PATH to add one)"
                        .to_string()
                }
                PluginError::HostUnavailable { .. } => " (or give --plugin-isolation in-process \
                     to load plugins into metalplan itself)"
                    .to_string(),
                PluginError::TimedOut { .. } => {
                    "\n(give --plugin-timeout SECONDS for a longer limit)".to_string()
                }
                PluginError::NotAllowed {
                    library, sha256, ..
                } => format!(
                    "\nto run it, give --allow-plugin {} (or --allow-plugin {sha256}), add \
                     {sha256} to the trust file {}, or put the library in a folder on \
                     METALPLAN_PLUGIN_PATH",
                    library.display(),
                    crate::trust::trust_file().map_or_else(
                        || "~/.config/metalplan/trusted-plugins".to_string(),
                        |file| file.display().to_string()
                    ),
                ),
                _ => return None,
            },
            Error::Scenario(ScenarioError::NotRegular { .. }) => {
                " (--allow-special-files allows them)".to_string()
            }
            Error::Scenario(ScenarioError::FacilitiesOutside { .. }) => {
                " (--allow-facilities-outside allows them)".to_string()
            }
            Error::TooLarge { .. } | Error::Generate(GenerateError::TooLarge { .. }) => {
                " (the limit is --memory-limit-mib, by default half the machine's memory)"
                    .to_string()
            }
            _ => return None,
        };
        Some(text)
    }

    fn core_text(&self) -> String {
        match self {
            Failure::Core(error) => error.to_string(),
            Failure::Usage(message) | Failure::Output(message) => message.clone(),
        }
    }
}

//! `metalplan-plugin-host`: runs metalplan's constraint plugins in a process of their own, so
//! that a plugin that crashes, aborts, exits, loops or runs out of memory cannot take metalplan
//! down (docs/plugins.md, "Isolation"). metalplan starts it, writes requests to its stdin and
//! reads the answers from its stdout; the host points its own stdout at stderr before loading
//! anything, so what a plugin prints never mixes with the answers.
//!
//! Usage (by metalplan, not by hand): `metalplan-plugin-host [--memory-limit-bytes N]`.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::os::fd::AsFd;
use std::process::ExitCode;

use metalplan_plugin_host::library::Library;
use metalplan_plugin_host::protocol::{Request, Response};

fn main() -> ExitCode {
    match serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("metalplan-plugin-host: {message}");
            ExitCode::from(2)
        }
    }
}

fn serve() -> Result<(), String> {
    let memory_limit = memory_limit()?;
    if let Some(bytes) = memory_limit {
        let limit = rustix::process::Rlimit {
            current: Some(bytes),
            maximum: Some(bytes),
        };
        rustix::process::setrlimit(rustix::process::Resource::As, limit)
            .map_err(|error| format!("cannot set the memory limit: {error}"))?;
    }
    // The answers go to the original stdout; fd 1 then points at stderr for the plugins.
    let answers = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|error| format!("cannot keep the answer pipe: {error}"))?;
    rustix::stdio::dup2_stdout(std::io::stderr().as_fd())
        .map_err(|error| format!("cannot point stdout at stderr: {error}"))?;
    let mut answers = BufWriter::new(File::from(answers));
    let mut requests = BufReader::new(std::io::stdin().lock());
    let mut libraries: Vec<Library> = Vec::new();
    loop {
        let request = match Request::read(&mut requests) {
            Ok(Some(request)) => request,
            // metalplan closed the pipe: the run is over.
            Ok(None) => return Ok(()),
            Err(error) => {
                let _ = Response::Protocol(error.to_string()).write(&mut answers);
                return Err(format!("cannot read a request: {error}"));
            }
        };
        let response = answer(&mut libraries, request);
        response
            .write(&mut answers)
            .and_then(|()| answers.flush())
            .map_err(|error| format!("cannot answer: {error}"))?;
    }
}

fn answer(libraries: &mut Vec<Library>, request: Request) -> Response {
    match request {
        Request::Load { path, sha256 } => match Library::load(&path, &sha256) {
            Err(error) => Response::LoadFailed(error),
            Ok(library) => match library.info() {
                Err(bad) => Response::BadBuffer(bad.length),
                Ok(info) => {
                    libraries.push(library);
                    Response::Loaded {
                        plugin: u32::try_from(libraries.len() - 1).unwrap_or(u32::MAX),
                        info,
                    }
                }
            },
        },
        Request::Build { plugin, context } => match libraries.get(plugin as usize) {
            None => Response::Protocol(format!("no plugin number {plugin} is loaded")),
            Some(library) => match library.build(&context) {
                Ok(reply) => Response::Built(reply),
                Err(bad) => Response::BadBuffer(bad.length),
            },
        },
    }
}

/// `--memory-limit-bytes N`, the only option.
fn memory_limit() -> Result<Option<u64>, String> {
    let mut arguments = std::env::args().skip(1);
    let mut limit = None;
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--memory-limit-bytes" => {
                let value = arguments
                    .next()
                    .ok_or("--memory-limit-bytes needs a number of bytes")?;
                let bytes = value.parse::<u64>().map_err(|_| {
                    format!("--memory-limit-bytes `{value}` is not a number of bytes")
                })?;
                limit = Some(bytes);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(limit)
}

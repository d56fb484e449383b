//! The plugin host process seen from metalplan (docs/plugins.md, "Isolation"): started once
//! per run (or sweep) when a plugin is to be loaded, fed requests on its stdin, read with a time
//! limit per call. A crash, abort, signal, exit, time-out, out-of-memory or broken pipe ends in
//! a [`PluginError`] naming the plugin whose call was running, what happened and the host's last
//! stderr lines; metalplan itself carries on to report it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use metalplan_plugin_host::protocol::{Request, Response};

use crate::error::PluginError;

/// Stderr lines of the host kept for messages.
const STDERR_LINES_KEPT: usize = 12;

/// How plugins run: in a plugin host process (the default), or inside metalplan.
#[derive(Debug, Clone, PartialEq)]
pub enum PluginIsolation {
    /// Each run starts a `metalplan-plugin-host` process that loads and calls its plugins.
    OutOfProcess(HostSettings),
    /// Plugins are loaded into metalplan's own process: no process to start, no protection.
    InProcess,
}

impl Default for PluginIsolation {
    fn default() -> Self {
        PluginIsolation::OutOfProcess(HostSettings::default())
    }
}

/// The plugin host's binary and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct HostSettings {
    /// The host binary; `None`: `metalplan-plugin-host` beside the running executable (or one
    /// folder up, for test executables in `target/<profile>/deps`).
    pub host: Option<PathBuf>,
    /// The longest one plugin call may take.
    pub call_timeout: Duration,
    /// The host process's address-space limit, bytes.
    pub memory_limit_bytes: u64,
}

/// Default time limit per plugin call.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Default address-space limit of the plugin host: 4 GiB.
pub const DEFAULT_MEMORY_LIMIT_BYTES: u64 = 4 << 30;

impl Default for HostSettings {
    fn default() -> Self {
        HostSettings {
            host: None,
            call_timeout: DEFAULT_CALL_TIMEOUT,
            memory_limit_bytes: DEFAULT_MEMORY_LIMIT_BYTES,
        }
    }
}

impl HostSettings {
    /// The host binary these settings name or find.
    pub fn host_binary(&self) -> Result<PathBuf, PluginError> {
        if let Some(host) = &self.host {
            return Ok(host.clone());
        }
        let name = metalplan_plugin_host::host_file_name();
        let executable = std::env::current_exe().map_err(|error| PluginError::HostUnavailable {
            host: PathBuf::from(&name),
            reason: format!("cannot tell where the running executable is: {error}"),
        })?;
        let folder = executable.parent().unwrap_or_else(|| Path::new("."));
        let beside = folder.join(&name);
        let found = [Some(folder), folder.parent()]
            .into_iter()
            .flatten()
            .map(|folder| folder.join(&name))
            .find(|candidate| candidate.is_file());
        found.ok_or_else(|| PluginError::HostUnavailable {
            host: beside,
            reason: "not found beside the running executable; build it with the workspace \
                     (cargo build), or run plugins in process"
                .to_string(),
        })
    }
}

/// A running plugin host.
pub struct HostProcess {
    child: Child,
    requests: Option<ChildStdin>,
    answers: Receiver<std::io::Result<Option<Response>>>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    call_timeout: Duration,
    memory_limit_bytes: u64,
    /// Why the host stopped, once it has: every later call fails with it.
    stopped: Option<(String, Vec<String>)>,
}

impl std::fmt::Debug for HostProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostProcess")
            .field("pid", &self.child.id())
            .field("stopped", &self.stopped)
            .finish_non_exhaustive()
    }
}

impl HostProcess {
    /// Starts the host with `settings`.
    pub fn start(settings: &HostSettings) -> Result<HostProcess, PluginError> {
        let host = settings.host_binary()?;
        let mut child = Command::new(&host)
            .arg("--memory-limit-bytes")
            .arg(settings.memory_limit_bytes.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| PluginError::HostUnavailable {
                host: host.clone(),
                reason: format!("cannot start it: {error}"),
            })?;
        let (Some(requests), Some(mut stdout), Some(stderr_pipe)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PluginError::HostUnavailable {
                host,
                reason: "its pipes could not be opened".to_string(),
            });
        };
        let (sender, answers) = mpsc::channel();
        std::thread::spawn(move || loop {
            let answer = Response::read(&mut stdout);
            let last = !matches!(answer, Ok(Some(_)));
            if sender.send(answer).is_err() || last {
                break;
            }
        });
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        let kept = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr_pipe).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut kept) = kept.lock() {
                    if kept.len() == STDERR_LINES_KEPT {
                        kept.pop_front();
                    }
                    kept.push_back(shown_line(&line));
                }
            }
        });
        Ok(HostProcess {
            child,
            requests: Some(requests),
            answers,
            stderr,
            call_timeout: settings.call_timeout,
            memory_limit_bytes: settings.memory_limit_bytes,
            stopped: None,
        })
    }

    /// Sends `request` for `plugin`'s `call` and waits for the answer, at most the time limit.
    pub fn call(
        &mut self,
        plugin: &str,
        call: &str,
        request: &Request,
    ) -> Result<Response, PluginError> {
        if let Some((what, stderr)) = &self.stopped {
            return Err(PluginError::Crashed {
                plugin: plugin.to_string(),
                call: call.to_string(),
                what: format!("could not run: the plugin host had stopped earlier ({what})"),
                stderr: stderr.clone(),
            });
        }
        let written = match self.requests.as_mut() {
            Some(pipe) => request.write(pipe).is_ok(),
            None => false,
        };
        let answer = if written {
            self.answers.recv_timeout(self.call_timeout)
        } else {
            Err(RecvTimeoutError::Disconnected)
        };
        match answer {
            Ok(Ok(Some(response))) => Ok(response),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                let stderr = self.stderr_lines();
                self.stopped = Some((
                    "it was stopped after a time-out".to_string(),
                    stderr.clone(),
                ));
                Err(PluginError::TimedOut {
                    plugin: plugin.to_string(),
                    call: call.to_string(),
                    seconds: self.call_timeout.as_secs_f64(),
                    stderr,
                })
            }
            // The answer pipe closed or broke: the host has stopped (or is stopping).
            Ok(Ok(None) | Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let what = match self.exit_status() {
                    Some(status) => describe(status, self.memory_limit_bytes),
                    None => "closed its pipes and did not exit".to_string(),
                };
                let stderr = self.stderr_lines();
                self.stopped = Some((what.clone(), stderr.clone()));
                Err(PluginError::Crashed {
                    plugin: plugin.to_string(),
                    call: call.to_string(),
                    what,
                    stderr,
                })
            }
        }
    }

    /// The host's exit status, waiting a little for it to finish dying; kills it if it lingers.
    fn exit_status(&mut self) -> Option<ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return None;
                }
            }
        }
    }

    fn stderr_lines(&self) -> Vec<String> {
        // The stderr thread may still be reading the last lines of a host that just died.
        std::thread::sleep(Duration::from_millis(20));
        self.stderr
            .lock()
            .map(|lines| lines.iter().cloned().collect())
            .unwrap_or_default()
    }
}

impl Drop for HostProcess {
    fn drop(&mut self) {
        // Closing stdin ends the host's loop; kill it if it does not go.
        drop(self.requests.take());
        let deadline = Instant::now() + Duration::from_millis(500);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_)) | Err(_)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A stderr line as shown in a message: control characters escaped, cut at 300 characters.
fn shown_line(line: &str) -> String {
    let escaped: String = line
        .chars()
        .flat_map(|character| {
            let keep = !character.is_control() || character == '\t';
            let shown: Vec<char> = if keep {
                vec![character]
            } else {
                character.escape_default().collect()
            };
            shown
        })
        .collect();
    if escaped.chars().count() > 300 {
        format!("{}...", escaped.chars().take(300).collect::<String>())
    } else {
        escaped
    }
}

/// What an exit status says happened to the host.
fn describe(status: ExitStatus, memory_limit_bytes: u64) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let (name, hint) = match signal {
                4 => ("SIGILL", ""),
                6 => (
                    "SIGABRT",
                    ", for example on a stack overflow or a failed allocation",
                ),
                7 => ("SIGBUS", ""),
                8 => ("SIGFPE", ""),
                9 => ("SIGKILL", ", for example by the system out of memory"),
                11 => (
                    "SIGSEGV",
                    ", for example on a stack overflow or a failed allocation",
                ),
                15 => ("SIGTERM", ""),
                _ => ("", ""),
            };
            let limit = if hint.contains("allocation") || signal == 9 {
                format!(" (memory limit {} MiB)", memory_limit_bytes / (1024 * 1024))
            } else {
                String::new()
            };
            return if name.is_empty() {
                format!("was killed by signal {signal}")
            } else {
                format!("was killed by signal {signal} ({name}{hint}){limit}")
            };
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code} in the middle of the call"),
        None => "stopped".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_lines_are_escaped_and_cut() {
        assert_eq!(shown_line("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(shown_line(&"x".repeat(400)).len(), 303);
    }
}

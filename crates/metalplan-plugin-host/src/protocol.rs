//! The frames metalplan and `metalplan-plugin-host` exchange: metalplan writes requests to the
//! host's stdin, the host answers each on its protocol pipe (its original stdout; the plugins'
//! own prints go to stderr). A frame is a tag byte, a little-endian `u32` length and that many
//! bytes. The plugins' JSON replies travel as they are, uninterpreted.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use crate::library::{LoadError, MAX_REPLY_BYTES};

/// Frames larger than this are refused (a reply at the size limit plus a small header).
pub const MAX_FRAME_BYTES: usize = MAX_REPLY_BYTES + 4096;

/// What metalplan asks the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Load the library at this (canonical) path if its bytes hash to this SHA-256; answered by
    /// [`Response::Loaded`].
    Load {
        /// The library.
        path: PathBuf,
        /// The SHA-256 consent was given for, lower-case hex.
        sha256: String,
    },
    /// Call `metalplan_plugin_build` of the loaded library `plugin` with this context.
    Build {
        /// The library's number, in load order from 0.
        plugin: u32,
        /// The JSON context.
        context: Vec<u8>,
    },
}

/// What the host answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// The library is loaded under this number; its `metalplan_plugin_info` reply.
    Loaded {
        /// The library's number.
        plugin: u32,
        /// The info reply's bytes.
        info: Vec<u8>,
    },
    /// The `metalplan_plugin_build` reply's bytes.
    Built(Vec<u8>),
    /// The library cannot be loaded.
    LoadFailed(LoadError),
    /// The plugin returned a null or oversized buffer of this length.
    BadBuffer(usize),
    /// The host did not understand the request (a metalplan bug).
    Protocol(String),
}

const LOAD: u8 = b'L';
const BUILD: u8 = b'B';
const LOADED: u8 = b'l';
const BUILT: u8 = b'b';
const NOT_A_LIBRARY: u8 = b'n';
const UNREADABLE: u8 = b'r';
const CHANGED: u8 = b'c';
const MISSING_SYMBOL: u8 = b's';
const ABI_MISMATCH: u8 = b'a';
const BAD_BUFFER: u8 = b'z';
const PROTOCOL: u8 = b'p';

fn write_frame(writer: &mut impl Write, tag: u8, parts: &[&[u8]]) -> io::Result<()> {
    let length: usize = parts.iter().map(|part| part.len()).sum();
    let length = u32::try_from(length)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame too large"))?;
    writer.write_all(&[tag])?;
    writer.write_all(&length.to_le_bytes())?;
    for part in parts {
        writer.write_all(part)?;
    }
    writer.flush()
}

/// Reads one frame; `None` at a clean end of stream before a frame starts.
fn read_frame(reader: &mut impl Read) -> io::Result<Option<(u8, Vec<u8>)>> {
    let mut tag = [0_u8; 1];
    if reader.read(&mut tag)? == 0 {
        return Ok(None);
    }
    let mut length = [0_u8; 4];
    reader.read_exact(&mut length)?;
    let length = u32::from_le_bytes(length) as usize;
    if length > MAX_FRAME_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {length} bytes is larger than the {MAX_FRAME_BYTES}-byte limit"),
        ));
    }
    let mut body = vec![0_u8; length];
    reader.read_exact(&mut body)?;
    Ok(Some((tag[0], body)))
}

fn split_u32(body: &[u8]) -> Option<(u32, &[u8])> {
    let (number, rest) = body.split_first_chunk::<4>()?;
    Some((u32::from_le_bytes(*number), rest))
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

impl Request {
    /// Writes the request as one frame.
    pub fn write(&self, writer: &mut impl Write) -> io::Result<()> {
        match self {
            Request::Load { path, sha256 } => {
                let length =
                    u32::try_from(sha256.len()).map_err(|_| invalid("a hash longer than 4 GiB"))?;
                write_frame(
                    writer,
                    LOAD,
                    &[
                        &length.to_le_bytes(),
                        sha256.as_bytes(),
                        path_bytes(path)?.as_slice(),
                    ],
                )
            }
            Request::Build { plugin, context } => {
                write_frame(writer, BUILD, &[&plugin.to_le_bytes(), context])
            }
        }
    }

    /// Reads one request; `None` when metalplan closed the pipe.
    pub fn read(reader: &mut impl Read) -> io::Result<Option<Request>> {
        let Some((tag, body)) = read_frame(reader)? else {
            return Ok(None);
        };
        match tag {
            LOAD => {
                let (length, rest) =
                    split_u32(&body).ok_or_else(|| invalid("a load request without a hash"))?;
                let length = length as usize;
                if rest.len() < length {
                    return Err(invalid("a load request cut short"));
                }
                let (sha256, path) = rest.split_at(length);
                Ok(Some(Request::Load {
                    path: path_from(path.to_vec())?,
                    sha256: String::from_utf8_lossy(sha256).into_owned(),
                }))
            }
            BUILD => {
                let (plugin, context) =
                    split_u32(&body).ok_or_else(|| invalid("a build request without a plugin"))?;
                Ok(Some(Request::Build {
                    plugin,
                    context: context.to_vec(),
                }))
            }
            other => Err(invalid(&format!("unknown request tag {other}"))),
        }
    }
}

impl Response {
    /// Writes the response as one frame.
    pub fn write(&self, writer: &mut impl Write) -> io::Result<()> {
        match self {
            Response::Loaded { plugin, info } => {
                write_frame(writer, LOADED, &[&plugin.to_le_bytes(), info])
            }
            Response::Built(reply) => write_frame(writer, BUILT, &[reply]),
            Response::LoadFailed(LoadError::NotALibrary(message)) => {
                write_frame(writer, NOT_A_LIBRARY, &[message.as_bytes()])
            }
            Response::LoadFailed(LoadError::Unreadable(message)) => {
                write_frame(writer, UNREADABLE, &[message.as_bytes()])
            }
            Response::LoadFailed(LoadError::Changed(found)) => {
                write_frame(writer, CHANGED, &[found.as_bytes()])
            }
            Response::LoadFailed(LoadError::MissingSymbol(name)) => {
                write_frame(writer, MISSING_SYMBOL, &[name.as_bytes()])
            }
            Response::LoadFailed(LoadError::AbiMismatch(version)) => {
                write_frame(writer, ABI_MISMATCH, &[&version.to_le_bytes()])
            }
            Response::BadBuffer(length) => {
                write_frame(writer, BAD_BUFFER, &[&(*length as u64).to_le_bytes()])
            }
            Response::Protocol(message) => write_frame(writer, PROTOCOL, &[message.as_bytes()]),
        }
    }

    /// Reads one response; `None` when the host closed its end (it stopped).
    pub fn read(reader: &mut impl Read) -> io::Result<Option<Response>> {
        let Some((tag, body)) = read_frame(reader)? else {
            return Ok(None);
        };
        let text = |body: Vec<u8>| String::from_utf8_lossy(&body).into_owned();
        let response = match tag {
            LOADED => {
                let (plugin, info) =
                    split_u32(&body).ok_or_else(|| invalid("a load answer without a plugin"))?;
                Response::Loaded {
                    plugin,
                    info: info.to_vec(),
                }
            }
            BUILT => Response::Built(body),
            NOT_A_LIBRARY => Response::LoadFailed(LoadError::NotALibrary(text(body))),
            UNREADABLE => Response::LoadFailed(LoadError::Unreadable(text(body))),
            CHANGED => Response::LoadFailed(LoadError::Changed(text(body))),
            MISSING_SYMBOL => Response::LoadFailed(LoadError::MissingSymbol(text(body))),
            ABI_MISMATCH => {
                let (version, _) =
                    split_u32(&body).ok_or_else(|| invalid("an ABI answer without a version"))?;
                Response::LoadFailed(LoadError::AbiMismatch(version))
            }
            BAD_BUFFER => {
                let length = body
                    .first_chunk::<8>()
                    .map_or(0, |bytes| u64::from_le_bytes(*bytes));
                Response::BadBuffer(usize::try_from(length).unwrap_or(usize::MAX))
            }
            PROTOCOL => Response::Protocol(text(body)),
            other => return Err(invalid(&format!("unknown response tag {other}"))),
        };
        Ok(Some(response))
    }
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // fallible on other platforms
fn path_bytes(path: &std::path::Path) -> io::Result<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Ok(path.as_os_str().as_bytes().to_vec())
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // fallible on other platforms
fn path_from(bytes: Vec<u8>) -> io::Result<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    Ok(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn path_bytes(path: &std::path::Path) -> io::Result<Vec<u8>> {
    path.to_str()
        .map(|text| text.as_bytes().to_vec())
        .ok_or_else(|| invalid("a plugin path that is not UTF-8"))
}

#[cfg(not(unix))]
fn path_from(bytes: Vec<u8>) -> io::Result<PathBuf> {
    String::from_utf8(bytes)
        .map(PathBuf::from)
        .map_err(|_| invalid("a plugin path that is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_read_back_as_written() {
        let requests = [
            Request::Load {
                path: PathBuf::from("/tmp/libx.so"),
                sha256: "ab".repeat(32),
            },
            Request::Build {
                plugin: 3,
                context: b"{\"years\":[2025]}".to_vec(),
            },
        ];
        let responses = [
            Response::Loaded {
                plugin: 1,
                info: b"{\"ok\":{}}".to_vec(),
            },
            Response::Built(b"{\"ok\":{}}".to_vec()),
            Response::LoadFailed(LoadError::NotALibrary("invalid ELF header".to_string())),
            Response::LoadFailed(LoadError::Unreadable("permission denied".to_string())),
            Response::LoadFailed(LoadError::Changed("cd".repeat(32))),
            Response::LoadFailed(LoadError::MissingSymbol(
                "metalplan_plugin_info".to_string(),
            )),
            Response::LoadFailed(LoadError::AbiMismatch(999)),
            Response::BadBuffer(0),
            Response::Protocol("unknown request tag 7".to_string()),
        ];
        let mut bytes = Vec::new();
        for request in &requests {
            request.write(&mut bytes).expect("written");
        }
        let mut reader = bytes.as_slice();
        for request in &requests {
            assert_eq!(
                Request::read(&mut reader).expect("read").as_ref(),
                Some(request)
            );
        }
        assert_eq!(Request::read(&mut reader).expect("end"), None);
        let mut bytes = Vec::new();
        for response in &responses {
            response.write(&mut bytes).expect("written");
        }
        let mut reader = bytes.as_slice();
        for response in &responses {
            assert_eq!(
                Response::read(&mut reader).expect("read").as_ref(),
                Some(response)
            );
        }
    }

    #[test]
    fn oversized_and_cut_frames_are_errors() {
        let mut bytes = vec![BUILT];
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(Response::read(&mut bytes.as_slice()).is_err());
        let mut cut = vec![BUILT];
        cut.extend_from_slice(&10_u32.to_le_bytes());
        cut.extend_from_slice(b"abc");
        assert!(Response::read(&mut cut.as_slice()).is_err());
    }
}

//! Input files read safely, and outputs kept off inputs.
//!
//! Every input (scenario, overlay, facilities CSV, result file) is read through [`read_capped`]:
//! at most [`MAX_INPUT_BYTES`] are read, counted while reading rather than trusted from the
//! reported size (which is 0 for `/proc` files and meaningless for `/dev/zero`), and only
//! regular files are opened unless a [`ReadPolicy`] allows others: opening a FIFO with no
//! writer would wait for ever. [`same_file`] tells whether an output path would overwrite an
//! input of the same run (same inode, or the same canonical path).

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// No input file may hold more than this: real scenarios are kilobytes, plant-level facility
/// files a few megabytes.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// What reading input files may do beyond the safe defaults.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadPolicy {
    /// Read FIFOs, character devices and sockets too (still at most [`MAX_INPUT_BYTES`]).
    pub special_files: bool,
    /// Let `facilities_csv` name a file outside the scenario's folder (an absolute path, `..`,
    /// or a link that leads out).
    pub facilities_anywhere: bool,
}

/// Why an input file could not be read.
#[derive(Debug)]
pub enum ReadFailure {
    /// The operating system's reason.
    Io(std::io::Error),
    /// More than [`MAX_INPUT_BYTES`] came out of it.
    TooLarge,
    /// It is not a regular file (the kind it is, e.g. `a FIFO`), and the policy does not allow
    /// those.
    NotRegular(&'static str),
}

impl std::fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadFailure::Io(error) => write!(f, "cannot read it: {error}"),
            ReadFailure::TooLarge => write!(
                f,
                "it holds more than the {MAX_INPUT_BYTES}-byte limit of an input file"
            ),
            ReadFailure::NotRegular(kind) => write!(
                f,
                "it is {kind}, not a regular file; only regular files are read unless special \
                 files are allowed"
            ),
        }
    }
}

/// The kind of a file that is not a regular file, in words.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Whether `metadata` may be read under `policy`; a folder never may.
fn readable(metadata: &std::fs::Metadata, policy: ReadPolicy) -> Result<(), ReadFailure> {
    let file_type = metadata.file_type();
    if metadata.is_file() || (policy.special_files && !file_type.is_dir()) {
        Ok(())
    } else {
        Err(ReadFailure::NotRegular(kind_of(file_type)))
    }
}

/// The text of `file`, at most [`MAX_INPUT_BYTES`], without a leading byte-order mark.
///
/// The file's type is checked before it is opened (a FIFO is never opened unless allowed, so
/// never waited on) and again on the opened handle, in case the path changed in between.
pub fn read_capped(file: &Path, policy: ReadPolicy) -> Result<String, ReadFailure> {
    readable(&std::fs::metadata(file).map_err(ReadFailure::Io)?, policy)?;
    if !policy.special_files {
        refuse_kernel_files(file)?;
    }
    let opened = open_for_reading(file, policy).map_err(ReadFailure::Io)?;
    readable(&opened.metadata().map_err(ReadFailure::Io)?, policy)?;
    let mut bytes = Vec::new();
    opened
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadFailure::TooLarge);
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        ReadFailure::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Refuses the kernel's pseudo-files (`/proc`, `/sys`, `/dev`, also behind links): they call
/// themselves regular files, but hold the process's environment, memory maps and devices, never
/// a scenario; an error quoting one of their lines could leak a secret.
fn refuse_kernel_files(file: &Path) -> Result<(), ReadFailure> {
    let canonical = std::fs::canonicalize(file).map_err(ReadFailure::Io)?;
    let kernel = ["/proc", "/sys", "/dev"]
        .iter()
        .any(|folder| canonical.starts_with(folder));
    if kernel {
        Err(ReadFailure::NotRegular(
            "a file of the kernel's (under /proc, /sys or /dev)",
        ))
    } else {
        Ok(())
    }
}

/// Opens `file` for reading. Unless special files are allowed, the open does not wait: a FIFO
/// swapped in after the type check above opens at once (and is then refused by the check on the
/// open file) instead of blocking for a writer.
fn open_for_reading(file: &Path, policy: ReadPolicy) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    if !policy.special_files {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    let _ = policy;
    options.open(file)
}

/// Whether `output` names the same file as `input`: the same inode (hard links, links, other
/// spellings) or the same canonical path. False when `output` does not exist yet.
#[must_use]
pub fn same_file(output: &Path, input: &Path) -> bool {
    let (Ok(out), Ok(inp)) = (std::fs::metadata(output), std::fs::metadata(input)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if out.dev() == inp.dev() && out.ino() == inp.ino() {
            return true;
        }
    }
    let _ = (out, inp);
    match (std::fs::canonicalize(output), std::fs::canonicalize(input)) {
        (Ok(output), Ok(input)) => output == input,
        _ => false,
    }
}

/// The first of `inputs` that `output` would overwrite.
#[must_use]
pub fn overwritten_input<'a>(output: &Path, inputs: &'a [PathBuf]) -> Option<&'a PathBuf> {
    inputs.iter().find(|input| same_file(output, input))
}

/// `text` as it may appear in a message: control characters escaped (`\n`, `\u{1b}`), and cut
/// after `max_chars` characters with `…`, so a message never carries more of a file than a
/// short cell, and never a terminal escape.
#[must_use]
pub fn quoted(text: &str, max_chars: usize) -> String {
    let mut shown = String::new();
    for (count, character) in text.chars().enumerate() {
        if count == max_chars {
            shown.push('…');
            break;
        }
        if character.is_control() {
            shown.extend(character.escape_debug());
        } else {
            shown.push(character);
        }
    }
    shown
}

/// A number for a message: as written for ordinary sizes, in exponent form (`1e308`) for very
/// large or very small ones, so no message holds a 309-digit number.
#[must_use]
pub fn compact(value: f64) -> String {
    let size = value.abs();
    if value.is_finite() && size != 0.0 && !(1e-6..1e15).contains(&size) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(compact(1e308), "1e308");
        assert_eq!(compact(-2.5e20), "-2.5e20");
        assert_eq!(compact(1e-9), "1e-9");
        assert_eq!(compact(3.0), "3");
        assert_eq!(compact(-0.015), "-0.015");
        assert_eq!(compact(f64::INFINITY), "inf");
        assert_eq!(compact(123_456_789_012.0), "123456789012");
    }

    #[test]
    fn quoting_escapes_and_cuts() {
        assert_eq!(quoted("a\u{1b}[31mb", 40), "a\\u{1b}[31mb");
        assert_eq!(quoted("line\nnext", 40), "line\\nnext");
        assert_eq!(quoted("abcdef", 3), "abc…");
        assert_eq!(quoted("abc", 3), "abc");
    }

    #[test]
    fn reads_through_a_cap_and_drops_a_bom() {
        let folder = std::env::temp_dir().join(format!("metalplan-files-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("bom.json");
        std::fs::write(&file, "\u{feff}{}").unwrap();
        assert_eq!(read_capped(&file, ReadPolicy::default()).unwrap(), "{}");
        assert!(matches!(
            read_capped(&folder, ReadPolicy::default()),
            Err(ReadFailure::NotRegular("a folder"))
        ));
        #[cfg(target_os = "linux")]
        {
            let zero = Path::new("/dev/zero");
            assert!(matches!(
                read_capped(zero, ReadPolicy::default()),
                Err(ReadFailure::NotRegular("a character device"))
            ));
            let allowed = ReadPolicy {
                special_files: true,
                ..ReadPolicy::default()
            };
            assert!(matches!(
                read_capped(zero, allowed),
                Err(ReadFailure::TooLarge)
            ));
        }
        assert!(same_file(&file, &folder.join(".").join("bom.json")));
        assert!(!same_file(&folder.join("absent.json"), &file));
        std::fs::remove_dir_all(&folder).unwrap();
    }
}

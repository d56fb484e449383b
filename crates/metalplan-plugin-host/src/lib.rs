//! The plugin boundary of metalplan: loading a plugin library and calling its four C entry
//! points ([`library`]), and the frames metalplan and the `metalplan-plugin-host` process
//! exchange over pipes when plugins run out of process ([`protocol`]).
//!
//! Everything here moves bytes: the JSON a plugin returns is decoded and checked by
//! `metalplan-core`, which also decides which files may be loaded (docs/plugins.md, "Trust").
//! [`library`] is the only module with `unsafe` code.

pub mod library;
pub mod protocol;

/// The first of `path` and the folders above it that belongs to another user than the one
/// running (root aside), as ssh's `StrictModes` refuses such files: that user could replace the
/// code. `None` when every one is ours or root's (or ownership cannot be told on this
/// platform).
#[must_use]
pub fn owned_by_another_user(path: &std::path::Path) -> Option<(std::path::PathBuf, u32)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = rustix::process::getuid().as_raw();
        for candidate in path.ancestors() {
            if candidate.as_os_str().is_empty() {
                continue;
            }
            let Ok(metadata) = std::fs::metadata(candidate) else {
                continue;
            };
            let owner = metadata.uid();
            if owner != me && owner != 0 {
                return Some((candidate.to_path_buf(), owner));
            }
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The host binary's file name on this platform.
#[must_use]
pub fn host_file_name() -> String {
    format!("metalplan-plugin-host{}", std::env::consts::EXE_SUFFIX)
}

//! A plugin library loaded into the current process, and calls across its C boundary
//! (`metalplan-plugin`'s ABI 1). A library is loaded once and never unloaded: unloading
//! libraries with thread-local destructors is unsound in practice, so the function pointers
//! stay valid for the rest of the process.
#![allow(unsafe_code)]

use std::io::Read;
use std::path::Path;

use metalplan_plugin::{symbols, Buffer, ABI_VERSION};
use sha2::{Digest, Sha256};

/// Replies larger than this are refused: a plugin adds rules, not data sets.
pub const MAX_REPLY_BYTES: usize = 256 * 1024 * 1024;

type AbiVersionFn = unsafe extern "C" fn() -> u32;
type InfoFn = unsafe extern "C" fn() -> Buffer;
type BuildFn = unsafe extern "C" fn(*const u8, usize) -> Buffer;
type FreeFn = unsafe extern "C" fn(Buffer);

/// Why a library cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file cannot be opened or read (the system's reason).
    Unreadable(String),
    /// The file's bytes are not those consent was given for: it changed after it was checked
    /// (the SHA-256 of the bytes found).
    Changed(String),
    /// The dynamic loader refused the file (the loader's message).
    NotALibrary(String),
    /// A required symbol is missing (its name).
    MissingSymbol(String),
    /// The plugin was built for another ABI version (its version).
    AbiMismatch(u32),
}

/// A reply buffer that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBuffer {
    /// Its length in bytes (0 for a null buffer).
    pub length: usize,
}

/// A plugin library loaded into this process, its ABI version checked.
#[derive(Debug, Clone, Copy)]
pub struct Library {
    info: InfoFn,
    build: BuildFn,
    free: FreeFn,
}

/// The SHA-256 (lower-case hex) of everything `reader` yields.
pub fn sha256_of(mut reader: impl Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut chunk = vec![0_u8; 1 << 16];
    loop {
        let read = reader.read(&mut chunk)?;
        if read == 0 {
            break;
        }
        hasher.update(&chunk[..read]);
    }
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}

/// The name the dynamic loader is given for the open `file` found at `path`: on Linux the
/// descriptor itself (`/proc/self/fd/N`), so that the bytes loaded are the bytes hashed even if
/// the path is swapped in between; elsewhere the path.
#[cfg(target_os = "linux")]
fn loader_name(file: &std::fs::File, _path: &Path) -> std::path::PathBuf {
    use std::os::fd::AsRawFd;
    std::path::PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()))
}

#[cfg(not(target_os = "linux"))]
fn loader_name(_file: &std::fs::File, path: &Path) -> std::path::PathBuf {
    path.to_path_buf()
}

impl Library {
    /// Loads the library at `path`, which the caller has checked (an absolute, canonical path
    /// to a file the user consented to, whose bytes hash to `expected_sha256`): opens it,
    /// hashes what it reads, refuses bytes that are not the expected ones, loads that same open
    /// file, reads its ABI version first, then looks up the other symbols.
    pub fn load(path: &Path, expected_sha256: &str) -> Result<Library, LoadError> {
        let file =
            std::fs::File::open(path).map_err(|error| LoadError::Unreadable(error.to_string()))?;
        let found = sha256_of(&file).map_err(|error| LoadError::Unreadable(error.to_string()))?;
        if !found.eq_ignore_ascii_case(expected_sha256) {
            return Err(LoadError::Changed(found));
        }
        let name = loader_name(&file, path);
        // SAFETY: loading a library runs its initialisers with our rights. Callers pass only
        // files the user consented to (docs/plugins.md, "Trust"), and the bytes loaded are the
        // ones just hashed and compared: the loader opens the same open file. Everything else
        // about the library is checked below before use.
        let library = unsafe { libloading::Library::new(&name) }
            .map_err(|error| LoadError::NotALibrary(error.to_string()))?;
        // Kept open for the rest of the process, as the library stays loaded: the dynamic
        // loader knows the library by the name `/proc/self/fd/N`, and a closed descriptor's
        // number would be reused by the next library, which the loader would then take for
        // this one.
        std::mem::forget(file);
        // Never unloaded: see the module documentation.
        let library: &'static libloading::Library = Box::leak(Box::new(library));
        let abi_version: AbiVersionFn = symbol(library, symbols::ABI_VERSION)?;
        // SAFETY: the symbol has the documented signature `extern "C" fn() -> u32` in every ABI
        // version; it is read before any other symbol precisely so that a mismatch stops here.
        let version = unsafe { abi_version() };
        if version != ABI_VERSION {
            return Err(LoadError::AbiMismatch(version));
        }
        Ok(Library {
            info: symbol(library, symbols::INFO)?,
            build: symbol(library, symbols::BUILD)?,
            free: symbol(library, symbols::FREE)?,
        })
    }

    /// The bytes of the plugin's `metalplan_plugin_info` reply.
    pub fn info(&self) -> Result<Vec<u8>, BadBuffer> {
        // SAFETY: `metalplan_plugin_info` has the ABI-1 signature `extern "C" fn() -> Buffer`
        // (version checked in `load`) and takes no input.
        let reply = unsafe { (self.info)() };
        self.copied(reply)
    }

    /// The bytes of the plugin's `metalplan_plugin_build` reply to `context` (JSON).
    pub fn build(&self, context: &[u8]) -> Result<Vec<u8>, BadBuffer> {
        // SAFETY: ABI 1 signature `extern "C" fn(*const u8, usize) -> Buffer`; `context` is a
        // live, initialised allocation of `context.len()` bytes that outlives the call, and the
        // plugin only reads it during the call.
        let reply = unsafe { (self.build)(context.as_ptr(), context.len()) };
        self.copied(reply)
    }

    /// Copies a reply out of the plugin's buffer and hands the buffer back.
    fn copied(&self, buffer: Buffer) -> Result<Vec<u8>, BadBuffer> {
        let length = buffer.len();
        let bytes = if buffer.is_null() || length > MAX_REPLY_BYTES {
            None
        } else {
            // SAFETY: the plugin returned this buffer from an entry point and it is not null;
            // by the ABI contract it holds `len()` initialised bytes the plugin owns until we
            // pass the buffer to `metalplan_plugin_free`, which happens right after this copy.
            Some(unsafe { buffer.bytes() }.to_vec())
        };
        // SAFETY: the buffer came from this plugin and is handed back exactly once.
        unsafe { (self.free)(buffer) };
        bytes.ok_or(BadBuffer { length })
    }
}

fn symbol<T: Copy>(library: &'static libloading::Library, name: &str) -> Result<T, LoadError> {
    // SAFETY: `T` is one of the function-pointer types above, matching the documented signature
    // of `name` for ABI 1; symbols are looked up only after (or, for the version, in order to)
    // check the ABI version. The library is never unloaded, so the pointer stays valid.
    unsafe { library.get::<T>(name.as_bytes()) }
        .map(|symbol| *symbol)
        .map_err(|_| LoadError::MissingSymbol(name.to_string()))
}

//! The plugin side of the C boundary, called by the code [`crate::export_plugin!`] generates.
//!
//! This module is the SDK's one place with `unsafe` code; plugin authors never call it directly.
#![allow(unsafe_code)]

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use serde::Serialize;

use crate::{Plugin, PluginContext, Reply};

/// Bytes allocated by the plugin and handed to the host, which must return them through
/// `metalplan_plugin_free` (never free them itself: the two sides may use different allocators).
///
/// The fields are private: a `Buffer` is made only by the plugin side of this module from a
/// `Vec<u8>` it gives up, so its pointer, length and capacity always describe one live
/// allocation of the plugin's allocator until the buffer is freed. The host reads the bytes with
/// the `unsafe` [`Buffer::bytes`], whose contract says so.
#[repr(C)]
#[derive(Debug)]
pub struct Buffer {
    /// Start of the bytes.
    data: *mut u8,
    /// Number of bytes.
    length: usize,
    /// Allocated capacity, needed to free the allocation.
    capacity: usize,
}

impl Buffer {
    fn from_vec(bytes: Vec<u8>) -> Buffer {
        let mut bytes = std::mem::ManuallyDrop::new(bytes);
        Buffer {
            data: bytes.as_mut_ptr(),
            length: bytes.len(),
            capacity: bytes.capacity(),
        }
    }

    /// Whether the buffer holds no pointer at all (a plugin that broke the contract).
    #[must_use]
    pub fn is_null(&self) -> bool {
        self.data.is_null()
    }

    /// The number of bytes the buffer says it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether the buffer holds no bytes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The bytes.
    ///
    /// # Safety
    /// The buffer must have been returned by an entry point of a loaded plugin (which made it
    /// with this module) and not yet handed to that plugin's `metalplan_plugin_free`, and must
    /// not be null. The slice must not outlive that: copy it before freeing the buffer.
    #[must_use]
    pub unsafe fn bytes(&self) -> &[u8] {
        // SAFETY: by this function's contract the buffer is a live allocation of `length`
        // initialised bytes made by `from_vec`, and not null.
        unsafe { std::slice::from_raw_parts(self.data, self.length) }
    }
}

thread_local! {
    /// The message of the last panic on this thread, captured by the hook installed below.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static INSTALL_HOOK: Once = Once::new();

/// Runs `work` with panics caught, their message captured instead of printed.
///
/// A cdylib carries its own copy of std, so this hook sees only this plugin's panics and never
/// touches the host's. It is installed once and kept: swapping hooks per call would race when
/// the host calls from several threads.
fn guarded<T: Serialize>(work: impl FnOnce() -> Result<T, String>) -> Buffer {
    INSTALL_HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|location| format!(" at {}:{}", location.file(), location.line()))
                .unwrap_or_default();
            let message = format!("{}{location}", payload_text(info.payload()));
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(message));
        }));
    });
    LAST_PANIC.with(|last| last.borrow_mut().take());
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    let reply = match outcome {
        Ok(Ok(value)) => Reply::Ok(value),
        Ok(Err(message)) => Reply::Error(message),
        Err(payload) => Reply::Panic(
            LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_else(|| payload_text(payload.as_ref())),
        ),
    };
    let bytes = serde_json::to_vec(&reply).unwrap_or_else(|error| {
        // Serialising our own reply types cannot fail short of a NaN key; say so as an error.
        serde_json::to_vec(&Reply::<()>::Error(format!(
            "cannot encode the reply: {error}"
        )))
        .unwrap_or_default()
    });
    Buffer::from_vec(bytes)
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// `metalplan_plugin_info`.
#[must_use]
pub fn info<P: Plugin>() -> Buffer {
    guarded(|| Ok(P::default().info()))
}

/// `metalplan_plugin_build`.
///
/// # Safety
/// `input` must be null (answered with an error reply) or point to `length` initialised bytes
/// that stay alive and unmodified for the duration of the call, as the host guarantees
/// (docs/plugins.md, "The boundary").
#[must_use]
pub unsafe fn build<P: Plugin>(input: *const u8, length: usize) -> Buffer {
    guarded(|| {
        if input.is_null() {
            return Err("the host passed no context".to_string());
        }
        // SAFETY: this function's contract: `input` points to `length` initialised bytes that
        // outlive the call; it was checked for null above.
        let bytes = unsafe { std::slice::from_raw_parts(input, length) };
        let context: PluginContext = serde_json::from_slice(bytes)
            .map_err(|error| format!("cannot read the context the host sent: {error}"))?;
        let contribution = P::default().build(&context)?;
        let non_finite = contribution.non_finite_numbers();
        if non_finite.is_empty() {
            Ok(contribution)
        } else {
            Err(format!(
                "its reply holds numbers JSON cannot carry: {}",
                non_finite.join("; ")
            ))
        }
    })
}

/// `metalplan_plugin_free`.
///
/// # Safety
/// `buffer` must have been returned by an entry point of this same library (so made by
/// `Buffer::from_vec` with this library's allocator) and be handed back exactly once.
#[allow(clippy::needless_pass_by_value)] // the C entry point hands the buffer over by value
pub unsafe fn free(buffer: Buffer) {
    if buffer.data.is_null() {
        return;
    }
    // SAFETY: this function's contract: the pointer, length and capacity describe a live
    // `Vec<u8>` allocation of this library's allocator, freed here once.
    drop(unsafe { Vec::from_raw_parts(buffer.data, buffer.length, buffer.capacity) });
}

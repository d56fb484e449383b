//! The SDK for metalplan constraint plugins.
//!
//! A plugin is a `cdylib` crate that depends on this crate only. Its author implements
//! [`Plugin`] on a plain Rust type and calls [`export_plugin!`]; the macro generates the C entry
//! points the host looks for. The author writes no `unsafe` code.
//!
//! # The boundary
//!
//! Host and plugin share a C ABI only, so a plugin built with another rustc keeps loading:
//!
//! | symbol | signature | purpose |
//! |---|---|---|
//! | `metalplan_plugin_abi_version` | `extern "C" fn() -> u32` | read first; must equal the host's [`ABI_VERSION`] |
//! | `metalplan_plugin_info` | `extern "C" fn() -> Buffer` | JSON [`Reply`] of [`PluginInfo`] |
//! | `metalplan_plugin_build` | `extern "C" fn(*const u8, usize) -> Buffer` | JSON [`PluginContext`] in, JSON [`Reply`] of [`Contribution`] out |
//! | `metalplan_plugin_free` | `extern "C" fn(Buffer)` | frees a buffer the plugin returned |
//!
//! Data crosses as UTF-8 JSON bytes (the encoding is the serde form of the types below, see
//! `docs/plugins.md`). The plugin allocates every [`Buffer`] it returns and frees it when the host
//! hands it back to `metalplan_plugin_free`; the host owns the input bytes. Panics are caught
//! inside the plugin and come back as an error reply naming the panic message.

mod context;
mod contribution;
#[doc(hidden)]
pub mod entry;
mod keys;

pub use context::{
    year_table_default, DemandInfo, FeedInfo, GradeInfo, MetalInfo, PluginContext, PowerSourceInfo,
    RouteInfo, StageInfo, TradeInfo,
};
pub use contribution::{
    Constraint, Contribution, Figure, NewVariable, ObjectiveTerm, Term, VarRef,
};
pub use entry::Buffer;
pub use keys::{FeedSource, Route, Sense, Year};
/// Re-exported so plugins can build JSON parameter defaults without a dependency of their own.
pub use serde_json;

use serde::{Deserialize, Serialize};

/// The version of the boundary described above. The host refuses a plugin whose version differs.
pub const ABI_VERSION: u32 = 1;

/// Names of the exported symbols, shared by the macro and the host.
pub mod symbols {
    /// `extern "C" fn() -> u32`
    pub const ABI_VERSION: &str = "metalplan_plugin_abi_version";
    /// `extern "C" fn() -> Buffer`
    pub const INFO: &str = "metalplan_plugin_info";
    /// `extern "C" fn(*const u8, usize) -> Buffer`
    pub const BUILD: &str = "metalplan_plugin_build";
    /// `extern "C" fn(Buffer)`
    pub const FREE: &str = "metalplan_plugin_free";
}

/// What a plugin says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginInfo {
    /// Short name; prefixes every constraint and variable the plugin adds.
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// One line on what it adds.
    #[serde(default)]
    pub description: String,
    /// The parameters it reads from `[[plugins]] params` in the scenario.
    #[serde(default)]
    pub parameters: Vec<ParameterInfo>,
}

/// One parameter a plugin reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterInfo {
    /// Key in `params`.
    pub name: String,
    /// Meaning and unit.
    #[serde(default)]
    pub description: String,
    /// Whether the scenario must give it; the host refuses to run the plugin otherwise.
    #[serde(default)]
    pub required: bool,
    /// The value used when the scenario leaves it out.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
}

impl ParameterInfo {
    /// A required parameter.
    #[must_use]
    pub fn required(name: &str, description: &str) -> Self {
        ParameterInfo {
            name: name.to_string(),
            description: description.to_string(),
            required: true,
            default: None,
        }
    }

    /// An optional parameter with its default.
    #[must_use]
    pub fn optional(name: &str, description: &str, default: impl Into<serde_json::Value>) -> Self {
        ParameterInfo {
            name: name.to_string(),
            description: description.to_string(),
            required: false,
            default: Some(default.into()),
        }
    }
}

/// What crosses back from the plugin: a value or an error message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply<T> {
    /// Success.
    Ok(T),
    /// The plugin's error message.
    Error(String),
    /// The plugin panicked; the panic message.
    Panic(String),
}

/// A metal-specific rule set. Implement it on a type with a `Default` value and export it with
/// [`export_plugin!`].
pub trait Plugin: Default {
    /// Name, version and parameters.
    fn info(&self) -> PluginInfo;

    /// The constraints, variables, objective terms and figures this plugin adds for `context`.
    /// An `Err` is shown to the planner, prefixed by the plugin's name.
    fn build(&self, context: &PluginContext) -> Result<Contribution, String>;
}

/// Generates the C entry points for a [`Plugin`] type.
///
/// ```ignore
/// #[derive(Default)]
/// struct MyPlugin;
/// impl metalplan_plugin::Plugin for MyPlugin { /* ... */ }
/// metalplan_plugin::export_plugin!(MyPlugin);
/// ```
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        /// The boundary version this plugin was built for.
        #[no_mangle]
        pub extern "C" fn metalplan_plugin_abi_version() -> u32 {
            $crate::ABI_VERSION
        }

        /// The plugin's information as a JSON reply.
        #[no_mangle]
        pub extern "C" fn metalplan_plugin_info() -> $crate::Buffer {
            $crate::entry::info::<$plugin>()
        }

        /// Builds the plugin's contribution from a JSON context.
        ///
        /// # Safety
        /// `input` must point to `length` readable bytes for the duration of the call (or be
        /// null), as the metalplan host guarantees.
        #[no_mangle]
        pub unsafe extern "C" fn metalplan_plugin_build(
            input: *const u8,
            length: usize,
        ) -> $crate::Buffer {
            // SAFETY: the caller's contract above is `entry::build`'s.
            unsafe { $crate::entry::build::<$plugin>(input, length) }
        }

        /// Frees a buffer this plugin returned.
        ///
        /// # Safety
        /// `buffer` must come from one of this plugin's entry points, handed back once.
        #[no_mangle]
        pub unsafe extern "C" fn metalplan_plugin_free(buffer: $crate::Buffer) {
            // SAFETY: the caller's contract above is `entry::free`'s.
            unsafe { $crate::entry::free(buffer) };
        }
    };
}

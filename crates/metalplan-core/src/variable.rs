//! What a column of the model stands for: one key type, named by scenario indices, shared by the
//! scenario's own rules (`[[constraints]]` expand to these keys) and the model builder (whose
//! columns carry them). Plugins name the same variables with the SDK's `VarRef`, by metal name.

use metalplan_plugin::{FeedSource, Route, Year};

/// Which decision a column stands for; metals are indices into `Scenario::metals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VariableKey {
    /// Output of one route of one metal in one year, Mt.
    Output {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
        /// The year.
        year: Year,
    },
    /// Feed drawn from one source, Mt of contained metal.
    Feed {
        /// Index of the metal.
        metal: usize,
        /// The source.
        source: FeedSource,
        /// The year.
        year: Year,
    },
    /// Route capacity commissioned in a year, Mt per year.
    Build {
        /// Index of the metal.
        metal: usize,
        /// The route.
        route: Route,
        /// The year.
        year: Year,
    },
    /// Shared (primary + recycled) capacity commissioned in a year, Mt per year.
    SharedBuild {
        /// Index of the metal.
        metal: usize,
        /// The year.
        year: Year,
    },
    /// Output of one facility in one year, Mt (M21).
    FacilityOutput {
        /// Index into `Scenario::facilities`.
        facility: usize,
        /// The year.
        year: Year,
    },
    /// Capacity a facility adds in one year, Mt per year (M21).
    FacilityBuild {
        /// Index into `Scenario::facilities`.
        facility: usize,
        /// The year.
        year: Year,
    },
    /// How far a soft target's row is missed, in the row's unit (M19).
    Shortfall {
        /// Index of the target's row.
        row: usize,
    },
    /// A variable a plugin declared.
    Plugin {
        /// Index of the plugin in the model's `plugins`.
        plugin: usize,
        /// Index among that plugin's variables.
        index: usize,
    },
}

impl VariableKey {
    /// The year the column belongs to; plugin variables and shortfalls belong to none.
    #[must_use]
    pub fn year(self) -> Option<Year> {
        match self {
            VariableKey::Output { year, .. }
            | VariableKey::Feed { year, .. }
            | VariableKey::Build { year, .. }
            | VariableKey::SharedBuild { year, .. }
            | VariableKey::FacilityOutput { year, .. }
            | VariableKey::FacilityBuild { year, .. } => Some(year),
            VariableKey::Plugin { .. } | VariableKey::Shortfall { .. } => None,
        }
    }
}

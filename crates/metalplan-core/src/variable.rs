//! What a column of the model stands for: one key type, named by scenario indices, shared by the
//! scenario's own rules (`[[constraints]]` expand to these keys) and the model builder (whose
//! columns carry them). Plugins name the same variables with the SDK's `VarRef`, by metal name.

use metalplan_plugin::{FeedSource, Route, Year};

use crate::scenario::{Metal, PerYear};

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
    /// Material of a stage made in a year, Mt of that material (M23).
    StageOutput {
        /// Index of the metal.
        metal: usize,
        /// Index of the stage in the metal's `stages`.
        stage: usize,
        /// The year.
        year: Year,
    },
    /// Stage capacity commissioned in a year, Mt per year (M24).
    StageBuild {
        /// Index of the metal.
        metal: usize,
        /// Index of the stage.
        stage: usize,
        /// The year.
        year: Year,
    },
    /// A stage's material used by a later process in a year, Mt of that material (M23, M1).
    StageUse {
        /// Index of the metal.
        metal: usize,
        /// Index of the stage whose material is used.
        stage: usize,
        /// The process that uses it.
        user: Process,
        /// The year.
        year: Year,
    },
    /// A material bought abroad in a year, Mt (M26).
    Import {
        /// Index of the metal.
        metal: usize,
        /// The material.
        material: Material,
        /// The year.
        year: Year,
    },
    /// A material sold abroad in a year, Mt (M26).
    Export {
        /// Index of the metal.
        metal: usize,
        /// The material.
        material: Material,
        /// The year.
        year: Year,
    },
    /// Consumption of the refined metal in a year, Mt (M27).
    Consumption {
        /// Index of the metal.
        metal: usize,
        /// The year.
        year: Year,
    },
    /// The part of one demand block taken in a year, Mt (M28).
    DemandBlock {
        /// Index of the metal.
        metal: usize,
        /// Index of the block in the demand's `blocks`.
        block: usize,
        /// The year.
        year: Year,
    },
    /// Stock of the refined metal at the end of a year, Mt (M27).
    Stock {
        /// Index of the metal.
        metal: usize,
        /// The year.
        year: Year,
    },
    /// Scrap of one grade drawn by the recycled route, or by one of its products, in a year,
    /// Mt of contained metal (M34-M36).
    GradeUse {
        /// Index of the metal.
        metal: usize,
        /// Index of the grade in the route's `grades` (name order).
        grade: usize,
        /// Index of the product in the route's `products`; `None` for a route without products.
        product: Option<usize>,
        /// The year.
        year: Year,
    },
    /// Output of one product of the recycled route in a year, Mt (M34).
    ProductOutput {
        /// Index of the metal.
        metal: usize,
        /// Index of the product in the route's `products`.
        product: usize,
        /// The year.
        year: Year,
    },
    /// Electricity from one source used by one process of one metal in a year, TWh (M31-M33).
    Power {
        /// Index of the source in `electricity.sources`.
        source: usize,
        /// Index of the metal.
        metal: usize,
        /// The route or stage using it.
        process: Process,
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
            | VariableKey::FacilityBuild { year, .. }
            | VariableKey::StageOutput { year, .. }
            | VariableKey::StageBuild { year, .. }
            | VariableKey::StageUse { year, .. }
            | VariableKey::Import { year, .. }
            | VariableKey::Export { year, .. }
            | VariableKey::Consumption { year, .. }
            | VariableKey::DemandBlock { year, .. }
            | VariableKey::Stock { year, .. }
            | VariableKey::GradeUse { year, .. }
            | VariableKey::ProductOutput { year, .. }
            | VariableKey::Power { year, .. } => Some(year),
            VariableKey::Plugin { .. } | VariableKey::Shortfall { .. } => None,
        }
    }
}

/// A material of a metal's market: one of its stages, or the refined metal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Material {
    /// The material of the stage at this index of the metal's `stages`.
    Stage(usize),
    /// The metal itself, as its routes make it.
    Refined,
}

/// A process that draws on a stage's material: a later stage or a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Process {
    /// The stage at this index of the metal's `stages`.
    Stage(usize),
    /// One of the metal's routes.
    Route(Route),
}

/// The name a process has in files and results: its stage's name, or the route's key.
#[must_use]
pub fn process_name(metal: &Metal, process: Process) -> &str {
    match process {
        Process::Stage(stage) => &metal.stages[stage].name,
        Process::Route(route) => route.key(),
    }
}

/// The processes of `metal` that use electricity, with their MWh per tonne: its routes, then
/// its stages.
#[must_use]
pub fn power_users(metal: &Metal) -> Vec<(Process, &PerYear)> {
    let routes = Route::ALL.into_iter().filter_map(|route| {
        metal
            .route(route)
            .and_then(|spec| spec.electricity_mwh_per_t.as_ref())
            .map(|mwh| (Process::Route(route), mwh))
    });
    let stages = metal.stages.iter().enumerate().filter_map(|(stage, spec)| {
        spec.electricity_mwh_per_t
            .as_ref()
            .map(|mwh| (Process::Stage(stage), mwh))
    });
    routes.chain(stages).collect()
}

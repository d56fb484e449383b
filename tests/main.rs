//! metalplan's end-to-end tests, as one test binary (as ripgrep and cargo do): every extra
//! binary would compile the helpers in `common` again and link HiGHS again. Each module tests
//! one concern; `docs/testing.md` says which. Run one module with
//! `cargo test -p metalplan-suite --test suite <module>::`.

mod common;

mod backtest;
mod bad_input;
mod charts_and_reports;
mod china_plan;
mod constraints;
mod core_api;
mod exports;
mod facilities;
mod fuzz_regressions;
mod infeasible;
mod legacy;
mod limits;
mod market;
mod market_checker;
mod market_features;
mod outputs;
mod overlays;
mod plan_checker;
mod plugins;
mod properties;
mod provenance;
mod ranging;
mod recycling;
mod shadow_prices;
mod shocks;
mod size_and_soft_duals;
mod solvers_agree;
mod sweeps;
mod trust_files;
mod verify;

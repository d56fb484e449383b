//! The workspace's root package, `metalplan-suite`: it holds no code of its own, only the
//! end-to-end tests in `tests/` (which drive the real `metalplan` binary) and the criterion
//! benchmarks in `benches/`. The tool itself lives in `crates/`.

//! Records the versions of the solver crates from the workspace's `Cargo.lock`, so that every
//! result can say which solver build produced it (`provenance.solver`, docs/results.md).

use std::path::Path;

fn main() {
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    for (package, variable) in [
        ("highs-sys", "METALPLAN_HIGHS_SYS_VERSION"),
        ("clarabel", "METALPLAN_CLARABEL_VERSION"),
    ] {
        println!(
            "cargo:rustc-env={variable}={}",
            locked_version(&text, package).unwrap_or("unknown")
        );
    }
}

/// The `version` of `[[package]] name = "<package>"` in a Cargo.lock.
fn locked_version<'a>(lock: &'a str, package: &str) -> Option<&'a str> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    lines.find(|line| line.trim() == name_line)?;
    let version = lines.next()?.trim().strip_prefix("version = \"")?;
    version.strip_suffix('"')
}

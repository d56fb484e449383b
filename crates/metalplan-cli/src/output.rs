//! JSON and CSV renderings of a result, and writing them safely to a file or stdout.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use metalplan_core::grouping::{GroupBy, GroupRow};
use metalplan_core::PlanResult;

/// The table `--format csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CsvTable {
    /// Output, capacity and builds per metal, route and year.
    Plan,
    /// Feed drawn per metal, source and year.
    Feed,
    /// Targets with value, bound and binding.
    Targets,
    /// The scenario's own constraints (`[[constraints]]`) with value, bound and binding.
    Constraints,
    /// National totals per year.
    Totals,
    /// Output, capacity and builds of every stage.
    Stages,
    /// Imports and exports per material.
    Trade,
    /// The price of every material with a market.
    Prices,
    /// Consumption, demand blocks taken and stocks.
    Demand,
    /// Import dependence by every definition.
    ImportDependence,
    /// Scrap drawn per grade.
    Grades,
    /// What recycled output holds: scrap metal, primary metal, alloying.
    RecycledInputs,
    /// Electricity per source, process and year.
    Power,
    /// Each power source's use, CO2 and scarcity.
    PowerSources,
    /// Each process's electricity, clean share and power price.
    PowerUse,
}

/// The full result as pretty JSON, with a final newline.
pub fn json(result: &PlanResult) -> Result<String, String> {
    serde_json::to_string_pretty(result)
        .map(|text| text + "\n")
        .map_err(|error| format!("cannot serialise the result as JSON: {error}"))
}

/// The full result as pretty JSON with the `--group-by` rows added as `groups`.
pub fn json_with_groups(
    result: &PlanResult,
    by: GroupBy,
    rows: &[GroupRow],
) -> Result<String, String> {
    #[derive(serde::Serialize)]
    struct WithGroups<'a> {
        #[serde(flatten)]
        result: &'a PlanResult,
        group_by: GroupBy,
        groups: &'a [GroupRow],
    }
    let with_groups = WithGroups {
        result,
        group_by: by,
        groups: rows,
    };
    serde_json::to_string_pretty(&with_groups)
        .map(|text| text + "\n")
        .map_err(|error| format!("cannot serialise the result as JSON: {error}"))
}

/// The columns of a `--group-by` CSV: the fields of [`GroupRow`], in order.
const GROUP_CSV_HEADER: [&str; 8] = [
    "group",
    "metal",
    "route",
    "year",
    "facilities",
    "output_mt",
    "capacity_mt",
    "built_mt",
];

/// The `--group-by` rows as CSV, after the result's provenance as `# label: text` lines.
pub fn groups_csv(result: &PlanResult, rows: &[GroupRow]) -> Result<String, String> {
    let comment = result
        .provenance
        .as_ref()
        .map(crate::provenance::csv_comment)
        .unwrap_or_default();
    let mut writer = csv::Writer::from_writer(Vec::new());
    // serde writes the header with the first row; with no rows (grouping by facility when the
    // scenario has none), write it anyway, so a reader still finds the columns.
    let header = if rows.is_empty() {
        writer.write_record(GROUP_CSV_HEADER)
    } else {
        Ok(())
    };
    header
        .and_then(|()| rows.iter().try_for_each(|row| writer.serialize(row)))
        .and_then(|()| {
            writer
                .into_inner()
                .map_err(|error| error.into_error().into())
        })
        .map_err(|error| format!("cannot write CSV: {error}"))
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|error| format!("cannot write CSV: {error}"))
        })
        .map(|body| comment + &body)
}

/// One table of the result as CSV, after its provenance as `# label: text` comment lines.
pub fn csv(result: &PlanResult, table: CsvTable) -> Result<String, String> {
    let comment = result
        .provenance
        .as_ref()
        .map(crate::provenance::csv_comment)
        .unwrap_or_default();
    csv_table(result, table).map(|body| comment + &body)
}

fn csv_table(result: &PlanResult, table: CsvTable) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = match table {
        CsvTable::Plan => rows(&mut writer, &result.plan),
        CsvTable::Feed => rows(&mut writer, &result.feed),
        CsvTable::Targets => write_targets(&mut writer, result),
        CsvTable::Constraints => write_constraints(&mut writer, result),
        CsvTable::Totals => write_totals(&mut writer, result),
        CsvTable::Stages => rows(&mut writer, &result.stages),
        CsvTable::Trade => rows(&mut writer, &result.trade),
        CsvTable::Prices => rows(&mut writer, &result.markets),
        CsvTable::Demand => write_demand(&mut writer, result),
        CsvTable::ImportDependence => rows(&mut writer, &result.import_dependence),
        CsvTable::Grades => write_grades(&mut writer, result),
        CsvTable::RecycledInputs => rows(&mut writer, &result.recycled_inputs),
        CsvTable::Power => rows(&mut writer, &result.power),
        CsvTable::PowerSources => rows(&mut writer, &result.power_sources),
        CsvTable::PowerUse => rows(&mut writer, &result.power_use),
    };
    let header = match table {
        CsvTable::Targets => Some(
            "name,metal,year,value,bound,sense,binding,unit,shadow_price,shadow_price_unit,definition,process\n",
        ),
        CsvTable::Constraints => Some(
            "name,year,value,bound,sense,binding,unit,shadow_price,shadow_price_unit,row_shadow_price_cny_per_t,shortfall\n",
        ),
        _ => None,
    };
    let bytes = written
        .and_then(|()| {
            writer
                .into_inner()
                .map_err(|error| error.into_error().into())
        })
        .map_err(|error| format!("cannot write CSV: {error}"))?;
    let body = String::from_utf8(bytes).map_err(|error| format!("cannot write CSV: {error}"))?;
    Ok(format!("{}{body}", header.unwrap_or_default()))
}

fn write_targets(writer: &mut csv::Writer<Vec<u8>>, result: &PlanResult) -> csv::Result<()> {
    result.targets.iter().try_for_each(|row| {
        writer.write_record([
            row.name.key().to_string(),
            row.metal.clone().unwrap_or_default(),
            row.year.to_string(),
            row.value.to_string(),
            row.bound.to_string(),
            crate::format::sense_ascii(row.sense).to_string(),
            row.binding.to_string(),
            row.unit.clone(),
            row.shadow_price
                .map_or_else(String::new, |price| price.to_string()),
            row.shadow_price_unit.clone(),
            row.definition
                .map_or_else(String::new, |definition| definition.key().to_string()),
            row.process.clone().unwrap_or_default(),
        ])
    })
}

/// Each row of `items` as one CSV record (its fields are columns, named in the header).
fn rows<T: serde::Serialize>(writer: &mut csv::Writer<Vec<u8>>, items: &[T]) -> csv::Result<()> {
    items.iter().try_for_each(|row| writer.serialize(row))
}

/// The grades table: every field but the per-product split, which is in the JSON only.
fn write_grades(writer: &mut csv::Writer<Vec<u8>>, result: &PlanResult) -> csv::Result<()> {
    if result.grades.is_empty() {
        return Ok(());
    }
    writer.write_record([
        "metal",
        "grade",
        "origin",
        "year",
        "used_mt",
        "available_mt",
        "shadow_price_cny_per_t",
    ])?;
    result.grades.iter().try_for_each(|row| {
        writer.write_record([
            row.metal.clone(),
            row.grade.clone(),
            row.origin.key().to_string(),
            row.year.to_string(),
            row.used_mt.to_string(),
            row.available_mt.to_string(),
            row.shadow_price_cny_per_t
                .map_or_else(String::new, |price| price.to_string()),
        ])
    })
}

fn write_constraints(writer: &mut csv::Writer<Vec<u8>>, result: &PlanResult) -> csv::Result<()> {
    let optional = |value: Option<f64>| value.map_or_else(String::new, |v| v.to_string());
    result.constraints.iter().try_for_each(|row| {
        writer.write_record([
            row.name.clone(),
            row.year.to_string(),
            row.value.to_string(),
            row.bound.to_string(),
            crate::format::sense_ascii(row.sense).to_string(),
            row.binding.to_string(),
            row.unit.clone(),
            optional(row.shadow_price),
            row.shadow_price_unit.clone(),
            optional(row.row_shadow_price_cny_per_t),
            optional(row.shortfall),
        ])
    })
}

/// Demand rows: the blocks taken as one `block_<k>_mt` column each (as many as the most blocks).
fn write_demand(writer: &mut csv::Writer<Vec<u8>>, result: &PlanResult) -> csv::Result<()> {
    let blocks = result
        .demand
        .iter()
        .map(|row| row.blocks_mt.len())
        .max()
        .unwrap_or(0);
    let mut header: Vec<String> = ["metal", "year", "consumption_mt", "stock_mt"]
        .iter()
        .map(ToString::to_string)
        .collect();
    header.extend((0..blocks).map(|block| format!("block_{block}_mt")));
    writer.write_record(&header)?;
    for row in &result.demand {
        let mut record = vec![
            row.metal.clone(),
            row.year.to_string(),
            row.consumption_mt.to_string(),
            row.stock_mt
                .map_or_else(String::new, |stock| stock.to_string()),
        ];
        record.extend((0..blocks).map(|block| {
            row.blocks_mt
                .get(block)
                .map_or_else(String::new, ToString::to_string)
        }));
        writer.write_record(&record)?;
    }
    Ok(())
}

/// Totals hold a per-metal map, which CSV flattens to one `import_dependence_<metal>` column each.
fn write_totals(writer: &mut csv::Writer<Vec<u8>>, result: &PlanResult) -> csv::Result<()> {
    let metals: Vec<String> = result
        .totals
        .first()
        .map(|row| row.import_dependence.keys().cloned().collect())
        .unwrap_or_default();
    let mut header: Vec<String> = [
        "year",
        "output_total_mt",
        "output_growth",
        "recycled_mt",
        "value_added_cny",
        "value_added_growth",
        "co2_t",
        "cost_cny",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    header.extend(
        metals
            .iter()
            .map(|metal| format!("import_dependence_{metal}")),
    );
    writer.write_record(&header)?;
    for row in &result.totals {
        let mut record = vec![
            row.year.to_string(),
            row.output_total_mt.to_string(),
            row.output_growth.to_string(),
            row.recycled_mt.to_string(),
            row.value_added_cny.to_string(),
            row.value_added_growth.to_string(),
            row.co2_t.to_string(),
            row.cost_cny.to_string(),
        ];
        record.extend(metals.iter().map(|metal| {
            row.import_dependence
                .get(metal)
                .copied()
                .flatten()
                .map_or_else(String::new, |value| value.to_string())
        }));
        writer.write_record(&record)?;
    }
    Ok(())
}

/// Writes `text` to stdout, or to `file` through a temporary file renamed into place, so a
/// failed run never leaves a half-written or clobbered result.
///
/// Only regular files are replaced that way. A device, FIFO or socket (`-o /dev/null`,
/// `-o /dev/stdout`, a named pipe) is written in place: renaming over it would swap the device
/// node for a plain file, which once turned this machine's `/dev/null` into a file that every
/// later reader of "nothing" read text from. A symbolic link is followed, so the link stays and
/// the file it points to gets the new text, keeping that file's permissions.
pub fn write(file: Option<&Path>, text: &str) -> Result<(), String> {
    let Some(file) = file else {
        let mut stdout = std::io::stdout().lock();
        return stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|error| format!("cannot write to stdout: {error}"));
    };
    let written = match destination(file) {
        Ok(Destination::InPlace) => write_in_place(file, text),
        Ok(Destination::Replace { path, permissions }) => replace(&path, permissions, text),
        Err(error) => Err(error),
    };
    written.map_err(|error| format!("cannot write {}: {error}", file.display()))
}

/// How a result reaches the path the user named.
enum Destination {
    /// Through a temporary file renamed over `path` (the link target when the user named a
    /// link), which keeps the old file's `permissions` when there was one.
    Replace {
        path: PathBuf,
        permissions: Option<std::fs::Permissions>,
    },
    /// Straight into the file: it is not a regular file, or it is a link to nothing yet.
    InPlace,
}

fn destination(file: &Path) -> std::io::Result<Destination> {
    match std::fs::metadata(file) {
        Ok(metadata) if metadata.is_file() => Ok(Destination::Replace {
            path: std::fs::canonicalize(file)?,
            permissions: Some(metadata.permissions()),
        }),
        Ok(metadata) if metadata.is_dir() => Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a folder",
        )),
        Ok(_) => Ok(Destination::InPlace),
        // A link whose target does not exist yet: writing through it creates the target, as a
        // shell redirection would, and leaves the link in place.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(file).is_ok() {
                Ok(Destination::InPlace)
            } else {
                Ok(Destination::Replace {
                    path: file.to_path_buf(),
                    permissions: None,
                })
            }
        }
        Err(error) => Err(error),
    }
}

fn write_in_place(file: &Path, text: &str) -> std::io::Result<()> {
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(file)?;
    target.write_all(text.as_bytes())?;
    target.flush()
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`.
///
/// The temporary file comes from `tempfile`: a random name, created with `O_EXCL` (so a link
/// planted under a guessable name is never followed) and with its final mode from the start
/// (the old file's, or what a plain create gives under the umask), so a private result is never
/// readable by others, not even while it is being written.
fn replace(
    path: &Path,
    permissions: Option<std::fs::Permissions>,
    text: &str,
) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path.file_name().map_or_else(
        || "output".into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // A new file: 0666 before the umask, as a shell redirection gives.
        builder.permissions(
            permissions
                .clone()
                .unwrap_or_else(|| std::fs::Permissions::from_mode(0o666)),
        );
    }
    // Dropped unpersisted (on any error below), the temporary file removes itself.
    let mut temporary = builder.tempfile_in(directory)?;
    temporary.write_all(text.as_bytes())?;
    temporary.flush()?;
    if let Some(permissions) = permissions {
        // The umask may have narrowed the mode at creation; the old file's mode is kept exactly.
        temporary.as_file().set_permissions(permissions)?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

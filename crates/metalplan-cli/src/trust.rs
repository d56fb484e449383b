//! The trust file: SHA-256 hashes of plugin libraries the user allows scenarios, overlays and
//! results to load (docs/plugins.md, "Trust"). One hash a line; `#` starts a comment.

use std::path::PathBuf;

/// Largest trust file read.
const MAX_TRUST_FILE_BYTES: u64 = 1024 * 1024;

/// `$XDG_CONFIG_HOME/metalplan/trusted-plugins`, else `$HOME/.config/metalplan/trusted-plugins`.
pub fn trust_file() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|folder| !folder.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|home| !home.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })?;
    Some(config.join("metalplan").join("trusted-plugins"))
}

/// The hashes in the trust file; none when there is no file. The error names the file and line.
pub fn trusted_hashes() -> Result<Vec<String>, String> {
    let Some(file) = trust_file() else {
        return Ok(Vec::new());
    };
    let text = match read_capped(&file) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok(Vec::new()),
        Err(reason) => return Err(format!("trust file {}: {reason}", file.display())),
    };
    let mut hashes = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        if entry.len() != 64 || !entry.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            let shown: String = entry
                .chars()
                .take(70)
                .flat_map(char::escape_default)
                .collect();
            return Err(format!(
                "trust file {}:{}: `{shown}` is not a SHA-256 (64 hexadecimal digits)",
                file.display(),
                index + 1
            ));
        }
        hashes.push(entry.to_ascii_lowercase());
    }
    Ok(hashes)
}

/// The file's text, `None` when it does not exist, refusing more than the limit.
fn read_capped(file: &std::path::Path) -> Result<Option<String>, String> {
    use std::io::Read;
    let opened = match std::fs::File::open(file) {
        Ok(opened) => opened,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(format!("cannot read it: {error}")),
    };
    let mut bytes = Vec::new();
    opened
        .take(MAX_TRUST_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read it: {error}"))?;
    if bytes.len() as u64 > MAX_TRUST_FILE_BYTES {
        return Err(format!("it is larger than {MAX_TRUST_FILE_BYTES} bytes"));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "it is not UTF-8 text".to_string())
}

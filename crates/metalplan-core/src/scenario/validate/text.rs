//! Names and text: no control characters. A name reaches the terminal, CSV, JSON, SVG, HTML and
//! Markdown; an escape sequence there recolours or rewrites the terminal, and most control
//! characters make XML (the SVG chart) invalid, so they are refused here, once, rather than
//! escaped in every renderer. Descriptions may hold line breaks and tabs.

use serde_json::Value;

use super::Checker;

/// Whether `character` may appear in text: anything but a control character; line feeds and
/// tabs too where `multiline`.
fn allowed(character: char, multiline: bool) -> bool {
    !character.is_control() || (multiline && matches!(character, '\n' | '\t'))
}

/// `text` with every control character but a line feed escaped (`\u{1b}`); unchanged, and not
/// copied, when it holds none.
pub(super) fn escaped(text: &str) -> String {
    if !text
        .chars()
        .any(|character| character.is_control() && character != '\n')
    {
        return text.to_string();
    }
    text.chars()
        .map(|character| {
            if character.is_control() && character != '\n' {
                character.escape_debug().to_string()
            } else {
                character.to_string()
            }
        })
        .collect()
}

impl Checker<'_> {
    /// Every name and text field of the scenario (map keys included), reported at its path.
    pub(super) fn text(&mut self) {
        let scenario = self.scenario;
        self.text_field("name", &scenario.name, false);
        self.text_field("description", &scenario.description, true);
        if let Some(csv) = &scenario.facilities_csv {
            self.text_field("facilities_csv", csv, false);
        }
        for (index, metal) in scenario.metals.iter().enumerate() {
            self.text_tree(&format!("metals[{index}]"), &serde_json::to_value(metal));
        }
        self.text_tree("targets", &serde_json::to_value(&scenario.targets));
        for (index, constraint) in scenario.constraints.iter().enumerate() {
            self.text_tree(
                &format!("constraints[{index}]"),
                &serde_json::to_value(constraint),
            );
        }
        for (index, plugin) in scenario.plugins.iter().enumerate() {
            // Parameters are the plugin's business; its name and path are shown to the user.
            for (field, text) in [("name", &plugin.name), ("path", &plugin.path)] {
                if let Some(text) = text {
                    self.text_field(&format!("plugins[{index}].{field}"), text, false);
                }
            }
        }
        if let Some(electricity) = &scenario.electricity {
            self.text_tree("electricity", &serde_json::to_value(electricity));
        }
        // Facilities directly: at plant scale, a million rows as JSON values would be slow.
        for (index, facility) in scenario.facilities.iter().enumerate() {
            for (field, text) in [
                ("id", &facility.id),
                ("metal", &facility.metal),
                ("province", &facility.province),
            ] {
                self.text_field(&format!("facilities[{index}].{field}"), text, false);
            }
        }
    }

    fn text_field(&mut self, path: &str, text: &str, multiline: bool) {
        if let Some(bad) = text
            .chars()
            .find(|&character| !allowed(character, multiline))
        {
            self.report(
                path,
                format!(
                    "`{}` holds the control character {}; names and text reach terminals, SVG \
                     and HTML, where control characters are unsafe or invalid: remove it",
                    crate::files::quoted(text, 40),
                    bad.escape_debug()
                ),
            );
        }
    }

    /// Every string and map key under `value` (a part of the scenario as JSON).
    fn text_tree(&mut self, path: &str, value: &Result<Value, serde_json::Error>) {
        if let Ok(value) = value {
            self.text_value(path, value);
        }
    }

    fn text_value(&mut self, path: &str, value: &Value) {
        match value {
            Value::String(text) => {
                let multiline = path.ends_with(".description");
                self.text_field(path, text, multiline);
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.text_value(&format!("{path}[{index}]"), item);
                }
            }
            Value::Object(fields) => {
                for (key, item) in fields {
                    // A bad key is shown escaped in the path, as in the message.
                    let item_path = format!("{path}.{}", crate::files::quoted(key, 40));
                    self.text_field(&item_path, key, false);
                    self.text_value(&item_path, item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

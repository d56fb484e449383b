//! Finding the line and column of a field path (`metals[2].recycled.capacity_mt`) in a TOML file.
//!
//! Validation works on the deserialised scenario, which has no positions; this module re-reads
//! the text with `toml_edit`, which keeps spans, and walks the path to the deepest node that
//! exists. A field that is missing therefore points at the table that should hold it.

use std::ops::Range;

use serde::Serialize;
use toml_edit::{ImDocument, Item, Table, Value};

/// A position in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range of the offending text.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Location {
    /// The location of a byte range in `text`.
    #[must_use]
    pub fn from_span(text: &str, span: Range<usize>) -> Self {
        let start = span.start.min(text.len());
        let before = &text[..floor_char_boundary(text, start)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        Location { line, column, span }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Locates field paths in one TOML document.
pub(crate) struct TomlLocator<'a> {
    text: &'a str,
    document: Option<ImDocument<&'a str>>,
}

/// One step of a field path.
#[derive(Debug, PartialEq)]
enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

impl<'a> TomlLocator<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        TomlLocator {
            text,
            document: ImDocument::parse(text).ok(),
        }
    }

    /// The location of the deepest existing node on `path`, or `None` when not even the first
    /// segment exists.
    pub(crate) fn locate(&self, path: &str) -> Option<Location> {
        let document = self.document.as_ref()?;
        let mut node = Node::Table(document.as_table());
        let mut best: Option<Range<usize>> = None;
        for segment in parse_path(path) {
            let Some((next, span)) = node.child(&segment) else {
                break;
            };
            if span.is_some() {
                best = span;
            }
            node = next;
        }
        best.map(|span| Location::from_span(self.text, span))
    }
}

/// A node of the document that may have children.
#[derive(Clone, Copy)]
enum Node<'d> {
    Table(&'d Table),
    Item(&'d Item),
    Value(&'d Value),
}

impl<'d> Node<'d> {
    /// The child at `segment` and the span to report for it.
    fn child(self, segment: &Segment<'_>) -> Option<(Node<'d>, Option<Range<usize>>)> {
        match (self, segment) {
            (Node::Table(table), Segment::Key(key)) => {
                let item = table.get(key)?;
                let span =
                    item_span(item).or_else(|| table.key(key).and_then(toml_edit::Key::span));
                Some((Node::Item(item), span))
            }
            (Node::Item(item), _) => match item {
                Item::Table(table) => Node::Table(table).child(segment),
                Item::Value(value) => Node::Value(value).child(segment),
                Item::ArrayOfTables(array) => match segment {
                    Segment::Index(index) => {
                        let table = array.get(*index)?;
                        Some((Node::Table(table), table.span()))
                    }
                    Segment::Key(_) => None,
                },
                Item::None => None,
            },
            (Node::Value(Value::InlineTable(table)), Segment::Key(key)) => {
                let value = table.get(key)?;
                let span = value
                    .span()
                    .or_else(|| table.key(key).and_then(toml_edit::Key::span));
                Some((Node::Value(value), span))
            }
            (Node::Value(Value::Array(array)), Segment::Index(index)) => {
                let value = array.get(*index)?;
                Some((Node::Value(value), value.span()))
            }
            _ => None,
        }
    }
}

fn item_span(item: &Item) -> Option<Range<usize>> {
    match item {
        Item::Table(table) => table.span(),
        Item::ArrayOfTables(array) => array.span(),
        _ => item.span(),
    }
}

/// Splits `metals[2].recycled.feed.domestic_scrap` into keys and indices.
fn parse_path(path: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    for part in path.split('.').filter(|part| !part.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(Segment::Key(key));
        }
        while let Some(close) = rest.find(']') {
            if let Ok(index) = rest[1..close].parse() {
                segments.push(Segment::Index(index));
            }
            rest = &rest[close + 1..];
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "base_year = 2024\n\n[[metals]]\nname = \"a\"\n\n[[metals]]\nname = \"b\"\n[metals.recycled]\ncapacity_mt = -3.0\nco2 = { 2025 = 1.0 }\n";

    #[test]
    fn splits_paths_into_keys_and_indices() {
        assert_eq!(
            parse_path("metals[2].recycled.capacity_mt"),
            vec![
                Segment::Key("metals"),
                Segment::Index(2),
                Segment::Key("recycled"),
                Segment::Key("capacity_mt")
            ]
        );
    }

    #[test]
    fn finds_a_nested_value() {
        let locator = TomlLocator::new(TEXT);
        let location = locator.locate("metals[1].recycled.capacity_mt").unwrap();
        assert_eq!((location.line, location.column), (9, 15));
        let inline = locator.locate("metals[1].recycled.co2.2025").unwrap();
        assert_eq!((inline.line, inline.column), (10, 16));
    }

    #[test]
    fn a_missing_field_points_at_its_table() {
        let locator = TomlLocator::new(TEXT);
        let location = locator.locate("metals[1].recycled.base_output_mt").unwrap();
        assert_eq!(location.line, 8);
    }
}

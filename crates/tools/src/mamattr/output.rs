//! What `mamattr` prints: the `list` table, the bare value of `get`, the `names` table, and
//! their JSON forms. Values are decoded by `scsi_sg::attributes` (reference/scsi.md §4-§5);
//! TEXT attributes use the cartridge's text localization (0805h) when the list has it.
//!
//! `list` text: a header line, then one line per attribute in ascending ID order:
//! `0x0806  rw  ascii   Barcode<pad>  FJK670L6` (ID as `0x%04X`, `ro`/`rw` as the drive
//! reported the READ ONLY bit, the FORMAT field, the standard name, the decoded value).
//!
//! JSON (`--json`): `list` gives `{"attributes": [ROW, ...]}`, `get` one ROW, where ROW is
//! `{"id": 2054, "id_hex": "0x0806", "name": "Barcode", "short": "barcode", "format": "ascii",
//! "read_only": false, "length": 32, "value": "FJK670L6", "number": null, "raw": "464a..."}`
//! (`short` is null for attributes outside the table, `number` is set for numeric values,
//! `raw` is the value bytes in lower-case hex).

use std::fmt::Write as _;

use scsi_sg::attributes::{self, Attribute, TextLocalization, Value, STANDARD};
use serde_json::json;

use super::ident::id_hex;

/// The id of the text localization identifier attribute.
pub const TEXT_LOCALIZATION_ID: u16 = 0x0805;

/// The text localization that a list of attributes declares (ASCII when absent).
pub fn localization(attrs: &[Attribute]) -> TextLocalization {
    attrs
        .iter()
        .find(|a| a.id == TEXT_LOCALIZATION_ID)
        .and_then(|a| a.value.first().copied())
        .map_or_else(TextLocalization::default, TextLocalization::from_code)
}

/// `ro` or `rw`.
fn ro(read_only: bool) -> &'static str {
    if read_only {
        "ro"
    } else {
        "rw"
    }
}

/// The decoded value of one attribute, as `get` prints it (no newline).
pub fn value_text(attr: &Attribute, loc: TextLocalization) -> String {
    attr.decode(loc).to_string()
}

/// The `list` table (see the module docs).
pub fn list_text(attrs: &[Attribute]) -> String {
    let loc = localization(attrs);
    let names: Vec<String> = attrs
        .iter()
        .map(|a| attributes::display_name(a.id))
        .collect();
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<6}  RO  {:<6}  {:<width$}  VALUE",
        "ID", "FORMAT", "NAME"
    );
    for (a, name) in attrs.iter().zip(&names) {
        let line = format!(
            "{}  {}  {:<6}  {:<width$}  {}",
            id_hex(a.id),
            ro(a.read_only),
            a.format.name(),
            name,
            value_text(a, loc)
        );
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

/// One attribute as a JSON object (see the module docs).
pub fn row_json(attr: &Attribute, loc: TextLocalization) -> serde_json::Value {
    let value = attr.decode(loc);
    let number = match value {
        Value::Number(n) => Some(n),
        _ => None,
    };
    json!({
        "id": attr.id,
        "id_hex": id_hex(attr.id),
        "name": attributes::display_name(attr.id),
        "short": attr.info().map(|i| i.short),
        "format": attr.format.name(),
        "read_only": attr.read_only,
        "length": attr.value.len(),
        "value": value.to_string(),
        "number": number,
        "raw": attributes::hex(&attr.value),
    })
}

/// `list --json`.
pub fn list_json(attrs: &[Attribute]) -> String {
    let loc = localization(attrs);
    let rows: Vec<_> = attrs.iter().map(|a| row_json(a, loc)).collect();
    pretty(&json!({ "attributes": rows }))
}

/// `get --json`.
pub fn get_json(attr: &Attribute, loc: TextLocalization) -> String {
    pretty(&row_json(attr, loc))
}

/// The `names` table: identifier, short name, format, standard length, access, name.
pub fn names_text() -> String {
    let width = STANDARD.iter().map(|i| i.short.len()).max().unwrap_or(0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<6}  {:<width$}  {:<6}  LENGTH  RO  NAME",
        "ID", "SHORT", "FORMAT"
    );
    for i in STANDARD {
        let len = i
            .length
            .map_or_else(|| "var".to_string(), |l| l.to_string());
        let _ = writeln!(
            s,
            "{}  {:<width$}  {:<6}  {:>6}  {}  {}",
            id_hex(i.id),
            i.short,
            i.format.name(),
            len,
            ro(attributes::is_read_only(i.id)),
            i.name
        );
    }
    s
}

/// `names --json`.
pub fn names_json() -> String {
    let rows: Vec<_> = STANDARD
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "id_hex": id_hex(i.id),
                "short": i.short,
                "name": i.name,
                "format": i.format.name(),
                "length": i.length,
                "read_only": attributes::is_read_only(i.id),
                "per_partition": i.per_partition,
            })
        })
        .collect();
    pretty(&json!({ "names": rows }))
}

/// Pretty JSON with a final newline.
fn pretty(v: &serde_json::Value) -> String {
    let mut s =
        serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

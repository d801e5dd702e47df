//! `--stats-json FILE` (mbuf extension): the final statistics of a run as one JSON object,
//! written to FILE (`-` = stderr).

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};
use stream_buffer::Stats;

use crate::mbuf::options::HashAlg;

/// One output's end state.
#[derive(Debug, Clone)]
pub struct OutputReport {
    /// Name as in messages.
    pub name: String,
    /// Bytes written.
    pub bytes: u64,
    /// Failure reason, if it failed.
    pub error: Option<String>,
}

/// Builds the JSON document.
pub fn document(
    stats: &Stats,
    seconds: f64,
    outputs: &[OutputReport],
    hashes: &[(HashAlg, String)],
    exit_code: i32,
) -> Value {
    let outs: Vec<Value> = outputs
        .iter()
        .map(|o| json!({"name": o.name, "bytes": o.bytes, "error": o.error}))
        .collect();
    let hashes: serde_json::Map<String, Value> = hashes
        .iter()
        .map(|(a, h)| (a.name().to_string(), Value::String(h.clone())))
        .collect();
    json!({
        "bytes_in": stats.bytes_in,
        "seconds": seconds,
        "block_size": stats.block_size,
        "blocks": stats.blocks,
        "times_empty": stats.times_empty.iter().take(outputs.len()).sum::<u64>(),
        "times_full": stats.times_full,
        "max_fill_percent": stats.max_fill_percent(),
        "outputs": outs,
        "hashes": hashes,
        "exit_code": exit_code,
    })
}

/// Writes the document to `path` (`-` = stderr).
pub fn write(path: &Path, doc: &Value) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(doc).map_err(std::io::Error::other)?;
    text.push('\n');
    if path == Path::new("-") {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        std::fs::write(path, text)
    }
}

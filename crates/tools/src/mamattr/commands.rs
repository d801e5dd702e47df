//! The `mamattr` commands on a source of attributes: a device (READ/WRITE ATTRIBUTE through
//! `scsi_sg::attributes`, SPC-4 §6.16/§6.40 as summarised in reference/scsi.md §2-§4) or a
//! saved READ ATTRIBUTE response (`--inhex`). No CDB is built and no reply decoded here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use scsi_sg::attributes::{self as attrs, Attribute, AttributeWrite, TextLocalization};
use scsi_sg::{ScsiError, Transport};

use super::error::MamError;
use super::hexin::parse_hex;
use super::ident::id_hex;
use super::output::{self, TEXT_LOCALIZATION_ID};

/// ASC of "invalid field in CDB": what a drive answers when FIRST ATTRIBUTE IDENTIFIER names
/// an attribute it does not have (reference/scsi.md §2).
const ASC_INVALID_FIELD_IN_CDB: u8 = 0x24;

/// Where attributes come from.
pub enum Source {
    /// A device (or `.vtape`), named by `dev` in messages.
    Device {
        /// The device path.
        dev: String,
        /// Its SCSI transport.
        transport: Box<dyn Transport>,
        /// The partition number for every command.
        partition: u8,
    },
    /// A decoded `--inhex` file.
    Saved {
        /// The file.
        path: PathBuf,
        /// Its attributes.
        attributes: Vec<Attribute>,
    },
}

impl Source {
    /// The name used in messages (device path or file).
    pub fn label(&self) -> String {
        match self {
            Source::Device { dev, .. } => dev.clone(),
            Source::Saved { path, .. } => path.display().to_string(),
        }
    }

    fn scsi(&self, source: ScsiError) -> MamError {
        MamError::Scsi {
            dev: self.label(),
            source,
        }
    }

    /// Every attribute, ascending.
    pub fn all(&mut self) -> Result<Vec<Attribute>, MamError> {
        match self {
            Source::Saved { attributes, .. } => Ok(attributes.clone()),
            Source::Device {
                transport,
                partition,
                ..
            } => {
                let t = transport.as_mut();
                let p = *partition;
                let first = attrs::read_values(t, p, 0);
                let result = match first {
                    // No attribute 0000h on this medium: start at the first one it lists.
                    Err(ScsiError::IllegalRequest { ref sense, .. })
                        if sense.asc == ASC_INVALID_FIELD_IN_CDB =>
                    {
                        match attrs::list(t, p) {
                            Ok(ids) => match ids.first() {
                                Some(&id) => attrs::read_values(t, p, id),
                                None => Ok(Vec::new()),
                            },
                            Err(e) => Err(e),
                        }
                    }
                    other => other,
                };
                result.map_err(|e| self.scsi(e))
            }
        }
    }

    /// One attribute, or `None` when it is not present.
    pub fn one(&mut self, id: u16) -> Result<Option<Attribute>, MamError> {
        match self {
            Source::Saved { attributes, .. } => Ok(attributes.iter().find(|a| a.id == id).cloned()),
            Source::Device {
                transport,
                partition,
                ..
            } => {
                let r = attrs::read_one(transport.as_mut(), *partition, id);
                r.map_err(|e| self.scsi(e))
            }
        }
    }

    /// One attribute that must be present.
    pub fn require(&mut self, id: u16) -> Result<Attribute, MamError> {
        self.one(id)?.ok_or_else(|| MamError::NotPresent {
            dev: self.label(),
            id,
        })
    }

    /// The text localization for decoding TEXT attributes (0805h; ASCII when absent or
    /// unreadable).
    pub fn localization(&mut self) -> TextLocalization {
        match self.one(TEXT_LOCALIZATION_ID) {
            Ok(Some(a)) => output::localization(std::slice::from_ref(&a)),
            _ => TextLocalization::default(),
        }
    }

    /// WRITE ATTRIBUTE with these records (write-through).
    pub fn write(&mut self, writes: &[AttributeWrite]) -> Result<(), MamError> {
        match self {
            Source::Saved { path, .. } => Err(MamError::File {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::Unsupported,
                    "a saved response cannot be written",
                ),
            }),
            Source::Device {
                transport,
                partition,
                ..
            } => {
                let r = attrs::write(transport.as_mut(), *partition, writes, true);
                r.map_err(|e| self.scsi(e))
            }
        }
    }
}

/// Read a whole file (`-` = `input`).
pub fn read_file(path: &Path, input: &mut dyn Read) -> Result<Vec<u8>, MamError> {
    let mut buf = Vec::new();
    let r = if path.as_os_str() == "-" {
        input.read_to_end(&mut buf).map(|_| ())
    } else {
        std::fs::read(path).map(|b| buf = b)
    };
    r.map_err(|source| MamError::File {
        path: path.into(),
        source,
    })?;
    Ok(buf)
}

/// Decode a saved READ ATTRIBUTE (SA 00h) response: hex text, or binary with `raw`. Also
/// returns warnings for a response that is shorter than its AVAILABLE DATA says or that ends
/// in a cut record (the complete records are still used, as sg_read_attr does).
pub fn load_saved(
    path: &Path,
    raw: bool,
    input: &mut dyn Read,
) -> Result<(Source, Vec<String>), MamError> {
    let bytes = read_file(path, input)?;
    let bytes = if raw {
        bytes
    } else {
        parse_hex(&String::from_utf8_lossy(&bytes)).map_err(|source| MamError::Hex {
            path: path.into(),
            source,
        })?
    };
    let reply = attrs::parse_values(&bytes).map_err(|source| MamError::Decode {
        path: path.into(),
        source,
    })?;
    let mut warnings = Vec::new();
    if reply.truncated {
        warnings.push(format!(
            "AVAILABLE DATA is {} bytes but the response holds {}",
            reply.available,
            bytes.len().saturating_sub(4)
        ));
    }
    if let Some(cut) = &reply.incomplete {
        warnings.push(format!(
            "attribute {} is cut: {} of {} value bytes present",
            id_hex(cut.id),
            cut.present,
            cut.length
        ));
    }
    let src = Source::Saved {
        path: path.into(),
        attributes: reply.attributes,
    };
    Ok((src, warnings))
}

/// `set`: encode the user's value for the attribute and write it.
pub fn set(src: &mut Source, id: u16, value: &str) -> Result<(), MamError> {
    let w = attrs::encode(id, value).map_err(|source| MamError::Attribute {
        dev: src.label(),
        source,
    })?;
    src.write(&[w])
}

/// `delete`: WRITE ATTRIBUTE with length 0.
pub fn delete(src: &mut Source, id: u16) -> Result<(), MamError> {
    src.write(&[AttributeWrite::delete(id)])
}

/// `read -o FILE`: the ITDT raw file (header + value) of one attribute.
pub fn read_raw(src: &mut Source, id: u16) -> Result<Vec<u8>, MamError> {
    let a = src.require(id)?;
    attrs::to_raw_file(&a).map_err(|source| MamError::Attribute {
        dev: src.label(),
        source,
    })
}

/// `write FILE`: send the attribute of an ITDT raw file.
pub fn write_raw(
    src: &mut Source,
    path: &Path,
    input: &mut dyn Read,
) -> Result<Attribute, MamError> {
    let bytes = read_file(path, input)?;
    let a = attrs::parse_raw_file(&bytes).map_err(|source| MamError::Decode {
        path: path.into(),
        source,
    })?;
    src.write(&[AttributeWrite::from_attribute(&a)])?;
    Ok(a)
}

/// Write `bytes` to `path` (`-` = `out`).
pub fn save(path: &Path, bytes: &[u8], out: &mut dyn Write) -> Result<(), MamError> {
    if path.as_os_str() == "-" {
        return out.write_all(bytes).map_err(MamError::Output);
    }
    std::fs::write(path, bytes).map_err(|source| MamError::File {
        path: path.into(),
        source,
    })
}

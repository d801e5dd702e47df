//! The commands that change a cartridge file: `create` and `protect`, and the opener shared
//! with `info` / `dump`.

use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::Path;

use vtape::medium::{FormatSize, Medium, MediumConfig};

use super::cli::{CreateArgs, Switch};
use super::error::CliError;
use crate::size::format_size;

/// The configuration `vtape create` asks for. `--partition-size` with one partition is a
/// usage error, checked by the caller.
pub fn create_config(args: &CreateArgs) -> MediumConfig {
    let generation = args.generation.into();
    let mut config = MediumConfig::new(generation);
    if let Some(capacity) = args.capacity {
        config = config.with_capacity(capacity);
    }
    if args.partitions == 2 {
        let p1 = args.partition_size.unwrap_or(config.capacity / 2);
        config = config.with_partitions(FormatSize::Partition1(p1));
    }
    config.write_protect = args.write_protect;
    config
}

/// `vtape create`: validates the configuration, then creates the file — only if it does not
/// exist yet, unless `force` (an existing file must be a regular file, and one held by
/// another process gives "device busy" without being touched). Returns the line to print.
pub fn create(args: &CreateArgs) -> Result<String, CliError> {
    let path = args.path.as_path();
    let config = create_config(args);
    config.validate().map_err(|e| CliError::medium(path, e))?;
    let created_here = if args.force {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => return Err(CliError::NotRegularFile(path.into())),
            Ok(_) => false,
            Err(e) if e.kind() == ErrorKind::NotFound => true,
            Err(e) => return Err(CliError::io(path, e)),
        }
    } else {
        match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(_) => true,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                return Err(CliError::Exists(path.into()))
            }
            Err(e) => return Err(CliError::io(path, e)),
        }
    };
    let result = Medium::create(path, &config).and_then(|mut m| {
        vtape::drive::init_cartridge_memory(&mut m, args.barcode.as_deref())?;
        m.close()
    });
    if let Err(e) = result {
        if created_here {
            let _ = std::fs::remove_file(path);
        }
        return Err(CliError::medium(path, e));
    }
    let parts = match config.partitions.layout(config.capacity) {
        Ok(sizes) if sizes.len() == 2 => {
            let sizes: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
            format!("2 partitions ({} bytes)", sizes.join(" + "))
        }
        _ => "1 partition".to_owned(),
    };
    Ok(format!(
        "{}: created {} cartridge, density 0x{:02X}, {} bytes ({}), {}{}",
        path.display(),
        config.generation.name(),
        config.generation.density_code(),
        config.capacity,
        format_size(config.capacity),
        parts,
        if config.write_protect {
            ", write protected"
        } else {
            ""
        }
    ))
}

/// Opens a medium for a command, naming the file in any error.
pub fn open(path: &Path) -> Result<Medium, CliError> {
    Medium::open(path).map_err(|e| CliError::medium(path, e))
}

/// `vtape protect PATH on|off`: sets the switch (no write when it is already there).
pub fn protect(path: &Path, switch: Switch) -> Result<String, CliError> {
    let on = switch == Switch::On;
    let mut m = open(path)?;
    if m.write_protected() != on {
        m.set_write_protect(on)
            .map_err(|e| CliError::medium(path, e))?;
    }
    m.close().map_err(|e| CliError::medium(path, e))?;
    Ok(format!(
        "{}: write protect {}",
        path.display(),
        if on { "on" } else { "off" }
    ))
}

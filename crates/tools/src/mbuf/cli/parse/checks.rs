//! The end of the parse (`reference/mbuffer.md` §1, §5): defaults, the values of the config
//! files where the command line gave none, the buffer geometry, and the checks across options
//! (watermarks, multi-volume and autoloader combinations, watchdog), with mbuffer's texts.

use super::super::config::Config;
use super::super::geometry::{self, Request};
use super::super::{CliError, Env};
use super::{Raw, DEFAULT_STATUS_INTERVAL, DEFAULT_TCP_TIMEOUT};
use crate::mbuf::options::{verbosity, BufferBacking, InputSpec, NetOptions, Options, OutputSpec};

/// Applies defaults, the config and the cross-option checks (`reference/mbuffer.md` §1, §5).
pub(super) fn finish(
    program: String,
    mut raw: Raw,
    cfg: Config,
    env: &Env,
) -> Result<Options, CliError> {
    let input = raw.input.take().unwrap_or_default();
    let tcp_buffer = raw.tcp_buffer.or(cfg.tcp_buffer).flatten();
    let timeout = raw
        .tcp_timeout
        .or(cfg.tcp_timeout)
        .unwrap_or(Some(DEFAULT_TCP_TIMEOUT));
    let input = match input {
        InputSpec::Listen { peer, port, net } => InputSpec::Listen {
            peer,
            port,
            net: NetOptions {
                tcp_buffer,
                timeout,
                ..net
            },
        },
        other => other,
    };
    let retry = raw.connect_retry;
    let outputs: Vec<OutputSpec> = std::mem::take(&mut raw.outputs)
        .into_iter()
        .map(|o| match o {
            file @ OutputSpec::File { .. } => file,
            OutputSpec::Connect {
                host, port, net, ..
            } => OutputSpec::Connect {
                host,
                port,
                net: NetOptions {
                    tcp_buffer,
                    timeout,
                    ..net
                },
                retry,
            },
            other => other,
        })
        .collect();

    let high = raw.high.or(cfg.high_watermark);
    let low = raw.low.or(cfg.low_watermark);
    // A config watermark gives way to the other one given on the command line.
    let (high, low) = match (raw.high, raw.low) {
        (Some(_), None) => (high, None),
        (None, Some(_)) => (None, low),
        _ if high.is_some() && low.is_some() => {
            return Err(CliError::new(
                "setting both low watermark and high watermark doesn't make any sense...",
            ))
        }
        _ => (high, low),
    };

    let input_is_file = matches!(input, InputSpec::File(_));
    let file_outputs = outputs
        .iter()
        .filter(|o| matches!(o, OutputSpec::File { .. }))
        .count();
    if let Some(n) = raw.input_volumes {
        if n != 1 && !input_is_file {
            return Err(CliError::new(
                "multi-volume support for input needs an explicitly specified input device \
                 (option -i)",
            ));
        }
    }
    let autoloader = raw.autoload_command.is_some() || raw.autoload_time_given;
    if autoloader && input_is_file && file_outputs > 0 {
        return Err(CliError::new(
            "Which one is your autoloader? Input or output? Replace input or output with a pipe.",
        ));
    }
    if autoloader && !input_is_file && file_outputs == 0 {
        return Err(CliError::new(
            "Setting autoloader time or command without using a device doesn't make any sense!",
        ));
    }
    if (raw.volume_size.is_some() || raw.autoload_command.is_some()) && outputs.len() > 1 {
        return Err(CliError::new(
            "multi-volume support is unsupported with multiple outputs",
        ));
    }
    let autoload_time = raw.autoload_time.or(cfg.autoload_time);
    let watchdog = raw.watchdog.or(cfg.watchdog);
    if let (Some(w), Some(a)) = (watchdog, autoload_time) {
        if w < a.saturating_mul(2) {
            return Err(CliError::new("timeout must be at least 2x autoload time"));
        }
    }

    let config_geometry = Request {
        block_size: cfg.block_size,
        memory: cfg.memory,
        blocks: cfg.blocks,
    };
    let geo = geometry::resolve(
        raw.geometry,
        config_geometry,
        env.physical_memory,
        if env.page_size == 0 {
            4096
        } else {
            env.page_size
        },
    )?;
    raw.warnings.extend(geo.warnings);

    let mlock = raw.mlock || cfg.memlock.unwrap_or(false);
    if mlock && raw.backing != BufferBacking::Memory {
        raw.warnings
            .push("-L (memory lock) is not used with a file-backed buffer".to_string());
    }
    let direct = raw.direct.or(cfg.direct).unwrap_or(false);
    if raw.direct == Some(true) {
        raw.warnings
            .push("option --direct accepted but ignored: mbuf does not use O_DIRECT".to_string());
    }

    Ok(Options {
        program,
        input,
        outputs,
        block_size: geo.block_size,
        blocks: geo.blocks,
        high_watermark: high,
        low_watermark: low,
        read_rate: raw.read_rate.or(cfg.read_rate),
        write_rate: raw.write_rate.or(cfg.write_rate),
        pause: raw.pause.or(cfg.pause),
        volume_size: raw.volume_size,
        input_volumes: raw.input_volumes,
        autoload_command: raw.autoload_command,
        autoload_time,
        tapeaware: raw.tapeaware || cfg.tapeaware.unwrap_or(false),
        sync: raw.sync,
        stop_on_error: raw.stop_on_error,
        device_blocksize: raw.device_blocksize,
        direct,
        hashes: raw.hashes,
        log_file: raw.log_file,
        quiet: raw.quiet || cfg.show_status == Some(false),
        quiet_log: raw.quiet_log || cfg.log_status == Some(false),
        verbose: raw.verbose.or(cfg.verbose).unwrap_or(verbosity::WARNING),
        watchdog,
        print_pid: raw.print_pid || cfg.print_pid.unwrap_or(false),
        mlock,
        prefault: raw.prefault,
        backing: raw.backing,
        status_interval: cfg.status_interval.unwrap_or(DEFAULT_STATUS_INTERVAL),
        framed: raw.framed,
        progress: raw.progress,
        stats_json: raw.stats_json,
        warnings: raw.warnings,
    })
}

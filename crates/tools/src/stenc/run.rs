//! The `stenc` program: 1.0.7's flows, messages and exit codes (`reference/stenc.md` §1),
//! on the library's encryption pages (`scsi_sg::encryption`) over the tools' device opener.
//!
//! Exit codes: 0 success; 1 for every error. Unlike 1.0.7, a failed drive query in status
//! mode exits 1 (1.0.7 exits 0), and status never moves the tape (1.0.7 spaced up to 100
//! records when the next block status was "unable to determine").
//!
//! Set flow: key (file, `-k -`, or prompt) → `Provided key length…`/`Key checksum…` →
//! `Turning on|off encryption on device '<dev>'...` → open → read the capabilities page,
//! choose the algorithm (`-a`, else the only one listed, else index 0 as 1.0.7) → validate →
//! SPOUT → re-read the status page and compare both modes → audit log → `Success! …`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use scsi_sg::encryption::{
    self as enc, DataEncryptionCapabilities, EncryptionMode, Key, Rdmc, SetDataEncryption,
};
use scsi_sg::{inquiry, ScsiError, Transport};

use super::audit::{self, KeyMark};
use super::cli::{self, Invocation, SetRequest};
use super::errors::{format_errno, format_scsi_error};
use super::keygen::{self, KeygenOutcome, OVER_256_WARNING};
use super::keys::{self, LoadedKey};
use super::status::{format_header, format_json, format_status, StatusReport};
use crate::device::OpenError;

/// Opens a device path as a SCSI transport.
pub type Opener<'a> = dyn FnMut(&str) -> Result<Box<dyn Transport>, OpenError> + 'a;

/// Everything the program talks to, so tests can run it without a drive or a terminal.
pub struct Env<'a> {
    /// Standard output.
    pub out: &'a mut dyn Write,
    /// Standard error.
    pub err: &'a mut dyn Write,
    /// Standard input (`-k -`, key prompts).
    pub input: &'a mut dyn BufRead,
    /// Switches terminal echo (false = off) while a key is typed; a no-op off a terminal.
    pub echo: &'a mut dyn FnMut(bool),
    /// `$TAPE`.
    pub tape_env: Option<String>,
    /// Audit log path (1.0.7: `/var/log/stenc`).
    pub audit_log: PathBuf,
    /// The device opener ([`crate::device::open_transport`] in the binary).
    pub open: &'a mut Opener<'a>,
}

impl Env<'_> {
    fn out(&mut self, s: &str) {
        let _ = self.out.write_all(s.as_bytes());
    }
    fn err(&mut self, s: &str) {
        let _ = self.err.write_all(s.as_bytes());
    }
    /// `Error: <msg>` on stderr and the usage on stdout: exit 1.
    fn fail(&mut self, msg: &str) -> u8 {
        self.err(&format!("Error: {msg}\n"));
        self.out(cli::USAGE);
        1
    }
    fn open_device(&mut self, dev: &str) -> Result<Box<dyn Transport>, u8> {
        match (self.open)(dev) {
            Ok(t) => Ok(t),
            Err(e) => {
                let text = match &e {
                    OpenError::Os(errno) => format!(
                        "ERROR: 0x{:x} ({})",
                        *errno as i32,
                        tape_io::error::strerror(*errno)
                    ),
                    other => format!("ERROR: {other}"),
                };
                self.err(&format!("Could not open device '{dev}': {text}\n"));
                Err(1)
            }
        }
    }
}

/// Run `stenc` with `args` (without the program name); returns the exit status.
pub fn run(args: &[String], env: &mut Env<'_>) -> u8 {
    let inv = match cli::parse_args(args, env.tape_env.as_deref()) {
        Ok(inv) => inv,
        Err(e) => return env.fail(&e.0),
    };
    match inv {
        Invocation::Version => {
            env.out(cli::VERSION);
            0
        }
        Invocation::Help => {
            env.out(cli::USAGE);
            env.out(cli::HELP_EXTRA);
            0
        }
        Invocation::Generate {
            bits,
            file,
            description,
        } => {
            if bits > 256 {
                env.out(OVER_256_WARNING);
            }
            match keygen::generate(bits, &file, description.as_deref()) {
                KeygenOutcome::Saved(text) => {
                    env.out(&text);
                    0
                }
                KeygenOutcome::Failed(msg) => env.fail(&msg),
            }
        }
        Invocation::Status {
            device,
            detail,
            json,
        } => status(env, &device, detail, json),
        Invocation::Set(req) => set(env, &req),
    }
}

fn status(env: &mut Env<'_>, dev: &str, detail: bool, json: bool) -> u8 {
    if !json {
        env.out(&format_header(dev));
    }
    let mut t = match env.open_device(dev) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let inq = if detail || json {
        match inquiry::standard(t.as_mut()) {
            Ok(i) => Some(i),
            Err(e) => {
                env.err(&format_scsi_error(&e));
                return 1;
            }
        }
    } else {
        None
    };
    let des = match enc::status(t.as_mut()) {
        Ok(d) => d,
        Err(e) => {
            env.err(&format_scsi_error(&e));
            return 1;
        }
    };
    // Next block status: reported as the drive gives it, never probed by moving the tape.
    // No cartridge (NOT READY) leaves the volume lines out.
    let nbes = if detail || json {
        match enc::next_block_status(t.as_mut()) {
            Ok(n) => Some(n),
            Err(ScsiError::NotReady(_)) => None,
            Err(e) => {
                env.err(&format_scsi_error(&e));
                return 1;
            }
        }
    } else {
        None
    };
    let report = StatusReport {
        inquiry: inq.as_ref(),
        des: &des,
        nbes: nbes.as_ref(),
        detail: detail || json,
    };
    if json {
        env.out(&format_json(dev, &report));
    } else {
        env.out(&format_status(&report));
    }
    0
}

/// The key and description for a request that needs one.
fn obtain_key(env: &mut Env<'_>, req: &SetRequest) -> Result<(Key, Option<String>), u8> {
    let loaded = match keys::load(&req.key, req.strict_key_perms, env.input) {
        Ok(l) => l,
        Err(e) => return Err(env.fail(&e.0)),
    };
    match loaded {
        Some(LoadedKey { file, warning }) => {
            if let Some(w) = warning {
                env.err(&w);
            }
            // 1.0.7: the key file's description line overrides -kd.
            let desc = file.description.or_else(|| req.description.clone());
            Ok((file.key, desc))
        }
        None => {
            let (input, out, echo) = (&mut *env.input, &mut *env.out, &mut *env.echo);
            match keys::prompt(input, out, echo) {
                Ok(k) => Ok((k, req.description.clone())),
                Err(e) => Err(env.fail(&e.0)),
            }
        }
    }
}

/// Choose the algorithm index: `-a`, else the only one the drive lists, else 1.0.7's 0.
/// The stenc 2.0 note naming the chosen algorithm is printed only when a key is set: for
/// `-e off` the index carries nothing, and 1.0.7 prints nothing there (its transcript of
/// `stenc -f DEV -e off` has no stderr; tests/vm/scenarios/60-stenc.sh compares them).
fn choose_algorithm(env: &mut Env<'_>, req: &SetRequest, dec: &DataEncryptionCapabilities) -> u8 {
    if let Some(a) = req.algorithm {
        return a;
    }
    match dec.algorithms.as_slice() {
        [only] if !req.needs_key() => only.index,
        [only] => {
            let name = only
                .name()
                .map_or_else(|| format!("algorithm {}", only.index), str::to_string);
            env.err(&format!(
                "Algorithm index not specified, using {} ({name})\n",
                only.index
            ));
            only.index
        }
        _ => 0,
    }
}

fn set(env: &mut Env<'_>, req: &SetRequest) -> u8 {
    let dev = req.device.as_str();
    if let Some(note) = req.inferred {
        env.err(&format!("{note}\n"));
    }
    let on = req.encryption != EncryptionMode::Disable;
    let (key, description) = if req.needs_key() {
        match obtain_key(env, req) {
            Ok(k) => k,
            Err(code) => return code,
        }
    } else {
        (Key::default(), None)
    };
    if !key.is_empty() {
        env.out(&format!(
            "Provided key length is {} bits.\nKey checksum is {:x}.\n",
            key.bits(),
            key.legacy_checksum()
        ));
    }
    let word = if on { "on" } else { "off" };
    env.out(&format!("Turning {word} encryption on device '{dev}'...\n"));
    let mut t = match env.open_device(dev) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let failed =
        |env: &mut Env<'_>| env.fail(&format!("Turning encryption {word} for '{dev}' failed!"));
    let dec = match enc::capabilities(t.as_mut()) {
        Ok(d) => d,
        Err(e) => {
            env.err(&format_scsi_error(&e));
            return failed(env);
        }
    };
    let index = choose_algorithm(env, req, &dec);
    let checksum = key.legacy_checksum();
    let mut sde = SetDataEncryption::on(index, key);
    sde.encryption_mode = req.encryption;
    sde.decryption_mode = req.decryption;
    if !req.needs_key() {
        sde = SetDataEncryption::off(index);
    }
    sde = sde
        .with_ckod(req.ckod)
        .with_rdmc(req.rdmc.unwrap_or(Rdmc::AlgorithmDefault));
    let description = description.filter(|d| on && !d.is_empty());
    if let Some(d) = &description {
        sde = sde.with_ukad(d.as_bytes().to_vec());
    }
    if let Err(e) = enc::validate(&sde, &dec) {
        return env.fail(&format!("{e}"));
    }
    if let Err(e) = enc::set_data_encryption(t.as_mut(), &sde) {
        env.err(&format_scsi_error(&e));
        return failed(env);
    }
    drop(sde);
    let des = match enc::status(t.as_mut()) {
        Ok(d) => d,
        Err(e) => {
            env.err(&format_scsi_error(&e));
            return failed(env);
        }
    };
    if des.encryption_mode != req.encryption || des.decryption_mode != req.decryption {
        return failed(env);
    }
    let mark = if on {
        Some(match description {
            Some(d) => KeyMark::Descriptor(d),
            None => KeyMark::Checksum(checksum),
        })
    } else {
        None
    };
    let line = audit::audit_line(
        &audit::today(),
        dev,
        mark.as_ref(),
        des.key_instance_counter,
    );
    if let Err(e) = audit::append(&env.audit_log, &line) {
        let path = env.audit_log.display().to_string();
        env.err(&format!(
            "Warning: could not write the audit log '{path}': {}\n",
            e.raw_os_error()
                .map_or_else(
                    || e.to_string(),
                    |n| format_errno(nix::errno::Errno::from_raw(n))
                )
                .trim_end()
        ));
    }
    env.out(&format!(
        "Success! See '{}' for a key change audit log.\n",
        env.audit_log.display()
    ));
    0
}

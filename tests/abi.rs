//! ABI probe: the Rust mirrors of `<linux/mtio.h>` and `<scsi/sg.h>` against the C headers of
//! this machine.
//!
//! The test writes a C program that prints, for `struct mtop`, `mtget`, `mtpos` and
//! `sg_io_hdr`, the size and alignment of the struct and the offset, size and integer kind
//! (signed / unsigned / pointer) of every field, plus the ioctl numbers, the MTIOCTOP operation
//! codes, the GMT_* bits and the MTSETDRVBUFFER codes. It compiles the program with `cc` (or
//! `$CC`), runs it and compares every line with the value Rust computes. Field lists are checked
//! for completeness on the Rust side (exhaustive destructuring) and on the C side (a missing
//! field does not compile).
//!
//! Without a C compiler the test is skipped with a message, unless `CI` is set: then it fails.

use std::collections::BTreeMap;
use std::fmt::LowerHex;
use std::mem::{align_of, offset_of, size_of};
use std::path::Path;
use std::process::Command;

use scsi_sg::sys::{SgIoHdr, SG_IO};
use tape_io::options as opt;
use tape_io::sys::{MtGet, MtOpRaw, MtPos, MTIOCGET, MTIOCPOS, MTIOCTOP};
use tape_io::{DriverOptions, DrvBufferRequest, GmtFlags, MtOp};

/// One line of the probe: a name, the C expression that computes it, and Rust's value, both
/// printed in lowercase hex (two's complement for negative Rust values, as the C side casts
/// to an unsigned type of the same width).
struct Probe {
    key: String,
    c_expr: String,
    rust: String,
}

fn probe(key: impl Into<String>, c_expr: impl Into<String>, rust: impl LowerHex) -> Probe {
    Probe {
        key: key.into(),
        c_expr: c_expr.into(),
        rust: format!("{rust:x}"),
    }
}

/// Integer kind of a field type: 1 signed, 0 unsigned, 2 pointer (the C side's `KIND` macro).
trait CKind {
    const KIND: u8;
}
macro_rules! kind {
    ($k:expr => $($t:ty),*) => { $(impl CKind for $t { const KIND: u8 = $k; })* };
}
kind!(1 => i8, i16, i32, i64);
kind!(0 => u8, u16, u32, u64);
impl<T> CKind for *mut T {
    const KIND: u8 = 2;
}
impl<T> CKind for *const T {
    const KIND: u8 = 2;
}

fn field_size<S, F>(_: fn(&S) -> &F) -> usize {
    size_of::<F>()
}
fn field_kind<S, F: CKind>(_: fn(&S) -> &F) -> u8 {
    F::KIND
}

/// Probes for one struct: size, alignment, and offset/size/kind of each field. The
/// destructuring `let` fails to compile if the Rust struct has a field not listed here.
macro_rules! layout {
    ($out:ident, $c:literal, $rust:ident { $($f:ident),* $(,)? }) => {{
        #[allow(dead_code)]
        fn exhaustive(v: &$rust) {
            let $rust { $($f: _),* } = v;
        }
        $out.push(probe(concat!("sizeof ", $c), concat!("sizeof(struct ", $c, ")"), size_of::<$rust>()));
        $out.push(probe(concat!("alignof ", $c), concat!("_Alignof(struct ", $c, ")"), align_of::<$rust>()));
        $(
            let field = concat!("((struct ", $c, " *)0)->", stringify!($f));
            let name = concat!($c, ".", stringify!($f));
            $out.push(probe(
                format!("offsetof {name}"),
                concat!("offsetof(struct ", $c, ", ", stringify!($f), ")"),
                offset_of!($rust, $f),
            ));
            $out.push(probe(format!("sizeof {name}"), format!("sizeof({field})"), field_size(|s: &$rust| &s.$f)));
            $out.push(probe(format!("kind {name}"), format!("KIND({field})"), field_kind(|s: &$rust| &s.$f)));
        )*
    }};
}

/// MTIOCTOP operation codes with their `<linux/mtio.h>` names.
const MT_OPS: [(MtOp, &str); 33] = [
    (MtOp::Reset, "MTRESET"),
    (MtOp::Fsf, "MTFSF"),
    (MtOp::Bsf, "MTBSF"),
    (MtOp::Fsr, "MTFSR"),
    (MtOp::Bsr, "MTBSR"),
    (MtOp::Weof, "MTWEOF"),
    (MtOp::Rew, "MTREW"),
    (MtOp::Offl, "MTOFFL"),
    (MtOp::Nop, "MTNOP"),
    (MtOp::Reten, "MTRETEN"),
    (MtOp::Bsfm, "MTBSFM"),
    (MtOp::Fsfm, "MTFSFM"),
    (MtOp::Eom, "MTEOM"),
    (MtOp::Erase, "MTERASE"),
    (MtOp::Ras1, "MTRAS1"),
    (MtOp::Ras2, "MTRAS2"),
    (MtOp::Ras3, "MTRAS3"),
    (MtOp::SetBlk, "MTSETBLK"),
    (MtOp::SetDensity, "MTSETDENSITY"),
    (MtOp::Seek, "MTSEEK"),
    (MtOp::Tell, "MTTELL"),
    (MtOp::SetDrvBuffer, "MTSETDRVBUFFER"),
    (MtOp::Fss, "MTFSS"),
    (MtOp::Bss, "MTBSS"),
    (MtOp::Wsm, "MTWSM"),
    (MtOp::Lock, "MTLOCK"),
    (MtOp::Unlock, "MTUNLOCK"),
    (MtOp::Load, "MTLOAD"),
    (MtOp::Unload, "MTUNLOAD"),
    (MtOp::Compression, "MTCOMPRESSION"),
    (MtOp::SetPart, "MTSETPART"),
    (MtOp::MkPart, "MTMKPART"),
    (MtOp::WeofI, "MTWEOFI"),
];

/// st driver option bits with their `<linux/mtio.h>` names.
const OPTION_BITS: [(u32, &str); 16] = [
    (DriverOptions::BUFFER_WRITES, "MT_ST_BUFFER_WRITES"),
    (DriverOptions::ASYNC_WRITES, "MT_ST_ASYNC_WRITES"),
    (DriverOptions::READ_AHEAD, "MT_ST_READ_AHEAD"),
    (DriverOptions::DEBUGGING, "MT_ST_DEBUGGING"),
    (DriverOptions::TWO_FM, "MT_ST_TWO_FM"),
    (DriverOptions::FAST_MTEOM, "MT_ST_FAST_MTEOM"),
    (DriverOptions::AUTO_LOCK, "MT_ST_AUTO_LOCK"),
    (DriverOptions::DEF_WRITES, "MT_ST_DEF_WRITES"),
    (DriverOptions::CAN_BSR, "MT_ST_CAN_BSR"),
    (DriverOptions::NO_BLKLIMS, "MT_ST_NO_BLKLIMS"),
    (DriverOptions::CAN_PARTITIONS, "MT_ST_CAN_PARTITIONS"),
    (DriverOptions::SCSI2LOGICAL, "MT_ST_SCSI2LOGICAL"),
    (DriverOptions::SYSV, "MT_ST_SYSV"),
    (DriverOptions::NOWAIT, "MT_ST_NOWAIT"),
    (DriverOptions::SILI, "MT_ST_SILI"),
    (DriverOptions::NOWAIT_EOF, "MT_ST_NOWAIT_EOF"),
];

fn probes() -> Vec<Probe> {
    let mut p = Vec::new();
    layout!(p, "mtop", MtOpRaw { mt_op, mt_count });
    layout!(
        p,
        "mtget",
        MtGet {
            mt_type,
            mt_resid,
            mt_dsreg,
            mt_gstat,
            mt_erreg,
            mt_fileno,
            mt_blkno
        }
    );
    layout!(p, "mtpos", MtPos { mt_blkno });
    layout!(
        p,
        "sg_io_hdr",
        SgIoHdr {
            interface_id,
            dxfer_direction,
            cmd_len,
            mx_sb_len,
            iovec_count,
            dxfer_len,
            dxferp,
            cmdp,
            sbp,
            timeout,
            flags,
            pack_id,
            usr_ptr,
            status,
            masked_status,
            msg_status,
            sb_len_wr,
            host_status,
            driver_status,
            resid,
            duration,
            info,
        }
    );

    p.push(probe("MTIOCTOP", "(unsigned long)MTIOCTOP", MTIOCTOP));
    p.push(probe("MTIOCGET", "(unsigned long)MTIOCGET", MTIOCGET));
    p.push(probe("MTIOCPOS", "(unsigned long)MTIOCPOS", MTIOCPOS));
    p.push(probe("SG_IO", "(unsigned long)SG_IO", SG_IO));

    for (op, name) in MT_OPS {
        p.push(probe(name, format!("(unsigned short){name}"), op.code()));
    }
    assert_eq!(MT_OPS.len(), MtOp::ALL.len(), "every MtOp is probed");
    for (bit, name) in GmtFlags::NAMES {
        p.push(probe(
            format!("GMT_{name}"),
            format!("(unsigned int)GMT_{name}(~0UL)"),
            bit,
        ));
    }
    for (bit, name) in OPTION_BITS {
        p.push(probe(name, format!("(unsigned int){name}"), bit));
    }

    let codes = [
        (opt::MT_ST_OPTIONS, "MT_ST_OPTIONS"),
        (opt::MT_ST_BOOLEANS, "MT_ST_BOOLEANS"),
        (opt::MT_ST_WRITE_THRESHOLD, "MT_ST_WRITE_THRESHOLD"),
        (opt::MT_ST_SETBOOLEANS, "MT_ST_SETBOOLEANS"),
        (opt::MT_ST_CLEARBOOLEANS, "MT_ST_CLEARBOOLEANS"),
        (opt::MT_ST_DEF_BLKSIZE, "MT_ST_DEF_BLKSIZE"),
        (opt::MT_ST_DEF_DENSITY, "MT_ST_DEF_DENSITY"),
        (opt::MT_ST_DEF_COMPRESSION, "MT_ST_DEF_COMPRESSION"),
        (opt::MT_ST_DEF_DRVBUFFER, "MT_ST_DEF_DRVBUFFER"),
        (opt::MT_ST_SET_TIMEOUT, "MT_ST_SET_TIMEOUT"),
        (opt::MT_ST_SET_LONG_TIMEOUT, "MT_ST_SET_LONG_TIMEOUT"),
        (opt::MT_ST_SET_CLN, "MT_ST_SET_CLN"),
        (opt::MT_ST_CLEAR_DEFAULT, "MT_ST_CLEAR_DEFAULT"),
    ];
    for (value, name) in codes {
        p.push(probe(name, format!("(unsigned int){name}"), value));
    }

    // What the typed requests encode, against the header's codes (value 0, or "clear").
    use DrvBufferRequest as R;
    let requests = [
        (R::SetBooleans(0), "MT_ST_BOOLEANS"),
        (R::WriteThreshold(0), "MT_ST_WRITE_THRESHOLD"),
        (R::SetBits(0), "MT_ST_SETBOOLEANS"),
        (R::ClearBits(0), "MT_ST_CLEARBOOLEANS"),
        (R::DefBlockSize(Some(0)), "MT_ST_DEF_BLKSIZE"),
        (R::DefBlockSize(None), "MT_ST_DEF_BLKSIZE | ~MT_ST_OPTIONS"),
        (
            R::DefDensity(None),
            "MT_ST_DEF_DENSITY | MT_ST_CLEAR_DEFAULT",
        ),
        (
            R::DefCompression(None),
            "MT_ST_DEF_COMPRESSION | MT_ST_CLEAR_DEFAULT",
        ),
        (
            R::DefDrvBuffer(None),
            "MT_ST_DEF_DRVBUFFER | MT_ST_CLEAR_DEFAULT",
        ),
        (R::Timeout(0), "MT_ST_SET_TIMEOUT"),
        (R::LongTimeout(0), "MT_ST_SET_LONG_TIMEOUT"),
        (R::SetCleaning(0), "MT_ST_SET_CLN"),
    ];
    for (request, expr) in requests {
        p.push(probe(
            format!("count {request:?}"),
            format!("(unsigned int)({expr})"),
            request.count(),
        ));
    }
    p
}

/// The C program that prints `key=value` (hex) for every probe.
fn c_source(probes: &[Probe]) -> String {
    let mut src = String::from(
        "#include <linux/mtio.h>\n#include <scsi/sg.h>\n#include <stddef.h>\n#include <stdio.h>\n\n\
         /* 1 signed, 0 unsigned, 2 anything else (pointers) */\n\
         #define KIND(x) _Generic((x), \\\n\
         \x20   char: ((char)-1 < 0), signed char: 1, short: 1, int: 1, long: 1, long long: 1, \\\n\
         \x20   unsigned char: 0, unsigned short: 0, unsigned int: 0, unsigned long: 0, \\\n\
         \x20   unsigned long long: 0, default: 2)\n\n\
         int main(void)\n{\n",
    );
    for p in probes {
        src.push_str(&format!(
            "    printf(\"%s=%llx\\n\", \"{}\", (unsigned long long)({}));\n",
            p.key, p.c_expr
        ));
    }
    src.push_str("    return 0;\n}\n");
    src
}

/// Compile and run the probe; `Ok(None)` when no C compiler is installed.
fn run_c_probe(dir: &Path, src: &str) -> Result<Option<String>, String> {
    let c_file = dir.join("abi_probe.c");
    let exe = dir.join("abi_probe");
    std::fs::write(&c_file, src).map_err(|e| format!("write {}: {e}", c_file.display()))?;
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let compiled = Command::new(&cc)
        .arg("-std=gnu11")
        .arg("-Wall")
        .arg("-o")
        .arg(&exe)
        .arg(&c_file)
        .output();
    let compiled = match compiled {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("running {cc}: {e}")),
    };
    if !compiled.status.success() {
        return Err(format!(
            "{cc} failed ({}):\n{}\n--- source ---\n{src}",
            compiled.status,
            String::from_utf8_lossy(&compiled.stderr)
        ));
    }
    let run = Command::new(&exe)
        .output()
        .map_err(|e| format!("running the probe: {e}"))?;
    if !run.status.success() {
        return Err(format!("probe exited with {}", run.status));
    }
    String::from_utf8(run.stdout)
        .map(Some)
        .map_err(|e| format!("probe output: {e}"))
}

#[test]
fn rust_abi_matches_c_headers() {
    let probes = probes();
    let dir = tempfile::tempdir().expect("temporary directory");
    let output = match run_c_probe(dir.path(), &c_source(&probes)) {
        Ok(Some(out)) => out,
        Ok(None) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "no C compiler (`cc` or $CC) found, and CI is set"
            );
            eprintln!("SKIPPED rust_abi_matches_c_headers: no C compiler (`cc` or $CC) found");
            return;
        }
        Err(e) => panic!("{e}"),
    };

    let c_values: BTreeMap<&str, &str> = output.lines().filter_map(|l| l.split_once('=')).collect();
    let mut mismatches = Vec::new();
    for p in &probes {
        match c_values.get(p.key.as_str()) {
            Some(c) if *c == p.rust => {}
            Some(c) => mismatches.push(format!("{:<40} C {c:>10}  Rust {:>10}", p.key, p.rust)),
            None => mismatches.push(format!("{:<40} missing from the probe output", p.key)),
        }
    }
    assert_eq!(
        c_values.len(),
        probes.len(),
        "one output line per probe (duplicate keys?)"
    );
    assert!(
        mismatches.is_empty(),
        "ABI mismatches (hex):\n{}",
        mismatches.join("\n")
    );
}

//! pax extended header records (POSIX.1-2017 `pax`, "pax Extended Header"): each record is
//! `"%d %s=%s\n"`, the decimal length counting the whole record. Decoding follows GNU tar
//! 1.34's `xheader.c` (`decode_record`): blanks before the length are skipped, a NUL where a
//! length should start ends the header, anything else malformed is an error. Only the keys a
//! listing, verify or extract needs are kept: `path`, `linkpath`, `size`, `mtime`, `uid`, `gid`,
//! `uname`, `gname` and GNU's `GNU.volume.label`.

/// Values taken from `'x'` (per member) or `'g'` (global) headers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Overrides {
    pub(crate) path: Option<Vec<u8>>,
    pub(crate) linkpath: Option<Vec<u8>>,
    pub(crate) size: Option<u64>,
    pub(crate) mtime: Option<i64>,
    pub(crate) uid: Option<u64>,
    pub(crate) gid: Option<u64>,
    pub(crate) uname: Option<Vec<u8>>,
    pub(crate) gname: Option<Vec<u8>>,
    pub(crate) label: Option<Vec<u8>>,
}

impl Overrides {
    /// Fills every field that `other` sets (later headers win).
    pub(crate) fn merge_from(&mut self, other: &Overrides) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f.clone_from(&other.$f); } )* };
        }
        take!(path, linkpath, size, mtime, uid, gid, uname, gname, label);
    }
}

/// Decimal unsigned value.
fn decimal(v: &[u8]) -> Option<u64> {
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) {
        return None;
    }
    v.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// A pax time (`[-]SECONDS[.FRACTION]`); whole seconds, truncated toward zero as GNU tar
/// lists them.
fn time(v: &[u8]) -> Option<i64> {
    let (negative, rest) = match v.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, v),
    };
    let (secs, frac) = match rest.iter().position(|&b| b == b'.') {
        Some(dot) => (rest.get(..dot)?, rest.get(dot + 1..)?),
        None => (rest, &[][..]),
    };
    if !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let s = i64::try_from(decimal(secs)?).ok()?;
    Some(if negative { -s } else { s })
}

/// Parses the records of one extended header's data into `out`.
pub(crate) fn parse(data: &[u8], out: &mut Overrides) -> Result<(), &'static str> {
    let mut rest = data;
    loop {
        let start = rest
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .unwrap_or(rest.len());
        let Some(&first) = rest.get(start) else {
            return Ok(());
        };
        if first == 0 {
            return Ok(());
        }
        if !first.is_ascii_digit() {
            return Err("missing length");
        }
        let digits_end = rest
            .iter()
            .skip(start)
            .position(|b| !b.is_ascii_digit())
            .map_or(rest.len(), |n| start + n);
        let len = rest
            .get(start..digits_end)
            .and_then(decimal)
            .and_then(|l| usize::try_from(l).ok())
            .ok_or("length out of range")?;
        if rest.get(digits_end) != Some(&b' ') {
            return Err("missing blank after length");
        }
        let record = rest.get(..len).ok_or("length out of range")?;
        if len <= digits_end + 1 {
            return Err("length out of range");
        }
        let (body, nl) = record.split_at(len - 1);
        if nl != b"\n" {
            return Err("missing newline");
        }
        let kv = body.get(digits_end + 1..).ok_or("length out of range")?;
        let eq = kv
            .iter()
            .position(|&b| b == b'=')
            .ok_or("missing equal sign")?;
        let (key, value) = (kv.get(..eq).unwrap_or(&[]), kv.get(eq + 1..).unwrap_or(&[]));
        apply(key, value, out)?;
        rest = rest.get(len..).unwrap_or(&[]);
    }
}

/// Stores one keyword's value.
fn apply(key: &[u8], value: &[u8], out: &mut Overrides) -> Result<(), &'static str> {
    match key {
        b"path" => out.path = Some(value.to_vec()),
        b"linkpath" => out.linkpath = Some(value.to_vec()),
        b"uname" => out.uname = Some(value.to_vec()),
        b"gname" => out.gname = Some(value.to_vec()),
        b"GNU.volume.label" => out.label = Some(value.to_vec()),
        b"size" => out.size = Some(decimal(value).ok_or("bad size")?),
        b"uid" => out.uid = Some(decimal(value).ok_or("bad uid")?),
        b"gid" => out.gid = Some(decimal(value).ok_or("bad gid")?),
        b"mtime" => out.mtime = Some(time(value).ok_or("bad mtime")?),
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_from_gnu_tar() {
        // `tar --format=posix --label=PXLABEL` global header data (reference §4).
        let mut o = Overrides::default();
        parse(b"28 GNU.volume.label=PXLABEL\n", &mut o).unwrap();
        assert_eq!(o.label.as_deref(), Some(&b"PXLABEL"[..]));
        let mut o = Overrides::default();
        parse(
            b"30 mtime=1764158695.123456789\n19 size=9663676416\n\0\0\0",
            &mut o,
        )
        .unwrap();
        assert_eq!(o.mtime, Some(1_764_158_695));
        assert_eq!(o.size, Some(9_663_676_416));
        assert_eq!(time(b"-1.5"), Some(-1));
    }

    #[test]
    fn malformed_records() {
        let mut o = Overrides::default();
        assert!(parse(b"x", &mut o).is_err());
        assert!(parse(b"5 a=b\n", &mut o).is_err());
        assert!(parse(b"99 a=b\n", &mut o).is_err());
        assert!(parse(b"6 ab\n\n", &mut o).is_err());
        assert!(parse(b"1 ", &mut o).is_err());
        assert!(parse(b"99999999999999999999999 ", &mut o).is_err());
    }
}

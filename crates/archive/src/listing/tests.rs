//! Expected lines below were printed by GNU tar 1.34 (`TZ=UTC tar -tvf`) for archives made
//! with `--owner=0 --group=0 --mtime=@1600000000` (commands in each test).
#![allow(clippy::unwrap_used)]

use super::*;

fn info(name: &[u8], kind: EntryKind, mode: u32) -> EntryInfo {
    EntryInfo {
        name: name.to_vec(),
        kind,
        mode,
        uid: 0,
        gid: 0,
        uname: b"root".to_vec(),
        gname: b"root".to_vec(),
        size: 1,
        mtime: 1_600_000_000,
        link_target: None,
        device: None,
        block: 0,
    }
}

fn line(lister: &mut Lister, i: &EntryInfo) -> String {
    let mut out = Vec::new();
    lister.verbose_line(&mut out, i).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn special_modes_and_devices() {
    // files chmod'ed 4755 4644 2755 2644 1777 1776 7000 0; `mknod cdev c 4 64`, `bdev b 259 3`.
    let mut l = Lister::new().with_zone(Zone::utc());
    for (mode, text) in [
        (0o4755, "-rwsr-xr-x"),
        (0o4644, "-rwSr--r--"),
        (0o2755, "-rwxr-sr-x"),
        (0o2644, "-rw-r-Sr--"),
        (0o1777, "-rwxrwxrwt"),
        (0o1776, "-rwxrwxrwT"),
        (0o7000, "---S--S--T"),
        (0, "----------"),
    ] {
        let got = line(&mut l, &info(b"f", EntryKind::File, mode));
        assert_eq!(
            got,
            format!("{text} root/root         1 2020-09-13 12:26 f\n")
        );
    }
    let mut c = info(b"cdev", EntryKind::CharDevice, 0o644);
    c.device = Some((4, 64));
    c.size = 0;
    assert_eq!(
        line(&mut l, &c),
        "crw-r--r-- root/root      4,64 2020-09-13 12:26 cdev\n"
    );
    let mut b = info(b"bdev", EntryKind::BlockDevice, 0o644);
    b.device = Some((259, 3));
    assert_eq!(
        line(&mut l, &b),
        "brw-r--r-- root/root     259,3 2020-09-13 12:26 bdev\n"
    );
}

#[test]
fn widths_only_grow() {
    // w1.tar: `a` as root; w2.tar: `b` with --owner=averyveryverylongusername:1000
    // --group=staff:50 --mtime=@253402300800; `cat w1.tar w2.tar w1.tar | tar -tvif -`.
    let mut l = Lister::new().with_zone(Zone::utc());
    let mut a = info(b"a", EntryKind::File, 0o644);
    a.size = 2;
    let mut b = a.clone();
    b.name = b"b".to_vec();
    b.uname = b"averyveryverylongusername".to_vec();
    b.gname = b"staff".to_vec();
    b.mtime = 253_402_300_800;
    assert_eq!(
        line(&mut l, &a),
        "-rw-r--r-- root/root         2 2020-09-13 12:26 a\n"
    );
    assert_eq!(
        line(&mut l, &b),
        "-rw-r--r-- averyveryverylongusername/staff 2 10000-01-01 00:00 b\n"
    );
    assert_eq!(
        line(&mut l, &a),
        "-rw-r--r-- root/root                       2 2020-09-13 12:26  a\n"
    );
}

#[test]
fn numeric_owner_and_names_style() {
    let mut l = Lister::new().with_zone(Zone::utc()).numeric_owner(true);
    let i = info(b"x\ny", EntryKind::File, 0o644);
    assert_eq!(
        line(&mut l, &i),
        "-rw-r--r-- 0/0               1 2020-09-13 12:26 x\\ny\n"
    );
    let mut out = Vec::new();
    l.write(&mut out, &i, Style::Names, true).unwrap();
    end_of_archive(&mut out, 3).unwrap();
    assert_eq!(out, b"block 0: x\\ny\nblock 3: ** Block of NULs **\n");
}

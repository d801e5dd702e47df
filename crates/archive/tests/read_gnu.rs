//! The reader and the listing against GNU tar 1.34: archives GNU tar writes (gnu, oldgnu,
//! posix, ustar formats, labels, long names and link targets, odd names, devices, > 8 GiB
//! sizes) are read back with the right names and contents, and our listings are
//! byte-identical to `tar -t`, `-tv`, `-tR`, `-tvR` and to the `--index-file` of `-cvR` /
//! `-cvvR` for the same archives. Truncated and corrupt archives give typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command;

use archive::listing::{self, Lister, Style, Zone};
use archive::read::{ReadError, Reader};
use archive::{EntryInfo, EntryKind};
use common::{gnu_tar, set_mode};

const TZ: &str = "America/New_York";

/// Runs GNU tar in `dir` with a fixed time zone and the C locale; returns stdout.
fn tar(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("tar")
        .args(args)
        .current_dir(dir)
        .env("TZ", TZ)
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tar {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A source that records the size of every `read()` request and returns at most `chunk`
/// bytes per call (short reads, like a pipe).
struct Recording<'a> {
    data: &'a [u8],
    chunk: usize,
    requests: Vec<usize>,
}

impl Read for Recording<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.requests.push(buf.len());
        let n = buf.len().min(self.chunk).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Every member's info, data, GNU `-tR` block and ustar header block, plus the end block.
struct Listed {
    entries: Vec<(EntryInfo, Vec<u8>, u64, u64)>,
    end: u64,
}

fn read_all(src: impl Read, record_size: usize) -> Result<Listed, ReadError> {
    let mut r = Reader::new(src, record_size)?;
    let mut entries = Vec::new();
    while let Some(mut e) = r.next_entry()? {
        let mut data = Vec::new();
        // Read only every other member's data: the rest must be skipped correctly.
        if entries.len() % 2 == 0 {
            e.read_to_end(&mut data).map_err(ReadError::Io)?;
            assert_eq!(data.len() as u64, e.info().size);
        }
        entries.push((e.info().clone(), data, e.list_block(), e.header_block()));
    }
    Ok(Listed {
        entries,
        end: r.end_block().unwrap(),
    })
}

/// Our listing of `archive`: `tar -t[v][R]` (list side) or the `-cv[v]R` index (create side).
fn our_listing(archive: &Listed, style: Style, blocks: bool, create: bool, posix: bool) -> Vec<u8> {
    let mut lister = Lister::new().with_zone(Zone::from_tz(TZ).unwrap());
    let mut out = Vec::new();
    for (info, _, list_block, header_block) in &archive.entries {
        let mut info = info.clone();
        if info.kind == EntryKind::Label && create {
            if posix {
                continue; // GNU tar does not show a pax label while creating
            }
            info.mtime = 0; // ... and shows a 'V' label with the epoch as its date
        }
        if !create {
            info.block = *list_block;
        } else if !posix
            && info.kind == EntryKind::Symlink
            && info.link_target.as_ref().unwrap().len() > 99
        {
            // GNU tar's quirk: after a 'K' entry for a symlink it shows the header block.
            info.block = *header_block;
        }
        lister.write(&mut out, &info, style, blocks).unwrap();
    }
    if blocks && !create {
        listing::end_of_archive(&mut out, archive.end).unwrap();
    }
    out
}

/// Asserts equal listings, naming the first line that differs.
fn same(got: &[u8], expected: &[u8], what: &str) {
    let (g, e) = (
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(expected),
    );
    for (i, (a, b)) in g.lines().zip(e.lines()).enumerate() {
        assert_eq!(a, b, "{what}: line {i}");
    }
    assert_eq!(
        g.lines().count(),
        e.lines().count(),
        "{what}: {g}\n---\n{e}"
    );
    assert_eq!(got, expected, "{what}");
}

/// A tree with every member type GNU tar stores and awkward names; `long` adds names and
/// link targets longer than ustar can hold.
fn build_tree(root: &Path, long: bool) {
    let d = root.join("d");
    fs::create_dir_all(d.join("sub")).unwrap();
    fs::write(d.join("a.txt"), b"hello\n").unwrap();
    fs::write(d.join("empty"), b"").unwrap();
    let b512: Vec<u8> = (0..512u32).map(|i| (i * 7 % 256) as u8).collect();
    fs::write(d.join("b512"), &b512).unwrap();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    fs::write(d.join("sub/big.bin"), &big).unwrap();
    fs::write(d.join("sp ace"), b"x").unwrap();
    fs::write(d.join("back\\slash"), b"y").unwrap();
    fs::write(d.join("nl\nx\ttab\x01\u{e9}"), b"z").unwrap();
    fs::hard_link(d.join("a.txt"), d.join("sub/hard")).unwrap();
    symlink("../a.txt", d.join("sub/link")).unwrap();
    fs::write(d.join("suid"), b"s").unwrap();
    set_mode(&d.join("suid"), 0o4755);
    set_mode(&d.join("sub"), 0o2775);
    let fifo = Command::new("mkfifo").arg(d.join("fifo")).status();
    assert!(fifo.unwrap().success());
    // Device nodes need root; without it the tree simply has none.
    let _ = Command::new("mknod")
        .arg(d.join("cdev"))
        .args(["c", "4", "64"])
        .status();
    let _ = Command::new("mknod")
        .arg(d.join("bdev"))
        .args(["b", "259", "3"])
        .status();
    // A 150-byte path that ustar splits into prefix and name.
    let deep = d.join("p".repeat(60)).join("q".repeat(60));
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("r".repeat(25)), b"deep\n").unwrap();
    if long {
        let long_dir = d.join("l".repeat(120));
        fs::create_dir(&long_dir).unwrap();
        fs::write(long_dir.join(format!("{}.txt", "f".repeat(200))), b"long\n").unwrap();
        symlink("t".repeat(150), d.join("longtarget")).unwrap();
    }
}

fn file_data(root: &Path, name: &[u8]) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    fs::read(root.join(std::ffi::OsStr::from_bytes(name))).unwrap()
}

/// Reads `archive` in several ways and compares with GNU tar's listings.
fn check_archive(root: &Path, archive: &str, create_args: &[&str], posix: bool) {
    let bytes = fs::read(root.join(archive)).unwrap();
    let ours = read_all(&bytes[..], 10240).unwrap();

    // Contents and kinds match the tree.
    let mut files = 0;
    for (i, (info, data, _, _)) in ours.entries.iter().enumerate() {
        match info.kind {
            EntryKind::File if i % 2 == 0 => {
                assert_eq!(data, &file_data(root, &info.name), "{:?}", info.name);
                files += 1;
            }
            EntryKind::Symlink => {
                let target = fs::read_link(root.join(std::ffi::OsStr::new(
                    std::str::from_utf8(&info.name).unwrap(),
                )))
                .unwrap();
                assert_eq!(
                    info.link_target.as_deref().unwrap(),
                    target.as_os_str().as_encoded_bytes()
                );
            }
            _ => {}
        }
    }
    assert!(files > 2);

    // Record-sized reads only, with short reads accepted, and other record sizes.
    for (record, chunk) in [
        (512, 512),
        (10240, 100),
        (262_144, 7000),
        (262_144, 262_144),
    ] {
        let mut src = Recording {
            data: &bytes,
            chunk,
            requests: Vec::new(),
        };
        let again = read_all(&mut src, record).unwrap();
        assert!(
            src.requests.iter().all(|&n| n == record),
            "{:?}",
            src.requests
        );
        let names = |r: &Listed| {
            r.entries
                .iter()
                .map(|e| (e.0.clone(), e.2))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&again), names(&ours));
        assert_eq!(again.end, ours.end);
    }

    // Listings, list side.
    for (flags, style, blocks) in [
        ("-tf", Style::Names, false),
        ("-tvf", Style::Verbose, false),
        ("-tRf", Style::Names, true),
        ("-tvRf", Style::Verbose, true),
    ] {
        let expected = tar(root, &[flags, archive]);
        let got = our_listing(&ours, style, blocks, false, posix);
        same(&got, &expected, &format!("{archive} {flags}"));
    }
    // Create side: GNU's --index-file while writing the same archive again.
    for (v, style) in [("-cvR", Style::Names), ("-cvvR", Style::Verbose)] {
        let mut args = vec![v, "--index-file=idx.txt", "-f", "again.tar"];
        args.extend_from_slice(create_args);
        // (GNU tar shows the files' own metadata here, and the label's mtime as 0.)
        tar(root, &args);
        let expected = fs::read(root.join("idx.txt")).unwrap();
        let got = our_listing(&ours, style, true, true, posix);
        same(&got, &expected, &format!("{archive} {v}"));
    }

    // Starting in the middle (extract by index): block numbers continue.
    let (mid, _, _, _) = &ours.entries[ours.entries.len() / 2];
    let offset = usize::try_from(mid.block).unwrap() * 512;
    let mut r = Reader::with_offset(&bytes[offset..], 512, mid.block).unwrap();
    let e = r.next_entry().unwrap().unwrap();
    assert_eq!(e.info(), mid);
}

#[test]
fn gnu_tar_archives_read_and_list_identically() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    build_tree(root, true);
    for (format, label) in [
        ("gnu", "TAPE01"),
        ("oldgnu", "OLDLBL"),
        ("posix", "PXLABEL"),
        ("gnu", ""),
    ] {
        let name = format!("{format}{}.tar", label.len());
        let mut create = vec!["--sort=name", "--format", format];
        let label_arg = format!("--label={label}");
        if !label.is_empty() {
            create.push(&label_arg);
        }
        // A long owner name for one archive: the owner/size column widens.
        if label.is_empty() {
            create.push("--owner=averyveryverylongusername:1000");
        }
        if format == "posix" {
            create.push("--pax-option=delete=atime,delete=ctime");
        }
        create.push("d");
        let mut args = vec!["-cf", name.as_str()];
        args.extend_from_slice(&create);
        tar(root, &args);
        check_archive(root, &name, &create, format == "posix");
        let ours = read_all(&fs::read(root.join(&name)).unwrap()[..], 512).unwrap();
        if label.is_empty() {
            assert!(ours.entries.iter().all(|e| e.0.kind != EntryKind::Label));
        } else {
            assert_eq!(ours.entries[0].0.kind, EntryKind::Label);
            assert_eq!(ours.entries[0].0.name, label.as_bytes());
        }
    }
}

#[test]
fn ustar_prefix_and_long_pax_label() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    build_tree(root, false);
    let create = ["--sort=name", "--format=ustar", "d"];
    let mut args = vec!["-cf", "u.tar"];
    args.extend_from_slice(&create);
    tar(root, &args);
    check_archive(root, "u.tar", &create, false);
    let bytes = fs::read(root.join("u.tar")).unwrap();
    let ours = read_all(&bytes[..], 512).unwrap();
    assert!(ours
        .entries
        .iter()
        .any(|e| e.0.name.len() > 100 && e.0.name.starts_with(b"d/ppp")));

    // A 200-byte label only fits a pax global header.
    let label = "L".repeat(200);
    let label_arg = format!("--label={label}");
    let create = [
        "--format=posix",
        &label_arg,
        "--pax-option=delete=atime,delete=ctime",
        "d/a.txt",
    ];
    let mut args = vec!["-cf", "pl.tar"];
    args.extend_from_slice(&create);
    tar(root, &args);
    check_archive_small(root, "pl.tar");
    let pl = fs::read(root.join("pl.tar")).unwrap();
    let mut r = Reader::new(&pl[..], 10240).unwrap();
    assert_eq!(
        r.next_entry().unwrap().unwrap().info().kind,
        EntryKind::Label
    );
    assert_eq!(r.label(), Some(label.as_bytes()));
}

/// List-side comparison only (for archives with fewer than three files).
fn check_archive_small(root: &Path, archive: &str) {
    let ours = read_all(&fs::read(root.join(archive)).unwrap()[..], 10240).unwrap();
    let expected = tar(root, &["-tvRf", archive]);
    let got = our_listing(&ours, Style::Verbose, true, false, true);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&expected)
    );
}

/// `header` (GNU's own header blocks for a 9 GiB file of zeros), then 9 GiB of zeros, then
/// `tail`, without holding 9 GiB in memory.
struct BigSource {
    head: Vec<u8>,
    zeros: u64,
    tail: Vec<u8>,
}

impl Read for BigSource {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.head.is_empty() {
            let n = buf.len().min(self.head.len());
            buf[..n].copy_from_slice(&self.head[..n]);
            self.head.drain(..n);
            return Ok(n);
        }
        if self.zeros > 0 {
            let n = buf
                .len()
                .min(usize::try_from(self.zeros).unwrap_or(usize::MAX));
            buf[..n].fill(0);
            self.zeros -= n as u64;
            return Ok(n);
        }
        let n = buf.len().min(self.tail.len());
        buf[..n].copy_from_slice(&self.tail[..n]);
        self.tail.drain(..n);
        Ok(n)
    }
}

#[test]
fn sizes_over_8_gib() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let size: u64 = 9 << 30;
    Command::new("truncate")
        .args(["-s", "9G"])
        .arg(root.join("big"))
        .status()
        .unwrap();
    fs::write(root.join("small"), b"small\n").unwrap();
    // (format, bytes of GNU's headers before the data: base-256 size / pax 'x' + ustar)
    for (format, data_at) in [("gnu", 512usize), ("posix", 1536)] {
        let pipeline = format!(
            "tar --format={format} --mtime=@1795695104 -cf - big | head -c 10240 > head.bin; \
             tar --format={format} --mtime=@1795695104 -cf tail.tar small"
        );
        let ok = Command::new("sh")
            .args(["-c", &pipeline])
            .current_dir(root)
            .env("TZ", TZ)
            .status();
        assert!(ok.unwrap().success());
        let head = fs::read(root.join("head.bin")).unwrap()[..data_at].to_vec();
        let tail = fs::read(root.join("tail.tar")).unwrap();
        // The same stream as a sparse file for GNU tar (which seeks over the data).
        let sparse = root.join("sparse.tar");
        fs::write(&sparse, &head).unwrap();
        let f = fs::OpenOptions::new().write(true).open(&sparse).unwrap();
        f.set_len(data_at as u64 + size).unwrap();
        drop(f);
        let mut file = fs::OpenOptions::new().append(true).open(&sparse).unwrap();
        io::Write::write_all(&mut file, &tail).unwrap();

        let src = BigSource {
            head: head.clone(),
            zeros: size,
            tail: tail.clone(),
        };
        let mut r = Reader::new(src, 262_144).unwrap();
        let mut lister = Lister::new().with_zone(Zone::from_tz(TZ).unwrap());
        let mut got = Vec::new();
        while let Some(e) = r.next_entry().unwrap() {
            let mut info = e.info().clone();
            info.block = e.list_block();
            lister.write(&mut got, &info, Style::Verbose, true).unwrap();
        }
        listing::end_of_archive(&mut got, r.end_block().unwrap()).unwrap();
        let expected = tar(root, &["-tvRf", "sparse.tar"]);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected),
            "{format}"
        );
        assert!(String::from_utf8_lossy(&got).contains(" 9663676416 "));

        // Cut inside the data: the member is listed, reading it fails with a typed error.
        let cut = fs::read(root.join("head.bin")).unwrap();
        let mut r = Reader::new(&cut[..], 10240).unwrap();
        let mut e = r.next_entry().unwrap().unwrap();
        assert_eq!(e.info().size, size);
        let err = io::copy(&mut e, &mut io::sink()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(matches!(r.next_entry(), Err(ReadError::Failed)));
    }
}

#[test]
fn truncated_and_corrupt_archives_give_typed_errors() {
    if gnu_tar().is_none() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::write(root.join("a"), vec![b'a'; 1000]).unwrap();
    fs::write(root.join("b"), b"b\n").unwrap();
    tar(root, &["--label=LBL", "-cf", "ok.tar", "a", "b"]);
    let ok = fs::read(root.join("ok.tar")).unwrap();
    // Blocks: 0 label, 1 a, 2-3 a's data, 4 b, 5 b's data, 6 zero block.
    assert_eq!(read_all(&ok[..], 10240).unwrap().end, 6);

    let first_error = |bytes: &[u8]| -> ReadError {
        let mut r = Reader::new(bytes, 10240).unwrap();
        loop {
            match r.next_entry() {
                Ok(Some(mut e)) => {
                    if let Err(e) = io::copy(&mut e, &mut io::sink()) {
                        return *e.into_inner().unwrap().downcast::<ReadError>().unwrap();
                    }
                }
                Ok(None) => panic!("no error"),
                Err(e) => return e,
            }
        }
    };
    // A flipped byte in b's header.
    let mut bad = ok.clone();
    bad[4 * 512 + 3] ^= 0x20;
    assert!(
        matches!(first_error(&bad), ReadError::Checksum { block: 4, .. }),
        "{:?}",
        first_error(&bad)
    );
    // Cut inside a's data.
    assert!(matches!(
        first_error(&ok[..1024 + 700]),
        ReadError::Truncated { block: 3 }
    ));
    // Cut inside b's header.
    let e = first_error(&ok[..4 * 512 + 100]);
    assert!(matches!(e, ReadError::Truncated { block: 4 }), "{e:?}");
    // Cut before the end-of-archive block.
    assert!(matches!(
        first_error(&ok[..6 * 512]),
        ReadError::MissingEnd { block: 6 }
    ));
    // One zero block then EOF is a proper end.
    assert_eq!(read_all(&ok[..7 * 512], 512).unwrap().end, 6);
    // A size field that is not a number (checksum fixed up).
    let mut bad = ok.clone();
    let h = &mut bad[4 * 512..5 * 512];
    h[124..136].copy_from_slice(b"0000000x002\0");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    assert!(matches!(
        first_error(&bad),
        ReadError::BadNumber {
            block: 4,
            field: "size"
        }
    ));
    // A long name header with nothing after it.
    tar(
        root,
        &[
            "-cf",
            "long.tar",
            "--transform",
            &format!("s/b/{}/", "n".repeat(150)),
            "b",
        ],
    );
    let long = fs::read(root.join("long.tar")).unwrap();
    assert!(matches!(
        first_error(&long[..1024]),
        ReadError::Orphan { block: 0, .. }
    ));
    assert_eq!(
        read_all(&long[..], 512).unwrap().entries[0].0.name,
        "n".repeat(150).as_bytes()
    );
    // Record size must be a multiple of 512.
    assert!(matches!(
        Reader::new(&ok[..], 1000),
        Err(ReadError::RecordSize(1000))
    ));
}

//! Command-line tests: expected values and texts from mbuffer R20230301 (`/usr/bin/mbuffer`)
//! and `reference/mbuffer.md`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::{parse, CliError, Env};
use crate::mbuf::options::{
    Action, BufferBacking, Family, HashAlg, InputSpec, OpenMode, Options, OutputSpec,
};

/// The reference host: 6171023 pages of 4 KiB.
fn env() -> Env {
    Env {
        physical_memory: 6_171_023 * 4096,
        page_size: 4096,
        ..Env::default()
    }
}

fn args(line: &str) -> Vec<OsString> {
    std::iter::once("mbuffer")
        .chain(line.split_whitespace())
        .map(OsString::from)
        .collect()
}

fn run(line: &str) -> Options {
    match parse(args(line), &env()) {
        Ok(Action::Run(o)) => *o,
        other => panic!("{line}: {other:?}"),
    }
}

fn err(line: &str) -> String {
    match parse(args(line), &env()) {
        Err(CliError { message }) => message,
        other => panic!("{line}: expected an error, got {other:?}"),
    }
}

#[test]
fn defaults() {
    let o = run("");
    assert_eq!(o.program, "mbuffer");
    assert_eq!(o.input, InputSpec::Stdin);
    assert!(o.outputs.is_empty());
    assert_eq!((o.block_size, o.blocks), (4 << 20, 120));
    assert_eq!(o.verbose, 3);
    assert_eq!(o.status_interval, Duration::from_millis(500));
    assert!(o.warnings.is_empty());
}

#[test]
fn real_invocations() {
    // syncoid
    let o = run("-q -s 128k -m 16M");
    assert!(o.quiet);
    assert_eq!((o.block_size, o.blocks), (128 << 10, 128));
    // zfs-autobackup, attached values
    let o = run("-q -s128k -m4G");
    assert_eq!((o.block_size, o.blocks), (128 << 10, 32768));
    // znapzend
    let o = run("-q -s 128k -W 60 -m 1G -O host:9090");
    assert_eq!(o.watchdog, Some(Duration::from_secs(60)));
    match &o.outputs[..] {
        [OutputSpec::Connect {
            host,
            port,
            net,
            retry,
        }] => {
            assert_eq!((host.as_str(), *port), ("host", 9090));
            assert_eq!(net.timeout, Some(Duration::from_secs(100)));
            assert_eq!(*retry, None);
        }
        other => panic!("{other:?}"),
    }
    let o = run("-q -s 128k -m 1G -I 9090");
    assert!(matches!(
        o.input,
        InputSpec::Listen {
            peer: None,
            port: 9090,
            ..
        }
    ));
    // btrbk
    let o = run("-v 1 -q -m 256m -r 4m");
    assert_eq!((o.verbose, o.read_rate), (1, Some(4 << 20)));
    // tape
    let o = run("-s 262144 -m 4G -P 80 -f -o /dev/nst0");
    assert_eq!((o.block_size, o.blocks), (262_144, 16384));
    assert_eq!(o.high_watermark, Some(80.0));
    assert_eq!(
        o.outputs,
        vec![OutputSpec::File {
            path: PathBuf::from("/dev/nst0"),
            mode: OpenMode::Truncate
        }]
    );
    let o = run("-R 25M -P 100");
    assert_eq!(
        (o.write_rate, o.high_watermark),
        (Some(25 << 20), Some(100.0))
    );
}

#[test]
fn outputs_modes_and_order() {
    let o = run("-o a --append -o b --truncate -o c -o - -O [::1]:5 -o d");
    assert_eq!(
        o.outputs,
        vec![
            OutputSpec::File {
                path: "a".into(),
                mode: OpenMode::Exclusive
            },
            OutputSpec::File {
                path: "b".into(),
                mode: OpenMode::Append
            },
            OutputSpec::File {
                path: "c".into(),
                mode: OpenMode::Truncate
            },
            OutputSpec::Stdout,
            OutputSpec::Connect {
                host: "::1".into(),
                port: 5,
                net: crate::mbuf::options::NetOptions {
                    timeout: Some(Duration::from_secs(100)),
                    ..Default::default()
                },
                retry: None,
            },
            OutputSpec::File {
                path: "d".into(),
                mode: OpenMode::Exclusive
            },
        ]
    );
    // mbuffer R20230301: `-f` covers only the next `-o`, and O_TRUNC with O_APPEND still
    // truncates (`echo hi | mbuffer -f --append -o a -o b` with both existing: a = "hi",
    // b refused with "File exists").
    for args in ["-f --append -o a -o b", "--append -f -o a -o b"] {
        let o = run(args);
        let modes: Vec<_> = o
            .outputs
            .iter()
            .map(|x| match x {
                OutputSpec::File { mode, .. } => Some(*mode),
                _ => None,
            })
            .collect();
        assert_eq!(
            modes,
            [Some(OpenMode::Truncate), Some(OpenMode::Exclusive)],
            "{args}"
        );
    }
    let o = run("--append -o a -o b");
    assert!(matches!(
        o.outputs[0],
        OutputSpec::File {
            mode: OpenMode::Append,
            ..
        }
    ));
}

#[test]
fn network_options() {
    let o = run("-4 -O a:1 -6 --tcptimeo 5 --tcpbuffer 1M --connect-retry 30 -O ::1:2 -0 -I h:3");
    let fams: Vec<Family> = o
        .outputs
        .iter()
        .map(|x| match x {
            OutputSpec::Connect { net, .. } => net.family,
            _ => Family::Any,
        })
        .collect();
    assert_eq!(fams, vec![Family::V4, Family::V6]);
    match &o.outputs[1] {
        OutputSpec::Connect {
            host, net, retry, ..
        } => {
            assert_eq!(host, "::1");
            assert_eq!(net.timeout, Some(Duration::from_millis(5)));
            assert_eq!(net.tcp_buffer, Some(1 << 20));
            assert_eq!(*retry, Some(Duration::from_secs(30)));
        }
        other => panic!("{other:?}"),
    }
    match &o.input {
        InputSpec::Listen { peer, port, net } => {
            assert_eq!(
                (peer.as_deref(), *port, net.family),
                (Some("h"), 3, Family::Any)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        run("--tcptimeo 0 -O a:1").outputs[0],
        OutputSpec::Connect {
            host: "a".into(),
            port: 1,
            net: Default::default(),
            retry: None,
        }
    );
}

#[test]
fn mbuffer_fatal_texts() {
    assert_eq!(err("-x"), "unknown option \"-x\"");
    assert_eq!(err("--foo"), "unknown option \"--foo\"");
    assert_eq!(err("-qf"), "unknown option \"-qf\"");
    assert_eq!(err("-s"), "missing argument to option -s");
    assert_eq!(err("-o"), "missing argument to option -o");
    assert_eq!(
        err("-s -o /dev/null"),
        "unrecognized argument \"-o\" for option \"-s\""
    );
    assert_eq!(
        err("-s 10"),
        "invalid low value for option \"-s\" - missing suffix?"
    );
    assert_eq!(
        err("-r 10"),
        "invalid low value for option \"-r\" - missing suffix?"
    );
    assert_eq!(
        err("--tcpbuffer 10"),
        "invalid low value for option \"--tcpbuffer\" - missing suffix?"
    );
    assert_eq!(err("-D 0"), "invalid argument - must be > 0");
    assert_eq!(
        err("-P 50 -p 20"),
        "setting both low watermark and high watermark doesn't make any sense..."
    );
    assert_eq!(
        err("-P 0"),
        "error in argument -P: must be bigger than 0 and less or equal 100"
    );
    assert_eq!(
        err("-P 101"),
        "error in argument -P: must be bigger than 0 and less or equal 100"
    );
    assert_eq!(
        err("-p 100"),
        "error in argument -p: must be bigger or equal to 0 and less than 100"
    );
    assert_eq!(
        err("-s 128k -m 1M -b 4"),
        "inconsistent options: blocksize * number of blocks != totalsize!"
    );
    assert_eq!(
        err("-m 150%"),
        "invalid value for percentage (must be 0..90)"
    );
    assert_eq!(
        err("-v 7"),
        "Invalid argument '7' for setting verbosity level.\n\
         Valid values are: none, silent, fatal, error, warning, info, io, debug, and 0-6"
    );
    assert!(err("-v 06").starts_with("Invalid argument '06'"));
    assert_eq!(err("--tcptimeo x"), "invalid time argument \"x\"");
    assert_eq!(err("-W 0"), "invalid argument to option -W");
    assert_eq!(err("-W x"), "invalid argument to option -W");
    assert_eq!(err("-n -1 -i f"), "invalid argument to option -n: \"-1\"");
    assert_eq!(
        err("-n 2"),
        "multi-volume support for input needs an explicitly specified input device (option -i)"
    );
    assert_eq!(err("-i a -i b"), "cannot set input file: file already set");
    assert_eq!(
        err("-I 5000 -i b"),
        "cannot set input file: file already set"
    );
    assert_eq!(
        err("-O host"),
        "syntax error - target must be given in the form <host>:<port>"
    );
    assert_eq!(
        err("-O a:b"),
        "unable to resolve address information for 'a:b': Servname not supported for ai_socktype"
    );
    assert_eq!(
        err("-I x"),
        "unable to get address information for port/service 'x': Servname not supported for ai_socktype"
    );
    assert_eq!(
        err("--hash foo"),
        "invalid or unsupported hash function foo"
    );
    assert_eq!(
        err("-A true -i in -o out"),
        "Which one is your autoloader? Input or output? Replace input or output with a pipe."
    );
    assert_eq!(
        err("-A true"),
        "Setting autoloader time or command without using a device doesn't make any sense!"
    );
    assert_eq!(
        err("-a 5 -W 6 -o /dev/nst0"),
        "timeout must be at least 2x autoload time"
    );
    assert_eq!(
        err("-D 1G -o a -o b"),
        "multi-volume support is unsupported with multiple outputs"
    );
}

#[test]
fn accepted_options() {
    let o = run("-n 0 -i /dev/nst0 -a 5 -W 12 --tapeaware -c -e -d -L --pid -Q -l log -u 5");
    assert_eq!(o.input_volumes, Some(0));
    assert_eq!(o.autoload_time, Some(Duration::from_secs(5)));
    assert!(o.tapeaware && o.sync && o.stop_on_error && o.device_blocksize && o.mlock);
    assert!(o.print_pid && o.quiet_log);
    assert_eq!(o.log_file, Some(PathBuf::from("log")));
    assert_eq!(o.pause, Some(Duration::from_micros(5)));
    let o = run("-t");
    assert_eq!(o.backing, BufferBacking::TempFile);
    let o = run("-T /tmp/buf --prefault --framed --progress --stats-json - --no-direct");
    assert_eq!(o.backing, BufferBacking::File("/tmp/buf".into()));
    assert!(o.prefault && o.framed && o.progress && !o.direct);
    assert_eq!(o.stats_json, Some(PathBuf::from("-")));
    let o = run("--direct");
    assert_eq!(o.warnings.len(), 1);
    let o = run("-v warning -v debug");
    assert_eq!(o.verbose, 5);
    // mbuffer: `-a 0` → "warning: ignoring invalid value for autoload time: -1".
    let o = run("-a 0 -o /dev/nst0");
    assert_eq!(
        o.warnings,
        vec!["ignoring invalid value for autoload time: -1".to_string()]
    );
    let o = run("--stats-json=out.json -b10x -P50%");
    assert_eq!(o.stats_json, Some(PathBuf::from("out.json")));
    assert_eq!(o.blocks, 10);
    assert_eq!(o.high_watermark, Some(50.0));
}

#[test]
fn hashes_and_actions() {
    let o = run("-H --hash sha256 --md5 --hash SHA512 --hash sha1");
    assert_eq!(
        o.hashes,
        vec![
            HashAlg::Md5,
            HashAlg::Sha256,
            HashAlg::Sha512,
            HashAlg::Sha1
        ]
    );
    assert_eq!(parse(args("--hash list"), &env()), Ok(Action::HashList));
    assert_eq!(parse(args("-q -h"), &env()), Ok(Action::Help));
    assert_eq!(parse(args("--version"), &env()), Ok(Action::Version));
    assert_eq!(parse(args("-V -x"), &env()), Ok(Action::Version));
}

#[test]
fn geometry_adjusted_with_warning() {
    // zfs_autobackup#239: `-s128k -m128k` is fatal in mbuffer; mbuf keeps the block size.
    let o = run("-s128k -m128k");
    assert_eq!((o.block_size, o.blocks), (128 << 10, 5));
    assert!(o.warnings[0].starts_with("Number of blocks must be at least 5"));
}

#[test]
fn config_files_then_command_line() {
    let mut e = env();
    e.config_files.push((
        PathBuf::from("/etc/mbuffer.rc"),
        "numblocks = 50\nshowstatus = no\nVerbose = info\nstartread = 20\n".into(),
    ));
    e.config_files
        .push((PathBuf::from("rc2"), "Verbose = error\nfoo = 1\n".into()));
    let o = match parse(args("-s 128k"), &e) {
        Ok(Action::Run(o)) => *o,
        other => panic!("{other:?}"),
    };
    assert_eq!((o.block_size, o.blocks), (128 << 10, 50));
    assert!(o.quiet);
    assert_eq!(o.verbose, 2);
    assert_eq!(o.low_watermark, Some(20.0));
    assert_eq!(o.warnings, vec!["unknown parameter: foo".to_string()]);
    // The command line's -P replaces the config's low watermark instead of conflicting.
    let o = match parse(args("-P 80 -v 4"), &e) {
        Ok(Action::Run(o)) => *o,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (o.high_watermark, o.low_watermark, o.verbose),
        (Some(80.0), None, 4)
    );
}

#[test]
fn non_utf8_paths_kept() {
    use std::os::unix::ffi::OsStringExt;
    let name = OsString::from_vec(vec![b'f', 0xff]);
    let argv = vec![OsString::from("mbuf"), OsString::from("-o"), name.clone()];
    match parse(argv, &env()) {
        Ok(Action::Run(o)) => {
            assert_eq!(o.program, "mbuf");
            assert_eq!(
                o.outputs,
                vec![OutputSpec::File {
                    path: name.into(),
                    mode: OpenMode::Exclusive
                }]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(parse(vec![], &env()).is_ok());
}

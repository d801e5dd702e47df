//! `mt`'s command line on a fake drive: the command table and lookup rule, usage texts,
//! unknown / ambiguous / too-many-arguments messages (`mt-st.md` §1, §3, §4, §8).

mod common;

use common::{long_usage, run_fake, FakeSystem, SHORT_USAGE};
use tapekit_tools::mt::commands::{lookup, lookup_in, LookupError, COMMANDS, EXTENSIONS};

/// mt-st 1.7's names in table order, as listed by `mt -h` (`mt-st.md` §8).
const NAMES_1_7: &[&str] = &[
    "weof",
    "wset",
    "eof",
    "fsf",
    "fsfm",
    "bsf",
    "bsfm",
    "fsr",
    "bsr",
    "fss",
    "bss",
    "rewind",
    "offline",
    "rewoffl",
    "eject",
    "retension",
    "eod",
    "seod",
    "seek",
    "tell",
    "status",
    "erase",
    "setblk",
    "lock",
    "unlock",
    "load",
    "compression",
    "setdensity",
    "drvbuffer",
    "stwrthreshold",
    "stoptions",
    "stsetoptions",
    "stclearoptions",
    "defblksize",
    "defdensity",
    "defdrvbuffer",
    "defcompression",
    "stsetcln",
    "sttimeout",
    "stlongtimeout",
    "densities",
    "setpartition",
    "mkpartition",
    "partseek",
    "asf",
    "stshowoptions",
];

/// The 1.7 rule written out independently: first name in order that `word` prefixes; refused
/// when `word` is not that whole name and a later one matches too.
fn oracle(word: &str) -> Result<&'static str, LookupError> {
    let hits: Vec<&&str> = NAMES_1_7.iter().filter(|n| n.starts_with(word)).collect();
    match hits.as_slice() {
        [] => Err(LookupError::Unknown),
        [first, ..] if first.len() == word.len() || hits.len() == 1 => Ok(first),
        _ => Err(LookupError::Ambiguous),
    }
}

#[test]
fn table_matches_the_1_7_listing() {
    let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(names, NAMES_1_7);
}

#[test]
fn every_prefix_of_every_1_7_name_resolves_as_in_1_7() {
    let mut checked = 0;
    for name in NAMES_1_7.iter().chain(EXTENSIONS.iter().map(|c| &c.name)) {
        for end in 0..=name.len() {
            let prefix = &name[..end];
            let expected = oracle(prefix);
            if expected == Err(LookupError::Unknown) {
                continue; // only reachable through an extension name: checked below
            }
            assert_eq!(
                lookup(prefix).map(|c| c.name),
                expected,
                "prefix {prefix:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 300);
    // Examples stated in the reference.
    assert_eq!(lookup("s").map(|c| c.name), Err(LookupError::Ambiguous));
    assert_eq!(lookup("st").map(|c| c.name), Err(LookupError::Ambiguous));
    assert_eq!(lookup("eo").map(|c| c.name), Err(LookupError::Ambiguous));
    assert_eq!(lookup("eom").map(|c| c.name), Err(LookupError::Unknown));
    assert_eq!(lookup("status").map(|c| c.name), Ok("status"));
    assert_eq!(lookup("t").map(|c| c.name), Ok("tell"));
    assert_eq!(lookup("").map(|c| c.name), Err(LookupError::Ambiguous));
}

#[test]
fn extension_names_are_reachable_and_shadow_nothing() {
    for ext in EXTENSIONS {
        assert_eq!(
            oracle(ext.name),
            Err(LookupError::Unknown),
            "{} is a 1.7 abbreviation",
            ext.name
        );
        assert_eq!(lookup(ext.name).map(|c| c.name), Ok(ext.name));
        assert_eq!(
            lookup_in(COMMANDS, ext.name).map(|c| c.name),
            Err(LookupError::Unknown)
        );
    }
    assert_eq!(lookup("ta").map(|c| c.name), Ok("tapealert"));
    assert_eq!(lookup("vol").map(|c| c.name), Ok("volstats"));
}

#[test]
fn usage_texts() {
    let ran = run_fake(&mut FakeSystem::default(), &["-h"]);
    assert_eq!(
        (ran.code, ran.out.as_str(), ran.err.clone()),
        (0, "", long_usage())
    );
    for bad in [&["--help"][..], &["-x"], &["-"], &["-f"], &[]] {
        let ran = run_fake(&mut FakeSystem::default(), bad);
        assert_eq!((ran.code, ran.err.as_str()), (1, SHORT_USAGE), "{bad:?}");
    }
    for v in ["-v", "--version", "-vx"] {
        let ran = run_fake(&mut FakeSystem::default(), &[v]);
        assert_eq!(ran.code, 0);
        assert_eq!(ran.out, "mt-st v. 1.7\ndefault tape device: /dev/tape\n");
    }
}

#[test]
fn unknown_ambiguous_too_many() {
    let ran = run_fake(&mut FakeSystem::default(), &["foo"]);
    assert_eq!(
        (ran.code, ran.err),
        (1, format!("mt: unknown command \"foo\"\n{}", long_usage()))
    );
    let ran = run_fake(&mut FakeSystem::default(), &["s"]);
    assert_eq!(
        (ran.code, ran.err),
        (1, format!("mt: ambiguous command \"s\"\n{}", long_usage()))
    );
    let ran = run_fake(&mut FakeSystem::default(), &["rewind", "1"]);
    assert_eq!(
        (ran.code, ran.err.as_str()),
        (1, "mt: too many arguments for the command 'rewind'.\n")
    );
    let ran = run_fake(&mut FakeSystem::default(), &["partseek", "1", "2", "3"]);
    assert_eq!(
        ran.err,
        "mt: too many arguments for the command 'partseek'.\n"
    );
    assert!(ran.calls.is_empty());
}

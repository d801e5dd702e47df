//! Volume changes (`-A`, `-a`, `-n`, end of tape; `reference/mbuffer.md` §5).
//!
//! mbuffer runs the `-A` command through `system()` with the device name interpolated
//! unescaped (§5 "Bugs not to copy", §7 #10). mbuf never uses a shell: the command is split
//! into words with shell-like quoting (`'…'`, `"…"`, `\`), the device path is appended as the
//! **last argument** and also passed in the environment as `MBUF_DEVICE`. A command that needs
//! a shell can say so itself: `-A 'sh -c "mt -f \"$1\" offline; sleep 1" sh'` gets the device as
//! `$1`. A non-zero exit aborts. Without `-A`, a terminal prompt asks for the new medium;
//! without a terminal that is an error.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::log::Logger;

/// Environment variable naming the device for the `-A` command.
pub const DEVICE_ENV: &str = "MBUF_DEVICE";
/// The controlling terminal.
const TTY: &str = "/dev/tty";

/// Splits a command line into words: whitespace separates, `'…'` is literal, `"…"` allows
/// `\"` and `\\`, a backslash outside quotes escapes the next character. Returns `None` for
/// an unterminated quote or a trailing backslash.
pub fn split_words(cmd: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = cmd.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        x => cur.push(x),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            x @ ('"' | '\\' | '$' | '`') => cur.push(x),
                            x => {
                                cur.push('\\');
                                cur.push(x);
                            }
                        },
                        x => cur.push(x),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

/// True if the process has a controlling terminal to prompt on.
pub fn have_tty() -> bool {
    OpenOptions::new().read(true).write(true).open(TTY).is_ok()
}

/// Asks on the terminal and returns the answer line.
fn prompt(question: &str) -> Result<String, String> {
    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open(TTY)
        .map_err(|e| format!("cannot open {TTY}: {e}"))?;
    let mut w = &tty;
    w.write_all(question.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| format!("{TTY}: {e}"))?;
    let mut line = String::new();
    BufReader::new(&tty)
        .read_line(&mut line)
        .map_err(|e| format!("{TTY}: {e}"))?;
    Ok(line)
}

/// Runs the `-A` command for `device`: argv split from `cmd`, device appended, `MBUF_DEVICE`
/// set. Non-zero exit is an error.
pub fn run_command(cmd: &str, device: &Path, log: &Logger) -> Result<(), String> {
    let words =
        split_words(cmd).ok_or_else(|| format!("cannot parse autoloader command '{cmd}'"))?;
    let (prog, args) = words
        .split_first()
        .ok_or_else(|| "empty autoloader command".to_string())?;
    log.info(&format!(
        "running autoloader command '{cmd}' for {}",
        device.display()
    ));
    let status = Command::new(prog)
        .args(args)
        .arg(device)
        .env(DEVICE_ENV, device)
        .status()
        .map_err(|e| format!("cannot run autoloader command '{prog}': {e}"))?;
    if status.success() {
        Ok(())
    } else {
        // mbuffer R20230301: `error running "CMD" to change volume in autoloader - exitcode N`.
        Err(format!(
            "error running \"{cmd}\" to change volume in autoloader - {status}"
        ))
    }
}

/// Gets a new medium into `device`: the `-A` command (then `-a` seconds minus one, as
/// mbuffer), or a prompt on the terminal, or an error without either.
pub fn change(
    device: &Path,
    command: Option<&str>,
    autoload_time: Option<Duration>,
    question: &str,
    log: &Logger,
) -> Result<(), String> {
    match command {
        Some(cmd) => {
            // As mbuffer: the failure is an `error:` message, then the output is canceled.
            if let Err(e) = run_command(cmd, device, log) {
                log.error(&e);
                return Err("canceled".to_string());
            }
            if let Some(t) = autoload_time {
                std::thread::sleep(t.saturating_sub(Duration::from_secs(1)));
            }
            Ok(())
        }
        None if have_tty() => prompt(question).map(|_| ()),
        None => {
            // mbuffer R20230301's message for this case (then the output is canceled).
            log.error(
                "End of volume, but not end of input.\n\
                 Specify an autoload command, if you are working without terminal.",
            );
            Err("canceled".to_string())
        }
    }
}

/// `-n 0`: asks whether another input volume follows.
pub fn ask_continue() -> Result<bool, String> {
    let answer = prompt("continue with next volume? [y/n] ")?;
    Ok(answer.trim_start().starts_with(['y', 'Y']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting_follows_shell_quoting() {
        assert_eq!(
            split_words("mt -f  x offline").unwrap(),
            ["mt", "-f", "x", "offline"]
        );
        assert_eq!(
            split_words(r#"sh -c 'mt -f "$1" offline' sh"#).unwrap(),
            ["sh", "-c", r#"mt -f "$1" offline"#, "sh"]
        );
        assert_eq!(
            split_words(r#"a\ b "c \"d\" $e""#).unwrap(),
            ["a b", r#"c "d" $e"#]
        );
        assert_eq!(split_words("'' x").unwrap(), ["", "x"]);
        assert!(split_words("'open").is_none());
        assert!(split_words("x\\").is_none());
    }

    #[test]
    fn device_is_an_argument_and_in_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let dev = dir.path().join("dev; rm -rf /");
        let cmd = format!(
            "sh -c 'printf \"%s|%s\" \"$1\" \"$MBUF_DEVICE\" > \"$0\"' {}",
            out.display()
        );
        let log = Logger::stderr_only("mbuf");
        change(&dev, Some(&cmd), None, "", &log).unwrap();
        let got = std::fs::read_to_string(&out).unwrap();
        assert_eq!(got, format!("{0}|{0}", dev.display()));
        assert!(change(&dev, Some("false"), None, "", &log).is_err());
    }
}

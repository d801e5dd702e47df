//! `mbuf -h` and `mbuf -V`: our own wording for mbuffer R20230301's options
//! (`reference/mbuffer.md` §1) and the mbuf extensions.

/// The help text (the binary prints it to stderr, as mbuffer does, and exits 0).
pub fn usage_text(program: &str) -> String {
    format!(
        "usage: {program} [options]\n\
Streams standard input (or -i/-I) to standard output (or -o/-O) through a large buffer.\n\
\n\
Buffer:\n\
  -s <size>        block size; every write is one block except the last (default: see -m)\n\
  -m <size>        total buffer memory, in b, k, M, G, T or % of RAM (default: 2% of RAM)\n\
  -b <num>         number of blocks (at least 5; any two of -s, -m, -b fix the third)\n\
  -P <pct>         start writing once the buffer is <pct>% full, again after each underrun\n\
  -p <pct>         after the buffer ran full, read again only below <pct>% (not with -P)\n\
  -L               lock the buffer in memory (best effort)\n\
  -t               keep the buffer in an unlinked file in $TMPDIR (default /var/tmp)\n\
  -T <file>        keep the buffer in <file>\n\
  --prefault       touch the whole buffer at start\n\
\n\
Input and output:\n\
  -i <file>        read from <file> ('-' is standard input)\n\
  -o <file>        write to <file> ('-' is standard output); repeat for several outputs\n\
  --append         open the next -o in append mode\n\
  --truncate       truncate the next -o\n\
  -f               overwrite existing output files\n\
  -I [host:]port   accept one TCP connection on <port> (only from <host> if given)\n\
  -O host:port     send to a TCP receiver ([addr]:port for IPv6); repeatable\n\
  -4 | -6 | -0     IPv4 only | IPv6 only | either, for the following -I/-O\n\
  --tcpbuffer <size>  socket buffer size\n\
  --tcptimeo <time>   socket timeout (us, ms, s, min, h; bare number: ms; 0: none)\n\
  --connect-retry <time>  retry a refused -O connection for this long (bare number: s)\n\
  --framed         carry block lengths and a SHA-256 trailer between two mbufs\n\
  -r <rate>        limit the read rate (bytes/s with suffix, e.g. 25M)\n\
  -R <rate>        limit the write rate\n\
  -u <num>         pause <num> microseconds after each write\n\
  -c               write with O_SYNC\n\
  -d               write in chunks of the output device's block size\n\
  --direct, --no-direct  accepted; mbuf never uses O_DIRECT\n\
\n\
Volumes:\n\
  -D <size>        change the output volume after <size> bytes\n\
  -A <cmd>         command that loads the next volume (gets the device as argument)\n\
  -a <secs>        time the autoloader needs to load a volume\n\
  -n <num>         number of input volumes (0: ask each time; needs -i)\n\
  --tapeaware      keep writing after the first ENOSPC until a second one\n\
\n\
Checks and messages:\n\
  -H, --md5        print the MD5 of the stream at the end\n\
  --hash <alg>     print this hash of the stream (repeatable; 'list' lists them)\n\
  -l <file>        log messages to <file>\n\
  -q               no status line on standard error\n\
  -Q               no status lines in the log\n\
  -v <level>       0-6 or none, fatal, error, warning (default), info, debug, io\n\
  -W <secs>        watchdog: interrupt when nothing moves for <secs> seconds\n\
  -e               stop at the first error\n\
  --pid            print the process id\n\
  --progress       progress bar with ETA when the input size is known\n\
  --stats-json <file>  write the final statistics as JSON ('-': standard error)\n\
  -V, --version    print the version\n\
  -h, --help       print this help\n\
\n\
Config files: /etc/mbuffer.rc, ~/.mbuffer.rc, $MBUFFERRC (key = value).\n"
    )
}

/// The version text (printed to stderr, exit 0).
pub fn version_text() -> String {
    format!(
        "mbuf {} (tapekit), option-compatible with mbuffer R20230301\n",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_option() {
        let text = usage_text("mbuf");
        for opt in [
            "-s ",
            "-m ",
            "-b ",
            "-P ",
            "-p ",
            "-L ",
            "-t ",
            "-T ",
            "-i ",
            "-o ",
            "--append",
            "--truncate",
            "-f ",
            "-I ",
            "-O ",
            "-4",
            "-6",
            "-0",
            "--tcpbuffer",
            "--tcptimeo",
            "-r ",
            "-R ",
            "-u ",
            "-c ",
            "-d ",
            "--direct",
            "--no-direct",
            "-D ",
            "-A ",
            "-a ",
            "-n ",
            "--tapeaware",
            "-H",
            "--md5",
            "--hash",
            "-l ",
            "-q ",
            "-Q ",
            "-v ",
            "-W ",
            "-e ",
            "--pid",
            "-V",
            "--version",
            "-h",
            "--help",
            "--connect-retry",
            "--framed",
            "--progress",
            "--stats-json",
            "--prefault",
        ] {
            assert!(text.contains(opt), "{opt}");
        }
        assert!(text.starts_with("usage: mbuf "));
        assert!(version_text().contains("mbuf "));
    }
}

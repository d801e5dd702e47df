//! What an `mbuf` command line means, fully resolved: the contract between the option parser
//! ([`super::cli`]) and the engine ([`super::engine`]). Option letters refer to mbuffer
//! R20230301 (`reference/mbuffer.md` §1); everything here is already validated (sizes parsed,
//! geometry resolved, conflicting options refused).

use std::path::PathBuf;
use std::time::Duration;

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Stream input to outputs.
    Run(Box<Options>),
    /// `-h` / `--help`: print the usage text to stderr... (text in [`super::cli`]), exit 0.
    Help,
    /// `-V` / `--version`, exit 0.
    Version,
    /// `--hash list`: print the supported algorithms, exit 0.
    HashList,
}

/// Address family for the following `-I`/`-O` (`-4`, `-6`, `-0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Family {
    /// Either (`-0`, the default).
    #[default]
    Any,
    /// IPv4 only (`-4`).
    V4,
    /// IPv6 only (`-6`).
    V6,
}

/// Socket settings that apply to a network endpoint (`--tcpbuffer`, `--tcptimeo`, `-4/-6`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetOptions {
    /// Address family.
    pub family: Family,
    /// SO_SNDBUF / SO_RCVBUF; `None` keeps the OS default.
    pub tcp_buffer: Option<usize>,
    /// Send/receive timeout; `None` disables it (`--tcptimeo 0`). mbuffer's default is 100 s.
    pub timeout: Option<Duration>,
}

/// The one input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum InputSpec {
    /// Standard input (default, or `-i -`).
    #[default]
    Stdin,
    /// `-i FILE`: a file, a device (`/dev/nst0`) or a `.vtape` medium.
    File(PathBuf),
    /// `-I [host:]port`: accept one TCP connection; with a host, only from that peer.
    Listen {
        /// Peer allowed to connect (`host:` part), if given.
        peer: Option<String>,
        /// Port to listen on.
        port: u16,
        /// Socket settings.
        net: NetOptions,
    },
}

/// How a file output is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// O_CREAT|O_EXCL: an existing file is refused (default; paths under `/dev/` are opened
    /// without O_EXCL, as mbuffer does).
    Exclusive,
    /// O_CREAT|O_TRUNC (`-f`, or `--truncate` before this `-o`).
    Truncate,
    /// O_CREAT|O_APPEND (`--append` before this `-o`).
    Append,
}

/// One output (`-o` and `-O` are repeatable and may be mixed; order is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputSpec {
    /// `-o -`: standard output (data goes to a dup of fd 1; fd 1 is then pointed at stderr).
    Stdout,
    /// `-o FILE`: a file, a device (`/dev/nst0`) or a `.vtape` medium.
    File {
        /// The path.
        path: PathBuf,
        /// How to open it.
        mode: OpenMode,
    },
    /// `-O host:port` (IPv6 as `[addr]:port`).
    Connect {
        /// Host name or address.
        host: String,
        /// Port.
        port: u16,
        /// Socket settings.
        net: NetOptions,
        /// `--connect-retry DURATION`: keep retrying a refused connection for this long.
        retry: Option<Duration>,
    },
}

/// Hash algorithms of `-H`/`--md5`/`--hash`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    /// MD5 (`-H`, `--md5`, `--hash md5`).
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// Every supported algorithm, in `--hash list` order.
    pub const ALL: [HashAlg; 6] = [
        HashAlg::Md5,
        HashAlg::Sha1,
        HashAlg::Sha224,
        HashAlg::Sha256,
        HashAlg::Sha384,
        HashAlg::Sha512,
    ];

    /// The name used in `--hash NAME` and `--hash list` (lower case).
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Md5 => "md5",
            HashAlg::Sha1 => "sha1",
            HashAlg::Sha224 => "sha224",
            HashAlg::Sha256 => "sha256",
            HashAlg::Sha384 => "sha384",
            HashAlg::Sha512 => "sha512",
        }
    }

    /// The label of the result line printed before the summary: `MD5 hash: <hex>`,
    /// `SHA256 hash: <hex>`.
    pub fn label(self) -> &'static str {
        match self {
            HashAlg::Md5 => "MD5",
            HashAlg::Sha1 => "SHA1",
            HashAlg::Sha224 => "SHA224",
            HashAlg::Sha256 => "SHA256",
            HashAlg::Sha384 => "SHA384",
            HashAlg::Sha512 => "SHA512",
        }
    }
}

/// Where the ring memory comes from (`-t`, `-T FILE`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BufferBacking {
    /// Anonymous memory (default).
    #[default]
    Memory,
    /// `-t`: an unlinked temporary file in `$TMPDIR` (default `/var/tmp`).
    TempFile,
    /// `-T FILE`: the named file.
    File(PathBuf),
}

/// mbuffer's verbosity levels (`-v 0..6`).
pub mod verbosity {
    /// Nothing.
    pub const SILENT: u8 = 0;
    /// `fatal:` messages.
    pub const FATAL: u8 = 1;
    /// `error:` messages.
    pub const ERROR: u8 = 2;
    /// `warning:` messages (default).
    pub const WARNING: u8 = 3;
    /// Informational messages.
    pub const INFO: u8 = 4;
    /// Debug messages.
    pub const DEBUG: u8 = 5;
    /// Every I/O.
    pub const IO: u8 = 6;
}

/// A validated `mbuf` run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Message prefix: the basename of argv\[0\] (`mbuffer` when installed under that name).
    pub program: String,
    /// The input.
    pub input: InputSpec,
    /// The outputs in command-line order; empty means standard output.
    pub outputs: Vec<OutputSpec>,
    /// Block size in bytes (`-s`), resolved with `-m`/`-b`.
    pub block_size: usize,
    /// Number of blocks (`-b`), at least 5.
    pub blocks: usize,
    /// `-P`: start output when the buffer is this full (percent, (0,100]); re-applied after
    /// every underrun.
    pub high_watermark: Option<f64>,
    /// `-p`: after the buffer was full, resume input below this fill (percent, [0,100)).
    pub low_watermark: Option<f64>,
    /// `-r`: input rate limit, bytes per second.
    pub read_rate: Option<u64>,
    /// `-R`: output rate limit, bytes per second.
    pub write_rate: Option<u64>,
    /// `-u`: pause after each write (microseconds, as mbuffer's code does).
    pub pause: Option<Duration>,
    /// `-D`: volume size: change volume after this many bytes.
    pub volume_size: Option<u64>,
    /// `-n`: number of input volumes (0 = ask each time).
    pub input_volumes: Option<u32>,
    /// `-A`: volume-change command, run without a shell; the device path is passed as the
    /// last argument and in `$MBUF_DEVICE` (see the engine docs).
    pub autoload_command: Option<String>,
    /// `-a`: autoloader reload time.
    pub autoload_time: Option<Duration>,
    /// `--tapeaware`: one ENOSPC is early warning; two in a row are the end of the volume.
    pub tapeaware: bool,
    /// `-c`: open outputs with O_SYNC.
    pub sync: bool,
    /// `-e`: stop on any error.
    pub stop_on_error: bool,
    /// `-d`: write in chunks of the output's st_blksize.
    pub device_blocksize: bool,
    /// `--direct` / default: O_DIRECT on input/output is never used by mbuf (accepted and
    /// ignored; `--no-direct` is the behaviour).
    pub direct: bool,
    /// Hashes of the stream (`-H`, `--md5`, `--hash`), in command-line order, no duplicates.
    pub hashes: Vec<HashAlg>,
    /// `-l FILE`: log file.
    pub log_file: Option<PathBuf>,
    /// `-q`: no status line on stderr.
    pub quiet: bool,
    /// `-Q`: no status lines in the log file.
    pub quiet_log: bool,
    /// `-v N` (default 3, warnings).
    pub verbose: u8,
    /// `-W SECS`: watchdog period.
    pub watchdog: Option<Duration>,
    /// `--pid`: print "PID is N" and add the PID to the message prefix.
    pub print_pid: bool,
    /// `-L`: mlock the buffer (best effort: warns on failure).
    pub mlock: bool,
    /// `--prefault`: touch the whole ring at start (mbuf extension).
    pub prefault: bool,
    /// `-t` / `-T FILE`.
    pub backing: BufferBacking,
    /// Status line interval (config file `StatusInterval`, default 0.5 s).
    pub status_interval: Duration,
    /// `--framed`: the network stream between two mbufs carries block lengths and a SHA-256
    /// trailer, so a truncated transfer is detected (both ends must use it).
    pub framed: bool,
    /// `--progress`: progress bar with ETA on a terminal when the input size is known.
    pub progress: bool,
    /// `--stats-json FILE`: write the final statistics as JSON (`-` = stderr).
    pub stats_json: Option<PathBuf>,
    /// Warnings found while parsing (geometry adjusted, option accepted but ignored, ...),
    /// printed by the engine with the `warning:` prefix once logging is set up.
    pub warnings: Vec<String>,
}

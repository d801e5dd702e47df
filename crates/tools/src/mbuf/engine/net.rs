//! TCP endpoints: `-I [host:]port` accepts one connection (only from `host` if given), `-O
//! host:port` connects (with the mbuf extension `--connect-retry`), `-4`/`-6`/`-0`,
//! `--tcpbuffer` (SO_SNDBUF/SO_RCVBUF) and `--tcptimeo` (send/receive timeouts)
//! (`reference/mbuffer.md` §1, §6 "Network": raw TCP bytes, end of stream = close).

use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use nix::sys::socket::{setsockopt, sockopt};

use super::log::{io_text, Logger};
use crate::mbuf::options::{Family, NetOptions};

/// Pause between two connection attempts under `--connect-retry`.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

fn family_ok(family: Family, addr: &SocketAddr) -> bool {
    match family {
        Family::Any => true,
        Family::V4 => addr.is_ipv4(),
        Family::V6 => addr.is_ipv6(),
    }
}

/// Resolves `host:port` to the addresses of the wanted family.
pub fn resolve(host: &str, port: u16, family: Family) -> io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()?
        .filter(|a| family_ok(family, a))
        .collect();
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no address of the requested family for {host}"),
        ));
    }
    Ok(addrs)
}

/// Applies `--tcpbuffer` and `--tcptimeo` to a connected socket.
pub fn configure(stream: &TcpStream, net: &NetOptions, sending: bool) -> io::Result<()> {
    if let Some(size) = net.tcp_buffer {
        let r = if sending {
            setsockopt(stream, sockopt::SndBuf, &size)
        } else {
            setsockopt(stream, sockopt::RcvBuf, &size)
        };
        r.map_err(io::Error::from)?;
    }
    stream.set_read_timeout(net.timeout)?;
    stream.set_write_timeout(net.timeout)?;
    Ok(())
}

/// `-I [peer:]port`: listens, accepts one connection (from `peer` only, if given; others are
/// refused with a warning) and closes the listening socket.
pub fn listen(
    peer: Option<&str>,
    port: u16,
    net: &NetOptions,
    log: &Logger,
) -> io::Result<(TcpStream, SocketAddr)> {
    let listener = match net.family {
        Family::V4 => TcpListener::bind(("0.0.0.0", port))?,
        Family::V6 => TcpListener::bind(("::", port))?,
        Family::Any => {
            TcpListener::bind(("::", port)).or_else(|_| TcpListener::bind(("0.0.0.0", port)))?
        }
    };
    let allowed: Option<Vec<IpAddr>> = match peer {
        Some(h) => Some(
            resolve(h, port, Family::Any)?
                .iter()
                .map(|a| canonical(a.ip()))
                .collect(),
        ),
        None => None,
    };
    log.info(&format!("listening on port {port}"));
    loop {
        let (stream, addr) = listener.accept()?;
        let ip = canonical(addr.ip());
        if allowed.as_ref().is_some_and(|ok| !ok.contains(&ip)) {
            log.warning(&format!("rejected connection from {ip}"));
            continue;
        }
        log.info(&format!("connection from {ip}"));
        configure(&stream, net, false)?;
        return Ok((stream, addr));
    }
}

/// An IPv4-mapped IPv6 address as its IPv4 form (a dual-stack listener sees those).
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// `-O host:port`: connects to the first address that accepts. With `retry`, refused or
/// unreachable attempts are repeated until the duration has passed.
pub fn connect(
    host: &str,
    port: u16,
    net: &NetOptions,
    retry: Option<Duration>,
    log: &Logger,
) -> io::Result<TcpStream> {
    let deadline = retry.map(|d| Instant::now() + d);
    loop {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
        for addr in resolve(host, port, net.family)? {
            match TcpStream::connect(addr) {
                Ok(s) => {
                    configure(&s, net, true)?;
                    return Ok(s);
                }
                Err(e) => {
                    if deadline.is_none() {
                        log.warning(&format!("error connecting to {addr}: {}", io_text(&e)));
                    }
                    last = e;
                }
            }
        }
        match deadline {
            Some(d) if Instant::now() + RETRY_PAUSE < d => std::thread::sleep(RETRY_PAUSE),
            Some(_) => {
                log.warning(&format!(
                    "error connecting to {host}:{port}: {}",
                    io_text(&last)
                ));
                return Err(last);
            }
            None => return Err(last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn listen_and_connect_loopback() {
        let log = Logger::stderr_only("mbuf");
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let net = NetOptions {
            family: Family::V4,
            tcp_buffer: Some(65536),
            timeout: Some(Duration::from_secs(5)),
        };
        let n2 = net.clone();
        let t = std::thread::spawn(move || {
            let log = Logger::stderr_only("mbuf");
            let (mut s, _) = listen(Some("127.0.0.1"), port, &n2, &log).unwrap();
            let mut v = Vec::new();
            s.read_to_end(&mut v).unwrap();
            v
        });
        let mut s = connect("127.0.0.1", port, &net, Some(Duration::from_secs(5)), &log).unwrap();
        s.write_all(b"hello").unwrap();
        drop(s);
        assert_eq!(t.join().unwrap(), b"hello");
    }

    #[test]
    fn refused_without_retry_fails_at_once() {
        let log = Logger::stderr_only("mbuf");
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        let net = NetOptions::default();
        let e = connect("127.0.0.1", port, &net, None, &log).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
    }
}

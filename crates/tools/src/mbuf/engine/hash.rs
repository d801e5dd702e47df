//! Stream hashes (`-H`, `--md5`, `--hash ALG`; `reference/mbuffer.md` §1, §3 "Hash lines"):
//! each algorithm runs as its own consumer of the ring (mbuffer's "hasher" threads), so hashing
//! proceeds in parallel with the outputs and never copies a block.

use md5::Md5;
use sha1::Sha1;
use sha2::digest::DynDigest;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use stream_buffer::Consumer;

use crate::mbuf::options::HashAlg;

/// A running digest of one algorithm.
pub struct StreamHash {
    alg: HashAlg,
    state: Box<dyn DynDigest + Send>,
}

impl std::fmt::Debug for StreamHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamHash")
            .field("alg", &self.alg)
            .finish()
    }
}

impl StreamHash {
    /// A fresh digest of `alg`.
    pub fn new(alg: HashAlg) -> StreamHash {
        let state: Box<dyn DynDigest + Send> = match alg {
            HashAlg::Md5 => Box::new(Md5::default()),
            HashAlg::Sha1 => Box::new(Sha1::default()),
            HashAlg::Sha224 => Box::new(Sha224::default()),
            HashAlg::Sha256 => Box::new(Sha256::default()),
            HashAlg::Sha384 => Box::new(Sha384::default()),
            HashAlg::Sha512 => Box::new(Sha512::default()),
        };
        StreamHash { alg, state }
    }

    /// The algorithm.
    pub fn alg(&self) -> HashAlg {
        self.alg
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        self.state.update(data);
    }

    /// The final digest.
    pub fn finish(self) -> Vec<u8> {
        self.state.finalize().into_vec()
    }
}

/// Consumes the whole ring into a digest; `None` if the stream was aborted.
pub fn run(alg: HashAlg, mut consumer: Consumer) -> Option<Vec<u8>> {
    let mut h = StreamHash::new(alg);
    loop {
        match consumer.next_block() {
            Ok(Some(block)) => h.update(&block),
            Ok(None) => return Some(h.finish()),
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mbuf::cli::format::hash_line;

    fn hex(alg: HashAlg, data: &[u8]) -> String {
        let mut h = StreamHash::new(alg);
        h.update(data);
        hash_line(alg, &h.finish())
    }

    #[test]
    fn known_digests_of_abc() {
        // RFC 1321 A.5, FIPS 180-2 appendix examples ("abc").
        assert_eq!(
            hex(HashAlg::Md5, b"abc"),
            "MD5 hash: 900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hex(HashAlg::Sha1, b"abc"),
            "SHA1 hash: a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(HashAlg::Sha256, b"abc"),
            "SHA256 hash: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hash_consumer_sees_the_whole_stream() {
        let (mut p, mut cs) = stream_buffer::buffer(stream_buffer::Config::new(4, 5)).unwrap();
        let c = cs.pop().unwrap();
        let t = std::thread::spawn(move || run(HashAlg::Md5, c));
        p.write_all(b"ab").unwrap();
        p.write_all(b"c").unwrap();
        p.finish().unwrap();
        let d = t.join().unwrap().unwrap();
        assert_eq!(
            hash_line(HashAlg::Md5, &d),
            "MD5 hash: 900150983cd24fb0d6963f7d28e17f72"
        );
    }
}

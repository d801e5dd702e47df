//! configfs setup on a temporary directory with configfs semantics: attributes and default
//! groups go away with their directory, but a directory holding user-made subdirectories or
//! symlinks cannot be removed.

use std::collections::HashSet;
use std::sync::Mutex;

use super::*;

/// Fake configfs on a real temporary directory.
#[derive(Debug, Default)]
pub(crate) struct FakeConfigfs {
    made: Mutex<HashSet<PathBuf>>,
}

impl Ops for FakeConfigfs {
    fn mkdir(&self, path: &Path) -> std::io::Result<()> {
        std::fs::create_dir(path)?;
        self.made.lock().unwrap().insert(path.to_path_buf());
        Ok(())
    }

    fn rmdir(&self, path: &Path) -> std::io::Result<()> {
        let made = self.made.lock().unwrap().clone();
        for e in std::fs::read_dir(path)? {
            let e = e?;
            let p = e.path();
            if e.file_type()?.is_symlink() || made.iter().any(|m| m.starts_with(&p)) {
                return Err(std::io::Error::from_raw_os_error(nix::libc::ENOTEMPTY));
            }
        }
        std::fs::remove_dir_all(path)?;
        self.made.lock().unwrap().remove(path);
        Ok(())
    }

    fn write_attr(&self, path: &Path, value: &str) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, value)
    }
}

fn config() -> BackstoreConfig {
    BackstoreConfig {
        name: "tape0".into(),
        dev_size: 1 << 30,
        cmd_time_out: 5,
    }
}

fn root_with_core() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("core")).unwrap();
    dir
}

fn tree(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(root).unwrap().display().to_string());
            if p.is_dir() && !p.is_symlink() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn full_setup_and_teardown() {
    let dir = root_with_core();
    let root = dir.path();
    let ops: Arc<dyn Ops> = Arc::new(FakeConfigfs::default());
    let mut bs_guard = Guard::new(Arc::clone(&ops));
    let bs = create_backstore(&mut bs_guard, root, &config()).unwrap();
    assert_eq!(bs.hba, 1);
    assert_eq!(bs.dir, root.join("core/user_1/tape0"));
    assert_eq!(bs.dev_config, "tapekit/tape0");
    // The control writes are separate; the fake keeps the last one.
    assert_eq!(
        std::fs::read_to_string(bs.dir.join("control")).unwrap(),
        "dev_size=1073741824"
    );
    assert_eq!(
        std::fs::read_to_string(bs.dir.join("attrib/cmd_time_out")).unwrap(),
        "5"
    );
    assert_eq!(std::fs::read_to_string(bs.dir.join("enable")).unwrap(), "1");

    let (wwn, initiator) = wwns(bs.hba, "tape0");
    assert!(
        wwn.starts_with("naa.5001405") && wwn.len() == 4 + 16,
        "{wwn}"
    );
    assert_ne!(wwn, initiator);
    let mut lun_guard = Guard::new(Arc::clone(&ops));
    let lun = create_loopback(&mut lun_guard, root, &wwn, &initiator).unwrap();
    assert_eq!(lun, root.join(format!("loopback/{wwn}/tpgt_1/lun/lun_0")));
    link_lun(&mut lun_guard, &bs, &lun, "tape0").unwrap();
    assert_eq!(std::fs::read_link(lun.join("tape0")).unwrap(), bs.dir);
    let nexus = root.join(format!("loopback/{wwn}/tpgt_1/nexus"));
    assert_eq!(std::fs::read_to_string(&nexus).unwrap(), initiator);

    lun_guard.teardown().unwrap();
    let left = tree(root);
    assert!(!left.iter().any(|p| p.starts_with("loopback")), "{left:?}");
    assert!(bs.dir.is_dir());
    lun_guard.teardown().unwrap();
    bs_guard.teardown().unwrap();
    assert_eq!(tree(root), ["core"]);
    drop(bs_guard);
    assert_eq!(tree(root), ["core"]);
}

#[test]
fn drop_tears_down_in_reverse_order() {
    let dir = root_with_core();
    let root = dir.path();
    let ops: Arc<dyn Ops> = Arc::new(FakeConfigfs::default());
    {
        let mut g = Guard::new(Arc::clone(&ops));
        let bs = create_backstore(&mut g, root, &config()).unwrap();
        let lun =
            create_loopback(&mut g, root, "naa.5001405000000010", "naa.5001405000000011").unwrap();
        link_lun(&mut g, &bs, &lun, "tape0").unwrap();
        // One guard holding everything: the link must go before lun_0, lun_0 before tpgt_1.
    }
    assert_eq!(tree(root), ["core"]);
}

/// Fails the write to `enable`, as the kernel does when the device cannot be configured.
#[derive(Debug, Default)]
struct FailEnable(FakeConfigfs);

impl Ops for FailEnable {
    fn mkdir(&self, p: &Path) -> std::io::Result<()> {
        self.0.mkdir(p)
    }
    fn rmdir(&self, p: &Path) -> std::io::Result<()> {
        self.0.rmdir(p)
    }
    fn write_attr(&self, p: &Path, v: &str) -> std::io::Result<()> {
        if p.ends_with("enable") {
            return Err(std::io::Error::from_raw_os_error(nix::libc::EINVAL));
        }
        self.0.write_attr(p, v)
    }
}

#[test]
fn partial_setup_is_undone() {
    let dir = root_with_core();
    let root = dir.path();
    let mut g = Guard::new(Arc::new(FailEnable::default()));
    let e = create_backstore(&mut g, root, &config()).unwrap_err();
    assert_eq!(e.op, "write");
    assert_eq!(e.path, root.join("core/user_1/tape0/enable"));
    g.teardown().unwrap();
    assert_eq!(tree(root), ["core"]);
}

#[test]
fn missing_fabric_gives_a_hint() {
    let dir = root_with_core();
    let root = dir.path();
    // A file where the fabric directory would be: mkdir fails (as without tcm_loop).
    std::fs::write(root.join("loopback"), "").unwrap();
    let mut g = Guard::new(Arc::new(FakeConfigfs::default()));
    let e =
        create_loopback(&mut g, root, "naa.5001405000000010", "naa.5001405000000011").unwrap_err();
    assert!(e.to_string().contains("tcm_loop"), "{e}");
}

#[test]
fn shared_directories_in_use_stay() {
    let dir = root_with_core();
    let root = dir.path();
    let ops: Arc<dyn Ops> = Arc::new(FakeConfigfs::default());
    let mut first = Guard::new(Arc::clone(&ops));
    let a = create_backstore(&mut first, root, &config()).unwrap();
    // Another device in the same HBA, made by someone else.
    ops.mkdir(&root.join("core/user_1/other")).unwrap();
    first.teardown().unwrap();
    assert!(!a.dir.exists());
    assert!(root.join("core/user_1/other").is_dir());
}

#[test]
fn second_server_with_the_same_name_gets_the_next_hba() {
    let dir = root_with_core();
    let root = dir.path();
    let ops: Arc<dyn Ops> = Arc::new(FakeConfigfs::default());
    let mut g1 = Guard::new(Arc::clone(&ops));
    let mut g2 = Guard::new(Arc::clone(&ops));
    assert_eq!(create_backstore(&mut g1, root, &config()).unwrap().hba, 1);
    assert_eq!(create_backstore(&mut g2, root, &config()).unwrap().hba, 2);
    assert_ne!(wwns(1, "tape0").0, wwns(2, "tape0").0);
    g2.teardown().unwrap();
    g1.teardown().unwrap();
    assert_eq!(tree(root), ["core"]);
}

#[test]
fn names() {
    assert!(valid_name("tape0"));
    assert!(valid_name("lto-5.a_b"));
    for bad in ["", ".", "..", "a/b", "a,b", "a b", &"x".repeat(65)] {
        assert!(!valid_name(bad), "{bad:?}");
    }
}

//! `serve` up to the point a host without TCMU can reach: checks, configfs on a fake root,
//! and the teardown after the uio device fails to appear.

use super::configfs::tests::FakeConfigfs;
use super::*;
use crate::medium::{Generation, Medium, MediumConfig};

fn medium(dir: &Path) -> PathBuf {
    let path = dir.join("t.vtape");
    Medium::create(
        &path,
        &MediumConfig::new(Generation::Lto5).with_capacity(64 << 20),
    )
    .unwrap()
    .close()
    .unwrap();
    path
}

fn options(root: &Path) -> ServeOptions {
    ServeOptions {
        configfs_root: root.join("target"),
        uio_class: root.join("uio"),
        dev_dir: root.join("dev"),
        uio_wait: Duration::from_millis(100),
        ..ServeOptions::default()
    }
}

#[test]
fn missing_configfs_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = medium(dir.path());
    let stop = AtomicBool::new(false);
    let e = serve_with(
        &path,
        &options(dir.path()),
        &stop,
        &mut |_| {},
        Arc::new(FakeConfigfs::default()),
        false,
    )
    .unwrap_err();
    assert!(matches!(e, ServeError::NoConfigfs(_)));
    assert!(e
        .to_string()
        .contains("target_core_mod/tcm_loop not loaded or configfs not mounted"));
}

#[test]
fn invalid_name_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = medium(dir.path());
    let mut opts = options(dir.path());
    opts.name = "a/b".into();
    let stop = AtomicBool::new(false);
    let e = serve(&path, &opts, &stop, &mut |_| {}).unwrap_err();
    assert!(matches!(e, ServeError::InvalidName(_)));
}

#[test]
fn no_uio_device_tears_down_and_releases_the_medium() {
    let dir = tempfile::tempdir().unwrap();
    let path = medium(dir.path());
    let root = dir.path().join("target");
    std::fs::create_dir_all(root.join("core")).unwrap();
    std::fs::create_dir_all(dir.path().join("uio")).unwrap();
    let stop = AtomicBool::new(false);
    let mut ready = false;
    let e = serve_with(
        &path,
        &options(dir.path()),
        &stop,
        &mut |_| ready = true,
        Arc::new(FakeConfigfs::default()),
        false,
    )
    .unwrap_err();
    assert!(
        matches!(e, ServeError::Uio(UioError::NotFound { .. })),
        "{e}"
    );
    assert!(!ready);
    let left: Vec<_> = std::fs::read_dir(root.join("core")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(!root.join("loopback").exists());
    // The medium lock is released.
    Drive::open(&path).unwrap();
}

#[test]
fn a_panicking_ring_still_hands_the_drive_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = medium(dir.path());
    let device = DriveDevice::new(Drive::open(&path).unwrap());
    let thread = spawn_guarded(device, |_| panic!("ring broke")).unwrap();
    let (device, result) = thread.join().unwrap();
    assert_eq!(result.unwrap_err(), "ring broke");
    let mut drive = device.drive;
    drive.persist().unwrap();
    drop(drive);
    // The medium was released, so it can be opened again.
    Drive::open(&path).unwrap();
}

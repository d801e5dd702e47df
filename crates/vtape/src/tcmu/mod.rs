//! TCMU front end: serves a [`Drive`] to the Linux kernel through LIO's userspace backstore
//! (`target_core_user`, `Documentation/target/tcmu-design.rst`) and the `tcm_loop` fabric,
//! so the st and sg drivers attach to it as `/dev/nstN` and `/dev/sgN`
//! (`reference/vm-harness.md` §6-§7).
//!
//! [`serve`] runs the whole lifetime: open the drive; create and enable the backstore in
//! configfs ([`configfs`]); find, open and map its `/dev/uioN` ([`uio`]); start the ring
//! thread ([`ring`]); create the loopback target, nexus and LUN (the scan's INQUIRY needs the
//! ring running); wait for the stop flag; then unlink the LUN and remove the target while
//! the ring still answers, stop the ring thread, remove the backstore, and persist the drive.
//!
//! Requires root, configfs mounted, and the modules `target_core_user` and `tcm_loop`
//! loaded (nothing is loaded here).

pub mod abi;
pub mod configfs;
pub mod ring;
#[allow(unsafe_code)]
pub mod shm;
pub mod uio;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::drive::{Drive, DriveError};
use configfs::{BackstoreConfig, ConfigfsError, Guard, Ops, SysOps};
use ring::{DriveDevice, Ring, RingError};
use uio::{Uio, UioError};

/// How often [`serve`] looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(50);

/// Settings of [`serve`].
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Backstore and LUN link name (`core/user_N/<name>`, `dev_config=tapekit/<name>`).
    pub name: String,
    /// TCMU `cmd_time_out` in seconds: how long the kernel waits for a command before
    /// failing it (0 = the kernel default, 30 s).
    pub cmd_time_out: u32,
    /// The configfs target directory (default `/sys/kernel/config/target`).
    pub configfs_root: PathBuf,
    /// The uio class directory (default `/sys/class/uio`).
    pub uio_class: PathBuf,
    /// Where the `uioN` device nodes are (default `/dev`).
    pub dev_dir: PathBuf,
    /// How long to wait for the uio device after enabling the backstore (default 5 s).
    pub uio_wait: Duration,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            name: "tape0".into(),
            cmd_time_out: 5,
            configfs_root: configfs::DEFAULT_ROOT.into(),
            uio_class: "/sys/class/uio".into(),
            dev_dir: "/dev".into(),
            uio_wait: Duration::from_secs(5),
        }
    }
}

/// What [`serve`] reports once the LUN is linked.
#[derive(Debug, Clone)]
pub struct ServeInfo {
    /// The loopback target WWN (`naa.…`).
    pub wwn: String,
    /// N of `/dev/uioN`.
    pub uio: u32,
    /// N of `core/user_N`.
    pub hba: u32,
    /// The backstore directory in configfs.
    pub backstore: PathBuf,
}

/// Why [`serve`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// Not running as root.
    #[error("must be run as root (configfs and /dev/uio* need it)")]
    NotRoot,
    /// The configfs target directory is missing.
    #[error("{0} missing: target_core_mod/tcm_loop not loaded or configfs not mounted")]
    NoConfigfs(PathBuf),
    /// The name cannot be used in configfs.
    #[error("invalid name {0:?}: use letters, digits, '_', '-', '.' (at most 64)")]
    InvalidName(String),
    /// The drive could not be opened or persisted.
    #[error(transparent)]
    Drive(#[from] DriveError),
    /// A configfs step failed.
    #[error(transparent)]
    Configfs(#[from] ConfigfsError),
    /// The uio device could not be found, opened or mapped.
    #[error(transparent)]
    Uio(#[from] UioError),
    /// The ring handler failed.
    #[error(transparent)]
    Ring(#[from] RingError),
    /// The ring thread could not be started or panicked.
    #[error("ring thread: {0}")]
    Thread(String),
}

/// Serves the cartridge at `path` as a kernel tape device until `stop` is set; calls
/// `ready` once st/sg can attach. Tears everything down before returning, error or not.
pub fn serve(
    path: &Path,
    options: &ServeOptions,
    stop: &AtomicBool,
    ready: &mut dyn FnMut(&ServeInfo),
) -> Result<(), ServeError> {
    serve_with(path, options, stop, ready, Arc::new(SysOps), true)
}

fn serve_with(
    path: &Path,
    options: &ServeOptions,
    stop: &AtomicBool,
    ready: &mut dyn FnMut(&ServeInfo),
    ops: Arc<dyn Ops>,
    need_root: bool,
) -> Result<(), ServeError> {
    if !configfs::valid_name(&options.name) {
        return Err(ServeError::InvalidName(options.name.clone()));
    }
    if need_root && !nix::unistd::geteuid().is_root() {
        return Err(ServeError::NotRoot);
    }
    // The served drive is a device that powers up with `serve` and off when it ends: its
    // encryption key lives in this process only, never in a file.
    let drive = Drive::open(path)?.with_key_store(crate::drive::KeyStore::Memory);
    let root = &options.configfs_root;
    if !root.join("core").is_dir() {
        return Err(ServeError::NoConfigfs(root.clone()));
    }
    let dev_size = drive.cartridge().config().capacity;

    let mut backstore_guard = Guard::new(Arc::clone(&ops));
    let backstore = configfs::create_backstore(
        &mut backstore_guard,
        root,
        &BackstoreConfig {
            name: options.name.clone(),
            dev_size,
            cmd_time_out: options.cmd_time_out,
        },
    )?;
    let name = uio::uio_name(backstore.hba, &options.name, &backstore.dev_config);
    let uio = Uio::open(
        &options.uio_class,
        &options.dev_dir,
        &name,
        options.uio_wait,
    )?;
    let uio_index = uio.index;
    let ring = Ring::attach(&uio.map)?;

    let ring_stop = Arc::new(AtomicBool::new(false));
    let thread = spawn_ring(ring, uio, DriveDevice::new(drive), Arc::clone(&ring_stop))?;

    let (wwn, initiator) = configfs::wwns(backstore.hba, &options.name);
    let mut lun_guard = Guard::new(ops);
    let linked = configfs::create_loopback(&mut lun_guard, root, &wwn, &initiator)
        .and_then(|lun| configfs::link_lun(&mut lun_guard, &backstore, &lun, &options.name));
    let mut result = linked.map_err(ServeError::from);
    if result.is_ok() {
        ready(&ServeInfo {
            wwn,
            uio: uio_index,
            hba: backstore.hba,
            backstore: backstore.dir.clone(),
        });
        while !stop.load(Ordering::Acquire) && !thread.is_finished() {
            std::thread::sleep(STOP_POLL);
        }
    }
    // The LUN goes first, while the ring still completes what the kernel sends on removal.
    let lun_down = lun_guard.teardown();
    ring_stop.store(true, Ordering::Release);
    // A panic in the ring is caught in the thread, which still hands the drive back: it is
    // persisted like after a clean stop, and the panic is reported once teardown is done.
    let joined = thread
        .join()
        .map_err(|p| ServeError::Thread(format!("ring thread panicked: {}", panic_text(&*p))));
    let backstore_down = backstore_guard.teardown();
    let (ring_result, persisted) = match joined {
        Ok((device, ring_result)) => {
            let mut drive = device.drive;
            (ring_result, drive.persist().map_err(ServeError::from))
        }
        Err(e) => (Ok(Ok(())), Err(e)),
    };
    let ring_result = match ring_result {
        Ok(r) => r.map_err(ServeError::from),
        Err(msg) => Err(ServeError::Thread(format!("ring thread panicked: {msg}"))),
    };
    result = result
        .and(ring_result)
        .and(lun_down.map_err(ServeError::from))
        .and(backstore_down.map_err(ServeError::from))
        .and(persisted);
    result
}

/// What the ring thread hands back: the device, and the ring's result or, when the ring
/// panicked, the panic message.
type RingOutcome = (DriveDevice, Result<Result<(), RingError>, String>);
type RingThread = std::thread::JoinHandle<RingOutcome>;

/// Starts the ring thread; it owns the uio device (closed and unmapped when it ends) and
/// hands the drive back.
fn spawn_ring(
    mut ring: Ring,
    mut uio: Uio,
    device: DriveDevice,
    stop: Arc<AtomicBool>,
) -> Result<RingThread, ServeError> {
    spawn_guarded(device, move |device| {
        let result = ring::run(&mut ring, &mut uio.map, &mut uio.file, device, &stop);
        drop(uio);
        result
    })
}

/// Runs `body` on `device` in a new thread, catching a panic so that the device (and the
/// drive state in it) always comes back to be persisted.
fn spawn_guarded<F>(mut device: DriveDevice, body: F) -> Result<RingThread, ServeError>
where
    F: FnOnce(&mut DriveDevice) -> Result<(), RingError> + Send + 'static,
{
    std::thread::Builder::new()
        .name("tcmu-ring".into())
        .spawn(move || {
            // The drive may be mid-command when the ring panics; persisting what it holds is
            // still better than losing every change since it was opened.
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(&mut device)))
                    .map_err(|p| panic_text(&*p));
            (device, result)
        })
        .map_err(|e| ServeError::Thread(e.to_string()))
}

/// The message of a panic payload (`&str` or `String`), or a placeholder.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

#[cfg(test)]
#[path = "serve_tests.rs"]
mod tests;

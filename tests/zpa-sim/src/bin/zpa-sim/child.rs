//! `zpa-sim exec`: runs one command against the simulator with an environment that points
//! at it and at nothing else, passes its exit status on, and cleans up what it set up.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Variables that would point a client at another tenant or another mode.
pub(crate) const ALWAYS_REMOVED: &[&str] = &[
    "ZSCALER_CLIENT_SECRET_FILE",
    "ZPA_CLIENT_SECRET_FILE",
    "ZSCALER_CLOUD",
    "ZPA_CLOUD",
    "ZPA_MICROTENANT_ID",
    "ZSCALER_MICROTENANT_ID",
    "ZSCALER_CUSTOMER_ID",
];
pub(crate) const REMOVED_FOR_ONEAPI: &[&str] = &[
    "ZPA_CLIENT_ID",
    "ZPA_CLIENT_SECRET",
    "ZSCALER_USE_LEGACY_CLIENT",
];
pub(crate) const REMOVED_FOR_LEGACY: &[&str] = &[
    "ZSCALER_CLIENT_ID",
    "ZSCALER_CLIENT_SECRET",
    "ZSCALER_PRIVATE_KEY",
    "ZSCALER_VANITY_DOMAIN",
    "ZPAKEY_AUTH_URL",
];

/// Runs CMD to completion and returns the exit code to pass on.
pub(crate) async fn run_child(cmd: &[OsString], env: &[(String, String)], removed: &[&str]) -> u8 {
    let mut command = tokio::process::Command::new(&cmd[0]);
    command.args(&cmd[1..]);
    for name in removed {
        command.env_remove(name);
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let beside = path_with_zpakey_beside();
    if let Some(path) = &beside {
        command.env("PATH", path);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) => {
            let program = Path::new(&cmd[0]);
            let mut message = format!("zpa-sim: error: cannot run {}: {e}\n", program.display());
            if beside.is_none() && program == Path::new("zpakey") {
                message.push_str(
                    "hint: put zpakey on PATH, or run the zpa-sim built next to it: cargo build --workspace && target/debug/zpa-sim exec -- zpakey …\n",
                );
            }
            let _ = io::stderr().lock().write_all(message.as_bytes());
            return 127;
        }
    };
    let status = wait_child(&mut child).await;
    match status {
        Ok(status) => exit_code_of(status),
        Err(e) => {
            let _ = writeln!(
                io::stderr().lock(),
                "zpa-sim: error: waiting for the command: {e}"
            );
            1
        }
    }
}

/// CMD's PATH with this executable's directory first, when a `zpakey` binary sits there (as
/// in target/debug after `cargo build --workspace`): `zpa-sim exec -- zpakey list` then runs
/// the zpakey built alongside, with no PATH set-up. `None` (PATH untouched) otherwise.
fn path_with_zpakey_beside() -> Option<OsString> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    let zpakey = dir.join(format!("zpakey{}", std::env::consts::EXE_SUFFIX));
    if !zpakey.is_file() {
        return None;
    }
    // Without a PATH, a shell and execvp fall back to the system's directories; keep them.
    let rest = std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
    let dirs = std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest));
    std::env::join_paths(dirs).ok()
}

/// Waits for the child. A terminal's Ctrl-C reaches the child directly, so the first
/// SIGINT only waits on; a second one, or a SIGTERM, kills the child.
async fn wait_child(child: &mut tokio::process::Child) -> io::Result<std::process::ExitStatus> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let mut interrupts = 0;
        loop {
            tokio::select! {
                status = child.wait() => return status,
                _ = term.recv() => { let _ = child.start_kill(); }
                _ = int.recv() => {
                    interrupts += 1;
                    if interrupts >= 2 {
                        let _ = child.start_kill();
                    }
                }
            }
        }
    }
    #[cfg(not(unix))]
    child.wait().await
}

fn exit_code_of(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return u8::try_from(128 + signal).unwrap_or(255);
        }
    }
    1
}

/// A 0600 copy of the demo private key in a private temporary directory, removed on drop.
pub(crate) struct TempKey {
    dir: PathBuf,
    pub(crate) path: PathBuf,
}

impl TempKey {
    pub(crate) fn write() -> Result<TempKey> {
        let dir = std::env::temp_dir().join(format!(
            "zpa-sim-{}-{:016x}",
            std::process::id(),
            fastrand::u64(..)
        ));
        let mut dir_builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            dir_builder.mode(0o700);
        }
        dir_builder
            .create(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let key = TempKey {
            path: dir.join("demo_client_key.pem"),
            dir,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(&key.path)
            .with_context(|| format!("cannot create {}", key.path.display()))?;
        file.write_all(zpa_sim::DEMO_PRIVATE_KEY_PEM.as_bytes())
            .with_context(|| format!("cannot write {}", key.path.display()))?;
        Ok(key)
    }
}

impl Drop for TempKey {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

//! File ownership and permission rules in one place. zpakey trusts a file that can name a
//! command to run only if nobody else could have written it, and keeps what it writes itself
//! (tokens, keys) private: the rules ssh applies to `~/.ssh`.

use std::fs;
use std::io;
use std::path::Path;

/// Why someone other than this user could have written a file or directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Untrusted {
    /// Owned by another user (neither this user nor root).
    Owner { uid: u32 },
    /// Writable by its group or by others.
    Writable { mode: u32 },
}

impl Untrusted {
    /// "it is owned by user 65534" / "it is writable by others (mode 666)".
    pub(crate) fn describe(self) -> String {
        match self {
            Untrusted::Owner { uid } => format!("it is owned by user {uid}, not by you"),
            Untrusted::Writable { mode } => {
                format!("it is writable by others (mode {:o})", mode & 0o777)
            }
        }
    }
}

/// `Some(why)` when `path` (followed through symlinks) could have been written by another
/// user: owned by neither this user nor root, or writable by group or others.
#[cfg(unix)]
pub(crate) fn untrusted(path: &Path) -> io::Result<Option<Untrusted>> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path)?;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Ok(Some(Untrusted::Owner { uid: meta.uid() }));
    }
    if meta.mode() & 0o022 != 0 {
        return Ok(Some(Untrusted::Writable { mode: meta.mode() }));
    }
    Ok(None)
}

#[cfg(not(unix))]
pub(crate) fn untrusted(path: &Path) -> io::Result<Option<Untrusted>> {
    fs::metadata(path).map(|_| None)
}

/// The permission bits of a file when group or others may read it (a secret file that
/// others can read deserves a warning), else `None`. From the metadata of the file as opened,
/// so the file judged is the file read.
#[cfg(unix)]
pub(crate) fn shared_mode(meta: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode();
    (mode & 0o077 != 0).then_some(mode & 0o777)
}

#[cfg(not(unix))]
pub(crate) fn shared_mode(_: &fs::Metadata) -> Option<u32> {
    None
}

/// Creates `dir` (and its parents) with mode 0700 if missing, then insists that it is ours
/// and closed to others, so that what zpakey keeps there stays private.
#[cfg(unix)]
pub(crate) fn private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = fs::metadata(dir)?;
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return Err(io::Error::other(format!(
            "the directory is owned by user {}, not by you",
            meta.uid()
        )));
    }
    if meta.mode() & 0o077 != 0 {
        return Err(io::Error::other(format!(
            "the directory is open to others (mode {:o}); run: chmod 700 {}",
            meta.mode() & 0o777,
            dir.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// Whether only this user can read or write a file (and it is this user's), from the
/// metadata of the file as opened.
#[cfg(unix)]
pub(crate) fn owner_only(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.mode() & 0o077 == 0 && meta.uid() == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
pub(crate) fn owner_only(_: &fs::Metadata) -> bool {
    true
}

/// The contents of `path` if only this user can read or write it; `None` when it is missing,
/// unreadable, or open to others. Opened once: the file checked is the file read.
pub(crate) fn read_owner_only(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = fs::File::open(path).ok()?;
    if !owner_only(&file.metadata().ok()?) {
        return None;
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writable_by_others_is_untrusted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "x").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
        let meta = || fs::metadata(&file).unwrap();
        assert_eq!(untrusted(&file).unwrap(), None);
        assert_eq!(shared_mode(&meta()), None);
        assert!(owner_only(&meta()));
        assert_eq!(read_owner_only(&file).as_deref(), Some(&b"x"[..]));
        fs::set_permissions(&file, fs::Permissions::from_mode(0o620)).unwrap();
        assert_eq!(
            untrusted(&file).unwrap(),
            Some(Untrusted::Writable { mode: 0o100620 })
        );
        assert_eq!(shared_mode(&meta()), Some(0o620));
        assert!(!owner_only(&meta()));
        assert_eq!(read_owner_only(&file), None);
    }

    #[test]
    fn private_dirs_are_created_closed() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a/b");
        private_dir(&inner).unwrap();
        let mode = fs::metadata(&inner).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        fs::set_permissions(&inner, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(private_dir(&inner).is_err());
    }
}

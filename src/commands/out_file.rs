//! Writing a key (or a rendered template holding keys) to a file, the one way zpakey does it:
//! a temporary file in the same directory, created with the asked mode or narrower and set to
//! exactly that mode before anything is written, then renamed over the path. The key is never
//! in a file others may read, the path is never half-written, and the temporary file removes
//! itself on any error or when a signal drops the command.

use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, Kind};

/// Writes `bytes` to `path` with permission bits `mode`. `force` replaces an existing regular
/// file; nothing else (a symlink, a directory, a device or FIFO) is ever replaced.
pub(crate) fn write(path: &Path, bytes: &[u8], force: bool, mode: u32) -> anyhow::Result<()> {
    let shown = path.display();
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::usage(format!(
                "--out-file {shown} is a symbolic link; refusing to write a key through it"
            ))
            .hint("give the real path of the file")
            .into());
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::usage(format!("--out-file {shown} is a directory")).into());
        }
        // A device, FIFO or socket is not a file to replace, even with --force (as root,
        // `--out-file /dev/null --force` would otherwise replace /dev/null).
        Ok(meta) if !meta.is_file() => {
            return Err(Error::usage(format!(
                "--out-file {shown} is not a regular file; refusing to replace it"
            ))
            .hint("give the path of a regular file, or of one that does not exist yet")
            .into());
        }
        Ok(_) if !force => {
            return Err(Error::usage(format!("--out-file {shown} already exists"))
                .hint("pass --force to replace it")
                .into());
        }
        _ => {}
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::new(
            Kind::Internal,
            format!(
                "cannot write --out-file {shown}: the directory {} does not exist",
                dir.display()
            ),
        )
        .hint(format!("create it first: mkdir -p {}", dir.display()))
        .into());
    }
    // The temporary file's name is never shown: it is gone by the time anyone reads this.
    let failed = |what: &str, e: io::Error| {
        Error::new(
            Kind::Internal,
            format!("cannot {what} {shown}: {}", reason(&e)),
        )
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".zpakey-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with `mode` less the umask (never wider than asked), then set to exactly
        // `mode` before the first byte is written.
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|e| failed("create a file next to", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| failed("set the mode of", e))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| failed("write", e))?;
    let persisted = if force {
        temp.persist(path).map(drop)
    } else {
        // Fails, rather than replaces, if something appeared at `path` meanwhile.
        temp.persist_noclobber(path).map(drop)
    };
    persisted.map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            Error::usage(format!("--out-file {shown} already exists"))
                .hint("pass --force to replace it")
        } else {
            failed("write", e.error)
        }
    })?;
    Ok(())
}

/// An I/O failure in words, without the path tempfile adds (the temporary file's name).
fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "no such file or directory".into(),
        kind => kind.to_string(),
    }
}

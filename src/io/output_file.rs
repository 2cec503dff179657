//! Every file leads writes besides its database (`export -o`, `import --rejects`, ...):
//! checked against the files it must never overwrite, written beside the target and
//! renamed over it only when complete, readable by its owner only (it holds personal data).
//!
//! `guard` refuses a target that is the database, its `-wal`/`-shm`, or the input being
//! read, however it is spelled (`./x.db`, `dir/../x.db`, a symlink, a hard link).
//! `OutputFile` is the writer: an interrupted export leaves the old file as it was, and
//! no temporary file either, whether an error (`Drop`) or a signal (SIGINT, SIGTERM,
//! SIGHUP: `remove_unfinished_on_signal`) interrupts it.
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use anyhow::{Context, Result};

use crate::error::bad_input;

/// A file the output must not replace, and what to call it in the refusal.
#[derive(Debug, Clone)]
pub struct Protected {
    pub path: PathBuf,
    pub what: &'static str,
}

impl Protected {
    /// The database and the files SQLite keeps beside it (`-wal`, `-shm`, `-journal`).
    /// SQLite follows a symlinked database to its target and names the journals after the
    /// target, so those are protected too, as well as the names beside the path given.
    pub fn database(db: &Path) -> Vec<Protected> {
        let real = fs::canonicalize(db).ok().filter(|real| real != db);
        let mut files = Vec::new();
        for path in std::iter::once(db.to_path_buf()).chain(real) {
            let with_suffix = |suffix: &str| {
                let mut name = OsString::from(path.as_os_str());
                name.push(suffix);
                PathBuf::from(name)
            };
            files.extend([
                Protected {
                    path: with_suffix("-wal"),
                    what: "the database's write-ahead log",
                },
                Protected {
                    path: with_suffix("-shm"),
                    what: "the database's shared-memory file",
                },
                Protected {
                    path: with_suffix("-journal"),
                    what: "the database's journal",
                },
                Protected {
                    path,
                    what: "the database",
                },
            ]);
        }
        files
    }

    /// The file being read.
    pub fn input(path: &Path) -> Protected {
        Protected {
            path: path.to_path_buf(),
            what: "the input file",
        }
    }
}

/// Refuse (exit 65, naming the path) a `target` that is one of the `protected` files.
/// Call it before anything is written or opened for writing.
pub fn guard(flag: &str, target: &Path, protected: &[Protected]) -> Result<()> {
    let target_key = resolve(target);
    let target_id = file_id(target);
    for file in protected {
        let same_name = target_key.is_some() && target_key == resolve(&file.path);
        let same_file = target_id.is_some() && target_id == file_id(&file.path);
        if same_name || same_file {
            return Err(bad_input(format!(
                "{flag}: refusing to write to {}: it is {} ({}); choose another file",
                target.display(),
                file.what,
                file.path.display()
            )));
        }
    }
    Ok(())
}

/// The absolute path with symlinks and `..` resolved; for a file that does not exist yet,
/// its resolved folder joined with its name.
fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = fs::canonicalize(path) {
        return Some(full);
    }
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some(fs::canonicalize(folder).ok()?.join(name))
}

/// Device and inode of an existing file: the same file through a hard link.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// A file being written: a temporary file beside the target, renamed over it by
/// `commit`. Dropped without `commit` (an error half-way), the temporary file is removed
/// and the target is untouched. A target that is not a regular file (a pipe, a terminal,
/// `/dev/null`) or names an open descriptor (`/dev/stdout`, `/dev/fd/N`) is written
/// directly; a symlink is followed, so the file it points to is replaced, not the link.
pub struct OutputFile {
    out: BufWriter<File>,
    /// The path as given, for messages.
    target: PathBuf,
    /// The file the temporary one replaces: the target, or the file its symlinks name.
    real: PathBuf,
    /// The temporary file, None when writing directly to the target.
    temporary: Option<PathBuf>,
}

impl OutputFile {
    /// Start writing `target` (mode 0600). `what` names the file in errors ("the export file").
    pub fn create(target: &Path, what: &str) -> Result<OutputFile> {
        let direct = |path: &Path, append: bool| -> Result<OutputFile> {
            let file = OpenOptions::new()
                .write(true)
                .append(append)
                .open(path)
                .with_context(|| format!("cannot write {what} {}", target.display()))?;
            Ok(OutputFile {
                out: BufWriter::with_capacity(256 * 1024, file),
                target: target.to_path_buf(),
                real: path.to_path_buf(),
                temporary: None,
            })
        };
        let real = match follow_links(target) {
            // Opened again with O_APPEND: what the shell's `>` or `>>` left is kept, and
            // nothing is ever made in /dev or /proc (a rename there would replace the
            // link /dev/stdout itself, as root).
            Followed::Descriptor(path) => return direct(&path, true),
            Followed::File(real) => real,
        };
        let special = fs::metadata(&real).is_ok_and(|meta| !meta.is_file() && !meta.is_dir());
        if special {
            return direct(&real, false);
        }
        if fs::metadata(&real).is_ok_and(|meta| meta.is_dir()) {
            return Err(bad_input(format!(
                "cannot write {what} {}: it is a folder",
                target.display()
            )));
        }
        let target_shown = target;
        let target = real.as_path();
        let name = target.file_name().with_context(|| {
            format!(
                "cannot write {what} {}: no file name",
                target_shown.display()
            )
        })?;
        let folder = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // A mistyped folder is named, as for the database (exit 66), before anything else
        // is done: the command has not read or changed anything yet.
        if !folder.is_dir() {
            return Err(crate::error::Failure::InputMissing(format!(
                "cannot write {what} {}: {} is not a folder that exists",
                target_shown.display(),
                folder.display()
            ))
            .into());
        }
        remove_unfinished_on_signal();
        let mut attempt = 0_u32;
        loop {
            let mut temp_name = OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".{}-{attempt}.tmp", std::process::id()));
            let temporary = folder.join(temp_name);
            // Created and listed under the lock, so a signal finds every file it must remove.
            let mut unfinished = unfinished();
            match private_new_file(&temporary) {
                Ok(file) => {
                    unfinished.push(temporary.clone());
                    return Ok(OutputFile {
                        out: BufWriter::with_capacity(256 * 1024, file),
                        target: target_shown.to_path_buf(),
                        real: target.to_path_buf(),
                        temporary: Some(temporary),
                    });
                }
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(err) => {
                    return Err(err).with_context(|| {
                        format!("cannot create {what} {}", target_shown.display())
                    })
                }
            }
        }
    }

    /// Finish: flush, sync, and put the file in place of the target.
    pub fn commit(mut self) -> Result<()> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        if let Some(temporary) = self.temporary.take() {
            let synced = self.out.get_ref().sync_all();
            let mut unfinished = unfinished();
            let done = synced.and_then(|()| fs::rename(&temporary, &self.real));
            unfinished.retain(|path| *path != temporary);
            if let Err(err) = done {
                let _ = fs::remove_file(&temporary);
                return Err(err).with_context(|| format!("cannot write {}", self.target.display()));
            }
        }
        Ok(())
    }

    /// Where the file goes.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            let mut unfinished = unfinished();
            let _ = fs::remove_file(&temporary);
            unfinished.retain(|path| *path != temporary);
        }
    }
}

/// The temporary files being written now, not yet renamed into place.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn unfinished() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere while holding it leaves a list that is still right.
    UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner)
}

/// From the first output file on, a SIGINT (Ctrl-C), SIGTERM or SIGHUP removes the
/// temporary files being written, then ends the process by that signal, as it would have
/// ended without leads' help (a shell shows 130, 143 or 129). A thread waits for the
/// signal: removing files is no work for a signal handler. The list stays locked until
/// the end, so no new temporary file is started meanwhile. The database needs no such
/// care: SQLite rolls back an unfinished transaction at the next open.
fn remove_unfinished_on_signal() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        // The thread registers the handlers itself, so that they exist only with someone
        // to act on them; the first temporary file waits until they are in place.
        let (ready, registered) = std::sync::mpsc::sync_channel(0);
        let spawned = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                let signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]);
                let _ = ready.send(());
                let Ok(mut signals) = signals else {
                    return; // the default handlers stay: the signal still ends the process
                };
                if let Some(signal) = signals.forever().next() {
                    let unfinished = unfinished();
                    for path in unfinished.iter() {
                        let _ = fs::remove_file(path);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
        if spawned.is_ok() {
            let _ = registered.recv();
        }
    });
}

/// Where a path leads once its symlinks are followed.
#[derive(Debug, PartialEq, Eq)]
enum Followed {
    /// A name of an open descriptor (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
    /// `/proc/self/fd/N`), or a link to one: written by opening it again.
    Descriptor(PathBuf),
    /// The file at the end of the links (the path itself when it is no link), which may
    /// not exist yet.
    File(PathBuf),
}

fn follow_links(path: &Path) -> Followed {
    let mut path = path.to_path_buf();
    // As the system does, give up after 40 links (a loop): the path is then used as given.
    for _ in 0..40 {
        if is_descriptor_name(&path) {
            return Followed::Descriptor(path);
        }
        let is_link = fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink());
        let Some(next) = is_link.then(|| fs::read_link(&path).ok()).flatten() else {
            return Followed::File(path);
        };
        path = match path.parent() {
            Some(folder) if next.is_relative() => folder.join(next),
            _ => next,
        };
    }
    Followed::File(path)
}

/// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: an open descriptor of the
/// process, whose link names the file it was opened on.
fn is_descriptor_name(path: &Path) -> bool {
    let Some(text) = path.to_str() else {
        return false;
    };
    matches!(text, "/dev/stdout" | "/dev/stderr")
        || ["/dev/fd/", "/proc/self/fd/"].iter().any(|prefix| {
            text.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// A new file only its owner can read and write.
fn private_new_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_and_descriptor_names_are_not_files() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).unwrap();
        let to_stdout = dir.path().join("to-stdout");
        std::os::unix::fs::symlink("/dev/stdout", &to_stdout).unwrap();
        let cases = [
            (
                PathBuf::from("/dev/stdout"),
                Followed::Descriptor("/dev/stdout".into()),
            ),
            (
                PathBuf::from("/dev/stderr"),
                Followed::Descriptor("/dev/stderr".into()),
            ),
            (
                PathBuf::from("/dev/fd/3"),
                Followed::Descriptor("/dev/fd/3".into()),
            ),
            (
                PathBuf::from("/proc/self/fd/1"),
                Followed::Descriptor("/proc/self/fd/1".into()),
            ),
            (to_stdout, Followed::Descriptor("/dev/stdout".into())),
            (link, Followed::File(real.clone())),
            (real.clone(), Followed::File(real)),
            (
                PathBuf::from("/dev/fd/x"),
                Followed::File("/dev/fd/x".into()),
            ),
        ];
        for (path, expected) in cases {
            assert_eq!(follow_links(&path), expected, "{}", path.display());
        }
    }

    #[test]
    fn the_database_is_refused_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        fs::write(&db, b"db").unwrap();
        let protected = Protected::database(&db);
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        for target in [
            db.clone(),
            sub.join("../x.db"),
            dir.path().join("./x.db"),
            dir.path().join("x.db-wal"),
            dir.path().join("x.db-shm"),
        ] {
            let err = guard("-o", &target, &protected).unwrap_err().to_string();
            assert!(err.contains("refusing to write"), "{err}");
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(guard("-o", &link, &protected).is_err());
            let hard = dir.path().join("hard.csv");
            fs::hard_link(&db, &hard).unwrap();
            assert!(guard("-o", &hard, &protected).is_err());
        }
        guard("-o", &dir.path().join("out.csv"), &protected).unwrap();
    }

    #[test]
    fn an_unfinished_file_leaves_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        fs::write(&target, b"old").unwrap();
        let mut file = OutputFile::create(&target, "the file").unwrap();
        file.write_all(b"new").unwrap();
        drop(file);
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut file = OutputFile::create(&target, "the file").unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

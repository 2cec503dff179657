//! Where the database is and how a command opens it: `--db`, `LEADS_DB` or the platform's
//! default, an SQLite file or a PostgreSQL URL; only commands that add data create a file
//! (a PostgreSQL database gets leads' tables on first use), never a folder the user typed;
//! output files never overwrite the database or the input.
use std::path::Path;

use anyhow::{Context, Result};

use super::{warn, Ctx};
use crate::io::output_file::{guard, OutputFile, Protected};
use crate::store::{Location, Store};

impl Ctx {
    /// Open the database for a command that only reads (or that needs data already there):
    /// it never creates one. A missing file is exit 66 naming the path: a typo in
    /// `--db`, `LEADS_DB` or a crontab must not look like "nothing due".
    pub fn open_store_to_read(&self) -> Result<Store> {
        Store::open_existing_at(&self.database()?, self.busy_timeout()).map(|s| self.warned(s))
    }

    /// The store, telling this command's warnings of every row a read leaves out, and
    /// recording the user as the one who does what it writes.
    fn warned(&self, store: Store) -> Store {
        let quiet = self.quiet;
        let store = store
            .on_unreadable(Box::new(move |message| warn(quiet, message)))
            .close_at_exit();
        store.act_as(self.user.clone());
        store
    }

    /// The database a dry run works in: the real one when it exists (every change is
    /// rolled back), else an empty one in memory, so a dry run never creates a file.
    pub fn open_store_for_dry_run(&self) -> Result<Store> {
        let path = match self.database()? {
            Location::File(path) => path,
            Location::Server(url) => {
                let store = Store::open_server_if_set_up(&url, self.busy_timeout())?;
                return match store {
                    Some(store) => Ok(self.warned(store)),
                    None => Store::open_in_memory().map(|s| self.warned(s)),
                };
            }
        };
        // A dry run against a database in a mistyped folder would say "skipped 0
        // duplicates" of a database that is not there: refused as the real run is.
        if self.db.is_some() {
            self.check_database_path(&path)?;
        }
        if path.exists() && !crate::store::is_empty_file(&path) {
            self.open_store_to_read()
        } else {
            Store::open_in_memory().map(|s| self.warned(s))
        }
    }

    /// Where the database is: `--db`, `LEADS_DB` (a file path or a PostgreSQL URL), or
    /// the platform default. A path typed there must be a plain file path (exit 65
    /// otherwise, before anything is created): see `store::check_database_path`.
    pub fn database(&self) -> Result<Location> {
        match &self.db {
            Some(path) => Location::of("--db", path),
            None => crate::store::default_path().map(Location::File),
        }
    }

    /// Whether the database may hold data already: an SQLite file that exists, or any
    /// PostgreSQL database (the server says when it is opened).
    pub fn database_may_exist(&self) -> Result<bool> {
        Ok(match self.database()? {
            Location::File(path) => path.exists(),
            Location::Server(_) => true,
        })
    }

    /// Start writing an output file named by `flag` (`-o`, `--rejects`): refused when it is
    /// the database (or its -wal/-shm) or the `input` being read; written beside the target
    /// and renamed over it by `OutputFile::commit`, mode 0600. Call before writing anything.
    pub fn output_file(
        &self,
        flag: &str,
        path: &Path,
        input: Option<&Path>,
        what: &str,
    ) -> Result<OutputFile> {
        self.check_output(flag, path, input)?;
        OutputFile::create(path, what)
    }

    /// Refuse an output path that is the database or the input, creating nothing.
    pub fn check_output(&self, flag: &str, path: &Path, input: Option<&Path>) -> Result<()> {
        let mut protected: Vec<Protected> = Vec::new();
        if let Location::File(path) = self.database()? {
            protected.extend(Protected::database(&path));
        }
        protected.extend(input.map(Protected::input));
        guard(flag, path, &protected)
    }

    /// Open the database (`--db`, `LEADS_DB`, or the platform default), creating it; the
    /// command that creates it says where, once.
    pub fn open_store(&self) -> Result<Store> {
        let location = self.database()?;
        if let Location::File(path) = &location {
            self.database_folder(path)?;
        }
        let (store, created) = Store::open_or_create_at(&location, self.busy_timeout())?;
        if created {
            self.say(match location {
                Location::File(_) => format!("leads: created a new database at {location}"),
                Location::Server(_) => format!("leads: created the leads tables in {location}"),
            });
        }
        Ok(self.warned(store))
    }

    /// Make sure the folder of the database exists before creating it there. Only the
    /// platform's data directory (no `--db`, no `LEADS_DB`) is created: a folder missing
    /// from a path the user typed is a typo, exit 66 naming it, never a new folder.
    fn database_folder(&self, path: &Path) -> Result<()> {
        if self.db.is_some() {
            return self.check_database_path(path);
        }
        match path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            Some(folder) if !folder.exists() => std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder {}", folder.display())),
            _ => Ok(()),
        }
    }

    /// A database path the user typed must name a file in a folder that exists (exit 66
    /// otherwise, naming what is wrong).
    pub(super) fn check_database_path(&self, path: &Path) -> Result<()> {
        let missing = |what: String| -> Result<()> {
            Err(crate::error::Failure::InputMissing(format!(
                "{what}: check --db or LEADS_DB (leads creates the database file, never its \
                 folder)"
            ))
            .into())
        };
        if path.is_dir() {
            return missing(format!(
                "{} is a folder, not a database file",
                path.display()
            ));
        }
        let Some(folder) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) else {
            return Ok(());
        };
        if folder.is_dir() {
            Ok(())
        } else if folder.exists() {
            missing(format!(
                "{} is not a folder, so there is no database {}",
                folder.display(),
                path.display()
            ))
        } else {
            missing(format!(
                "no folder {} for the database {}",
                folder.display(),
                path.display()
            ))
        }
    }
}

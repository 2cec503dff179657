//! The arguments of `db`: the database as a whole.
use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy everything a database holds into an empty one: SQLite to PostgreSQL or back
    Copy(DbCopyArgs),
}

#[derive(Debug, Args)]
pub struct DbCopyArgs {
    /// The database to copy: an SQLite file or a postgres://USER@HOST/DB URL (read only)
    #[arg(value_name = "FROM")]
    pub from: PathBuf,
    /// Where to copy it: a new SQLite file, or a PostgreSQL database without leads data
    #[arg(value_name = "TO")]
    pub to: PathBuf,
}

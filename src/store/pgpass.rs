//! The password of a PostgreSQL URL that has none, found where libpq finds it: the
//! environment's `PGPASSWORD`, else the first matching line of the password file
//! (`PGPASSFILE`, else `~/.pgpass`), which is ignored when others may read it. The
//! `postgres` crate reads neither, and a password in the URL shows in the shell's
//! history and, on a command line, to every user of the machine.
use std::path::PathBuf;

/// The password for the connection `config` describes, or None.
pub fn password_for(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        if !password.is_empty() {
            return Some(password);
        }
    }
    let file = password_file()?;
    if !private(&file) {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(host)) => host.clone(),
        // libpq matches a socket's connection as "localhost".
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or_default();
    let database = config.get_dbname().unwrap_or(user);
    find(&text, [&host, &port, database, user])
}

/// The first line of a password file whose four fields match `wanted` (host, port,
/// database, user; `*` matches anything), its fifth field.
fn find(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#') && !line.trim().is_empty())
        .map(fields)
        .find(|fields| {
            fields.len() == 5
                && fields
                    .iter()
                    .zip(wanted)
                    .all(|(field, wanted)| field == "*" || field == wanted)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// A line's fields: split at `:`, where `\:` and `\\` stand for themselves.
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

fn password_file() -> Option<PathBuf> {
    match std::env::var_os("PGPASSFILE") {
        Some(file) if !file.is_empty() => Some(PathBuf::from(file)),
        _ => directories::BaseDirs::new().map(|dirs| dirs.home_dir().join(".pgpass")),
    }
}

/// libpq ignores a password file that its group or others may read.
#[cfg(unix)]
fn private(file: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(file)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(file: &std::path::Path) -> bool {
    file.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let file = "# host:port:database:user:password\n\
                    db.example:5432:other:sam:wrong\n\
                    db.example:5432:leads:sam:pa\\:ss\\\\word:x\n\
                    *:*:*:sam:fallback\n";
        let want = |db| find(file, ["db.example", "5432", db, "sam"]);
        assert_eq!(want("leads").as_deref(), Some("pa:ss\\word:x"));
        assert_eq!(want("other").as_deref(), Some("wrong"));
        assert_eq!(want("any").as_deref(), Some("fallback"));
        assert_eq!(find(file, ["db.example", "5432", "leads", "ann"]), None);
        assert_eq!(find("short:line", ["a", "b", "c", "d"]), None);
    }
}

//! PostgreSQL's arm of `sql::Connection`: a client of the server, its prepared
//! statements kept by their SQLite text, values to and from rusqlite's.
//!
//! The store's SQL is written once, in the dialect both engines read; what differs is
//! mended here (`translate`: placeholders) or chosen in the store where the engines
//! truly differ. Values: a parameter adapts to the type the server gives it (an integer
//! bound where text is expected is sent as its digits, as SQLite's loose typing would
//! take it), and a column comes back as the `ValueRef` SQLite would give.
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{FromSql as PgFromSql, IsNull, ToSql as PgToSql, Type};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Error, Result};

/// The key of the advisory lock every writing transaction takes first: writers run one
/// at a time, as on SQLite (DESIGN: two adds of one email, one wins).
const WRITE_LOCK: i64 = 0x006c_6561_6473; // "leads"

/// A connection to a PostgreSQL database.
pub struct Postgres {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    in_transaction: Cell<bool>,
    /// The write transactions this connection made (see `data_version`).
    own_writes: Cell<i64>,
}

/// A statement prepared on the server.
pub type Prepared = postgres::Statement;

/// A PostgreSQL error carried in rusqlite's error type (the store's), so `?` takes it
/// through every query; `error_of` finds it again.
pub fn wrap(err: postgres::Error) -> Error {
    Error::UserFunctionError(Box::new(ServerError(err)))
}

/// A PostgreSQL error, said with the server's message (postgres' own says "db error").
#[derive(Debug)]
pub struct ServerError(pub postgres::Error);

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_db_error() {
            Some(db) => write!(f, "{} ({})", db.message(), db.code().code()),
            None => write!(f, "{}", self.0),
        }
    }
}

impl StdError for ServerError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

/// The PostgreSQL error inside `err`, if it carries one.
pub fn error_of(err: &Error) -> Option<&postgres::Error> {
    match err {
        Error::UserFunctionError(inner) => inner.downcast_ref::<ServerError>().map(|e| &e.0),
        _ => None,
    }
}

impl Postgres {
    /// Connect to the server `url` names (`postgres://` or `postgresql://`).
    pub fn connect(url: &str) -> std::result::Result<Postgres, postgres::Error> {
        let config: postgres::Config = url.parse()?;
        let client = config.connect(postgres::NoTls)?;
        Ok(Postgres {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
            own_writes: Cell::new(0),
        })
    }

    pub fn prepare(&self, sql: &str) -> Result<Prepared> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self
            .client
            .borrow_mut()
            .prepare(&translate(sql))
            .map_err(wrap)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    pub fn execute(&self, statement: &Prepared, values: &[&dyn rusqlite::ToSql]) -> Result<usize> {
        let values = bind(values)?;
        let refs: Vec<&(dyn PgToSql + Sync)> =
            values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        let count = self
            .client
            .borrow_mut()
            .execute(statement, &refs)
            .map_err(wrap)?;
        Ok(usize::try_from(count).unwrap_or(usize::MAX))
    }

    pub fn query(
        &self,
        statement: &Prepared,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<postgres::Row>> {
        let values = bind(values)?;
        let refs: Vec<&(dyn PgToSql + Sync)> =
            values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        self.client
            .borrow_mut()
            .query(statement, &refs)
            .map_err(wrap)
    }

    /// Statements without parameters, separated by `;`.
    pub fn batch(&self, sql: &str) -> Result<()> {
        self.client.borrow_mut().batch_execute(sql).map_err(wrap)
    }

    /// The id the last insert of this session gave (every table's id is an identity).
    pub fn last_insert_id(&self) -> Result<i64> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT lastval()", &[])
            .map_err(wrap)?;
        Ok(row.get(0))
    }

    pub fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    pub fn begin(&self, write: bool) -> Result<()> {
        let sql = if write {
            format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ".to_string()
        };
        self.batch(&sql)?;
        self.in_transaction.set(true);
        if write {
            // Counted before the schema exists too: the table is then missing, and
            // the count starts with it.
            let counted = self
                .client
                .borrow_mut()
                .execute("UPDATE leads_schema SET writes = writes + 1", &[]);
            if counted.is_ok() {
                self.own_writes.set(self.own_writes.get() + 1);
            } else {
                self.batch("ROLLBACK; BEGIN")?;
                self.batch(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"))?;
            }
        }
        Ok(())
    }

    /// SQLite's `data_version`: changes when another connection has written since, and
    /// not for this one's own writes.
    pub fn data_version(&self) -> Result<i64> {
        let row = self
            .client
            .borrow_mut()
            .query_one("SELECT max(writes) FROM leads_schema", &[])
            .map_err(wrap)?;
        Ok(row.get::<_, i64>(0) - self.own_writes.get())
    }

    pub fn end(&self, commit: bool) -> Result<()> {
        self.in_transaction.set(false);
        self.batch(if commit { "COMMIT" } else { "ROLLBACK" })
    }
}

/// The schema of a new database (SQLite's of `schema::CURRENT_VERSION`).
const SCHEMA: &str = include_str!("postgres.sql");

impl Postgres {
    /// Create the schema on first use, or check that it is the one this `leads` knows:
    /// under the write lock, so sellers starting together create it once.
    pub fn create_or_check_schema(&self, current: i64) -> anyhow::Result<()> {
        self.begin(true)?;
        let done = (|| -> anyhow::Result<()> {
            let exists: bool = self
                .client
                .borrow_mut()
                .query_one("SELECT to_regclass('leads_schema') IS NOT NULL", &[])?
                .get(0);
            if !exists {
                self.batch(SCHEMA)?;
                self.client.borrow_mut().execute(
                    "INSERT INTO leads_schema (version) VALUES ($1)",
                    &[&current],
                )?;
                return Ok(());
            }
            let version: i64 = self
                .client
                .borrow_mut()
                .query_one("SELECT max(version) FROM leads_schema", &[])?
                .get(0);
            if version > current {
                return Err(crate::error::bad_input(format!(
                    "the database is of schema version {version}, made by a newer leads                      (this one knows version {current}): upgrade leads"
                )));
            }
            if version < current {
                return Err(anyhow::anyhow!(
                    "the database is of schema version {version}; this leads knows no way                      from it to version {current} on PostgreSQL"
                ));
            }
            Ok(())
        })();
        self.end(done.is_ok())?;
        done
    }
}

/// SQLite's text made PostgreSQL's: `?N` and `?` placeholders become `$N` (outside
/// quotes and comments), SQLite's `INDEXED BY` hints go (PostgreSQL plans alone), and
/// an integer cast is to BIGINT (SQLite's integers are 64-bit), `IS NOT` a value
/// is `IS DISTINCT FROM` it, and `LIKE` ignores case as SQLite's does (`ILIKE`).
pub fn translate(sql: &str) -> String {
    // SQLite's `IS NOT` compares any two values; PostgreSQL's takes only NULL, TRUE...
    let sql = sql.replace(" IS NOT ?", " IS DISTINCT FROM ?");
    // SQLite's LIKE ignores (ASCII) case; PostgreSQL's ILIKE does.
    let sql = sql.replace(" LIKE ", " ILIKE ");
    let mut sql = placeholders(&sql);
    while let Some(at) = sql.find("INDEXED BY ") {
        let rest = &sql[at + "INDEXED BY ".len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        sql.replace_range(at..at + "INDEXED BY ".len() + end, "");
    }
    sql.replace(" AS INTEGER)", " AS BIGINT)")
}

fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    // SQLite's rule: a bare `?` is one more than the largest number so far.
    let mut largest = 0;
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for (_, inner) in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek().is_some_and(|(_, n)| *n == '-') => {
                out.push(c);
                for (_, inner) in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let number = match digits.parse::<usize>() {
                    Ok(number) => number,
                    Err(_) => largest + 1,
                };
                largest = largest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// A parameter for PostgreSQL: rusqlite's value, sent as the type the server asks for.
#[derive(Debug)]
struct Param(Value);

fn bind(values: &[&dyn rusqlite::ToSql]) -> Result<Vec<Param>> {
    values
        .iter()
        .map(|value| {
            Ok(Param(match value.to_sql()? {
                ToSqlOutput::Borrowed(value) => value.into(),
                ToSqlOutput::Owned(value) => value,
                _ => return Err(Error::ToSqlConversionFailure("an unsupported value".into())),
            }))
        })
        .collect()
}

type BoxError = Box<dyn StdError + Sync + Send>;

impl PgToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, BoxError> {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::FLOAT4 => (*n as f32).to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Real(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                Type::FLOAT4 => (*x as f32).to_sql(ty, out),
                Type::INT8 if x.fract() == 0.0 => (*x as i64).to_sql(ty, out),
                _ => x.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Text(text) => match *ty {
                Type::INT8 => text.trim().parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => text.trim().parse::<i32>()?.to_sql(ty, out),
                Type::FLOAT8 => text.trim().parse::<f64>()?.to_sql(ty, out),
                Type::BYTEA => text.as_bytes().to_sql(ty, out),
                _ => text.as_str().to_sql(&Type::TEXT, out),
            },
            Value::Blob(bytes) => match *ty {
                Type::BYTEA => bytes.as_slice().to_sql(ty, out),
                _ => String::from_utf8_lossy(bytes)
                    .as_ref()
                    .to_sql(&Type::TEXT, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Column `index` of `row` as SQLite would give it.
pub fn value_at(row: &postgres::Row, index: usize) -> Result<ValueRef<'_>> {
    let Some(column) = row.columns().get(index) else {
        return Err(Error::InvalidColumnIndex(index));
    };
    let failed = |err: postgres::Error| wrap(err);
    Ok(match *column.type_() {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, ValueRef::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |n| ValueRef::Integer(n.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |n| ValueRef::Integer(n.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |b| ValueRef::Integer(b.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |x| ValueRef::Real(x.into())),
        Type::NUMERIC => row
            .try_get::<_, Option<Numeric>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |n| n.value()),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, ValueRef::Blob),
        _ => row
            .try_get::<_, Option<Text<'_>>>(index)
            .map_err(failed)?
            .map_or(ValueRef::Null, |text| ValueRef::Text(text.0)),
    })
}

/// Any column read as its text (text, json, a name...).
struct Text<'a>(&'a [u8]);

impl<'a> PgFromSql<'a> for Text<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        // jsonb's binary form starts with its version.
        Ok(Text(if *ty == Type::JSONB { &raw[1..] } else { raw }))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A NUMERIC (what `sum` of integers gives), as an integer when it is whole.
struct Numeric(Option<i64>, f64);

impl Numeric {
    fn value(&self) -> ValueRef<'static> {
        match self.0 {
            Some(n) => ValueRef::Integer(n),
            None => ValueRef::Real(self.1),
        }
    }
}

impl PgFromSql<'_> for Numeric {
    fn from_sql(_: &Type, raw: &[u8]) -> std::result::Result<Self, BoxError> {
        // Binary NUMERIC: digit count, weight (of the first digit, base 10000), sign,
        // scale, then the digits.
        let word = |at: usize| -> std::result::Result<i16, BoxError> {
            let bytes = raw.get(at..at + 2).ok_or("a short NUMERIC")?;
            Ok(i16::from_be_bytes([bytes[0], bytes[1]]))
        };
        let digits = word(0)?;
        let weight = word(2)?;
        let sign = word(4)? as u16;
        if sign == 0xC000 {
            return Ok(Numeric(None, f64::NAN));
        }
        let mut value = 0f64;
        let mut whole: Option<i64> = Some(0);
        for i in 0..digits {
            let digit = word(8 + 2 * i as usize)?;
            let power = i32::from(weight) - i32::from(i);
            value += f64::from(digit) * 10000f64.powi(power);
            whole = if power >= 0 {
                whole.and_then(|w| {
                    10000i64
                        .checked_pow(power as u32)
                        .and_then(|p| p.checked_mul(i64::from(digit)))
                        .and_then(|d| w.checked_add(d))
                })
            } else if digit == 0 {
                whole
            } else {
                None
            };
        }
        if sign == 0x4000 {
            value = -value;
            whole = whole.map(|w| -w);
        }
        Ok(Numeric(whole, value))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// For tests: a new, empty database on the server `LEADS_TEST_POSTGRES` names, its URL;
/// None when the variable names no server. Databases that earlier test processes left
/// (named with their process id) are dropped first.
#[cfg(test)]
pub fn test_database() -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = std::env::var("LEADS_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())?;
    let base = match server.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest)),
        None => server.clone(),
    };
    let mut admin = postgres::Client::connect(&format!("{base}/postgres"), postgres::NoTls)
        .unwrap_or_else(|err| panic!("LEADS_TEST_POSTGRES={server}: {err}"));
    let pid = std::process::id();
    if NEXT.fetch_add(0, Ordering::SeqCst) == 0 {
        let names: Vec<String> = admin
            .query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'leads\\_test\\_%'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        for name in names {
            let owner: Option<u32> = name.split('_').nth(2).and_then(|p| p.parse().ok());
            if owner.is_some_and(|owner| {
                owner != pid && !std::path::Path::new(&format!("/proc/{owner}")).exists()
            }) {
                let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
            }
        }
    }
    let name = format!("leads_test_{pid}_{}", NEXT.fetch_add(1, Ordering::SeqCst));
    // One statement a call: DROP and CREATE DATABASE cannot share a transaction.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    admin
        .batch_execute(&format!(
            "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
        ))
        .unwrap();
    Some(format!("{base}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn placeholders_become_numbered_outside_quotes() {
        assert_eq!(
            translate("SELECT '?', \"a?\" FROM t WHERE a = ?1 AND b = ?2 -- ?\n AND c = ?"),
            "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2 -- ?\n AND c = $3"
        );
        assert_eq!(translate("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    }
}

//! `amfit copy`: a whole installation moved between SQLite and PostgreSQL, every table with
//! its ids and versions, in one transaction on the target, and checked before it is committed:
//! each table's rows are counted and hashed as read from the source and as read back from the
//! target. Web sessions are left out (everyone signs in again), and so are the bookkeeping
//! tables each database keeps for itself (its schema versions, its change counter, its
//! write probe).
//!
//! The PostgreSQL schema says what type each column holds; the SQLite side is read and written
//! as amfit's SQLite store reads and writes the same values.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row};

use super::{PgStore, PoolSettings, SqliteStore, StoreError, redact_url};

/// Tables that are not copied: sessions, and what each database keeps about itself.
const NOT_COPIED: [&str; 4] = ["_sqlx_migrations", "tower_sessions", "data_revision", "readiness_probe"];

/// Why a copy was refused or undone; nothing was written to the target.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "amfit copies between SQLite and PostgreSQL: give one sqlite:PATH and one postgres:// URL \
         (SQLite to SQLite: amfit backup; PostgreSQL to PostgreSQL: pg_dump)"
    )]
    SameKind,
    #[error("there is no SQLite database at {0}")]
    NoSource(String),
    #[error("the {side} is at schema version {found}, this amfit at {expected}: {advice}")]
    SchemaVersion { side: &'static str, found: i64, expected: i64, advice: &'static str },
    #[error("the target holds {0} tables but not amfit's schema; amfit copies into an empty database only")]
    NotAmfits(i64),
    #[error("the target is not empty: {table} holds {rows} rows; amfit copies into an empty database only")]
    NotEmpty { table: String, rows: i64 },
    #[error("the two databases' tables differ: {0}")]
    SchemaDiffers(String),
    #[error("{table}.{column} holds {kind}, a type amfit copy does not know")]
    UnknownType { table: String, column: String, kind: String },
    #[error("{table} read back from the target differs from the source ({detail}); nothing was written")]
    Mismatch { table: String, detail: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CopyError {
    fn from(error: sqlx::Error) -> Self {
        CopyError::Store(StoreError::Database(error))
    }
}

/// One table as copied: its rows and their digest, the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopied {
    pub name: String,
    pub rows: u64,
    /// SHA-256 over the rows' own SHA-256 digests in sorted order, as hex.
    pub checksum: String,
}

/// What a copy did, table by table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub from: String,
    pub to: String,
    pub tables: Vec<TableCopied>,
}

impl fmt::Display for CopyReport {
    /// What `amfit copy` prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Copied {} to {}; every table read back and compared:", self.from, self.to)?;
        let width = self.tables.iter().map(|t| t.name.len()).max().unwrap_or(0);
        for table in &self.tables {
            writeln!(f, "  {:width$}  {:>9} rows  sha256 {}  same", table.name, table.rows, &table.checksum[..16])?;
        }
        writeln!(f, "Web sessions were not copied: everyone signs in again.")
    }
}

/// Which way the data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    ToPostgres,
    ToSqlite,
}

/// Copies everything from the database at `from` to the one at `to`, one SQLite and the other
/// PostgreSQL. The target must be empty (one without any table is given amfit's schema first)
/// and both must be at this amfit's schema version. A SQLite file the copy made is removed
/// again when the copy fails.
pub async fn copy(from: &str, to: &str) -> Result<CopyReport, CopyError> {
    let direction = match (is_sqlite(from), is_sqlite(to)) {
        (true, false) => Direction::ToPostgres,
        (false, true) => Direction::ToSqlite,
        _ => return Err(CopyError::SameKind),
    };
    let (sqlite_url, pg_url) = if direction == Direction::ToPostgres { (from, to) } else { (to, from) };
    let sqlite_file = sqlite_file(sqlite_url)?;
    let made_here = !sqlite_file.exists();
    if direction == Direction::ToPostgres && made_here {
        return Err(CopyError::NoSource(redact_url(sqlite_url)));
    }
    let copied = copy_between(direction, sqlite_url, pg_url).await;
    if copied.is_err() && made_here {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = sqlite_file.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
    Ok(CopyReport { from: redact_url(from), to: redact_url(to), tables: copied? })
}

async fn copy_between(direction: Direction, sqlite_url: &str, pg_url: &str) -> Result<Vec<TableCopied>, CopyError> {
    let sqlite = SqliteStore::connect(sqlite_url).await?;
    let pg = PgStore::connect(pg_url, PoolSettings { max_connections: 2, ..PoolSettings::default() }).await?;
    let mut sqlite_conn = sqlite.pool.acquire().await?;
    let mut pg_conn = pg.pool.acquire().await?;
    let sqlite_version =
        Version::of(schema_version(&mut *sqlite_conn).await?, SqliteStore::MIGRATOR.iter().map(|m| m.version));
    let pg_version = Version::of(schema_version(&mut *pg_conn).await?, PgStore::MIGRATOR.iter().map(|m| m.version));
    let (source, target) =
        if direction == Direction::ToPostgres { (sqlite_version, pg_version) } else { (pg_version, sqlite_version) };
    source.check("source", "run `amfit migrate` on it first (with this amfit)")?;
    if target.found == 0 {
        let tables = match direction {
            Direction::ToPostgres => scalar(&mut *pg_conn, PG_TABLES).await?,
            Direction::ToSqlite => scalar(&mut *sqlite_conn, SQLITE_TABLES).await?,
        };
        if tables > 0 {
            return Err(CopyError::NotAmfits(tables));
        }
        migrate_target(direction, &sqlite, &pg).await?;
    } else {
        target.check("target", "copy into an empty database, or one this amfit has migrated")?;
    }
    let schema = Schema::read(&mut pg_conn, &mut sqlite_conn).await?;
    match direction {
        Direction::ToPostgres => to_postgres(&schema, &mut sqlite_conn, &mut pg_conn).await,
        Direction::ToSqlite => to_sqlite(&schema, &mut pg_conn, &mut sqlite_conn).await,
    }
}

const PG_TABLES: &str = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()";
const SQLITE_TABLES: &str = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";

/// The one number `sql` answers, on either database.
async fn scalar<'c, E>(executor: E, sql: &str) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'c>,
    for<'r> i64: sqlx::Decode<'r, E::Database> + sqlx::Type<E::Database>,
    for<'q> <E::Database as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, E::Database>,
    usize: sqlx::ColumnIndex<<E::Database as sqlx::Database>::Row>,
{
    sqlx::query_scalar(sql).fetch_one(executor).await
}

/// A database's schema version beside the one this amfit brings it to.
#[derive(Debug, Clone, Copy)]
struct Version {
    found: i64,
    expected: i64,
}

impl Version {
    fn of(found: i64, migrations: impl Iterator<Item = i64>) -> Self {
        Self { found, expected: migrations.max().unwrap_or(0) }
    }

    fn check(self, side: &'static str, behind: &'static str) -> Result<(), CopyError> {
        let advice = if self.found < self.expected { behind } else { "copy it with the amfit that last ran on it" };
        if self.found == self.expected {
            return Ok(());
        }
        Err(CopyError::SchemaVersion { side, found: self.found, expected: self.expected, advice })
    }
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The file a sqlite: URL names.
fn sqlite_file(url: &str) -> Result<std::path::PathBuf, CopyError> {
    use std::str::FromStr as _;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).map_err(StoreError::Database)?;
    Ok(options.get_filename().to_owned())
}

/// The newest migration applied to a database, 0 for one amfit never migrated.
async fn schema_version<'c, E>(executor: E) -> Result<i64, CopyError>
where
    E: sqlx::Executor<'c>,
    for<'r> i64: sqlx::Decode<'r, E::Database> + sqlx::Type<E::Database>,
    for<'q> <E::Database as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, E::Database>,
    usize: sqlx::ColumnIndex<<E::Database as sqlx::Database>::Row>,
{
    match scalar(executor, "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success").await {
        Ok(version) => Ok(version),
        // No such table: amfit never ran here.
        Err(sqlx::Error::Database(error)) if error.message().contains("_sqlx_migrations") => Ok(0),
        Err(error) => Err(error.into()),
    }
}

async fn migrate_target(direction: Direction, sqlite: &SqliteStore, pg: &PgStore) -> Result<(), CopyError> {
    use super::Store as _;
    match direction {
        Direction::ToPostgres => pg.migrate().await?,
        Direction::ToSqlite => sqlite.migrate().await?,
    }
    Ok(())
}

/// What a column holds, as PostgreSQL declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnType {
    Int2,
    Int4,
    Int8,
    Real,
    Bool,
    Text,
    Timestamp,
    /// A time of day on a date, in no time zone (an interview's local start).
    LocalTime,
    Date,
    Json,
    Bytes,
}

impl ColumnType {
    fn of(udt_name: &str) -> Option<Self> {
        Some(match udt_name {
            "int2" => Self::Int2,
            "int4" => Self::Int4,
            "int8" => Self::Int8,
            "float4" | "float8" => Self::Real,
            "bool" => Self::Bool,
            "text" | "varchar" | "bpchar" => Self::Text,
            "timestamptz" => Self::Timestamp,
            "timestamp" => Self::LocalTime,
            "date" => Self::Date,
            "json" | "jsonb" => Self::Json,
            "bytea" => Self::Bytes,
            _ => return None,
        })
    }
}

/// A table to copy: its columns with their types, and the columns that order its rows.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<(String, ColumnType)>,
    key: Vec<String>,
}

impl Table {
    fn column_list(&self) -> String {
        self.columns.iter().map(|(name, _)| quoted(name)).collect::<Vec<_>>().join(", ")
    }

    /// Every row, in key order.
    fn select(&self) -> String {
        let order = self.key.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
        format!("SELECT {} FROM {} ORDER BY {order}", self.column_list(), quoted(&self.name))
    }

    /// A row's values, each read with `read` as its column's type says.
    fn cells<R>(
        &self,
        row: &R,
        read: fn(&R, usize, ColumnType) -> Result<Cell, sqlx::Error>,
    ) -> Result<Vec<Cell>, sqlx::Error> {
        self.columns.iter().enumerate().map(|(i, (_, kind))| read(row, i, *kind)).collect()
    }

    fn insert(&self) -> String {
        let marks = (1..=self.columns.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        format!("INSERT INTO {} ({}) VALUES ({marks})", quoted(&self.name), self.column_list())
    }
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables both databases hold, parents before the tables that refer to them.
struct Schema {
    tables: Vec<Table>,
}

impl Schema {
    async fn read(pg: &mut sqlx::PgConnection, sqlite: &mut sqlx::SqliteConnection) -> Result<Self, CopyError> {
        let pg_columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.table_name::text, c.column_name::text, c.udt_name::text FROM information_schema.columns c \
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER' \
             ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(&mut *pg)
        .await?;
        let mut columns: BTreeMap<String, Vec<(String, ColumnType)>> = BTreeMap::new();
        for (table, column, udt) in pg_columns {
            if NOT_COPIED.contains(&table.as_str()) {
                continue;
            }
            let kind = ColumnType::of(&udt).ok_or_else(|| CopyError::UnknownType {
                table: table.clone(),
                column: column.clone(),
                kind: udt.clone(),
            })?;
            columns.entry(table).or_default().push((column, kind));
        }
        compare_with_sqlite(&columns, sqlite).await?;
        let keys: Vec<(String, String)> = sqlx::query_as(
            "SELECT cl.relname::text, a.attname::text FROM pg_index i \
             JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
             JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, place) ON true \
             JOIN pg_attribute a ON a.attrelid = cl.oid AND a.attnum = k.attnum \
             WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY cl.relname, k.place",
        )
        .fetch_all(&mut *pg)
        .await?;
        let references: Vec<(String, String)> = sqlx::query_as(
            "SELECT child.relname::text, parent.relname::text FROM pg_constraint c \
             JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()",
        )
        .fetch_all(&mut *pg)
        .await?;
        let mut tables: Vec<Table> = columns
            .into_iter()
            .map(|(name, columns)| {
                let mut key: Vec<String> = keys.iter().filter(|(t, _)| *t == name).map(|(_, c)| c.clone()).collect();
                if key.is_empty() {
                    key = columns.iter().map(|(c, _)| c.clone()).collect();
                }
                Table { name, columns, key }
            })
            .collect();
        order_parents_first(&mut tables, &references)?;
        Ok(Self { tables })
    }
}

/// Fails unless SQLite holds the same tables with the same columns.
async fn compare_with_sqlite(
    pg_tables: &BTreeMap<String, Vec<(String, ColumnType)>>,
    sqlite: &mut sqlx::SqliteConnection,
) -> Result<(), CopyError> {
    // Virtual tables (the search index) and their own tables are SQLite's alone: rebuilt.
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *sqlite)
    .await?;
    let sqlite_names: BTreeSet<String> = names.into_iter().filter(|n| !NOT_COPIED.contains(&n.as_str())).collect();
    let pg_names: BTreeSet<String> = pg_tables.keys().cloned().collect();
    if sqlite_names != pg_names {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>().join(", ");
        return Err(CopyError::SchemaDiffers(format!(
            "only in SQLite: [{}]; only in PostgreSQL: [{}]",
            only(&sqlite_names, &pg_names),
            only(&pg_names, &sqlite_names)
        )));
    }
    for (table, columns) in pg_tables {
        let found: BTreeSet<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
            .bind(table)
            .fetch_all(&mut *sqlite)
            .await?
            .into_iter()
            .collect();
        let wanted: BTreeSet<String> = columns.iter().map(|(c, _)| c.clone()).collect();
        if found != wanted {
            return Err(CopyError::SchemaDiffers(format!(
                "{table} has the columns [{}] in SQLite, [{}] in PostgreSQL",
                found.into_iter().collect::<Vec<_>>().join(", "),
                wanted.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    Ok(())
}

/// Sorts `tables` so that each comes after every table it refers to (a table's references to
/// itself aside: its rows are copied in key order, older before newer).
fn order_parents_first(tables: &mut Vec<Table>, references: &[(String, String)]) -> Result<(), CopyError> {
    let mut ordered = Vec::with_capacity(tables.len());
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while !tables.is_empty() {
        let ready = tables.iter().position(|table| {
            references
                .iter()
                .filter(|(child, parent)| *child == table.name && *parent != table.name)
                // A parent not among the tables left is placed already, or not copied.
                .all(|(_, parent)| placed.contains(parent) || !tables.iter().any(|t| t.name == *parent))
        });
        let Some(index) = ready else {
            let left = tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", ");
            return Err(CopyError::SchemaDiffers(format!("these tables refer to one another in a cycle: {left}")));
        };
        let table = tables.remove(index);
        placed.insert(table.name.clone());
        ordered.push(table);
    }
    *tables = ordered;
    Ok(())
}

/// One value of a row, as both databases can hold it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    /// PostgreSQL keeps microseconds: a finer SQLite time loses the rest.
    Timestamp(DateTime<Utc>),
    LocalTime(NaiveDateTime),
    Date(NaiveDate),
    Json(serde_json::Value),
    Bytes(Vec<u8>),
}

impl Cell {
    /// The value's bytes in the digest: its kind, then the value, so that no two values of
    /// different kinds or lengths run together.
    fn digest_into(&self, hash: &mut Sha256) {
        let (tag, bytes): (u8, Vec<u8>) = match self {
            Cell::Null => (0, Vec::new()),
            Cell::Int(v) => (1, v.to_le_bytes().to_vec()),
            Cell::Real(v) => (2, v.to_bits().to_le_bytes().to_vec()),
            Cell::Bool(v) => (3, vec![u8::from(*v)]),
            Cell::Text(v) => (4, v.as_bytes().to_vec()),
            Cell::Timestamp(v) => (5, v.timestamp_micros().to_le_bytes().to_vec()),
            Cell::Date(v) => (6, v.to_string().into_bytes()),
            Cell::LocalTime(v) => (9, v.and_utc().timestamp_micros().to_le_bytes().to_vec()),
            Cell::Json(v) => (7, keys_sorted(v).to_string().into_bytes()),
            Cell::Bytes(v) => (8, v.clone()),
        };
        hash.update([tag]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
}

/// The same JSON with every object's keys in order: PostgreSQL's jsonb keeps them in an order
/// of its own.
fn keys_sorted(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let sorted: BTreeMap<&String, serde_json::Value> = map.iter().map(|(k, v)| (k, keys_sorted(v))).collect();
            serde_json::Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(keys_sorted).collect()),
        other => other.clone(),
    }
}

fn pg_cell(row: &sqlx::postgres::PgRow, index: usize, kind: ColumnType) -> Result<Cell, sqlx::Error> {
    use sqlx::types::Json;
    Ok(match kind {
        ColumnType::Int2 => row.try_get::<Option<i16>, _>(index)?.map(|v| Cell::Int(v.into())),
        ColumnType::Int4 => row.try_get::<Option<i32>, _>(index)?.map(|v| Cell::Int(v.into())),
        ColumnType::Int8 => row.try_get::<Option<i64>, _>(index)?.map(Cell::Int),
        ColumnType::Real => row.try_get::<Option<f64>, _>(index)?.map(Cell::Real),
        ColumnType::Bool => row.try_get::<Option<bool>, _>(index)?.map(Cell::Bool),
        ColumnType::Text => row.try_get::<Option<String>, _>(index)?.map(Cell::Text),
        ColumnType::Timestamp => row.try_get::<Option<DateTime<Utc>>, _>(index)?.map(Cell::Timestamp),
        ColumnType::LocalTime => row.try_get::<Option<NaiveDateTime>, _>(index)?.map(Cell::LocalTime),
        ColumnType::Date => row.try_get::<Option<NaiveDate>, _>(index)?.map(Cell::Date),
        ColumnType::Json => row.try_get::<Option<Json<serde_json::Value>>, _>(index)?.map(|v| Cell::Json(v.0)),
        ColumnType::Bytes => row.try_get::<Option<Vec<u8>>, _>(index)?.map(Cell::Bytes),
    }
    .unwrap_or(Cell::Null))
}

fn sqlite_cell(row: &sqlx::sqlite::SqliteRow, index: usize, kind: ColumnType) -> Result<Cell, sqlx::Error> {
    use sqlx::types::Json;
    Ok(match kind {
        ColumnType::Int2 | ColumnType::Int4 | ColumnType::Int8 => row.try_get::<Option<i64>, _>(index)?.map(Cell::Int),
        ColumnType::Real => row.try_get::<Option<f64>, _>(index)?.map(Cell::Real),
        ColumnType::Bool => row.try_get::<Option<bool>, _>(index)?.map(Cell::Bool),
        ColumnType::Text => row.try_get::<Option<String>, _>(index)?.map(Cell::Text),
        ColumnType::Timestamp => row
            .try_get::<Option<DateTime<Utc>>, _>(index)?
            .map(|t| Cell::Timestamp(DateTime::from_timestamp_micros(t.timestamp_micros()).unwrap_or(t))),
        ColumnType::LocalTime => row.try_get::<Option<NaiveDateTime>, _>(index)?.map(Cell::LocalTime),
        ColumnType::Date => row.try_get::<Option<NaiveDate>, _>(index)?.map(Cell::Date),
        ColumnType::Json => row.try_get::<Option<Json<serde_json::Value>>, _>(index)?.map(|v| Cell::Json(v.0)),
        ColumnType::Bytes => row.try_get::<Option<Vec<u8>>, _>(index)?.map(Cell::Bytes),
    }
    .unwrap_or(Cell::Null))
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;
type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

fn bind_pg(query: PgQuery<'_>, cell: Cell, kind: ColumnType) -> PgQuery<'_> {
    use sqlx::types::Json;
    // A NULL is bound with its column's type, so that PostgreSQL need not guess it.
    match (cell, kind) {
        (Cell::Int(v), ColumnType::Int2) => query.bind(i16::try_from(v).ok()),
        (Cell::Int(v), ColumnType::Int4) => query.bind(i32::try_from(v).ok()),
        (Cell::Int(v), _) => query.bind(v),
        (Cell::Real(v), _) => query.bind(v),
        (Cell::Bool(v), _) => query.bind(v),
        (Cell::Text(v), _) => query.bind(v),
        (Cell::Timestamp(v), _) => query.bind(v),
        (Cell::Date(v), _) => query.bind(v),
        (Cell::LocalTime(v), _) => query.bind(v),
        (Cell::Json(v), _) => query.bind(Json(v)),
        (Cell::Bytes(v), _) => query.bind(v),
        (Cell::Null, ColumnType::Int2) => query.bind(None::<i16>),
        (Cell::Null, ColumnType::Int4) => query.bind(None::<i32>),
        (Cell::Null, ColumnType::Int8) => query.bind(None::<i64>),
        (Cell::Null, ColumnType::Real) => query.bind(None::<f64>),
        (Cell::Null, ColumnType::Bool) => query.bind(None::<bool>),
        (Cell::Null, ColumnType::Text) => query.bind(None::<String>),
        (Cell::Null, ColumnType::Timestamp) => query.bind(None::<DateTime<Utc>>),
        (Cell::Null, ColumnType::Date) => query.bind(None::<NaiveDate>),
        (Cell::Null, ColumnType::LocalTime) => query.bind(None::<NaiveDateTime>),
        (Cell::Null, ColumnType::Json) => query.bind(None::<Json<serde_json::Value>>),
        (Cell::Null, ColumnType::Bytes) => query.bind(None::<Vec<u8>>),
    }
}

fn bind_sqlite(query: SqliteQuery<'_>, cell: Cell) -> SqliteQuery<'_> {
    match cell {
        Cell::Null => query.bind(None::<String>),
        Cell::Int(v) => query.bind(v),
        Cell::Real(v) => query.bind(v),
        Cell::Bool(v) => query.bind(v),
        Cell::Text(v) => query.bind(v),
        Cell::Timestamp(v) => query.bind(v),
        Cell::Date(v) => query.bind(v),
        Cell::LocalTime(v) => query.bind(v),
        // As the SQLite store writes JSON: its text.
        Cell::Json(v) => query.bind(sqlx::types::Json(v)),
        Cell::Bytes(v) => query.bind(v),
    }
}

/// Row count and digest of a table's rows, as they are read.
#[derive(Default)]
struct Tally {
    /// Each row's own digest: the two databases may order rows of a text key differently
    /// (PostgreSQL by its locale, SQLite by bytes), so the table's digest is taken over these
    /// in sorted order.
    rows: Vec<[u8; 32]>,
}

impl Tally {
    fn add(&mut self, row: &[Cell]) {
        let mut hash = Sha256::new();
        for cell in row {
            cell.digest_into(&mut hash);
        }
        self.rows.push(hash.finalize().into());
    }

    fn finish(mut self) -> (u64, String) {
        self.rows.sort_unstable();
        let mut hash = Sha256::new();
        for row in &self.rows {
            hash.update(row);
        }
        (self.rows.len() as u64, hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// The target's row count of each table must be 0.
async fn ensure_empty<'c, E>(executor: E, table: &Table) -> Result<(), CopyError>
where
    E: sqlx::Executor<'c>,
    for<'r> i64: sqlx::Decode<'r, E::Database> + sqlx::Type<E::Database>,
    for<'q> <E::Database as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, E::Database>,
    usize: sqlx::ColumnIndex<<E::Database as sqlx::Database>::Row>,
{
    let rows = scalar(executor, &format!("SELECT COUNT(*) FROM {}", quoted(&table.name))).await?;
    if rows > 0 {
        return Err(CopyError::NotEmpty { table: table.name.clone(), rows });
    }
    Ok(())
}

fn compared(table: &Table, source: Tally, target: Tally) -> Result<TableCopied, CopyError> {
    let (rows, checksum) = source.finish();
    let (target_rows, target_checksum) = target.finish();
    if (rows, &checksum) != (target_rows, &target_checksum) {
        let detail = format!(
            "{rows} rows sha256 {} against {target_rows} rows sha256 {}",
            &checksum[..16],
            &target_checksum[..16]
        );
        return Err(CopyError::Mismatch { table: table.name.clone(), detail });
    }
    Ok(TableCopied { name: table.name.clone(), rows, checksum })
}

async fn to_postgres(
    schema: &Schema,
    sqlite: &mut sqlx::SqliteConnection,
    pg: &mut sqlx::PgConnection,
) -> Result<Vec<TableCopied>, CopyError> {
    // One snapshot of the source, however long the copy takes.
    let mut source = sqlite.begin().await?;
    let mut target = pg.begin().await?;
    let counters: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, seq FROM sqlite_sequence").fetch_all(&mut *source).await?;
    for table in &schema.tables {
        ensure_empty(&mut *target, table).await?;
        // amfit's own triggers (the change counter, a candidate's last activity) would rewrite
        // what is copied; the foreign keys are still checked.
        sqlx::query(&format!("ALTER TABLE {} DISABLE TRIGGER USER", quoted(&table.name))).execute(&mut *target).await?;
    }
    let mut copied = Vec::new();
    for table in &schema.tables {
        copied.push(copy_table::<Lite, Pg>(&mut source, &mut target, table).await?);
    }
    for table in &schema.tables {
        sqlx::query(&format!("ALTER TABLE {} ENABLE TRIGGER USER", quoted(&table.name))).execute(&mut *target).await?;
        let used = counters.iter().find(|(name, _)| *name == table.name).map_or(0, |(_, used)| *used);
        continue_identities(&mut target, table, used).await?;
    }
    target.commit().await?;
    source.rollback().await?;
    Ok(copied)
}

/// Moves a table's generated ids past the copied ones and past the highest SQLite ever gave
/// (`used`, its row of `sqlite_sequence`): an id is never given twice, and the audit trail's
/// ids stay the rows they named.
async fn continue_identities(pg: &mut sqlx::PgConnection, table: &Table, used: i64) -> Result<(), CopyError> {
    for (column, _) in &table.columns {
        let sequence: Option<String> = sqlx::query_scalar("SELECT pg_get_serial_sequence($1, $2)")
            .bind(quoted(&table.name))
            .bind(column)
            .fetch_one(&mut *pg)
            .await?;
        if let Some(sequence) = sequence {
            let next = format!(
                "SELECT setval($1, GREATEST(COALESCE((SELECT MAX({}) FROM {}), 0), $2) + 1, false)",
                quoted(column),
                quoted(&table.name)
            );
            sqlx::query(next.as_str()).bind(sequence).bind(used).execute(&mut *pg).await?;
        }
    }
    Ok(())
}

/// Carries PostgreSQL's id counters of `table` over to SQLite's `sqlite_sequence`, so that an
/// id given before (to a row since deleted) is not given again.
async fn keep_counters(
    pg: &mut sqlx::PgConnection,
    sqlite: &mut sqlx::SqliteConnection,
    table: &Table,
) -> Result<(), CopyError> {
    for (column, _) in &table.columns {
        let used: Option<i64> =
            sqlx::query_scalar("SELECT pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass)")
                .bind(quoted(&table.name))
                .bind(column)
                .fetch_one(&mut *pg)
                .await?;
        let Some(used) = used else { continue };
        let raised = sqlx::query("UPDATE sqlite_sequence SET seq = MAX(seq, $1) WHERE name = $2")
            .bind(used)
            .bind(&table.name)
            .execute(&mut *sqlite)
            .await?;
        if raised.rows_affected() == 0 {
            sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)")
                .bind(&table.name)
                .bind(used)
                .execute(&mut *sqlite)
                .await?;
        }
    }
    Ok(())
}

async fn to_sqlite(
    schema: &Schema,
    pg: &mut sqlx::PgConnection,
    sqlite: &mut sqlx::SqliteConnection,
) -> Result<Vec<TableCopied>, CopyError> {
    // Checked once at the end instead: rows are copied parents first, but a table's rows may
    // refer to one another in any order.
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *sqlite).await?;
    let result = copy_to_sqlite(schema, pg, sqlite).await;
    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *sqlite).await?;
    result
}

async fn copy_to_sqlite(
    schema: &Schema,
    pg: &mut sqlx::PgConnection,
    sqlite: &mut sqlx::SqliteConnection,
) -> Result<Vec<TableCopied>, CopyError> {
    let mut source = pg.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let mut target = sqlite.begin_with("BEGIN IMMEDIATE").await?;
    for table in &schema.tables {
        ensure_empty(&mut *target, table).await?;
    }
    // SQLite cannot switch triggers off: they are dropped, and made again from their own
    // text, in the same transaction.
    let triggers: Vec<(String, String)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetch_all(&mut *target).await?;
    for (name, _) in &triggers {
        sqlx::query(&format!("DROP TRIGGER {}", quoted(name))).execute(&mut *target).await?;
    }
    let mut copied = Vec::new();
    for table in &schema.tables {
        copied.push(copy_table::<Pg, Lite>(&mut source, &mut target, table).await?);
    }
    for (_, sql) in &triggers {
        sqlx::query(sql.as_str()).execute(&mut *target).await?;
    }
    for table in &schema.tables {
        keep_counters(&mut source, &mut target, table).await?;
    }
    // The search index is SQLite's own: made afresh from the copied words.
    sqlx::query("INSERT INTO candidate_words_index (candidate_words_index) VALUES ('rebuild')")
        .execute(&mut *target)
        .await?;
    let broken: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check").fetch_all(&mut *target).await?;
    if let Some((table, rowid)) = broken.first() {
        let row = rowid.map_or_else(|| "a row".to_owned(), |rowid| format!("row {rowid}"));
        let detail = format!("{row} refers to a row that is not there ({} such rows)", broken.len());
        return Err(CopyError::Mismatch { table: table.clone(), detail });
    }
    target.commit().await?;
    source.rollback().await?;
    Ok(copied)
}

/// One end of a copy: how its rows are read into cells and cells bound into its statements.
trait Side {
    type Db: sqlx::Database;
    fn cell(row: &<Self::Db as sqlx::Database>::Row, index: usize, kind: ColumnType) -> Result<Cell, sqlx::Error>;
    fn bind<'q>(query: DbQuery<'q, Self::Db>, cell: Cell, kind: ColumnType) -> DbQuery<'q, Self::Db>;
}

type DbQuery<'q, Db> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// PostgreSQL's end.
struct Pg;
/// SQLite's end.
struct Lite;

impl Side for Pg {
    type Db = sqlx::Postgres;
    fn cell(row: &sqlx::postgres::PgRow, index: usize, kind: ColumnType) -> Result<Cell, sqlx::Error> {
        pg_cell(row, index, kind)
    }
    fn bind<'q>(query: PgQuery<'q>, cell: Cell, kind: ColumnType) -> PgQuery<'q> {
        bind_pg(query, cell, kind)
    }
}

impl Side for Lite {
    type Db = sqlx::Sqlite;
    fn cell(row: &sqlx::sqlite::SqliteRow, index: usize, kind: ColumnType) -> Result<Cell, sqlx::Error> {
        sqlite_cell(row, index, kind)
    }
    fn bind<'q>(query: SqliteQuery<'q>, cell: Cell, _: ColumnType) -> SqliteQuery<'q> {
        bind_sqlite(query, cell)
    }
}

/// Copies `table`'s rows from `source` to `target`, then reads them back from `target`: the
/// same count and digest, or the copy fails.
async fn copy_table<S: Side, T: Side>(
    source: &mut <S::Db as sqlx::Database>::Connection,
    target: &mut <T::Db as sqlx::Database>::Connection,
    table: &Table,
) -> Result<TableCopied, CopyError>
where
    for<'c> &'c mut <S::Db as sqlx::Database>::Connection: sqlx::Executor<'c, Database = S::Db>,
    for<'c> &'c mut <T::Db as sqlx::Database>::Connection: sqlx::Executor<'c, Database = T::Db>,
    for<'q> <S::Db as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, S::Db>,
    for<'q> <T::Db as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, T::Db>,
{
    let (select, insert) = (table.select(), table.insert());
    let mut read = Tally::default();
    let mut rows = sqlx::query::<S::Db>(&select).fetch(&mut *source);
    while let Some(row) = rows.try_next().await? {
        let cells = table.cells(&row, S::cell)?;
        read.add(&cells);
        let mut query = sqlx::query::<T::Db>(&insert);
        for (cell, (_, kind)) in cells.into_iter().zip(&table.columns) {
            query = T::bind(query, cell, *kind);
        }
        query.execute(&mut *target).await?;
    }
    drop(rows);
    let mut written = Tally::default();
    let mut rows = sqlx::query::<T::Db>(&select).fetch(&mut *target);
    while let Some(row) = rows.try_next().await? {
        written.add(&table.cells(&row, T::cell)?);
    }
    drop(rows);
    compared(table, read, written)
}

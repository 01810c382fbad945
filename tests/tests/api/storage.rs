//! The storage layer on the backend under test: exact sums, matching migration trees.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::BigInt;
use erp_core::money::Money;
use erp_tests::TestApp;
use rand::Rng;
use rust_decimal::Decimal;

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(QueryableByName)]
struct Amount {
    #[diesel(sql_type = BigInt)]
    amount: i64,
}

#[test]
fn a_sum_of_many_amounts_is_exact_to_the_last_digit() {
    let app = TestApp::spawn();
    let db = app.db();
    let mut conn = db.get().unwrap();
    diesel::sql_query("CREATE TABLE money_probe (id INTEGER PRIMARY KEY, amount BIGINT NOT NULL)")
        .execute(&mut *conn)
        .unwrap();
    let mut rng = rand::rng();
    let mut expected = Decimal::ZERO;
    let mut amounts = Vec::new();
    for i in 0..2000 {
        // Amounts with all four decimals used, large enough that f64 would lose cents in the sum.
        let raw: i64 = rng.random_range(-10_000_000_000_000..10_000_000_000_000);
        let m = Money::from_scaled(raw);
        expected += m.value();
        amounts.push(m);
        diesel::sql_query(format!(
            "INSERT INTO money_probe (id, amount) VALUES ({i}, {raw})"
        ))
        .execute(&mut *conn)
        .unwrap();
    }
    let total: Total =
        diesel::sql_query("SELECT CAST(SUM(amount) AS BIGINT) AS total FROM money_probe")
            .get_result(&mut *conn)
            .unwrap();
    assert_eq!(Money::from_scaled(total.total).value(), expected);
    let back: Vec<Amount> = diesel::sql_query("SELECT amount FROM money_probe ORDER BY id")
        .load(&mut *conn)
        .unwrap();
    let back: Vec<Money> = back
        .into_iter()
        .map(|a| Money::from_scaled(a.amount))
        .collect();
    assert_eq!(back, amounts);
}

fn migration_names(backend: &str) -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/").to_string() + backend;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Table name -> column names, read from a migration tree's CREATE TABLE statements.
fn declared_columns(backend: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for name in migration_names(backend) {
        let path = format!(
            "{}/../migrations/{backend}/{name}/up.sql",
            env!("CARGO_MANIFEST_DIR")
        );
        let sql: String = std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("--"))
            .collect::<Vec<_>>()
            .join("\n");
        for stmt in sql.split(';') {
            // ALTER TABLE t ADD COLUMN c ...: a column added by a later migration.
            if let Some(rest) = stmt.trim().strip_prefix("ALTER TABLE ") {
                if let Some((table, added)) = rest.split_once(" ADD COLUMN ") {
                    let col = added.split_whitespace().next().unwrap().to_string();
                    out.entry(table.trim().to_string())
                        .or_insert_with(Vec::new)
                        .push(col);
                }
                // ALTER TABLE t RENAME TO u: SQLite's way of rebuilding a table.
                if let Some((table, renamed)) = rest.split_once(" RENAME TO ") {
                    if let Some(cols) = out.remove(table.trim()) {
                        out.insert(renamed.trim().to_string(), cols);
                    }
                }
                continue;
            }
            if let Some(table) = stmt.trim().strip_prefix("DROP TABLE ") {
                out.remove(table.trim());
                continue;
            }
            let Some(rest) = stmt.trim().strip_prefix("CREATE TABLE ") else {
                continue;
            };
            let (table, body) = rest.split_once('(').unwrap();
            let cols = body
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with("PRIMARY KEY")
                        && !l.starts_with("UNIQUE")
                        && !l.starts_with("CHECK")
                        && !l.starts_with(')')
                })
                .map(|l| l.split_whitespace().next().unwrap().to_string())
                .collect();
            out.insert(table.trim().to_string(), cols);
        }
    }
    out.retain(|table, _| !is_search_index(table));
    out
}

/// Tables that are one backend's text index (SQLite's FTS5 table for item search, its shadow
/// tables and keys; PostgreSQL indexes the same columns with pg_trgm and needs no table).
fn is_search_index(table: &str) -> bool {
    table.starts_with("items_search")
}

#[test]
fn both_migration_trees_have_the_same_names_and_tables() {
    assert_eq!(migration_names("postgres"), migration_names("sqlite"));
    let pg = declared_columns("postgres");
    assert!(pg.len() >= 15, "found the tables: {:?}", pg.keys());
    assert_eq!(pg, declared_columns("sqlite"));
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

#[test]
fn the_live_schema_is_the_declared_one() {
    let app = TestApp::spawn();
    let db = app.db();
    let mut conn = db.get().unwrap();
    let query = if app.is_postgres() {
        "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' ORDER BY table_name, ordinal_position"
    } else {
        "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' ORDER BY m.name, p.cid"
    };
    let rows: Vec<Column> = diesel::sql_query(query).load(&mut *conn).unwrap();
    let mut live: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        live.entry(r.table_name).or_default().push(r.column_name);
    }
    live.retain(|table, _| !is_search_index(table));
    assert_eq!(live, declared_columns("postgres"));
}

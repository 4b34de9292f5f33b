//! All SQL of the worker, by aggregate. Every statement binds its parameters and is scoped to
//! one organisation (by its slug or id, or by a ticket id that belongs to exactly one). The
//! exceptions are deployment-wide by design and say so: the cron's reads of due SLA clocks and
//! webhook deliveries (then each row is handled within its organisation), and the test clock.

pub mod catalog;
pub mod comments;
mod error;
pub mod groups;
pub mod idempotency;
pub mod limits;
pub mod orgs;
pub mod people;
pub mod round_trips;
pub mod sla;
pub mod sweep;
pub mod test_clock;
pub mod tickets;
pub mod timeline;
pub mod tokens;
pub mod webhooks;
pub mod widget;

#[cfg(test)]
mod api_sql_tests;
#[cfg(test)]
mod people_tests;
#[cfg(test)]
mod sqlite_tests;
#[cfg(test)]
mod tenant_keys_tests;

use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

pub use error::StoreError;

/// The failure of a D1 call while `context`, as a store error (see [`StoreError::d1`]).
pub(crate) fn d1_error(context: &'static str) -> impl Fn(worker::Error) -> StoreError {
    move |error| StoreError::d1(context, &error)
}

/// A constraint that SQLite (under D1) refused a write for: what stores tell "already exists"
/// or "refers to nothing" by, rather than a bug. D1 reports it only as message text, so the
/// text is read here once ([`constraint`]) and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// A `UNIQUE` or `PRIMARY KEY`: a row with these values exists. (A unique index on
    /// expressions names no columns: then both are empty.)
    Unique { table: String, columns: Vec<String> },
    /// A `REFERENCES`: the row referred to does not exist, or a row still refers to this one.
    ForeignKey,
    /// A `CHECK`: its name, or its expression when it has none.
    Check { check: String },
}

impl Constraint {
    /// SQLite's message, also as D1 passes it on (`D1_ERROR: ` before it, maybe
    /// `: SQLITE_CONSTRAINT` after it); `None` when it is no constraint failure.
    fn parse(message: &str) -> Option<Self> {
        let message = message.lines().next().unwrap_or_default();
        if let Some((_, list)) = message.split_once("UNIQUE constraint failed: ") {
            let (mut table, mut columns) = (String::new(), Vec::new());
            // `table.column, table.column`, the last one maybe followed by D1's suffix.
            for item in list.split(", ") {
                let qualified = item
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                    .next()
                    .unwrap_or_default();
                let Some((of, column)) = qualified.split_once('.') else {
                    break;
                };
                of.clone_into(&mut table);
                columns.push(column.to_owned());
            }
            return Some(Self::Unique { table, columns });
        }
        if message.contains("FOREIGN KEY constraint failed") {
            return Some(Self::ForeignKey);
        }
        let (_, check) = message.split_once("CHECK constraint failed: ")?;
        let check = check.split(": SQLITE_").next().unwrap_or_default();
        Some(Self::Check {
            check: check.to_owned(),
        })
    }

    /// Whether this is a `UNIQUE` (or `PRIMARY KEY`) of `table` that includes `column`.
    pub(crate) fn is_unique_on(&self, table: &str, column: &str) -> bool {
        match self {
            Self::Unique { table: of, columns } => {
                of == table && columns.iter().any(|c| c == column)
            }
            Self::ForeignKey | Self::Check { .. } => false,
        }
    }
}

/// The constraint a failed D1 call was refused for, if that is why it failed.
pub(crate) fn constraint(error: &worker::Error) -> Option<Constraint> {
    match error {
        // D1's own message; `Display` wraps it in a debug dump with a JS stack.
        worker::Error::D1(d1) => Constraint::parse(&d1.cause()),
        other => Constraint::parse(&other.to_string()),
    }
}

/// A statement before it meets D1: its SQL and its parameters as JSON scalars (text, number,
/// null). Statements built this way can also be run natively against SQLite, so tests check
/// the exact SQL the worker sends (see `sqlite_tests`).
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<serde_json::Value>,
}

impl Sql {
    pub(crate) fn new(text: impl Into<String>, params: Vec<serde_json::Value>) -> Self {
        Self {
            text: text.into(),
            params,
        }
    }

    /// The D1 statement. Numbers are bound as JS numbers: D1 refuses BigInt parameters.
    pub(crate) fn prepare(&self, db: &D1Database) -> Result<D1PreparedStatement, StoreError> {
        let params: Vec<JsValue> = self
            .params
            .iter()
            .map(|value| match value {
                serde_json::Value::Null => JsValue::NULL,
                serde_json::Value::Bool(b) => JsValue::from_f64(if *b { 1.0 } else { 0.0 }),
                serde_json::Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or_default()),
                serde_json::Value::String(s) => JsValue::from_str(s),
                other => JsValue::from_str(&other.to_string()),
            })
            .collect();
        statement(db, &self.text, &params)
    }
}

/// A value as the JSON text a column stores (serialising our own types cannot fail in practice;
/// if it does, it is our bug, a 500).
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Encode {
        detail: e.to_string(),
    })
}

/// JSON text a column stores, read back; text we did not write is our bug, a 500.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::decode("stored JSON", e))
}

/// Values of any number bound as ONE parameter: a JSON array that the statement reads with
/// `json_each(?n)` (e.g. `ticket_id IN (SELECT value FROM json_each(?2))`). Every statement
/// whose count of values depends on input or data goes through here, so no page, list or
/// filter can pass D1's 100 parameters per statement.
pub(crate) fn json_list<S: AsRef<str>>(values: &[S]) -> serde_json::Value {
    serde_json::Value::String(
        serde_json::Value::Array(
            values
                .iter()
                .map(|v| serde_json::Value::String(v.as_ref().to_owned()))
                .collect(),
        )
        .to_string(),
    )
}

/// A batch's results, read in the order its statements were pushed, so that no reader names a
/// position. Fewer results than statements is D1 breaking its contract: our 500.
pub(crate) struct InOrder {
    results: std::vec::IntoIter<worker::D1Result>,
    context: &'static str,
}

impl InOrder {
    /// The results of a batch that did `context` (for the log).
    pub(crate) fn new(results: Vec<worker::D1Result>, context: &'static str) -> Self {
        Self {
            results: results.into_iter(),
            context,
        }
    }

    /// The next statement's result.
    pub(crate) fn result(&mut self) -> Result<worker::D1Result, StoreError> {
        self.results
            .next()
            .ok_or_else(|| StoreError::broken(format!("{}: too few results", self.context)))
    }

    /// The next statement's rows.
    pub(crate) fn rows<T: serde::de::DeserializeOwned>(&mut self) -> Result<Vec<T>, StoreError> {
        self.result()?
            .results::<T>()
            .map_err(d1_error(self.context))
    }

    /// The next statement's first row, if it returned any.
    pub(crate) fn first<T: serde::de::DeserializeOwned>(
        &mut self,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.rows::<T>()?.into_iter().next())
    }

    /// Passes over the next `count` results (writes whose results say nothing).
    pub(crate) fn skip(&mut self, count: usize) -> Result<(), StoreError> {
        for _ in 0..count {
            self.result()?;
        }
        Ok(())
    }
}

/// Runs `batch` as one D1 batch (one round trip, atomic); `context` names it in the log.
pub(crate) async fn run_batch(
    db: &D1Database,
    batch: &[Sql],
    context: &'static str,
) -> Result<Vec<worker::D1Result>, StoreError> {
    let statements = batch
        .iter()
        .map(|sql| sql.prepare(db))
        .collect::<Result<Vec<_>, _>>()?;
    db.batch(statements).await.map_err(d1_error(context))
}

/// `sql` with its parameters bound; binding only fails on a programming error.
pub(crate) fn statement(
    db: &D1Database,
    sql: &str,
    params: &[JsValue],
) -> Result<D1PreparedStatement, StoreError> {
    db.prepare(sql)
        .bind(params)
        .map_err(d1_error("binding a statement"))
}

#[cfg(test)]
mod tests {
    use super::sqlite_tests::migrated_demo;
    use super::*;

    const ORG: &str = "01JD0000000000000000000000";

    /// SQLite's own message when it refuses `sql` in the demo organisation with a hardware
    /// category holding a laptop item, foreign keys enforced as D1 enforces them.
    fn refusal(sql: &str) -> String {
        let conn = migrated_demo();
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = ON; \
             INSERT INTO catalog_categories (id, org_id, slug, name, created_at, updated_at) \
             VALUES ('c1', '{ORG}', 'hardware', '{{}}', 'x', 'x'); \
             INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
             search_text, created_at, updated_at) \
             VALUES ('i1', '{ORG}', 'c1', 'laptop', '{{}}', 1, '', 'x', 'x');"
        ))
        .expect("a catalog");
        conn.execute_batch(sql).expect_err("refused").to_string()
    }

    /// `message` as D1 hands it to the worker: the `D1_ERROR` text and SQLite's result code.
    fn from_d1(message: &str) -> String {
        format!("D1_ERROR: {message}: SQLITE_CONSTRAINT")
    }

    fn unique(table: &str, columns: &[&str]) -> Option<Constraint> {
        Some(Constraint::Unique {
            table: table.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        })
    }

    #[test]
    fn a_taken_slug_is_a_unique_constraint_on_its_table_and_columns() {
        let message = refusal(&format!(
            "INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
             search_text, created_at, updated_at) \
             VALUES ('i2', '{ORG}', 'c1', 'laptop', '{{}}', 1, '', 'x', 'x')"
        ));
        let expected = unique("catalog_items", &["org_id", "slug"]);
        assert_eq!(Constraint::parse(&message), expected, "{message}");
        assert_eq!(Constraint::parse(&from_d1(&message)), expected);
        let error = worker::Error::RustError(from_d1(&message));
        let found = constraint(&error).expect("a constraint");
        assert!(found.is_unique_on("catalog_items", "slug"));
        assert!(!found.is_unique_on("catalog_items", "id"));
        assert!(!found.is_unique_on("catalog_categories", "slug"));
    }

    #[test]
    fn a_taken_primary_key_is_a_unique_constraint_on_the_key() {
        let message = refusal(&format!(
            "INSERT INTO catalog_categories (id, org_id, slug, name, created_at, updated_at) \
             VALUES ('c1', '{ORG}', 'software', '{{}}', 'x', 'x')"
        ));
        assert_eq!(
            Constraint::parse(&from_d1(&message)),
            unique("catalog_categories", &["id"]),
            "{message}"
        );
    }

    #[test]
    fn a_reference_to_nothing_is_a_foreign_key_constraint() {
        let message = refusal(&format!(
            "INSERT INTO catalog_items (id, org_id, category_id, slug, name, form_version, \
             search_text, created_at, updated_at) \
             VALUES ('i2', '{ORG}', 'missing', 'phone', '{{}}', 1, '', 'x', 'x')"
        ));
        assert_eq!(Constraint::parse(&message), Some(Constraint::ForeignKey));
        assert_eq!(
            Constraint::parse(&from_d1(&message)),
            Some(Constraint::ForeignKey)
        );
    }

    #[test]
    fn a_value_outside_a_check_is_a_check_constraint_with_its_expression() {
        let message = refusal("UPDATE catalog_items SET active = 2 WHERE id = 'i1'");
        let expected = Some(Constraint::Check {
            check: "active IN (0, 1)".to_owned(),
        });
        assert_eq!(Constraint::parse(&message), expected, "{message}");
        assert_eq!(Constraint::parse(&from_d1(&message)), expected);
    }

    #[test]
    fn other_failures_are_no_constraint() {
        for sql in [
            "INSERT INTO nowhere VALUES (1)",
            "SELECT * FROM catalog_items WHERE",
            "UPDATE catalog_items SET nothing = 1",
        ] {
            let message = refusal(sql);
            assert_eq!(Constraint::parse(&message), None, "{message}");
        }
        let error = worker::Error::RustError("D1_ERROR: Network connection lost.".to_owned());
        assert_eq!(constraint(&error), None);
    }
}

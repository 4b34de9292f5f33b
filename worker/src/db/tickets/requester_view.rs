//! The requester's view of their ticket, read with its tracking token.

use edgedesk_core::api::{RequestView, SubmittedForm};
use edgedesk_core::{Channel, TicketId, TicketStatus};
use serde::Deserialize;
use worker::D1Database;

use crate::db::StoreError;
use crate::db::sla::{CLOCK_COLUMNS, ClockRow, ClockSet};
use crate::db::{InOrder, d1_error, statement};

/// The requester's view of ticket `id` and its clocks, only if `tracking_token_hash` is that
/// ticket's. Comparing in SQL means a wrong token and a missing ticket look the same.
pub async fn find_for_requester(
    db: &D1Database,
    id: &TicketId,
    tracking_token_hash: &str,
) -> Result<Option<(RequestView, ClockSet)>, StoreError> {
    let key = [id.to_string().into(), tracking_token_hash.into()];
    let results = db
        .batch(vec![
            statement(
                db,
                // The form joined by the ticket's own version: later edits never change how
                // it renders.
                "SELECT t.id, t.reference, o.slug AS org, t.status, t.subject, t.description, \
                 t.requester_name, t.requester_email, t.channel, t.created_at, t.updated_at, \
                 t.answers, t.catalog_item AS item_slug, i.name AS item_name, t.form_version, \
                 f.schema, o.default_locale \
                 FROM tickets t JOIN orgs o ON o.id = t.org_id \
                 LEFT JOIN catalog_items i ON i.id = t.catalog_item_id \
                 LEFT JOIN catalog_forms f ON f.item_id = t.catalog_item_id \
                     AND f.version = t.form_version \
                 WHERE t.id = ?1 AND t.tracking_token_hash = ?2",
                &key,
            )?,
            statement(
                db,
                &format!(
                    "SELECT {CLOCK_COLUMNS} FROM tickets t JOIN sla_clocks c \
                     ON c.org_id = t.org_id AND c.ticket_id = t.id \
                     WHERE t.id = ?1 AND t.tracking_token_hash = ?2 ORDER BY c.metric"
                ),
                &key,
            )?,
        ])
        .await
        .map_err(d1_error("reading a request for its requester"))?;
    let mut results = InOrder::new(results, "reading a request for its requester");
    let Some(row) = results.first::<RequesterRow>()? else {
        return Ok(None);
    };
    let view = row.view()?;
    let clocks = ClockSet::from_rows(results.rows::<ClockRow>()?);
    Ok(Some((view, clocks)))
}

/// The requester's view as read, with the catalog form it was submitted with.
#[derive(Deserialize)]
struct RequesterRow {
    id: String,
    reference: String,
    org: String,
    status: TicketStatus,
    subject: String,
    description: String,
    requester_name: String,
    requester_email: String,
    channel: Channel,
    created_at: String,
    updated_at: String,
    answers: Option<String>,
    item_slug: Option<String>,
    item_name: Option<String>,
    form_version: Option<u32>,
    schema: Option<String>,
    default_locale: String,
}

impl RequesterRow {
    fn view(self) -> Result<RequestView, StoreError> {
        let stored = |what: &'static str, e: serde_json::Error| StoreError::decode(what, e);
        let catalog_item = match (
            self.item_slug,
            self.item_name,
            self.form_version,
            self.schema,
        ) {
            (Some(slug), Some(name), Some(form_version), Some(schema)) => Some(SubmittedForm {
                slug,
                name: crate::db::catalog::localized(&name)?,
                form_version,
                form: serde_json::from_str(&schema).map_err(|e| stored("stored form", e))?,
                default_locale: self.default_locale,
            }),
            _ => None,
        };
        Ok(RequestView {
            id: self.id,
            reference: self.reference,
            org: self.org,
            status: self.status,
            subject: self.subject,
            description: self.description,
            requester_name: self.requester_name,
            requester_email: self.requester_email,
            channel: self.channel,
            created_at: self.created_at,
            updated_at: self.updated_at,
            catalog_item,
            answers: self
                .answers
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| stored("stored answers", e))?
                .unwrap_or_default(),
            promises: Vec::new(),
        })
    }
}

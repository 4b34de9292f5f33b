//! Agents' ticket lists: filters, sorts and keyset pages, each page's clocks and tags, and the
//! maintained per-status counts.

use std::collections::BTreeMap;

use edgedesk_core::priority::Priority;
use edgedesk_core::{TicketId, TicketStatus};
use serde::Deserialize;
use worker::D1Database;

use super::{TicketRow, t_columns};
use crate::db::StoreError;
use crate::db::sla::{CLOCK_COLUMNS, ClockRow, ClockSet};
use crate::db::{InOrder, Sql, d1_error, statement};

/// What a list is ordered by (the id breaks ties, in the same direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Creation: ticket ids are ULIDs, so id order is creation order.
    Created,
    Updated,
    Priority,
}

/// How a ticket list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    By {
        key: SortKey,
        descending: bool,
    },
    /// Earliest deadline of a running clock first; tickets without one are left out.
    Deadline,
}

impl ListOrder {
    /// Newest first: the default.
    pub const NEWEST: Self = Self::By {
        key: SortKey::Created,
        descending: true,
    };
}

/// Where the previous page ended: the last ticket's id, and its sort value for sorts other
/// than creation (`updated_at`, or the priority's rank).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Id(TicketId),
    Keyed { value: String, id: TicketId },
    Deadline { due: String, id: TicketId },
}

/// Ticket filters of an agent's list; all given ones must hold.
#[derive(Debug, Default)]
pub struct ListFilters {
    pub status: Option<TicketStatus>,
    pub assignee: Option<String>,
    pub group: Option<String>,
    pub priority: Option<Priority>,
    /// A catalog category's slug: tickets of its items, or of its subcategories' items.
    pub category: Option<String>,
    pub tag: Option<String>,
    pub requester: Option<String>,
    /// FTS5 query (see `edgedesk_core::search::fts_query`).
    pub search: Option<String>,
    /// `(column, operator, instant)` ranges on `created_at` / `updated_at`.
    pub ranges: Vec<(RangeColumn, RangeOp, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeColumn {
    Created,
    Updated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeOp {
    Gte,
    Gt,
    Lte,
    Lt,
}

/// What an agent's ticket list asks for.
pub struct ListQuery<'a> {
    pub filters: &'a ListFilters,
    /// Only tickets with a clock that is breached and still running.
    pub breached: bool,
    /// Only tickets with a running clock due at or before this instant (overdue ones included).
    pub due_before: Option<&'a str>,
    pub order: ListOrder,
    pub after: Option<&'a Cursor>,
    pub limit: u32,
}

/// The SQL of a ticket list: every value bound, every condition inside organisation `?1`.
/// Without SLA filters it reads tickets through the index of its sort or filter, `(org_id, …,
/// id)`, so a page costs about its size; SLA filters and the deadline order start from the
/// running clocks instead (`(org_id, due_at)` and the breached index).
pub fn list_sql(org_id: &str, query: &ListQuery<'_>) -> Sql {
    use serde_json::json;
    let mut params: Vec<serde_json::Value> = vec![json!(org_id)];
    let mut param = |value: serde_json::Value| {
        params.push(value);
        format!("?{}", params.len())
    };
    let sla_driven =
        query.breached || query.due_before.is_some() || query.order == ListOrder::Deadline;
    let mut conditions = vec!["t.org_id = ?1".to_owned()];
    let f = query.filters;
    if let Some(status) = f.status {
        conditions.push(format!("t.status = {}", param(json!(status.as_str()))));
    }
    if let Some(assignee) = &f.assignee {
        conditions.push(format!("t.assignee = {}", param(json!(assignee))));
    }
    if let Some(group) = &f.group {
        conditions.push(format!("t.group_name = {}", param(json!(group))));
    }
    if let Some(priority) = f.priority {
        conditions.push(format!("t.priority = {}", param(json!(priority.as_str()))));
    }
    if let Some(requester) = &f.requester {
        conditions.push(format!("t.requester_email = {}", param(json!(requester))));
    }
    if let Some(category) = &f.category {
        let slug = param(json!(category));
        conditions.push(format!(
            "t.catalog_item_id IN (SELECT i.id FROM catalog_categories c \
             JOIN catalog_items i ON i.org_id = c.org_id AND i.category_id = c.id \
             WHERE c.org_id = ?1 AND (c.slug = {slug} OR c.parent_id = \
             (SELECT p.id FROM catalog_categories p WHERE p.org_id = ?1 AND p.slug = {slug})))"
        ));
    }
    if let Some(tag) = &f.tag {
        conditions.push(format!(
            "t.id IN (SELECT g.ticket_id FROM ticket_tags g WHERE g.org_id = ?1 AND g.tag = {})",
            param(json!(tag))
        ));
    }
    if let Some(search) = &f.search {
        // The match runs over every organisation's rows; the join back to `t` keeps ?1's.
        conditions.push(format!(
            "t.search_rowid IN (SELECT rowid FROM ticket_search WHERE ticket_search MATCH {})",
            param(json!(search))
        ));
    }
    for (column, op, instant) in &f.ranges {
        let column = match column {
            RangeColumn::Created => "t.created_at",
            RangeColumn::Updated => "t.updated_at",
        };
        let op = match op {
            RangeOp::Gte => ">=",
            RangeOp::Gt => ">",
            RangeOp::Lte => "<=",
            RangeOp::Lt => "<",
        };
        conditions.push(format!("{column} {op} {}", param(json!(instant))));
    }
    let mut having = String::new();
    let order = match query.order {
        ListOrder::By { key, descending } => {
            let (cmp, dir) = if descending {
                ("<", "DESC")
            } else {
                (">", "ASC")
            };
            let column = match key {
                SortKey::Created => None,
                SortKey::Updated => Some("t.updated_at"),
                SortKey::Priority => Some("t.priority_rank"),
            };
            match (query.after, column) {
                (Some(Cursor::Id(id)), None) => {
                    conditions.push(format!("t.id {cmp} {}", param(json!(id.to_string()))));
                }
                (Some(Cursor::Keyed { value, id }), Some(column)) => {
                    let value = if key == SortKey::Priority {
                        json!(value.parse::<i64>().unwrap_or_default())
                    } else {
                        json!(value)
                    };
                    conditions.push(format!(
                        "({column}, t.id) {cmp} ({}, {})",
                        param(value),
                        param(json!(id.to_string()))
                    ));
                }
                _ => {}
            }
            match column {
                Some(column) => format!("{column} {dir}, t.id {dir}"),
                None => format!("t.id {dir}"),
            }
        }
        ListOrder::Deadline => {
            if let Some(Cursor::Deadline { due, id }) = query.after {
                having = format!(
                    "HAVING (MIN(c.due_at), t.id) > ({}, {})",
                    param(json!(due)),
                    param(json!(id.to_string()))
                );
            }
            "sla_due, t.id".to_owned()
        }
    };
    let text = if sla_driven {
        let mut clock_conditions = vec![
            "c.org_id = ?1".to_owned(),
            "c.fulfilled_at IS NULL".to_owned(),
        ];
        if query.breached {
            clock_conditions.push("c.breached_at IS NOT NULL".to_owned());
        }
        match query.due_before {
            Some(before) => clock_conditions.push(format!("c.due_at <= {}", param(json!(before)))),
            None if query.order == ListOrder::Deadline => {
                clock_conditions.push("c.due_at IS NOT NULL".to_owned());
            }
            None => {}
        }
        let limit = param(json!(query.limit));
        format!(
            "SELECT {}, MIN(c.due_at) AS sla_due FROM sla_clocks c \
             JOIN tickets t ON t.org_id = c.org_id AND t.id = c.ticket_id \
             WHERE {} AND {} GROUP BY t.id {having} ORDER BY {order} LIMIT {limit}",
            t_columns(),
            clock_conditions.join(" AND "),
            conditions.join(" AND ")
        )
    } else {
        let limit = param(json!(query.limit));
        format!(
            "SELECT {} FROM tickets t WHERE {} ORDER BY {order} LIMIT {limit}",
            t_columns(),
            conditions.join(" AND ")
        )
    };
    Sql::new(text, params)
}

/// `limit` tickets of `org_id` as `query` asks (see [`list_sql`]).
pub async fn list(
    db: &D1Database,
    org_id: &str,
    query: &ListQuery<'_>,
) -> Result<Vec<TicketRow>, StoreError> {
    list_sql(org_id, query)
        .prepare(db)?
        .all()
        .await
        .and_then(|r| r.results::<TicketRow>())
        .map_err(d1_error("listing tickets"))
}

/// The clocks (with calendars) and tags of the tickets `ticket_ids` (a page: any number, each
/// list bound as one JSON parameter): two statements.
pub(crate) fn page_details_sql(org_id: &str, ticket_ids: &[String]) -> [Sql; 2] {
    let params = vec![org_id.into(), crate::db::json_list(ticket_ids)];
    [
        Sql::new(
            format!(
                "SELECT {CLOCK_COLUMNS} FROM sla_clocks c \
                 WHERE c.org_id = ?1 AND c.ticket_id IN (SELECT value FROM json_each(?2)) \
                 ORDER BY c.metric"
            ),
            params.clone(),
        ),
        Sql::new(
            "SELECT ticket_id, tag FROM ticket_tags \
             WHERE org_id = ?1 AND ticket_id IN (SELECT value FROM json_each(?2)) ORDER BY tag",
            params,
        ),
    ]
}

/// The clocks (with calendars) and tags of the tickets of one page: one round trip.
pub async fn page_details(
    db: &D1Database,
    org_id: &str,
    ticket_ids: &[String],
) -> Result<(ClockSet, BTreeMap<String, Vec<String>>), StoreError> {
    if ticket_ids.is_empty() {
        return Ok((ClockSet::default(), BTreeMap::new()));
    }
    let results = crate::db::run_batch(
        db,
        &page_details_sql(org_id, ticket_ids),
        "loading a page's clocks",
    )
    .await?;
    #[derive(Deserialize)]
    struct TicketTag {
        ticket_id: String,
        tag: String,
    }
    let mut results = InOrder::new(results, "reading a page's clocks");
    let clocks = ClockSet::from_rows(results.rows::<ClockRow>()?);
    let mut by_ticket: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for TicketTag { ticket_id, tag } in results.rows::<TicketTag>()? {
        by_ticket.entry(ticket_id).or_default().push(tag);
    }
    Ok((clocks, by_ticket))
}

#[derive(Debug, Deserialize)]
struct CounterRow {
    name: String,
    value: i64,
}

/// Tickets per status, from the maintained counters (never a scan of the tickets table).
pub async fn status_counts(
    db: &D1Database,
    org_id: &str,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let rows = statement(
        db,
        "SELECT name, value FROM org_counters WHERE org_id = ?1 AND name >= 'status:' AND name < 'status;'",
        &[org_id.into()],
    )?
    .all()
    .await
    .and_then(|r| r.results::<CounterRow>())
    .map_err(d1_error("reading status counters"))?;
    let mut counts: BTreeMap<String, i64> = TicketStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    for row in rows {
        if let Some(status) = row.name.strip_prefix("status:") {
            counts.insert(status.to_owned(), row.value);
        }
    }
    Ok(counts)
}

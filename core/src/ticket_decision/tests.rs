use proptest::prelude::*;

use super::*;

fn ticket(status: TicketStatus) -> TicketFields {
    TicketFields {
        status,
        priority: Priority::Normal,
        assignee: None,
        group: Some("tier-1".to_owned()),
        tags: vec!["late".to_owned(), "vip".to_owned()],
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_field_set_to_the_value_it_has_is_no_change() {
    let current = ticket(TicketStatus::Open);
    let wanted = TicketChanges {
        status: Some(TicketStatus::Open),
        priority: Some(Priority::Normal),
        assignee: Some(None),
        group: Some(Some("tier-1".to_owned())),
        tags_add: strings(&["vip"]),
        tags_remove: strings(&["absent"]),
    };
    let change = TicketChange::decide(&current, &wanted).expect("allowed");
    assert!(change.is_empty());
    assert!(change.events().is_empty());
    assert!(change.sla.happenings.is_empty());
}

#[test]
fn a_refused_transition_says_what_the_status_can_become() {
    let refused = |from, to| {
        let wanted = TicketChanges {
            status: Some(to),
            ..TicketChanges::default()
        };
        TicketChange::decide(&ticket(from), &wanted)
            .expect_err("refused")
            .to_string()
    };
    assert_eq!(
        refused(TicketStatus::New, TicketStatus::Closed),
        "a new ticket cannot become closed. From new it can become: open, pending, on_hold, \
         solved."
    );
    assert_eq!(
        refused(TicketStatus::Closed, TicketStatus::Open),
        "a closed ticket cannot become open. From closed it can become: nothing (closed is \
         final)."
    );
}

#[test]
fn a_closed_ticket_takes_no_change_but_may_be_sent_as_it_is() {
    let closed = ticket(TicketStatus::Closed);
    let raise = TicketChanges {
        priority: Some(Priority::High),
        ..TicketChanges::default()
    };
    assert_eq!(
        TicketChange::decide(&closed, &raise),
        Err(Refusal::ClosedIsFinal)
    );
    assert_eq!(Refusal::ClosedIsFinal.to_string(), CLOSED_IS_FINAL);
    let same = TicketChanges {
        status: Some(TicketStatus::Closed),
        priority: Some(Priority::Normal),
        ..TicketChanges::default()
    };
    assert!(
        TicketChange::decide(&closed, &same)
            .expect("no-op")
            .is_empty()
    );
}

#[test]
fn a_status_change_is_a_happening_and_the_tracker_sees_the_fields_after() {
    let wanted = TicketChanges {
        status: Some(TicketStatus::Pending),
        priority: Some(Priority::Urgent),
        tags_add: strings(&["billing"]),
        tags_remove: strings(&["late"]),
        ..TicketChanges::default()
    };
    let change = TicketChange::decide(&ticket(TicketStatus::Open), &wanted).expect("allowed");
    assert_eq!(
        change.sla,
        SlaEffects {
            happenings: vec![Happening::StatusChanged {
                from: TicketStatus::Open,
                to: TicketStatus::Pending,
            }],
            status: TicketStatus::Pending,
            priority: Priority::Urgent,
            tags: strings(&["billing", "vip"]),
        }
    );
    let kinds: Vec<(&str, &str)> = change.events().iter().map(|e| (e.kind, e.field)).collect();
    assert_eq!(
        kinds,
        [
            ("changed", "status"),
            ("changed", "priority"),
            ("tag_added", "tags"),
            ("tag_removed", "tags"),
        ]
    );
    let values: Vec<(Option<String>, Option<String>)> = change
        .events()
        .into_iter()
        .map(|e| (e.from, e.to))
        .collect();
    assert_eq!(
        values,
        [
            (Some("open".to_owned()), Some("pending".to_owned())),
            (Some("normal".to_owned()), Some("urgent".to_owned())),
            (None, Some("billing".to_owned())),
            (Some("late".to_owned()), None),
        ]
    );
}

#[test]
fn clearing_the_assignee_and_group_records_null_as_the_new_value() {
    let mut current = ticket(TicketStatus::Open);
    current.assignee = Some("01JD00000000000000000AGENT".to_owned());
    let wanted = TicketChanges {
        assignee: Some(None),
        group: Some(None),
        ..TicketChanges::default()
    };
    let change = TicketChange::decide(&current, &wanted).expect("allowed");
    let events = change.events();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0].field, events[0].to.as_deref()),
        ("assignee", None)
    );
    assert_eq!(
        (events[1].field, events[1].from.as_deref()),
        ("group", Some("tier-1"))
    );
    let after = change.apply(&current);
    assert_eq!((after.assignee, after.group), (None, None));
}

#[test]
fn lookups_follow_what_the_change_touches() {
    assert_eq!(
        AssignmentLookups::of(&TicketChanges::default()),
        AssignmentLookups::default()
    );
    let assign = TicketChanges {
        assignee: Some(Some("agent-a".to_owned())),
        ..TicketChanges::default()
    };
    assert_eq!(
        AssignmentLookups::of(&assign),
        AssignmentLookups {
            assignee: Some("agent-a"),
            group: None,
            memberships_of: Some(Some("agent-a")),
        }
    );
    let regroup = TicketChanges {
        group: Some(Some("tier-2".to_owned())),
        ..TicketChanges::default()
    };
    assert_eq!(
        AssignmentLookups::of(&regroup),
        AssignmentLookups {
            assignee: None,
            group: Some("tier-2"),
            memberships_of: Some(None),
        }
    );
    let clear_group = TicketChanges {
        assignee: Some(Some("agent-a".to_owned())),
        group: Some(None),
        ..TicketChanges::default()
    };
    assert_eq!(AssignmentLookups::of(&clear_group).memberships_of, None);
}

#[test]
fn an_unknown_assignee_or_group_is_not_an_option() {
    let wanted = TicketChanges {
        assignee: Some(Some("agent-x".to_owned())),
        group: Some(Some("nowhere".to_owned())),
        ..TicketChanges::default()
    };
    let current = ticket(TicketStatus::Open);
    let refused = |found: AssignmentFacts| {
        check_assignment(&wanted, &current, &found)
            .map_err(|e| (e.field, e.code))
            .expect_err("refused")
    };
    assert_eq!(
        refused(AssignmentFacts {
            assignable: Some(false),
            group_exists: Some(false),
            member_of: Some(Vec::new()),
        }),
        ("assignee".to_owned(), FieldErrorCode::NotAnOption)
    );
    assert_eq!(
        refused(AssignmentFacts {
            assignable: Some(true),
            group_exists: Some(false),
            member_of: Some(Vec::new()),
        }),
        ("group".to_owned(), FieldErrorCode::NotAnOption)
    );
}

#[test]
fn an_assignee_outside_the_group_is_named_after_the_side_the_change_set() {
    let mut current = ticket(TicketStatus::Open);
    current.assignee = Some("agent-a".to_owned());
    let outside = AssignmentFacts {
        assignable: None,
        group_exists: Some(true),
        member_of: Some(vec!["tier-1".to_owned()]),
    };
    let field = |wanted: &TicketChanges, current: &TicketFields| {
        check_assignment(wanted, current, &outside)
            .err()
            .map(|e| (e.field, e.code))
    };
    let regroup = TicketChanges {
        group: Some(Some("tier-2".to_owned())),
        ..TicketChanges::default()
    };
    assert_eq!(
        field(&regroup, &current),
        Some(("group".to_owned(), FieldErrorCode::NotAGroupMember))
    );
    let both = TicketChanges {
        assignee: Some(Some("agent-a".to_owned())),
        ..regroup.clone()
    };
    assert_eq!(
        field(&both, &current),
        Some(("assignee".to_owned(), FieldErrorCode::NotAGroupMember))
    );
    // An unassigned ticket may move to any group; a member may stay.
    current.assignee = None;
    assert_eq!(field(&regroup, &current), None);
    let stay = TicketChanges {
        group: Some(Some("tier-1".to_owned())),
        ..TicketChanges::default()
    };
    current.assignee = Some("agent-a".to_owned());
    assert_eq!(field(&stay, &current), None);
}

const TAGS: [&str; 5] = ["billing", "late", "network", "vip", "sla-breached"];

fn any_status() -> impl Strategy<Value = TicketStatus> {
    proptest::sample::select(TicketStatus::ALL.to_vec())
}

fn any_priority() -> impl Strategy<Value = Priority> {
    proptest::sample::select(Priority::ALL.to_vec())
}

fn any_name(names: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(proptest::sample::select(names).prop_map(str::to_owned))
}

fn any_tags() -> impl Strategy<Value = std::collections::BTreeSet<String>> {
    proptest::collection::btree_set(proptest::sample::select(TAGS.to_vec()), 0..=TAGS.len())
        .prop_map(|set| set.into_iter().map(str::to_owned).collect())
}

fn any_fields() -> impl Strategy<Value = TicketFields> {
    (
        any_status(),
        any_priority(),
        any_name(&["agent-a", "agent-b"]),
        any_name(&["tier-1", "tier-2"]),
        any_tags(),
    )
        .prop_map(|(status, priority, assignee, group, tags)| TicketFields {
            status,
            priority,
            assignee,
            group,
            tags: tags.into_iter().collect(),
        })
}

/// Checked changes as `TicketChanges::parse` leaves them: tag lists sorted, deduplicated and
/// disjoint.
fn any_changes() -> impl Strategy<Value = TicketChanges> {
    (
        proptest::option::of(any_status()),
        proptest::option::of(any_priority()),
        proptest::option::of(any_name(&["agent-a", "agent-b"])),
        proptest::option::of(any_name(&["tier-1", "tier-2"])),
        any_tags(),
        any_tags(),
    )
        .prop_map(
            |(status, priority, assignee, group, add, remove)| TicketChanges {
                status,
                priority,
                assignee,
                group,
                tags_remove: remove.difference(&add).cloned().collect(),
                tags_add: add.into_iter().collect(),
            },
        )
}

/// Whether the change would alter `current` at all, ignoring whether it is allowed.
fn alters(current: &TicketFields, wanted: &TicketChanges) -> bool {
    wanted.status.is_some_and(|s| s != current.status)
        || wanted.priority.is_some_and(|p| p != current.priority)
        || wanted
            .assignee
            .as_ref()
            .is_some_and(|a| *a != current.assignee)
        || wanted.group.as_ref().is_some_and(|g| *g != current.group)
        || wanted.tags_after(&current.tags) != current.tags
}

proptest! {
    #[test]
    fn applying_a_change_then_its_inverse_restores_the_ticket(
        current in any_fields(),
        wanted in any_changes(),
    ) {
        if let Ok(change) = TicketChange::decide(&current, &wanted) {
            let mut restored = change.apply(&current);
            for field in change.fields.iter().rev() {
                field.inverse().apply_to(&mut restored);
            }
            prop_assert_eq!(restored, current);
        }
    }

    #[test]
    fn only_fields_that_differ_are_changed_and_each_has_an_event(
        current in any_fields(),
        wanted in any_changes(),
    ) {
        if let Ok(change) = TicketChange::decide(&current, &wanted) {
            for field in &change.fields {
                let differs = match field {
                    FieldChange::Status(from, to) => from != to,
                    FieldChange::Priority(from, to) => from != to,
                    FieldChange::Assignee(from, to) | FieldChange::Group(from, to) => from != to,
                    FieldChange::Tags { from, to } => from != to,
                };
                prop_assert!(differs, "{field:?}");
                prop_assert!(field.event_count() > 0, "{field:?}");
                for event in field.events() {
                    prop_assert_ne!(event.from, event.to);
                }
            }
            // Sending the same change again changes nothing.
            let after = change.apply(&current);
            let again = TicketChange::decide(&after, &wanted).expect("a no-op is allowed");
            prop_assert!(again.is_empty());
            prop_assert!(again.events().is_empty());
            prop_assert_eq!(change.is_empty(), !alters(&current, &wanted));
        }
    }

    #[test]
    fn tags_after_a_change_are_sorted_and_unique_and_differ_by_the_lists(
        current in any_fields(),
        wanted in any_changes(),
    ) {
        if let Ok(change) = TicketChange::decide(&current, &wanted) {
            let tags = &change.sla.tags;
            prop_assert!(tags.windows(2).all(|w| w[0] < w[1]), "{tags:?}");
            for tag in &wanted.tags_add {
                prop_assert!(tags.contains(tag));
            }
            for tag in &wanted.tags_remove {
                prop_assert!(!tags.contains(tag));
            }
            for tag in tags {
                prop_assert!(current.tags.contains(tag) || wanted.tags_add.contains(tag));
            }
            let added = change.events().iter().filter(|e| e.kind == "tag_added").count();
            let removed = change.events().iter().filter(|e| e.kind == "tag_removed").count();
            let before: std::collections::BTreeSet<_> = current.tags.iter().collect();
            let after: std::collections::BTreeSet<_> = tags.iter().collect();
            prop_assert_eq!(added, after.difference(&before).count());
            prop_assert_eq!(removed, before.difference(&after).count());
        }
    }

    #[test]
    fn a_refused_change_yields_no_change_at_all(
        current in any_fields(),
        wanted in any_changes(),
    ) {
        let illegal = wanted
            .status
            .is_some_and(|to| to != current.status && current.status.transition(to).is_err());
        let closed = current.status.is_final() && alters(&current, &wanted);
        match TicketChange::decide(&current, &wanted) {
            Ok(change) => {
                prop_assert!(!illegal && !closed);
                // Every status change is one the lifecycle allows, and the tracker hears of it.
                for field in &change.fields {
                    if let FieldChange::Status(from, to) = field {
                        prop_assert!(from.transition(*to).is_ok());
                        prop_assert_eq!(
                            &change.sla.happenings,
                            &vec![Happening::StatusChanged { from: *from, to: *to }]
                        );
                    }
                }
            }
            Err(Refusal::IllegalTransition(e)) => {
                prop_assert!(illegal);
                prop_assert_eq!(Some(e.to), wanted.status);
            }
            Err(Refusal::ClosedIsFinal) => prop_assert!(closed && !illegal),
        }
    }
}

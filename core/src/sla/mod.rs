//! SLA clocks: business-hours calendars, policies, and the due/elapsed calculations over them (pure).

mod calendar;
mod clock;
mod policy;
mod tracker;

pub use calendar::{BusinessCalendar, CalendarError, Holiday, WorkInterval};
pub use clock::{
    ClockError, ClockStatus, Pause, WarningLead, business_time_between, clock_status, due_at,
};
pub use policy::{
    Actions, CalendarInput, CalendarSpec, Conditions, ConditionsInput, Escalation, EscalationInput,
    GROUP_RULE, HolidayInput, HoursInput, MAX_TARGET_MINUTES, MatchFacts, Metric, MetricTargets,
    PolicyInput, SlaPolicy, Target, TargetInput, Trigger, UnknownMetric, WEEKDAYS, WarningInput,
    default_pause_statuses, parse_tag,
};
pub use tracker::{
    Clock, Happening, PolicyChoice, Reading, SlaState, SweepStep, TicketFacts, Update, applicable,
    clock_view, format_instant, parse_instant, promise, read, sweep_step, update,
};

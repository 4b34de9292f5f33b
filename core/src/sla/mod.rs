//! SLA clocks: business-hours calendars and the due/elapsed calculations over them (pure).

mod calendar;
mod clock;

pub use calendar::{BusinessCalendar, CalendarError, Holiday, WorkInterval};
pub use clock::{
    ClockError, ClockStatus, Pause, WarningLead, business_time_between, clock_status, due_at,
};

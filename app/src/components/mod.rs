//! Reusable pieces of the portal's pages.

mod form_field;
mod language_switcher;
mod local_time;
mod promises;
mod reply_form;
mod shell;
mod text_field;
mod timeline;

pub use form_field::{FormField, answer_id, level_label, localized};
pub use language_switcher::LanguageSwitcher;
pub use local_time::local_time;
pub use promises::promises_list;
pub use reply_form::ReplyForm;
pub use shell::Shell;
pub use text_field::TextField;
pub use timeline::timeline_list;

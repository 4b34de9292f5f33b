//! Reusable pieces of the portal's pages.

mod form_field;
mod language_switcher;
mod shell;
mod text_field;

pub use form_field::{FormField, answer_id, level_label, localized};
pub use language_switcher::LanguageSwitcher;
pub use shell::Shell;
pub use text_field::TextField;

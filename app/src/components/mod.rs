//! Reusable pieces of the portal's pages.

mod language_switcher;
mod shell;
mod text_field;

pub use language_switcher::LanguageSwitcher;
pub use shell::Shell;
pub use text_field::TextField;

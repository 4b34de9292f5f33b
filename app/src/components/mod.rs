//! Reusable pieces of the portal's pages.

mod shell;
mod text_field;

pub use shell::Shell;
pub use text_field::TextField;

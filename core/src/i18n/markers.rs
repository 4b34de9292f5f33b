//! The control characters that structure a compiled message text (shared with `build.rs`,
//! which makes sure no translation contains them).

/// Separates the files of a fetched bundle (one locale's texts of several files).
pub const FILE: char = '\u{1c}';
/// Separates the messages of one locale's text (in the order of the file's sorted ids).
pub const RECORD: char = '\u{1e}';
/// A message this locale does not have: it falls back to English.
pub const MISSING: &str = "\u{1a}";
/// `{ $name }`: `ARG`, isolate flag (`1` or `0`), name, `END_NAME`.
pub const ARG: char = '\u{1}';
/// Ends a variable's name.
pub const END_NAME: char = '\u{2}';
/// `{ $name -> … }`: `SELECT`, isolate flag, name, `END_NAME`, the default variant's index,
/// then the variants and `END_SELECT`.
pub const SELECT: char = '\u{3}';
/// A variant: `VARIANT`, its key (a plural category, or `=` and a whole number), `END_KEY`,
/// then its parts.
pub const VARIANT: char = '\u{4}';
/// Ends a variant's key.
pub const END_KEY: char = '\u{5}';
/// Ends a select.
pub const END_SELECT: char = '\u{6}';

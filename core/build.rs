//! Compiles `locales/<lang>/*.ftl` into one compact text per file and locale
//! (`$OUT_DIR/messages.rs`), so the portal formats its texts without parsing Fluent at run time;
//! see `src/i18n/messages.rs`.
//!
//! Only the Fluent our files use is accepted (text, `{ $var }`, string literals, and selects on
//! a variable with plural-category or number keys); anything else fails the build, so the
//! tables never silently differ from what `fluent-bundle` makes of the same files.

use std::fmt::Write as _;
use std::path::Path;

#[path = "src/i18n/markers.rs"]
mod markers;
use markers::{ARG, END_KEY, END_NAME, END_SELECT, FILE, MISSING, RECORD, SELECT, VARIANT};

use fluent_syntax::ast::{
    Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
};

const LOCALES: [(&str, &str); 5] = [
    ("En", "en"),
    ("He", "he"),
    ("Pl", "pl"),
    ("El", "el"),
    ("Uz", "uz"),
];
const FILES: [&str; 3] = ["portal", "fields", "api"];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales");
    println!("cargo:rerun-if-changed={}", root.display());
    // The portal's wasm: only English is compiled in; the other locales' texts are fetched.
    // Native builds keep every locale even when a workspace build unifies the portal's features
    // into theirs (tests, clippy).
    let fetched = std::env::var_os("CARGO_FEATURE_FETCHED_TEXTS").is_some()
        && std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let mut out = String::new();
    let mut own_names = Vec::new();
    for (slot, file) in FILES.into_iter().enumerate() {
        let mut per_locale = Vec::new();
        for (variant, code) in LOCALES {
            let path = root.join(code).join(format!("{file}.ftl"));
            println!("cargo:rerun-if-changed={}", path.display());
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let messages = messages(&path, &source);
            if file == "portal" {
                own_names.push(own_name(&messages, &path));
            }
            per_locale.push((variant, messages));
        }
        // Every id of any locale, sorted; a locale without one falls back to English.
        let mut ids: Vec<&str> = per_locale
            .iter()
            .flat_map(|(_, messages)| messages.iter().map(|(id, _)| id.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let _ = writeln!(
            out,
            "/// `{file}.ftl`: its message ids, sorted, and one text per locale.\n\
             #[allow(non_upper_case_globals)]\n\
             pub const {file}: File = File::new({slot}, &{ids:?}, |locale| match locale {{"
        );
        for (variant, messages) in &per_locale {
            if fetched && *variant != "En" {
                continue;
            }
            let records: Vec<&str> = ids
                .iter()
                .map(|id| {
                    messages
                        .binary_search_by(|(key, _)| key.as_str().cmp(id))
                        .map_or(MISSING, |at| messages[at].1.as_str())
                })
                .collect();
            let _ = writeln!(
                out,
                "    Locale::{variant} => {:?},",
                records.join(&RECORD.to_string())
            );
        }
        if fetched {
            let _ = writeln!(out, "    other => super::fetched(other, {slot}),");
        }
        let _ = writeln!(out, "}});\n");
    }
    let _ = writeln!(
        out,
        "/// How many files there are (slots of fetched texts).\n\
         pub const COUNT: usize = {};\n\n\
         /// Each locale's name for itself (its `language-name`), in `Locale::ALL` order: always\n\
         /// compiled in, since the language menu shows every locale.\n\
         pub const OWN_NAMES: [&str; {}] = {own_names:?};",
        FILES.len(),
        LOCALES.len(),
    );
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("messages.rs"), out).expect("writing messages.rs");
    std::fs::write(Path::new(&out_dir).join("ids.rs"), ids(&root)).expect("writing ids.rs");
}

/// One `MessageId` constant per message of the English files (the reference; a test keeps the
/// other locales to the same ids), named by the id in upper case (`field-error-too_short` is
/// `FIELD_ERROR_TOO_SHORT`), and `ALL` of them: code names messages by these, so an id that no
/// file has does not build.
fn ids(root: &Path) -> String {
    let mut all: Vec<(String, &str)> = Vec::new();
    for file in ["portal", "fields", "api", "widget"] {
        let path = root.join("en").join(format!("{file}.ftl"));
        println!("cargo:rerun-if-changed={}", path.display());
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        all.extend(
            messages(&path, &source)
                .into_iter()
                .map(|(id, _)| (id, file)),
        );
    }
    all.sort();
    let mut out = String::new();
    let mut names: Vec<String> = Vec::new();
    for (id, file) in &all {
        let name = id.to_uppercase().replace(['-', '_'], "_");
        assert!(
            !names.contains(&name),
            "{file}.ftl: {id} makes the same constant as another id ({name})"
        );
        let _ = writeln!(
            out,
            "/// `{id}` ({file}.ftl).\npub const {name}: MessageId = MessageId({id:?});"
        );
        names.push(name);
    }
    let _ = writeln!(
        out,
        "\n/// Every message id, sorted.\npub const ALL: [MessageId; {}] = [{}];",
        names.len(),
        names.join(", ")
    );
    out
}

/// A locale's `language-name` (plain text: the language menu shows it as is).
fn own_name(messages: &[(String, String)], path: &Path) -> String {
    let name = messages
        .iter()
        .find(|(id, _)| id == "language-name")
        .map(|(_, text)| text.clone())
        .unwrap_or_else(|| panic!("{}: no language-name", path.display()));
    assert!(
        !name.contains([ARG, SELECT]),
        "{}: language-name must be plain text",
        path.display()
    );
    name
}

/// Every message with a value, as (id, Rust expression of its parts), sorted by id.
fn messages(path: &Path, source: &str) -> Vec<(String, String)> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{} does not parse: {errors:?}", path.display()));
    let mut messages: Vec<(String, String)> = resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(message) => {
                let id = message.id.name.to_owned();
                let value = message.value.as_ref()?;
                Some((
                    id.clone(),
                    pattern(value, &format!("{}: {id}", path.display())),
                ))
            }
            Entry::Term(term) => panic!(
                "{}: terms are not supported (-{})",
                path.display(),
                term.id.name
            ),
            _ => None,
        })
        .collect();
    messages.sort();
    messages.dedup_by(|a, b| a.0 == b.0);
    messages
}

/// `pattern` as a compiled text (see `src/i18n/markers.rs`); placeables are isolated as
/// `fluent-bundle` isolates them: when the pattern has more than one element and the placeable
/// is not a literal (and only in right-to-left locales, decided at run time).
fn pattern(pattern: &Pattern<&str>, at: &str) -> String {
    let isolate = if pattern.elements.len() > 1 { '1' } else { '0' };
    let mut out = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => out.push_str(&text(value, at)),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    let literal = fluent_syntax::unicode::unescape_unicode_to_string(value);
                    out.push_str(&text(&literal, at));
                }
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    let _ = write!(out, "{ARG}{isolate}{}{END_NAME}", id.name);
                }
                Expression::Select { selector, variants } => {
                    let InlineExpression::VariableReference { id } = selector else {
                        panic!("{at}: only variables can be selectors");
                    };
                    let default = variants
                        .iter()
                        .position(|v| v.default)
                        .unwrap_or_else(|| panic!("{at}: a select needs a default variant"));
                    let _ = write!(out, "{SELECT}{isolate}{}{END_NAME}{default}", id.name);
                    for variant in variants {
                        let key = match &variant.key {
                            VariantKey::Identifier { name } => (*name).to_owned(),
                            VariantKey::NumberLiteral { value } => {
                                let number: u32 = value.parse().unwrap_or_else(|_| {
                                    panic!("{at}: key {value} (only whole numbers)")
                                });
                                format!("={number}")
                            }
                        };
                        let _ = write!(
                            out,
                            "{VARIANT}{key}{END_KEY}{}",
                            self::pattern(&variant.value, at)
                        );
                    }
                    out.push(END_SELECT);
                }
                other => panic!("{at}: unsupported placeable {other:?}"),
            },
        }
    }
    out
}

/// A translation's text, checked to hold none of the markers.
fn text(value: &str, at: &str) -> String {
    let is_marker = |c: char| {
        matches!(
            c,
            ARG | END_NAME | SELECT | VARIANT | END_KEY | END_SELECT | RECORD | FILE
        ) || MISSING.contains(c)
    };
    assert!(
        !value.chars().any(is_marker),
        "{at}: a control character in the text"
    );
    value.to_owned()
}

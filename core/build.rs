//! Compiles `locales/<lang>/*.ftl` into static message tables (`$OUT_DIR/messages.rs`), so the
//! portal formats its texts without parsing Fluent at run time; see `src/i18n/messages.rs`.
//!
//! Only the Fluent our files use is accepted (text, `{ $var }`, string literals, and selects on
//! a variable with plural-category or number keys); anything else fails the build, so the
//! tables never silently differ from what `fluent-bundle` makes of the same files.

use std::fmt::Write as _;
use std::path::Path;

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
    let mut out = String::new();
    for file in FILES {
        let _ = writeln!(
            out,
            "/// `{file}.ftl` in `locale`, sorted by message id.\n#[must_use]\n\
             pub fn {file}(locale: Locale) -> Table {{\n    match locale {{"
        );
        for (variant, code) in LOCALES {
            let path = root.join(code).join(format!("{file}.ftl"));
            println!("cargo:rerun-if-changed={}", path.display());
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let _ = writeln!(out, "        Locale::{variant} => &[");
            for (id, parts) in messages(&path, &source) {
                let _ = writeln!(out, "            ({id:?}, &[{parts}]),");
            }
            let _ = writeln!(out, "        ],");
        }
        let _ = writeln!(out, "    }}\n}}\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("messages.rs");
    std::fs::write(&dest, out).expect("writing messages.rs");
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

/// The parts of `pattern`; placeables are isolated as `fluent-bundle` isolates them: when the
/// pattern has more than one element and the placeable is not a literal (and only in RTL
/// locales, decided at run time).
fn pattern(pattern: &Pattern<&str>, at: &str) -> String {
    let isolate = pattern.elements.len() > 1;
    let mut parts = Vec::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => parts.push(format!("Part::Text({value:?})")),
            PatternElement::Placeable { expression } => match expression {
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    let text = fluent_syntax::unicode::unescape_unicode_to_string(value);
                    parts.push(format!("Part::Text({:?})", text.as_ref()));
                }
                Expression::Inline(InlineExpression::VariableReference { id }) => {
                    parts.push(format!(
                        "Part::Arg {{ name: {:?}, isolate: {isolate} }}",
                        id.name
                    ));
                }
                Expression::Select { selector, variants } => {
                    let InlineExpression::VariableReference { id } = selector else {
                        panic!("{at}: only variables can be selectors");
                    };
                    let default = variants
                        .iter()
                        .position(|v| v.default)
                        .unwrap_or_else(|| panic!("{at}: a select needs a default variant"));
                    let arms: Vec<String> = variants
                        .iter()
                        .map(|variant| {
                            let key = match &variant.key {
                                VariantKey::Identifier { name } => {
                                    format!("Key::Category({name:?})")
                                }
                                VariantKey::NumberLiteral { value } => {
                                    let number: f64 = value
                                        .parse()
                                        .unwrap_or_else(|_| panic!("{at}: key {value}"));
                                    format!("Key::Number({number:?})")
                                }
                            };
                            format!("({key}, &[{}])", self::pattern(&variant.value, at))
                        })
                        .collect();
                    parts.push(format!(
                        "Part::Select {{ name: {:?}, isolate: {isolate}, default: {default}, \
                         variants: &[{}] }}",
                        id.name,
                        arms.join(", ")
                    ));
                }
                other => panic!("{at}: unsupported placeable {other:?}"),
            },
        }
    }
    parts.join(", ")
}

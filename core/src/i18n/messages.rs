//! The `.ftl` files compiled at build time (`build.rs`) into static tables, and a formatter
//! that gives the same text as `fluent-bundle` without parsing Fluent at run time: the portal
//! uses it to stay small. Plural categories come from the JavaScript host's `Intl.PluralRules`
//! in wasm and from `intl_pluralrules` (what `fluent-bundle` uses) natively; the tests check
//! every message against `fluent-bundle`.

use super::Locale;
use crate::validation::FieldErrorCode;

/// A piece of a message.
#[derive(Debug)]
pub enum Part {
    Text(&'static str),
    /// `{ $name }`; `isolate`: wrapped in FSI/PDI in right-to-left locales, as Fluent does.
    Arg {
        name: &'static str,
        isolate: bool,
    },
    /// `{ $name -> [key] … *[default] … }`.
    Select {
        name: &'static str,
        isolate: bool,
        default: usize,
        variants: &'static [(Key, &'static [Part])],
    },
}

/// A select variant's key.
#[derive(Debug)]
pub enum Key {
    /// A CLDR plural category (`one`, `few`, …).
    Category(&'static str),
    /// An exact number.
    Number(f64),
}

/// One file's messages in one locale, sorted by id.
pub type Table = &'static [(&'static str, &'static [Part])];
/// One translation file: its table in a locale.
pub type File = fn(Locale) -> Table;

/// The compiled files, one function per file (`portal`, `fields`, `api`).
pub mod files {
    use super::{Key, Locale, Part, Table};
    include!(concat!(env!("OUT_DIR"), "/messages.rs"));
}

/// Some compiled files, looked up in order.
pub struct Messages {
    files: &'static [File],
}

impl Messages {
    #[must_use]
    pub const fn new(files: &'static [File]) -> Self {
        Self { files }
    }

    fn find(&self, locale: Locale, id: &str) -> Option<&'static [Part]> {
        self.files.iter().find_map(|file| {
            let table = file(locale);
            let at = table.binary_search_by(|(key, _)| (*key).cmp(id)).ok()?;
            Some(table[at].1)
        })
    }

    /// Whether `locale` itself (not a fallback) has message `id`.
    #[must_use]
    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.find(locale, id).is_some()
    }

    /// Message `id` in `locale`, else in English, else `id` itself; `arg` is its one numeric
    /// argument, if any (a missing one shows as `{$name}`, as in Fluent).
    #[must_use]
    pub fn format(&self, locale: Locale, id: &str, arg: Option<(&str, u32)>) -> String {
        let found = self
            .find(locale, id)
            .map(|parts| (locale, parts))
            .or_else(|| self.find(Locale::En, id).map(|parts| (Locale::En, parts)));
        let Some((locale, parts)) = found else {
            return id.to_owned();
        };
        let mut out = String::new();
        write(&mut out, locale, parts, arg);
        out
    }

    /// Message `id` with one numeric argument (plural choice follows it).
    #[must_use]
    pub fn format_count(&self, locale: Locale, id: &str, name: &str, count: u32) -> String {
        self.format(locale, id, Some((name, count)))
    }

    /// The message for a field error, by its stable `code` and `limit` (needs [`files::fields`]);
    /// as [`super::Catalog::field_error`].
    #[must_use]
    pub fn field_error(&self, locale: Locale, code: FieldErrorCode, limit: Option<u32>) -> String {
        let id = super::field_error_id(code);
        match limit {
            Some(limit) => self.format_count(locale, &id, "limit", limit),
            None if matches!(code, FieldErrorCode::TooShort | FieldErrorCode::TooLong) => {
                self.format(locale, &format!("{id}-nolimit"), None)
            }
            None => self.format(locale, &id, None),
        }
    }
}

fn write(out: &mut String, locale: Locale, parts: &[Part], arg: Option<(&str, u32)>) {
    for part in parts {
        let (isolate, value) = match part {
            Part::Text(text) => {
                out.push_str(text);
                continue;
            }
            Part::Arg { name, isolate } => (*isolate, arg.filter(|(n, _)| n == name)),
            Part::Select { name, isolate, .. } => (*isolate, arg.filter(|(n, _)| n == name)),
        };
        let isolate = isolate && locale.is_rtl();
        if isolate {
            out.push('\u{2068}');
        }
        match (part, value) {
            (Part::Arg { .. }, Some((_, number))) => out.push_str(&format_number(locale, number)),
            (Part::Arg { name, .. }, None) => {
                out.push_str("{$");
                out.push_str(name);
                out.push('}');
            }
            (
                Part::Select {
                    default, variants, ..
                },
                value,
            ) => {
                let chosen = value
                    .and_then(|(_, number)| {
                        let category = plural_category(locale, number);
                        variants.iter().find(|(key, _)| match key {
                            Key::Number(exact) => *exact == f64::from(number),
                            Key::Category(name) => category.as_deref() == Some(*name),
                        })
                    })
                    .or_else(|| variants.get(*default));
                if let Some((_, parts)) = chosen {
                    write(out, locale, parts, arg);
                }
            }
            (Part::Text(_), _) => {}
        }
        if isolate {
            out.push('\u{2069}');
        }
    }
}

/// The locale's digits and grouping, as the Fluent catalogs format numbers.
fn format_number(locale: Locale, number: u32) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Number::from(f64::from(number))
            .to_locale_string(locale.bcp47())
            .as_string()
            .unwrap_or_else(|| number.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = locale;
        number.to_string()
    }
}

/// The CLDR cardinal plural category of `number` in `locale`.
fn plural_category(locale: Locale, number: u32) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let locales = js_sys::Array::of1(&locale.bcp47().into());
        let rules = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
        rules.select(f64::from(number)).as_string()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
        let langid: unic_langid::LanguageIdentifier = locale.code().parse().ok()?;
        let rules = PluralRules::create(langid, PluralRuleType::CARDINAL).ok()?;
        Some(
            match rules.select(number).ok()? {
                PluralCategory::ZERO => "zero",
                PluralCategory::ONE => "one",
                PluralCategory::TWO => "two",
                PluralCategory::FEW => "few",
                PluralCategory::MANY => "many",
                PluralCategory::OTHER => "other",
            }
            .to_owned(),
        )
    }
}

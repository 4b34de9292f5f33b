//! The `.ftl` files compiled at build time (`build.rs`) into one compact text per locale, and
//! a formatter that gives the same text as `fluent-bundle` without parsing Fluent at run time:
//! the portal uses it to stay small. Plural categories come from the JavaScript host's `Intl.PluralRules`
//! in wasm and from `intl_pluralrules` (what `fluent-bundle` uses) natively; the tests check
//! every message against `fluent-bundle`.

use super::Locale;
use super::markers::{ARG, END_KEY, END_NAME, END_SELECT, MISSING, RECORD, SELECT, VARIANT};
use crate::validation::FieldErrorCode;

/// One translation file: its message ids (sorted) and, per locale, one text holding every
/// message in that order (separated by [`RECORD`]; see `markers.rs` for the rest). One string
/// per locale rather than tables of parts: no pointers to ship, which halves its download.
#[derive(Clone, Copy)]
pub struct File {
    ids: &'static [&'static str],
    text: fn(Locale) -> &'static str,
}

impl File {
    #[must_use]
    pub const fn new(ids: &'static [&'static str], text: fn(Locale) -> &'static str) -> Self {
        Self { ids, text }
    }

    /// Message `id` in `locale` itself (compiled form), if that locale has it.
    fn get(self, locale: Locale, id: &str) -> Option<&'static str> {
        let at = self.ids.binary_search(&id).ok()?;
        (self.text)(locale)
            .split(RECORD)
            .nth(at)
            .filter(|message| *message != MISSING)
    }

    /// How many messages `locale` has in this file.
    #[must_use]
    pub fn count(self, locale: Locale) -> usize {
        (self.text)(locale)
            .split(RECORD)
            .filter(|message| *message != MISSING)
            .count()
    }
}

/// The compiled files (`portal`, `fields`, `api`).
pub mod files {
    use super::{File, Locale};
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

    fn find(&self, locale: Locale, id: &str) -> Option<&'static str> {
        self.files.iter().find_map(|file| file.get(locale, id))
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
            .map(|message| (locale, message))
            .or_else(|| {
                self.find(Locale::En, id)
                    .map(|message| (Locale::En, message))
            });
        let Some((locale, message)) = found else {
            return id.to_owned();
        };
        let mut out = String::new();
        write(&mut out, locale, message, arg);
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

/// Writes the compiled parts in `parts` (a whole message or one variant's body).
fn write(out: &mut String, locale: Locale, mut parts: &str, arg: Option<(&str, u32)>) {
    while let Some(at) = parts.find([ARG, SELECT]) {
        out.push_str(&parts[..at]);
        let marker = parts[at..].chars().next();
        let placeable = &parts[at + 1..];
        // Isolate flag, then the variable's name.
        let isolate = placeable.starts_with('1') && locale.is_rtl();
        let (name, rest) = placeable
            .get(1..)
            .and_then(|p| p.split_once(END_NAME))
            .unwrap_or(("", ""));
        let value = arg.filter(|(n, _)| *n == name).map(|(_, number)| number);
        if isolate {
            out.push('\u{2068}');
        }
        parts = if marker == Some(ARG) {
            match value {
                Some(number) => out.push_str(&format_number(locale, number)),
                None => {
                    out.push_str("{$");
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest
        } else {
            let (chosen, rest) = select(locale, rest, value);
            if let Some(body) = chosen {
                write(out, locale, body, arg);
            }
            rest
        };
        if isolate {
            out.push('\u{2069}');
        }
    }
    out.push_str(parts);
}

/// A select after its name: the variant `value` picks (the first whose key matches, else the
/// default) and what follows the select.
fn select(locale: Locale, select: &str, value: Option<u32>) -> (Option<&str>, &str) {
    let (default, mut rest) = select.split_once(VARIANT).unwrap_or((select, ""));
    let default: usize = default.parse().unwrap_or(0);
    let category = value.and_then(|number| plural_category(locale, number));
    let (mut matched, mut fallback) = (None, None);
    let mut index = 0;
    loop {
        let (key, after_key) = rest.split_once(END_KEY).unwrap_or(("", ""));
        let end = body_end(after_key);
        let body = &after_key[..end];
        let hit = match key.strip_prefix('=') {
            Some(number) => value.is_some() && number.parse::<u32>().ok() == value,
            None => category.as_deref() == Some(key),
        };
        if hit && matched.is_none() {
            matched = Some(body);
        }
        if index == default {
            fallback = Some(body);
        }
        index += 1;
        let next = &after_key[end..];
        match next.chars().next() {
            Some(VARIANT) => rest = &next[VARIANT.len_utf8()..],
            _ => {
                let after = next.get(END_SELECT.len_utf8()..).unwrap_or("");
                return (matched.or(fallback), after);
            }
        }
    }
}

/// Where a variant's body ends: at the next [`VARIANT`] or [`END_SELECT`] of this select,
/// skipping those of selects nested in it.
fn body_end(body: &str) -> usize {
    let mut depth = 0usize;
    for (at, c) in body.char_indices() {
        match c {
            SELECT => depth += 1,
            END_SELECT if depth > 0 => depth -= 1,
            VARIANT | END_SELECT if depth == 0 => return at,
            _ => {}
        }
    }
    body.len()
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

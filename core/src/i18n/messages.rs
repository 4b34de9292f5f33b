//! The `.ftl` files compiled at build time (`build.rs`) into one compact text per locale, and
//! a formatter that gives the same text as `fluent-bundle` without parsing Fluent at run time:
//! the portal uses it to stay small. Plural categories come from the JavaScript host's `Intl.PluralRules`
//! in wasm and from `intl_pluralrules` (what `fluent-bundle` uses) natively; the tests check
//! every message against `fluent-bundle`.

use super::markers::{ARG, END_KEY, END_NAME, END_SELECT, FILE, MISSING, RECORD, SELECT, VARIANT};
use super::{Locale, MessageId};
use crate::validation::FieldErrorCode;

/// One translation file: its message ids (sorted) and, per locale, one text holding every
/// message in that order (separated by [`RECORD`]; see `markers.rs` for the rest). One string
/// per locale rather than tables of parts: no pointers to ship, which halves its download.
/// A locale's text may also be empty: with the feature `fetched-texts`, until it is fetched.
#[derive(Clone, Copy)]
pub struct File {
    /// This file's place among the compiled files (its slot for fetched texts).
    slot: usize,
    ids: &'static [&'static str],
    text: fn(Locale) -> &'static str,
}

impl File {
    #[must_use]
    pub const fn new(
        slot: usize,
        ids: &'static [&'static str],
        text: fn(Locale) -> &'static str,
    ) -> Self {
        Self { slot, ids, text }
    }

    /// `locale`'s messages, in id order (none while its text is not there).
    fn records(self, locale: Locale) -> impl Iterator<Item = &'static str> {
        let text = (self.text)(locale);
        text.split(RECORD).filter(move |_| !text.is_empty())
    }

    /// Message `id` in `locale` itself (compiled form), if that locale has it.
    fn get(self, locale: Locale, id: &str) -> Option<&'static str> {
        let at = self.ids.binary_search(&id).ok()?;
        self.records(locale)
            .nth(at)
            .filter(|message| *message != MISSING)
    }

    /// How many messages `locale` has in this file.
    #[must_use]
    pub fn count(self, locale: Locale) -> usize {
        self.records(locale)
            .filter(|message| *message != MISSING)
            .count()
    }
}

/// The files the portal shows, in the order of its fetched bundles.
pub const PORTAL_FILES: [File; 2] = [files::portal, files::fields];

/// One locale's texts of `files`, as one download: what [`install`] takes. Built natively
/// (without `fetched-texts`), where every locale is compiled in.
#[must_use]
pub fn bundle(locale: Locale, files: &[File]) -> String {
    let texts: Vec<&str> = files.iter().map(|file| (file.text)(locale)).collect();
    texts.join(&FILE.to_string())
}

/// Why a fetched bundle was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum InstallError {
    #[error("English is compiled in, not fetched")]
    English,
    #[error("the bundle has {found} files, not {expected}")]
    Files { expected: usize, found: usize },
    #[error("file {slot} of the bundle has {found} messages, not {expected}: another build's")]
    Messages {
        slot: usize,
        expected: usize,
        found: usize,
    },
}

/// The texts fetched at run time, per locale and file slot (each set once, for the page's life).
static FETCHED: [[std::sync::OnceLock<&'static str>; files::COUNT]; Locale::ALL.len()] =
    [const { [const { std::sync::OnceLock::new() }; files::COUNT] }; Locale::ALL.len()];

/// `locale`'s text of the file in `slot`, once installed (else empty: English stands in).
#[cfg_attr(
    not(all(feature = "fetched-texts", target_arch = "wasm32")),
    allow(dead_code)
)]
fn fetched(locale: Locale, slot: usize) -> &'static str {
    FETCHED[locale as usize][slot]
        .get()
        .copied()
        .unwrap_or_default()
}

/// Takes a [`bundle`] of `files` for `locale` (fetched by the portal). A bundle of another build
/// (other files or other message ids) is refused whole, so no message can land under another's id.
///
/// # Errors
/// [`InstallError`] when the bundle does not fit `files`.
pub fn install(locale: Locale, files: &[File], bundle: String) -> Result<(), InstallError> {
    if locale == Locale::En {
        return Err(InstallError::English);
    }
    let texts: Vec<&str> = bundle.split(FILE).collect();
    if texts.len() != files.len() {
        return Err(InstallError::Files {
            expected: files.len(),
            found: texts.len(),
        });
    }
    for (file, text) in files.iter().zip(&texts) {
        let found = text.split(RECORD).count();
        if found != file.ids.len() {
            return Err(InstallError::Messages {
                slot: file.slot,
                expected: file.ids.len(),
                found,
            });
        }
    }
    // Kept for the page's life (at most one download per locale), so it can be `'static`.
    let bundle: &'static str = Box::leak(bundle.into_boxed_str());
    for (file, text) in files.iter().zip(bundle.split(FILE)) {
        let _ = FETCHED[locale as usize][file.slot].set(text);
    }
    Ok(())
}

/// Whether `locale`'s texts of every file in `files` are there (compiled in or installed).
#[must_use]
pub fn has_texts(locale: Locale, files: &[File]) -> bool {
    files.iter().all(|file| !(file.text)(locale).is_empty())
}

/// `locale`'s name for itself, in its own language and script (always compiled in).
#[must_use]
pub fn own_name(locale: Locale) -> &'static str {
    files::OWN_NAMES[locale as usize]
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
    pub fn has_message(&self, locale: Locale, id: MessageId) -> bool {
        self.has(locale, id.as_str())
    }

    /// Message `id` in `locale`, else in English, else `id` itself; `arg` is its one numeric
    /// argument, if any (a missing one shows as `{$name}`, as in Fluent).
    #[must_use]
    pub fn message(&self, locale: Locale, id: MessageId, arg: Option<(&str, u32)>) -> String {
        self.format(locale, id.as_str(), arg)
    }

    /// Message `id` with one numeric argument (plural choice follows it).
    #[must_use]
    pub fn message_count(&self, locale: Locale, id: MessageId, name: &str, count: u32) -> String {
        self.message(locale, id, Some((name, count)))
    }

    /// [`Self::has_message`] for an id known only at run time (the tests).
    pub(crate) fn has(&self, locale: Locale, id: &str) -> bool {
        self.find(locale, id).is_some()
    }

    /// [`Self::message`] for an id known only at run time (the tests, field errors).
    pub(crate) fn format(&self, locale: Locale, id: &str, arg: Option<(&str, u32)>) -> String {
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

    /// The message for a field error, by its stable `code` and `limit` (needs [`files::fields`]);
    /// as [`super::Catalog::field_error`].
    #[must_use]
    pub fn field_error(&self, locale: Locale, code: FieldErrorCode, limit: Option<u32>) -> String {
        let id = super::field_error_text_id(code);
        match limit {
            Some(limit) => self.format(locale, &id, Some(("limit", limit))),
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

#[cfg(test)]
mod tests {
    use super::super::ids;
    use super::*;

    /// `portal` as the portal's build compiles it: English in, the rest fetched.
    const FETCHED_PORTAL: File = File::new(0, files::portal.ids, |locale| match locale {
        Locale::En => (files::portal.text)(Locale::En),
        other => fetched(other, 0),
    });
    static FETCHED_ONLY: Messages = Messages::new(&[FETCHED_PORTAL]);
    static COMPILED: Messages = Messages::new(&[files::portal]);

    #[test]
    fn a_fetched_locale_shows_english_until_installed_then_its_own_texts() {
        let locale = Locale::Uz;
        assert!(!has_texts(locale, &[FETCHED_PORTAL]));
        assert_eq!(
            FETCHED_ONLY.message(locale, ids::CATALOG_TITLE, None),
            COMPILED.message(Locale::En, ids::CATALOG_TITLE, None)
        );

        install(locale, &[FETCHED_PORTAL], bundle(locale, &[files::portal])).expect("fits");
        assert!(has_texts(locale, &[FETCHED_PORTAL]));
        assert_ne!(
            COMPILED.message(locale, ids::CATALOG_TITLE, None),
            COMPILED.message(Locale::En, ids::CATALOG_TITLE, None),
            "Uzbek has its own title, or this test proves nothing"
        );
        for id in files::portal.ids {
            for count in [0, 1, 2, 5, 21] {
                assert_eq!(
                    FETCHED_ONLY.format(locale, id, Some(("count", count))),
                    COMPILED.format(locale, id, Some(("count", count))),
                    "{id} ({count})"
                );
            }
        }
    }

    #[test]
    fn bundles_of_another_build_are_refused_whole() {
        let locale = Locale::Pl;
        let good = bundle(locale, &[files::portal]);
        assert_eq!(
            install(locale, &[FETCHED_PORTAL], format!("{good}{FILE}{good}")),
            Err(InstallError::Files {
                expected: 1,
                found: 2
            })
        );
        let stale = good
            .rsplit_once(RECORD)
            .expect("several messages")
            .0
            .to_owned();
        assert_eq!(
            install(locale, &[FETCHED_PORTAL], stale),
            Err(InstallError::Messages {
                slot: 0,
                expected: files::portal.ids.len(),
                found: files::portal.ids.len() - 1
            })
        );
        assert_eq!(
            install(Locale::En, &[FETCHED_PORTAL], good),
            Err(InstallError::English)
        );
        assert!(!has_texts(locale, &[FETCHED_PORTAL]));
    }

    #[test]
    fn own_names_are_each_locales_language_name() {
        for locale in Locale::ALL {
            assert_eq!(
                own_name(locale),
                COMPILED.message(locale, ids::LANGUAGE_NAME, None)
            );
        }
        assert_ne!(own_name(Locale::He), own_name(Locale::En));
    }
}

//! Translations shared by the portal and the worker, compiled from `locales/<lang>/*.ftl`.
//!
//! The supported locales, language negotiation and Fluent catalogs.
//! Plural choice follows CLDR through `fluent-bundle` (`intl_pluralrules`), never our own code.
//! Each binary includes only the files it asks for: the portal `portal` + `fields`, the worker
//! `api` + `fields`.

use std::cell::OnceCell;

use fluent_bundle::{FluentBundle, FluentResource};
use unic_langid::LanguageIdentifier;

use crate::validation::FieldErrorCode;

pub use fluent_bundle::{FluentArgs, FluentValue};

/// A language the portal and the API speak. English is the reference and the last fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    He,
    Pl,
    El,
    Uz,
}

impl Locale {
    /// Every supported locale, English first.
    pub const ALL: [Self; 5] = [Self::En, Self::He, Self::Pl, Self::El, Self::Uz];

    /// The short code used for storage and the `locales/` folder.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::He => "he",
            Self::Pl => "pl",
            Self::El => "el",
            Self::Uz => "uz",
        }
    }

    /// The BCP 47 tag for `<html lang>`, `Content-Language` and `Intl` (Uzbek is the Latin
    /// script: that is what our Uzbek requesters write).
    #[must_use]
    pub const fn bcp47(self) -> &'static str {
        match self {
            Self::Uz => "uz-Latn",
            other => other.code(),
        }
    }

    /// Whether the script runs right to left (Hebrew).
    #[must_use]
    pub const fn is_rtl(self) -> bool {
        matches!(self, Self::He)
    }

    /// The value for the HTML `dir` attribute.
    #[must_use]
    pub const fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The supported locale a BCP 47 tag (`he-IL`, `uz-Latn-UZ`, `PL`) asks for, by its
    /// language subtag. `iw` is the old code for Hebrew some systems still send.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Self> {
        let language = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Self::En),
            "he" | "iw" => Some(Self::He),
            "pl" => Some(Self::Pl),
            "el" => Some(Self::El),
            "uz" => Some(Self::Uz),
            _ => None,
        }
    }

    /// The first supported locale among `preferred` (most preferred first), else English.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Self {
        preferred
            .into_iter()
            .find_map(Self::from_tag)
            .unwrap_or_default()
    }

    /// The locale an `Accept-Language` header (RFC 9110, with `q` weights) prefers.
    #[must_use]
    pub fn from_accept_language(header: &str) -> Self {
        let mut ranges: Vec<(&str, f32)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (!tag.is_empty() && q > 0.0).then_some((tag, q))
            })
            .collect();
        // Stable: equal weights keep the client's order.
        ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
        Self::negotiate(ranges.into_iter().map(|(tag, _)| tag))
    }
}

/// The translation files, one function per file, each returning that file for a locale.
pub mod sources {
    use super::Locale;

    macro_rules! ftl_file {
        ($(#[$doc:meta])* $name:ident, $file:literal) => {
            $(#[$doc])*
            #[must_use]
            pub fn $name(locale: Locale) -> &'static str {
                match locale {
                    Locale::En => include_str!(concat!("../../locales/en/", $file)),
                    Locale::He => include_str!(concat!("../../locales/he/", $file)),
                    Locale::Pl => include_str!(concat!("../../locales/pl/", $file)),
                    Locale::El => include_str!(concat!("../../locales/el/", $file)),
                    Locale::Uz => include_str!(concat!("../../locales/uz/", $file)),
                }
            }
        };
    }

    ftl_file!(
        /// The requester portal's own texts.
        portal,
        "portal.ftl"
    );
    ftl_file!(
        /// Field error messages by code, for the API and the portal.
        fields,
        "fields.ftl"
    );
    ftl_file!(
        /// problem+json titles by problem type.
        api,
        "api.ftl"
    );

    ftl_file!(
        /// The embeddable widget's own texts (it also uses some of [`portal`]'s).
        widget,
        "widget.ftl"
    );

    /// Every file, named, for checks over all of them.
    pub const ALL: [(&str, super::Source); 4] = [
        ("portal.ftl", portal),
        ("fields.ftl", fields),
        ("api.ftl", api),
        ("widget.ftl", widget),
    ];
}

/// The id of a message of the `.ftl` files. Only [`ids`] has them (one constant per message,
/// generated from the files), so a misspelt or removed id does not build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(&'static str);

impl MessageId {
    /// The id as the `.ftl` files write it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// Every message id, one constant each: `ids::SUBMIT` is `submit`, `ids::FIELD_ERROR_TOO_SHORT`
/// is `field-error-too_short` (generated by `build.rs` from `locales/en/*.ftl`).
pub mod ids {
    use super::MessageId;
    include!(concat!(env!("OUT_DIR"), "/ids.rs"));
}

/// One translation file: its text in a locale; see [`sources`].
pub type Source = fn(Locale) -> &'static str;

/// Translations of some files in every locale, each locale parsed on first use.
///
/// Not `Sync` (Fluent bundles are single-threaded): keep one per thread, e.g. in a
/// `thread_local!`. The portal and the worker each run on one thread.
pub struct Catalog {
    sources: &'static [Source],
    bundles: [OnceCell<FluentBundle<FluentResource>>; Locale::ALL.len()],
}

impl Catalog {
    /// A catalog of `sources`; nothing is parsed until a locale is first used.
    #[must_use]
    pub const fn new(sources: &'static [Source]) -> Self {
        Self {
            sources,
            bundles: [const { OnceCell::new() }; Locale::ALL.len()],
        }
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        self.bundles[locale as usize].get_or_init(|| build_bundle(locale, self.sources))
    }

    /// Whether `locale` itself (not a fallback) has message `id`.
    #[must_use]
    pub fn has_message(&self, locale: Locale, id: MessageId) -> bool {
        self.has(locale, id.as_str())
    }

    /// Message `id` in `locale`, else in English, else `id` itself (visible, never a panic).
    #[must_use]
    pub fn message(&self, locale: Locale, id: MessageId, args: Option<&FluentArgs>) -> String {
        self.format(locale, id.as_str(), args)
    }

    /// Message `id` with one numeric argument (plural choice follows it).
    #[must_use]
    pub fn message_count(&self, locale: Locale, id: MessageId, name: &str, count: u32) -> String {
        self.format_count(locale, id.as_str(), name, count)
    }

    /// [`Self::has_message`] for an id known only at run time (tests that walk the files or
    /// compare pages with them); code names its messages by an [`ids`] constant.
    #[must_use]
    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.bundle(locale).has_message(id)
    }

    /// [`Self::message`] for an id known only at run time (tests).
    #[must_use]
    pub fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
        self.try_format(locale, id, args)
            .or_else(|| self.try_format(Locale::En, id, args))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Message `id` in `locale` only.
    fn try_format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundle(locale);
        let pattern = bundle.get_message(id)?.value()?;
        // A missing argument still yields readable text (`{$name}`); the key test guards typos.
        let mut errors = Vec::new();
        Some(
            bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned(),
        )
    }

    /// [`Self::message_count`] for an id known only at run time (tests).
    #[must_use]
    pub fn format_count(&self, locale: Locale, id: &str, name: &str, count: u32) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), count);
        self.format(locale, id, Some(&args))
    }

    /// The message for a field error, by its stable `code` and `limit` (needs [`sources::fields`]).
    #[must_use]
    pub fn field_error(&self, locale: Locale, code: FieldErrorCode, limit: Option<u32>) -> String {
        let id = field_error_id(code, limit.is_some());
        match limit {
            Some(limit) => self.message_count(locale, id, "limit", limit),
            None => self.message(locale, id, None),
        }
    }
}

/// `field-error-<code>`: [`field_error_id`]'s message put together from the code's wire name,
/// for the portal (its `-nolimit` variants too): a table of the ids would be a second copy of
/// them in its download (`files::fields` has them). A test checks both name the same messages.
pub(crate) fn field_error_text_id(code: FieldErrorCode) -> String {
    format!("field-error-{}", code.as_str())
}

/// The message of a field error code: `field-error-<code>`, or for a length code without a
/// limit (its message words itself around the limit) the plain `-nolimit` variant.
#[must_use]
pub const fn field_error_id(code: FieldErrorCode, with_limit: bool) -> MessageId {
    use FieldErrorCode as C;
    match code {
        C::TooShort if !with_limit => ids::FIELD_ERROR_TOO_SHORT_NOLIMIT,
        C::TooLong if !with_limit => ids::FIELD_ERROR_TOO_LONG_NOLIMIT,
        C::Required => ids::FIELD_ERROR_REQUIRED,
        C::TooShort => ids::FIELD_ERROR_TOO_SHORT,
        C::TooLong => ids::FIELD_ERROR_TOO_LONG,
        C::InvalidEmail => ids::FIELD_ERROR_INVALID_EMAIL,
        C::InvalidCharacters => ids::FIELD_ERROR_INVALID_CHARACTERS,
        C::WrongType => ids::FIELD_ERROR_WRONG_TYPE,
        C::NotANumber => ids::FIELD_ERROR_NOT_A_NUMBER,
        C::BelowMinimum => ids::FIELD_ERROR_BELOW_MINIMUM,
        C::AboveMaximum => ids::FIELD_ERROR_ABOVE_MAXIMUM,
        C::StepMismatch => ids::FIELD_ERROR_STEP_MISMATCH,
        C::InvalidDate => ids::FIELD_ERROR_INVALID_DATE,
        C::InvalidDatetime => ids::FIELD_ERROR_INVALID_DATETIME,
        C::InvalidPhone => ids::FIELD_ERROR_INVALID_PHONE,
        C::NotAnOption => ids::FIELD_ERROR_NOT_AN_OPTION,
        C::PatternMismatch => ids::FIELD_ERROR_PATTERN_MISMATCH,
        C::UnknownField => ids::FIELD_ERROR_UNKNOWN_FIELD,
        C::InvalidKey => ids::FIELD_ERROR_INVALID_KEY,
        C::DuplicateKey => ids::FIELD_ERROR_DUPLICATE_KEY,
        C::UnknownFieldType => ids::FIELD_ERROR_UNKNOWN_FIELD_TYPE,
        C::MissingConditionField => ids::FIELD_ERROR_MISSING_CONDITION_FIELD,
        C::NoOptions => ids::FIELD_ERROR_NO_OPTIONS,
        C::DuplicateOption => ids::FIELD_ERROR_DUPLICATE_OPTION,
        C::InvalidPattern => ids::FIELD_ERROR_INVALID_PATTERN,
        C::InvalidBounds => ids::FIELD_ERROR_INVALID_BOUNDS,
        C::InvalidDefault => ids::FIELD_ERROR_INVALID_DEFAULT,
        C::InvalidOrigin => ids::FIELD_ERROR_INVALID_ORIGIN,
        C::NotAGroupMember => ids::FIELD_ERROR_NOT_A_GROUP_MEMBER,
    }
}

fn build_bundle(locale: Locale, sources: &[Source]) -> FluentBundle<FluentResource> {
    let langid: LanguageIdentifier = locale.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![langid]);
    // Isolation marks keep numbers and names the right way round inside right-to-left text;
    // left-to-right text does not need them, and API clients would see them as noise.
    bundle.set_use_isolating(locale.is_rtl());
    bundle.set_formatter(number_formatter(locale));
    for source in sources {
        // A broken entry is skipped, the rest of the file still loads; the locale tests fail on
        // any parse error, so this only matters for a bad deploy.
        let resource =
            FluentResource::try_new(source(locale).to_owned()).unwrap_or_else(|(r, _)| r);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

type NumberFormatter = fn(&FluentValue, &intl_memoizer::IntlLangMemoizer) -> Option<String>;

/// Numbers in the locale's own digits grouping (`20 000` in Polish), through the JavaScript
/// host's `Intl` (both the portal and the Workers runtime have it); natively, Fluent's plain digits.
fn number_formatter(locale: Locale) -> Option<NumberFormatter> {
    #[cfg(target_arch = "wasm32")]
    {
        // Formatters are plain `fn`s: the locale rides in a const parameter.
        fn format<const L: usize>(
            value: &FluentValue,
            _: &intl_memoizer::IntlLangMemoizer,
        ) -> Option<String> {
            let FluentValue::Number(number) = value else {
                return None;
            };
            if number.options != fluent_bundle::types::FluentNumberOptions::default() {
                return None;
            }
            let tag = Locale::ALL[L].bcp47();
            js_sys::Number::from(number.value)
                .to_locale_string(tag)
                .as_string()
        }
        Some(match locale {
            Locale::En => format::<0>,
            Locale::He => format::<1>,
            Locale::Pl => format::<2>,
            Locale::El => format::<3>,
            Locale::Uz => format::<4>,
        })
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = locale;
        None
    }
}

mod markers;
pub mod messages;

#[cfg(test)]
mod tests;

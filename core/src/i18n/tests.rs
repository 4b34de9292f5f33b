//! Checks of the locales: negotiation, file parity with English, plural forms by CLDR.

use std::collections::BTreeSet;

use fluent_syntax::ast::Entry;

use super::*;
use crate::validation::FieldError;

thread_local! {
    static PORTAL: Catalog = const { Catalog::new(&[sources::portal, sources::fields]) };
}

/// Every `FieldErrorCode`; the match makes a new variant a compile error here until listed.
fn every_field_error_code() -> Vec<FieldErrorCode> {
    use FieldErrorCode as C;
    let all = [
        C::Required,
        C::TooShort,
        C::TooLong,
        C::InvalidEmail,
        C::InvalidCharacters,
        C::WrongType,
        C::NotANumber,
        C::BelowMinimum,
        C::AboveMaximum,
        C::StepMismatch,
        C::InvalidDate,
        C::InvalidDatetime,
        C::InvalidPhone,
        C::NotAnOption,
        C::PatternMismatch,
        C::UnknownField,
        C::InvalidKey,
        C::DuplicateKey,
        C::UnknownFieldType,
        C::MissingConditionField,
        C::NoOptions,
        C::DuplicateOption,
        C::InvalidPattern,
        C::InvalidBounds,
        C::InvalidDefault,
        C::InvalidOrigin,
        C::NotAGroupMember,
    ];
    for code in all {
        match code {
            C::Required
            | C::TooShort
            | C::TooLong
            | C::InvalidEmail
            | C::InvalidCharacters
            | C::WrongType
            | C::NotANumber
            | C::BelowMinimum
            | C::AboveMaximum
            | C::StepMismatch
            | C::InvalidDate
            | C::InvalidDatetime
            | C::InvalidPhone
            | C::NotAnOption
            | C::PatternMismatch
            | C::UnknownField
            | C::InvalidKey
            | C::DuplicateKey
            | C::UnknownFieldType
            | C::MissingConditionField
            | C::NoOptions
            | C::DuplicateOption
            | C::InvalidPattern
            | C::InvalidBounds
            | C::InvalidDefault
            | C::InvalidOrigin
            | C::NotAGroupMember => {}
        }
    }
    all.to_vec()
}

/// The message and term ids of an FTL file; panics with the parser's errors on a broken file.
fn ids(name: &str, source: &str) -> BTreeSet<String> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name} does not parse: {errors:?}"));
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            Entry::Term(t) => Some(format!("-{}", t.id.name)),
            _ => None,
        })
        .collect()
}

/// What `other` lacks of `english`, and what it has that `english` does not.
fn key_differences(english: &str, other: &str) -> Vec<String> {
    let en = ids("english", english);
    let theirs = ids("other", other);
    let missing = en.difference(&theirs).map(|k| format!("missing {k}"));
    let extra = theirs.difference(&en).map(|k| format!("unknown {k}"));
    missing.chain(extra).collect()
}

#[test]
fn key_differences_reports_missing_and_unknown_ids() {
    let english = "a = A\nb = B\n-t = T\n";
    assert!(key_differences(english, "b = b\n-t = t\na = a\n").is_empty());
    assert_eq!(
        key_differences(english, "a = a\n-t = t\nc = c\n"),
        vec!["missing b".to_owned(), "unknown c".to_owned()]
    );
    assert_eq!(
        key_differences(english, "a = a\nb = b\n"),
        vec!["missing -t".to_owned()]
    );
}

#[test]
fn every_locale_has_exactly_the_keys_english_has() {
    let mut problems = Vec::new();
    for (file, source) in sources::ALL {
        let english = source(Locale::En);
        assert!(!ids(file, english).is_empty(), "en/{file} is empty");
        for locale in Locale::ALL {
            for difference in key_differences(english, source(locale)) {
                problems.push(format!("{}/{file}: {difference}", locale.code()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "locale files differ from English:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_message_formats_without_errors_in_every_locale() {
    // Catches a misspelt variable, a reference to a message that does not exist, or a selector
    // without a default in any translation. The args are every variable our messages take.
    let mut args = FluentArgs::new();
    args.set("count", 2);
    args.set("limit", 3);
    args.set("reference", "DEMO-1");
    let mut problems = Vec::new();
    for (file, source) in sources::ALL {
        for locale in Locale::ALL {
            let bundle = build_bundle(locale, &[source]);
            for id in ids(file, source(locale)) {
                if id.starts_with('-') {
                    continue;
                }
                let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                    problems.push(format!("{}/{file}: {id} has no value", locale.code()));
                    continue;
                };
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                if !errors.is_empty() || text.trim().is_empty() {
                    problems.push(format!(
                        "{}/{file}: {id}: {errors:?} {text:?}",
                        locale.code()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `ids` has exactly the messages of the English files, each under its own id.
#[test]
fn every_message_id_constant_names_an_english_message() {
    let all = Catalog::new(&[
        sources::portal,
        sources::fields,
        sources::api,
        sources::widget,
    ]);
    for id in ids::ALL {
        assert!(all.has_message(Locale::En, id), "{id:?}");
    }
    let english: usize = sources::ALL
        .iter()
        .map(|(file, source)| ids(file, source(Locale::En)).len())
        .sum();
    assert_eq!(ids::ALL.len(), english);
    assert_eq!(ids::FIELD_ERROR_TOO_SHORT.as_str(), "field-error-too_short");
}

#[test]
fn english_field_errors_read_as_the_core_messages() {
    let catalog = Catalog::new(&[sources::fields]);
    for code in every_field_error_code() {
        for with_limit in [false, true] {
            let id = field_error_id(code, with_limit);
            assert!(catalog.has_message(Locale::En, id), "{code:?} {id:?}");
        }
        for limit in [None, Some(200)] {
            assert_eq!(
                catalog.field_error(Locale::En, code, limit),
                FieldError::english(code, limit),
                "{code:?} {limit:?}"
            );
        }
    }
}

/// The portal's field error ids, put together from the codes, are the messages
/// `field_error_id` names (which every code must have for core to build).
#[test]
fn field_error_ids_put_together_from_codes_name_the_same_messages() {
    for code in every_field_error_code() {
        for with_limit in [false, true] {
            let mut id = field_error_text_id(code);
            if !with_limit && matches!(code, FieldErrorCode::TooShort | FieldErrorCode::TooLong) {
                id.push_str("-nolimit");
            }
            assert_eq!(
                id,
                field_error_id(code, with_limit).as_str(),
                "{code:?} {with_limit}"
            );
        }
    }
}

#[test]
fn polish_counts_take_cldr_one_few_and_many_forms() {
    let message =
        |limit| PORTAL.with(|c| c.field_error(Locale::Pl, FieldErrorCode::TooShort, Some(limit)));
    assert_eq!(message(1), "Wpisz co najmniej 1 znak.");
    assert_eq!(message(3), "Wpisz co najmniej 3 znaki.");
    assert_eq!(message(22), "Wpisz co najmniej 22 znaki.");
    assert_eq!(message(5), "Wpisz co najmniej 5 znaków.");
    assert_eq!(message(12), "Wpisz co najmniej 12 znaków.");
}

#[test]
fn hebrew_has_a_dual_that_english_lacks() {
    let count =
        |n| PORTAL.with(|c| c.message_count(Locale::He, ids::MY_REQUESTS_COUNT, "count", n));
    assert_eq!(count(1), "שלחת פנייה אחת מהדפדפן הזה.");
    assert_eq!(count(2), "שלחת שתי פניות מהדפדפן הזה.");
    // Numbers inside Hebrew are isolated so they keep their left-to-right order.
    assert_eq!(count(7), "שלחת \u{2068}7\u{2069} פניות מהדפדפן הזה.");
    assert_eq!(
        PORTAL.with(|c| c.message_count(Locale::En, ids::MY_REQUESTS_COUNT, "count", 2)),
        "You have made 2 requests from this browser."
    );
}

#[test]
fn missing_messages_fall_back_to_english_then_to_the_id() {
    let api_only = Catalog::new(&[sources::api]);
    assert_eq!(
        api_only.message(Locale::Pl, ids::PROBLEM_NOT_FOUND, None),
        "Nie znaleziono."
    );
    assert!(!api_only.has_message(Locale::Pl, ids::SUBMIT));
    assert!(!api_only.has(Locale::Pl, "no-such-message"));
    assert_eq!(
        api_only.format(Locale::He, "no-such-message", None),
        "no-such-message"
    );
}

#[test]
fn locales_index_in_declaration_order() {
    for (index, locale) in Locale::ALL.into_iter().enumerate() {
        assert_eq!(locale as usize, index, "{locale:?}");
        assert_eq!(Locale::from_tag(locale.bcp47()), Some(locale));
    }
    assert_eq!(Locale::He.dir(), "rtl");
    assert!(Locale::ALL.iter().filter(|l| l.is_rtl()).eq([&Locale::He]));
}

#[test]
fn tags_match_by_language_subtag() {
    assert_eq!(Locale::from_tag("he-IL"), Some(Locale::He));
    assert_eq!(Locale::from_tag("iw"), Some(Locale::He));
    assert_eq!(Locale::from_tag("PL"), Some(Locale::Pl));
    assert_eq!(Locale::from_tag("uz_Latn_UZ"), Some(Locale::Uz));
    assert_eq!(Locale::from_tag("el-GR"), Some(Locale::El));
    assert_eq!(Locale::from_tag("de-DE"), None);
    assert_eq!(Locale::from_tag(""), None);
    assert_eq!(Locale::from_tag("*"), None);
}

#[test]
fn accept_language_weights_decide_and_unknown_languages_fall_back_to_english() {
    let pick = Locale::from_accept_language;
    assert_eq!(pick("he-IL,he;q=0.9,en-US;q=0.8,en;q=0.7"), Locale::He);
    assert_eq!(pick("de-DE, pl;q=0.8, en;q=0.5"), Locale::Pl);
    assert_eq!(pick("en;q=0.5, el;q=0.9"), Locale::El);
    assert_eq!(pick("uz-Latn-UZ"), Locale::Uz);
    assert_eq!(pick("pl;q=0, he;q=0.1"), Locale::He);
    assert_eq!(
        pick("el;q=0.5, pl;q=0.5"),
        Locale::El,
        "ties keep the client's order"
    );
    assert_eq!(pick("fr, de"), Locale::En);
    assert_eq!(pick(""), Locale::En);
    assert_eq!(pick("*"), Locale::En);
    assert_eq!(
        pick("he;q=abc, pl"),
        Locale::Pl,
        "a malformed weight drops that range"
    );
}

#[test]
fn navigator_languages_pick_the_first_supported() {
    assert_eq!(Locale::negotiate(["de-AT", "pl-PL", "en"]), Locale::Pl);
    assert_eq!(Locale::negotiate(["fr"]), Locale::En);
    assert_eq!(Locale::negotiate([]), Locale::En);
}

/// The compiled tables give exactly what fluent-bundle gives, for every message of every file
/// in every locale, with and without its argument and across plural forms (isolation marks in
/// Hebrew included).
#[test]
fn compiled_messages_format_as_fluent_does() {
    use super::messages::{File, Messages, files};
    let pairs: [(&str, Source, File); 3] = [
        ("portal", sources::portal, files::portal),
        ("fields", sources::fields, files::fields),
        ("api", sources::api, files::api),
    ];
    for (name, source, compiled) in pairs {
        let fluent = Catalog::new(Box::leak(Box::new([source])));
        let tables = Messages::new(Box::leak(Box::new([compiled])));
        for locale in Locale::ALL {
            let ids = ids(name, source(locale));
            assert_eq!(
                compiled.count(locale),
                ids.len(),
                "{name} {locale:?}: every message is compiled"
            );
            for id in &ids {
                assert!(tables.has(locale, id), "{name} {locale:?} {id}");
                assert_eq!(
                    tables.format(locale, id, None),
                    fluent.format(locale, id, None),
                    "{name} {locale:?} {id} without arguments"
                );
                for arg in ["count", "limit"] {
                    for n in (0..=120).chain([1000, 1001, 20000, 1_000_000]) {
                        assert_eq!(
                            tables.format(locale, id, Some((arg, n))),
                            fluent.format_count(locale, id, arg, n),
                            "{name} {locale:?} {id} with {arg}={n}"
                        );
                    }
                }
            }
        }
        assert_eq!(
            tables.format(Locale::He, "no-such-message", None),
            "no-such-message"
        );
    }
}

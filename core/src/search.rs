//! Search text (an agent's ticket search, a requester's catalog search) turned into safe
//! SQLite FTS5 queries, bounded in length and in words.

use crate::catalog::search_key;
use crate::{FieldError, FieldErrorCode};

/// Longest search text we accept (characters); more is a 422 on `q`.
pub const MAX_QUERY_LEN: usize = 200;
/// At most this many words are matched (all of them must occur); later ones are ignored.
pub const MAX_TERMS: usize = 12;

/// An FTS5 query that finds tickets containing every word of `raw` (ignoring case and
/// diacritics, as the index's tokenizer does); a word ending in `*` matches as a prefix. Every
/// word is quoted, so FTS5 operators and column filters typed by the user are plain text.
/// `None` when `raw` has no word or is longer than [`MAX_QUERY_LEN`].
#[must_use]
pub fn fts_query(raw: &str) -> Option<String> {
    if raw.chars().count() > MAX_QUERY_LEN {
        return None;
    }
    let terms: Vec<String> = raw
        .split_whitespace()
        .filter_map(|word| {
            let prefix = word.ends_with('*');
            // Keep letters and digits only: the tokenizer splits on everything else anyway.
            let cleaned: String = word
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect();
            let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
            if cleaned.is_empty() {
                return None;
            }
            Some(if prefix {
                format!("\"{cleaned}\"*")
            } else {
                format!("\"{cleaned}\"")
            })
        })
        .take(MAX_TERMS)
        .collect();
    if terms.is_empty() {
        None
    } else {
        Some(terms.join(" "))
    }
}

/// What a requester's catalog search (`q`) asks of the catalog's FTS5 index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogQuery {
    /// A blank query: the whole catalog.
    Everything,
    /// Only punctuation or symbols, no word to look for: nothing matches.
    Nothing,
    /// An FTS5 query: every word (case and diacritics folded as the index's text is) matched
    /// as a word prefix, all of them required, so "lap" finds "Laptop" while the requester types.
    Words(String),
}

/// Reads a catalog search. Unlike a LIKE pattern (D1 refuses one over 50 bytes), the FTS5
/// query is bounded only by [`MAX_QUERY_LEN`] and [`MAX_TERMS`].
///
/// # Errors
/// A 422 field error on `q` when it is longer than [`MAX_QUERY_LEN`] characters.
pub fn catalog_query(raw: &str) -> Result<CatalogQuery, FieldError> {
    if raw.chars().count() > MAX_QUERY_LEN {
        return Err(FieldError::new(
            "q",
            FieldErrorCode::TooLong,
            u32::try_from(MAX_QUERY_LEN).ok(),
        ));
    }
    if raw.trim().is_empty() {
        return Ok(CatalogQuery::Everything);
    }
    let folded = search_key(raw);
    let terms: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_TERMS)
        .map(|word| format!("\"{word}\"*"))
        .collect();
    Ok(if terms.is_empty() {
        CatalogQuery::Nothing
    } else {
        CatalogQuery::Words(terms.join(" "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_words_are_folded_prefixes_all_required() {
        assert_eq!(
            catalog_query("ŁÓDŹ office").ok(),
            Some(CatalogQuery::Words("\"lodz\"* \"office\"*".to_owned()))
        );
        assert_eq!(
            catalog_query("ΦΟΡΗΤΟΎ").ok(),
            Some(CatalogQuery::Words("\"φορητου\"*".to_owned()))
        );
        assert_eq!(
            catalog_query("o\u{2bb}zbek").ok(),
            Some(CatalogQuery::Words("\"o\"* \"zbek\"*".to_owned()))
        );
    }

    #[test]
    fn a_catalog_query_is_everything_nothing_or_too_long() {
        assert_eq!(catalog_query("  ").ok(), Some(CatalogQuery::Everything));
        assert_eq!(catalog_query("% _ \"*").ok(), Some(CatalogQuery::Nothing));
        let long = "α".repeat(MAX_QUERY_LEN);
        assert!(
            catalog_query(&long).is_ok(),
            "{MAX_QUERY_LEN} characters are allowed"
        );
        let error = catalog_query(&format!("{long}α")).expect_err("one more is refused");
        assert_eq!(error.field, "q");
        assert_eq!(error.code, FieldErrorCode::TooLong);
    }

    #[test]
    fn a_natural_sentence_becomes_at_most_max_terms_words() {
        let sentence = "my laptop will not start after the update and the screen stays black \
                        while the fan keeps running loudly";
        let Ok(CatalogQuery::Words(query)) = catalog_query(sentence) else {
            panic!("a sentence is words");
        };
        assert_eq!(query.matches('*').count(), MAX_TERMS);
    }

    #[test]
    fn words_are_quoted_and_all_required() {
        assert_eq!(
            fts_query("VPN timeout").as_deref(),
            Some("\"VPN\" \"timeout\"")
        );
        assert_eq!(fts_query("print*").as_deref(), Some("\"print\"*"));
    }

    #[test]
    fn fts_syntax_typed_by_the_user_is_only_text() {
        assert_eq!(
            fts_query("subject:x OR \"y NEAR(z").as_deref(),
            Some("\"subject x\" \"OR\" \"y\" \"NEAR z\"")
        );
        assert_eq!(fts_query("  \"\" :: * "), None);
        assert_eq!(fts_query(&"a".repeat(201)), None);
    }
}

//! Ticket search text: what an agent types, turned into a safe SQLite FTS5 query.

/// Longest search text we accept; more is a 422 on `q`.
pub const MAX_QUERY_LEN: usize = 200;
/// At most this many words are matched (all of them must occur).
const MAX_TERMS: usize = 12;

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

#[cfg(test)]
mod tests {
    use super::*;

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

//! The hand reader against serde_json: the same value for every JSON text however it is spelt,
//! and no value where serde_json finds no JSON.

use proptest::prelude::*;
use serde_json::{Number, Value};

use super::{MAX_DEPTH, parse};

/// Both readers give the same value, or both refuse. Values are compared by their serde_json
/// text too, so `-0.0` against `0.0`, or a float against an equal integer, is a difference.
fn agree(text: &str) -> Option<Value> {
    let by_serde = serde_json::from_str::<Value>(text).ok();
    let by_hand = parse(text);
    assert_eq!(by_hand, by_serde, "{text:?}");
    assert_eq!(
        by_hand.as_ref().map(Value::to_string),
        by_serde.as_ref().map(Value::to_string),
        "{text:?}"
    );
    by_hand
}

#[test]
fn reads_what_serde_json_reads_with_the_same_numbers() {
    for text in [
        r#"{"a": [1, -2, 3.5, 5.0, 1e2, -0, 18446744073709551616, -9223372036854775808], "b": null}"#,
        r#" {"s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 שלום", "t": true, "f": false, "e": {}, "l": []} "#,
        r#""plain""#,
        "0",
        "[[[]]]",
        r#"{"a": 1, "a": 2}"#,
    ] {
        assert!(agree(text).is_some(), "{text}");
    }
}

#[test]
fn refuses_what_is_not_json() {
    for text in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "1.",
        ".5",
        "1e",
        "-",
        "tru",
        "\"\\x\"",
        "\"\u{1}\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "1 2",
        "{'a': 1}",
        "nan",
        "1e400",
        "\u{feff}1",
    ] {
        assert_eq!(agree(text), None, "{text:?}");
    }
}

#[test]
fn nesting_is_limited_where_serde_json_limits_it() {
    let depth = MAX_DEPTH as usize;
    for (open, close) in [("[", "]"), ("{\"k\":", "}")] {
        for inner in ["", "1"] {
            let nested = |n: usize| format!("{}{inner}{}", open.repeat(n), close.repeat(n));
            if open == "[" || !inner.is_empty() {
                assert!(agree(&nested(depth)).is_some(), "{open} {depth}");
            }
            assert_eq!(agree(&nested(depth + 1)), None, "{open} {}", depth + 1);
        }
    }
    assert_eq!(agree(&"[".repeat(100_000)), None);
}

/// Any JSON value: integers of both signs and beyond `i64`, finite floats of every magnitude,
/// strings of any characters (quotes, controls, astral ones), nested arrays and objects.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// How to spell a value: the choices are read in turn (and again from the start), so the same
/// value comes out with different whitespace, escapes and number forms.
struct Spelling {
    choices: Vec<u8>,
    next: usize,
}

impl Spelling {
    fn pick(&mut self, among: u8) -> u8 {
        let choice = self.choices.get(self.next % self.choices.len().max(1));
        self.next += 1;
        choice.map_or(0, |c| c % among)
    }

    fn space(&mut self, out: &mut String) {
        for _ in 0..self.pick(3) {
            out.push([' ', '\t', '\n', '\r'][usize::from(self.pick(4))]);
        }
    }

    fn write(&mut self, value: &Value, out: &mut String) {
        self.space(out);
        match value {
            Value::Null | Value::Bool(_) => out.push_str(&value.to_string()),
            Value::Number(number) => self.number(number, out),
            Value::String(text) => self.string(text, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.write(item, out);
                }
                self.space(out);
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    self.space(out);
                    self.string(key, out);
                    self.space(out);
                    out.push(':');
                    self.write(item, out);
                }
                self.space(out);
                out.push('}');
            }
        }
        self.space(out);
    }

    /// Integers as digits; floats as serde_json writes them, or in exponent form (`1.5e-7`,
    /// `15E-8`), which both still read as floats.
    fn number(&mut self, number: &Number, out: &mut String) {
        match number.as_f64().filter(|_| number.is_f64()) {
            Some(float) => match self.pick(3) {
                0 => out.push_str(&number.to_string()),
                1 => out.push_str(&format!("{float:e}")),
                _ => out.push_str(&format!("{float:E}").replace("E", "E+").replace("+-", "-")),
            },
            None => out.push_str(&number.to_string()),
        }
    }

    /// Each character as itself where JSON allows, or as a short or `\u` escape (a surrogate
    /// pair beyond the BMP, hex digits in either case).
    fn string(&mut self, text: &str, out: &mut String) {
        out.push('"');
        for c in text.chars() {
            let short = match c {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '/' => Some("\\/"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            let must_escape = matches!(c, '"' | '\\' | '\0'..='\u{1f}');
            match (self.pick(3), short) {
                (0, _) if !must_escape => out.push(c),
                (1, Some(escape)) => out.push_str(escape),
                _ => {
                    let upper = self.pick(2) == 1;
                    let mut units = [0; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&if upper {
                            format!("\\u{unit:04X}")
                        } else {
                            format!("\\u{unit:04x}")
                        });
                    }
                }
            }
        }
        out.push('"');
    }
}

/// A number by JSON's grammar, from short to longer than any float's precision, with
/// exponents past both ends of `f64` (out-of-range ones must be refused by both).
fn number_text() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "0|[1-9][0-9]{0,24}",
        prop::option::of("[0-9]{1,24}"),
        prop::option::of(("[eE]", "[+-]?", "[0-9]{1,3}")),
    )
        .prop_map(|(negative, int, fraction, exponent)| {
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(&int);
            if let Some(fraction) = fraction {
                text.push('.');
                text.push_str(&fraction);
            }
            if let Some((e, sign, digits)) = exponent {
                text.push_str(&format!("{e}{sign}{digits}"));
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn every_spelling_of_a_value_reads_as_serde_json_reads_it(
        value in value(),
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let mut text = String::new();
        Spelling { choices, next: 0 }.write(&value, &mut text);
        prop_assert!(agree(&text).is_some(), "{}", text);
        let compact = value.to_string();
        prop_assert_eq!(agree(&compact), Some(value));
    }

    #[test]
    fn numbers_read_to_the_same_integer_or_float(text in number_text()) {
        agree(&text);
        agree(&format!("[{text}]"));
    }

    #[test]
    fn every_float_serde_json_writes_reads_back_exactly(float in any::<f64>()) {
        if let Some(number) = Number::from_f64(float) {
            let back = agree(&number.to_string()).and_then(|v| v.as_f64());
            prop_assert_eq!(back.map(f64::to_bits), Some(float.to_bits()));
        }
    }

    #[test]
    fn damaged_json_is_refused_or_read_alike(
        value in value(),
        at in any::<prop::sample::Index>(),
        damage in prop_oneof![
            Just(None),
            prop::sample::select(vec!['[', ']', '{', '}', '"', ',', ':', '\\', '-', '.', 'e',
                '0', '1', ' ', 'u', 'n', 't', '\u{1}', '\u{e9}']).prop_map(Some),
        ],
        replace in any::<bool>(),
    ) {
        let text = value.to_string();
        let chars: Vec<char> = text.chars().collect();
        let at = at.index(chars.len() + 1);
        let mut damaged: String = chars[..at].iter().collect();
        damaged.extend(damage);
        let rest = if replace || damage.is_none() { at + 1 } else { at };
        damaged.extend(chars.iter().skip(rest));
        agree(&damaged);
    }

    #[test]
    fn any_text_is_refused_or_read_alike(text in any::<String>()) {
        agree(&text);
    }

    #[test]
    fn json_like_text_is_refused_or_read_alike(
        text in r#"[\[\]{}",: \t\n0-9eE.+\-tfnrualse\\/u]{0,40}"#,
    ) {
        agree(&text);
    }
}

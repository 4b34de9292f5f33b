//! A small JSON reader into `serde_json::Value` for the browser builds (portal and widget):
//! serde_json's own deserializer (and the serde error machinery, which formats floats) was a
//! third of the widget. Numbers come out as serde_json makes them (integers as integers, `5.0`
//! as a float), so comparisons with answers behave as in the desk.

use serde_json::{Map, Number, Value};

/// Arrays and objects nested deeper than this are refused, where serde_json refuses them, so a
/// crafted draft in `localStorage` cannot exhaust the stack.
const MAX_DEPTH: u32 = 127;

/// `text` as one JSON value (surrounding whitespace allowed), or `None` if it is not JSON.
#[must_use]
pub fn parse(text: &str) -> Option<Value> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        at: 0,
    };
    let value = reader.value(0)?;
    reader.skip_space();
    (reader.at == reader.bytes.len()).then_some(value)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, literal: &str) -> Option<()> {
        let end = self.at + literal.len();
        (self.bytes.get(self.at..end)? == literal.as_bytes()).then(|| self.at = end)
    }

    /// A value inside `depth` arrays and objects.
    fn value(&mut self, depth: u32) -> Option<Value> {
        self.skip_space();
        let byte = self.peek()?;
        if matches!(byte, b'[' | b'{') && depth >= MAX_DEPTH {
            return None;
        }
        match byte {
            b'n' => self.eat("null").map(|()| Value::Null),
            b't' => self.eat("true").map(|()| Value::Bool(true)),
            b'f' => self.eat("false").map(|()| Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.close(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.close(b']') {
                            break;
                        }
                        self.comma()?;
                    }
                }
                Some(Value::Array(items))
            }
            b'{' => {
                self.at += 1;
                let mut map = Map::new();
                if !self.close(b'}') {
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        self.skip_space();
                        (self.next()? == b':').then_some(())?;
                        map.insert(key, self.value(depth + 1)?);
                        if self.close(b'}') {
                            break;
                        }
                        self.comma()?;
                    }
                }
                Some(Value::Object(map))
            }
            _ => self.number().map(Value::Number),
        }
    }

    /// Consumes `end` (after whitespace) if it comes next.
    fn close(&mut self, end: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(end);
        if found {
            self.at += 1;
        }
        found
    }

    fn comma(&mut self) -> Option<()> {
        self.skip_space();
        (self.next()? == b',').then_some(())
    }

    fn string(&mut self) -> Option<String> {
        (self.next()? == b'"').then_some(())?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek()?, b'"' | b'\\' | 0..=0x1f) {
                self.at += 1;
            }
            // Only ASCII bytes end a run, so the run is whole UTF-8.
            out.push_str(std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?);
            match self.next()? {
                b'"' => return Some(out),
                b'\\' => {}
                _ => return None,
            }
            let escaped = match self.next()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let high = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&high) {
                        self.eat("\\u")?;
                        let low = self.hex4()?;
                        (0xDC00..0xE000).contains(&low).then_some(())?;
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        high
                    };
                    char::from_u32(code)?
                }
                _ => return None,
            };
            out.push(escaped);
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut code = 0;
        for _ in 0..4 {
            code = code * 16 + char::from(self.next()?).to_digit(16)?;
        }
        Some(code)
    }

    /// A number by JSON's grammar: integers that fit stay integers (negative zero and
    /// integers beyond 64 bits become floats, as in serde_json), the rest are floats.
    fn number(&mut self) -> Option<Number> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.at += 1;
            }
            r.at - from
        };
        let int_start = self.at;
        let int_digits = digits(self);
        if int_digits == 0 || (int_digits > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return None;
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            (digits(self) > 0).then_some(())?;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            (digits(self) > 0).then_some(())?;
            integer = false;
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        let magnitude = text.get(usize::from(negative)..).map(str::parse::<u64>);
        if integer && let Some(Ok(magnitude)) = magnitude {
            if !negative {
                return Some(magnitude.into());
            }
            let value = (magnitude as i64).wrapping_neg();
            if value < 0 {
                return Some(value.into());
            }
        }
        Number::from_f64(float(text)?)
    }
}

/// A JSON number's text as an `f64`: the browser's parser in wasm (std's would add its tables
/// to the download), std's natively.
#[cfg(target_arch = "wasm32")]
fn float(text: &str) -> Option<f64> {
    Some(js_sys::Number::parse_float(text)).filter(|f| f.is_finite())
}

#[cfg(not(target_arch = "wasm32"))]
fn float(text: &str) -> Option<f64> {
    text.parse().ok().filter(|f: &f64| f.is_finite())
}

#[cfg(test)]
mod tests;

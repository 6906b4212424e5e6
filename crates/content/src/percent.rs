//! Percent-encoding of share-link keys and values (RFC 3986, with `+` for a space as HTML forms
//! write it). Written out here because the rule set is small and the web app must not pull in
//! a URL library for it.

use crate::text::Text;

/// Bytes left as they are: the unreserved characters, plus those that input specs use and that
/// stay unambiguous inside a query value, so that a link remains readable.
fn is_kept(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~(),=:*!/@".contains(&b)
}

/// `text` with spaces as `+` and every other byte outside the kept set as `%XX`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b if is_kept(b) => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Undoes `encode` (and any other valid percent-encoding): `+` is a space, `%XX` a byte. The
/// error names the malformed escape or says that the bytes are not UTF-8.
pub fn decode(text: &str) -> Result<String, Text> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    // `from_str_radix` also takes a sign, which `%+1` must not be.
                    Some(b) if hex.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => {
                        out.push(b);
                        i += 2;
                    }
                    _ => {
                        let end = text[i..]
                            .char_indices()
                            .nth(3)
                            .map_or(text.len(), |(k, _)| i + k);
                        let bad = &text[i..end];
                        return Err(Text::new(
                            format!("`{bad}` is not valid percent-encoding"),
                            format!("`{bad}` 不是有效的百分号编码"),
                        ));
                    }
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| {
        Text::new(
            format!("`{text}` does not decode to UTF-8 text"),
            format!("`{text}` 解码后不是 UTF-8 文本"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        let check = |text: &str, want: Result<&str, &str>| match (decode(text), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
            (Err(e), Err(part)) => assert!(e.en.contains(part), "{text}: `{e:?}` lacks `{part}`"),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        };
        check("abc", Ok("abc"));
        check("a+b%2Bc", Ok("a b+c"));
        check("%e4%bd%a0", Ok("你"));
        check("%5B1,2%5D", Ok("[1,2]"));
        check("%ZZ", Err("`%ZZ` is not valid"));
        check("x%4", Err("`%4` is not valid"));
        check("%+1", Err("`%+1` is not valid"));
        check("%", Err("`%` is not valid"));
        check("%a你", Err("`%a你` is not valid"));
        check("%FF", Err("does not decode to UTF-8"));
    }

    #[test]
    fn encoding_round_trips() {
        for text in [
            "pulses(amp=10, start=5, width=2, period=100)",
            "I: constant(2) + sine(amp=1, freq=10)",
            "sections(values=[0, [1, 2, 4]], durations=[10, 2])",
            "a&b=c#d%e'f",
            "你好",
        ] {
            let encoded = encode(text);
            assert!(!encoded.contains(['&', '#', ' ', '[', '\'']), "{encoded}");
            assert_eq!(decode(&encoded).as_deref(), Ok(text));
        }
        assert_eq!(
            encode("constant(1) + ramp(from=0)"),
            "constant(1)+%2B+ramp(from=0)"
        );
    }
}

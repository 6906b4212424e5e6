//! A learner's edited model inside a share link. Only what differs from the built-in model's
//! text travels: the lengths of the unchanged start and end, a checksum of the built-in text
//! (a link made for another version of the model is refused rather than misapplied), and the
//! changed middle deflated and written in URL-safe base64, which needs no percent-encoding. A
//! typical edit (a line or two) takes a few dozen characters; a rewrite of a whole model about a
//! third of its text. Decoding refuses anything that would inflate past `MAX_TEXT_BYTES`, so a
//! crafted link cannot exhaust memory.
//!
//! Format: `<unchanged start bytes>.<unchanged end bytes>.<FNV-1a of the base, 8 hex>.<middle>`.

use crate::text::Text;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

/// Far above any model of the library (HH is about 3.7 KB of text).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
const LEVEL: u8 = 9;

/// 32-bit FNV-1a: enough to tell two versions of a text apart.
fn checksum(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Raw DEFLATE of `bytes` (no header), as every link's middle is written: miniz_oxide at level
/// 9 here; the browser's own `CompressionStream("deflate-raw")` in the compute worker, which so
/// carries no compressor (`encode_with`), and `decode` reads either.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    compress_to_vec(bytes, LEVEL)
}

/// `text` as a change of `base`.
pub fn encode(text: &str, base: &str) -> String {
    encode_with(text, base, &deflate)
}

/// The changed middle of `text` against `base`: the bytes `encode` deflates.
pub fn middle<'a>(text: &'a str, base: &str) -> &'a str {
    let (prefix, suffix) = unchanged(text, base);
    &text[prefix..text.len() - suffix]
}

/// `encode` with the deflated middle from `deflate`.
pub fn encode_with(text: &str, base: &str, deflate: &dyn Fn(&[u8]) -> Vec<u8>) -> String {
    let (prefix, suffix) = unchanged(text, base);
    let middle = &text[prefix..text.len() - suffix];
    format!(
        "{prefix}.{suffix}.{:08x}.{}",
        checksum(base),
        URL_SAFE_NO_PAD.encode(deflate(middle.as_bytes()))
    )
}

/// The bytes of `text`'s start and end that are `base`'s (on character boundaries, never
/// overlapping).
fn unchanged(text: &str, base: &str) -> (usize, usize) {
    let prefix = text
        .char_indices()
        .zip(base.chars())
        .find(|((_, a), b)| a != b)
        .map_or(text.len().min(base.len()), |((i, _), _)| i);
    let room = text.len().min(base.len()) - prefix;
    let suffix = text[prefix..]
        .chars()
        .rev()
        .zip(base[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .scan(0, |total, n| {
            *total += n;
            Some(*total)
        })
        .take_while(|total| *total <= room)
        .last()
        .unwrap_or(0);
    (prefix, suffix)
}

/// The text `encode` made from `base`; the error says what is wrong with `value`.
pub fn decode(value: &str, base: &str) -> Result<String, Text> {
    let malformed = || {
        Text::new(
            "not an edited model (start.end.checksum.text)",
            "不是编辑过的模型（start.end.checksum.text）",
        )
    };
    let mut parts = value.trim().splitn(4, '.');
    let mut number = || parts.next().and_then(|p| p.parse::<usize>().ok());
    let (prefix, suffix) = (
        number().ok_or_else(malformed)?,
        number().ok_or_else(malformed)?,
    );
    let (hash, middle) = (
        parts.next().ok_or_else(malformed)?,
        parts.next().ok_or_else(malformed)?,
    );
    if hash != format!("{:08x}", checksum(base)) {
        return Err(Text::new(
            "made for another version of the built-in model",
            "是为另一个版本的内置模型生成的",
        ));
    }
    let fits = prefix + suffix <= base.len()
        && base.is_char_boundary(prefix)
        && base.is_char_boundary(base.len() - suffix);
    if !fits {
        return Err(malformed());
    }
    let bytes = URL_SAFE_NO_PAD.decode(middle).map_err(|e| {
        Text::new(
            format!("not URL-safe base64 ({e})"),
            format!("不是 URL 安全的 base64（{e}）"),
        )
    })?;
    let middle = decompress_to_vec_with_limit(&bytes, MAX_TEXT_BYTES).map_err(|e| {
        if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            Text::new(
                format!("longer than {MAX_TEXT_BYTES} bytes"),
                format!("超过 {MAX_TEXT_BYTES} 字节"),
            )
        } else {
            Text::new("not deflated text", "不是 deflate 压缩的文本")
        }
    })?;
    let middle =
        String::from_utf8(middle).map_err(|_| Text::new("not UTF-8 text", "不是 UTF-8 文本"))?;
    Ok(format!(
        "{}{middle}{}",
        &base[..prefix],
        &base[base.len() - suffix..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (edit of the base, the most characters its link may take)
    fn check(base: &str, text: &str, longest: usize) {
        let encoded = encode(text, base);
        assert_eq!(decode(&encoded, base).as_deref(), Ok(text), "{encoded}");
        assert!(encoded.len() <= longest, "{}: {encoded}", encoded.len());
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
    }

    #[test]
    fn edits_round_trip_and_stay_short() {
        let base = "# a model\nmodel x\nparam a = 1 1 in [0, 2] \"a\" \"甲\"\nstate x = 0 1 \"x\" \"x\"\ndx/dt = -a * x\n";
        check(base, base, 40);
        check(base, &format!("{base}\n# a note\n"), 60);
        check(base, &base.replacen("=", "= 2 *", 1), 60);
        check(base, &base.replace(' ', "  "), base.len() + 40);
        check(base, "", 40);
        check(base, "完全不同的模型 ∂V/∂t", 80);
        // Overlapping repeats: the unchanged start and end never overlap.
        check("aaaa", "aa", 40);
        check("aa", "aaaa", 40);
        check("éé", "é", 40);
    }

    /// Another raw-DEFLATE writer (the browser's, in the compute worker) gives other bytes that
    /// read back the same.
    #[test]
    fn any_raw_deflate_reads_back() {
        let base = "model x\ndV/dt = -V\n";
        let text = "model x\ndV/dt = -2*V + 1\n";
        let fast = encode_with(text, base, &|bytes| compress_to_vec(bytes, 1));
        assert_eq!(decode(&fast, base).as_deref(), Ok(text));
        assert_eq!(middle(text, base), "2*V + 1");
    }

    #[test]
    fn bad_values_say_why() {
        let base = "model x\ndx/dt = -x\n";
        let good = encode("model x\ndx/dt = x\n", base);
        let check = |value: &str, part: &str| {
            let e = decode(value, base).unwrap_err();
            assert!(e.en.contains(part), "{value}: `{}` lacks `{part}`", e.en);
        };
        assert!(decode(&good, base).is_ok());
        check("abc", "not an edited model");
        check(&good.replacen('.', "x.", 1), "not an edited model");
        let hash = format!("{:08x}", checksum(base));
        check(&format!("0.0.{hash}.a%b"), "base64");
        check(&format!("0.0.00000000.{}", "AA"), "another version");
        check(&format!("99.0.{hash}.AA"), "not an edited model");
        check(
            &format!("0.0.{hash}.{}", URL_SAFE_NO_PAD.encode(b"plain")),
            "deflated",
        );
        check(
            &format!(
                "0.0.{hash}.{}",
                URL_SAFE_NO_PAD.encode(compress_to_vec(&[0xff], 9))
            ),
            "UTF-8",
        );
        let bomb = compress_to_vec(&vec![b'a'; MAX_TEXT_BYTES + 1], 9);
        check(
            &format!("0.0.{hash}.{}", URL_SAFE_NO_PAD.encode(bomb)),
            "longer than",
        );
    }
}

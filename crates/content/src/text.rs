//! Bilingual text. Every string a learner sees exists in English and Chinese; the course's
//! students are Chinese, so neither language is optional and neither may be left empty.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code used in share links (`lang=zh`) and HTML `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A string in both languages; lesson files write it as `{ en = "…", zh = "…" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TextSource")]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A measured or entered number as feedback shows it: four significant digits, without trailing
/// zeros, so that `44.312345` reads `44.31` and a count reads `3`.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (3 - magnitude).clamp(0, 6) as usize;
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    match text {
        "-0" => "0".to_string(),
        t => t.to_string(),
    }
}

/// `Text` as written, before the check that both languages have something to say.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextSource {
    en: String,
    zh: String,
}

impl TryFrom<TextSource> for Text {
    type Error = String;

    fn try_from(source: TextSource) -> Result<Text, String> {
        for (lang, text) in [(Lang::En, &source.en), (Lang::Zh, &source.zh)] {
            if text.trim().is_empty() {
                return Err(format!(
                    "the `{lang}` text is empty; every text needs both `en` and `zh`"
                ));
            }
        }
        Ok(Text::new(source.en, source.zh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Doc {
        t: Text,
    }

    fn check(source: &str, want: Result<(&str, &str), &str>) {
        let got = toml::from_str::<Doc>(source);
        match (got, want) {
            (Ok(doc), Ok((en, zh))) => assert_eq!(doc.t, Text::new(en, zh), "{source}"),
            (Err(e), Err(part)) => {
                assert!(
                    e.to_string().contains(part),
                    "{source}: `{e}` lacks `{part}`"
                )
            }
            (got, want) => panic!("{source}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn both_languages_are_required_and_non_empty() {
        check(r#"t = { en = "Hi", zh = "你好" }"#, Ok(("Hi", "你好")));
        check(r#"t = { en = "Hi" }"#, Err("missing field `zh`"));
        check(r#"t = { zh = "你好" }"#, Err("missing field `en`"));
        check(
            r#"t = { en = "Hi", zh = "" }"#,
            Err("the `zh` text is empty"),
        );
        check(
            r#"t = { en = " ", zh = "你好" }"#,
            Err("the `en` text is empty"),
        );
        check(
            r#"t = { en = "Hi", zh = "你好", fr = "Salut" }"#,
            Err("unknown field `fr`"),
        );
        check(r#"t = "Hi""#, Err("invalid type"));
    }

    #[test]
    fn numbers_are_short() {
        for (x, want) in [
            (3.0, "3"),
            (-70.0, "-70"),
            (44.312345, "44.31"),
            (0.00012, "0.00012"),
            (12345.6, "12346"),
            (0.5, "0.5"),
            (-0.00000001, "0"),
            (f64::NAN, "NaN"),
        ] {
            assert_eq!(format_number(x), want, "{x}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code("ZH"), None);
        assert_eq!(Text::new("a", "b").get(Lang::Zh), "b");
    }
}

/// A unit as the model files write it in ASCII (`uA/cm2`, `1/ms`, `degC`) as a reader expects
/// to see it (`µA/cm²`, `1/ms`, `°C`): a `u` prefix before a unit is micro, a power after a
/// unit's letters is a superscript.
pub fn typeset_unit(unit: &str) -> String {
    let unit = unit.replace("degC", "°C");
    let chars: Vec<char> = unit.chars().collect();
    let mut out = String::with_capacity(unit.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(i + 1).copied();
        let starts_token = before.is_none_or(|p| !p.is_ascii_alphanumeric());
        let after_letters = before.is_some_and(|p| p.is_ascii_alphabetic() || p == '-');
        match c {
            'u' if starts_token && after.is_some_and(|n| n.is_ascii_alphabetic()) => out.push('µ'),
            '0'..='9' if after_letters || out.ends_with(SUPERSCRIPTS) => {
                out.push(SUPERSCRIPTS[c as usize - '0' as usize])
            }
            '-' if before.is_some_and(|p| p.is_ascii_alphabetic())
                && after.is_some_and(|n| n.is_ascii_digit()) =>
            {
                out.push('⁻')
            }
            _ => out.push(c),
        }
    }
    out
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

#[cfg(test)]
mod unit_tests {
    use super::typeset_unit;

    #[test]
    fn units_read_as_printed() {
        for (ascii, printed) in [
            ("uA/cm2", "µA/cm²"),
            ("mS/cm2", "mS/cm²"),
            ("uF/cm2", "µF/cm²"),
            ("1/ms", "1/ms"),
            ("mV", "mV"),
            ("degC", "°C"),
            ("s-1", "s⁻¹"),
            ("Hz", "Hz"),
            ("um", "µm"),
            ("1", "1"),
        ] {
            assert_eq!(typeset_unit(ascii), printed, "{ascii}");
        }
    }
}

//! Words for the learner in both of the site's languages: every message the core gives about a
//! model, an input protocol or a run is written in English and in Chinese where it is made,
//! with the same arguments (`msg!`), and the page shows the one in its language.

use std::fmt;

/// A message in English and Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Message {
    pub en: String,
    pub zh: String,
}

impl Message {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Message {
        Message {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// `self` after `head` (a prefix in each language, e.g. where the problem is).
    pub fn after(self, head: Message) -> Message {
        Message {
            en: head.en + &self.en,
            zh: head.zh + &self.zh,
        }
    }
}

/// `part` as it follows Chinese text in a composed message: with a space before it when it starts
/// with code, a Latin letter or a digit, as Chinese text sets those apart ("应为 `)`"), and as it
/// is otherwise ("应为模型标识符").
pub(crate) fn after_chinese(part: &str) -> String {
    match part.chars().next() {
        Some(c) if c.is_ascii_graphic() => format!(" {part}"),
        _ => part.to_string(),
    }
}

/// The English text (what the CLI and logs print).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Message`] from an English and a Chinese format string with the same arguments:
/// `msg!("unknown name `{name}`", "未知的名称 `{name}`")`.
#[macro_export]
macro_rules! msg {
    ($en:literal, $zh:literal $(,)?) => {
        $crate::Message {
            en: format!($en),
            zh: format!($zh),
        }
    };
    ($en:literal, $zh:literal, $($arg:tt)*) => {
        $crate::Message {
            en: format!($en, $($arg)*),
            zh: format!($zh, $($arg)*),
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_languages_take_the_arguments() {
        let name = "V";
        let m = msg!("unknown name `{name}`", "未知的名称 `{name}`");
        assert_eq!(
            (m.en.as_str(), m.zh.as_str()),
            ("unknown name `V`", "未知的名称 `V`")
        );
        let m = msg!("{} of {}", "{1} 的 {0}", 1, 2);
        assert_eq!((m.en.as_str(), m.zh.as_str()), ("1 of 2", "2 的 1"));
        assert_eq!(m.to_string(), "1 of 2");
    }
}

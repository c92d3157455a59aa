//! Logins as Okta compares them: one Unicode form (NFC), case-insensitive, and free of control
//! and invisible characters that would let two logins look alike on screen.

use unicode_normalization::UnicodeNormalization;

/// Why a login was refused, as the `login` cause says it.
pub const INVISIBLE_MESSAGE: &str = "Username must not contain control or invisible characters";

/// The login in Unicode composed form (NFC), as it is stored and shown.
pub fn normalize(login: &str) -> String {
    login.nfc().collect()
}

/// The key logins are compared and looked up by: NFC, lower case, NFC again (lowering can
/// leave a decomposed sequence). `Zoë`, `ZOE\u{308}` and `zoë` share a key.
pub fn key(login: &str) -> String {
    login
        .nfc()
        .collect::<String>()
        .to_lowercase()
        .nfc()
        .collect()
}

/// Whether `login` holds a control character (NUL included), a format character (zero-width
/// spaces and joiners, bidirectional controls, the byte-order mark, tags) or another character
/// that renders as nothing.
pub fn has_invisible(login: &str) -> bool {
    login.chars().any(is_invisible)
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            u32::from(c),
            0x00AD                  // soft hyphen
            | 0x034F                // combining grapheme joiner
            | 0x061C                // Arabic letter mark
            | 0x115F | 0x1160       // Hangul fillers
            | 0x17B4 | 0x17B5       // Khmer inherent vowels
            | 0x180B..=0x180F       // Mongolian selectors and vowel separator
            | 0x200B..=0x200F       // zero-width space, joiners, LRM, RLM
            | 0x202A..=0x202E       // bidi embeddings and overrides
            | 0x2060..=0x206F       // word joiner, invisible operators, bidi isolates
            | 0x3164 | 0xFFA0       // Hangul fillers
            | 0xFE00..=0xFE0F       // variation selectors
            | 0xFEFF                // byte-order mark
            | 0xFFF0..=0xFFFB       // interlinear annotations and specials
            | 0x1D173..=0x1D17A     // musical formatting
            | 0xE0000..=0xE0FFF     // tags and variation selectors supplement
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_and_composition() {
        let table = [
            ("Ann@Example.com", "ann@example.com"),
            ("ann@example.com", "ann@example.com"),
            ("Zo\u{eb}@Example.com", "zo\u{eb}@example.com"),
            ("Zoe\u{308}@Example.com", "zo\u{eb}@example.com"),
            ("ZOE\u{308}@EXAMPLE.COM", "zo\u{eb}@example.com"),
            ("Jose\u{301}@x.com", "jos\u{e9}@x.com"),
            ("\u{212b}ngstr\u{f6}m@x.com", "\u{e5}ngstr\u{f6}m@x.com"),
            ("A\u{30a}ngstro\u{308}m@x.com", "\u{e5}ngstr\u{f6}m@x.com"),
        ];
        for (login, want) in table {
            assert_eq!(key(login), want, "{login:?}");
        }
    }

    #[test]
    fn normalize_composes_but_keeps_case() {
        assert_eq!(normalize("Zoe\u{308}@Example.com"), "Zo\u{eb}@Example.com");
        assert_eq!(normalize("Ann@Example.com"), "Ann@Example.com");
    }

    #[test]
    fn invisible_and_control_characters_are_found() {
        let refused = [
            "ann\u{0}@x.com",
            "ann\u{7}@x.com",
            "ann\u{7f}@x.com",
            "ann\u{85}@x.com",
            "ann\u{200b}@x.com",
            "ann\u{200c}@x.com",
            "ann\u{200d}@x.com",
            "ann\u{200e}@x.com",
            "ann\u{202e}@x.com",
            "ann\u{2066}@x.com",
            "\u{feff}ann@x.com",
            "ann\u{ad}@x.com",
            "ann\u{3164}@x.com",
            "ann\u{fe0f}@x.com",
            "ann\u{e0041}@x.com",
        ];
        for login in refused {
            assert!(has_invisible(login), "{login:?}");
        }
        for login in [
            "ann@x.com",
            "zo\u{eb}@x.com",
            "\u{5f20}\u{4e09}@x.cn",
            "o'neil+tag@x.com",
        ] {
            assert!(!has_invisible(login), "{login:?}");
        }
    }
}

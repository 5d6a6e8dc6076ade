//! Width folding for matching labels and headings. The source text is never
//! changed: folded strings are only compared, and spans always point at the
//! original text.

/// Fold full-width ASCII forms to half-width, curly quotes to straight ones,
/// and drop all whitespace (U+0020, U+3000, U+00A0, tabs).
pub fn fold(s: &str) -> String {
    s.chars().filter_map(fold_char).collect()
}

fn fold_char(c: char) -> Option<char> {
    match c {
        c if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' => None,
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xff01 + 0x21),
        '“' | '”' => Some('"'),
        '‘' | '’' => Some('\''),
        _ => Some(c),
    }
}

/// Fold a single character for number parsing: full-width digits and signs.
pub fn fold_digit(c: char) -> char {
    match c {
        '\u{ff10}'..='\u{ff19}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff0e}' => {
            char::from_u32(c as u32 - 0xff01 + 0x21).unwrap_or(c)
        }
        _ => c,
    }
}

/// Whether the string contains a CJK ideograph.
pub fn has_cjk(s: &str) -> bool {
    s.chars().any(is_cjk)
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The longest input [`similarity`] compares, in characters: its cost is the
/// product of the two lengths, so longer texts are compared on their first
/// `MAX_SIMILARITY_CHARS` characters (at most 4 million steps a call).
pub const MAX_SIMILARITY_CHARS: usize = 2_000;

/// Length of the longest common subsequence of two character sequences.
fn lcs_len(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for ca in a {
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Similarity in [0, 1]: common subsequence over the longer length (of the
/// first [`MAX_SIMILARITY_CHARS`] characters of each).
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().take(MAX_SIMILARITY_CHARS).collect();
    let b: Vec<char> = b.chars().take(MAX_SIMILARITY_CHARS).collect();
    similarity_chars(&a, &b)
}

/// [`similarity`] of two character sequences.
pub fn similarity_chars(a: &[char], b: &[char]) -> f64 {
    let a = &a[..a.len().min(MAX_SIMILARITY_CHARS)];
    let b = &b[..b.len().min(MAX_SIMILARITY_CHARS)];
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    lcs_len(a, b) as f64 / a.len().max(b.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_spaces() {
        assert_eq!(fold("（七）总计"), "(七)总计");
        assert_eq!(fold("商业 企业"), "商业企业");
        assert_eq!(fold("结 果 维 持"), "结果维持");
        assert_eq!(fold("３．其他"), "3.其他");
    }

    #[test]
    fn similarity_of_headings() {
        assert!(similarity("存在问题及改进措施", "存在的主要问题及改进情况") >= 0.5);
        assert!(similarity("进一步加强主动公开工作", "主动公开政府信息情况") < 0.5);
    }

    #[test]
    fn similarity_of_long_texts_is_bounded() {
        // Two 262,144-character texts took 107 s before the cap.
        let a = "政府信息公开".repeat(43_691);
        let b = format!("{a}甲");
        assert_eq!(similarity(&a, &b), 1.0);
        let c = "乙".repeat(262_144);
        assert_eq!(similarity(&a, &c), 0.0);
    }
}

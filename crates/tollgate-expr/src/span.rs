//! Byte spans into the expression source, and the caret rendering used in admin-facing errors.

use std::fmt;

/// A half-open byte range `start..end` into the expression source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Shifts the span right by `offset` bytes.
    pub(crate) fn shifted(self, offset: usize) -> Span {
        Span::new(
            self.start.saturating_add(offset),
            self.end.saturating_add(offset),
        )
    }

    /// Renders `message`, then the source line holding the span's start, then a caret line under the
    /// span (at least one caret; a span reaching past the line end is cut at the line end).
    ///
    /// ```
    /// use tollgate_expr::Span;
    /// let shown = Span::new(4, 7).render("1 + foo", "unknown name `foo`");
    /// assert_eq!(shown, "unknown name `foo`\n  1 + foo\n      ^^^");
    /// ```
    pub fn render(self, source: &str, message: &str) -> String {
        // Spans come from this crate, but a caller may pair an error with the wrong source: clamp to
        // character boundaries rather than trust them.
        let start = floor_char_boundary(source, self.start.min(source.len()));
        let end = floor_char_boundary(source, self.end.min(source.len())).max(start);
        let line_start = source
            .get(..start)
            .and_then(|s| s.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = source
            .get(start..)
            .and_then(|s| s.find('\n'))
            .map_or(source.len(), |i| start + i);
        let line = source.get(line_start..line_end).unwrap_or("");
        let before = source.get(line_start..start).unwrap_or("");
        let under = source.get(start..end.min(line_end)).unwrap_or("");
        let pad = before.chars().count();
        let carets = under.chars().count().max(1);
        let shown_line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut out = String::with_capacity(message.len() + line.len() * 2 + 8);
        out.push_str(message);
        out.push_str("\n  ");
        out.push_str(&shown_line);
        out.push_str("\n  ");
        out.extend(std::iter::repeat_n(' ', pad));
        out.extend(std::iter::repeat_n('^', carets));
        out
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn caret_on_second_line_and_end_of_input() {
        let src = "a +\n  b +";
        assert_eq!(Span::new(9, 9).render(src, "m"), "m\n    b +\n       ^");
        assert_eq!(Span::new(0, 1).render(src, "m"), "m\n  a +\n  ^");
    }

    #[test]
    fn bad_spans_do_not_panic() {
        let src = "é + ü";
        let shown = Span::new(1, 500).render(src, "m");
        assert!(shown.starts_with("m\n  é + ü\n  "));
        let _ = Span::new(90, 100).render("", "m");
    }
}

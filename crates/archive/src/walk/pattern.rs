//! Shell wildcard patterns as GNU tar's `--exclude` uses them: gnulib `fnmatch` in the C
//! locale with escapes on and neither `FNM_PATHNAME` nor `FNM_PERIOD` (GNU tar's default
//! `--wildcards --wildcards-match-slash` for exclusion), so `*`, `?` and `[...]` also match
//! `/` and a leading `.`.
//!
//! Pattern syntax (POSIX.1-2017 XCU 2.13.1 "Patterns Matching a Single Character", as glibc
//! implements it): `?` any byte; `*` any run of bytes; `[...]` a bracket expression with `!`
//! or `^` negation, a leading `]` taken literally, ranges `a-z` by byte value, classes
//! `[:alpha:]` etc., `[=c=]` and `[.c.]` for a single byte, `\` escaping inside and outside
//! brackets. An unterminated `[` is an ordinary character; an unknown class name or a
//! trailing `\` makes the pattern match nothing (glibc returns an error or `FNM_NOMATCH`).
//!
//! Matching runs the pattern as an NFA over the name, so it takes O(name × pattern) time
//! for any input, with every start position after a `/` tried in the same pass.

/// One element of a bracket expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    /// A single byte.
    Byte(u8),
    /// An inclusive byte range.
    Range(u8, u8),
    /// A POSIX character class (C locale).
    Named(NamedClass),
}

/// POSIX character classes in the C locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedClass {
    Alnum,
    Alpha,
    Blank,
    Cntrl,
    Digit,
    Graph,
    Lower,
    Print,
    Punct,
    Space,
    Upper,
    Xdigit,
}

impl NamedClass {
    fn parse(name: &[u8]) -> Option<Self> {
        Some(match name {
            b"alnum" => Self::Alnum,
            b"alpha" => Self::Alpha,
            b"blank" => Self::Blank,
            b"cntrl" => Self::Cntrl,
            b"digit" => Self::Digit,
            b"graph" => Self::Graph,
            b"lower" => Self::Lower,
            b"print" => Self::Print,
            b"punct" => Self::Punct,
            b"space" => Self::Space,
            b"upper" => Self::Upper,
            b"xdigit" => Self::Xdigit,
            _ => return None,
        })
    }

    fn contains(self, b: u8) -> bool {
        match self {
            Self::Alnum => b.is_ascii_alphanumeric(),
            Self::Alpha => b.is_ascii_alphabetic(),
            Self::Blank => b == b' ' || b == b'\t',
            Self::Cntrl => b.is_ascii_control(),
            Self::Digit => b.is_ascii_digit(),
            Self::Graph => b.is_ascii_graphic(),
            Self::Lower => b.is_ascii_lowercase(),
            Self::Print => b.is_ascii_graphic() || b == b' ',
            Self::Punct => b.is_ascii_punctuation(),
            // C isspace: space, \t, \n, \v, \f, \r.
            Self::Space => matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
            Self::Upper => b.is_ascii_uppercase(),
            Self::Xdigit => b.is_ascii_hexdigit(),
        }
    }
}

/// One compiled pattern element.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// This byte.
    Byte(u8),
    /// `?`: any byte.
    Any,
    /// `*`: any run of bytes, including none.
    Star,
    /// A bracket expression.
    Class {
        /// `[!...]` / `[^...]`.
        negated: bool,
        /// Members.
        items: Vec<ClassItem>,
    },
    /// Matches nothing (trailing `\`, unknown class name).
    Never,
}

impl Token {
    fn matches(&self, b: u8) -> bool {
        match self {
            Self::Byte(c) => *c == b,
            Self::Any => true,
            Self::Star | Self::Never => false,
            Self::Class { negated, items } => {
                let hit = items.iter().any(|i| match i {
                    ClassItem::Byte(c) => *c == b,
                    ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&b),
                    ClassItem::Named(n) => n.contains(b),
                });
                hit != *negated
            }
        }
    }
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wildcard {
    tokens: Vec<Token>,
}

/// Outcome of parsing one bracket expression starting after its `[`.
enum Bracket {
    /// A complete expression and the index just after its closing `]`.
    Done(Token, usize),
    /// No closing `]`: the `[` is an ordinary character.
    Unterminated,
}

/// Reads one possibly escaped byte of a bracket expression at `i`; `None` at the end.
fn bracket_byte(p: &[u8], i: usize) -> Option<(u8, usize)> {
    match p.get(i)? {
        b'\\' => p.get(i + 1).map(|&c| (c, i + 2)),
        &c => Some((c, i + 1)),
    }
}

/// Parses `[:name:]`, `[=c=]` or `[.c.]` at `i` (pointing at the inner `[`); returns the item
/// (`None` for an invalid one) and the index after it, or `Err(())` if it is not closed, in
/// which case the `[` is an ordinary member.
fn bracket_special(p: &[u8], i: usize) -> Result<(Option<ClassItem>, usize), ()> {
    let delim = *p.get(i + 1).ok_or(())?;
    let body_start = i + 2;
    let rest = p.get(body_start..).ok_or(())?;
    let close = rest
        .windows(2)
        .position(|w| w.first() == Some(&delim) && w.get(1) == Some(&b']'))
        .ok_or(())?;
    let body = rest.get(..close).ok_or(())?;
    let after = body_start + close + 2;
    let item = match delim {
        b':' => NamedClass::parse(body).map(ClassItem::Named),
        _ => match body {
            [c] => Some(ClassItem::Byte(*c)),
            _ => None,
        },
    };
    Ok((item, after))
}

fn parse_bracket(p: &[u8], start: usize) -> Bracket {
    let mut i = start;
    let negated = matches!(p.get(i), Some(b'!' | b'^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let mut invalid = false;
    let mut first = true;
    loop {
        let Some(&c) = p.get(i) else {
            return Bracket::Unterminated;
        };
        if c == b']' && !first {
            let token = if invalid {
                Token::Never
            } else {
                Token::Class { negated, items }
            };
            return Bracket::Done(token, i + 1);
        }
        first = false;
        let lo = if c == b'[' && matches!(p.get(i + 1), Some(b':' | b'=' | b'.')) {
            match bracket_special(p, i) {
                Ok((Some(ClassItem::Byte(b)), next)) => {
                    i = next;
                    b
                }
                Ok((Some(item), next)) => {
                    items.push(item);
                    i = next;
                    continue;
                }
                Ok((None, next)) => {
                    invalid = true;
                    i = next;
                    continue;
                }
                Err(()) => {
                    i += 1;
                    b'['
                }
            }
        } else {
            match bracket_byte(p, i) {
                Some((b, next)) => {
                    i = next;
                    b
                }
                None => return Bracket::Unterminated,
            }
        };
        // A range `lo-hi`, unless the `-` is followed by the closing `]`.
        if p.get(i) == Some(&b'-') && !matches!(p.get(i + 1), Some(b']') | None) {
            match bracket_byte(p, i + 1) {
                Some((hi, next)) => {
                    items.push(ClassItem::Range(lo, hi));
                    i = next;
                }
                None => return Bracket::Unterminated,
            }
        } else {
            items.push(ClassItem::Byte(lo));
        }
    }
}

impl Wildcard {
    /// Compiles a pattern; every byte string is a valid pattern.
    pub(crate) fn new(p: &[u8]) -> Self {
        let mut tokens = Vec::new();
        let mut i = 0;
        while let Some(&c) = p.get(i) {
            i += 1;
            let token = match c {
                b'*' => {
                    if tokens.last() == Some(&Token::Star) {
                        continue;
                    }
                    Token::Star
                }
                b'?' => Token::Any,
                b'\\' => match p.get(i) {
                    Some(&e) => {
                        i += 1;
                        Token::Byte(e)
                    }
                    None => Token::Never,
                },
                b'[' => match parse_bracket(p, i) {
                    Bracket::Done(t, next) => {
                        i = next;
                        t
                    }
                    Bracket::Unterminated => Token::Byte(b'['),
                },
                other => Token::Byte(other),
            };
            tokens.push(token);
        }
        Self { tokens }
    }

    /// Adds state `p` and everything reachable from it without consuming a byte.
    fn add_state(&self, set: &mut [bool], mut p: usize) {
        while let Some(slot) = set.get_mut(p) {
            if *slot {
                return;
            }
            *slot = true;
            if self.tokens.get(p) == Some(&Token::Star) {
                p += 1;
            } else {
                return;
            }
        }
    }

    /// Whether the pattern matches `s[k..]` for some `k` with `start(s, k)` true; with
    /// `leading_dir` (`FNM_LEADING_DIR`) it is enough to match `s[k..j]` where `s[j]` is `/`.
    pub(crate) fn matches_from(
        &self,
        s: &[u8],
        start: impl Fn(&[u8], usize) -> bool,
        leading_dir: bool,
    ) -> bool {
        let n = self.tokens.len();
        let mut cur = vec![false; n + 1];
        let mut next = vec![false; n + 1];
        if start(s, 0) {
            self.add_state(&mut cur, 0);
        }
        for (i, &b) in s.iter().enumerate() {
            if leading_dir && b == b'/' && cur.get(n) == Some(&true) {
                return true;
            }
            next.fill(false);
            for (p, token) in self.tokens.iter().enumerate() {
                if cur.get(p) != Some(&true) {
                    continue;
                }
                match token {
                    Token::Star => self.add_state(&mut next, p),
                    t if t.matches(b) => self.add_state(&mut next, p + 1),
                    _ => {}
                }
            }
            if start(s, i + 1) {
                self.add_state(&mut next, 0);
            }
            std::mem::swap(&mut cur, &mut next);
        }
        cur.get(n) == Some(&true)
    }

    /// Whether the pattern matches all of `s` (`fnmatch(p, s, 0) == 0`).
    #[cfg(test)]
    pub(crate) fn matches(&self, s: &[u8]) -> bool {
        self.matches_from(s, |_, k| k == 0, false)
    }
}

#[cfg(test)]
mod tests {
    use super::Wildcard;

    fn m(p: &str, s: &str) -> bool {
        Wildcard::new(p.as_bytes()).matches(s.as_bytes())
    }

    // Expected values follow POSIX XCU 2.13 and glibc fnmatch(3) in the C locale.
    #[test]
    fn basics() {
        assert!(m("*.o", "x.o"));
        assert!(m("*.o", "a/b.o"), "* matches / without FNM_PATHNAME");
        assert!(m("*", ".hidden"), "no FNM_PERIOD");
        assert!(!m("*.o", "x.oo"));
        assert!(m("a?c", "a/c"));
        assert!(m("**.o", "a.o"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
    }

    #[test]
    fn brackets() {
        assert!(m("[a-c]", "b"));
        assert!(!m("[a-c]", "B"), "C locale ranges are by byte value");
        assert!(m("[!a]", "b") && !m("[!a]", "a"));
        assert!(m("[^a]", "b") && !m("[^a]", "a"));
        assert!(m("[]]", "]"));
        assert!(m("[!]]", "x") && !m("[!]]", "]"));
        assert!(m("[\\]]", "]"));
        assert!(m("[a-]", "-"));
        assert!(m("[[:upper:]]", "B") && !m("[[:upper:]]", "b"));
        assert!(m("[[:digit:][:space:]]", " "));
        assert!(!m("[[:foo:]]", "f"), "unknown class matches nothing");
        assert!(m("[[=a=]]", "a") && m("[[.-.]]", "-"));
        assert!(m("[ab", "[ab"), "unterminated bracket is literal");
        assert!(m("a[/]b", "a/b"));
        assert!(!m("[z-a]x", "x"));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*") && !m("\\*", "a"));
        assert!(m("q\\r*", "qr") && !m("q\\r*", "q\\r"));
        assert!(
            !m("a\\", "a") && !m("a\\", "a\\"),
            "trailing backslash never matches"
        );
    }

    #[test]
    fn suffix_starts() {
        let after_slash = |s: &[u8], k: usize| k == 0 || s.get(k - 1) == Some(&b'/');
        let w = Wildcard::new(b"b*");
        assert!(w.matches_from(b"a/bc", after_slash, false));
        assert!(!w.matches_from(b"a/cb", after_slash, false));
        // FNM_LEADING_DIR: "a/?" matches "a/b/c" through its leading directory "a/b".
        let w = Wildcard::new(b"a/?");
        assert!(w.matches_from(b"a/b/c", |_, k| k == 0, true));
        assert!(!w.matches_from(b"a/b/c", |_, k| k == 0, false));
        assert!(!w.matches_from(b"a/bc", |_, k| k == 0, true));
    }

    #[test]
    fn long_inputs_are_fast() {
        let p = "*a".repeat(200);
        let s = "a".repeat(5000) + "b";
        assert!(!m(&p, &s));
    }
}

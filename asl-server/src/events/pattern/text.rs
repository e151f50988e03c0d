//! The two operators with a syntax of their own: `wildcard` globs and `cidr` blocks.

use std::net::IpAddr;

use super::PatternError;

/// The most `*` a wildcard may hold. AWS refuses patterns it finds "too complex" by a measure
/// it does not publish; more than five wildcard characters is what its refusals have in
/// common.
const MAX_STARS: usize = 5;

/// A `wildcard` pattern: literal pieces between `*`s (`\*` is a literal star, `\\` a literal
/// backslash).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Wildcard {
    pieces: Vec<String>,
}

impl Wildcard {
    pub(crate) fn parse(text: &str) -> Result<Self, PatternError> {
        let mut pieces = vec![String::new()];
        let mut chars = text.chars().enumerate().peekable();
        let mut last_star = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e @ ('*' | '\\'))) => pieces.last_mut().map_or((), |p| p.push(e)),
                    _ => {
                        return Err(PatternError::pattern(format_args!(
                            "Invalid escape character at pos {i}"
                        )));
                    }
                },
                '*' => {
                    if last_star == Some(i.wrapping_sub(1)) {
                        return Err(PatternError::pattern(format_args!(
                            "Consecutive wildcard characters at pos {i}"
                        )));
                    }
                    last_star = Some(i);
                    pieces.push(String::new());
                }
                c => pieces.last_mut().map_or((), |p| p.push(c)),
            }
        }
        if pieces.len() - 1 > MAX_STARS {
            return Err(PatternError::pattern(
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character",
            ));
        }
        Ok(Wildcard { pieces })
    }

    /// Whether `text` matches: it starts with the first piece, ends with the last, and holds
    /// the others in order between them.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let Some((first, rest)) = self.pieces.split_first() else {
            return text.is_empty();
        };
        let Some(mut rest_text) = text.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return rest_text.is_empty();
        };
        for piece in middle {
            match rest_text.find(piece.as_str()) {
                Some(at) => rest_text = &rest_text[at + piece.len()..],
                None => return false,
            }
        }
        rest_text.ends_with(last.as_str())
    }
}

/// A `cidr` block, IPv4 or IPv6.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cidr {
    network: IpAddr,
    bits: u8,
}

impl Cidr {
    pub(crate) fn parse(text: &str) -> Result<Self, PatternError> {
        let nonstandard = || PatternError::pattern(format_args!("Nonstandard IP address: {text}"));
        let (address, bits) = match text.split_once('/') {
            Some((a, b)) => (a, b.parse::<u8>().map_err(|_| nonstandard())?),
            None => (text, if text.contains(':') { 128 } else { 32 }),
        };
        let network: IpAddr = address.parse().map_err(|_| nonstandard())?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        if bits > max {
            return Err(nonstandard());
        }
        Ok(Cidr { network, bits })
    }

    /// Whether the address `text` is in the block (a text that is no address is not).
    pub(crate) fn contains(&self, text: &str) -> bool {
        let Ok(address) = text.parse::<IpAddr>() else {
            return false;
        };
        match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_equal(
                u128::from(u32::from(n)),
                u128::from(u32::from(a)),
                32,
                self.bits,
            ),
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                prefix_equal(u128::from(n), u128::from(a), 128, self.bits)
            }
            _ => false,
        }
    }
}

/// Whether the first `bits` of two `width`-bit numbers agree.
fn prefix_equal(a: u128, b: u128, width: u32, bits: u8) -> bool {
    let bits = u32::from(bits);
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (a >> shift) == (b >> shift)
}

//! AWS's payload limit (256 KiB for a state's input or output, a task's result, an
//! execution's input and output) and counting a value's JSON size without writing it.

use serde_json::Value;

/// The largest state input, output or task result Step Functions passes on (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// The `States.DataLimitExceeded` failure of a state whose output is over the limit, in the
/// words AWS uses for a task's result.
#[cold]
pub fn output_too_large(state: &str) -> crate::Failure {
    crate::Failure::new(
        crate::error::names::DATA_LIMIT_EXCEEDED,
        format!(
            "The state/task '{state}' returned a result with a size exceeding the maximum number of bytes service limit."
        ),
    )
}

/// The length of `v`'s compact JSON text, counted without writing it.
pub fn json_size(v: &Value) -> usize {
    let mut left = usize::MAX;
    count::<true>(v, &mut left);
    usize::MAX - left
}

/// Whether `v`'s compact JSON text has at most `limit` bytes; the count stops as soon as it
/// goes over.
pub fn fits(v: &Value, limit: usize) -> bool {
    // A bound first (every string byte as if escaped, every integer as long as an integer can
    // be), which settles small documents without reading their strings; the exact count only
    // when the bound is over the limit. (One exact pass instead cost the `tasks` benchmark
    // 12 % more instructions.)
    count::<false>(v, &mut { limit }) || count::<true>(v, &mut { limit })
}

/// Takes `v`'s JSON length (`EXACT`) or a bound of it from `left`; false once that would go
/// below zero.
fn count<const EXACT: bool>(v: &Value, left: &mut usize) -> bool {
    match v {
        Value::Array(items) => {
            // Brackets and commas.
            take(left, 1 + items.len().max(1))
                && items.iter().all(|item| element::<EXACT>(item, left))
        }
        Value::Object(members) => {
            // Braces, commas and colons.
            take(left, 1 + members.len().max(1) + members.len())
                && members.iter().all(|(key, item)| {
                    take(left, text_size::<EXACT>(key)) && element::<EXACT>(item, left)
                })
        }
        scalar => take(left, scalar_size::<EXACT>(scalar).unwrap_or(0)),
    }
}

/// An element of an array or a member's value: a scalar sized in place, a container counted.
#[inline(always)]
fn element<const EXACT: bool>(item: &Value, left: &mut usize) -> bool {
    match scalar_size::<EXACT>(item) {
        Some(size) => take(left, size),
        None => count::<EXACT>(item, left),
    }
}

/// `n` from `left`, if there is that much left.
#[inline]
fn take(left: &mut usize, n: usize) -> bool {
    match left.checked_sub(n) {
        Some(rest) => {
            *left = rest;
            true
        }
        None => false,
    }
}

/// The JSON length (`EXACT`) or a bound of it of a value that is not an array or an object.
#[inline]
fn scalar_size<const EXACT: bool>(v: &Value) -> Option<usize> {
    Some(match v {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!*b),
        // An integer is written in at most 20 characters (`-9223372036854775808`); other
        // numbers are counted.
        // An integer is written in at most 20 characters (`-9223372036854775808`); other
        // numbers are counted. (Counting integers in the bound too cost `tasks` 21
        // instructions a Task.)
        Value::Number(n) => {
            if EXACT || !(n.is_u64() || n.is_i64()) {
                number_size(n)
            } else {
                20
            }
        }
        Value::String(s) => text_size::<EXACT>(s),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

/// A string's JSON length (`EXACT`), or a bound of it: every byte escaped as `\u00XX`.
#[inline]
fn text_size<const EXACT: bool>(s: &str) -> usize {
    if EXACT {
        string_size(s)
    } else {
        2 + 6 * s.len()
    }
}

fn number_size(n: &serde_json::Number) -> usize {
    let digits = |u: u64| u.checked_ilog10().map_or(1, |d| d as usize + 1);
    if let Some(u) = n.as_u64() {
        return digits(u);
    }
    if let Some(i) = n.as_i64() {
        return 1 + digits(i.unsigned_abs());
    }
    // Floats: count what serde_json writes, without allocating.
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = std::fmt::Write::write_fmt(&mut c, format_args!("{n}"));
    c.0
}

/// A string's JSON length: its bytes, its quotes and its escapes as serde_json writes them.
fn string_size(s: &str) -> usize {
    // Most strings need no escape: a comparison per byte settles them.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        return 2 + s.len();
    }
    2 + s.len()
        + s.bytes()
            .map(|b| usize::from(ESCAPE_EXTRA[usize::from(b)]))
            .sum::<usize>()
}

/// What escaping adds to a byte of a JSON string: `\"`, `\\` and the short escapes of control
/// characters add one byte, other control characters (`\u00XX`) five.
static ESCAPE_EXTRA: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 5;
        b += 1;
    }
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[0x08] = 1;
    t[0x0c] = 1;
    t
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_size_bound_is_never_below_the_size() {
        for v in [
            json!(null),
            json!({"a": [1, 2.5, "x\"\n\u{1}"], "é": true, "k\\": -9223372036854775808i64}),
            json!([
                [],
                {},
                "",
                18446744073709551615u64,
                1e300,
                -2.2250738585072014e-308
            ]),
            json!("\u{1f}\u{7f}\u{2028}"),
        ] {
            let mut left = usize::MAX;
            count::<false>(&v, &mut left);
            assert!(usize::MAX - left >= json_size(&v), "{v}");
        }
        // At the limit, the exact count decides.
        let text = json!("a".repeat(100));
        assert!(fits(&text, 102) && !fits(&text, 101));
    }

    #[test]
    fn json_size_matches_serde() {
        for v in [
            json!(null),
            json!({"a": [1, 2.5, "x\"\n\u{1}"], "é": true}),
            json!([]),
            json!({}),
            json!([
                -12,
                0,
                18446744073709551615u64,
                -9223372036854775808i64,
                1e300,
                0.1
            ]),
            json!({"\u{7f}é\u{1f}": "\u{8}\u{c}/"}),
        ] {
            let size = serde_json::to_string(&v).map_or(0, |s| s.len());
            assert_eq!(json_size(&v), size, "{v}");
            assert!(fits(&v, size), "{v} fits in its own size");
            assert!(!fits(&v, size - 1), "{v} does not fit in one byte less");
        }
    }
}

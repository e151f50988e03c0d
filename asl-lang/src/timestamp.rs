//! Timestamps as ASL requires them: RFC 3339 with an uppercase `T` and, without a numeric
//! offset, an uppercase `Z` (`2016-03-14T01:59:00Z`, fractional seconds allowed).

/// Parses an ASL timestamp, or says why it is not one.
pub fn parse(text: &str) -> Result<jiff::Timestamp, String> {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return Err("String does not match RFC3339 timestamp".into());
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err("String does not match RFC3339 timestamp".into());
        }
    }
    let zone_ok = match &b[i..] {
        [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] => {
            matches!(sign, b'+' | b'-') && [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
        }
        _ => false,
    };
    if !zone_ok {
        return Err("String does not match RFC3339 timestamp".into());
    }
    text.parse::<jiff::Timestamp>()
        .map_err(|_| "String does not match RFC3339 timestamp".into())
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn strict_rfc3339() {
        for ok in [
            "2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00.123456789Z",
            "2016-03-14T01:59:00+02:00",
            "2024-02-29T00:00:00Z",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2016-12-05T21:29:29",
            "2016-03-14t01:59:00z",
            "2016-03-14 01:59:00Z",
            "2016-13-14T01:59:00Z",
            "2023-02-29T00:00:00Z",
            "2016-03-14T01:59:00.Z",
            "x",
            "",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

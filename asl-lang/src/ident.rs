//! Names in a definition: workflow variables.

/// Longest variable name, in characters.
pub const MAX_VARIABLE_NAME: usize = 80;

/// Whether `name` is a valid workflow variable name: a Unicode identifier (`_` may start it)
/// of at most 80 characters.
pub fn is_valid_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| unicode_ident::is_xid_start(c) || c == '_')
        && chars.all(unicode_ident::is_xid_continue)
        && name.chars().count() <= MAX_VARIABLE_NAME
}

/// The candidate `word` is most likely a misspelling of, if one is close enough (for "did you
/// mean" hints).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names() {
        assert!(is_valid_variable_name("total") && is_valid_variable_name("_x1"));
        assert!(is_valid_variable_name("공격"));
        assert!(!is_valid_variable_name("1st") && !is_valid_variable_name(""));
        assert!(!is_valid_variable_name("a-b"));
        assert!(!is_valid_variable_name(&"x".repeat(81)));
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("Nxt", ["Next", "End", "Type"]), Some("Next"));
        assert_eq!(
            did_you_mean("resultpath", ["ResultPath", "Resource"]),
            Some("ResultPath")
        );
        assert_eq!(did_you_mean("Zebra", ["Next", "End"]), None);
    }
}

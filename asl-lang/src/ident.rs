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
}

//! Rust names for state names, which are free text: `Validate order` → `validate_order`,
//! `공격 훈련` → `공격_훈련`, `1st step!` → `state_1st_step`, with collisions numbered.

/// Rust keywords (strict and reserved, 2024 edition), which a name may not be.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "build", "fallback",
];

/// A snake_case identifier for `name`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_alphanumeric() && unicode_ident::is_xid_continue(c) {
            if c.is_uppercase() {
                if prev_lower && !out.ends_with('_') {
                    out.push('_');
                }
                out.extend(c.to_lowercase());
                prev_lower = false;
            } else {
                out.push(c);
                prev_lower = c.is_lowercase() || c.is_ascii_digit();
            }
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let mut out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        out = "state".to_owned();
    }
    if !out.starts_with(|c: char| unicode_ident::is_xid_start(c)) {
        out.insert_str(0, "state_");
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Unique names: the second `a` becomes `a_2`, and so on.
pub fn unique(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for name in names {
        let mut candidate = name.clone();
        let mut n = 2;
        while seen.contains(&candidate) {
            candidate = format!("{name}_{n}");
            n += 1;
        }
        seen.push(candidate);
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("Validate order"), "validate_order");
        assert_eq!(snake("ChargeCard"), "charge_card");
        assert_eq!(snake("공격 훈련"), "공격_훈련");
        assert_eq!(snake("1st step!"), "state_1st_step");
        assert_eq!(snake("!!!"), "state");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("Is it valid?"), "is_it_valid");
        assert_eq!(
            unique(["a".into(), "a".into(), "a_2".into()]),
            ["a", "a_2", "a_2_2"]
        );
    }
}

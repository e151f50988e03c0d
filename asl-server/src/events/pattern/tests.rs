use serde_json::json;

use super::*;

fn matches(pattern: serde_json::Value, event: serde_json::Value) -> bool {
    Pattern::from_value(&pattern)
        .expect("a valid pattern")
        .matches_value(&event)
}

fn refused(pattern: &str) -> String {
    Pattern::parse(pattern).expect_err("refused").message
}

#[test]
fn fields_meet_at_dotted_paths_and_arrays_are_sets() {
    assert!(matches(
        json!({"detail": {"state": {"status": ["running"]}}}),
        json!({"detail": {"state.status": "running"}})
    ));
    assert!(matches(
        json!({"detail": {"state.status": ["running"]}}),
        json!({"detail": {"state": {"status": "running"}}})
    ));
    assert!(matches(json!({"tags": ["b"]}), json!({"tags": ["a", "b"]})));
    assert!(!matches(json!({"tags": [null]}), json!({"tags": []})));
    assert!(matches(json!({"n": [300]}), json!({"n": 300.0})));
    assert!(!matches(json!({"n": ["300"]}), json!({"n": 300})));
}

#[test]
fn operators() {
    let e = json!({"s": "Image.PNG", "n": 7, "ip": "10.0.0.9", "z": null});
    assert!(matches(json!({"s": [{"prefix": "Image"}]}), e.clone()));
    assert!(matches(
        json!({"s": [{"suffix": {"equals-ignore-case": ".png"}}]}),
        e.clone()
    ));
    assert!(matches(
        json!({"s": [{"equals-ignore-case": "image.png"}]}),
        e.clone()
    ));
    assert!(matches(json!({"s": [{"wildcard": "Im*.P*G"}]}), e.clone()));
    assert!(!matches(json!({"s": [{"wildcard": "*.jpg"}]}), e.clone()));
    assert!(matches(
        json!({"n": [{"numeric": [">", 5, "<=", 7]}]}),
        e.clone()
    ));
    assert!(!matches(json!({"n": [{"numeric": ["<", 7]}]}), e.clone()));
    assert!(matches(json!({"ip": [{"cidr": "10.0.0.0/24"}]}), e.clone()));
    assert!(!matches(
        json!({"ip": [{"cidr": "10.0.1.0/24"}]}),
        e.clone()
    ));
    assert!(matches(json!({"missing": [{"exists": false}]}), e.clone()));
    assert!(matches(json!({"z": [{"exists": true}]}), e.clone()));
    assert!(
        matches(json!({"z": [{"anything-but": {"prefix": "x"}}]}), e.clone()),
        "null passes anything-but"
    );
    assert!(
        !matches(json!({"missing": [{"anything-but": "x"}]}), e.clone()),
        "an absent field does not"
    );
    assert!(matches(
        json!({"$or": [{"n": [1]}, {"s": [{"prefix": "Im"}]}]}),
        e
    ));
}

#[test]
fn awss_reasons_for_invalid_patterns() {
    assert!(refused(r#"{"a": 1}"#).ends_with(r#""a" must be an object or an array"#));
    assert!(refused(r#"{"a": []}"#).ends_with("Empty arrays are not allowed"));
    assert!(
        refused(r#"{"a": [{"wildcard": "x**"}]}"#)
            .ends_with("Consecutive wildcard characters at pos 2")
    );
    assert!(
        refused(r#"{"a": [{"numeric": [">", 0, ">", 1]}]}"#)
            .ends_with("Bad numeric range operator: >")
    );
    assert!(refused(r#"{"a": [{"anything-but": ["x", null]}]}"#).contains("start|null|boolean"));
    assert!(refused("[1]").ends_with("Filter is not an object"));
    assert!(refused("nope").contains("Unrecognized token 'nope'"));
}

#[test]
fn matches_are_array_consistent() {
    let event = json!({"a": [{"b": 1, "c": 1}, {"b": 2, "c": 2}]});
    assert!(matches(json!({"a": {"b": [1], "c": [1]}}), event.clone()));
    assert!(
        !matches(json!({"a": {"b": [1], "c": [2]}}), event.clone()),
        "peer elements"
    );
    assert!(matches(
        json!({"a": {"b": [2], "$or": [{"c": [1]}, {"c": [2]}]}}),
        event.clone()
    ));
    assert!(!matches(
        json!({"a": {"b": [2], "$or": [{"c": [1]}, {"c": [3]}]}}),
        event
    ));
    // Different arrays may each contribute.
    assert!(matches(
        json!({"x": [1], "y": [2]}),
        json!({"x": [0, 1], "y": [2, 3]})
    ));
}

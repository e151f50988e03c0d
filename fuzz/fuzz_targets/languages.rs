//! Each small language's parser on any text: JSONPath (and, for what parses, selecting from a
//! document), filters, intrinsic calls, timestamps, StringMatches patterns, the JSONata
//! analysis and variable names. The first byte picks nothing: every parser sees every input.
#![no_main]

use asl_lang::{choice::Pattern, filter, ident, intrinsic, jsonata, jsonpath, timestamp};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = json!({"a": [1, {"b": "x", "c": [true, null, 2.5]}], "n": -3, "s": "text"});
    if let Ok(path) = jsonpath::parse(text) {
        let _ = path.select(&doc);
        let _ = path.bracketed();
    }
    let _ = filter::parse(text);
    if let Ok(call) = intrinsic::parse(text) {
        let _ = call.function;
    }
    let _ = intrinsic::template_holes(text);
    let _ = timestamp::parse(text);
    if let Ok(pattern) = Pattern::parse(text) {
        let _ = pattern.matches(text);
    }
    let _ = jsonata::analyze(text);
    let _ = ident::is_valid_variable_name(text);
});

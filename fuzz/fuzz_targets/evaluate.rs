//! The runtime evaluating paths and intrinsic calls over arbitrary JSON: the input is an
//! expression, a NUL byte, then a JSON document (a fixed one when it does not parse).
#![no_main]

use asl_runtime::data::scope::Scope;
use asl_runtime::effects::Seam;
use asl_runtime::time::ExecutionClock;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fuzz_target!(|data: &[u8]| {
    let (expr, doc) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(expr) = std::str::from_utf8(expr) else {
        return;
    };
    let doc: Value = serde_json::from_slice(doc)
        .unwrap_or_else(|_| json!({"a": [1, {"b": "x"}], "n": 2, "s": "a,b"}));
    let seam = Seam::new(ExecutionClock::system(), None);
    let scope = Scope {
        input: &doc,
        context: &doc,
        seam: Some(&seam),
        ..Scope::PLAIN
    };
    if let Ok(path) = asl_lang::jsonpath::parse(expr) {
        let _ = scope.select(&path);
        let _ = scope.select_ref(&path);
    }
    if let Ok(call) = asl_lang::intrinsic::parse(expr) {
        let _ = asl_runtime::intrinsic::eval(&call, &scope, "field.$");
    }
});

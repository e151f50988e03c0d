//! Any text as a JSONata expression, evaluated by the runtime over a fixed document within a
//! tight budget: it must end (error or value) within the budget and never panic.
#![no_main]

use std::time::Duration;

use asl_runtime::Budget;
use asl_runtime::data::jsonata::Expr;
use asl_runtime::data::scope::Scope;
use asl_runtime::effects::Seam;
use asl_runtime::time::ExecutionClock;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

const BUDGET: Budget = Budget {
    time: Duration::from_millis(100),
    memory: 16 << 20,
    depth: 200,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let seam = Seam::new(ExecutionClock::system(), None).with_budget(BUDGET);
    let doc = json!({"a": [1, {"b": "x", "c": [true, null, 2.5]}], "n": -3, "s": "text"});
    let context = json!({"Execution": {"Id": "arn"}});
    let scope = Scope {
        input: &doc,
        context: &context,
        seam: Some(&seam),
        ..Scope::PLAIN
    };
    let _ = Expr::new(text).eval(&scope, "Output");
});

//! Any bytes at all give diagnostics, never a panic or a hang: thousands of malformed
//! definitions (mutated valid ones, random ASL-shaped trees, binary data, deep nesting, a
//! 10 MB document) go through the checker, and each must come back.

use asl_codegen::{CheckOptions, Syntax, check_source};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SEEDS: &[&str] = &[
    include_str!("../../examples/workflows/order.asl.json"),
    r#"{"StartAt":"A","States":{"A":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"ItemBatcher":{"MaxItemsPerBatch":10},"Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"C","States":{"C":{"Type":"Wait","Seconds":1,"End":true}}}],"End":true}}}"#,
    r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 1 %}","Next":"B","Assign":{"x":"{% $states.input %}"}}],"Default":"B"},"B":{"Type":"Pass","Output":{"v":"{% $x %}"},"End":true}}}"#,
    r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"f.$":"States.Format('{} {}', $.a, States.ArrayGetItem($.b, 0))","g.$":"$$.Execution.Id"},"ResultPath":"$.r","Next":"F"},"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.JsonToString($)"}}}"#,
];

const KEYS: &[&str] = &[
    "StartAt",
    "States",
    "Type",
    "Next",
    "End",
    "Choices",
    "Default",
    "Variable",
    "StringEquals",
    "And",
    "Not",
    "Resource",
    "Parameters",
    "ResultPath",
    "InputPath",
    "Retry",
    "Catch",
    "ErrorEquals",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "ItemsPath",
    "Seconds",
    "Timestamp",
    "Error",
    "CausePath",
    "QueryLanguage",
    "Assign",
    "Output",
    "Condition",
    "Arguments",
    "x.$",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "ItemReader",
    "ReaderConfig",
    "Label",
];
const STRINGS: &[&str] = &[
    "A",
    "B",
    "Task",
    "Pass",
    "Choice",
    "Wait",
    "Succeed",
    "Fail",
    "Parallel",
    "Map",
    "JSONata",
    "JSONPath",
    "$",
    "$$",
    "$.a[",
    "$.a[?(@.b",
    "States.Format('{}'",
    "States.ALL",
    "{% $states.input %}",
    "{% ( %}",
    "{% $x.y",
    "",
    "${Placeholder}",
    "2016-03-14T01:59:00Z",
    "\u{0}",
    "é",
    "$v.x",
];

fn random_value(rng: &mut Rng, depth: usize) -> String {
    match if depth > 6 {
        rng.below(4)
    } else {
        rng.below(7)
    } {
        0 => format!("{:?}", rng.pick(STRINGS)),
        1 => ["0", "-1", "1.5", "1e400", "99999999999"][rng.below(5)].to_owned(),
        2 => ["true", "false", "null"][rng.below(3)].to_owned(),
        3 => format!("{:?}", rng.pick(STRINGS)),
        4 | 5 => {
            let n = rng.below(5);
            let members: Vec<String> = (0..n)
                .map(|_| format!("{:?}:{}", rng.pick(KEYS), random_value(rng, depth + 1)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        _ => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n).map(|_| random_value(rng, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
    }
}

fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 => bytes.truncate(at),
            1 => {
                let end = (at + rng.below(20)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => bytes.insert(
                at.min(bytes.len()),
                *rng.pick(b"{}[]\",:\\$.'%0a \n\x00\xff"),
            ),
            3 => {
                let piece = format!("{:?}", rng.pick(STRINGS));
                bytes.splice(at.min(bytes.len())..at.min(bytes.len()), piece.into_bytes());
            }
            _ => {
                if let Some(b) = bytes.get_mut(at) {
                    *b = (rng.next() & 0xff) as u8;
                }
            }
        }
    }
    bytes
}

fn check_bytes(bytes: &[u8], syntax: Syntax) {
    let text = String::from_utf8_lossy(bytes);
    let checked = check_source(&text, syntax, &CheckOptions::default());
    if checked.machine.is_none() {
        assert!(
            !checked.diagnostics.is_empty(),
            "a rejected document must say why: {text:?}"
        );
    }
    for d in &checked.diagnostics {
        // Every diagnostic can be rendered at a position inside the text.
        let rendered = d.render("fuzz.asl.json", &text);
        assert!(rendered.contains(d.code.as_str()));
    }
}

#[test]
fn mutated_definitions_come_back_with_diagnostics() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..3000 {
        let seed = SEEDS[i % SEEDS.len()];
        let bytes = mutate(&mut rng, seed);
        check_bytes(
            &bytes,
            if i % 5 == 0 {
                Syntax::Yaml
            } else {
                Syntax::Json
            },
        );
    }
}

#[test]
fn random_asl_shaped_trees_come_back() {
    let mut rng = Rng(42);
    for _ in 0..2000 {
        let states: Vec<String> = (0..1 + rng.below(4))
            .map(|_| format!("{:?}:{}", rng.pick(STRINGS), random_value(&mut rng, 1)))
            .collect();
        let doc = format!(
            r#"{{"StartAt":{:?},"States":{{{}}}}}"#,
            rng.pick(STRINGS),
            states.join(",")
        );
        check_bytes(doc.as_bytes(), Syntax::Json);
    }
}

#[test]
fn binary_and_degenerate_inputs() {
    let mut rng = Rng(7);
    for len in [0usize, 1, 2, 16, 4096] {
        for _ in 0..20 {
            let bytes: Vec<u8> = (0..len).map(|_| (rng.next() & 0xff) as u8).collect();
            check_bytes(&bytes, Syntax::Json);
            check_bytes(&bytes, Syntax::Yaml);
        }
    }
    for deep in [
        "[".repeat(200_000),
        "{\"a\":".repeat(100_000),
        "- ".repeat(50_000),
    ] {
        check_bytes(deep.as_bytes(), Syntax::Json);
        check_bytes(deep.as_bytes(), Syntax::Yaml);
    }
    // Choice rules nested as deep as the reader allows.
    let nested = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Choice","Choices":[{{"Next":"B",{}"Variable":"$.x","IsNull":true{}}}],"Default":"B"}},"B":{{"Type":"Succeed"}}}}}}"#,
        "\"Not\":{".repeat(250),
        "}".repeat(250)
    );
    let checked = check_source(&nested, Syntax::Json, &CheckOptions::default());
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "TOO_DEEPLY_NESTED")
    );
    // A deeply nested JSONata expression is refused by the parser's own depth guard.
    let expr = format!(
        r#"{{"QueryLanguage":"JSONata","StartAt":"A","States":{{"A":{{"Type":"Pass","Output":"{{% {}1{} %}}","End":true}}}}}}"#,
        "(".repeat(5000),
        ")".repeat(5000)
    );
    check_bytes(expr.as_bytes(), Syntax::Json);
}

#[test]
fn ten_megabyte_definition() {
    let big = "x".repeat(10 * 1024 * 1024);
    let doc = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","Result":{{"blob":"{big}"}},"End":true}}}}}}"#
    );
    let checked = check_source(&doc, Syntax::Json, &CheckOptions::default());
    assert!(checked.is_ok(), "{:?}", checked.diagnostics);
}

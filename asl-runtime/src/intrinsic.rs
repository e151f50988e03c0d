//! The 18 intrinsic functions, evaluated as AWS evaluates them. The generator has already
//! parsed each call, checked its arity and literal arguments, and split `States.Format`
//! templates at their holes.

use std::borrow::Cow;

use base64::Engine as _;
use serde_json::Value;
use smallvec::SmallVec;

use crate::budget::Budget;
use crate::data::scope::Scope;
use crate::effects::{Seam, draw_u64, draw_uuid};
use crate::error::{Failure, names};
use asl_lang::jsonpath::Path;

pub use asl_lang::intrinsic::{Arg, Call, Function};

/// Argument values: borrowed from the input where a path names them, on the stack for up to
/// four.
type Args<'a> = SmallVec<[Cow<'a, Value>; 4]>;

/// A path argument's value (borrowed from `scope` where the path names one value), or the
/// `States.Runtime` failure AWS reports when it names nothing; `field` is the template key the
/// call stands under.
#[inline]
pub fn path_arg<'a>(
    scope: &Scope<'a>,
    path: &Path,
    field: &str,
) -> Result<Cow<'a, Value>, Failure> {
    scope
        .select_ref(path)
        .ok_or_else(|| no_path_arg(scope, path, field))
}

#[cold]
fn no_path_arg(scope: &Scope<'_>, path: &Path, field: &str) -> Failure {
    Failure::in_state(
        names::RUNTIME,
        format!(
            "The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
            path.text(),
            serde_json::to_string(scope.input).unwrap_or_default()
        ),
    )
}

/// The longest string Base64Encode/Base64Decode/Hash take.
pub const MAX_INPUT_CHARS: usize = 10_000;
/// The most elements ArrayRange makes.
pub const MAX_RANGE: usize = 1000;

/// Runs `function` on argument values already computed (for the JSONata functions AWS adds,
/// which behave as the intrinsics of the same name).
pub(crate) fn call_function(function: Function, args: Vec<Value>) -> Result<Value, Failure> {
    apply_function(
        None,
        function,
        &[],
        &args.iter().collect::<SmallVec<[&Value; 4]>>(),
    )
}

fn fail(cause: impl Into<String>) -> Failure {
    Failure::new(names::INTRINSIC_FAILURE, cause)
}

/// Evaluates `call`; `field` is the template key it stands under (for messages).
pub fn eval(call: &Call, scope: &Scope<'_>, field: &str) -> Result<Value, Failure> {
    let mut args = Args::with_capacity(call.args.len());
    for a in &call.args {
        args.push(match a {
            Arg::Literal(v) => Cow::Borrowed(v),
            Arg::Path(p) => path_arg(scope, p, field)?,
            Arg::Call(c) => Cow::Owned(eval(c, scope, field)?),
        });
    }
    apply_function(
        scope.seam,
        call.function,
        &call.template,
        &args.iter().map(|a| &**a).collect::<SmallVec<[&Value; 4]>>(),
    )
}

/// Runs `function` on its argument values; `template` is `States.Format`'s literal template
/// split at its holes (empty when the template is the first argument); `States.UUID` and
/// `States.MathRandom` draw from `seam` (the system's randomness without one). Generated code
/// calls this directly with the values of its arguments.
#[inline]
pub fn apply_function(
    seam: Option<&Seam>,
    function: Function,
    template: &[Box<str>],
    args: &[&Value],
) -> Result<Value, Failure> {
    // The counter of a loop (`States.MathAdd($.i, 1)`), in place where the call is: whole
    // numbers a double holds exactly add as integers, the same sum as `apply_any`'s rounding.
    if let (Function::MathAdd, [a, b]) = (function, args)
        && let (Some(a), Some(b)) = (exact_int(a), exact_int(b))
    {
        return Ok(Value::from(a + b));
    }
    apply_any(seam, function, template, args)
}

/// [`apply_function`] for any function and arguments.
fn apply_any(
    seam: Option<&Seam>,
    function: Function,
    template: &[Box<str>],
    args: &[&Value],
) -> Result<Value, Failure> {
    let name = function.name();
    let bad = |what: &str| fail(format!("Invalid arguments in {name}: {what}"));
    let null = Value::Null;
    let arg = |i: usize| args.get(i).copied().unwrap_or(&null);
    let int = |i: usize| -> Result<i64, Failure> {
        match arg(i) {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).and_then(java_round))
                .ok_or_else(|| bad("expected an integer")),
            _ => Err(bad("expected an integer")),
        }
    };
    let array = |i: usize| -> Result<&Vec<Value>, Failure> {
        match arg(i) {
            Value::Array(a) => Ok(a),
            _ => Err(bad("expected an array")),
        }
    };
    let string = |i: usize| -> Result<&str, Failure> {
        match arg(i) {
            Value::String(s) => Ok(s),
            _ => Err(bad("expected a string")),
        }
    };
    match function {
        Function::Format => {
            let dynamic: Vec<Box<str>>;
            let (template, values) = if template.is_empty() {
                dynamic = string(0)?.split("{}").map(Box::from).collect();
                (dynamic.as_slice(), &args[1..])
            } else {
                (template, args)
            };
            // What the text would take, about, before it is built: over the memory budget
            // (one argument written many times) is a failure, not gigabytes.
            let holes = template.len().saturating_sub(1);
            let size: usize = template.iter().map(|p| p.len()).sum::<usize>()
                + values
                    .iter()
                    .take(holes)
                    .map(|v| crate::limits::json_size(v))
                    .sum::<usize>();
            let memory = seam.map_or(Budget::DEFAULT.memory, |s| s.budget().memory);
            if size > memory {
                return Err(fail(format!(
                    "Invalid arguments in {name}: the text would be about {size} bytes, more than the memory budget of {memory} bytes"
                )));
            }
            let mut out = String::with_capacity(template.iter().map(|p| p.len() + 4).sum());
            for (i, piece) in template.iter().enumerate() {
                out.push_str(piece);
                if i + 1 < template.len() {
                    match values.get(i) {
                        Some(v) => java_text(v, &mut out),
                        None => return Err(bad("fewer arguments than '{}' in the template")),
                    }
                }
            }
            Ok(Value::String(out))
        }
        Function::StringToJson => {
            let s = string(0)?;
            if s.trim().is_empty() {
                return Ok(Value::Null);
            }
            serde_json::from_str(s).map_err(|e| fail(format!("Invalid arguments in {name}: {e}")))
        }
        Function::JsonToString => serde_json::to_string(arg(0))
            .map(Value::String)
            .map_err(|e| bad(&e.to_string())),
        Function::Array => Ok(Value::Array(args.iter().map(|v| (*v).clone()).collect())),
        Function::ArrayPartition => {
            let items = array(0)?;
            let size = int(1)?;
            if size <= 0 {
                return Err(bad("the chunk size must be positive"));
            }
            Ok(Value::Array(
                items
                    .chunks(size as usize)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect(),
            ))
        }
        Function::ArrayContains => Ok(Value::Bool(array(0)?.contains(arg(1)))),
        Function::ArrayRange => {
            let (start, end, step) = (int(0)?, int(1)?, int(2)?);
            if step == 0 {
                return Err(bad("the step can not be 0"));
            }
            // In 128 bits: the distance between two 64-bit integers does not fit in 64.
            let count = if (step > 0 && start > end) || (step < 0 && start < end) {
                0
            } else {
                (i128::from(end) - i128::from(start)) / i128::from(step) + 1
            };
            if count > MAX_RANGE as i128 {
                return Err(fail(format!(
                    "Invalid arguments in {name}: the range has {count} elements; the most is {MAX_RANGE}"
                )));
            }
            // At most MAX_RANGE items, each between start and end: nothing overflows.
            Ok(Value::Array(
                (0..count as i64)
                    .map(|i| Value::from(start + i * step))
                    .collect(),
            ))
        }
        Function::ArrayGetItem => {
            let items = array(0)?;
            let i = int(1)?;
            usize::try_from(i)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .ok_or_else(|| bad("the index is out of bounds"))
        }
        Function::ArrayLength => Ok(Value::from(array(0)?.len())),
        Function::ArrayUnique => {
            let mut out: Vec<Value> = Vec::new();
            for v in array(0)? {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            Ok(Value::Array(out))
        }
        Function::Base64Encode => {
            let s = string(0)?;
            if s.chars().count() > MAX_INPUT_CHARS {
                return Err(bad("the input is longer than 10000 characters"));
            }
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(s),
            ))
        }
        Function::Base64Decode => {
            let s = string(0)?;
            if s.chars().count() > MAX_INPUT_CHARS {
                return Err(bad("the input is longer than 10000 characters"));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map_err(|e| bad(&format!("not base64: {e}")))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| bad("the decoded bytes are not UTF-8 text"))
        }
        Function::Hash => {
            let data = match arg(0) {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                other => Cow::Owned(other.to_string()),
            };
            if data.chars().count() > MAX_INPUT_CHARS {
                return Err(bad("the input is longer than 10000 characters"));
            }
            let algorithm = string(1)?;
            Ok(Value::String(hash(algorithm, data.as_bytes()).ok_or_else(|| {
                fail(format!("Invalid arguments in {name}: '{algorithm}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"))
            })?))
        }
        Function::JsonMerge => {
            if !matches!((arg(0), arg(1)), (Value::Object(_), Value::Object(_))) {
                return Err(bad("the first two arguments must be objects"));
            }
            if *arg(2) != Value::Bool(false) {
                return Err(fail(format!(
                    "Invalid arguments in {name}: Step Functions only supports the shallow merging mode; the third argument must be false"
                )));
            }
            let (Value::Object(a), Value::Object(b)) = (arg(0), arg(1)) else {
                return Err(bad("the first two arguments must be objects"));
            };
            let mut merged = a.clone();
            for (k, v) in b {
                merged.insert(k.clone(), v.clone());
            }
            Ok(Value::Object(merged))
        }
        Function::MathRandom => {
            let (start, end) = (
                rounded(arg(0)).ok_or_else(|| bad(INTEGERS))?,
                rounded(arg(1)).ok_or_else(|| bad(INTEGERS))?,
            );
            if start > end {
                return Err(bad("the start is larger than the end"));
            }
            use rand::{Rng, SeedableRng};
            let n = match args.get(2) {
                Some(seed) => {
                    let seed = number(seed).ok_or_else(|| bad("the seed must be a number"))? as i64;
                    rand::rngs::SmallRng::seed_from_u64(seed as u64).random_range(start..=end)
                }
                None => {
                    rand::rngs::SmallRng::seed_from_u64(draw_u64(seam)).random_range(start..=end)
                }
            };
            Ok(Value::from(n))
        }
        Function::MathAdd => {
            // (Whole numbers a double holds exactly were added as integers in `apply_function`:
            // the same sum as this rounding, without it.)
            let a = rounded(arg(0)).ok_or_else(|| bad(INTEGERS))?;
            let b = rounded(arg(1)).ok_or_else(|| bad(INTEGERS))?;
            a.checked_add(b).map(Value::from).ok_or_else(|| {
                bad(&format!(
                    "the sum of {a} and {b} is outside the integer range [{}, {}]",
                    i64::MIN,
                    i64::MAX
                ))
            })
        }
        Function::StringSplit => {
            let s = string(0)?;
            let delimiters = string(1)?;
            Ok(Value::Array(
                s.split(|c| delimiters.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_owned()))
                    .collect(),
            ))
        }
        Function::Uuid => Ok(Value::String(draw_uuid(seam).to_string())),
    }
}

/// A value as AWS's States.Format writes it: strings as they are, and arrays and objects the
/// way Java prints its lists and maps (`[a, b]`, `{k=v}`), as recorded from AWS.
fn java_text(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                java_text(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                java_text(item, out);
            }
            out.push('}');
        }
        other => {
            use std::fmt::Write as _;
            let _ = write!(out, "{other}");
        }
    }
}

/// An integer of at most 53 bits (one an `f64` holds exactly).
#[inline]
fn exact_int(v: &Value) -> Option<i64> {
    const EXACT: i64 = 1 << 53;
    v.as_i64().filter(|n| (-EXACT..=EXACT).contains(n))
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Java's `Math.round`: halves go towards positive infinity.
/// `x` rounded half up, as Java's `Math.round` does; `None` when that is not a 64-bit integer
/// (never a saturated one).
fn java_round(x: f64) -> Option<i64> {
    // -2^63 and 2^63 are exact as doubles; i64::MAX is not.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    let r = (x + 0.5).floor();
    (r.is_finite() && (-LIMIT..LIMIT).contains(&r)).then_some(r as i64)
}

/// A number argument as an integer: integers as they are, other numbers rounded half up.
fn rounded(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| number(v).and_then(java_round))
}

/// The complaint about numbers that are not 64-bit integers once rounded.
const INTEGERS: &str = "expected numbers within the 64-bit integer range";

fn hash(algorithm: &str, data: &[u8]) -> Option<String> {
    use sha2::Digest;
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    Some(match algorithm {
        "MD5" => hex(&md5::Md5::digest(data)),
        "SHA-1" => hex(&sha1::Sha1::digest(data)),
        "SHA-256" => hex(&sha2::Sha256::digest(data)),
        "SHA-384" => hex(&sha2::Sha384::digest(data)),
        "SHA-512" => hex(&sha2::Sha512::digest(data)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(function: Function, args: Vec<Value>) -> Result<Value, Failure> {
        Call {
            function,
            args: args.into_iter().map(Arg::Literal).collect(),
            template: Vec::new(),
        }
        .apply_literal()
    }

    trait ApplyLiteral {
        fn apply_literal(&self) -> Result<Value, Failure>;
    }

    impl ApplyLiteral for Call {
        fn apply_literal(&self) -> Result<Value, Failure> {
            let null = Value::Null;
            let args: Vec<&Value> = self
                .args
                .iter()
                .map(|a| match a {
                    Arg::Literal(v) => v,
                    _ => &null,
                })
                .collect();
            apply_function(None, self.function, &self.template, &args)
        }
    }

    fn err(r: Result<Value, Failure>) -> String {
        let f = r.expect_err("should fail");
        assert_eq!(f.error, names::INTRINSIC_FAILURE);
        f.cause.unwrap_or_default()
    }

    #[test]
    fn format_fills_holes() {
        let c = Call {
            function: Function::Format,
            args: vec![
                Arg::Literal(json!("x")),
                Arg::Literal(json!(1.5)),
                Arg::Literal(json!(null)),
            ],
            template: vec!["a ".into(), ", ".into(), " {".into(), "}".into()],
        };
        assert_eq!(c.apply_literal(), Ok(json!("a x, 1.5 {null}")));
        let nested = Call {
            function: Function::Format,
            args: vec![Arg::Literal(json!({"a": 1, "b": ["x", null]}))],
            template: vec!["".into(), "".into()],
        };
        assert_eq!(nested.apply_literal(), Ok(json!("{a=1, b=[x, null]}")));
        let missing = Call {
            function: Function::Format,
            args: vec![],
            template: vec!["".into(), "".into()],
        };
        assert!(err(missing.apply_literal()).contains("fewer arguments"));
    }

    #[test]
    fn arrays() {
        assert_eq!(
            call(
                Function::ArrayPartition,
                vec![json!([1, 2, 3, 4, 5]), json!(2)]
            ),
            Ok(json!([[1, 2], [3, 4], [5]]))
        );
        assert!(
            err(call(Function::ArrayPartition, vec![json!([1]), json!(0)])).contains("positive")
        );
        assert_eq!(
            call(Function::ArrayRange, vec![json!(1), json!(9), json!(2)]),
            Ok(json!([1, 3, 5, 7, 9]))
        );
        assert_eq!(
            call(Function::ArrayRange, vec![json!(9), json!(1), json!(-4)]),
            Ok(json!([9, 5, 1]))
        );
        assert!(
            err(call(
                Function::ArrayRange,
                vec![json!(0), json!(1000), json!(1)]
            ))
            .contains("1001 elements")
        );
        assert!(
            err(call(
                Function::ArrayRange,
                vec![json!(0), json!(3), json!(0)]
            ))
            .contains("step")
        );
        assert_eq!(
            call(Function::ArrayGetItem, vec![json!([1, 2]), json!(1)]),
            Ok(json!(2))
        );
        assert!(
            err(call(Function::ArrayGetItem, vec![json!([1, 2]), json!(5)]))
                .contains("out of bounds")
        );
        assert_eq!(
            call(Function::ArrayUnique, vec![json!([1, 2, 1, "a", "a"])]),
            Ok(json!([1, 2, "a"]))
        );
        assert_eq!(
            call(
                Function::ArrayContains,
                vec![json!([1, {"a": 1}]), json!({"a": 1})]
            ),
            Ok(json!(true))
        );
        assert!(err(call(Function::ArrayLength, vec![json!("abc")])).contains("expected an array"));
    }

    #[test]
    fn strings_and_json() {
        assert_eq!(
            call(Function::StringSplit, vec![json!("a,b;;c"), json!(",;")]),
            Ok(json!(["a", "b", "c"]))
        );
        assert_eq!(
            call(Function::StringToJson, vec![json!(" ")]),
            Ok(json!(null))
        );
        assert!(
            err(call(Function::StringToJson, vec![json!("{nope")]))
                .contains("Invalid arguments in States.StringToJson")
        );
        assert_eq!(
            call(Function::JsonToString, vec![json!({"a": [1, 2.5]})]),
            Ok(json!("{\"a\":[1,2.5]}"))
        );
        assert_eq!(
            call(
                Function::JsonMerge,
                vec![
                    json!({"a": 1, "b": {"x": 1}}),
                    json!({"b": {"y": 2}}),
                    json!(false)
                ]
            ),
            Ok(json!({"a": 1, "b": {"y": 2}}))
        );
        assert!(
            err(call(
                Function::JsonMerge,
                vec![json!({}), json!({}), json!(true)]
            ))
            .contains("shallow")
        );
    }

    #[test]
    fn encodings_and_hashes() {
        assert_eq!(
            call(Function::Base64Encode, vec![json!("Data to encode")]),
            Ok(json!("RGF0YSB0byBlbmNvZGU="))
        );
        assert_eq!(
            call(Function::Base64Decode, vec![json!("RGF0YSB0byBlbmNvZGU=")]),
            Ok(json!("Data to encode"))
        );
        assert!(err(call(Function::Base64Decode, vec![json!("***")])).contains("not base64"));
        assert!(
            err(call(
                Function::Base64Encode,
                vec![json!("x".repeat(10_001))]
            ))
            .contains("10000")
        );
        assert_eq!(
            call(Function::Hash, vec![json!("input data"), json!("MD5")]),
            Ok(json!("812f45842bc6d66ee14572ce20db8e86"))
        );
        assert_eq!(
            call(Function::Hash, vec![json!("input data"), json!("SHA-1")]),
            Ok(json!("aaff4a450a104cd177d28d18d74485e8cae074b7"))
        );
        assert!(
            err(call(Function::Hash, vec![json!("x"), json!("SHA-3")]))
                .contains("'SHA-3' is not one of")
        );
    }

    #[test]
    fn format_refuses_text_over_the_memory_budget_before_building_it() {
        let budget = Budget {
            memory: 1_000,
            ..Budget::DEFAULT
        };
        let seam = Seam::new(crate::time::ExecutionClock::system(), None).with_budget(budget);
        let word = json!("x".repeat(600));
        let template: Vec<Box<str>> = vec!["".into(), "".into(), "".into()];
        let twice = apply_function(Some(&seam), Function::Format, &template, &[&word, &word]);
        assert!(
            matches!(&twice, Err(f) if f.error == "States.IntrinsicFailure"
                && f.cause.as_deref().is_some_and(|c| c.contains("memory budget"))),
            "{twice:?}"
        );
        let once = apply_function(Some(&seam), Function::Format, &template[1..], &[&word]);
        assert_eq!(once.ok().and_then(|v| v.as_str().map(str::len)), Some(600));
    }

    #[test]
    fn math() {
        assert_eq!(
            call(Function::MathAdd, vec![json!(1.49), json!(1.5)]),
            Ok(json!(3))
        );
        assert_eq!(
            call(Function::MathAdd, vec![json!(-1.5), json!(0)]),
            Ok(json!(-1))
        );
        assert!(
            err(call(Function::MathAdd, vec![json!("1"), json!(0)])).contains("expected numbers")
        );
        // Whole numbers a double holds exactly add as integers; larger ones as before, through
        // the double.
        assert_eq!(
            call(Function::MathAdd, vec![json!(-5), json!(3)]),
            Ok(json!(-2))
        );
        assert_eq!(
            call(Function::MathAdd, vec![json!(1i64 << 53), json!(1)]),
            Ok(json!((1i64 << 53) + 1))
        );
        // Overflow is an error, never a saturated or wrapped sum.
        for (a, b) in [
            (json!(i64::MAX), json!(1)),
            (json!(i64::MIN), json!(-1)),
            (json!(1e300), json!(0)),
        ] {
            let e = call(Function::MathAdd, vec![a.clone(), b.clone()]);
            assert!(
                matches!(&e, Err(f) if f.error == "States.IntrinsicFailure"),
                "{a} + {b}: {e:?}"
            );
        }
        assert!(
            err(call(Function::MathAdd, vec![json!(i64::MAX), json!(1)]))
                .contains("outside the integer range")
        );
        assert_eq!(
            call(Function::MathAdd, vec![json!(i64::MAX), json!(-1)]),
            Ok(json!(i64::MAX - 1))
        );
        // A range whose span does not fit in 64 bits is too long, not an overflow.
        assert!(
            err(call(
                Function::ArrayRange,
                vec![json!(i64::MIN), json!(i64::MAX), json!(1)]
            ))
            .contains("the most is")
        );
        assert!(
            err(call(Function::ArrayGetItem, vec![json!([1]), json!(1e300)]))
                .contains("expected an integer")
        );
        let a = call(Function::MathRandom, vec![json!(1), json!(10), json!(7)]);
        assert_eq!(
            a,
            call(Function::MathRandom, vec![json!(1), json!(10), json!(7)]),
            "seeded is deterministic"
        );
        let n = call(Function::MathRandom, vec![json!(5), json!(6)])
            .ok()
            .and_then(|v| v.as_i64())
            .unwrap_or(0);
        assert!((5..=6).contains(&n));
        let u = call(Function::Uuid, vec![])
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        assert_eq!(u.len(), 36);
    }
}

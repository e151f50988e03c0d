//! Any bytes as a definition, JSON and YAML: reading, the checks and, for what they accept, the
//! code generator. A panic, a hang or an allocation past the limit is a finding.
#![no_main]

use asl_codegen::{GenerateOptions, Syntax};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for syntax in [Syntax::Json, Syntax::Yaml] {
        let checked = asl_codegen::check_source(text, syntax, &Default::default());
        if checked.is_ok() {
            let options = GenerateOptions::new("Fuzzed", "fuzzed.asl.json");
            let _ = asl_codegen::generate_source(text, syntax, &options);
        }
    }
});

//! Rust tokens from a checked model.
//!
//! This release emits the definition's static summary (a unit type with a `DEFINITION`
//! constant). Generated code names the runtime through a configurable path (default
//! `::asl_runtime`) so a facade crate can re-export it.

mod builder;
pub mod machine;

use proc_macro2::{Ident, Span as TokenSpan, TokenStream};
use quote::quote;

use crate::model::{QueryLanguage, StateKind, StateMachine};
use crate::source::LineIndex;

/// How to emit a definition.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// The generated type's name.
    pub type_name: Ident,
    /// Its visibility (`pub`, `pub(crate)`, or empty).
    pub visibility: TokenStream,
    /// The path to the runtime crate (`::asl_runtime`).
    pub runtime: TokenStream,
    /// The definition file as the user named it (shown in docs and `Definition::file`).
    pub file: String,
    /// An absolute path to include with `include_str!`, so cargo rebuilds when it changes.
    pub include_path: Option<String>,
    /// The execution input's type, if the machine is typed at its edges.
    pub input_type: Option<TokenStream>,
    /// The execution output's type, likewise.
    pub output_type: Option<TokenStream>,
}

impl EmitOptions {
    /// What `build()` returns: a [`Machine`](asl_runtime), or a `TypedMachine` when an input or
    /// output type is given (the other being `serde_json::Value`), and the expression that
    /// turns the built `machine` into it.
    pub(crate) fn built(&self) -> (TokenStream, TokenStream) {
        let rt = &self.runtime;
        if self.input_type.is_none() && self.output_type.is_none() {
            return (quote!(#rt::Machine), quote!(machine));
        }
        let value = quote!(#rt::__private::serde_json::Value);
        let input = self.input_type.as_ref().unwrap_or(&value);
        let output = self.output_type.as_ref().unwrap_or(&value);
        (
            quote!(#rt::TypedMachine<#input, #output>),
            quote!(#rt::TypedMachine::new(machine)),
        )
    }
}

/// A type name from a file name: `order-flow.asl.json` → `OrderFlow`.
pub fn type_name_for_file(file: &str) -> String {
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = stem.split('.').next().unwrap_or(stem);
    let mut out = String::new();
    for word in stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Workflow");
    }
    out
}

/// Everything for a checked machine: the summary type, its plan and its handler builder; or
/// the diagnostics for what it uses that can not run yet.
pub fn generate(
    machine: &StateMachine,
    text: &str,
    options: &EmitOptions,
) -> Result<TokenStream, Vec<crate::Diagnostic>> {
    let mut plan = crate::layout::layout(machine)?;
    let index = LineIndex::new(text);
    for slot in &mut plan.slots {
        slot.line = index.line_col(text, slot.state.name_span.start).line;
    }
    let summary = summary(machine, text, options);
    let runnable = machine::machine(machine, &plan, options)?;
    Ok(quote!(#summary #runnable))
}

/// The summary type for a checked machine read from `text`.
pub fn summary(machine: &StateMachine, text: &str, options: &EmitOptions) -> TokenStream {
    let EmitOptions {
        type_name,
        visibility,
        runtime,
        file,
        include_path,
        ..
    } = options;
    let index = LineIndex::new(text);
    let states = machine
        .containers()
        .into_iter()
        .flat_map(|c| c.states.iter())
        .map(|s| {
            let name = &s.name;
            let state_type = Ident::new(s.type_name(), TokenSpan::call_site());
            let pointer = s.pointer.as_str();
            let at = index.line_col(text, s.name_span.start);
            let (line, column) = (at.line as u32, at.column as u32);
            let resource = match &s.kind {
                StateKind::Task(t) => match &t.resource {
                    Some(r) => {
                        let r = &r.value;
                        quote!(::core::option::Option::Some(#r))
                    }
                    None => quote!(::core::option::Option::None),
                },
                _ => quote!(::core::option::Option::None),
            };
            let terminal = s.is_terminal();
            quote! {
                #runtime::StateInfo {
                    name: #name, state_type: #runtime::StateType::#state_type, pointer: #pointer,
                    line: #line, column: #column, resource: #resource, terminal: #terminal,
                }
            }
        });
    let comment = match &machine.comment {
        Some(c) => {
            let c = &c.value;
            quote!(::core::option::Option::Some(#c))
        }
        None => quote!(::core::option::Option::None),
    };
    let start_at = machine
        .body
        .start_at
        .as_ref()
        .map_or("", |s| s.value.as_str());
    let query_language = match machine.query_language {
        QueryLanguage::JsonPath => quote!(#runtime::QueryLanguage::JsonPath),
        QueryLanguage::Jsonata => quote!(#runtime::QueryLanguage::Jsonata),
    };
    let timeout = match &machine.timeout_seconds {
        Some(t) => {
            let t = t.value;
            quote!(::core::option::Option::Some(#t))
        }
        None => quote!(::core::option::Option::None),
    };
    let source = json_text(text, &machine.document);
    let mut doc = format!(" The workflow defined in `{file}`.");
    if let Some(c) = &machine.comment {
        doc = format!(" {}\n\n{doc}", c.value);
    }
    let diagram: String = crate::graph::mermaid(machine, None)
        .lines()
        .map(|l| format!("\n {l}"))
        .collect();
    doc.push_str(&format!("\n\n ```mermaid{diagram}\n ```"));
    let include = include_path.as_ref().map(|p| {
        quote! {
            // Rebuild when the definition changes.
            const _: &str = ::core::include_str!(#p);
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug, Default)]
        #visibility struct #type_name;

        impl #type_name {
            /// The checked definition.
            pub const DEFINITION: #runtime::Definition = #runtime::Definition {
                file: #file,
                comment: #comment,
                start_at: #start_at,
                query_language: #query_language,
                timeout_seconds: #timeout,
                states: &[#(#states),*],
                source: #source,
            };
        }

        #include
    }
}

/// The definition as JSON text: `text` itself when it is the JSON of `document` (no
/// placeholder substituted), else `document` written as JSON.
fn json_text(text: &str, document: &serde_json::Value) -> String {
    if serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v == *document) {
        return text.to_owned();
    }
    serde_json::to_string_pretty(document).unwrap_or_default()
}

/// What to emit when the definition has errors: the same type, empty, so code naming it does
/// not pile further errors on top of the real one.
pub fn stub(options: &EmitOptions) -> TokenStream {
    let EmitOptions {
        type_name,
        visibility,
        runtime,
        file,
        ..
    } = options;
    quote! {
        #[derive(Clone, Copy, Debug, Default)]
        #visibility struct #type_name;

        impl #type_name {
            /// Empty: the definition has errors.
            pub const DEFINITION: #runtime::Definition = #runtime::Definition {
                file: #file,
                comment: ::core::option::Option::None,
                start_at: "",
                query_language: #runtime::QueryLanguage::JsonPath,
                timeout_seconds: ::core::option::Option::None,
                states: &[],
                source: "",
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::type_name_for_file;

    /// The emitter meets what only the checks refuse (here they are skipped): it reports an
    /// internal error at the state, and generates nothing.
    #[test]
    fn what_the_checks_should_have_refused_is_an_internal_error() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "InputPath": "$.a[", "Next": "C"},
            "C": {"Type": "Pass", "Next": "Nowhere"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEqualsPath": "not a path", "Next": "A"}]}
        }}"#;
        let root = crate::source::parse(text, crate::Syntax::Json).expect("JSON");
        let mut diags = Vec::new();
        let machine = crate::model::lower::lower(&root, &mut diags).expect("lowers");
        let options = super::EmitOptions {
            type_name: quote::format_ident!("M"),
            visibility: quote::quote!(pub),
            runtime: quote::quote!(::asl_runtime),
            file: "m.json".into(),
            include_path: None,
            input_type: None,
            output_type: None,
        };
        let problems = super::generate(&machine, text, &options).expect_err("not generated");
        let messages: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert!(
            problems
                .iter()
                .all(|d| d.code == crate::diag::Code::InternalError),
            "{messages:?}"
        );
        for what in ["'$.a['", "'Nowhere'", "StringEqualsPath"] {
            assert!(
                messages.iter().any(|m| m.contains(what)),
                "{what}: {messages:?}"
            );
        }
    }

    #[test]
    fn type_names() {
        assert_eq!(
            type_name_for_file("workflows/order-flow.asl.json"),
            "OrderFlow"
        );
        assert_eq!(type_name_for_file("my_machine.yaml"), "MyMachine");
        assert_eq!(type_name_for_file("1st.json"), "Workflow1st");
    }
}

//! # asl-codegen
//!
//! The engine behind `asl!` and build scripts: an Amazon States Language definition (JSON or
//! YAML) is read with exact source spans, lowered to a typed [`model`], checked against every
//! rule AWS enforces (and a few it misses), and turned into Rust.
//!
//! ```
//! use asl_codegen::{CheckOptions, Syntax, check_source};
//!
//! let checked = check_source(
//!     r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
//!     Syntax::Json,
//!     &CheckOptions::default(),
//! );
//! let first = &checked.diagnostics[0];
//! assert_eq!(first.code.as_str(), "MISSING_TRANSITION_TARGET");
//! assert_eq!(first.pointer.as_str(), "/States/A/Next");
//! ```
//!
//! Data flows one way: [`source`] (text → spanned tree) → [`model`] (typed, with schema
//! checks) → [`check`] (graph, paths, intrinsics, JSONata, variables) → [`emit`] (tokens).
//! Diagnostics are data ([`Diagnostic`]); the macro and the tools render them.

mod build;
pub mod check;
pub mod diag;
pub mod emit;
pub mod graph;
pub mod lang;
pub mod layout;
pub mod model;
pub mod source;
pub mod template;

pub use build::{BuildError, Builder, compile};
pub use check::{CheckOptions, MachineType};
pub use diag::{Code, Diagnostic, Pointer, Severity};
pub use model::StateMachine;
pub use source::{LineCol, LineIndex, Span, Syntax};

/// A definition after reading and checking.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The model, when the document was an object the lowering could read (it may still have
    /// errors: see [`diagnostics`](Self::diagnostics)).
    pub machine: Option<StateMachine>,
    /// Every problem found, in the order AWS would report them where known.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// The errors (warnings left out).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// What stops code generation: the errors, and placeholders left unsubstituted where
    /// another type belongs (see [`Diagnostic::blocks_generation`]).
    pub fn generation_errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.blocks_generation())
    }

    /// Whether the definition is accepted.
    pub fn is_ok(&self) -> bool {
        self.machine.is_some() && self.errors().next().is_none()
    }
}

/// Reads and checks a definition given as text.
pub fn check_source(text: &str, syntax: Syntax, options: &CheckOptions) -> Checked {
    check_source_with(text, syntax, options, &[])
}

/// Like [`check_source`], first replacing `${Name}` placeholders with the given values.
pub fn check_source_with(
    text: &str,
    syntax: Syntax,
    options: &CheckOptions,
    substitutions: &[(String, String)],
) -> Checked {
    let mut root = match source::parse(text, syntax) {
        Ok(root) => root,
        Err(d) => {
            return Checked {
                machine: None,
                diagnostics: vec![d],
            };
        }
    };
    source::substitute(&mut root, substitutions);
    check_tree(&root, options)
}

/// How [`generate_source`] names and wires the generated code.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    /// The generated type's name.
    pub type_name: String,
    /// The path of the runtime crate, as Rust source (`::asl_runtime`).
    pub runtime: String,
    /// The definition's file name, as shown in docs and `Definition::file`.
    pub file: String,
    /// Standard or express rules.
    pub machine_type: MachineType,
    /// `${Name}` placeholder values.
    pub substitutions: Vec<(String, String)>,
    /// The execution input's Rust type (a path such as `crate::OrderIn`), for a machine typed
    /// at its edges.
    pub input_type: Option<String>,
    /// The execution output's Rust type, likewise.
    pub output_type: Option<String>,
}

impl GenerateOptions {
    /// Options for a type named `type_name` read from `file`, with the default runtime path.
    pub fn new(type_name: &str, file: &str) -> Self {
        GenerateOptions {
            type_name: type_name.to_owned(),
            runtime: "::asl_runtime".to_owned(),
            file: file.to_owned(),
            machine_type: MachineType::Standard,
            substitutions: Vec::new(),
            input_type: None,
            output_type: None,
        }
    }
}

/// Checks a definition and generates its Rust source (formatted with prettyplease), or
/// returns every diagnostic that stops it.
pub fn generate_source(
    text: &str,
    syntax: Syntax,
    options: &GenerateOptions,
) -> Result<String, Vec<Diagnostic>> {
    let mut root = source::parse(text, syntax).map_err(|d| vec![d])?;
    source::substitute(&mut root, &options.substitutions);
    generate_tree(&root, text, options)
}

/// Like [`generate_source`], for a definition already read (such as one found in a template
/// by [`template::machines`]) out of `text`, the text its spans point into. Its placeholders
/// are already substituted.
pub fn generate_tree(
    root: &source::Node,
    text: &str,
    options: &GenerateOptions,
) -> Result<String, Vec<Diagnostic>> {
    let checked = check_tree(
        root,
        &CheckOptions {
            machine_type: options.machine_type,
        },
    );
    let errors: Vec<Diagnostic> = checked.generation_errors().cloned().collect();
    let machine = match (errors.is_empty(), checked.machine) {
        (true, Some(m)) => m,
        _ => return Err(errors),
    };
    let internal = |message: String| {
        vec![Diagnostic::new(
            Code::UnsupportedFeature,
            message,
            Pointer::root(),
            None,
        )]
    };
    let runtime: proc_macro2::TokenStream = options
        .runtime
        .parse()
        .map_err(|e| internal(format!("runtime path `{}`: {e}", options.runtime)))?;
    let type_name = syn::parse_str::<proc_macro2::Ident>(&options.type_name)
        .map_err(|e| internal(format!("type name `{}`: {e}", options.type_name)))?;
    let edge_type = |t: &Option<String>| {
        t.as_ref()
            .map(|t| {
                syn::parse_str::<syn::Type>(t)
                    .map(|t| quote::quote!(#t))
                    .map_err(|e| internal(format!("type `{t}`: {e}")))
            })
            .transpose()
    };
    let emit_options = emit::EmitOptions {
        type_name,
        visibility: quote::quote!(pub),
        runtime,
        file: options.file.clone(),
        include_path: None,
        input_type: edge_type(&options.input_type)?,
        output_type: edge_type(&options.output_type)?,
    };
    let tokens = emit::generate(&machine, text, &emit_options)?;
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| internal(format!("generated code does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// Checks an already parsed definition, as CreateStateMachine and
/// ValidateStateMachineDefinition do.
pub fn check_tree(root: &source::Node, options: &CheckOptions) -> Checked {
    check_machine(root, options)
}

/// Checks a document that is a whole definition or, as AWS's TestState takes one, a single
/// state (`{"Type": …}`; see [`source::single_state_machine`]), whose diagnostics then point
/// into the state (`/Next`, not `/States/TestState/Next`). `asl check` reads files this way.
pub fn check_state_or_machine(root: &source::Node, options: &CheckOptions) -> Checked {
    match source::single_state_machine(root) {
        Some(machine) => {
            let mut checked = check_machine(&machine, options);
            let prefix = format!("/States/{}", source::SINGLE_STATE);
            for d in &mut checked.diagnostics {
                if let Some(p) = d.pointer.strip_prefix(&prefix) {
                    d.pointer = p;
                }
            }
            checked
        }
        None => check_machine(root, options),
    }
}

fn check_machine(root: &source::Node, options: &CheckOptions) -> Checked {
    let mut diagnostics = Vec::new();
    check::keys::duplicate_keys(root, &Pointer::root(), &mut diagnostics);
    let machine = model::lower::lower(root, &mut diagnostics);
    if let Some(m) = &machine {
        check::run(m, options, &mut diagnostics);
    }
    Checked {
        machine,
        diagnostics,
    }
}

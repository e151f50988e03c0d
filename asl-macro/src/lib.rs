//! The `asl!` macro: reads an Amazon States Language definition at compile time, checks it with
//! `asl-codegen`, and expands to the generated Rust. A definition with mistakes fails the build
//! with one error per mistake, each naming the rule and pointing at `file:line:col`.
//!
//! Use it through `asl-runtime`, which re-exports it:
//!
//! ```ignore
//! asl_runtime::asl!("workflows/order.asl.json");
//! asl_runtime::asl!(
//!     path = "workflows/order.asl.json",
//!     name = OrderWorkflow,
//!     vis = pub(crate),
//!     runtime = ::asl_runtime,
//!     machine_type = "EXPRESS",
//!     substitute = { OrdersTable = "orders", Timeout = "30" },
//!     // Typed edges: `build()` gives a `TypedMachine` taking an `OrderIn`, giving an `OrderOut`.
//!     input = OrderIn,
//!     output = OrderOut,
//! );
//! ```
//!
//! A relative path is resolved against the directory of the file that calls the macro, then
//! against `CARGO_MANIFEST_DIR`.
//!
//! The path may name a deployment template instead (CloudFormation or SAM, JSON or YAML; CDK's
//! synthesized templates; Terraform `.tf`): `machine = "OrderStateMachine"` chooses the state
//! machine when it holds several, the type is named after it, and `substitute` gives values
//! to the references the template makes (`substitute = { "OrderFunction.Arn" = "arn:…" }`).

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token, Visibility, braced};

use asl_codegen::emit::{self, EmitOptions};
use asl_codegen::{CheckOptions, MachineType, Syntax};

/// Compiles an Amazon States Language definition (JSON or YAML) into Rust at build time.
///
/// See the [crate documentation](crate) for the forms it takes.
#[proc_macro]
pub fn asl(input: TokenStream) -> TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    // The generator never panics on any input; if it ever did, say so as an error rather than
    // as rustc's "proc macro panicked".
    match std::panic::catch_unwind(|| expand(&args)) {
        Ok(tokens) => tokens.into(),
        Err(_) => syn::Error::new(
            args.path.span(),
            "internal error in asl-codegen while reading this definition; please report it with the definition",
        )
        .to_compile_error()
        .into(),
    }
}

struct Args {
    path: LitStr,
    name: Option<Ident>,
    vis: Option<Visibility>,
    runtime: Option<syn::Path>,
    machine_type: MachineType,
    substitutions: Vec<(String, String)>,
    input: Option<syn::Type>,
    output: Option<syn::Type>,
    /// In a template: the state machine to compile (logical id or resource name).
    machine: Option<LitStr>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let path = input.parse()?;
            let _ = input.parse::<Option<Token![,]>>()?;
            if !input.is_empty() {
                return Err(input.error("after the path, write nothing; for options use `asl!(path = \"...\", name = ...)`"));
            }
            return Ok(Args {
                path,
                name: None,
                vis: None,
                runtime: None,
                machine_type: MachineType::Standard,
                substitutions: Vec::new(),
                input: None,
                output: None,
                machine: None,
            });
        }
        let mut path = None;
        let mut args = Args {
            path: LitStr::new("", Span::call_site()),
            name: None,
            vis: None,
            runtime: None,
            machine_type: MachineType::Standard,
            substitutions: Vec::new(),
            input: None,
            output: None,
            machine: None,
        };
        while !input.is_empty() {
            let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "path" => path = Some(input.parse::<LitStr>()?),
                "name" => args.name = Some(input.parse()?),
                "vis" => args.vis = Some(input.parse()?),
                "runtime" => args.runtime = Some(input.parse()?),
                "input" => args.input = Some(input.parse()?),
                "output" => args.output = Some(input.parse()?),
                "machine" => args.machine = Some(input.parse()?),
                "machine_type" => {
                    let lit: LitStr = input.parse()?;
                    args.machine_type = match lit.value().as_str() {
                        "STANDARD" => MachineType::Standard,
                        "EXPRESS" => MachineType::Express,
                        _ => {
                            return Err(syn::Error::new(
                                lit.span(),
                                "machine_type is \"STANDARD\" or \"EXPRESS\"",
                            ));
                        }
                    };
                }
                "substitute" => {
                    let content;
                    braced!(content in input);
                    while !content.is_empty() {
                        // A name, or a string for names such as `Function.Arn`.
                        let k = if content.peek(LitStr) {
                            content.parse::<LitStr>()?.value()
                        } else {
                            content
                                .call(syn::ext::IdentExt::parse_any)
                                .map(|k: Ident| k.to_string())?
                        };
                        content.parse::<Token![=]>()?;
                        let v: syn::Lit = content.parse()?;
                        let v = match v {
                            syn::Lit::Str(s) => s.value(),
                            syn::Lit::Int(i) => i.base10_digits().to_owned(),
                            syn::Lit::Float(f) => f.base10_digits().to_owned(),
                            syn::Lit::Bool(b) => b.value.to_string(),
                            other => {
                                return Err(syn::Error::new(
                                    other.span(),
                                    "a substitution is a string, number or boolean",
                                ));
                            }
                        };
                        args.substitutions.push((k, v));
                        if !content.is_empty() {
                            content.parse::<Token![,]>()?;
                        }
                    }
                }
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`; the options are path, machine, name, vis, runtime, machine_type, substitute, input, output"
                        ),
                    ));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        args.path = path.ok_or_else(|| input.error("missing `path = \"...\"`"))?;
        Ok(args)
    }
}

/// Where the definition file is: relative to the calling file's directory when rustc tells us
/// that file, else to `CARGO_MANIFEST_DIR`.
fn resolve(lit: &LitStr) -> PathBuf {
    let written = PathBuf::from(lit.value());
    if written.is_absolute() {
        return written;
    }
    // rustc reports the calling file relative to its working directory (the workspace root).
    let cwd = std::env::current_dir().unwrap_or_default();
    let caller_dir = lit
        .span()
        .unwrap()
        .local_file()
        .and_then(|f| cwd.join(f).parent().map(Path::to_path_buf));
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let by_caller = caller_dir.map(|d| d.join(&written));
    let by_manifest = manifest_dir.map(|d| d.join(&written));
    match (by_caller, by_manifest) {
        (Some(c), _) if c.exists() => c,
        (_, Some(m)) if m.exists() => m,
        // Neither exists: name the place the user most likely meant in the error.
        (Some(c), _) => c,
        (None, m) => m.unwrap_or_else(|| cwd.join(&written)),
    }
}

fn expand(args: &Args) -> TokenStream2 {
    let written = args.path.value();
    let span = args.path.span();
    let runtime = args
        .runtime
        .as_ref()
        .map_or_else(|| quote!(::asl_runtime), |p| quote!(#p));
    let type_name = args
        .name
        .clone()
        .unwrap_or_else(|| Ident::new(&emit::type_name_for_file(&written), Span::call_site()));
    let visibility = args
        .vis
        .as_ref()
        .map_or_else(|| quote!(pub), |v| quote!(#v));
    let path = resolve(&args.path);
    let mut options = EmitOptions {
        type_name,
        visibility,
        runtime,
        file: written.clone(),
        include_path: None,
        input_type: args.input.as_ref().map(|t| quote!(#t)),
        output_type: args.output.as_ref().map(|t| quote!(#t)),
    };

    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                return error_with_stub(span, format!("`{written}` is not UTF-8 text"), &options);
            }
        },
        Err(e) => {
            return error_with_stub(
                span,
                format!("couldn't read `{written}` ({}): {e}", path.display()),
                &options,
            );
        }
    };
    options.include_path = Some(path.to_string_lossy().into_owned());
    let check_options = CheckOptions {
        machine_type: args.machine_type,
    };
    let mut also_include = None;
    let (checked, written, text) = if asl_codegen::template::is_template(&path, &text) {
        let found = match from_template(args, &path, &text) {
            Ok(found) => found,
            Err(message) => return error_with_stub(span, message, &options),
        };
        if found.file != path {
            also_include = Some(found.file.to_string_lossy().into_owned());
            options.file = found.file.display().to_string();
        }
        if args.name.is_none() {
            options.type_name =
                Ident::new(&emit::type_name_for_file(&found.name), Span::call_site());
        }
        let shown = if found.file == path {
            written.clone()
        } else {
            found.file.display().to_string()
        };
        (
            asl_codegen::check_tree(&found.root, &check_options),
            shown,
            found.text,
        )
    } else if let Some(m) = &args.machine {
        return error_with_stub(
            m.span(),
            format!(
                "`{written}` is a definition, not a template: it has no state machines to choose from"
            ),
            &options,
        );
    } else {
        (
            asl_codegen::check_source_with(
                &text,
                Syntax::from_file_name(&written),
                &check_options,
                &args.substitutions,
            ),
            written,
            text,
        )
    };
    let mut errors: Option<syn::Error> = None;
    let generated = match (checked.generation_errors().next(), &checked.machine) {
        (None, Some(machine)) => Some(emit::generate(machine, &text, &options)),
        _ => None,
    };
    let not_yet = match &generated {
        Some(Err(diags)) => diags.clone(),
        _ => Vec::new(),
    };
    for d in checked.generation_errors().chain(not_yet.iter()) {
        let e = syn::Error::new(span, d.render(&written, &text));
        match &mut errors {
            Some(all) => all.combine(e),
            None => errors = Some(e),
        }
    }
    let include = options.include_path.iter().chain(&also_include).map(|p| {
        quote!(
            const _: &str = ::core::include_str!(#p);
        )
    });
    let include = quote!(#(#include)*);
    match (errors, generated) {
        (None, Some(Ok(tokens))) => tokens,
        (Some(e), _) => {
            let stub = emit::stub(&options);
            let e = e.to_compile_error();
            quote!(#e #stub #include)
        }
        (None, _) => error_with_stub(span, format!("`{written}` holds no definition"), &options),
    }
}

/// The state machine of a template `args` names (or its only one).
fn from_template(
    args: &Args,
    path: &Path,
    text: &str,
) -> Result<asl_codegen::template::Found, String> {
    let written = args.path.value();
    let found = asl_codegen::template::machines(path, text, &args.substitutions).map_err(|ps| {
        ps.iter()
            .map(|p| {
                // The template as the call wrote it; a file it names, as found.
                let file = if p.file == path {
                    written.clone()
                } else {
                    p.file.display().to_string()
                };
                p.diagnostic.render(&file, &p.text)
            })
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let names = || {
        found
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &args.machine {
        Some(m) => {
            let m = m.value();
            let list = names();
            found
                .into_iter()
                .find(|f| f.name == m)
                .ok_or_else(|| format!("the template has no state machine `{m}` (it has {list})"))
        }
        None if found.len() == 1 => found.into_iter().next().ok_or_else(String::new),
        None => Err(format!(
            "the template has {} state machines ({}); choose one with `machine = \"…\"`",
            found.len(),
            names()
        )),
    }
}

fn error_with_stub(span: Span, message: String, options: &EmitOptions) -> TokenStream2 {
    let e = syn::Error::new(span, message).to_compile_error();
    let stub = emit::stub(options);
    quote!(#e #stub)
}

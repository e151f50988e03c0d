//! Payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath `Assign`, …)
//! written as straight-line Rust: the object built member by member, each path read and each
//! intrinsic function called in place. The code is a function of its own, an item in the
//! block that builds the template (type-checked on its own, not inside the plan's one large
//! expression); the paths, literals and `States.Format` templates it reads are built once,
//! with the plan, and handed to it by position.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{Emitted, Emitter};
use crate::lang::intrinsic;
use crate::source::{Node, Value};

use super::data::has_dynamic;

/// The data a template's code reads: the expressions that build each `Datum`, by position.
#[derive(Default)]
pub(super) struct Captures(Vec<TokenStream>);

/// The kinds of data, by the name of their `Datum` variant and `Data` accessor.
#[derive(Clone, Copy)]
enum Kind {
    Path,
    Literal,
    Format,
}

impl Captures {
    /// Adds a datum of `kind` built by `value`; returns the expression that reads it in the
    /// template's code.
    fn add(&mut self, rt: &TokenStream, kind: Kind, value: TokenStream) -> TokenStream {
        let i = self.0.len();
        let (variant, accessor) = match kind {
            Kind::Path => (quote!(Path), quote!(path)),
            Kind::Literal => (quote!(Literal), quote!(literal)),
            Kind::Format => (quote!(Format), quote!(format)),
        };
        self.0
            .push(quote!(#rt::data::template::Datum::#variant(#value)));
        quote!(data.#accessor(#i))
    }
}

impl Emitter<'_, '_> {
    /// A template with at least one `.$` key, as `Template::code`: a block holding the
    /// template's function and the call of `Template::code` with the function's data.
    pub(super) fn code_template(&self, node: &Node) -> Emitted {
        let rt = self.rt;
        let mut captures = Captures::default();
        let body = self.template_code(node, &mut captures)?;
        let data = captures.0;
        Ok(quote!({
            /// A payload template of the plan.
            fn template(
                scope: &#rt::data::scope::Scope<'_>,
                error: &str,
                data: #rt::data::template::Data<'_>,
            ) -> ::core::result::Result<#rt::__private::serde_json::Value, #rt::Failure> {
                let _ = (scope, error, data);
                ::core::result::Result::Ok(#body)
            }
            #rt::data::template::Template::code(template, ::std::vec![#(#data),*])
        }))
    }

    /// An expression of type `Value` building `node` (`?` on failures).
    fn template_code(&self, node: &Node, captures: &mut Captures) -> Emitted {
        let rt = self.rt;
        let json = quote!(#rt::__private::serde_json);
        Ok(match &node.value {
            Value::Object(members) if has_dynamic(node) => {
                let count = members.len();
                let mut inserts = Vec::with_capacity(count);
                for m in members {
                    let value = match (m.key.strip_suffix(".$"), m.value.as_str()) {
                        (Some(_), Some(path)) if path.starts_with('$') => {
                            let p = captures.add(rt, Kind::Path, self.path(path)?);
                            let field = &m.key;
                            quote!(#rt::data::template::path_value(scope, #p, #field, error)?)
                        }
                        (Some(_), Some(text)) => self.call_code(text, &m.key, captures)?,
                        _ => self.template_code(&m.value, captures)?,
                    };
                    let key = match (m.key.strip_suffix(".$"), m.value.as_str()) {
                        (Some(key), Some(_)) => key,
                        _ => m.key.as_str(),
                    };
                    inserts.push(quote!(m.insert(::std::string::String::from(#key), #value);));
                }
                quote!({
                    let mut m = #json::Map::with_capacity(#count);
                    #(#inserts)*
                    #json::Value::Object(m)
                })
            }
            Value::Array(items) if has_dynamic(node) => {
                let items = items
                    .iter()
                    .map(|i| self.template_code(i, captures))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#json::Value::Array(::std::vec![#(#items),*]))
            }
            _ => {
                let literal = captures.add(rt, Kind::Literal, self.literal(node));
                quote!(#literal.clone())
            }
        })
    }

    /// An expression of type `Value` calling the intrinsic function `text` under `field`.
    fn call_code(&self, text: &str, field: &str, captures: &mut Captures) -> Emitted {
        match intrinsic::parse(text) {
            Ok(call) => Ok(self.call_expr(&call, field, captures)),
            Err(e) => self.unparsed_call(text, &e),
        }
    }

    fn call_expr(
        &self,
        call: &intrinsic::Call,
        field: &str,
        captures: &mut Captures,
    ) -> TokenStream {
        let rt = self.rt;
        let function = function_ident(call.function);
        // A literal Format template is split at compile time; it is not among the arguments.
        let args: Vec<TokenStream> = call
            .args
            .iter()
            .map(|a| match a {
                intrinsic::Arg::Literal(
                    v @ (serde_json::Value::Bool(_) | serde_json::Value::Null),
                ) => {
                    let v = self.literal_value(v);
                    quote!(&#v)
                }
                intrinsic::Arg::Literal(v) => {
                    let l = captures.add(rt, Kind::Literal, self.literal_value(v));
                    quote!(#l)
                }
                intrinsic::Arg::Path(p) => {
                    let p = captures.add(rt, Kind::Path, self.emit_path(p));
                    quote!(&*#rt::intrinsic::path_arg(scope, #p, #field)?)
                }
                intrinsic::Arg::Call(c) => {
                    let v = self.call_expr(c, field, captures);
                    quote!(&#v)
                }
            })
            .collect();
        let template = if call.template.is_empty() {
            quote!(&[])
        } else {
            let pieces = call.template.iter().map(|p| &**p);
            let t = captures.add(
                rt,
                Kind::Format,
                quote!(::std::vec![#(::std::boxed::Box::<str>::from(#pieces)),*].into()),
            );
            quote!(#t)
        };
        quote!(#rt::intrinsic::apply_function(
            scope.seam,
            #rt::intrinsic::Function::#function,
            #template,
            &[#(#args),*],
        )?)
    }
}

/// The runtime's name of an intrinsic function.
pub(super) fn function_ident(function: intrinsic::Function) -> Ident {
    Ident::new(function.variant(), proc_macro2::Span::call_site())
}

//! Tokens for the data a state works on: JSONPath paths, intrinsic calls, filter
//! expressions, payload templates and JSONata expressions, each pre-parsed into the runtime's
//! structures.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Emitted, Emitter};
use crate::lang::jsonpath::{self, Root, Step};
use crate::lang::{filter, intrinsic};
use crate::model::lower::jsonata_text;
use crate::model::{PathField, PathText, Spanned};
use crate::source::{Node, Value};

impl Emitter<'_, '_> {
    pub(super) fn path(&self, text: &str) -> Emitted {
        match jsonpath::parse(text) {
            Ok(p) => Ok(self.emit_path(&p)),
            Err(e) => Err(self.internal(format!("the path '{text}', which does not parse ({e})"))),
        }
    }

    /// A path field, as the model read it when it was built.
    pub(super) fn path_field(&self, p: &PathText) -> Emitted {
        match &p.parsed {
            Ok(path) => Ok(self.emit_path(path)),
            Err(e) => {
                Err(self.internal(format!("the path '{}', which does not parse ({e})", p.text)))
            }
        }
    }

    pub(super) fn emit_path(&self, p: &jsonpath::Path) -> TokenStream {
        let rt = self.rt;
        let root = match p.root() {
            Root::Input => quote!(#rt::lang::jsonpath::Root::Input),
            Root::Context => quote!(#rt::lang::jsonpath::Root::Context),
            Root::Variable(v) => {
                let v = &**v;
                quote!(#rt::lang::jsonpath::Root::Variable(#v.into()))
            }
        };
        let steps = p.steps().iter().map(|s| self.step(s));
        let text = p.text();
        quote!(#rt::lang::jsonpath::Path::new(#root, ::std::vec![#(#steps),*], #text))
    }

    pub(super) fn step(&self, s: &Step) -> TokenStream {
        let rt = self.rt;
        let m = quote!(#rt::lang::jsonpath::Step);
        let opt = |x: &Option<i64>| match x {
            Some(v) => quote!(::core::option::Option::Some(#v)),
            None => quote!(::core::option::Option::None),
        };
        match s {
            Step::Name(n) => {
                let n = &**n;
                quote!(#m::Name(#n.into()))
            }
            Step::Index(i) => quote!(#m::Index(#i)),
            Step::Wildcard => quote!(#m::Wildcard),
            Step::Names(ns) => {
                let ns = ns.iter().map(|n| &**n);
                quote!(#m::Names(::std::vec![#(#ns.into()),*].into()))
            }
            Step::Indexes(is) => {
                let is = is.iter();
                quote!(#m::Indexes(::std::vec![#(#is),*].into()))
            }
            Step::Slice(a, b, c) => {
                let (a, b, c) = (opt(a), opt(b), opt(c));
                quote!(#m::Slice(#a, #b, #c))
            }
            Step::Descendant(inner) => {
                let inner = self.step(inner);
                quote!(#m::Descendant(::std::boxed::Box::new(#inner)))
            }
            Step::Length => quote!(#m::Length),
            Step::Filter(f) => {
                let f = self.filter(f);
                quote!(#m::Filter(::std::boxed::Box::new(#f)))
            }
        }
    }

    /// An intrinsic call that did not parse: an internal error.
    pub(super) fn unparsed_call(&self, text: &str, e: &intrinsic::IntrinsicError) -> Emitted {
        Err(self.internal(format!(
            "the intrinsic call '{text}', which does not parse ({e})"
        )))
    }

    pub(super) fn call(&self, call: &intrinsic::Call) -> TokenStream {
        let rt = self.rt;
        let function = super::compiled::function_ident(call.function);
        let args = call.args.iter().map(|a| match a {
            intrinsic::Arg::Literal(v) => {
                let v = self.literal_value(v);
                quote!(#rt::intrinsic::Arg::Literal(#v))
            }
            intrinsic::Arg::Path(p) => {
                let p = self.emit_path(p);
                quote!(#rt::intrinsic::Arg::Path(#p))
            }
            intrinsic::Arg::Call(c) => {
                let c = self.call(c);
                quote!(#rt::intrinsic::Arg::Call(::std::boxed::Box::new(#c)))
            }
        });
        let template = call.template.iter().map(|p| &**p);
        quote!(#rt::intrinsic::Call {
            function: #rt::intrinsic::Function::#function,
            args: ::std::vec![#(#args),*],
            template: ::std::vec![#(#template.into()),*],
        })
    }

    /// A literal argument's value: strings, booleans and null built in place, numbers read
    /// from their JSON text.
    pub(super) fn literal_value(&self, v: &serde_json::Value) -> TokenStream {
        let json = {
            let rt = self.rt;
            quote!(#rt::__private::serde_json)
        };
        match v {
            serde_json::Value::String(s) => quote!(#json::Value::String(#s.into())),
            serde_json::Value::Bool(b) => quote!(#json::Value::Bool(#b)),
            serde_json::Value::Null => quote!(#json::Value::Null),
            other => {
                let rt = self.rt;
                let text = other.to_string();
                quote!(#rt::__private::literal(#text))
            }
        }
    }

    pub(super) fn filter(&self, f: &filter::Filter) -> TokenStream {
        let rt = self.rt;
        let m = quote!(#rt::lang::filter);
        let operand = |o: &filter::Operand| match o {
            filter::Operand::Current(p) => {
                let p = self.emit_path(p);
                quote!(#m::Operand::Current(#p))
            }
            filter::Operand::Root(p) => {
                let p = self.emit_path(p);
                quote!(#m::Operand::Root(#p))
            }
            filter::Operand::Literal(v) => {
                let text = v.to_string();
                quote!(#m::Operand::Literal(#rt::__private::literal(#text)))
            }
        };
        match f {
            filter::Filter::Or(a, b) => {
                let (a, b) = (self.filter(a), self.filter(b));
                quote!(#m::Filter::Or(::std::boxed::Box::new(#a), ::std::boxed::Box::new(#b)))
            }
            filter::Filter::And(a, b) => {
                let (a, b) = (self.filter(a), self.filter(b));
                quote!(#m::Filter::And(::std::boxed::Box::new(#a), ::std::boxed::Box::new(#b)))
            }
            filter::Filter::Not(a) => {
                let a = self.filter(a);
                quote!(#m::Filter::Not(::std::boxed::Box::new(#a)))
            }
            filter::Filter::Exists(o) => {
                let o = operand(o);
                quote!(#m::Filter::Exists(#o))
            }
            filter::Filter::Compare(l, op, r) => {
                let (l, r) = (operand(l), operand(r));
                let op = match op {
                    filter::Op::Eq => quote!(Eq),
                    filter::Op::Ne => quote!(Ne),
                    filter::Op::Lt => quote!(Lt),
                    filter::Op::Le => quote!(Le),
                    filter::Op::Gt => quote!(Gt),
                    filter::Op::Ge => quote!(Ge),
                    filter::Op::In => quote!(In),
                    filter::Op::Nin => quote!(Nin),
                };
                quote!(#m::Filter::Compare(#l, #m::Op::#op, #r))
            }
        }
    }

    pub(super) fn select(&self, f: &Option<PathField>) -> Emitted {
        let rt = self.rt;
        Ok(match f {
            None => quote!(#rt::data::io::Select::All),
            Some(Spanned { value: None, .. }) => quote!(#rt::data::io::Select::Nothing),
            Some(Spanned { value: Some(p), .. }) if p == "$" => quote!(#rt::data::io::Select::All),
            Some(Spanned { value: Some(p), .. }) => {
                let p = self.path_field(p)?;
                quote!(#rt::data::io::Select::Path(#p))
            }
        })
    }

    pub(super) fn place(&self, f: &Option<PathField>) -> Emitted {
        let rt = self.rt;
        Ok(match f {
            None => quote!(#rt::data::io::Place::Replace),
            Some(Spanned { value: None, .. }) => quote!(#rt::data::io::Place::Discard),
            Some(Spanned { value: Some(p), .. }) if p == "$" => {
                quote!(#rt::data::io::Place::Replace)
            }
            Some(Spanned { value: Some(p), .. }) => {
                let p = self.path_field(p)?;
                quote!(#rt::data::io::Place::At(#p))
            }
        })
    }

    pub(super) fn literal(&self, node: &Node) -> TokenStream {
        let rt = self.rt;
        let text = serde_json::to_string(&node.to_json()).unwrap_or_else(|_| "null".to_owned());
        quote!(#rt::__private::literal(#text))
    }

    /// A JSONPath payload template: a literal when it has no `.$` key, else straight-line
    /// code (`compiled.rs`).
    pub(super) fn template(&self, node: &Node) -> Emitted {
        let rt = self.rt;
        if !has_dynamic(node) {
            let lit = self.literal(node);
            return Ok(quote!(#rt::data::template::Template::Literal(#lit)));
        }
        self.code_template(node)
    }

    /// A JSONata expression (the text between the delimiters), parsed when the plan is built.
    pub(super) fn expr(&self, text: &str) -> TokenStream {
        let rt = self.rt;
        let text = text.trim();
        quote!(::std::boxed::Box::new(#rt::data::jsonata::Expr::new(#text)))
    }

    /// A JSONata template: `{% … %}` strings anywhere in it are expressions, the rest literal;
    /// `field` names where it stands, for error messages (`Output/result`).
    pub(super) fn jsonata_template(&self, node: &Node, field: &str) -> Emitted {
        let rt = self.rt;
        if !has_expression(node) {
            let lit = self.literal(node);
            return Ok(quote!(#rt::data::template::Template::Literal(#lit)));
        }
        Ok(match &node.value {
            Value::String(s) => {
                let Some(text) = jsonata_text(s) else {
                    return Err(self.internal(format!(
                        "'{s}' in {field}, which is not a JSONata expression"
                    )));
                };
                let expr = self.expr(text);
                quote!(#rt::data::template::Template::Jsonata { expr: #expr, field: #field.into() })
            }
            Value::Object(members) => {
                let members = members
                    .iter()
                    .map(|m| {
                        let key = &m.key;
                        let t = self.jsonata_template(&m.value, &format!("{field}/{key}"))?;
                        Emitted::Ok(quote!((#key.into(), #t)))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#rt::data::template::Template::Object(::std::vec![#(#members),*]))
            }
            Value::Array(items) => {
                let items = items
                    .iter()
                    .map(|i| self.jsonata_template(i, field))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(#rt::data::template::Template::Array(::std::vec![#(#items),*]))
            }
            _ => {
                let lit = self.literal(node);
                quote!(#rt::data::template::Template::Literal(#lit))
            }
        })
    }

    /// A payload field in the state's query language: a JSONata template or a JSONPath
    /// payload template.
    pub(super) fn payload(&self, t: &Option<Spanned<Node>>, field: &str) -> Emitted {
        match t {
            Some(t) if self.jsonata() => {
                let t = self.jsonata_template(&t.value, field)?;
                Ok(quote!(::core::option::Option::Some(#t)))
            }
            t => self.opt_template(t),
        }
    }

    pub(super) fn opt_jsonata(&self, t: &Option<Spanned<Node>>, field: &str) -> Emitted {
        Ok(match t {
            Some(t) => {
                let t = self.jsonata_template(&t.value, field)?;
                quote!(::core::option::Option::Some(#t))
            }
            None => quote!(::core::option::Option::None),
        })
    }

    pub(super) fn opt_template(&self, t: &Option<Spanned<Node>>) -> Emitted {
        Ok(match t {
            Some(t) => {
                let t = self.template(&t.value)?;
                quote!(::core::option::Option::Some(#t))
            }
            None => quote!(::core::option::Option::None),
        })
    }
}

/// Whether a JSONata template has a `{% … %}` string anywhere.
fn has_expression(node: &Node) -> bool {
    match &node.value {
        Value::String(s) => jsonata_text(s).is_some(),
        Value::Object(members) => members.iter().any(|m| has_expression(&m.value)),
        Value::Array(items) => items.iter().any(has_expression),
        _ => false,
    }
}

/// Whether a template subtree has a `.$` key anywhere.
pub(super) fn has_dynamic(node: &Node) -> bool {
    match &node.value {
        Value::Object(members) => members
            .iter()
            .any(|m| m.key.ends_with(".$") || has_dynamic(&m.value)),
        Value::Array(items) => items.iter().any(has_dynamic),
        _ => false,
    }
}

//! Tokens for the executable machine: the plan, built once per process from structures the
//! generator already parsed (the handler builder is in `builder`; paths, calls and templates
//! in `data`).

mod compiled;
mod data;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::EmitOptions;
use crate::lang::choice;
use crate::layout::MachineLayout;
use crate::model::lower::jsonata_text;
use crate::model::{
    ChoiceRule, Condition, Container, Map, NumberOrExpr, OperandKind, Operator, PathField,
    PathOrCall, PathText, ProcessorMode, QueryLanguage, ResultHandling, Spanned, State, StateKind,
    Wait,
};
use crate::source::Node;

/// Tokens, or the internal error met making them (see [`Emitter::internal`]).
type Emitted = Result<TokenStream, Box<crate::Diagnostic>>;

/// What the tokens of a machine are made from: all borrowed, nothing changes while they are
/// made. Each state is emitted by an emitter placed at it ([`Emitter::at`]), which knows its
/// query language and where to report an internal error.
#[derive(Clone, Copy)]
struct Emitter<'a, 'm> {
    rt: &'a TokenStream,
    plan: &'a MachineLayout<'m>,
    /// The state being emitted; `None` for the machine's own fields.
    state: Option<&'m State>,
}

impl<'a, 'm> Emitter<'a, 'm> {
    /// This emitter, placed at `state`.
    fn at(self, state: &'m State) -> Emitter<'a, 'm> {
        Emitter {
            state: Some(state),
            ..self
        }
    }

    /// Whether the state being emitted is a JSONata state.
    fn jsonata(&self) -> bool {
        self.state
            .is_some_and(|s| s.query_language == QueryLanguage::Jsonata)
    }

    /// The diagnostic for `what`, met by the generator though its checks should have refused
    /// it, at the state being emitted. No machine is generated then.
    pub(super) fn internal(&self, what: String) -> Box<crate::Diagnostic> {
        let (pointer, span) = match self.state {
            Some(s) => (s.pointer.clone(), Some(s.name_span)),
            None => (crate::diag::Pointer::root(), None),
        };
        Box::new(crate::Diagnostic::new(
            crate::diag::Code::InternalError,
            format!(
                "the generator met {what}, which its checks should have refused; this is a bug of asl-codegen, please report it"
            ),
            pointer,
            span,
        ))
    }

    fn target(&self, name: &str) -> Result<usize, Box<crate::Diagnostic>> {
        self.plan.index.get(name).copied().ok_or_else(|| {
            self.internal(format!(
                "a transition to '{name}', a state that does not exist"
            ))
        })
    }

    /// `Some(index)` of the state `name`, or `None`.
    fn opt_target(&self, name: Option<&Spanned<String>>) -> Emitted {
        Ok(match name {
            Some(n) => {
                let i = self.target(&n.value)?;
                quote!(::core::option::Option::Some(#i))
            }
            None => quote!(::core::option::Option::None),
        })
    }

    fn rule(&self, r: &ChoiceRule) -> Emitted {
        let rt = self.rt;
        let c = quote!(#rt::choice);
        Ok(match &r.condition {
            Condition::And(rules) => {
                let rules = self.rules(rules)?;
                quote!(#c::Rule::And(::std::vec![#(#rules),*]))
            }
            Condition::Or(rules) => {
                let rules = self.rules(rules)?;
                quote!(#c::Rule::Or(::std::vec![#(#rules),*]))
            }
            Condition::Not(r) => {
                let r = self.rule(r)?;
                quote!(#c::Rule::Not(::std::boxed::Box::new(#r)))
            }
            Condition::Compare {
                variable,
                operator,
                operand,
                operand_path,
            } => {
                let var = self.path_field(&variable.value)?;
                let test = self.test(operator.value, &operand.value, operand_path.as_ref())?;
                quote!(#c::Rule::Test(#var, #test))
            }
            Condition::Jsonata(node) => match (node.value.as_bool(), node.value.as_str()) {
                (Some(true), _) => quote!(#c::Rule::And(::std::vec![])),
                (_, Some(s)) if let Some(text) = jsonata_text(s) => {
                    let expr = self.expr(text);
                    quote!(#c::Rule::Condition(#expr))
                }
                _ => {
                    return Err(self.internal(
                        "a Condition that is neither true nor a JSONata expression".into(),
                    ));
                }
            },
            Condition::Invalid => return Err(self.internal("a Choice rule without a test".into())),
        })
    }

    fn rules(&self, rules: &[ChoiceRule]) -> Result<Vec<TokenStream>, Box<crate::Diagnostic>> {
        rules.iter().map(|r| self.rule(r)).collect()
    }

    /// The runtime's test for a comparison operator and its operand: `asl-lang` makes it, the
    /// emitter writes it down.
    fn test(&self, op: Operator, operand: &Node, path: Option<&PathText>) -> Emitted {
        let operand = if op.operand() == OperandKind::Path {
            match path.map(|p| &p.parsed) {
                Some(Ok(p)) => choice::Operand::Path(p.clone()),
                _ => {
                    return Err(self.internal(format!(
                        "the {} operand {operand:?}, which is not a path",
                        op.as_str()
                    )));
                }
            }
        } else {
            choice::Operand::Literal(operand.to_json())
        };
        Ok(self.emit_test(&op.test(operand)))
    }

    fn emit_test(&self, test: &choice::Test) -> TokenStream {
        let rt = self.rt;
        let c = quote!(#rt::choice);
        let operand = |o: &choice::Operand| match o {
            choice::Operand::Path(p) => {
                let p = self.emit_path(p);
                quote!(#c::Operand::Path(#p))
            }
            choice::Operand::Literal(v) => {
                let text = v.to_string();
                quote!(#c::Operand::Literal(#rt::__private::literal(#text)))
            }
        };
        let cmp = |cmp: &choice::Cmp| match cmp {
            choice::Cmp::Eq => quote!(#c::Cmp::Eq),
            choice::Cmp::Lt => quote!(#c::Cmp::Lt),
            choice::Cmp::Gt => quote!(#c::Cmp::Gt),
            choice::Cmp::Le => quote!(#c::Cmp::Le),
            choice::Cmp::Ge => quote!(#c::Cmp::Ge),
        };
        match test {
            choice::Test::String(k, o) => {
                let (k, o) = (cmp(k), operand(o));
                quote!(#c::Test::String(#k, #o))
            }
            choice::Test::Numeric(k, o) => {
                let (k, o) = (cmp(k), operand(o));
                quote!(#c::Test::Numeric(#k, #o))
            }
            choice::Test::Boolean(o) => {
                let o = operand(o);
                quote!(#c::Test::Boolean(#o))
            }
            choice::Test::Timestamp(k, o) => {
                let (k, o) = (cmp(k), operand(o));
                quote!(#c::Test::Timestamp(#k, #o))
            }
            choice::Test::Matches(Ok(p)) => {
                let pieces = p.pieces().iter();
                quote!(#c::Test::Matches(::core::result::Result::Ok(#c::Pattern::from_pieces(::std::vec![#(#pieces.into()),*]))))
            }
            choice::Test::Matches(Err(e)) => {
                quote!(#c::Test::Matches(::core::result::Result::Err(#e.into())))
            }
            choice::Test::IsNull(f) => quote!(#c::Test::IsNull(#f)),
            choice::Test::IsPresent(f) => quote!(#c::Test::IsPresent(#f)),
            choice::Test::IsNumeric(f) => quote!(#c::Test::IsNumeric(#f)),
            choice::Test::IsString(f) => quote!(#c::Test::IsString(#f)),
            choice::Test::IsBoolean(f) => quote!(#c::Test::IsBoolean(#f)),
            choice::Test::IsTimestamp(f) => quote!(#c::Test::IsTimestamp(#f)),
        }
    }

    /// A number of seconds, literal, from a JSONata expression or from a path.
    fn seconds(
        &self,
        fixed: &Option<Spanned<NumberOrExpr<u64>>>,
        path: &Option<PathField>,
    ) -> Emitted {
        let rt = self.rt;
        self.number_field(quote!(#rt::plan::Seconds), fixed, path, |n| quote!(#n))
    }

    /// `ty::Fixed(literal(n))`, `ty::Expr(…)` or `ty::Path(…)`, whichever way the definition
    /// gives the number; `None` when it gives none.
    fn number_field<T: Copy>(
        &self,
        ty: TokenStream,
        fixed: &Option<Spanned<NumberOrExpr<T>>>,
        path: &Option<PathField>,
        literal: impl Fn(T) -> TokenStream,
    ) -> Emitted {
        Ok(match (fixed, path) {
            (
                Some(Spanned {
                    value: NumberOrExpr::Literal(n),
                    ..
                }),
                _,
            ) => {
                let n = literal(*n);
                quote!(::core::option::Option::Some(#ty::Fixed(#n)))
            }
            (
                Some(Spanned {
                    value: NumberOrExpr::Jsonata(text),
                    ..
                }),
                _,
            ) => {
                let e = self.expr(text);
                quote!(::core::option::Option::Some(#ty::Expr(#e)))
            }
            (_, Some(Spanned { value: Some(p), .. })) => {
                let p = self.path_field(p)?;
                quote!(::core::option::Option::Some(#ty::Path(#p)))
            }
            _ => quote!(::core::option::Option::None),
        })
    }

    /// Retriers and Catchers.
    #[allow(clippy::type_complexity)]
    fn handling(
        &self,
        r: &ResultHandling,
    ) -> Result<(Vec<TokenStream>, Vec<TokenStream>), Box<crate::Diagnostic>> {
        let rt = self.rt;
        let retry = r
            .retry
            .iter()
            .map(|r| {
                let errors = r.error_equals.iter().map(|e| &e.value);
                let interval = r.interval_seconds.as_ref().map_or(1, |v| v.value);
                let attempts = r.max_attempts.as_ref().map_or(3, |v| v.value);
                let backoff = r.backoff_rate.as_ref().map_or(2.0, |v| v.value);
                let max_delay = match &r.max_delay_seconds {
                    Some(m) => {
                        let m = m.value;
                        quote!(::core::option::Option::Some(#m))
                    }
                    None => quote!(::core::option::Option::None),
                };
                let full = r
                    .jitter_strategy
                    .as_ref()
                    .is_some_and(|j| j.value == "FULL");
                quote!(#rt::plan::Retrier {
                    error_equals: ::std::vec![#(#errors.into()),*],
                    interval_seconds: #interval, max_attempts: #attempts, backoff_rate: #backoff,
                    max_delay_seconds: #max_delay, full_jitter: #full,
                })
            })
            .collect();
        let catch = r
            .catch
            .iter()
            .map(|c| {
                let errors = c.error_equals.iter().map(|e| &e.value);
                let next = match &c.next {
                    Some(n) => self.target(&n.value)?,
                    None => return Err(self.internal("a Catcher without Next".into())),
                };
                let result_path = self.place(&c.result_path)?;
                let output = self.opt_jsonata(&c.output, "Output")?;
                let assign = self.payload(&c.assign, "Assign")?;
                Ok(quote!(#rt::plan::Catcher { error_equals: ::std::vec![#(#errors.into()),*], next: #next, result_path: #result_path, output: #output, assign: #assign }))
            })
            .collect::<Result<_, _>>()?;
        Ok((retry, catch))
    }

    /// ResultSelector, ResultPath, Retry and Catch of a Parallel or Map.
    fn outcomes(&self, r: &ResultHandling) -> Emitted {
        let rt = self.rt;
        let result_selector = self.opt_template(&r.result_selector)?;
        let result_path = self.place(&r.result_path)?;
        let (retry, catch) = self.handling(r)?;
        Ok(quote!(#rt::plan::Outcomes {
            result_selector: #result_selector, result_path: #result_path,
            retry: ::std::vec![#(#retry),*], catch: ::std::vec![#(#catch),*],
        }))
    }

    /// A Parallel branch or a Map's processor.
    fn body(&self, c: &'m Container) -> Emitted {
        let rt = self.rt;
        let states = c
            .states
            .iter()
            .map(|s| self.at(s).state())
            .collect::<Result<Vec<_>, _>>()?;
        let start = match &c.start_at {
            Some(s) => self.target(&s.value)?,
            None => return Err(self.internal("a container without StartAt".into())),
        };
        Ok(quote!(#rt::plan::Body { states: ::std::vec![#(#states),*], start: #start }))
    }

    /// A count or percentage, literal, from a JSONata expression or from a path.
    fn amount<T: Copy + Number>(
        &self,
        fixed: &Option<Spanned<NumberOrExpr<T>>>,
        path: &Option<PathField>,
    ) -> Emitted {
        let rt = self.rt;
        self.number_field(quote!(#rt::plan::Amount), fixed, path, |n| {
            let n = n.to_f64();
            quote!(#n)
        })
    }

    fn opt_str(s: Option<&str>) -> TokenStream {
        match s {
            Some(s) => quote!(::core::option::Option::Some(#s.into())),
            None => quote!(::core::option::Option::None),
        }
    }

    fn map(&self, m: &'m Map) -> Emitted {
        let rt = self.rt;
        let processor = match &m.processor {
            Some(p) => self.body(&p.body)?,
            None => quote!(#rt::plan::Body { states: ::std::vec![], start: 0 }),
        };
        let distributed = m
            .processor
            .as_ref()
            .is_some_and(|p| p.mode == ProcessorMode::Distributed);
        let items_path = match &m.items_path {
            Some(Spanned { value: Some(p), .. }) if p != "$" => {
                let p = self.path_field(p)?;
                quote!(::core::option::Option::Some(#p))
            }
            _ => quote!(::core::option::Option::None),
        };
        let item_selector = self.payload(
            if m.item_selector.is_some() {
                &m.item_selector
            } else {
                &m.result.parameters
            },
            "ItemSelector",
        )?;
        let items = self.opt_jsonata(&m.items, "Items")?;
        let max_concurrency = self.amount(&m.max_concurrency, &m.max_concurrency_path)?;
        let count = self.amount(&m.tolerated_failure_count, &m.tolerated_failure_count_path)?;
        let percentage = self.amount(
            &m.tolerated_failure_percentage,
            &m.tolerated_failure_percentage_path,
        )?;
        let reader = match &m.item_reader {
            Some(r) => {
                let resource = r.resource.as_ref().map_or("", |r| r.value.as_str());
                let parameters = self.payload(&r.parameters, "ItemReader/Arguments")?;
                let config = r.reader_config.clone().unwrap_or_default();
                let input_type =
                    Self::opt_str(config.input_type.as_ref().map(|v| v.value.as_str()));
                let given = config
                    .csv_header_location
                    .as_ref()
                    .is_some_and(|l| l.value == "GIVEN");
                let headers = config
                    .csv_headers
                    .as_ref()
                    .map_or(&[][..], |h| &h.value[..]);
                let delimiter =
                    Self::opt_str(config.csv_delimiter.as_ref().map(|v| v.value.as_str()));
                let max_items = self.amount(&config.max_items, &config.max_items_path)?;
                quote!(::core::option::Option::Some(#rt::plan::ReaderPlan {
                    resource: #resource.into(), parameters: #parameters, input_type: #input_type,
                    csv_headers_given: #given, csv_headers: ::std::vec![#(#headers.into()),*],
                    csv_delimiter: #delimiter, max_items: #max_items,
                }))
            }
            None => quote!(::core::option::Option::None),
        };
        let batcher = match &m.item_batcher {
            Some(b) => {
                let max_items = self.amount(&b.max_items_per_batch, &b.max_items_per_batch_path)?;
                let max_bytes = self.amount(
                    &b.max_input_bytes_per_batch,
                    &b.max_input_bytes_per_batch_path,
                )?;
                let batch_input = self.payload(&b.batch_input, "ItemBatcher/BatchInput")?;
                quote!(::core::option::Option::Some(#rt::plan::BatcherPlan {
                    max_items: #max_items, max_bytes: #max_bytes, batch_input: #batch_input,
                }))
            }
            None => quote!(::core::option::Option::None),
        };
        let writer = match &m.result_writer {
            Some(w) => {
                let resource = Self::opt_str(w.resource.as_ref().map(|r| r.value.as_str()));
                let parameters = self.payload(&w.parameters, "ResultWriter/Arguments")?;
                let config = match &w.writer_config {
                    Some(c) => {
                        let lit = self.literal(&c.value);
                        quote!(::core::option::Option::Some(#lit))
                    }
                    None => quote!(::core::option::Option::None),
                };
                quote!(::core::option::Option::Some(#rt::plan::WriterPlan {
                    resource: #resource, parameters: #parameters, writer_config: #config,
                }))
            }
            None => quote!(::core::option::Option::None),
        };
        let label = Self::opt_str(m.label.as_ref().map(|l| l.value.as_str()));
        let outcomes = self.outcomes(&m.result)?;
        Ok(
            quote!(#rt::plan::Kind::Map(::std::boxed::Box::new(#rt::plan::MapPlan {
                processor: #processor, distributed: #distributed, items_path: #items_path, items: #items,
                item_selector: #item_selector, max_concurrency: #max_concurrency,
                tolerated_failure_count: #count, tolerated_failure_percentage: #percentage,
                item_reader: #reader, item_batcher: #batcher, result_writer: #writer,
                label: #label, outcomes: #outcomes,
            }))),
        )
    }

    /// A Fail state's Error or Cause: a literal, a JSONata expression, a path or a call.
    fn text(
        &self,
        literal: &Option<Spanned<String>>,
        path: &Option<Spanned<PathOrCall>>,
    ) -> Emitted {
        let rt = self.rt;
        Ok(match (literal, path) {
            (Some(l), _)
                if self.jsonata()
                    && let Some(text) = jsonata_text(&l.value) =>
            {
                let e = self.expr(text);
                quote!(#rt::plan::Text::Jsonata(#e))
            }
            (Some(l), _) => {
                let l = &l.value;
                quote!(#rt::plan::Text::Literal(#l.into()))
            }
            (
                _,
                Some(Spanned {
                    value: PathOrCall::Path(p),
                    ..
                }),
            ) => {
                let p = self.path_field(p)?;
                quote!(#rt::plan::Text::Path(#p))
            }
            (
                _,
                Some(Spanned {
                    value: PathOrCall::Call { parsed, text },
                    ..
                }),
            ) => {
                let call = match parsed {
                    Ok(call) => self.call(call),
                    Err(e) => self.unparsed_call(text, e)?,
                };
                quote!(#rt::plan::Text::Call(#call))
            }
            _ => quote!(#rt::plan::Text::None),
        })
    }

    /// How long a Wait state waits.
    fn wait(&self, w: &Wait) -> Emitted {
        let rt = self.rt;
        let wait = match (&w.seconds, &w.seconds_path, &w.timestamp, &w.timestamp_path) {
            (
                Some(Spanned {
                    value: NumberOrExpr::Literal(n),
                    ..
                }),
                ..,
            ) => quote!(#rt::plan::WaitFor::Seconds(#n)),
            (
                Some(Spanned {
                    value: NumberOrExpr::Jsonata(text),
                    ..
                }),
                ..,
            ) => {
                let e = self.expr(text.as_str());
                quote!(#rt::plan::WaitFor::SecondsExpr(#e))
            }
            (_, _, Some(t), _) if let Some(text) = jsonata_text(&t.value) => {
                let e = self.expr(text);
                quote!(#rt::plan::WaitFor::TimestampExpr(#e))
            }
            (_, Some(Spanned { value: Some(p), .. }), ..) => {
                let p = self.path_field(p)?;
                quote!(#rt::plan::WaitFor::SecondsPath(#p))
            }
            (_, _, Some(t), _) => {
                let t = &t.value;
                quote!(#rt::plan::WaitFor::Timestamp(#rt::__private::timestamp(#t)))
            }
            (_, _, _, Some(Spanned { value: Some(p), .. })) => {
                let p = self.path_field(p)?;
                quote!(#rt::plan::WaitFor::TimestampPath(#p))
            }
            _ => return Err(self.internal("a Wait state without a time".into())),
        };
        Ok(quote!(#rt::plan::Kind::Wait(#wait)))
    }

    /// The state this emitter is placed at.
    fn state(&self) -> Emitted {
        let rt = self.rt;
        let Some(state) = self.state else {
            return Err(self.internal("a state to emit, and none given".into()));
        };
        let jsonata = self.jsonata();
        let name = &state.name;
        let input_path = self.select(&state.input_path)?;
        let output_path = self.select(&state.output_path)?;
        let next = self.opt_target(state.next.as_ref())?;
        let kind = match &state.kind {
            StateKind::Pass(p) => {
                let parameters = self.opt_template(&p.parameters)?;
                let result = match &p.result {
                    Some(r) => {
                        let lit = self.literal(&r.value);
                        quote!(::core::option::Option::Some(#lit))
                    }
                    None => quote!(::core::option::Option::None),
                };
                let result_path = self.place(&p.result_path)?;
                quote!(#rt::plan::Kind::Pass { parameters: #parameters, result: #result, result_path: #result_path })
            }
            StateKind::Succeed => quote!(#rt::plan::Kind::Succeed),
            StateKind::Fail(f) => {
                let error = self.text(&f.error, &f.error_path)?;
                let cause = self.text(&f.cause, &f.cause_path)?;
                quote!(#rt::plan::Kind::Fail { error: #error, cause: #cause })
            }
            StateKind::Choice(c) => {
                let choices = c
                    .choices
                    .iter()
                    .map(|r| {
                        let rule = self.rule(r)?;
                        let next = match &r.next {
                            Some(n) => self.target(&n.value)?,
                            None => return Err(self.internal("a Choice rule without Next".into())),
                        };
                        let assign = self.payload(&r.assign, "Assign")?;
                        let output = self.opt_jsonata(&r.output, "Output")?;
                        Ok(quote!(#rt::plan::ChoiceBranch { rule: #rule, next: #next, assign: #assign, output: #output }))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let default = self.opt_target(c.default.as_ref())?;
                quote!(#rt::plan::Kind::Choice { choices: ::std::vec![#(#choices),*], default: #default })
            }
            StateKind::Wait(w) => self.wait(w)?,
            StateKind::Task(t) => {
                let Some(handler) = self
                    .plan
                    .slots
                    .iter()
                    .position(|s| s.state.name == state.name)
                else {
                    return Err(self.internal("a Task state without a handler slot".into()));
                };
                let resource = t.resource.as_ref().map_or("", |r| r.value.as_str());
                let parameters = if jsonata {
                    self.opt_jsonata(&t.result.arguments, "Arguments")?
                } else {
                    self.opt_template(&t.result.parameters)?
                };
                let result_selector = self.opt_template(&t.result.result_selector)?;
                let credentials = self.payload(&t.credentials, "Credentials")?;
                let result_path = self.place(&t.result.result_path)?;
                let timeout = self.seconds(&t.timeout_seconds, &t.timeout_seconds_path)?;
                let heartbeat = self.seconds(&t.heartbeat_seconds, &t.heartbeat_seconds_path)?;
                let (retry, catch) = self.handling(&t.result)?;
                quote!(#rt::plan::Kind::Task(::std::boxed::Box::new(#rt::plan::TaskPlan {
                    handler: #handler, resource: #resource.into(), parameters: #parameters,
                    result_selector: #result_selector, result_path: #result_path,
                    retry: ::std::vec![#(#retry),*], catch: ::std::vec![#(#catch),*],
                    timeout: #timeout, heartbeat: #heartbeat, credentials: #credentials,
                })))
            }
            StateKind::Parallel(p) => {
                let branches = p
                    .branches
                    .iter()
                    .map(|b| self.body(b))
                    .collect::<Result<Vec<_>, _>>()?;
                let parameters = if jsonata {
                    self.opt_jsonata(&p.result.arguments, "Arguments")?
                } else {
                    self.opt_template(&p.result.parameters)?
                };
                let outcomes = self.outcomes(&p.result)?;
                quote!(#rt::plan::Kind::Parallel(::std::boxed::Box::new(#rt::plan::ParallelPlan {
                    branches: ::std::vec![#(#branches),*], parameters: #parameters, outcomes: #outcomes,
                })))
            }
            StateKind::Map(m) => self.map(m)?,
        };
        let assign = self.payload(&state.assign, "Assign")?;
        let output = self.opt_jsonata(&state.output, "Output")?;
        let uses_context = state.reads_context;
        Ok(quote!(#rt::plan::StatePlan {
            name: #name.into(), input_path: #input_path, output_path: #output_path, next: #next,
            uses_context: #uses_context, jsonata: #jsonata, assign: #assign, output: #output, kind: #kind,
        }))
    }
}

/// The numbers a Map field may hold.
trait Number {
    fn to_f64(self) -> f64;
}

impl Number for u64 {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Number for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

/// The plan function, the builder type and its methods.
/// Fails with an `INTERNAL_ERROR` diagnostic for anything the checks should have refused,
/// rather than generating a machine that would do something else.
pub fn machine(
    machine: &crate::model::StateMachine,
    plan: &MachineLayout<'_>,
    options: &EmitOptions,
) -> Result<TokenStream, Vec<crate::Diagnostic>> {
    let rt = &options.runtime;
    let e = Emitter {
        rt,
        plan,
        state: None,
    };
    let ty = &options.type_name;
    let builder = format_ident!("{}Builder", ty);
    // Each state reports the first problem met in it.
    let start = match &machine.body.start_at {
        Some(s) => e.target(&s.value),
        None => Err(e.internal("a machine without StartAt".into())),
    };
    let mut problems = Vec::new();
    let states: Vec<TokenStream> = std::iter::once(start.map(|i| quote!(#i)))
        .chain(plan.states.iter().map(|s| e.at(s).state()))
        .filter_map(|r| r.map_err(|d| problems.push(*d)).ok())
        .collect();
    let Some((start, states)) = states.split_first().filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let timeout = match &machine.timeout_seconds {
        Some(t) => {
            let t = t.value;
            quote!(::core::option::Option::Some(#t))
        }
        None => quote!(::core::option::Option::None),
    };

    let n = plan.slots.len();
    let builder_tokens = super::builder::builder(plan, options);
    let missing = super::builder::initial_markers(n, rt);

    Ok(quote! {
        #builder_tokens

        impl #ty {
            /// The executable plan, built once per process.
            pub fn plan() -> &'static #rt::plan::Plan {
                static PLAN: ::std::sync::LazyLock<#rt::plan::Plan> = ::std::sync::LazyLock::new(|| #rt::plan::Plan {
                    states: ::std::vec![#(#states),*],
                    start: #start,
                    timeout_seconds: #timeout,
                });
                &PLAN
            }

            /// Starts collecting the handlers.
            pub fn builder() -> #builder<#missing> {
                #builder { slots: ::std::vec![::core::option::Option::None; #n], fallback: ::core::option::Option::None, _marker: ::core::marker::PhantomData }
            }
        }
    })
}

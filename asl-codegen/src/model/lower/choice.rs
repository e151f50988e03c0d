//! Choice states: their rules (And/Or/Not, the comparison operators, JSONata Conditions).

use super::{Lowerer, MAX_CHOICE_NESTING, Obj, jsonata_text};
use crate::diag::{Code, Diagnostic, Pointer, did_you_mean};
use crate::model::fields;
use crate::model::{
    Choice, ChoiceRule, Condition, OperandKind, Operator, PathText, QueryLanguage, Spanned,
};
use crate::source::{Member, Node};

impl Lowerer<'_> {
    pub(super) fn choice(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Choice {
        self.required(obj, &["Choices"]);
        let mut choices = Vec::new();
        if let Some((rules, ptr)) = self.array_field(obj, "Choices", true) {
            for (i, rule) in rules.iter().enumerate() {
                if let Some(r) = self.rule(rule, ptr.join(i), ql, true) {
                    choices.push(r);
                }
            }
        }
        Choice {
            choices,
            default: self.non_empty_string(obj, "Default"),
        }
    }

    pub(super) fn rule(
        &mut self,
        node: &Node,
        ptr: Pointer,
        ql: QueryLanguage,
        top: bool,
    ) -> Option<ChoiceRule> {
        if self.rule_depth >= MAX_CHOICE_NESTING {
            self.diags.push(Diagnostic::new(
                Code::TooDeeplyNested,
                format!("Choice rules are nested more than {MAX_CHOICE_NESTING} levels deep"),
                ptr,
                Some(node.span),
            ));
            return None;
        }
        self.rule_depth += 1;
        let rule = self.rule_inner(node, ptr, ql, top);
        self.rule_depth -= 1;
        rule
    }

    pub(super) fn rule_inner(
        &mut self,
        node: &Node,
        ptr: Pointer,
        ql: QueryLanguage,
        top: bool,
    ) -> Option<ChoiceRule> {
        let Some(members) = node.as_object() else {
            self.error(
                format!("A Choice rule must be an object, not {}", node.type_name()),
                ptr,
                node,
            );
            return None;
        };
        let obj = Obj { members, ptr, node };
        let mut allowed: Vec<&str> = vec!["Comment"];
        if top {
            allowed.extend(fields::RULE_FIELDS);
        }
        if ql == QueryLanguage::Jsonata {
            allowed.push("Condition");
        } else {
            allowed.extend(["Variable", "And", "Or", "Not"]);
            allowed.extend(Operator::ALL.iter().map(|o| o.as_str()));
        }
        for m in obj.members {
            if !allowed.contains(&m.key.as_str()) {
                let (msg, help) = if !top && fields::RULE_FIELDS.contains(&m.key.as_str()) {
                    (
                        format!("Field '{}' is not supported in a nested Choice rule", m.key),
                        Some("only the rules directly in 'Choices' name a 'Next' state".to_owned()),
                    )
                } else if ql == QueryLanguage::Jsonata
                    && (m.key == "Variable"
                        || Operator::from_name(&m.key).is_some()
                        || ["And", "Or", "Not"].contains(&m.key.as_str()))
                {
                    (
                        format!(
                            "The QueryLanguage is set to 'JSONata', but field '{}' is only supported for the 'JSONPath' QueryLanguage",
                            m.key
                        ),
                        None,
                    )
                } else if ql == QueryLanguage::JsonPath && m.key == "Condition" {
                    ("The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage".to_owned(), None)
                } else {
                    (
                        format!("Field '{}' is not supported", m.key),
                        did_you_mean(&m.key, allowed.iter().copied())
                            .map(|s| format!("did you mean '{s}'?")),
                    )
                };
                let mut d = Diagnostic::new(
                    Code::SchemaValidationFailed,
                    msg,
                    obj.ptr.clone(),
                    Some(m.key_span),
                );
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                self.diags.push(d);
            }
        }
        let condition = if ql == QueryLanguage::Jsonata {
            self.required(&obj, &["Condition"]);
            match self.node(&obj, "Condition") {
                Some(c)
                    if c.value.as_bool().is_some()
                        || c.value.as_str().is_some_and(|s| jsonata_text(s).is_some()) =>
                {
                    Condition::Jsonata(c)
                }
                Some(c) => {
                    self.diags.push(Diagnostic::new(
                        Code::SchemaValidationFailed,
                        "Field 'Condition' must be a boolean or a JSONata expression",
                        c.pointer.clone(),
                        Some(c.span),
                    ));
                    Condition::Invalid
                }
                None => Condition::Invalid,
            }
        } else {
            self.data_test(&obj, ql)
        };
        if top {
            self.required(&obj, &["Next"]);
        }
        Some(ChoiceRule {
            next: if top {
                self.non_empty_string(&obj, "Next")
            } else {
                None
            },
            assign: if top {
                self.object_node(&obj, "Assign", false)
            } else {
                None
            },
            output: if top { self.node(&obj, "Output") } else { None },
            comment: self.string(&obj, "Comment"),
            condition,
            pointer: obj.ptr.clone(),
            span: node.span,
        })
    }

    pub(super) fn data_test(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Condition {
        let tests: Vec<&Member> = obj
            .members
            .iter()
            .filter(|m| {
                ["And", "Or", "Not"].contains(&m.key.as_str())
                    || Operator::from_name(&m.key).is_some()
            })
            .collect();
        if tests.len() != 1 {
            let msg = if tests.is_empty() {
                "A Choice rule needs a comparison operator (with 'Variable') or 'And', 'Or' or 'Not'".to_owned()
            } else {
                format!(
                    "Each Choice Rule can only have one comparison operator, found {}",
                    tests
                        .iter()
                        .map(|m| m.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            self.error(msg, obj.ptr.clone(), obj.node);
            return Condition::Invalid;
        }
        let test = tests[0];
        let ptr = obj.child(&test.key);
        match test.key.as_str() {
            "And" | "Or" => {
                let mut rules = Vec::new();
                match test.value.as_array() {
                    Some([]) => self.error("Value cannot be empty", ptr.clone(), &test.value),
                    Some(items) => {
                        for (i, r) in items.iter().enumerate() {
                            rules.extend(self.rule(r, ptr.join(i), ql, false));
                        }
                    }
                    None => self.error(
                        format!("Field '{}' must be an array of Choice rules", test.key),
                        ptr.clone(),
                        &test.value,
                    ),
                }
                if obj.has("Variable") {
                    self.error(
                        format!("Field 'Variable' can not be used with '{}'", test.key),
                        obj.ptr.clone(),
                        obj.node,
                    );
                }
                if test.key == "And" {
                    Condition::And(rules)
                } else {
                    Condition::Or(rules)
                }
            }
            "Not" => {
                if obj.has("Variable") {
                    self.error(
                        "Field 'Variable' can not be used with 'Not'",
                        obj.ptr.clone(),
                        obj.node,
                    );
                }
                match self.rule(&test.value, ptr, ql, false) {
                    Some(r) => Condition::Not(Box::new(r)),
                    None => Condition::Invalid,
                }
            }
            name => {
                let Some(operator) = Operator::from_name(name) else {
                    return Condition::Invalid;
                };
                self.required(obj, &["Variable"]);
                let Some(variable) = self.string(obj, "Variable") else {
                    return Condition::Invalid;
                };
                let operand = Spanned {
                    value: test.value.clone(),
                    span: test.value.span,
                    pointer: ptr.clone(),
                };
                let ok = match operator.operand() {
                    OperandKind::String | OperandKind::Timestamp | OperandKind::Path => {
                        test.value.as_str().is_some()
                    }
                    OperandKind::Number => test.value.as_f64().is_some(),
                    OperandKind::Boolean => test.value.as_bool().is_some(),
                };
                if !ok {
                    let want = match operator.operand() {
                        OperandKind::String => "a string",
                        OperandKind::Timestamp => "a timestamp string",
                        OperandKind::Path => "a path string",
                        OperandKind::Number => "a number",
                        OperandKind::Boolean => "a boolean",
                    };
                    self.error(
                        format!(
                            "Field '{name}' must be {want}, not {}",
                            test.value.type_name()
                        ),
                        ptr,
                        &test.value,
                    );
                    return Condition::Invalid;
                }
                let operand_path = (operator.operand() == OperandKind::Path)
                    .then(|| operand.value.as_str().map(|s| PathText::new(s.to_owned())))
                    .flatten();
                Condition::Compare {
                    operand_path,
                    variable: Spanned {
                        value: PathText::new(variable.value),
                        span: variable.span,
                        pointer: variable.pointer,
                    },
                    operator: Spanned {
                        value: operator,
                        span: test.key_span,
                        pointer: operand.pointer.clone(),
                    },
                    operand,
                }
            }
        }
    }
}

//! # asl-lang
//!
//! The small languages inside an Amazon States Language definition, defined once for the
//! generator that parses and checks them (`asl-codegen`) and the runtime that evaluates them
//! (`asl-runtime`): JSONPath as AWS reads it (Jayway's syntax and semantics) with its filter
//! expressions, intrinsic function calls, Choice rule comparisons, the analysis of JSONata
//! expressions, ASL timestamps, and the rules for names. No proc-macro types: any program may
//! use it.
//!
//! ```
//! use serde_json::json;
//!
//! let path = asl_lang::jsonpath::parse("$.items[?(@.price < 10)].name").unwrap();
//! assert!(!path.is_definite());
//! let doc = json!({"items": [{"name": "pen", "price": 2}, {"name": "lamp", "price": 40}]});
//! assert_eq!(path.select(&doc), Some(json!(["pen"])));
//! ```

pub mod choice;
pub mod filter;
pub mod ident;
pub mod intrinsic;
pub mod jsonata;
pub mod jsonpath;
pub mod resource;
pub mod timestamp;

//! Parallel and Map states: branches, item processors, readers, batchers and writers.

use super::{Lowerer, MAX_SECONDS, Obj};
use crate::diag::{Code, Diagnostic};
use crate::model::fields;
use crate::model::{
    ItemBatcher, ItemReader, Map, Parallel, Processor, ProcessorMode, QueryLanguage, ReaderConfig,
    ResultWriter, Spanned,
};
use crate::source::Node;

impl Lowerer<'_> {
    pub(super) fn parallel(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Parallel {
        self.required(obj, &["Branches"]);
        let branches = self
            .entries(obj, "Branches")
            .into_iter()
            .map(|b| {
                self.check_fields(&b, fields::BRANCH_FIELDS);
                self.required(&b, &["StartAt", "States"]);
                self.container(&b)
            })
            .collect();
        if let Some(b) = obj.get("Branches")
            && b.as_array().is_some_and(<[Node]>::is_empty)
        {
            self.error("Value cannot be empty", obj.child("Branches"), b);
        }
        Parallel {
            branches,
            result: self.result_handling(obj, ql),
        }
    }

    pub(super) fn map(&mut self, obj: &Obj<'_>, ql: QueryLanguage) -> Map {
        let processor_key = match (obj.has("ItemProcessor"), obj.has("Iterator")) {
            (true, true) => {
                self.exclusive(obj, "ItemProcessor", "Iterator");
                Some("ItemProcessor")
            }
            (true, false) => Some("ItemProcessor"),
            (false, true) => Some("Iterator"),
            (false, false) => {
                self.required(obj, &["ItemProcessor"]);
                None
            }
        };
        let processor = processor_key
            .and_then(|key| self.obj_field(obj, key).map(|p| (key, p)))
            .map(|(key, p)| {
                self.check_fields(&p, fields::PROCESSOR_FIELDS);
                self.required(&p, &["StartAt", "States"]);
                let mut mode = ProcessorMode::Inline;
                let mut execution_type = None;
                if let Some(cfg) = self.obj_field(&p, "ProcessorConfig") {
                    self.check_fields(&cfg, fields::PROCESSOR_CONFIG_FIELDS);
                    if self
                        .one_of(&cfg, "Mode", &["INLINE", "DISTRIBUTED"])
                        .is_some_and(|m| m.value == "DISTRIBUTED")
                    {
                        mode = ProcessorMode::Distributed;
                    }
                    execution_type = self.one_of(&cfg, "ExecutionType", &["STANDARD", "EXPRESS"]);
                    if mode == ProcessorMode::Distributed && execution_type.is_none() {
                        self.required(&cfg, &["ExecutionType"]);
                    }
                }
                Processor {
                    body: self.container(&p),
                    legacy_iterator: key == "Iterator",
                    mode,
                    execution_type,
                }
            });
        for (a, b) in [
            ("MaxConcurrency", "MaxConcurrencyPath"),
            (
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
            ),
            ("ToleratedFailureCount", "ToleratedFailureCountPath"),
            ("ItemSelector", "Parameters"),
        ] {
            self.exclusive(obj, a, b);
        }
        let item_reader = self.obj_field(obj, "ItemReader").map(|r| {
            self.check_fields(&r, fields::ITEM_READER_FIELDS);
            self.required(&r, &["Resource"]);
            self.parameters_or_arguments(&r, ql);
            let reader_config = self.obj_field(&r, "ReaderConfig").map(|c| {
                self.check_fields(&c, fields::READER_CONFIG_FIELDS);
                self.exclusive(&c, "MaxItems", "MaxItemsPath");
                let other = ["Transformation", "ManifestType", "ItemsPointer"]
                    .into_iter()
                    .filter_map(|k| self.node(&c, k).map(|n| (k.to_owned(), n)))
                    .collect();
                let csv_headers = self
                    .array_field(&c, "CSVHeaders", false)
                    .map(|(items, ptr)| Spanned {
                        value: items
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_owned))
                            .collect(),
                        span: c
                            .get("CSVHeaders")
                            .map_or_else(Default::default, |n| n.span),
                        pointer: ptr,
                    });
                ReaderConfig {
                    input_type: self.one_of(
                        &c,
                        "InputType",
                        &["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"],
                    ),
                    csv_header_location: self.one_of(
                        &c,
                        "CSVHeaderLocation",
                        &["FIRST_ROW", "GIVEN"],
                    ),
                    csv_headers,
                    csv_delimiter: self.one_of(
                        &c,
                        "CSVDelimiter",
                        &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
                    ),
                    max_items: self.uint(&c, "MaxItems", ql, 0, 100_000_000),
                    max_items_path: self.path(&c, "MaxItemsPath", false),
                    other,
                }
            });
            ItemReader {
                resource: self.non_empty_string(&r, "Resource"),
                parameters: self
                    .node(&r, "Parameters")
                    .or_else(|| self.node(&r, "Arguments")),
                reader_config,
                pointer: r.ptr.clone(),
            }
        });
        let item_batcher = self.obj_field(obj, "ItemBatcher").map(|b| {
            self.check_fields(&b, fields::ITEM_BATCHER_FIELDS);
            self.exclusive(&b, "MaxItemsPerBatch", "MaxItemsPerBatchPath");
            self.exclusive(&b, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");
            if !["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"].iter().any(|k| b.has(k)) {
                self.error("ItemBatcher needs 'MaxItemsPerBatch' or 'MaxInputBytesPerBatch' (or their Path forms)", b.ptr.clone(), b.node);
            }
            ItemBatcher {
                max_items_per_batch: self.uint(&b, "MaxItemsPerBatch", ql, 1, 100_000_000),
                max_items_per_batch_path: self.path(&b, "MaxItemsPerBatchPath", false),
                max_input_bytes_per_batch: self.uint(&b, "MaxInputBytesPerBatch", ql, 1, 262_144),
                max_input_bytes_per_batch_path: self.path(&b, "MaxInputBytesPerBatchPath", false),
                batch_input: self.object_node(&b, "BatchInput", ql == QueryLanguage::Jsonata),
                pointer: b.ptr.clone(),
            }
        });
        let result_writer = self.obj_field(obj, "ResultWriter").map(|w| {
            self.check_fields(&w, fields::RESULT_WRITER_FIELDS);
            if !w.has("Resource") && !w.has("WriterConfig") {
                self.required(&w, &["Resource"]);
            }
            self.parameters_or_arguments(&w, ql);
            ResultWriter {
                resource: self.non_empty_string(&w, "Resource"),
                parameters: self
                    .node(&w, "Parameters")
                    .or_else(|| self.node(&w, "Arguments")),
                writer_config: self.object_node(&w, "WriterConfig", false),
                pointer: w.ptr.clone(),
            }
        });
        if obj.has("Items") && obj.has("ItemReader") {
            self.exclusive(obj, "ItemReader", "Items");
        }
        Map {
            processor,
            items_path: self.path(obj, "ItemsPath", false),
            items: self.node(obj, "Items"),
            item_selector: self.object_node(obj, "ItemSelector", ql == QueryLanguage::Jsonata),
            item_reader,
            item_batcher,
            result_writer,
            max_concurrency: self.uint(obj, "MaxConcurrency", ql, 0, MAX_SECONDS),
            max_concurrency_path: self.path(obj, "MaxConcurrencyPath", false),
            tolerated_failure_percentage: self.number(
                obj,
                "ToleratedFailurePercentage",
                ql,
                0.0,
                100.0,
            ),
            tolerated_failure_percentage_path: self.path(
                obj,
                "ToleratedFailurePercentagePath",
                false,
            ),
            tolerated_failure_count: self.uint(obj, "ToleratedFailureCount", ql, 0, MAX_SECONDS),
            tolerated_failure_count_path: self.path(obj, "ToleratedFailureCountPath", false),
            label: self.string(obj, "Label"),
            result: self.result_handling(obj, ql),
        }
    }

    /// ItemReader/ResultWriter take `Parameters` in JSONPath states and `Arguments` in JSONata ones.
    pub(super) fn parameters_or_arguments(&mut self, obj: &Obj<'_>, ql: QueryLanguage) {
        let (wrong, right) = match ql {
            QueryLanguage::JsonPath => ("Arguments", "JSONata"),
            QueryLanguage::Jsonata => ("Parameters", "JSONPath"),
        };
        if let Some(m) = obj.members.iter().find(|m| m.key == wrong) {
            self.diags.push(Diagnostic::new(
                Code::SchemaValidationFailed,
                format!("The QueryLanguage is set to '{}', but field '{wrong}' is only supported for the '{right}' QueryLanguage", ql.as_str()),
                obj.ptr.clone(),
                Some(m.key_span),
            ));
        }
    }
}

//! Generation from `build.rs`, in the prost-build manner: name definition files or folders,
//! get one Rust file in `OUT_DIR` with a module per workflow, written only when it changes,
//! with `cargo:rerun-if-changed` for every input and diagnostics as `cargo:warning` lines.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     asl_codegen::Builder::new()
//!         .folder("workflows")
//!         .substitute("QueueUrl", "https://sqs.example/queue")
//!         .compile()?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/asl_workflows.rs"));
//! // `workflows/order-flow.asl.json` is now `order_flow::OrderFlow`.
//! ```

use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::{GenerateOptions, MachineType, Syntax, emit::type_name_for_file};

/// One definition to generate.
#[derive(Clone, Debug)]
struct Input {
    path: PathBuf,
    type_name: Option<String>,
    /// In a template: the one state machine to generate (by logical id or resource name).
    machine: Option<String>,
}

/// One definition to generate, read: from its own file or a template.
struct Unit {
    type_name: String,
    /// The file its text is in.
    file: String,
    text: String,
    root: crate::source::Node,
}

/// Collects definitions and generates their Rust code (see the `build` module docs).
#[derive(Clone, Debug)]
pub struct Builder {
    inputs: Vec<Input>,
    folders: Vec<PathBuf>,
    runtime: String,
    out_file: PathBuf,
    out_dir: Option<PathBuf>,
    machine_type: MachineType,
    substitutions: Vec<(String, String)>,
    /// Edge types by generated type name: (type, input, output).
    typed: Vec<(String, String, String)>,
    cargo: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

/// Why generation failed: definitions with errors (each rendered with its `file:line:col`),
/// or a file that could not be read or written.
#[derive(Debug)]
pub struct BuildError {
    /// The problems, rendered.
    pub problems: Vec<String>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} problem(s) in the workflow definitions:",
            self.problems.len()
        )?;
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

/// Generates every definition in `dir` into `$OUT_DIR/asl_workflows.rs`: the one-line form of
/// [`Builder`].
pub fn compile(dir: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
    Builder::new().folder(dir).compile()
}

fn is_definition(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [".json", ".yaml", ".yml"].iter().any(|e| name.ends_with(e))
}

/// A module name from a type name: `OrderFlow` → `order_flow`.
fn module_name(type_name: &str) -> String {
    crate::layout::names::snake(type_name)
}

impl Builder {
    /// A builder with nothing added, the runtime at `::asl_runtime`, standard-workflow rules
    /// and the output file `asl_workflows.rs`.
    pub fn new() -> Self {
        Builder {
            inputs: Vec::new(),
            folders: Vec::new(),
            runtime: "::asl_runtime".to_owned(),
            out_file: PathBuf::from("asl_workflows.rs"),
            out_dir: None,
            machine_type: MachineType::Standard,
            substitutions: Vec::new(),
            typed: Vec::new(),
            cargo: true,
        }
    }

    /// Adds one definition; its type is named after the file (`order-flow.asl.json` →
    /// `OrderFlow`, in module `order_flow`).
    pub fn file(mut self, path: impl AsRef<Path>) -> Self {
        self.inputs.push(Input {
            path: path.as_ref().to_path_buf(),
            type_name: None,
            machine: None,
        });
        self
    }

    /// Adds one definition with the given type name.
    pub fn file_as(mut self, path: impl AsRef<Path>, type_name: &str) -> Self {
        self.inputs.push(Input {
            path: path.as_ref().to_path_buf(),
            type_name: Some(type_name.to_owned()),
            machine: None,
        });
        self
    }

    /// Adds the state machine named `machine` (its CloudFormation logical id, or Terraform
    /// resource name) of the template at `path`, as `type_name`. [`file`](Self::file) on a
    /// template adds every machine in it, each named after its logical id.
    pub fn machine(mut self, path: impl AsRef<Path>, machine: &str, type_name: &str) -> Self {
        self.inputs.push(Input {
            path: path.as_ref().to_path_buf(),
            type_name: Some(type_name.to_owned()),
            machine: Some(machine.to_owned()),
        });
        self
    }

    /// Adds every `.json`, `.yaml` and `.yml` file of a folder (not its subfolders), in name
    /// order; cargo reruns the build when a file is added to it.
    pub fn folder(mut self, dir: impl AsRef<Path>) -> Self {
        self.folders.push(dir.as_ref().to_path_buf());
        self
    }

    /// Replaces `${name}` with `value` in every definition, as CloudFormation's
    /// `DefinitionSubstitutions` do.
    pub fn substitute(mut self, name: &str, value: &str) -> Self {
        self.substitutions.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Types the workflow generated as `type_name` at its edges: its `build()` returns a
    /// `TypedMachine` whose executions take an `input` and give an `output` (Rust types as
    /// the generated module sees them, such as `crate::OrderIn`; `serde_json::Value` for either
    /// leaves that edge untyped), as `asl!(…, input = …, output = …)` does.
    pub fn typed(mut self, type_name: &str, input: &str, output: &str) -> Self {
        self.typed
            .push((type_name.to_owned(), input.to_owned(), output.to_owned()));
        self
    }

    /// The path generated code names the runtime by (default `::asl_runtime`).
    pub fn runtime(mut self, path: &str) -> Self {
        self.runtime = path.to_owned();
        self
    }

    /// Checks the definitions as EXPRESS workflows.
    pub fn machine_type(mut self, machine_type: MachineType) -> Self {
        self.machine_type = machine_type;
        self
    }

    /// The output file, relative to the output folder (default `asl_workflows.rs`).
    pub fn out_file(mut self, name: impl AsRef<Path>) -> Self {
        self.out_file = name.as_ref().to_path_buf();
        self
    }

    /// The output folder (default `$OUT_DIR`).
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Whether to print `cargo:` lines (default yes; turn off outside build scripts).
    pub fn cargo_instructions(mut self, on: bool) -> Self {
        self.cargo = on;
        self
    }

    fn all_inputs(&self) -> Result<Vec<Input>, BuildError> {
        let mut inputs = self.inputs.clone();
        for dir in &self.folders {
            if self.cargo {
                println!("cargo:rerun-if-changed={}", dir.display());
            }
            let entries = std::fs::read_dir(dir).map_err(|e| BuildError {
                problems: vec![format!("{}: {e}", dir.display())],
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_definition(p))
                .collect();
            files.sort();
            inputs.extend(files.into_iter().map(|path| Input {
                path,
                type_name: None,
                machine: None,
            }));
        }
        Ok(inputs)
    }

    /// The generated Rust source for every definition (no files written), or every problem
    /// in all of them.
    pub fn generate(&self) -> Result<String, BuildError> {
        let mut out = String::from(
            "// Generated by asl-codegen from Amazon States Language definitions. Do not edit.\n\n",
        );
        let mut problems = Vec::new();
        let mut generated: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for input in self.all_inputs()? {
            let file = input.path.display().to_string();
            if self.cargo {
                println!("cargo:rerun-if-changed={file}");
            }
            let text = match std::fs::read_to_string(&input.path) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(format!("{file}: {e}"));
                    continue;
                }
            };
            for unit in self.units(&input, &file, text, &mut problems) {
                if self.cargo && unit.file != file {
                    println!("cargo:rerun-if-changed={}", unit.file);
                }
                let module = module_name(&unit.type_name);
                if !seen.insert(module.clone()) {
                    problems.push(format!(
                        "{file}: a second workflow named `{}`; name one with Builder::file_as or Builder::machine",
                        unit.type_name
                    ));
                    continue;
                }
                let mut options = GenerateOptions::new(&unit.type_name, &unit.file);
                options.runtime = self.runtime.clone();
                options.machine_type = self.machine_type;
                if let Some((_, input, output)) =
                    self.typed.iter().find(|(t, ..)| *t == unit.type_name)
                {
                    options.input_type = Some(input.clone());
                    options.output_type = Some(output.clone());
                }
                generated.push(unit.type_name.clone());
                match crate::generate_tree(&unit.root, &unit.text, &options) {
                    Ok(source) => {
                        let _ = writeln!(
                            out,
                            "/// The workflow {} in `{}`.\n#[allow(clippy::all, missing_docs)]\npub mod {module} {{\n{source}}}\n",
                            unit.type_name, unit.file
                        );
                    }
                    Err(diags) => problems.extend(
                        diags
                            .iter()
                            .filter(|d| d.blocks_generation())
                            .map(|d| d.render(&unit.file, &unit.text)),
                    ),
                }
            }
        }
        for (type_name, ..) in &self.typed {
            if !generated.contains(type_name) {
                problems.push(format!(
                    "Builder::typed names `{type_name}`, but no workflow is generated under that name"
                ));
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(BuildError { problems })
        }
    }

    /// The definitions one input gives: the file itself, or the state machines of a template.
    fn units(
        &self,
        input: &Input,
        file: &str,
        text: String,
        problems: &mut Vec<String>,
    ) -> Vec<Unit> {
        if !crate::template::is_template(&input.path, &text) {
            if input.machine.is_some() {
                problems.push(format!(
                    "{file}: not a template, so it names no state machines"
                ));
                return Vec::new();
            }
            let mut root = match crate::source::parse(&text, Syntax::from_file_name(file)) {
                Ok(root) => root,
                Err(d) => {
                    problems.push(d.render(file, &text));
                    return Vec::new();
                }
            };
            crate::source::substitute(&mut root, &self.substitutions);
            let type_name = input
                .type_name
                .clone()
                .unwrap_or_else(|| type_name_for_file(file));
            return vec![Unit {
                type_name,
                file: file.to_owned(),
                text,
                root,
            }];
        }
        let found = match crate::template::machines(&input.path, &text, &self.substitutions) {
            Ok(found) => found,
            Err(ps) => {
                problems.extend(ps.iter().map(crate::template::Problem::render));
                return Vec::new();
            }
        };
        let names: Vec<&str> = found.iter().map(|f| f.name.as_str()).collect();
        let chosen: Vec<&crate::template::Found> = match &input.machine {
            Some(m) => found.iter().filter(|f| f.name == *m).collect(),
            None => found.iter().collect(),
        };
        if chosen.is_empty() {
            problems.push(format!(
                "{file}: no state machine {} (it has {})",
                input.machine.as_deref().unwrap_or_default(),
                names.join(", ")
            ));
            return Vec::new();
        }
        if input.type_name.is_some() && chosen.len() > 1 {
            problems.push(format!(
                "{file}: the template has {} state machines ({}); choose one with Builder::machine",
                chosen.len(),
                names.join(", ")
            ));
            return Vec::new();
        }
        chosen
            .into_iter()
            .map(|f| Unit {
                type_name: input
                    .type_name
                    .clone()
                    .unwrap_or_else(|| type_name_for_file(&f.name)),
                file: f.file.display().to_string(),
                text: f.text.clone(),
                root: f.root.clone(),
            })
            .collect()
    }

    /// Generates and writes the output file (only when its content changes, so cargo does not
    /// rebuild for nothing) and returns its path. Problems are also printed as `cargo:warning`
    /// lines so `cargo build` shows each one.
    pub fn compile(&self) -> Result<PathBuf, BuildError> {
        let source = match self.generate() {
            Ok(s) => s,
            Err(e) => {
                if self.cargo {
                    for p in &e.problems {
                        for line in p.lines() {
                            println!("cargo:warning={line}");
                        }
                    }
                }
                return Err(e);
            }
        };
        let dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| BuildError {
                problems: vec![
                        "OUT_DIR is not set: call compile() from build.rs, or set Builder::out_dir"
                            .to_owned(),
                    ],
            })?),
        };
        let path = dir.join(&self.out_file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
            std::fs::write(&path, source).map_err(|e| BuildError {
                problems: vec![format!("{}: {e}", path.display())],
            })?;
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_modules_and_errors_carry_locations() {
        let dir = std::env::temp_dir().join(format!("asl-builder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok();
        let good = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${Greeting}", "End": true}}}"#;
        std::fs::write(dir.join("say-hello.asl.json"), good).ok();
        std::fs::write(dir.join("notes.txt"), "not a definition").ok();
        let out = Builder::new()
            .folder(&dir)
            .substitute("Greeting", "hi")
            .cargo_instructions(false)
            .out_dir(&dir)
            .compile();
        let path = out.as_ref().map(PathBuf::clone).unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(text.contains("pub mod say_hello"), "{text}");
        assert!(text.contains("pub struct SayHello"));
        assert!(
            text.contains(r#"\"hi\""#),
            "the placeholder was substituted"
        );

        std::fs::write(
            dir.join("broken.asl.json"),
            "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}",
        )
        .ok();
        let err = Builder::new()
            .folder(&dir)
            .cargo_instructions(false)
            .out_dir(&dir)
            .generate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("MISSING_TRANSITION_TARGET"), "{err}");
        assert!(err.contains("broken.asl.json:2:"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_placeholder_where_a_number_belongs_is_an_error_until_it_has_a_value() {
        let dir = std::env::temp_dir().join(format!("asl-placeholder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok();
        let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\",\n  \"Resource\": \"arn:aws:lambda:us-east-1:1:function:f\", \"TimeoutSeconds\": \"${T}\", \"End\": true}}}";
        std::fs::write(dir.join("timed.asl.json"), text).ok();
        let build = || {
            Builder::new()
                .folder(&dir)
                .cargo_instructions(false)
                .out_dir(&dir)
        };
        let err = build()
            .generate()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("Unresolved placeholder ${T}"), "{err}");
        assert!(err.contains("'TimeoutSeconds'"), "{err}");
        assert!(err.contains("timed.asl.json:2:"), "{err}");
        assert!(err.contains(r#"Builder::substitute("T", "...")"#), "{err}");
        let out = build().substitute("T", "30").generate().unwrap_or_default();
        assert!(
            out.contains("Seconds::Fixed"),
            "the timeout is in the machine"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

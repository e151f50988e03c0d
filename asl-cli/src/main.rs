//! `asl`: lint Amazon States Language definitions (`asl check`), print the Rust the generator
//! makes of one (`asl generate`), draw one as Mermaid, Graphviz DOT or SVG, optionally
//! coloured by an execution's history (`asl graph`), print what test runs covered of them
//! (`asl coverage`), and read the executions a store keeps (`asl executions`).
//!
//! Exit status: 0 when every definition is accepted, 1 when one has errors, 2 when a file can
//! not be read (missing, a directory, not UTF-8, empty) or the command line is wrong.

mod coverage;
mod executions;
mod graph;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use asl_codegen::{CheckOptions, GenerateOptions, MachineType, Syntax};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "asl",
    version,
    about = "Check, generate and draw Amazon States Language workflows"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint definitions as AWS would (and a little more); exit 1 on errors. A deployment
    /// template (CloudFormation or SAM, JSON or YAML; CDK output; Terraform .tf) has each of
    /// its state machines checked.
    Check {
        /// Definition files (.json, .yaml, .yml) or templates.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// `human` (rustc-style, with the source line) or `json`.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        #[command(flatten)]
        common: Common,
        /// Treat warnings (such as an unresolved `${…}` placeholder) as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Print the Rust generated for a definition.
    Generate {
        /// The definition file.
        file: PathBuf,
        /// The generated type's name (default: from the file name).
        #[arg(long = "type")]
        type_name: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Draw a definition (states by type, Choice edges with their rules, Catch edges dashed,
    /// branches and processors as subgraphs).
    Graph {
        /// The definition file.
        file: PathBuf,
        /// `mermaid`, `dot`, or `svg` (needs Graphviz's `dot`).
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
        /// An execution history (GetExecutionHistory JSON, or an array of events) to colour
        /// the path it took: succeeded, failed, not visited.
        #[arg(long, conflicts_with = "db")]
        history: Option<PathBuf>,
        /// A store (asl-store's SQLite file) to read the history of `--execution` from.
        #[arg(long, requires = "execution")]
        db: Option<PathBuf>,
        /// The ARN of the execution whose path to colour, read from `--db`.
        #[arg(long, requires = "db")]
        execution: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Merge the coverage reports test runs wrote (`ASL_COVERAGE=DIR cargo test`) and print
    /// them per definition: states, transitions, Choice branches, Retriers and Catchers used.
    Coverage {
        /// Report files, or directories of them (default: the directory `ASL_COVERAGE` names).
        paths: Vec<PathBuf>,
        /// `table`, `json` (the merged reports), `mermaid`, `dot` or `svg` (the workflow with
        /// its covered parts green and the rest red).
        #[arg(long, value_enum, default_value_t = coverage::CoverageFormat::Table)]
        format: coverage::CoverageFormat,
        /// Only the machine of this name.
        #[arg(long)]
        machine: Option<String>,
        /// Exit 1 when a definition's parts are covered less than this percentage.
        #[arg(long, value_name = "PERCENT")]
        fail_under: Option<f64>,
    },
    /// Read the executions a store keeps (asl-store's SQLite file): as AWS's ListExecutions,
    /// DescribeExecution and GetExecutionHistory answer (`--format json`), or as a table.
    Executions {
        #[command(subcommand)]
        command: ExecutionsCommand,
    },
}

#[derive(Subcommand, Debug)]
enum ExecutionsCommand {
    /// The executions of a state machine, newest first.
    List {
        /// The store.
        #[arg(long)]
        db: PathBuf,
        /// The state machine's ARN.
        #[arg(long)]
        state_machine_arn: String,
        /// Only executions with this status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED).
        #[arg(long)]
        status: Option<String>,
        /// `human` (a table) or `json`.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// One execution.
    Describe {
        /// The store.
        #[arg(long)]
        db: PathBuf,
        /// The execution's ARN.
        execution_arn: String,
        /// `human` or `json`.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// One execution's history.
    History {
        /// The store.
        #[arg(long)]
        db: PathBuf,
        /// The execution's ARN.
        execution_arn: String,
        /// `human` (a table) or `json`.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(clap::Args, Debug)]
struct Common {
    /// Replace `${Name}` with a value, as a deployment template would (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// Check with the rules of EXPRESS workflows.
    #[arg(long)]
    express: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Mermaid,
    Dot,
    Svg,
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))
}

/// A file that can not be used, as a one-line message.
struct Unreadable(String);

/// Reads a definition, refusing what is not one with a one-line reason.
/// The file's text, or the exit code of a command that cannot read it (its error printed).
fn read_or_exit(path: &PathBuf) -> Result<String, ExitCode> {
    read(path).map_err(|Unreadable(m)| {
        eprintln!("error: {m}");
        ExitCode::from(2)
    })
}

fn read(path: &PathBuf) -> Result<String, Unreadable> {
    let shown = path.display();
    if path.is_dir() {
        return Err(Unreadable(format!(
            "{shown}: is a directory, not a definition file"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Unreadable(format!("{shown}: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Unreadable(format!("{shown}: not UTF-8 text (a binary file?)")))?;
    if text.trim().is_empty() {
        return Err(Unreadable(format!("{shown}: the file is empty")));
    }
    Ok(text)
}

fn options(common: &Common) -> CheckOptions {
    CheckOptions {
        machine_type: if common.express {
            MachineType::Express
        } else {
            MachineType::Standard
        },
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            format,
            common,
            strict,
        } => check(&files, format, &common, strict),
        Command::Generate {
            file,
            type_name,
            common,
        } => generate(&file, type_name, &common),
        Command::Graph {
            file,
            format,
            history,
            db,
            execution,
            common,
        } => {
            let source = match (history, db, execution) {
                (Some(path), _, _) => Some(graph::History::File(path)),
                (None, Some(db), Some(arn)) => Some(graph::History::Store { db, arn }),
                _ => None,
            };
            graph::run(&file, format, source.as_ref(), &common)
        }
        Command::Coverage {
            mut paths,
            format,
            machine,
            fail_under,
        } => {
            if paths.is_empty() {
                match std::env::var_os(asl_runtime::coverage::collect::ENV) {
                    Some(dir) if !dir.is_empty() => paths.push(PathBuf::from(dir)),
                    _ => {
                        eprintln!(
                            "error: name the reports (files or directories), or set {}",
                            asl_runtime::coverage::collect::ENV
                        );
                        return ExitCode::from(2);
                    }
                }
            }
            coverage::run(&paths, format, machine.as_deref(), fail_under)
        }
        Command::Executions { command } => match command {
            ExecutionsCommand::List {
                db,
                state_machine_arn,
                status,
                format,
            } => executions::list(&db, &state_machine_arn, status.as_deref(), format),
            ExecutionsCommand::Describe {
                db,
                execution_arn,
                format,
            } => executions::describe(&db, &execution_arn, format),
            ExecutionsCommand::History {
                db,
                execution_arn,
                format,
            } => executions::history(&db, &execution_arn, format),
        },
    }
}

fn check(files: &[PathBuf], format: Format, common: &Common, strict: bool) -> ExitCode {
    let mut failed = false;
    let mut unreadable = false;
    let mut json = Vec::new();
    for path in files {
        let text = match read(path) {
            Ok(t) => t,
            Err(Unreadable(m)) => {
                eprintln!("error: {m}");
                unreadable = true;
                continue;
            }
        };
        let file = path.display().to_string();
        // One definition, or every state machine of a template, each with the file its
        // text is in.
        let units: Vec<(String, String, String, asl_codegen::Checked)> =
            if asl_codegen::template::is_template(path, &text) {
                match asl_codegen::template::machines(path, &text, &common.set) {
                    Ok(found) => found
                        .into_iter()
                        .map(|f| {
                            let checked = asl_codegen::check_tree(&f.root, &options(common));
                            (
                                format!("{file} {}", f.name),
                                f.file.display().to_string(),
                                f.text,
                                checked,
                            )
                        })
                        .collect(),
                    Err(problems) => {
                        failed = true;
                        for p in problems {
                            let shown = p.file.display().to_string();
                            match format {
                                Format::Human => eprintln!(
                                    "{}",
                                    render::human(&p.diagnostic, &shown, &p.text, strict)
                                ),
                                Format::Json => {
                                    json.push(render::json(&p.diagnostic, &shown, &p.text, strict));
                                }
                            }
                        }
                        continue;
                    }
                }
            } else {
                // A single state (as TestState takes one) is checked as such.
                let checked = match asl_codegen::source::parse(&text, Syntax::from_file_name(&file))
                {
                    Ok(mut root) => {
                        asl_codegen::source::substitute(&mut root, &common.set);
                        asl_codegen::check_state_or_machine(&root, &options(common))
                    }
                    Err(d) => asl_codegen::Checked {
                        machine: None,
                        diagnostics: vec![d],
                    },
                };
                vec![(file.clone(), file.clone(), text, checked)]
            };
        for (label, file, text, checked) in units {
            for d in &checked.diagnostics {
                if d.is_error() || strict {
                    failed = true;
                }
                match format {
                    Format::Human => eprintln!("{}", render::human(d, &file, &text, strict)),
                    Format::Json => json.push(render::json(d, &file, &text, strict)),
                }
            }
            if format == Format::Human && checked.diagnostics.is_empty() {
                eprintln!("{label}: ok");
            }
        }
    }
    if format == Format::Json {
        println!("{}", serde_json::Value::Array(json));
    }
    if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(path: &PathBuf, type_name: Option<String>, common: &Common) -> ExitCode {
    let text = match read_or_exit(path) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let file = path.display().to_string();
    let ty = type_name.unwrap_or_else(|| asl_codegen::emit::type_name_for_file(&file));
    let mut options = GenerateOptions::new(&ty, &file);
    options.substitutions = common.set.clone();
    if common.express {
        options.machine_type = MachineType::Express;
    }
    match asl_codegen::generate_source(&text, Syntax::from_file_name(&file), &options) {
        Ok(source) => {
            print!("{source}");
            ExitCode::SUCCESS
        }
        Err(diags) => {
            for d in diags.iter().filter(|d| d.blocks_generation()) {
                eprintln!("{}", render::human(d, &file, &text, false));
            }
            ExitCode::from(1)
        }
    }
}

//! Diagnostics for people (rustc's layout: code, message, location, the source line with a
//! caret under the mistake, help) and for machines (one JSON object each).

use asl_codegen::{Diagnostic, LineIndex};
use serde_json::{Value, json};

fn severity(d: &Diagnostic, strict: bool) -> &'static str {
    if d.is_error() || strict {
        "error"
    } else {
        "warning"
    }
}

/// The rustc-style rendering.
pub fn human(d: &Diagnostic, file: &str, text: &str, strict: bool) -> String {
    let mut out = format!("{}[{}]: {}", severity(d, strict), d.code, d.message);
    let Some(span) = d.span else {
        out.push_str(&format!("\n  --> {file}\n   = at {}", d.pointer));
        if let Some(h) = &d.help {
            out.push_str(&format!("\n   = help: {h}"));
        }
        return out;
    };
    let index = LineIndex::new(text);
    let at = index.line_col(text, span.start);
    let line_text = text.lines().nth(at.line.saturating_sub(1)).unwrap_or("");
    let number = at.line.to_string();
    let pad = " ".repeat(number.len());
    // The caret covers the span on its first line, at least one column.
    let start_col = at.column.saturating_sub(1);
    let rest: String = line_text.chars().skip(start_col).collect();
    let span_chars = text
        .get(span.start..span.end.max(span.start))
        .map_or(1, |s| s.lines().next().unwrap_or("").chars().count())
        .clamp(1, rest.chars().count().max(1));
    let lead: String = line_text
        .chars()
        .take(start_col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    out.push_str(&format!(
        "\n{pad}--> {file}:{}:{}\n{pad} |\n{number} | {line_text}\n{pad} | {lead}{}\n{pad} = at {}",
        at.line,
        at.column,
        "^".repeat(span_chars),
        d.pointer
    ));
    if let Some(h) = &d.help {
        out.push_str(&format!("\n{pad} = help: {h}"));
    }
    out
}

/// One JSON object per diagnostic.
pub fn json(d: &Diagnostic, file: &str, text: &str, strict: bool) -> Value {
    let at = d.line_col(text);
    json!({
        "file": file,
        "severity": severity(d, strict),
        "code": d.code.as_str(),
        "message": d.message,
        "pointer": d.pointer.as_str(),
        "line": at.map(|a| a.line),
        "column": at.map(|a| a.column),
        "help": d.help,
    })
}

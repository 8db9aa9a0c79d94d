//! Printing answers as text (YAML-like, as gaiad does) or JSON.

use std::io::Write;

use super::OutputFormat;

/// Prints an answer. Keys are snake_case, as Cosmos CLIs print proto JSON. A closed pipe
/// (`salusd ... | head`) ends the output quietly.
pub fn print(format: OutputFormat, value: &serde_json::Value) {
    print_as_is(format, &snake_keys(value));
}

/// Prints an answer with its keys as they are: for formats whose names are a standard, such as
/// DID Core's `verificationMethod`.
pub fn print_as_is(format: OutputFormat, value: &serde_json::Value) {
    let out = match format {
        OutputFormat::Json => serde_json::to_string(&value).unwrap_or_default() + "\n",
        OutputFormat::Text => {
            let mut out = String::new();
            text(value, 0, &mut out);
            out
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush()).is_err() {
        std::process::exit(0);
    }
}

fn snake(key: &str) -> String {
    if key.starts_with('@') {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn snake_keys(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| (snake(k), snake_keys(v))).collect(),
        serde_json::Value::Array(a) => a.iter().map(snake_keys).collect(),
        other => other.clone(),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) if s.is_empty() => "\"\"".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn text(v: &serde_json::Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map {
                match val {
                    serde_json::Value::Object(m) if !m.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        text(val, indent + 1, out);
                    }
                    serde_json::Value::Array(a) if !a.is_empty() => {
                        out.push_str(&format!("{pad}{k}:\n"));
                        text(val, indent, out);
                    }
                    serde_json::Value::Array(_) => out.push_str(&format!("{pad}{k}: []\n")),
                    serde_json::Value::Object(_) => out.push_str(&format!("{pad}{k}: {{}}\n")),
                    _ => out.push_str(&format!("{pad}{k}: {}\n", scalar(val))),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                match item {
                    serde_json::Value::Object(_) => {
                        let mut inner = String::new();
                        text(item, indent + 1, &mut inner);
                        let trimmed = inner.trim_start();
                        out.push_str(&format!("{pad}- {trimmed}"));
                    }
                    _ => out.push_str(&format!("{pad}- {}\n", scalar(item))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

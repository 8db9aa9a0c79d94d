//! A strict reader of FHIR JSON: every element of an object is either read or refused, never
//! silently dropped.

use serde_json::{Map, Value};

use super::{FhirCoding, FhirError, Result};

/// How deep FHIR JSON may nest before the reader stops (far above any consent the chain takes).
pub const MAX_NESTING: usize = 64;

/// An object of a FHIR resource, with the JSON path it is at.
#[derive(Clone)]
pub struct Obj<'a> {
    pub path: String,
    map: &'a Map<String, Value>,
}

/// Why an element that any FHIR element may carry is refused.
fn generic_refusal(key: &str) -> Option<&'static str> {
    Some(match key {
        "extension" => "extensions cannot be represented on chain: remove it (the chain keeps only what its consent model has)",
        "modifierExtension" => {
            "a modifier extension changes what its element means and the chain cannot represent it: the resource cannot be imported as it is"
        }
        "id" => "element ids are not kept on chain: remove it (only the resource's own id is ignored)",
        _ => return None,
    })
}

impl<'a> Obj<'a> {
    pub fn of(v: &'a Value, path: impl Into<String>) -> Result<Self> {
        let path = path.into();
        match v {
            Value::Object(map) => Ok(Self { path, map }),
            _ => Err(FhirError::new(path, "must be a JSON object")),
        }
    }

    pub fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Refuses every element but `allowed`; `refused` gives the reason and fix for known ones.
    pub fn only(&self, allowed: &[&str], refused: &[(&str, &str)]) -> Result<()> {
        for key in self.map.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let path = self.at(key);
            if let Some((_, why)) = refused.iter().find(|(k, _)| k == key) {
                return Err(FhirError::new(path, *why));
            }
            if let Some(why) = generic_refusal(key) {
                return Err(FhirError::new(path, why));
            }
            if key.starts_with('_') {
                return Err(FhirError::new(
                    path,
                    "an id or extension on a primitive value cannot be represented on chain: remove it",
                ));
            }
            return Err(FhirError::new(
                path,
                format!(
                    "`{key}` is not an element the chain can represent here (or not a FHIR element at all): remove it"
                ),
            ));
        }
        Ok(())
    }

    /// A string element: non-empty, no surrounding whitespace.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() && s.trim() == s => Ok(Some(s.as_str())),
            Some(Value::String(_)) => {
                Err(FhirError::new(self.at(key), "must not be empty nor start or end with whitespace"))
            }
            Some(_) => Err(FhirError::new(self.at(key), "must be a JSON string")),
        }
    }

    pub fn req_str(&self, key: &str) -> Result<&'a str> {
        self.str(key)?.ok_or_else(|| FhirError::new(self.at(key), "is required"))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(FhirError::new(self.at(key), "must be true or false")),
        }
    }

    pub fn obj(&self, key: &str) -> Result<Option<Obj<'a>>> {
        self.map.get(key).map(|v| Obj::of(v, self.at(key))).transpose()
    }

    /// An array element's items with their paths (none if absent). FHIR has no empty arrays.
    pub fn arr(&self, key: &str) -> Result<Vec<(String, &'a Value)>> {
        match self.map.get(key) {
            None => Ok(vec![]),
            Some(Value::Array(items)) if items.is_empty() => {
                Err(FhirError::new(self.at(key), "FHIR JSON has no empty arrays: remove it or give an item"))
            }
            Some(Value::Array(items)) => {
                Ok(items.iter().enumerate().map(|(i, v)| (format!("{}.{key}[{i}]", self.path), v)).collect())
            }
            Some(_) => Err(FhirError::new(self.at(key), "must be a JSON array")),
        }
    }

    /// Array items that are objects.
    pub fn objs(&self, key: &str) -> Result<Vec<Obj<'a>>> {
        self.arr(key)?.into_iter().map(|(p, v)| Obj::of(v, p)).collect()
    }
}

/// A Coding: system and code required; `display` kept only for printing.
pub fn coding(o: &Obj) -> Result<FhirCoding> {
    o.only(
        &["system", "code", "display"],
        &[
            ("version", "a code system version cannot be kept on chain: remove it"),
            ("userSelected", "userSelected cannot be kept on chain: remove it"),
        ],
    )?;
    let system = o
        .str("system")?
        .ok_or_else(|| FhirError::new(o.at("system"), "is required: the chain keeps only codes of a known system"))?;
    let code = o.req_str("code")?;
    Ok(FhirCoding { system: system.to_string(), code: code.to_string(), display: o.str("display")?.map(String::from) })
}

/// A CodeableConcept's codings (at least one; its free text is refused).
pub fn concept(o: &Obj) -> Result<Vec<FhirCoding>> {
    o.only(
        &["coding"],
        &[(
            "text",
            "free text is not kept on chain (it may identify a patient or a condition): remove it and say it with codings",
        )],
    )?;
    let codings = o.objs("coding")?;
    if codings.is_empty() {
        return Err(FhirError::new(o.at("coding"), "is required: a concept without a coding cannot be represented"));
    }
    codings.iter().map(coding).collect()
}

/// The single coding of a CodeableConcept whose meaning is one code (scope, role, action).
pub fn single_coding(o: &Obj) -> Result<FhirCoding> {
    let mut codings = concept(o)?;
    if codings.len() != 1 {
        return Err(FhirError::new(
            o.at("coding"),
            "must have exactly one coding here: the chain keeps one code (remove translations)",
        ));
    }
    Ok(codings.remove(0))
}

/// Checks nesting depth of any JSON (so that reading it cannot overflow the stack).
pub fn check_depth(v: &Value, path: &str) -> Result<()> {
    let mut stack = vec![(v, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            return Err(FhirError::new(path, format!("nests deeper than {MAX_NESTING} levels")));
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, depth + 1))),
            Value::Object(m) => stack.extend(m.values().map(|x| (x, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}

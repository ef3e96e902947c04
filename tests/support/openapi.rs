//! OpenAPI 3.0 Schema Objects as JSON Schema draft 4, for the contract tests.
//!
//! Shared by `tests/contract_spec.rs` (which tests the converter) and `tests/contract_wire.rs`
//! (which validates what goes over the wire with it). Include it with
//! `#[path = "support/openapi.rs"] mod openapi;`.
#![allow(dead_code)]

use serde_json::{Map, Value, json};

/// OpenAPI 3.0 Schema Object → JSON Schema draft 4.
///
/// Draft 4 because OpenAPI 3.0 schemas are a dialect of it (Wright draft 00): `exclusiveMinimum`
/// and `exclusiveMaximum` are booleans, a `$ref` makes its siblings ignored, and an `integer` is
/// "a JSON number without a fraction or exponent part" (OAS 3.0.3, Data Types), which is what
/// draft 4 means by it (later drafts also take `2.0`). So most keywords carry over unchanged:
///
/// * `$ref: '#/components/schemas/X'` becomes `$ref: '#/definitions/X'` (see [`validator`]);
/// * `nullable: true` adds `"null"` to `type` (without `type`: `anyOf` with `{"type": "null"}`);
///   as OAS 3.0.3 clarifies, it does not add `null` to an `enum`;
/// * OpenAPI-only annotations (`example`, `xml`, `discriminator`, `readOnly`, `writeOnly`,
///   `deprecated`, `externalDocs`, `x-…`) are dropped;
/// * `format` stays, as the annotation JSON Schema makes it (`int32` bounds nothing);
/// * any other keyword panics: the converter must be taught it before the spec may use it.
pub fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(schema) = schema else {
        panic!("a schema must be an object, not {schema}");
    };
    let mut out = Map::new();
    for (key, value) in schema {
        let converted = match key.as_str() {
            "type" | "format" | "enum" | "required" | "minimum" | "maximum"
            | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" | "minLength"
            | "maxLength" | "pattern" | "minItems" | "maxItems" | "uniqueItems"
            | "minProperties" | "maxProperties" | "title" | "description" | "default" => {
                value.clone()
            }
            "$ref" => Value::from(definition_ref(value)),
            "items" | "not" => to_json_schema(value),
            "additionalProperties" if value.is_boolean() => value.clone(),
            "additionalProperties" => to_json_schema(value),
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), to_json_schema(property)))
                    .collect(),
            ),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(to_json_schema)
                    .collect(),
            ),
            "nullable" => continue, // below
            "example" | "xml" | "discriminator" | "readOnly" | "writeOnly" | "deprecated"
            | "externalDocs" => continue,
            extension if extension.starts_with("x-") => continue,
            other => panic!("to_json_schema does not know the keyword `{other}`: teach it"),
        };
        out.insert(key.clone(), converted);
    }
    if schema.get("nullable") != Some(&Value::Bool(true)) {
        return Value::Object(out);
    }
    match out.get("type").and_then(Value::as_str) {
        Some(single) => {
            let union = json!([single, "null"]);
            out.insert("type".into(), union);
            Value::Object(out)
        }
        None => json!({"anyOf": [out, {"type": "null"}]}),
    }
}

/// `#/components/schemas/X` → `#/definitions/X`; any other reference panics.
pub fn definition_ref(reference: &Value) -> String {
    let reference = reference.as_str().expect("`$ref` is not a string");
    match reference.strip_prefix("#/components/schemas/") {
        Some(name) => format!("#/definitions/{name}"),
        None => panic!("a schema refers to `{reference}`, which is not a component schema"),
    }
}

/// A draft 4 validator of `schema` (an OpenAPI schema of `spec`, the whole document as JSON),
/// inside a root document whose `definitions` are the spec's component schemas, converted.
pub fn validator(spec: &Value, schema: &Value) -> jsonschema::Validator {
    let definitions: Map<String, Value> = spec["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
        .collect();
    let root = json!({
        "$schema": "http://json-schema.org/draft-04/schema#",
        "definitions": definitions,
        "allOf": [to_json_schema(schema)],
    });
    jsonschema::draft4::new(&root).unwrap_or_else(|e| panic!("not a JSON Schema: {e}\n{root:#}"))
}

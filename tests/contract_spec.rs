//! Contract tests of `spec/dds-sessions.yaml`, the OpenAPI 3.0.3 document the client is
//! generated from.
//!
//! Sections 1 to 6 read the spec on its own, as raw YAML turned into `serde_json::Value`, so that
//! they do not depend on what build.rs or progenitor make of it:
//!
//! 1. it parses as OpenAPI 3.0.x;
//! 2. every `$ref` resolves, and every component is used;
//! 3. it is documented: operations, parameters, responses, properties, examples;
//! 4. every example validates against its own schema (converted to JSON Schema draft 4 by
//!    `tests/support/openapi.rs`, which `tests/contract_wire.rs` judges the wire with too);
//! 5. the facts of the API the user requires;
//! 6. the constants in `dds_sessions::spec` are the spec's values.
//!
//! Sections 7 and 8 hold the generated types against the spec:
//!
//! 7. the generated types accept exactly the documents the spec's schemas accept, but for the
//!    documented [`EXCEPTIONS`] (a table of samples, and a property test);
//! 8. `schemars`' view of each generated type has the spec's properties and required lists.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use dds_sessions::generated::types::{
    DeleteSessionRequestBody, DeleteSessionResponse, ErrorResponse, ListSessionsResponse,
    QuerySessionResponse,
};
use proptest::collection::{btree_map, vec};
use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

#[path = "support/openapi.rs"]
mod openapi;
use openapi::to_json_schema;

const SPEC_TEXT: &str = include_str!("../spec/dds-sessions.yaml");

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

// =============================================================================================
// The spec as JSON, and how to find things in it
// =============================================================================================

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| serde_norway::from_str(SPEC_TEXT).expect("the spec is not valid YAML"))
}

/// The node a local reference (`#/a/b`) points at.
fn lookup(reference: &str) -> Option<&'static Value> {
    spec().pointer(reference.strip_prefix('#')?)
}

/// Follows `$ref`s until a node that is not a reference.
fn resolve(node: &Value) -> &Value {
    let mut node = node;
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                node = lookup(reference).unwrap_or_else(|| panic!("`{reference}` does not resolve"))
            }
            None => return node,
        }
    }
    panic!("a `$ref` cycle through {node}")
}

/// The entries of a JSON object; none if `node` is absent or not an object.
fn entries(node: &Value) -> impl Iterator<Item = (&String, &Value)> {
    node.as_object().into_iter().flatten()
}

/// `pointer` extended by one key, escaped as RFC 6901 says (paths hold `/`).
fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn component(name: &str) -> &'static Value {
    spec()["components"]["schemas"]
        .get(name)
        .unwrap_or_else(|| panic!("no component schema `{name}`"))
}

fn component_names() -> BTreeSet<&'static str> {
    entries(&spec()["components"]["schemas"])
        .map(|(name, _)| name.as_str())
        .collect()
}

fn strings(node: &Value) -> BTreeSet<&str> {
    node.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn required(schema: &Value) -> BTreeSet<&str> {
    strings(&resolve(schema)["required"])
}

fn property_names(schema: &Value) -> BTreeSet<&str> {
    entries(&resolve(schema)["properties"])
        .map(|(name, _)| name.as_str())
        .collect()
}

/// One operation of the spec.
struct Operation {
    path: &'static str,
    method: &'static str,
    path_item: &'static Value,
    node: &'static Value,
}

impl Operation {
    fn all() -> Vec<Operation> {
        let mut operations = Vec::new();
        for (path, path_item) in entries(&spec()["paths"]) {
            for method in HTTP_METHODS {
                if let Some(node) = path_item.get(method) {
                    operations.push(Operation {
                        path,
                        method,
                        path_item,
                        node,
                    });
                }
            }
        }
        operations
    }

    fn find(id: &str) -> Operation {
        Operation::all()
            .into_iter()
            .find(|op| op.node["operationId"] == id)
            .unwrap_or_else(|| panic!("no operation has operationId `{id}`"))
    }

    /// Its parameters, resolved: the path item's, overridden by the operation's own.
    fn parameters(&self) -> Vec<&'static Value> {
        let mut by_key = BTreeMap::new();
        for list in [&self.path_item["parameters"], &self.node["parameters"]] {
            for parameter in list.as_array().into_iter().flatten() {
                let parameter = resolve(parameter);
                let key = (parameter["in"].to_string(), parameter["name"].to_string());
                by_key.insert(key, parameter);
            }
        }
        by_key.into_values().collect()
    }

    fn parameters_in(&self, location: &str) -> BTreeMap<&'static str, &'static Value> {
        self.parameters()
            .into_iter()
            .filter(|p| p["in"] == location)
            .map(|p| (p["name"].as_str().expect("a parameter without a name"), p))
            .collect()
    }

    fn response(&self, status: &str) -> &'static Value {
        let response = self.node["responses"]
            .get(status)
            .unwrap_or_else(|| panic!("{} {} has no `{status}` response", self.method, self.path));
        resolve(response)
    }
}

/// Every object the spec defines, by kind, with its JSON pointer. References are not
/// definitions: they are followed where they are defined (under `components`).
#[derive(Default)]
struct Inventory {
    operations: Vec<(String, &'static Value)>,
    parameters: Vec<(String, &'static Value)>,
    headers: Vec<(String, &'static Value)>,
    request_bodies: Vec<(String, &'static Value)>,
    responses: Vec<(String, &'static Value)>,
    media_types: Vec<(String, &'static Value)>,
    schemas: Vec<(String, &'static Value)>,
}

fn inventory() -> &'static Inventory {
    static INVENTORY: OnceLock<Inventory> = OnceLock::new();
    INVENTORY.get_or_init(|| {
        let mut found = Inventory::default();
        for (path, path_item) in entries(&spec()["paths"]) {
            let at = child("/paths", path);
            found.parameter_list(&child(&at, "parameters"), &path_item["parameters"]);
            for method in HTTP_METHODS {
                if let Some(operation) = path_item.get(method) {
                    found.operation(&child(&at, method), operation);
                }
            }
        }
        let components = &spec()["components"];
        for (name, node) in entries(&components["schemas"]) {
            found.schema(&child("/components/schemas", name), node);
        }
        for (name, node) in entries(&components["parameters"]) {
            found.parameter(&child("/components/parameters", name), node);
        }
        for (name, node) in entries(&components["headers"]) {
            found.header(&child("/components/headers", name), node);
        }
        for (name, node) in entries(&components["requestBodies"]) {
            found.request_body(&child("/components/requestBodies", name), node);
        }
        for (name, node) in entries(&components["responses"]) {
            found.response(&child("/components/responses", name), node);
        }
        found
    })
}

impl Inventory {
    fn operation(&mut self, at: &str, node: &'static Value) {
        self.operations.push((at.to_owned(), node));
        self.parameter_list(&child(at, "parameters"), &node["parameters"]);
        if let Some(body) = node.get("requestBody") {
            self.request_body(&child(at, "requestBody"), body);
        }
        for (status, response) in entries(&node["responses"]) {
            self.response(&child(&child(at, "responses"), status), response);
        }
    }

    fn parameter_list(&mut self, at: &str, list: &'static Value) {
        for (index, parameter) in list.as_array().into_iter().flatten().enumerate() {
            self.parameter(&format!("{at}/{index}"), parameter);
        }
    }

    fn parameter(&mut self, at: &str, node: &'static Value) {
        if node.get("$ref").is_none() {
            self.parameters.push((at.to_owned(), node));
            self.schema_and_content(at, node);
        }
    }

    fn header(&mut self, at: &str, node: &'static Value) {
        if node.get("$ref").is_none() {
            self.headers.push((at.to_owned(), node));
            self.schema_and_content(at, node);
        }
    }

    fn schema_and_content(&mut self, at: &str, node: &'static Value) {
        if let Some(schema) = node.get("schema") {
            self.schema(&child(at, "schema"), schema);
        }
        self.content(at, node);
    }

    fn request_body(&mut self, at: &str, node: &'static Value) {
        if node.get("$ref").is_none() {
            self.request_bodies.push((at.to_owned(), node));
            self.content(at, node);
        }
    }

    fn response(&mut self, at: &str, node: &'static Value) {
        if node.get("$ref").is_none() {
            self.responses.push((at.to_owned(), node));
            for (name, header) in entries(&node["headers"]) {
                self.header(&child(&child(at, "headers"), name), header);
            }
            self.content(at, node);
        }
    }

    fn content(&mut self, at: &str, node: &'static Value) {
        for (media_type, media) in entries(&node["content"]) {
            let at = child(&child(at, "content"), media_type);
            self.media_types.push((at.clone(), media));
            if let Some(schema) = media.get("schema") {
                self.schema(&child(&at, "schema"), schema);
            }
        }
    }

    fn schema(&mut self, at: &str, node: &'static Value) {
        if node.get("$ref").is_some() {
            return;
        }
        self.schemas.push((at.to_owned(), node));
        for (name, property) in entries(&node["properties"]) {
            self.schema(&child(&child(at, "properties"), name), property);
        }
        for key in ["items", "not", "additionalProperties"] {
            if let Some(sub) = node.get(key).filter(|sub| sub.is_object()) {
                self.schema(&child(at, key), sub);
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (index, sub) in node[key].as_array().into_iter().flatten().enumerate() {
                self.schema(&format!("{at}/{key}/{index}"), sub);
            }
        }
    }
}

/// Calls `visit` on every object node of `node`, with its JSON pointer.
fn for_each_object(node: &Value, at: &str, visit: &mut dyn FnMut(&str, &Map<String, Value>)) {
    match node {
        Value::Object(object) => {
            visit(at, object);
            for (key, value) in object {
                for_each_object(value, &child(at, key), visit);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                for_each_object(value, &format!("{at}/{index}"), visit);
            }
        }
        _ => {}
    }
}

fn has_text(node: &Value, key: &str) -> bool {
    node[key]
        .as_str()
        .is_some_and(|text| !text.trim().is_empty())
}

// =============================================================================================
// 1. OpenAPI 3.0.x
// =============================================================================================

#[test]
fn spec_parses_as_openapi_3_0() {
    let api: openapiv3::OpenAPI =
        serde_norway::from_str(SPEC_TEXT).expect("the spec is not an OpenAPI document");
    assert!(
        api.openapi.starts_with("3.0."),
        "`openapi: {}`: progenitor reads OpenAPI 3.0.x only",
        api.openapi
    );
    let ids: BTreeSet<_> = api
        .operations()
        .map(|(_, _, op)| op.operation_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["DeleteSession".to_owned(), "ListSessions".to_owned()])
    );
    // What the crate publishes as the spec is this very file.
    assert_eq!(dds_sessions::spec::YAML, SPEC_TEXT);
}

// =============================================================================================
// 2. References
// =============================================================================================

/// Every `$ref` anywhere in the document, with where it is.
fn all_refs() -> Vec<(String, String)> {
    let mut refs = Vec::new();
    for_each_object(spec(), "", &mut |at, object| {
        if let Some(reference) = object.get("$ref") {
            let reference = reference
                .as_str()
                .unwrap_or_else(|| panic!("{at}: `$ref` is not a string"));
            refs.push((at.to_owned(), reference.to_owned()));
        }
    });
    refs
}

#[test]
fn every_ref_resolves() {
    let refs = all_refs();
    assert!(
        refs.len() > 20,
        "the walk found only {} `$ref`s",
        refs.len()
    );
    for (at, reference) in &refs {
        assert!(
            reference.starts_with("#/components/"),
            "{at}: `{reference}` is not a reference into this document's components"
        );
        let target =
            lookup(reference).unwrap_or_else(|| panic!("{at}: `{reference}` points at nothing"));
        assert!(
            target.is_object(),
            "{at}: `{reference}` points at a non-object"
        );
    }
}

#[test]
fn every_component_is_used() {
    let referenced: BTreeSet<String> = all_refs().into_iter().map(|(_, r)| r).collect();
    let components = &spec()["components"];
    for section in [
        "schemas",
        "parameters",
        "headers",
        "requestBodies",
        "responses",
        "examples",
    ] {
        for (name, _) in entries(&components[section]) {
            let reference = format!("#{}", child(&format!("/components/{section}"), name));
            assert!(
                referenced.contains(&reference),
                "`{reference}` is never used"
            );
        }
    }
    let mut requirements: Vec<&Value> = spec()["security"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    for op in Operation::all() {
        requirements.extend(op.node["security"].as_array().into_iter().flatten());
    }
    let used: BTreeSet<&str> = requirements
        .iter()
        .flat_map(|requirement| entries(requirement).map(|(name, _)| name.as_str()))
        .collect();
    let defined: BTreeSet<&str> = entries(&components["securitySchemes"])
        .map(|(name, _)| name.as_str())
        .collect();
    assert_eq!(used, defined, "security requirements vs securitySchemes");
}

// =============================================================================================
// 3. Documentation
// =============================================================================================

#[test]
fn spec_is_documented() {
    let found = inventory();
    let mut missing = Vec::new();
    let mut require = |ok: bool, at: &str, what: &str| {
        if !ok {
            missing.push(format!("{at}: {what}"));
        }
    };

    for (at, op) in &found.operations {
        for key in ["operationId", "summary", "description"] {
            require(has_text(op, key), at, key);
        }
        require(!strings(&op["tags"]).is_empty(), at, "tags");
    }
    for (at, node) in found
        .parameters
        .iter()
        .chain(&found.headers)
        .chain(&found.request_bodies)
        .chain(&found.responses)
    {
        require(has_text(node, "description"), at, "description");
    }
    // Every request body and every response with content shows an example of each media type.
    for (at, node) in found.request_bodies.iter().chain(&found.responses) {
        for (media_type, media) in entries(&node["content"]) {
            let shown =
                media.get("example").is_some() || entries(&media["examples"]).next().is_some();
            require(shown, at, &format!("an example of `{media_type}`"));
        }
    }
    for (at, schema) in &found.schemas {
        for (name, property) in entries(&schema["properties"]) {
            require(
                has_text(resolve(property), "description"),
                at,
                &format!("property `{name}`: description"),
            );
        }
    }
    for name in component_names() {
        require(
            has_text(component(name), "description"),
            &format!("/components/schemas/{name}"),
            "description",
        );
    }

    // The walk saw what the spec holds (a broken walk must not pass for a documented spec).
    assert_eq!(found.operations.len(), 2);
    assert!(
        found.parameters.len() >= 8,
        "{} parameters",
        found.parameters.len()
    );
    assert!(
        found.responses.len() >= 11,
        "{} responses",
        found.responses.len()
    );
    assert!(found.request_bodies.len() == 1 && found.headers.len() >= 2);
    assert!(
        missing.is_empty(),
        "undocumented:\n  {}",
        missing.join("\n  ")
    );
}

// =============================================================================================
// 4. Examples validate against their schemas
// =============================================================================================

/// A draft 4 validator of `schema` (an OpenAPI schema of the spec), by the converter of
/// `tests/support/openapi.rs`: see [`to_json_schema`] for what the conversion keeps and why.
fn validator(schema: &Value) -> jsonschema::Validator {
    openapi::validator(spec(), schema)
}

type Verdict = Result<(), String>;

fn schema_verdict(validator: &jsonschema::Validator, document: &Value) -> Verdict {
    validator.validate(document).map_err(|e| e.to_string())
}

#[test]
fn converter_maps_openapi_keywords() {
    let cases = [
        (
            "refs point into `definitions`",
            json!({"$ref": "#/components/schemas/ErrorResponse"}),
            json!({"$ref": "#/definitions/ErrorResponse"}),
        ),
        (
            "nullable widens `type`",
            json!({"type": "string", "nullable": true, "minLength": 1}),
            json!({"type": ["string", "null"], "minLength": 1}),
        ),
        (
            "nullable without `type`",
            json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true}),
            json!({"anyOf": [{"allOf": [{"$ref": "#/definitions/X"}]}, {"type": "null"}]}),
        ),
        (
            "`nullable: false` is the default",
            json!({"type": "integer", "nullable": false}),
            json!({"type": "integer"}),
        ),
        (
            "OpenAPI-only keywords go, `format` stays, nested schemas convert",
            json!({
                "type": "object", "example": {}, "readOnly": true, "writeOnly": false,
                "deprecated": true, "xml": {"name": "x"}, "externalDocs": {"url": "u"},
                "discriminator": {"propertyName": "p"}, "x-vendor": 1,
                "properties": {"n": {"type": "integer", "format": "int32", "example": 2}},
                "additionalProperties": {
                    "type": "array", "items": {"nullable": true, "type": "boolean"},
                },
            }),
            json!({
                "type": "object",
                "properties": {"n": {"type": "integer", "format": "int32"}},
                "additionalProperties": {"type": "array", "items": {"type": ["boolean", "null"]}},
            }),
        ),
    ];
    for (case, openapi, expected) in cases {
        assert_eq!(to_json_schema(&openapi), expected, "{case}");
    }
    let unknown = std::panic::catch_unwind(|| to_json_schema(&json!({"const": 1})));
    assert!(
        unknown.is_err(),
        "an unknown keyword must not be dropped silently"
    );
}

#[test]
fn converted_schemas_keep_openapi_3_0_meanings() {
    let integer = validator(&json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
    for (document, valid) in [
        (json!(1), true),
        (json!(0), false),
        (json!(2.0), false),
        (json!(1.5), false),
    ] {
        assert_eq!(integer.is_valid(&document), valid, "{document}");
    }
    let nullable = validator(&json!({"type": "string", "nullable": true}));
    assert!(nullable.is_valid(&json!(null)) && !nullable.is_valid(&json!(1)));
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ExampleKind {
    MediaType,
    Parameter,
    Header,
    Schema,
    Property,
}

struct Example {
    at: String,
    kind: ExampleKind,
    schema: &'static Value,
    value: Value,
}

/// Every example of the spec, with the schema it illustrates.
fn all_examples() -> Vec<Example> {
    let found = inventory();
    let mut examples = Vec::new();
    let mut holders = Vec::new();
    holders.extend(
        found
            .media_types
            .iter()
            .map(|(at, node)| (at, node, ExampleKind::MediaType)),
    );
    holders.extend(
        found
            .parameters
            .iter()
            .map(|(at, node)| (at, node, ExampleKind::Parameter)),
    );
    holders.extend(
        found
            .headers
            .iter()
            .map(|(at, node)| (at, node, ExampleKind::Header)),
    );
    for (at, node, kind) in holders {
        let schema = node.get("schema");
        let mut add = |at: String, value: &Value| {
            let schema = schema.unwrap_or_else(|| panic!("{at}: an example without a schema"));
            examples.push(Example {
                at,
                kind,
                schema,
                value: value.clone(),
            });
        };
        if let Some(value) = node.get("example") {
            add(child(at, "example"), value);
        }
        for (name, example) in entries(&node["examples"]) {
            let value = resolve(example)
                .get("value")
                .unwrap_or_else(|| panic!("{at}: example `{name}` has no `value`"));
            add(child(&child(at, "examples"), name), value);
        }
    }
    for (at, schema) in &found.schemas {
        if let Some(value) = schema.get("example") {
            let kind = if at.contains("/properties/") || at.contains("/items") {
                ExampleKind::Property
            } else {
                ExampleKind::Schema
            };
            examples.push(Example {
                at: child(at, "example"),
                kind,
                schema,
                value: value.clone(),
            });
        }
    }
    examples
}

#[test]
fn every_example_validates_against_its_schema() {
    let examples = all_examples();
    let kinds: BTreeSet<ExampleKind> = examples.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds.len(),
        5,
        "examples of every kind are expected; found {kinds:?}"
    );
    assert!(
        examples.len() >= 40,
        "only {} examples found",
        examples.len()
    );

    let invalid: Vec<String> = examples
        .iter()
        .filter_map(|example| {
            let verdict = schema_verdict(&validator(example.schema), &example.value);
            verdict.err().map(|e| format!("{}: {e}", example.at))
        })
        .collect();
    assert!(
        invalid.is_empty(),
        "examples their schemas reject:\n  {}",
        invalid.join("\n  ")
    );

    // And the check has teeth: the request example, broken, is rejected.
    let body = &Operation::find("DeleteSession").node["requestBody"]["content"]["application/json"];
    assert!(!validator(&body["schema"]).is_valid(&json!({"sessions": [34631]})));
}

// =============================================================================================
// 5. Facts of the API
// =============================================================================================

fn schema_of(parameter: &Value) -> &Value {
    resolve(&parameter["schema"])
}

#[test]
fn operations_have_the_required_paths_methods_and_ids() {
    let table = [
        (
            "ListSessions",
            "/v3/{project_id}/nodes/{node_id}/sessions",
            "get",
        ),
        (
            "DeleteSession",
            "/v3/{project_id}/nodes/{node_id}/session",
            "post",
        ),
    ];
    assert_eq!(Operation::all().len(), table.len());
    for (id, path, method) in table {
        let op = Operation::find(id);
        assert_eq!((op.path, op.method), (path, method), "{id}");
        let path_params = op.parameters_in("path");
        assert_eq!(
            path_params.keys().copied().collect::<Vec<_>>(),
            ["node_id", "project_id"],
            "{id}"
        );
        for (name, parameter) in path_params {
            assert_eq!(parameter["required"], true, "{id}: {name} must be required");
            assert_eq!(
                schema_of(parameter)["type"],
                "string",
                "{id}: {name} must be a string"
            );
        }
    }
}

/// What the user requires of a query parameter of ListSessions.
struct QueryParameter {
    name: &'static str,
    kind: &'static str,
    minimum: Option<i64>,
    maximum: Option<i64>,
    default: Option<i64>,
}

const LIST_SESSIONS_QUERY: [QueryParameter; 6] = [
    integer("offset", Some(0), None, Some(0)),
    integer("limit", Some(1), Some(20), Some(10)),
    string("plan_summary"),
    string("type"),
    string("namespace"),
    integer("cost_time", Some(0), None, None), // a duration: not negative
];

const fn integer(
    name: &'static str,
    minimum: Option<i64>,
    maximum: Option<i64>,
    default: Option<i64>,
) -> QueryParameter {
    QueryParameter {
        name,
        kind: "integer",
        minimum,
        maximum,
        default,
    }
}

const fn string(name: &'static str) -> QueryParameter {
    QueryParameter {
        name,
        kind: "string",
        minimum: None,
        maximum: None,
        default: None,
    }
}

#[test]
fn list_sessions_query_parameters() {
    let query = Operation::find("ListSessions").parameters_in("query");
    let names: BTreeSet<&str> = query.keys().copied().collect();
    let expected: BTreeSet<&str> = LIST_SESSIONS_QUERY.iter().map(|p| p.name).collect();
    assert_eq!(names, expected, "exactly these query parameters");
    for expected in LIST_SESSIONS_QUERY {
        let name = expected.name;
        let parameter = query[name];
        let schema = schema_of(parameter);
        assert_ne!(parameter["required"], true, "{name} is optional");
        assert_eq!(schema["type"], expected.kind, "{name}: type");
        assert_eq!(
            schema["minimum"].as_i64(),
            expected.minimum,
            "{name}: minimum"
        );
        assert_eq!(
            schema["maximum"].as_i64(),
            expected.maximum,
            "{name}: maximum"
        );
        assert_eq!(
            schema["default"].as_i64(),
            expected.default,
            "{name}: default"
        );
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            assert_ne!(schema[key], true, "{name}: {key} would move the bound");
        }
    }
}

/// The example values of a media type (`example`, then each of `examples`).
fn media_examples(media: &Value) -> Vec<&Value> {
    let mut values: Vec<&Value> = media.get("example").into_iter().collect();
    values.extend(entries(&media["examples"]).map(|(_, e)| &resolve(e)["value"]));
    values
}

#[test]
fn delete_session_body_and_answer() {
    let op = Operation::find("DeleteSession");
    let body = resolve(&op.node["requestBody"]);
    assert_eq!(body["required"], true, "the body is required");
    let media = &body["content"]["application/json"];
    let schema = resolve(&media["schema"]);
    assert_eq!(schema["type"], "object");
    assert_eq!(required(schema), BTreeSet::from(["sessions"]));
    let sessions = resolve(&schema["properties"]["sessions"]);
    assert_eq!(sessions["type"], "array");
    assert_eq!(resolve(&sessions["items"])["type"], "string");
    assert_eq!(sessions["minItems"], 1);
    let expected = json!({"sessions": ["34631", "34703"]});
    assert!(
        media_examples(media).contains(&&expected),
        "the request example"
    );
    assert_eq!(schema["example"], expected, "the schema's example");

    let ok = &op.response("200")["content"]["application/json"];
    assert_eq!(resolve(&ok["schema"])["type"], "object");
    assert!(
        media_examples(ok).contains(&&json!({})),
        "200's example is {{}}"
    );
}

#[test]
fn session_schemas() {
    let list = component("ListSessionsResponse");
    assert_eq!(list["properties"]["total_count"]["type"], "integer");
    let sessions = &list["properties"]["sessions"];
    assert_eq!(sessions["type"], "array");
    assert_eq!(
        sessions["items"]["$ref"],
        "#/components/schemas/QuerySessionResponse"
    );
    let list_200 = &Operation::find("ListSessions").response("200")["content"]["application/json"];
    assert_eq!(
        list_200["schema"]["$ref"],
        "#/components/schemas/ListSessionsResponse"
    );

    let session = component("QuerySessionResponse");
    assert_eq!(required(session), BTreeSet::from(["id"]));
    let strings = [
        "id",
        "operation",
        "type",
        "cost_time",
        "plan_summary",
        "host",
        "client",
        "description",
        "namespace",
        "db",
        "user",
    ];
    let mut expected: BTreeMap<&str, &str> = strings.iter().map(|name| (*name, "string")).collect();
    expected.insert("active", "boolean");
    let actual: BTreeMap<&str, &str> = entries(&session["properties"])
        .map(|(name, p)| (name.as_str(), resolve(p)["type"].as_str().unwrap_or("?")))
        .collect();
    assert_eq!(
        actual, expected,
        "QuerySessionResponse's properties and their types"
    );
}

#[test]
fn error_responses_carry_the_error_schema() {
    for op in Operation::all() {
        for status in ["400", "401", "403", "404", "429", "500"] {
            let media = &op.response(status)["content"]["application/json"];
            let schema = resolve(&media["schema"]);
            assert!(
                media["schema"].get("$ref").is_some(),
                "{} {status}: a named schema",
                op.path
            );
            for field in ["error_code", "error_msg", "request_id"] {
                assert_eq!(
                    resolve(&schema["properties"][field])["type"],
                    "string",
                    "{} {status}: {field}",
                    op.path
                );
            }
        }
    }
}

#[test]
fn servers_security_and_description() {
    let servers: BTreeMap<&str, BTreeSet<&str>> = spec()["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .map(|s| {
            (
                s["url"].as_str().unwrap(),
                strings(&s["variables"]["region"]["enum"]),
            )
        })
        .collect();
    assert!(servers["https://dds.{region}.myhuaweicloud.com"].len() > 10);
    assert!(servers["https://dds.{region}.myhuaweicloud.eu"].contains("eu-west-101"));

    let schemes: Vec<&Value> = entries(&spec()["components"]["securitySchemes"])
        .map(|(_, s)| s)
        .collect();
    let header_key = |name: &str| {
        schemes
            .iter()
            .any(|s| s["type"] == "apiKey" && s["in"] == "header" && s["name"] == name)
    };
    assert!(
        header_key("X-Auth-Token"),
        "an apiKey scheme in the header X-Auth-Token"
    );
    let authorization = header_key("Authorization") || schemes.iter().any(|s| s["type"] == "http");
    assert!(authorization, "a scheme for the Authorization header");

    let description = spec()["info"]["description"]
        .as_str()
        .expect("info.description");
    for needle in [
        "Community Edition 3.4",
        "nactive sessions",
        "dds:instance:deleteSession",
    ] {
        assert!(
            description.contains(needle),
            "info.description must mention `{needle}`"
        );
    }
}

// =============================================================================================
// 6. The constants taken from the spec
// =============================================================================================

/// `(minimum, maximum, default)` of a ListSessions query parameter, exclusive bounds made
/// inclusive.
fn bounds(name: &str) -> (Option<i64>, Option<i64>, Option<i64>) {
    let schema = schema_of(Operation::find("ListSessions").parameters_in("query")[name]);
    let exclusive = |key: &str| i64::from(schema[key] == true);
    (
        schema["minimum"]
            .as_i64()
            .map(|m| m + exclusive("exclusiveMinimum")),
        schema["maximum"]
            .as_i64()
            .map(|m| m - exclusive("exclusiveMaximum")),
        schema["default"].as_i64(),
    )
}

#[test]
fn spec_constants_are_the_specs_values() {
    use dds_sessions::spec as constants;

    let constants = [
        ("LIMIT_MIN", constants::LIMIT_MIN, bounds("limit").0),
        ("LIMIT_MAX", constants::LIMIT_MAX, bounds("limit").1),
        ("LIMIT_DEFAULT", constants::LIMIT_DEFAULT, bounds("limit").2),
        ("OFFSET_MIN", constants::OFFSET_MIN, bounds("offset").0),
        (
            "OFFSET_DEFAULT",
            constants::OFFSET_DEFAULT,
            bounds("offset").2,
        ),
    ];
    for (name, constant, in_spec) in constants {
        assert_eq!(Some(constant), in_spec, "{name}");
    }
    let sessions = &component("DeleteSessionRequestBody")["properties"]["sessions"];
    assert_eq!(
        Some(constants::SESSIONS_MIN_ITEMS as u64),
        sessions["minItems"].as_u64()
    );
    assert_eq!(constants::API_VERSION, spec()["info"]["version"]);

    let mut regions: Vec<(String, String)> = Vec::new();
    for server in spec()["servers"].as_array().expect("servers") {
        let url = server["url"].as_str().expect("a server url");
        for region in strings(&server["variables"]["region"]["enum"]) {
            regions.push((region.to_owned(), url.replace("{region}", region)));
        }
    }
    regions.sort();
    let constant: Vec<(String, String)> = constants::REGIONS
        .iter()
        .map(|(r, u)| ((*r).to_owned(), (*u).to_owned()))
        .collect();
    assert_eq!(constant, regions, "REGIONS");
    // The region table is searched by name: names must be unique (build.rs does not check).
    assert!(
        constants::REGIONS.windows(2).all(|w| w[0].0 < w[1].0),
        "a region is listed twice"
    );
    assert!(
        constants::REGIONS.contains(&("eu-west-101", "https://dds.eu-west-101.myhuaweicloud.eu"))
    );
}

// =============================================================================================
// 7. Generated types ⇔ spec schemas
// =============================================================================================

/// A component schema and the generated type for it.
struct Target {
    schema: &'static str,
    /// serde's verdict: does the generated type deserialize from the document?
    parse: fn(&Value) -> Verdict,
}

fn parse_as<T: DeserializeOwned>(document: &Value) -> Verdict {
    serde_json::from_value::<T>(document.clone())
        .map(drop)
        .map_err(|e| e.to_string())
}

const TARGETS: [Target; 5] = [
    Target {
        schema: "DeleteSessionRequestBody",
        parse: parse_as::<DeleteSessionRequestBody>,
    },
    Target {
        schema: "DeleteSessionResponse",
        parse: parse_as::<DeleteSessionResponse>,
    },
    Target {
        schema: "ListSessionsResponse",
        parse: parse_as::<ListSessionsResponse>,
    },
    Target {
        schema: "QuerySessionResponse",
        parse: parse_as::<QuerySessionResponse>,
    },
    Target {
        schema: "ErrorResponse",
        parse: parse_as::<ErrorResponse>,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lenient {
    /// The spec's schema accepts the document; the generated type rejects it.
    Schema,
    /// The generated type accepts the document; the spec's schema rejects it.
    Serde,
}

/// Where the generated types and the spec's schemas cannot agree, and why.
struct Exception {
    schema: &'static str,
    case: &'static str,
    lenient: Lenient,
    why: &'static str,
    /// Whether a document is one of these cases.
    applies: fn(&Value) -> bool,
    /// A document that shows the disagreement: if the two come to agree on it, the exception is
    /// gone and must be removed from this table.
    witness: fn() -> Value,
}

const EXCEPTIONS: &[Exception] = &[
    Exception {
        schema: "DeleteSessionRequestBody",
        case: "`sessions` is empty",
        lenient: Lenient::Serde,
        why: "typify makes `minItems: 1` a plain Vec<String>; the client checks \
              spec::SESSIONS_MIN_ITEMS itself before sending",
        applies: |d| d["sessions"] == json!([]),
        witness: || json!({"sessions": []}),
    },
    Exception {
        schema: "ListSessionsResponse",
        case: "`total_count` is negative",
        lenient: Lenient::Serde,
        why: "typify makes `format: int32, minimum: 0` an i32, which does not enforce `minimum`",
        applies: |d| {
            d["total_count"]
                .as_i64()
                .is_some_and(|n| (i64::from(i32::MIN)..0).contains(&n))
        },
        witness: || json!({"total_count": -1, "sessions": []}),
    },
    Exception {
        schema: "ListSessionsResponse",
        case: "`total_count` is above i32::MAX",
        lenient: Lenient::Schema,
        why: "`format: int32` is an annotation in JSON Schema (nothing bounds the value); the \
              generated i32 cannot hold it",
        applies: |d| {
            d["total_count"]
                .as_f64()
                .is_some_and(|n| n > f64::from(i32::MAX))
        },
        witness: || json!({"total_count": 2_147_483_648_u64, "sessions": []}),
    },
    Exception {
        schema: "ListSessionsResponse",
        case: "a session in `sessions` is one of QuerySessionResponse's exceptions",
        lenient: Lenient::Serde,
        why: "see QuerySessionResponse",
        applies: |d| {
            d["sessions"].as_array().is_some_and(|sessions| {
                sessions
                    .iter()
                    .any(|s| excuse("QuerySessionResponse", s, Lenient::Serde).is_some())
            })
        },
        witness: || json!({"total_count": 1, "sessions": [{"id": "34631", "user": null}]}),
    },
    Exception {
        schema: "QuerySessionResponse",
        case: "an optional property is null",
        lenient: Lenient::Serde,
        why: "typify makes optional properties Option<T>, and serde reads null as None; the spec \
              has no `nullable`",
        applies: |d| optional_property_is_null("QuerySessionResponse", d),
        witness: || json!({"id": "34631", "user": null}),
    },
    Exception {
        schema: "ErrorResponse",
        case: "an optional property is null",
        lenient: Lenient::Serde,
        why: "as for QuerySessionResponse: Option<String> reads null as None",
        applies: |d| optional_property_is_null("ErrorResponse", d),
        witness: || json!({"error_code": "DBS.301071", "request_id": null}),
    },
    Exception {
        schema: "DeleteSessionRequestBody",
        case: "an array of the field values in declaration order",
        lenient: Lenient::Serde,
        why: POSITIONAL,
        applies: Value::is_array,
        witness: || json!([["34631"]]),
    },
    Exception {
        schema: "ListSessionsResponse",
        case: "an array of the field values in declaration order",
        lenient: Lenient::Serde,
        why: POSITIONAL,
        applies: Value::is_array,
        witness: || json!([[], 0]),
    },
    Exception {
        schema: "QuerySessionResponse",
        case: "an array of the field values in declaration order",
        lenient: Lenient::Serde,
        why: POSITIONAL,
        applies: Value::is_array,
        // active, client, cost_time, db, description, host, id, namespace, operation,
        // plan_summary, type, user
        witness: || {
            json!([
                true, null, null, null, null, null, "34631", null, null, null, null, null
            ])
        },
    },
    Exception {
        schema: "ErrorResponse",
        case: "an array of the field values in declaration order",
        lenient: Lenient::Serde,
        why: POSITIONAL,
        applies: Value::is_array,
        witness: || json!(["DBS.301071", "Invalid session id.", null]),
    },
];

const POSITIONAL: &str = "serde's derived Deserialize for a struct also reads a sequence of its \
                          fields, and serde_json hands it JSON arrays; the schema wants an object";

fn optional_property_is_null(schema: &str, document: &Value) -> bool {
    let schema = component(schema);
    let optional = &property_names(schema) - &required(schema);
    optional
        .iter()
        .any(|name| document.get(name) == Some(&Value::Null))
}

fn excuse(schema: &str, document: &Value, lenient: Lenient) -> Option<&'static Exception> {
    EXCEPTIONS
        .iter()
        .find(|e| e.schema == schema && e.lenient == lenient && (e.applies)(document))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    BothAccept,
    BothReject,
    Excused,
}

/// Both verdicts on `document`; an error when they disagree and no exception explains it.
fn judge(
    target: &Target,
    validator: &jsonschema::Validator,
    document: &Value,
) -> Result<Outcome, String> {
    let schema = schema_verdict(validator, document);
    let serde = (target.parse)(document);
    let lenient = match (&schema, &serde) {
        (Ok(()), Ok(())) => return Ok(Outcome::BothAccept),
        (Err(_), Err(_)) => return Ok(Outcome::BothReject),
        (Ok(()), Err(_)) => Lenient::Schema,
        (Err(_), Ok(())) => Lenient::Serde,
    };
    match excuse(target.schema, document, lenient) {
        Some(_) => Ok(Outcome::Excused),
        None => Err(format!(
            "{}: {document}\n    schema: {schema:?}\n    serde:  {serde:?}",
            target.schema
        )),
    }
}

#[test]
fn every_component_schema_has_a_target() {
    let targets: BTreeSet<&str> = TARGETS.iter().map(|t| t.schema).collect();
    assert_eq!(
        targets,
        component_names(),
        "a component schema without a generated type, or the reverse"
    );
}

#[test]
fn every_exception_really_is_one() {
    for exception in EXCEPTIONS {
        let target = TARGETS
            .iter()
            .find(|t| t.schema == exception.schema)
            .expect("a target");
        let witness = (exception.witness)();
        let label = format!("{} / {}: {witness}", exception.schema, exception.case);
        assert!(
            (exception.applies)(&witness),
            "{label}: the witness is not a case of it"
        );
        let schema = schema_verdict(&validator(component(target.schema)), &witness);
        let serde = (target.parse)(&witness);
        let expected = match exception.lenient {
            Lenient::Schema => (true, false),
            Lenient::Serde => (false, true),
        };
        assert_eq!(
            (schema.is_ok(), serde.is_ok()),
            expected,
            "{label}: (schema accepts, serde accepts) is no longer as documented; if the \
             generated type and the spec now agree, remove the exception ({})\n  \
             schema: {schema:?}\n  serde:  {serde:?}",
            exception.why
        );
    }
}

/// Documents that `schema` (a component) accepts as examples: its own, the media types' whose
/// schema is it, and those nested in other components' examples (a session in a page).
fn examples_of(schema: &str) -> Vec<Value> {
    let mut found = Vec::new();
    for example in all_examples() {
        if example.kind == ExampleKind::Property {
            continue;
        }
        let owner = match example.schema["$ref"].as_str() {
            Some(reference) => reference.rsplit('/').next().unwrap_or_default(),
            None => match component_names()
                .into_iter()
                .find(|n| std::ptr::eq(component(n), example.schema))
            {
                Some(name) => name,
                None => continue,
            },
        };
        nested_examples(owner, &example.value, &mut found);
    }
    found
        .into_iter()
        .filter(|(owner, _)| *owner == schema)
        .map(|(_, v)| v)
        .collect()
}

fn nested_examples(owner: &'static str, value: &Value, found: &mut Vec<(&'static str, Value)>) {
    found.push((owner, value.clone()));
    for (name, property) in entries(&component(owner)["properties"]) {
        let Some((nested, in_array)) = nested_component(property) else {
            continue;
        };
        let values: Vec<&Value> = match (in_array, value.get(name)) {
            (true, Some(Value::Array(elements))) => elements.iter().collect(),
            (false, Some(value)) => vec![value],
            _ => vec![],
        };
        for value in values {
            nested_examples(nested, value, found);
        }
    }
}

/// The component a property holds (`$ref`), or holds an array of (`items: {$ref}`): its name,
/// and whether in an array.
fn nested_component(property: &Value) -> Option<(&'static str, bool)> {
    let (reference, in_array) = match (
        property["$ref"].as_str(),
        property["items"]["$ref"].as_str(),
    ) {
        (Some(reference), _) => (reference, false),
        (None, Some(reference)) => (reference, true),
        (None, None) => return None,
    };
    let name = reference.rsplit('/').next().unwrap_or_default();
    component_names()
        .into_iter()
        .find(|n| *n == name)
        .map(|n| (n, in_array))
}

/// A document made of every property's own example (arrays of components: of the
/// component's example).
fn from_property_examples(schema: &str) -> Value {
    fn example_of(schema: &Value) -> Option<Value> {
        let schema = resolve(schema);
        schema
            .get("example")
            .cloned()
            .or_else(|| match schema["type"].as_str() {
                Some("array") => Some(json!([example_of(&schema["items"])?])),
                _ => None,
            })
    }
    let object: Map<String, Value> = entries(&component(schema)["properties"])
        .filter_map(|(name, property)| Some((name.clone(), example_of(property)?)))
        .collect();
    Value::Object(object)
}

/// Values every property of every example is set to, one at a time: wrong types, nulls, bounds.
fn palette() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(7),
        json!(2.0),
        json!(1.5),
        json!(2_147_483_648_u64),
        json!(-2_147_483_649_i64),
        json!(1e19),
        json!(""),
        json!("34631"),
        json!([]),
        json!(["34631"]),
        json!([1]),
        json!([{}]),
        json!({}),
    ]
}

/// The table of samples for `schema`: its examples, and mutations of them.
fn samples(schema: &str) -> Vec<(String, Value)> {
    let mut bases: Vec<Value> = examples_of(schema);
    bases.push(from_property_examples(schema));
    let properties = property_names(component(schema));
    let mut table = Vec::new();
    for (index, base) in bases.iter().enumerate() {
        table.push((format!("example {index}"), base.clone()));
        let Value::Object(object) = base else {
            continue;
        };
        for name in required(component(schema)) {
            let mut mutated = object.clone();
            mutated.remove(name);
            table.push((
                format!("example {index} without `{name}`"),
                Value::Object(mutated),
            ));
        }
        for name in &properties {
            for value in palette() {
                let mut mutated = object.clone();
                mutated.insert((*name).to_owned(), value.clone());
                table.push((
                    format!("example {index} with `{name}`: {value}"),
                    Value::Object(mutated),
                ));
            }
        }
        // A nested component (a session in a page) is given each of its own samples, in the
        // first example only: that is enough to see them judged in place.
        for (name, property) in entries(&component(schema)["properties"]) {
            let Some((nested, in_array)) = nested_component(property).filter(|_| index == 0) else {
                continue;
            };
            for (label, value) in samples(nested) {
                let mut mutated = object.clone();
                let value = if in_array { json!([value]) } else { value };
                mutated.insert(name.clone(), value);
                table.push((
                    format!("example {index} with `{name}`: {nested} {label}"),
                    Value::Object(mutated),
                ));
            }
        }
        let mut extra = object.clone();
        extra.insert("unknown_field".into(), json!({"x": 1}));
        table.push((
            format!("example {index} with an unknown field"),
            Value::Object(extra),
        ));
        table.push((format!("example {index} in an array"), json!([base])));
    }
    table.push(("an empty object".into(), json!({})));
    for value in [
        json!(null),
        json!(true),
        json!(0),
        json!(1.5),
        json!("{}"),
        json!([]),
    ] {
        table.push((format!("the non-object {value}"), value));
    }
    table
}

#[test]
fn examples_are_accepted_by_the_generated_types() {
    for target in &TARGETS {
        let examples = examples_of(target.schema);
        assert!(!examples.is_empty(), "{}: no example", target.schema);
        for example in examples {
            (target.parse)(&example)
                .unwrap_or_else(|e| panic!("{}: {example}: {e}", target.schema));
        }
    }
}

#[test]
fn generated_types_and_schemas_agree_on_the_sample_table() {
    let mut disagreements = Vec::new();
    let mut excused_cases = BTreeSet::new();
    for target in &TARGETS {
        let validator = validator(component(target.schema));
        let mut outcomes = BTreeMap::new();
        for (label, sample) in samples(target.schema) {
            match judge(target, &validator, &sample) {
                Ok(outcome) => *outcomes.entry(format!("{outcome:?}")).or_insert(0) += 1,
                Err(disagreement) => disagreements.push(format!("{label}: {disagreement}")),
            }
            for lenient in [Lenient::Schema, Lenient::Serde] {
                if let Some(exception) = excuse(target.schema, &sample, lenient) {
                    excused_cases.insert((exception.schema, exception.case));
                }
            }
        }
        // Each table has documents both sides accept and documents both sides reject.
        assert!(
            outcomes.contains_key("BothAccept") && outcomes.contains_key("BothReject"),
            "{}: {outcomes:?}",
            target.schema
        );
    }
    assert!(
        disagreements.is_empty(),
        "undocumented disagreements:\n  {}",
        disagreements.join("\n  ")
    );
    // Each exception matters to the table (else it documents nothing the table can see).
    for exception in EXCEPTIONS {
        assert!(
            excused_cases.contains(&(exception.schema, exception.case)),
            "{} / {}: no sample of the table is a case of it",
            exception.schema,
            exception.case
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The property test: random documents built from the spec's schemas
// ---------------------------------------------------------------------------------------------

/// Strings for values and keys: plain ones, JSON-looking ones, and some of the spec's property
/// names (as unknown keys they may collide with a property, which is worth judging too).
const WORDS: [&str; 12] = [
    "",
    "x",
    "34631",
    "0",
    "null",
    "true",
    "{}",
    "[]",
    "id",
    "type",
    "sessions",
    "total_count",
];

/// Any JSON value, small.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12..1e12_f64).prop_map(Value::from),
        select(WORDS.as_slice()).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(
                select(WORDS.as_slice()).prop_map(str::to_owned),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Documents shaped by an OpenAPI schema of the spec: most often of the right type, sometimes
/// anything; objects with random subsets of their properties, sometimes an unknown one.
fn document(schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let schema = resolve(schema);
    if depth > 4 {
        return any_json();
    }
    let typed = match schema["type"].as_str() {
        Some("object") => object(schema, depth),
        Some("array") => vec(document(&schema["items"], depth + 1), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        Some("string") => {
            prop_oneof![3 => select(WORDS.as_slice()).prop_map(str::to_owned), 1 => any::<String>()]
                .prop_map(Value::from)
                .boxed()
        }
        Some("integer") => prop_oneof![
            (-2_i64..30).prop_map(Value::from),
            any::<i32>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
        ]
        .boxed(),
        Some("boolean") => any::<bool>().prop_map(Value::from).boxed(),
        other => panic!("no generator for the type {other:?}"),
    };
    prop_oneof![9 => typed, 1 => any_json()].boxed()
}

fn object(schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let required = required(schema);
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = entries(&schema["properties"])
        .map(|(name, property)| {
            let presence = if required.contains(name.as_str()) {
                0.9
            } else {
                0.5
            };
            let name = name.clone();
            weighted(
                presence,
                document(property, depth + 1).prop_map(move |v| (name.clone(), v)),
            )
            .boxed()
        })
        .collect();
    fields.push(
        weighted(
            0.2,
            (select(WORDS.as_slice()).prop_map(str::to_owned), any_json()),
        )
        .boxed(),
    );
    fields
        .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect()))
        .boxed()
}

/// Cases per generated type; `PROPTEST_CASES` overrides it (e.g. 100000 for a long run).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(1000)
}

#[test]
fn generated_types_and_schemas_agree_on_random_documents() {
    for target in &TARGETS {
        let validator = validator(component(target.schema));
        let strategy = document(component(target.schema), 0);
        let (accepted, rejected) = (Cell::new(0_u32), Cell::new(0_u32));
        let config = Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        };
        let result = TestRunner::new(config).run(&strategy, |document| {
            match judge(target, &validator, &document) {
                Ok(Outcome::BothAccept) => accepted.set(accepted.get() + 1),
                Ok(Outcome::BothReject) => rejected.set(rejected.get() + 1),
                Ok(Outcome::Excused) => {}
                Err(disagreement) => {
                    prop_assert!(false, "undocumented disagreement: {}", disagreement)
                }
            }
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{}: {failure}", target.schema);
        }
        // The generator makes both kinds of documents, not only garbage.
        let (accepted, rejected) = (accepted.get(), rejected.get());
        assert!(
            accepted >= cases() / 50 && rejected >= cases() / 50,
            "{}: {accepted} accepted, {rejected} rejected",
            target.schema
        );
    }
}

// =============================================================================================
// 8. schemars' view of the generated types
// =============================================================================================

/// What a schema says of an object: its type, required properties, and each property's kind.
#[derive(Debug, PartialEq)]
struct Shape {
    kind: String,
    required: BTreeSet<String>,
    properties: BTreeMap<String, String>,
}

/// A property's kind as the spec says it: `string`, `integer/int32`, `array of X`, or the name
/// of a component.
fn spec_kind(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or_default().to_owned();
    }
    kind(schema, spec_kind)
}

/// The same, as schemars says it: `Option<T>` adds `null` to `type` (or an `anyOf` branch).
fn schemars_kind(schema: &Value) -> String {
    if let Some(reference) = schema["$ref"].as_str() {
        return reference.rsplit('/').next().unwrap_or_default().to_owned();
    }
    if let Some(branches) = schema["anyOf"].as_array() {
        let not_null: Vec<&Value> = branches.iter().filter(|b| b["type"] != "null").collect();
        if let [single] = not_null[..] {
            return schemars_kind(single);
        }
    }
    kind(schema, schemars_kind)
}

fn kind(schema: &Value, recurse: fn(&Value) -> String) -> String {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(single) => vec![single],
        Value::Array(many) => many
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => vec![],
    };
    let mut kind = types.join("|");
    if kind == "array" {
        kind = format!("array of {}", recurse(&schema["items"]));
    }
    if let Some(format) = schema["format"].as_str() {
        kind = format!("{kind}/{format}");
    }
    kind
}

fn shape(schema: &Value, kind_of: fn(&Value) -> String) -> Shape {
    Shape {
        kind: kind(schema, kind_of),
        required: strings(&schema["required"])
            .into_iter()
            .map(str::to_owned)
            .collect(),
        properties: entries(&schema["properties"])
            .map(|(name, property)| (name.clone(), kind_of(property)))
            .collect(),
    }
}

#[test]
fn schemars_sees_the_specs_properties_and_required_lists() {
    let generated = [
        (
            "DeleteSessionRequestBody",
            schemars::schema_for!(DeleteSessionRequestBody),
        ),
        (
            "DeleteSessionResponse",
            schemars::schema_for!(DeleteSessionResponse),
        ),
        (
            "ListSessionsResponse",
            schemars::schema_for!(ListSessionsResponse),
        ),
        (
            "QuerySessionResponse",
            schemars::schema_for!(QuerySessionResponse),
        ),
        ("ErrorResponse", schemars::schema_for!(ErrorResponse)),
    ];
    assert_eq!(
        generated
            .iter()
            .map(|(name, _)| *name)
            .collect::<BTreeSet<_>>(),
        component_names()
    );
    for (name, schema) in &generated {
        let from_spec = shape(component(name), spec_kind);
        let from_type = shape(schema.as_value(), schemars_kind);
        assert_eq!(
            from_type, from_spec,
            "{name}: schemars (left) vs the spec (right)"
        );
    }
}

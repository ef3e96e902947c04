//! A judge of HTTP requests and answers by `spec/dds-sessions.yaml`, built at test time from the
//! YAML with `openapiv3` (operations, parameters, bodies, responses, security) and `jsonschema`
//! (every schema, through the converter of `support/openapi.rs`).
//!
//! It is deliberately independent: it reads neither the generated client nor the mock's own
//! validator (`src/mock/spec_check.rs`), so a mistake in either cannot vouch for itself.
//!
//! Include it after the converter:
//!
//! ```ignore
//! #[path = "support/openapi.rs"]
//! mod openapi;
//! #[path = "support/contract.rs"]
//! mod contract;
//! ```
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;

use openapiv3::{
    APIKeyLocation, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody,
    Response, SecurityScheme, StatusCode,
};
use serde_json::Value;

use crate::openapi;

/// The spec, as published in `spec/`.
pub const SPEC_TEXT: &str = include_str!("../../spec/dds-sessions.yaml");

/// A request as it went over the wire.
#[derive(Clone, Copy, Debug)]
pub struct WireRequest<'a> {
    pub method: &'a str,
    /// The path as sent, still percent-encoded.
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: Option<&'a str>,
    /// Header names lower-cased.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// What a request that follows the spec asked for: the operation, and its parameters decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    pub operation_id: String,
    pub path: BTreeMap<String, String>,
    pub query: BTreeMap<String, String>,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// A parameter of an operation, with its schema as JSON and a validator of it.
pub struct ParameterContract {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// The schema, `$ref` resolved, as the spec writes it.
    pub schema: Value,
    validator: jsonschema::Validator,
}

/// The request body of an operation: required or not, and a validator per media type.
pub struct BodyContract {
    pub required: bool,
    pub media: BTreeMap<String, Option<jsonschema::Validator>>,
}

/// One documented answer of an operation.
pub struct ResponseContract {
    /// Media type → validator of its schema (none if the media type has no schema).
    pub media: BTreeMap<String, Option<jsonschema::Validator>>,
    /// Every example of it: the media types' `example` and `examples`, and the `example` of a
    /// component schema the media type refers to.
    pub examples: Vec<(String, Value)>,
    /// The headers it documents, lower-cased.
    pub headers: BTreeSet<String>,
}

/// One operation of the spec.
pub struct OperationContract {
    pub id: String,
    /// Upper-case.
    pub method: String,
    pub template: String,
    segments: Vec<Segment>,
    pub parameters: Vec<ParameterContract>,
    pub body: Option<BodyContract>,
    pub responses: BTreeMap<u16, ResponseContract>,
    /// The security alternatives: each a set of headers (lower-case) sent together.
    pub security: Vec<BTreeSet<String>>,
}

enum Segment {
    Literal(String),
    Param(String),
}

/// The whole spec, ready to judge.
pub struct Contract {
    /// The document as plain JSON.
    pub raw: Value,
    pub operations: Vec<OperationContract>,
}

impl Contract {
    /// Reads `spec/dds-sessions.yaml`.
    pub fn load() -> Contract {
        let raw: Value = serde_norway::from_str(SPEC_TEXT).expect("the spec is YAML");
        let api: OpenAPI = serde_norway::from_str(SPEC_TEXT).expect("the spec is OpenAPI");
        // Schemas reach the converter as openapiv3 serialises them. Check that this loses
        // nothing the YAML says, or a keyword openapiv3 does not model would go unjudged.
        for (name, schema) in api.components.iter().flat_map(|c| &c.schemas) {
            assert_eq!(
                serde_json::to_value(schema).unwrap(),
                raw["components"]["schemas"][name],
                "openapiv3 does not round-trip the schema {name}"
            );
        }
        let mut operations = Vec::new();
        for (template, item) in api.paths.iter() {
            let item = item.as_item().expect("path items are not references");
            for (method, operation) in item.iter() {
                let mut parameters: Vec<ParameterContract> = Vec::new();
                for parameter in item.parameters.iter().chain(&operation.parameters) {
                    let parameter = ParameterContract::new(&api, &raw, parameter);
                    // The operation's own parameter overrides the path item's of its name.
                    parameters.retain(|p| {
                        (p.name.as_str(), p.location)
                            != (parameter.name.as_str(), parameter.location)
                    });
                    parameters.push(parameter);
                }
                let body = operation
                    .request_body
                    .as_ref()
                    .map(|body| BodyContract::new(&api, &raw, body));
                let responses = operation
                    .responses
                    .responses
                    .iter()
                    .map(|(status, response)| {
                        let StatusCode::Code(status) = status else {
                            panic!("{template}: status ranges are not supported: {status:?}");
                        };
                        (*status, ResponseContract::new(&api, &raw, response))
                    })
                    .collect();
                let requirements = operation.security.as_ref().or(api.security.as_ref());
                let security = requirements
                    .into_iter()
                    .flatten()
                    .map(|requirement| {
                        requirement
                            .keys()
                            .map(|scheme| scheme_header(&api, scheme))
                            .collect()
                    })
                    .collect();
                operations.push(OperationContract {
                    id: operation.operation_id.clone().expect("an operationId"),
                    method: method.to_ascii_uppercase(),
                    template: template.clone(),
                    segments: template
                        .trim_start_matches('/')
                        .split('/')
                        .map(|piece| {
                            match piece.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                                Some(name) => Segment::Param(name.to_owned()),
                                None => Segment::Literal(piece.to_owned()),
                            }
                        })
                        .collect(),
                    parameters,
                    body,
                    responses,
                    security,
                });
            }
        }
        Contract { raw, operations }
    }

    pub fn operation(&self, id: &str) -> &OperationContract {
        self.operations
            .iter()
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    }

    /// A validator of a component schema.
    pub fn component(&self, name: &str) -> jsonschema::Validator {
        let schema = &self.raw["components"]["schemas"][name];
        assert!(schema.is_object(), "no component schema {name}");
        openapi::validator(&self.raw, schema)
    }

    /// Judges a request: every way it breaks the spec, or what it asked for.
    pub fn check_request(&self, request: &WireRequest<'_>) -> Result<Matched, Vec<String>> {
        let Some(pieces) = request.path.strip_prefix('/').map(|p| p.split('/')) else {
            return Err(vec![format!("the path {:?} is not absolute", request.path)]);
        };
        let pieces: Vec<&str> = pieces.collect();
        let mut allowed = Vec::new();
        let mut found = None;
        for op in &self.operations {
            let Some(path) = op.match_path(&pieces) else {
                continue;
            };
            if op.method == request.method {
                found = Some((op, path));
                break;
            }
            allowed.push(op.method.as_str());
        }
        let Some((op, path)) = found else {
            return Err(vec![if allowed.is_empty() {
                format!("no path of the spec is {}", request.path)
            } else {
                format!(
                    "{} {} is not an operation (the spec has {})",
                    request.method,
                    request.path,
                    allowed.join(", ")
                )
            }]);
        };
        let mut violations = Vec::new();
        let path = match path {
            Ok(path) => path,
            Err(why) => {
                violations.push(why);
                BTreeMap::new()
            }
        };
        let query = op.check_query(request.query, &mut violations);
        op.check_path(&path, &mut violations);
        op.check_headers(request.headers, &mut violations);
        op.check_body(request, &mut violations);
        if violations.is_empty() {
            Ok(Matched {
                operation_id: op.id.clone(),
                path,
                query,
            })
        } else {
            Err(violations)
        }
    }

    /// Judges an answer to `operation_id`: its status is documented, and its body is what the
    /// spec documents for that status.
    pub fn check_response(
        &self,
        operation_id: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let op = self.operation(operation_id);
        let Some(response) = op.responses.get(&status) else {
            return Err(format!(
                "{operation_id} documents no {status} answer (it documents {:?})",
                op.responses.keys().collect::<Vec<_>>()
            ));
        };
        if response.media.is_empty() {
            return if body.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "{operation_id} {status}: the spec documents no body"
                ))
            };
        }
        let media = media_type(content_type.unwrap_or(""));
        let Some(validator) = response.media.get(&media) else {
            return Err(format!(
                "{operation_id} {status}: Content-Type {content_type:?} is not one of {:?}",
                response.media.keys().collect::<Vec<_>>()
            ));
        };
        let json: Value = serde_json::from_slice(body).map_err(|e| {
            format!(
                "{operation_id} {status}: the body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(body)
            )
        })?;
        match validator {
            Some(validator) => validator
                .validate(&json)
                .map_err(|e| format!("{operation_id} {status}: {e} in {json}")),
            None => Ok(()),
        }
    }
}

impl OperationContract {
    pub fn parameter(&self, location: Location, name: &str) -> &ParameterContract {
        self.parameters
            .iter()
            .find(|p| p.location == location && p.name == name)
            .unwrap_or_else(|| panic!("{}: no {location:?} parameter {name}", self.id))
    }

    pub fn parameter_names(&self, location: Location) -> BTreeSet<&str> {
        self.parameters
            .iter()
            .filter(|p| p.location == location)
            .map(|p| p.name.as_str())
            .collect()
    }

    /// The documented statuses from 400 on.
    pub fn error_statuses(&self) -> Vec<u16> {
        self.responses
            .keys()
            .copied()
            .filter(|s| *s >= 400)
            .collect()
    }

    /// `Some(decoded parameters)` if the path fits the template (`Err` inside if a segment
    /// does not decode), `None` if it does not.
    fn match_path(&self, pieces: &[&str]) -> Option<Result<BTreeMap<String, String>, String>> {
        if pieces.len() != self.segments.len() {
            return None;
        }
        let mut params = BTreeMap::new();
        for (segment, piece) in self.segments.iter().zip(pieces) {
            match segment {
                Segment::Literal(literal) if literal == piece => {}
                Segment::Literal(_) => return None,
                Segment::Param(_) if piece.is_empty() => return None,
                Segment::Param(name) => match decode(piece, false) {
                    Ok(value) => {
                        params.insert(name.clone(), value);
                    }
                    Err(why) => {
                        return Some(Err(format!("path parameter {name}: {why}")));
                    }
                },
            }
        }
        Some(Ok(params))
    }

    fn check_path(&self, path: &BTreeMap<String, String>, violations: &mut Vec<String>) {
        for parameter in self
            .parameters
            .iter()
            .filter(|p| p.location == Location::Path)
        {
            match path.get(&parameter.name) {
                Some(text) => parameter.check_text(text, violations),
                None => violations.push(format!(
                    "path parameter {} is not in the template",
                    parameter.name
                )),
            }
        }
    }

    fn check_query(
        &self,
        query: Option<&str>,
        violations: &mut Vec<String>,
    ) -> BTreeMap<String, String> {
        let mut pairs = BTreeMap::new();
        for piece in query
            .filter(|q| !q.is_empty())
            .into_iter()
            .flat_map(|q| q.split('&'))
        {
            let Some((name, value)) = piece.split_once('=') else {
                violations.push(format!("query pair {piece:?} has no `=`"));
                continue;
            };
            let (name, value) = match (decode(name, true), decode(value, true)) {
                (Ok(name), Ok(value)) => (name, value),
                (Err(why), _) | (_, Err(why)) => {
                    violations.push(format!("query pair {piece:?}: {why}"));
                    continue;
                }
            };
            if pairs.contains_key(&name) {
                violations.push(format!("query parameter {name} is repeated"));
                continue;
            }
            pairs.insert(name, value);
        }
        for (name, value) in &pairs {
            match self
                .parameters
                .iter()
                .find(|p| p.location == Location::Query && &p.name == name)
            {
                Some(parameter) => parameter.check_text(value, violations),
                None => violations.push(format!(
                    "query parameter {name} is not one of the spec's: {:?}",
                    self.parameter_names(Location::Query)
                )),
            }
        }
        for parameter in &self.parameters {
            if parameter.location == Location::Query
                && parameter.required
                && !pairs.contains_key(&parameter.name)
            {
                violations.push(format!("query parameter {} is required", parameter.name));
            }
        }
        pairs
    }

    fn check_headers(&self, headers: &[(String, String)], violations: &mut Vec<String>) {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        for parameter in self
            .parameters
            .iter()
            .filter(|p| p.location == Location::Header)
        {
            match header(&parameter.name) {
                Some(text) => parameter.check_text(text, violations),
                None if parameter.required => {
                    violations.push(format!("header {} is required", parameter.name))
                }
                None => {}
            }
        }
        if !self.security.is_empty()
            && !self
                .security
                .iter()
                .any(|alternative| alternative.iter().all(|name| header(name).is_some()))
        {
            violations.push(format!(
                "no security requirement is met: send one of {:?}",
                self.security
            ));
        }
    }

    fn check_body(&self, request: &WireRequest<'_>, violations: &mut Vec<String>) {
        let Some(spec_body) = &self.body else {
            if !request.body.is_empty() {
                violations.push(format!(
                    "{} takes no request body; {} bytes were sent",
                    self.id,
                    request.body.len()
                ));
            }
            return;
        };
        if request.body.is_empty() {
            if spec_body.required {
                violations.push(format!("{}: the request body is required", self.id));
            }
            return;
        }
        let content_type = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        let Some(validator) = spec_body.media.get(&media_type(content_type.unwrap_or(""))) else {
            violations.push(format!(
                "Content-Type {content_type:?} is not one of {:?}",
                spec_body.media.keys().collect::<Vec<_>>()
            ));
            return;
        };
        let json: Value = match serde_json::from_slice(request.body) {
            Ok(json) => json,
            Err(e) => {
                violations.push(format!("the request body is not JSON: {e}"));
                return;
            }
        };
        if let Some(validator) = validator {
            for error in validator.iter_errors(&json) {
                violations.push(format!("body{}: {error}", error.instance_path()));
            }
        }
    }
}

impl ParameterContract {
    fn new(api: &OpenAPI, raw: &Value, parameter: &ReferenceOr<Parameter>) -> ParameterContract {
        let parameter = match parameter {
            ReferenceOr::Item(p) => p,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .unwrap_or_else(|| panic!("unsupported reference {reference}"));
                match api.components.as_ref().and_then(|c| c.parameters.get(name)) {
                    Some(ReferenceOr::Item(p)) => p,
                    _ => panic!("{reference} does not resolve"),
                }
            }
        };
        let (location, data) = match parameter {
            Parameter::Path { parameter_data, .. } => (Location::Path, parameter_data),
            Parameter::Query { parameter_data, .. } => (Location::Query, parameter_data),
            Parameter::Header { parameter_data, .. } => (Location::Header, parameter_data),
            Parameter::Cookie { parameter_data, .. } => (Location::Cookie, parameter_data),
        };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            panic!("parameter {}: `content` is not supported", data.name);
        };
        let schema = resolve_schema(raw, serde_json::to_value(schema).unwrap());
        ParameterContract {
            name: data.name.clone(),
            location,
            required: data.required,
            validator: openapi::validator(raw, &schema),
            schema,
        }
    }

    /// The inclusive range of an integer parameter: its `minimum`/`maximum` (exclusive ones
    /// made inclusive), else the range of its `format` (`int32`, `int64`).
    pub fn integer_range(&self) -> RangeInclusive<i64> {
        assert_eq!(
            self.schema["type"], "integer",
            "{} is not an integer",
            self.name
        );
        let (low, high) = match self.schema["format"].as_str() {
            Some("int32") => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        let exclusive = |key: &str| i64::from(self.schema[key] == true);
        let minimum = self.schema["minimum"]
            .as_i64()
            .map(|m| m + exclusive("exclusiveMinimum"));
        let maximum = self.schema["maximum"]
            .as_i64()
            .map(|m| m - exclusive("exclusiveMaximum"));
        minimum.unwrap_or(low).max(low)..=maximum.unwrap_or(high).min(high)
    }

    /// Checks a parameter's text: converted to its schema's type, then validated.
    fn check_text(&self, text: &str, violations: &mut Vec<String>) {
        let what = format!("{:?} parameter {}", self.location, self.name);
        let value = match self.schema["type"].as_str() {
            Some("integer") => match text.parse::<i64>() {
                // Only the plain decimal form: `+5`, `05` or `5.0` are not how an integer is sent.
                Ok(n) if n.to_string() == text => Value::from(n),
                _ => {
                    violations.push(format!("{what}: {text:?} is not an integer"));
                    return;
                }
            },
            Some("number") => match text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(n) => Value::Number(n),
                None => {
                    violations.push(format!("{what}: {text:?} is not a number"));
                    return;
                }
            },
            Some("boolean") => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    violations.push(format!("{what}: {text:?} is not a boolean"));
                    return;
                }
            },
            Some("string") => Value::from(text),
            other => panic!("{what}: parameters of type {other:?} are not supported: teach it"),
        };
        // `format: int32` is only an annotation to JSON Schema; for a parameter it is a bound.
        if self.schema["format"] == "int32"
            && value.as_i64().is_some_and(|n| i32::try_from(n).is_err())
        {
            violations.push(format!("{what}: {text} is outside the int32 range"));
        }
        for error in self.validator.iter_errors(&value) {
            violations.push(format!("{what}: {error}"));
        }
    }
}

impl BodyContract {
    fn new(api: &OpenAPI, raw: &Value, body: &ReferenceOr<RequestBody>) -> BodyContract {
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/requestBodies/")
                    .unwrap_or_else(|| panic!("unsupported reference {reference}"));
                match api
                    .components
                    .as_ref()
                    .and_then(|c| c.request_bodies.get(name))
                {
                    Some(ReferenceOr::Item(body)) => body,
                    _ => panic!("{reference} does not resolve"),
                }
            }
        };
        BodyContract {
            required: body.required,
            media: body
                .content
                .iter()
                .map(|(media, content)| {
                    let validator = content.schema.as_ref().map(|schema| {
                        openapi::validator(raw, &serde_json::to_value(schema).unwrap())
                    });
                    (media.to_ascii_lowercase(), validator)
                })
                .collect(),
        }
    }
}

impl ResponseContract {
    fn new(api: &OpenAPI, raw: &Value, response: &ReferenceOr<Response>) -> ResponseContract {
        let response = match response {
            ReferenceOr::Item(response) => response,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .unwrap_or_else(|| panic!("unsupported reference {reference}"));
                match api.components.as_ref().and_then(|c| c.responses.get(name)) {
                    Some(ReferenceOr::Item(response)) => response,
                    _ => panic!("{reference} does not resolve"),
                }
            }
        };
        let mut examples = Vec::new();
        let mut media = BTreeMap::new();
        for (name, content) in &response.content {
            if let Some(example) = &content.example {
                examples.push((format!("{name} example"), example.clone()));
            }
            for (label, example) in &content.examples {
                let ReferenceOr::Item(example) = example else {
                    panic!("example references are not supported");
                };
                if let Some(value) = &example.value {
                    examples.push((format!("{name} example `{label}`"), value.clone()));
                }
            }
            let validator = content.schema.as_ref().map(|schema| {
                let schema = serde_json::to_value(schema).unwrap();
                if let Some(component) = schema["$ref"].as_str() {
                    let resolved = resolve_schema(raw, schema.clone());
                    if let Some(example) = resolved.get("example") {
                        examples.push((format!("{component} example"), example.clone()));
                    }
                }
                openapi::validator(raw, &schema)
            });
            media.insert(name.to_ascii_lowercase(), validator);
        }
        ResponseContract {
            media,
            examples,
            headers: response
                .headers
                .keys()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        }
    }
}

/// The header a security scheme is sent in, lower-cased.
fn scheme_header(api: &OpenAPI, scheme: &str) -> String {
    let scheme = api
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(scheme))
        .unwrap_or_else(|| panic!("no security scheme {scheme}"));
    match scheme {
        ReferenceOr::Item(SecurityScheme::APIKey {
            location: APIKeyLocation::Header,
            name,
            ..
        }) => name.to_ascii_lowercase(),
        ReferenceOr::Item(SecurityScheme::HTTP { .. } | SecurityScheme::OAuth2 { .. }) => {
            "authorization".into()
        }
        other => panic!("security scheme {other:?} is not supported: teach it"),
    }
}

/// A schema with a leading `$ref` to a component followed (for reading its `type` and bounds).
fn resolve_schema(raw: &Value, schema: Value) -> Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unsupported reference {reference}"));
            resolve_schema(raw, raw["components"]["schemas"][name].clone())
        }
        None => schema,
    }
}

/// `application/json; charset=utf-8` → `application/json`.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Percent-decodes strictly: every `%` starts two hex digits, and the bytes are UTF-8. In a
/// query (`plus_is_space`), `+` is a space, as `application/x-www-form-urlencoded` says.
pub fn decode(text: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| format!("{text:?} has a malformed percent escape"))?;
                out.push(hex);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("{text:?} does not decode to UTF-8"))
}

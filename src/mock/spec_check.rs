//! Judges a request by the spec, read at run time from [`crate::spec::YAML`]: which operation
//! its method and path name, and whether its parameters, headers and body are what the spec
//! allows. Every violation is one sentence naming the exact element, e.g.
//! `query parameter limit: 21 is greater than the maximum of 20`.

use std::collections::HashMap;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
    Type,
};
use serde_json::Value;

/// The spec's operations, ready to match requests against.
pub(crate) struct SpecCheck {
    spec: OpenAPI,
    routes: Vec<Route>,
}

struct Route {
    method: String,
    segments: Vec<Segment>,
    operation_id: String,
    parameters: Vec<Parameter>,
    body: Option<RequestBody>,
}

enum Segment {
    Literal(String),
    Param(String),
}

/// What the spec says of a request.
pub(crate) enum Verdict {
    /// It names this operation, with these path parameters (decoded) and query parameters.
    Operation {
        operation_id: String,
        path: HashMap<String, String>,
        query: HashMap<String, String>,
    },
    /// No path of the spec matches.
    UnknownPath,
    /// The path exists, but not with this method; the allowed ones.
    WrongMethod(Vec<String>),
    /// The operation exists, but the request breaks the spec.
    Invalid(String),
}

impl SpecCheck {
    /// Reads the embedded spec.
    pub(crate) fn new() -> Result<SpecCheck, String> {
        let spec: OpenAPI = serde_norway::from_str(crate::spec::YAML)
            .map_err(|e| format!("the embedded spec does not parse: {e}"))?;
        let mut routes = Vec::new();
        for (template, item) in spec.paths.iter() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            let segments = template
                .trim_start_matches('/')
                .split('/')
                .map(
                    |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                        Some(name) => Segment::Param(name.to_string()),
                        None => Segment::Literal(s.to_string()),
                    },
                )
                .collect::<Vec<_>>();
            for (method, operation) in item.iter() {
                let mut parameters = Vec::new();
                for p in item.parameters.iter().chain(&operation.parameters) {
                    parameters.push(resolve_parameter(&spec, p)?);
                }
                let body = match &operation.request_body {
                    Some(ReferenceOr::Item(b)) => Some(b.clone()),
                    Some(ReferenceOr::Reference { reference }) => {
                        return Err(format!(
                            "request body reference {reference} is not supported"
                        ));
                    }
                    None => None,
                };
                routes.push(Route {
                    method: method.to_ascii_uppercase(),
                    segments: segments
                        .iter()
                        .map(|s| match s {
                            Segment::Literal(l) => Segment::Literal(l.clone()),
                            Segment::Param(p) => Segment::Param(p.clone()),
                        })
                        .collect(),
                    operation_id: operation.operation_id.clone().unwrap_or_default(),
                    parameters,
                    body,
                });
            }
        }
        Ok(SpecCheck { spec, routes })
    }

    /// Judges one request. `path` is as received (percent-encoded), `query` the raw query string.
    pub(crate) fn judge(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Verdict {
        let pieces: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut allowed = Vec::new();
        let mut matched = None;
        for route in &self.routes {
            let Some(path_params) = match_path(&route.segments, &pieces) else {
                continue;
            };
            if route.method == method {
                matched = Some((route, path_params));
                break;
            }
            allowed.push(route.method.clone());
        }
        let Some((route, path_params)) = matched else {
            return if allowed.is_empty() {
                Verdict::UnknownPath
            } else {
                Verdict::WrongMethod(allowed)
            };
        };
        let query = parse_query(query);
        if let Err(violation) = self.check(route, &path_params, &query, headers, body) {
            return Verdict::Invalid(violation);
        }
        Verdict::Operation {
            operation_id: route.operation_id.clone(),
            path: path_params,
            query,
        }
    }

    fn check(
        &self,
        route: &Route,
        path: &HashMap<String, String>,
        query: &HashMap<String, String>,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<(), String> {
        for parameter in &route.parameters {
            let (location, data) = match parameter {
                Parameter::Path { parameter_data, .. } => ("path", parameter_data),
                Parameter::Query { parameter_data, .. } => ("query", parameter_data),
                Parameter::Header { parameter_data, .. } => ("header", parameter_data),
                Parameter::Cookie { .. } => continue,
            };
            let value = match location {
                "path" => path.get(&data.name).cloned(),
                "query" => query.get(&data.name).cloned(),
                _ => headers
                    .get(&data.name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
            };
            let what = format!("{location} parameter {}", data.name);
            let Some(value) = value else {
                if data.required {
                    return Err(format!("{what} is required"));
                }
                continue;
            };
            if let ParameterSchemaOrContent::Schema(schema) = &data.format {
                let schema = self.resolve(schema)?;
                let json = text_as(schema, &value).map_err(|e| format!("{what}: {e}"))?;
                self.validate(&json, schema, &what)?;
            }
        }
        match &route.body {
            Some(spec_body) => {
                if body.is_empty() {
                    return if spec_body.required {
                        Err("the request body is required".to_string())
                    } else {
                        Ok(())
                    };
                }
                let content_type = headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                let media = content_type
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let Some(media_type) = spec_body.content.get(&media) else {
                    let known: Vec<&str> = spec_body.content.keys().map(String::as_str).collect();
                    return Err(format!(
                        "Content-Type {content_type:?} is not one of {}",
                        known.join(", ")
                    ));
                };
                let json: Value = serde_json::from_slice(body)
                    .map_err(|e| format!("the request body is not JSON: {e}"))?;
                if let Some(schema) = &media_type.schema {
                    self.validate(&json, self.resolve(schema)?, "body")?;
                }
                Ok(())
            }
            None if !body.is_empty() => Err("this operation takes no request body".to_string()),
            None => Ok(()),
        }
    }

    fn resolve<'a>(&'a self, schema: &'a ReferenceOr<Schema>) -> Result<&'a Schema, String> {
        resolve_schema(&self.spec, schema)
    }

    /// Checks `value` against `schema`; `at` names the place for the message.
    pub(crate) fn validate(&self, value: &Value, schema: &Schema, at: &str) -> Result<(), String> {
        if value.is_null() && schema.schema_data.nullable {
            return Ok(());
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let Value::String(text) = value else {
                    return Err(format!("{at}: {} is not a string", short(value)));
                };
                let length = text.chars().count();
                if let Some(min) = s.min_length
                    && length < min
                {
                    return Err(format!("{at}: {:?} is shorter than {min} characters", text));
                }
                if let Some(max) = s.max_length
                    && length > max
                {
                    return Err(format!("{at}: is longer than {max} characters"));
                }
                if !s.enumeration.is_empty()
                    && !s.enumeration.iter().any(|e| e.as_deref() == Some(text))
                {
                    return Err(format!("{at}: {text:?} is not one of the allowed values"));
                }
                Ok(())
            }
            SchemaKind::Type(Type::Integer(i)) => {
                let Some(number) = value.as_i64().or_else(|| value.as_u64().map(|_| i64::MAX))
                else {
                    return Err(format!("{at}: {} is not an integer", short(value)));
                };
                if i.format
                    == openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32)
                    && i32::try_from(number).is_err()
                {
                    return Err(format!(
                        "{at}: {number} is outside the 32-bit integer range"
                    ));
                }
                if let Some(min) = i.minimum
                    && (number < min || (i.exclusive_minimum && number == min))
                {
                    return Err(format!("{at}: {number} is less than the minimum of {min}"));
                }
                if let Some(max) = i.maximum
                    && (number > max || (i.exclusive_maximum && number == max))
                {
                    return Err(format!(
                        "{at}: {number} is greater than the maximum of {max}"
                    ));
                }
                Ok(())
            }
            SchemaKind::Type(Type::Number(_)) => match value {
                Value::Number(_) => Ok(()),
                _ => Err(format!("{at}: {} is not a number", short(value))),
            },
            SchemaKind::Type(Type::Boolean(_)) => match value {
                Value::Bool(_) => Ok(()),
                _ => Err(format!("{at}: {} is not a boolean", short(value))),
            },
            SchemaKind::Type(Type::Array(a)) => {
                let Value::Array(items) = value else {
                    return Err(format!("{at}: {} is not an array", short(value)));
                };
                if let Some(min) = a.min_items
                    && items.len() < min
                {
                    return Err(format!(
                        "{at}: has {} items, fewer than the minimum of {min}",
                        items.len()
                    ));
                }
                if let Some(max) = a.max_items
                    && items.len() > max
                {
                    return Err(format!(
                        "{at}: has {} items, more than the maximum of {max}",
                        items.len()
                    ));
                }
                if let Some(item_schema) = &a.items {
                    let item_schema = match item_schema {
                        ReferenceOr::Item(s) => s.as_ref(),
                        ReferenceOr::Reference { reference } => component(&self.spec, reference)?,
                    };
                    for (i, item) in items.iter().enumerate() {
                        self.validate(item, item_schema, &format!("{at}[{i}]"))?;
                    }
                }
                Ok(())
            }
            SchemaKind::Type(Type::Object(o)) => {
                let Value::Object(map) = value else {
                    return Err(format!("{at}: {} is not an object", short(value)));
                };
                for required in &o.required {
                    if !map.contains_key(required) {
                        return Err(format!("{at}: the required property {required} is missing"));
                    }
                }
                for (name, item) in map {
                    match o.properties.get(name) {
                        Some(property) => {
                            let property = match property {
                                ReferenceOr::Item(s) => s.as_ref(),
                                ReferenceOr::Reference { reference } => {
                                    component(&self.spec, reference)?
                                }
                            };
                            self.validate(item, property, &format!("{at}.{name}"))?;
                        }
                        None if o.additional_properties
                            == Some(openapiv3::AdditionalProperties::Any(false)) =>
                        {
                            return Err(format!("{at}: the property {name} is not allowed"));
                        }
                        None => {}
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The schema of a component, for checking the mock's own answers.
    pub(crate) fn component_schema(&self, name: &str) -> Result<&Schema, String> {
        component(&self.spec, &format!("#/components/schemas/{name}"))
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// A parameter's text as the JSON value its schema describes.
fn text_as(schema: &Schema, text: &str) -> Result<Value, String> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(_)) => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{text:?} is not an integer")),
        SchemaKind::Type(Type::Number(_)) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{text:?} is not a number")),
        SchemaKind::Type(Type::Boolean(_)) => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{text:?} is not a boolean")),
        },
        _ => Ok(Value::String(text.to_string())),
    }
}

fn match_path(segments: &[Segment], pieces: &[&str]) -> Option<HashMap<String, String>> {
    if segments.len() != pieces.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (segment, piece) in segments.iter().zip(pieces) {
        match segment {
            Segment::Literal(l) if l == piece => {}
            Segment::Literal(_) => return None,
            // A dot segment is resolved away by any real server: the path is not this one.
            Segment::Param(_) if *piece == "." || *piece == ".." => return None,
            Segment::Param(name) => {
                let decoded = percent_decode(piece)?;
                if decoded.is_empty() {
                    return None;
                }
                params.insert(name.clone(), decoded);
            }
        }
    }
    Some(params)
}

/// The decoded pairs of a query string (`+` is a space); the first of repeated keys wins.
fn parse_query(query: Option<&str>) -> HashMap<String, String> {
    let mut pairs = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        pairs
            .entry(key.into_owned())
            .or_insert_with(|| value.into_owned());
    }
    pairs
}

fn percent_decode(piece: &str) -> Option<String> {
    let bytes = piece.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn component<'a>(spec: &'a OpenAPI, reference: &str) -> Result<&'a Schema, String> {
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("unsupported reference {reference}"))?;
    match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
        Some(ReferenceOr::Item(schema)) => Ok(schema),
        Some(ReferenceOr::Reference { reference }) => component(spec, reference),
        None => Err(format!("unresolved reference {reference}")),
    }
}

fn resolve_schema<'a>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<Schema>,
) -> Result<&'a Schema, String> {
    match schema {
        ReferenceOr::Item(s) => Ok(s),
        ReferenceOr::Reference { reference } => component(spec, reference),
    }
}

fn resolve_parameter(
    spec: &OpenAPI,
    parameter: &ReferenceOr<Parameter>,
) -> Result<Parameter, String> {
    match parameter {
        ReferenceOr::Item(p) => Ok(p.clone()),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .ok_or_else(|| format!("unsupported reference {reference}"))?;
            match spec
                .components
                .as_ref()
                .and_then(|c| c.parameters.get(name))
            {
                Some(ReferenceOr::Item(p)) => Ok(p.clone()),
                _ => Err(format!("unresolved reference {reference}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(method: &str, path: &str, query: Option<&str>, body: &str) -> Verdict {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        SpecCheck::new()
            .unwrap()
            .judge(method, path, query, &headers, body.as_bytes())
    }

    fn violation(method: &str, path: &str, query: Option<&str>, body: &str) -> String {
        match judge(method, path, query, body) {
            Verdict::Invalid(v) => v,
            _ => panic!("{method} {path} {query:?} {body} was not refused"),
        }
    }

    #[test]
    fn requests_are_matched_to_operations() {
        let list = "/v3/p/nodes/n%2F1/sessions";
        match judge("GET", list, Some("limit=20&offset=0&namespace=a+b"), "") {
            Verdict::Operation {
                operation_id,
                path,
                query,
            } => {
                assert_eq!(operation_id, "ListSessions");
                assert_eq!(path["node_id"], "n/1");
                assert_eq!(query["namespace"], "a b");
            }
            _ => panic!(),
        }
        assert!(matches!(
            judge(
                "POST",
                "/v3/p/nodes/n/session",
                None,
                r#"{"sessions":["1"]}"#
            ),
            Verdict::Operation { .. }
        ));
        assert!(matches!(
            judge("GET", "/v3/p/nodes/n/nothing", None, ""),
            Verdict::UnknownPath
        ));
        assert!(matches!(
            judge("GET", "/v3/p/nodes//sessions", None, ""),
            Verdict::UnknownPath
        ));
        assert!(
            matches!(judge("DELETE", "/v3/p/nodes/n/session", None, ""), Verdict::WrongMethod(m) if m == ["POST"])
        );
    }

    #[test]
    fn violations_name_the_element() {
        let list = "/v3/p/nodes/n/sessions";
        let kill = "/v3/p/nodes/n/session";
        let cases = [
            (
                "GET",
                list,
                Some("limit=21"),
                "",
                "query parameter limit: 21 is greater than the maximum of 20",
            ),
            (
                "GET",
                list,
                Some("limit=0"),
                "",
                "query parameter limit: 0 is less than the minimum of 1",
            ),
            (
                "GET",
                list,
                Some("offset=-1"),
                "",
                "query parameter offset: -1 is less than the minimum of 0",
            ),
            (
                "GET",
                list,
                Some("limit=ten"),
                "",
                "query parameter limit: \"ten\" is not an integer",
            ),
            (
                "GET",
                list,
                Some("cost_time=99999999999"),
                "",
                "query parameter cost_time: 99999999999 is outside the 32-bit integer range",
            ),
            ("POST", kill, None, "", "the request body is required"),
            ("POST", kill, None, "{", "the request body is not JSON"),
            (
                "POST",
                kill,
                None,
                "{}",
                "body: the required property sessions is missing",
            ),
            (
                "POST",
                kill,
                None,
                r#"{"sessions":[]}"#,
                "body.sessions: has 0 items, fewer than the minimum of 1",
            ),
            (
                "POST",
                kill,
                None,
                r#"{"sessions":[1]}"#,
                "body.sessions[0]: 1 is not a string",
            ),
            (
                "POST",
                kill,
                None,
                r#"{"sessions":"1"}"#,
                "body.sessions: \"1\" is not an array",
            ),
            (
                "GET",
                list,
                None,
                "{}",
                "this operation takes no request body",
            ),
        ];
        for (method, path, query, body, expected) in cases {
            let got = violation(method, path, query, body);
            assert!(got.starts_with(expected), "{got:?} vs {expected:?}");
        }
    }

    #[test]
    fn content_type_is_checked() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/plain"),
        );
        let verdict = SpecCheck::new().unwrap().judge(
            "POST",
            "/v3/p/nodes/n/session",
            None,
            &headers,
            br#"{"sessions":["1"]}"#,
        );
        assert!(matches!(verdict, Verdict::Invalid(v) if v.contains("Content-Type")));
    }
}

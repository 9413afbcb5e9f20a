//! The OpenAPI 3.1 document, built from the route table and the request and response types'
//! JSON Schemas, so that it cannot describe a route the server does not have or miss one.

use serde_json::{json, Map, Value};

use crate::error::ErrorBody;
use crate::routes::{table, Access, Surface};

fn path_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_owned)
        .collect()
}

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}})
}

pub fn document() -> Value {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas/".into();
    let mut generator = settings.into_generator();
    let error_ref = generator.subschema_for::<ErrorBody>();
    let _ = error_ref;
    let mut paths: Map<String, Value> = Map::new();
    for route in table() {
        let info = route.info;
        if info.surface != Surface::Api {
            continue;
        }
        let mut op = Map::new();
        op.insert("summary".into(), info.summary.into());
        op.insert(
            "operationId".into(),
            format!(
                "{}{}",
                info.method.as_str().to_lowercase(),
                info.path.replace(['/', '{', '}', '-'], "_")
            )
            .into(),
        );
        let mut params: Vec<Value> = path_params(info.path)
            .into_iter()
            .map(|p| json!({"name": p, "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}))
            .collect();
        if let Some(q) = info.doc.query {
            // A query parameter's schema must stand alone: no reference into definitions
            // that the document does not carry.
            let mut settings = schemars::generate::SchemaSettings::draft2020_12();
            settings.inline_subschemas = true;
            let mut g = settings.into_generator();
            let root = q(&mut g);
            let root = resolve(&root, &g);
            if let Some(props) = root.get("properties").and_then(Value::as_object) {
                let required: Vec<&str> = root
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for (name, schema) in props {
                    let mut s = schema.clone();
                    let description =
                        s.as_object_mut().and_then(|o| o.remove("description")).unwrap_or(Value::Null);
                    params.push(json!({
                        "name": name, "in": "query", "required": required.contains(&name.as_str()),
                        "description": description.as_str().unwrap_or(""), "schema": s,
                    }));
                }
            }
        }
        if !params.is_empty() {
            op.insert("parameters".into(), params.into());
        }
        if let Some(b) = info.doc.request {
            let schema = b(&mut generator);
            op.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": {"schema": schema.as_value()}}}),
            );
        }
        let mut responses = Map::new();
        let success = info.doc.success.to_string();
        match info.doc.response {
            Some(r) => {
                let schema = r(&mut generator);
                responses.insert(
                    success,
                    json!({"description": "success", "content": {"application/json": {"schema": schema.as_value()}}}),
                );
            }
            None => {
                responses.insert(success, json!({"description": "success"}));
            }
        }
        responses
            .insert("400".into(), error_response("the request could not be read (malformed body or query)"));
        if let Access::Officer(permission, _) = info.access {
            op.insert("security".into(), json!([{"bearer": []}]));
            op.insert("x-gapura-permission".into(), permission.as_str().into());
            responses.insert("401".into(), error_response("no valid bearer token"));
            responses.insert("403".into(), error_response("the caller's roles do not allow this here"));
        }
        if !path_params(info.path).is_empty() {
            responses.insert("404".into(), error_response("the record named in the path does not exist"));
        }
        if info.method != axum::http::Method::GET {
            responses.insert("409".into(), error_response("the request conflicts with the current state"));
        }
        if info.doc.request.is_some() {
            responses.insert("413".into(), error_response("the body is too large"));
            responses.insert("415".into(), error_response("the body is not application/json"));
        }
        responses.insert("422".into(), error_response("a field is invalid; `field` names it"));
        if info.doc.limited {
            responses.insert("429".into(), error_response("too many failed attempts; wait and try again"));
        }
        responses.insert("500".into(), error_response("a failure of the server; nothing internal is shown"));
        op.insert("responses".into(), responses.into());
        let entry = paths.entry(info.path.to_owned()).or_insert_with(|| Value::Object(Map::new()));
        if let Some(o) = entry.as_object_mut() {
            o.insert(info.method.as_str().to_lowercase(), Value::Object(op));
        }
    }
    let schemas = generator.take_definitions(true);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Gapura API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Gapura's JSON API for officers' tools and partner agencies. Every endpoint under /api/v1 needs a bearer token; every read of a person's data is recorded in the audit ledger.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token issued in the console (My account) or by `gapura officer token`."}},
        },
    })
}

/// The schema itself when `root` is a reference into `g`'s definitions.
fn resolve(root: &schemars::Schema, g: &schemars::SchemaGenerator) -> Value {
    let v = root.as_value().clone();
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or("");
        if let Some(def) = g.definitions().get(name) {
            return def.clone();
        }
    }
    v
}

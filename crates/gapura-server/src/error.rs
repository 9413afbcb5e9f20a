//! The one error type of the HTTP boundary and its body. A 4xx says exactly what was wrong and
//! where; a 5xx says nothing internal, only the request id under which it was logged.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The body of every 4xx and 5xx answer under `/api`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ErrorBody {
    /// A stable snake_case code, e.g. `invalid_field`, `forbidden`.
    pub code: String,
    /// What was wrong, for a person.
    pub message: String,
    /// The field at fault (`grants[0].scope`, `password`), when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The position at fault in a body that could not be read, as `line:column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
}

/// A refused or failed request.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody { code: code.into(), message: message.into(), field: None, position: None },
        }
    }
    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.body.field = Some(field.into());
        self
    }
    pub fn position(mut self, line: usize, column: usize) -> ApiError {
        self.body.position = Some(format!("{line}:{column}"));
        self
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message).field(field)
    }
    /// A value of the request that cannot be read or is out of its bounds: 400 with the field.
    pub fn bad_input(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message).field(field)
    }
    /// A request refused by a rule of the domain: 422 with the rule's code and the field at
    /// fault, if one is.
    pub fn refused(code: &str, message: impl Into<String>, field: Option<&str>) -> ApiError {
        let e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
        match field {
            Some(f) => e.field(f),
            None => e,
        }
    }
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "this endpoint needs a bearer token: send `Authorization: Bearer <token>`",
        )
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }
    pub fn conflict(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }
    pub fn not_ready() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "the server is starting (migrating or replaying the store); try again shortly",
        )
    }
    /// A failure of ours: logged with its cause under the request id, never shown.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(cause = %cause, "request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the server could not complete the request; it has been logged under the request id in the x-request-id header",
        )
    }
}

impl From<gapura_store::StoreError> for ApiError {
    fn from(e: gapura_store::StoreError) -> ApiError {
        ApiError::internal(&e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"gapura\""));
        }
        r
    }
}

/// Reads a JSON body into `T`, naming the field or the position at fault.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        let message = strip_position(&inner.to_string());
        let err = if inner.is_syntax() || inner.is_eof() {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {message}"),
            )
        } else {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
        };
        let err = err.position(line, column);
        if path == "." || path.is_empty() {
            err
        } else {
            err.field(path)
        }
    })
}

/// Reads a query string into `T`, naming the parameter at fault.
pub fn parse_query<T: serde::de::DeserializeOwned>(query: Option<&str>) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.unwrap_or("").as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let err = ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.into_inner().to_string());
        if path == "." || path.is_empty() {
            err
        } else {
            err.field(path)
        }
    })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

//! The JSON API: credentials, error bodies, officers, tokens, audit.

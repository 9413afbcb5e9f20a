//! Health, readiness, metrics, logs, shutdown.

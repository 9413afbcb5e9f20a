//! The console: login, CSRF, language, pages by role.

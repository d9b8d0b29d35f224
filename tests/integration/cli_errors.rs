//! cli_errors

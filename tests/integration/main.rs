//! The one integration-test binary: each module is a part of the product's specification.

mod support;

mod advice;
mod cli_errors;
mod knowledge_check;

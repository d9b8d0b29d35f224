//! The screens, one file each. Pixels only: every number comes from `crate::domain`.

pub mod wizard;

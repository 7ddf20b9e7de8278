// The generated parts of the ABI crate (see crates/hpy-codegen).
pub mod context;
#[cfg(test)]
pub mod layout;

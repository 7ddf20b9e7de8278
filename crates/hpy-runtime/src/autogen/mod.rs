// The generated parts of the runtime (see crates/hpy-codegen).
pub mod ctx_table;
pub mod not_implemented;
pub mod debug_wrappers;
pub mod trace_wrappers;

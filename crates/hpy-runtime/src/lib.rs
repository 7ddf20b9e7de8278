//! The HPy universal runtime for CPython, importable as `hpy.universal`.
//!
//! In universal mode a handle is the `PyObject *` it refers to (closing is a
//! decref), so passing objects between CPython and HPy code costs nothing.
//! Every context function is `extern "C"`; a Rust panic aborts the process
//! (panic = "abort" in the workspace profiles, and Rust aborts on unwinding
//! out of `extern "C"` anyway), it never unwinds into C.
#![allow(non_snake_case, non_upper_case_globals, clippy::missing_safety_doc)]

mod autogen;
mod buffer;
mod context;
mod ctx;
mod debug;
mod errors;
mod handles;
mod instance;
mod loader;
mod module;
mod pymodule;
mod pyutil;
mod shape;
mod trace;
mod typemeta;
mod typespec;


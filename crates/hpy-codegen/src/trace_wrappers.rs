//! Trace mode: one wrapper per context function that counts the call and
//! measures its duration around the universal implementation.
//!
//! The wrappers pass their own (trace) context on to the universal
//! implementation: only `_HPy_CallRealFunctionFromTrampoline` uses it, to
//! hand it to the HPy function it calls, so that the whole module keeps
//! running in trace mode. Handles are universal handles.
//!
//! `UNTRACED` members are installed without a wrapper, as HPy 0.9.0's trace
//! context does: they keep their key in the counters, always 0.

use crate::runtime_table::universal_impl;
use crate::{banner, Output};
use hpy_api::Api;
use std::collections::BTreeSet;
use std::fmt::Write;

pub fn outputs(api: &Api, implemented: &BTreeSet<String>) -> Vec<Output> {
    vec![Output { path: "crates/hpy-runtime/src/autogen/trace_wrappers.rs", text: wrappers(api, implemented) }]
}

/// `ctx_Dup`-style names of every member, "" for handles, by slot: the keys
/// of `hpy.trace.get_call_counts()` (HPy 0.9.0 uses the same names).
pub fn slot_names(api: &Api) -> String {
    let mut s = format!("pub(crate) static SLOT_NAMES: [&str; {}] = [\n", api.members.len());
    for m in &api.members {
        match m.function() {
            Some(_) => writeln!(s, "    \"{}\",", m.field_name()).unwrap(),
            None => s.push_str("    \"\",\n"),
        }
    }
    s.push_str("];\n");
    s
}

/// A C parameter name as a Rust identifier (C names that are Rust keywords
/// get a trailing underscore).
pub fn rust_ident(name: &str) -> String {
    match name {
        "type" | "impl" | "fn" | "ref" | "self" | "mod" | "use" | "move" | "match" | "loop" | "where" | "crate" | "super"
        | "trait" | "struct" | "enum" | "let" | "mut" | "pub" | "in" | "as" | "box" | "dyn" | "async" | "await" => {
            format!("{name}_")
        }
        other => other.to_string(),
    }
}

/// `ctx: *mut HPyContext, h1: HPy, h2: HPy`
pub fn rust_params(f: &hpy_api::Function) -> String {
    let mut s = String::from("ctx: *mut HPyContext");
    for p in &f.params {
        write!(s, ", {}: {}", rust_ident(&p.name), p.ty.to_rust()).unwrap();
    }
    s
}

pub fn rust_result(f: &hpy_api::Function) -> String {
    if f.result.is_void() {
        String::new()
    } else {
        format!(" -> {}", f.result.to_rust())
    }
}

/// Not counted, as in HPy 0.9.0: the way into an HPy function, which is
/// CPython calling the module, not an API call the module makes (and whose
/// duration would include every traced call). 0.9.0 leaves `HPy_FatalError`
/// untraced too; here it is traced, so that an on-enter function sees it
/// before the abort.
pub const UNTRACED: [&str; 1] = ["ctx_CallRealFunctionFromTrampoline"];

fn wrappers(api: &Api, implemented: &BTreeSet<String>) -> String {
    let mut s = banner("//");
    s.push_str(
        "#![allow(unused_imports, clippy::let_unit_value)]\n\
         use crate::trace::{enter, exit};\n\
         use hpy_abi::*;\n\
         use std::ffi::{c_char, c_int, c_void};\n\n",
    );
    s.push_str("/// Names of the context members as trace mode reports them (\"\" for handles).\n");
    s.push_str(&slot_names(api));
    s.push('\n');
    for (m, f) in api.functions() {
        let field = m.field_name();
        if UNTRACED.contains(&field.as_str()) {
            continue;
        }
        let args: Vec<String> = std::iter::once("ctx".to_string()).chain(f.params.iter().map(|p| rust_ident(&p.name))).collect();
        writeln!(
            s,
            "/// `{}`, counted and timed.\n\
             pub(crate) unsafe extern \"C\" fn trace_{field}({}){} {{\n    \
                 let trace_t0 = enter({slot});\n    \
                 let r = {}({});\n    \
                 exit({slot}, trace_t0);\n    \
                 r\n}}\n",
            f.public_name,
            rust_params(f),
            rust_result(f),
            universal_impl(&field, implemented),
            args.join(", "),
            slot = m.slot,
        )
        .unwrap();
    }
    s.push_str("/// Points every function of `c` to its trace wrapper (the untraced ones to\n/// their universal implementation).\npub(crate) fn install(c: &mut HPyContext) {\n");
    for (m, _) in api.functions() {
        let field = m.field_name();
        if UNTRACED.contains(&field.as_str()) {
            writeln!(s, "    c.{field} = {};", universal_impl(&field, implemented)).unwrap();
        } else {
            writeln!(s, "    c.{field} = trace_{field};").unwrap();
        }
    }
    s.push_str("}\n");
    s
}

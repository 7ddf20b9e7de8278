//! The runtime's slot table: each context member wired to its Rust value.
//!
//! Implementations are found by parsing `crates/hpy-runtime/src/ctx/*.rs`
//! with syn; a function without one gets a generated stub that raises
//! `SystemError` naming it, so a slot is never NULL and adding an
//! implementation without regenerating fails to compile (two definitions).

use crate::{banner, Output};
use hpy_api::{Api, MemberKind};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

pub fn implemented_functions(dir: &Path) -> Result<BTreeSet<String>, String> {
    functions_with_prefix(dir, "ctx_")
}

/// The names starting with `prefix` of the public functions (and of the
/// identifiers inside local macro invocations) of the `.rs` files in `dir`.
pub fn functions_with_prefix(dir: &Path, prefix: &str) -> Result<BTreeSet<String>, String> {
    let mut found = BTreeSet::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for item in file.items {
            match item {
                syn::Item::Fn(f) if matches!(f.vis, syn::Visibility::Public(_)) => {
                    let name = f.sig.ident.to_string();
                    if name.starts_with(prefix) {
                        found.insert(name);
                    }
                }
                // Families of functions come from local macros whose input
                // lists `ctx_Name => PyFunction` pairs.
                syn::Item::Macro(m) => {
                    for tt in m.mac.tokens {
                        if let proc_macro2::TokenTree::Ident(id) = tt {
                            let name = id.to_string();
                            if name.starts_with(prefix) {
                                found.insert(name);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(found)
}

pub fn outputs(api: &Api, implemented: &BTreeSet<String>) -> Vec<Output> {
    vec![
        Output { path: "crates/hpy-runtime/src/autogen/ctx_table.rs", text: table(api, implemented) },
        Output { path: "crates/hpy-runtime/src/autogen/not_implemented.rs", text: stubs(api, implemented) },
    ]
}

/// The pyo3-ffi expression for the object behind a handle's `HPyAPI_CPY` name.
fn ffi_object_expr(name: &str) -> String {
    if name.ends_with("_Type") {
        format!("std::ptr::addr_of_mut!(ffi::{name}).cast::<ffi::PyObject>()")
    } else if name.starts_with("PyExc_") {
        format!("*std::ptr::addr_of!(ffi::{name})")
    } else {
        format!("ffi::{name}()")
    }
}

/// The Rust path of the universal implementation of the context member
/// `field` (a function), as seen from `crate::autogen::*`.
pub fn universal_impl(field: &str, implemented: &BTreeSet<String>) -> String {
    if implemented.contains(field) {
        format!("crate::ctx::{field}")
    } else {
        format!("crate::autogen::not_implemented::{field}")
    }
}

fn table(api: &Api, implemented: &BTreeSet<String>) -> String {
    let mut s = banner("//");
    let count = api.functions().filter(|(m, _)| implemented.contains(&m.field_name())).count();
    writeln!(s, "// Implemented: {count} of {} context functions.\n", api.functions().count()).unwrap();
    s.push_str(
        "use hpy_abi::*;\nuse pyo3_ffi as ffi;\nuse std::ffi::c_char;\n\n\
         /// The universal context. Handles of builtin objects are borrowed:\n\
         /// those objects live as long as the interpreter.\n\
         pub(crate) unsafe fn new_universal_context(name: *const c_char) -> HPyContext {\n    HPyContext {\n        name,\n        _private: std::ptr::null_mut(),\n        abi_version: HPY_ABI_VERSION as _,\n",
    );
    for m in &api.members {
        let field = m.field_name();
        match (&m.kind, &m.cpython) {
            (MemberKind::Handle { .. }, Some(obj)) => {
                writeln!(s, "        {field}: crate::handles::borrowed({}),", ffi_object_expr(obj)).unwrap()
            }
            (MemberKind::Handle { name }, None) => writeln!(s, "        {field}: crate::ctx::handle_{name}(),").unwrap(),
            (MemberKind::Function(_), _) if implemented.contains(&field) => {
                writeln!(s, "        {field}: crate::ctx::{field},").unwrap()
            }
            (MemberKind::Function(_), _) => writeln!(s, "        {field}: super::not_implemented::{field},").unwrap(),
        }
    }
    s.push_str("    }\n}\n");
    s
}

fn stubs(api: &Api, implemented: &BTreeSet<String>) -> String {
    let mut s = banner("//");
    s.push_str(
        "#![allow(unused_imports)]\nuse crate::errors::{raise_not_implemented, ErrorValue};\nuse hpy_abi::*;\nuse std::ffi::{c_char, c_int, c_void};\n\n",
    );
    for (m, f) in api.functions().filter(|(m, _)| !implemented.contains(&m.field_name())) {
        let params: String = f.params.iter().map(|p| format!(", _: {}", p.ty.to_rust())).collect();
        let ret = if f.result.is_void() { String::new() } else { format!(" -> {}", f.result.to_rust()) };
        writeln!(
            s,
            "pub unsafe extern \"C\" fn {}(_: *mut HPyContext{params}){ret} {{\n    raise_not_implemented(\"{}\");\n    ErrorValue::error_value()\n}}\n",
            m.field_name(),
            f.public_name
        )
        .unwrap();
    }
    s
}

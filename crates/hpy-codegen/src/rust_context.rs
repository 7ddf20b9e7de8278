//! The Rust `#[repr(C)]` twin of `struct _HPyContext_s`.

use crate::{banner, Output};
use hpy_api::{Api, Function, MemberKind};
use std::fmt::Write;

pub fn outputs(api: &Api) -> Vec<Output> {
    vec![Output { path: "crates/hpy-abi/src/autogen/context.rs", text: context(api) }]
}

/// `unsafe extern "C" fn(*mut HPyContext, HPy) -> HPy`
pub fn fn_pointer_type(f: &Function) -> String {
    let mut s = String::from("unsafe extern \"C\" fn(*mut HPyContext");
    for p in &f.params {
        write!(s, ", {}", p.ty.to_rust()).unwrap();
    }
    s.push(')');
    if !f.result.is_void() {
        write!(s, " -> {}", f.result.to_rust()).unwrap();
    }
    s
}

fn context(api: &Api) -> String {
    let mut s = banner("//");
    s.push_str(
        "use crate::*;\n#[allow(unused_imports)]\nuse std::ffi::{c_char, c_int, c_void};\n\n\
         /// The function table and constants every universal module calls through.\n\
         #[repr(C)]\npub struct HPyContext {\n    pub name: *const c_char,\n    pub _private: *mut c_void,\n    pub abi_version: c_int,\n",
    );
    for m in &api.members {
        match &m.kind {
            MemberKind::Handle { name } => writeln!(s, "    /// slot {}\n    pub {name}: HPy,", m.slot).unwrap(),
            MemberKind::Function(f) => {
                writeln!(s, "    /// slot {}: `{}`\n    pub ctx_{}: {},", m.slot, f.public_name, f.ctx_name, fn_pointer_type(f))
                    .unwrap()
            }
        }
    }
    s.push_str("}\n");
    s
}

//! Debug mode: the wrappers of the context functions that map 1:1 onto a
//! universal function.
//!
//! A generated wrapper checks that its context may be used here (the current
//! HPy call of this thread, with the GIL), unwraps every `HPy` argument from a
//! debug handle into the universal handle it wraps (reporting closed and
//! unknown handles), calls the universal implementation with the universal
//! context, and opens a new debug handle for a returned `HPy`.
//!
//! Functions whose parameters or result carry handles in another form
//! (arrays of handles, builders, trackers, fields, globals, type spec
//! parameters, `const char *` into an object) cannot be wrapped this way:
//! they are written by hand as `pub unsafe extern "C" fn debug_ctx_<Name>` in
//! `crates/hpy-runtime/src/debug/*.rs`, found by parsing those files. A
//! function of neither kind is an error of the generator, so a new API
//! function never silently escapes debug mode.

use crate::runtime_table::universal_impl;
use crate::trace_wrappers::{rust_ident, rust_params, rust_result};
use crate::{banner, Output};
use hpy_api::{Api, CType, Function, MemberKind};
use std::collections::BTreeSet;
use std::fmt::Write;

pub fn outputs(api: &Api, implemented: &BTreeSet<String>, hand_written: &BTreeSet<String>) -> Result<Vec<Output>, String> {
    Ok(vec![Output {
        path: "crates/hpy-runtime/src/autogen/debug_wrappers.rs",
        text: wrappers(api, implemented, hand_written)?,
    }])
}

/// Value types that carry no handle: passed through unchanged.
const PLAIN: &[&str] = &[
    "int",
    "char",
    "double",
    "bool",
    "int32_t",
    "uint32_t",
    "int64_t",
    "uint64_t",
    "size_t",
    "wchar_t",
    "HPy_ssize_t",
    "HPy_hash_t",
    "HPy_UCS4",
    "_HPyCapsule_key",
    "HPy_SourceKind",
    "HPyType_BuiltinShape",
    "HPyFunc_Signature",
    "HPyCFunction",
    "cpy_PyObject",
    "HPyType_Spec",
    "HPyCapsule_Destructor",
    "HPyCallFunction",
];

enum Conv {
    Plain,
    Handle,
}

fn param_conv(ty: &CType) -> Option<Conv> {
    match ty {
        CType::Named(n) if n == "HPy" => Some(Conv::Handle),
        CType::Named(n) if PLAIN.contains(&n.as_str()) => Some(Conv::Plain),
        CType::Pointer { to, .. } => match &**to {
            CType::Void => Some(Conv::Plain),
            CType::Pointer { .. } => Some(Conv::Plain), // void **data of _HPy_New
            CType::Named(n) if PLAIN.contains(&n.as_str()) => Some(Conv::Plain),
            _ => None,
        },
        _ => None,
    }
}

fn result_conv(ty: &CType) -> Option<Conv> {
    match ty {
        CType::Void => Some(Conv::Plain),
        // `const char *` results point into an object: their lifetime is the
        // handle's, which debug mode enforces by hand.
        CType::Pointer { to, to_const: true } if matches!(&**to, CType::Named(n) if n == "char") => None,
        other => param_conv(other),
    }
}

/// Why `f` cannot get a generated wrapper, if it cannot.
fn unsupported(f: &Function) -> Option<String> {
    for p in &f.params {
        if param_conv(&p.ty).is_none() {
            return Some(format!("parameter `{}` of type `{}`", p.name, p.ty.to_c("")));
        }
    }
    if result_conv(&f.result).is_none() {
        return Some(format!("result of type `{}`", f.result.to_c("")));
    }
    None
}

fn member_names(api: &Api) -> String {
    let mut s = format!(
        "/// What messages call each context member: the public function, or\n\
         /// `ctx->h_Name` for a handle.\n\
         pub(crate) static MEMBER_NAMES: [&str; {}] = [\n",
        api.members.len()
    );
    for m in &api.members {
        match &m.kind {
            MemberKind::Handle { name } => writeln!(s, "    \"ctx->{name}\",").unwrap(),
            MemberKind::Function(f) => writeln!(s, "    \"{}\",", f.public_name).unwrap(),
        }
    }
    s.push_str("];\n\n");
    s
}

fn wrappers(api: &Api, implemented: &BTreeSet<String>, hand_written: &BTreeSet<String>) -> Result<String, String> {
    let fields: BTreeSet<String> = api.functions().map(|(m, _)| format!("debug_{}", m.field_name())).collect();
    if let Some(stray) = hand_written.difference(&fields).next() {
        return Err(format!("crates/hpy-runtime/src/debug: {stray} is not the debug wrapper of a context function"));
    }
    let mut s = banner("//");
    s.push_str(
        "#![allow(unused_imports)]\n\
         use crate::debug::{entered, open, uctx, unwrap};\n\
         use crate::errors::ErrorValue;\n\
         use hpy_abi::*;\n\
         use std::ffi::{c_char, c_int, c_void};\n\n",
    );
    s.push_str(&member_names(api));
    s.push_str("/// The slot number of each context function, by its context name.\n#[allow(dead_code)]\npub(crate) mod slot {\n");
    for (m, f) in api.functions() {
        writeln!(s, "    pub const {}: usize = {};", f.ctx_name, m.slot).unwrap();
    }
    s.push_str("}\n\n");
    let mut generated = 0;
    for (m, f) in api.functions() {
        let field = m.field_name();
        if hand_written.contains(&format!("debug_{field}")) {
            continue;
        }
        if let Some(why) = unsupported(f) {
            return Err(format!(
                "api/hpy_api.h:{}: {} needs a hand-written debug wrapper `pub unsafe extern \"C\" fn debug_{field}` \
                 in crates/hpy-runtime/src/debug/ ({why} cannot be converted generically)",
                m.line, f.public_name
            ));
        }
        generated += 1;
        let slot = m.slot;
        writeln!(s, "/// `{}`.\npub(crate) unsafe extern \"C\" fn debug_{field}({}){} {{", f.public_name, rust_params(f), rust_result(f))
            .unwrap();
        writeln!(s, "    if !entered(ctx, {slot}) {{\n        return ErrorValue::error_value();\n    }}").unwrap();
        for p in f.params.iter().filter(|p| p.ty.is_handle()) {
            writeln!(
                s,
                "    let Some({r}) = unwrap({r}, {slot}, \"{n}\") else {{\n        return ErrorValue::error_value();\n    }};",
                r = rust_ident(&p.name),
                n = p.name
            )
            .unwrap();
        }
        let args: Vec<String> = std::iter::once("uctx()".to_string()).chain(f.params.iter().map(|p| rust_ident(&p.name))).collect();
        let call = format!("{}({})", universal_impl(&field, implemented), args.join(", "));
        if f.result.is_handle() {
            writeln!(s, "    open(ctx, {call}, {slot})\n}}\n").unwrap();
        } else {
            writeln!(s, "    {call}\n}}\n").unwrap();
        }
    }
    writeln!(
        s,
        "/// Generated wrappers: {generated}; hand-written (crate::debug): {}.\n\
         pub(crate) fn install(c: &mut HPyContext) {{",
        hand_written.len()
    )
    .unwrap();
    for (m, _) in api.functions() {
        let field = m.field_name();
        if hand_written.contains(&format!("debug_{field}")) {
            writeln!(s, "    c.{field} = crate::debug::debug_{field};").unwrap();
        } else {
            writeln!(s, "    c.{field} = debug_{field};").unwrap();
        }
    }
    s.push_str("}\n\n");
    s.push_str(
        "/// Gives the debug context `c` a debug handle for each constant of the\n\
         /// universal context `u` (never closed, never reported as leaks).\n\
         pub(crate) unsafe fn wrap_constants(c: &mut HPyContext, u: &HPyContext) {\n",
    );
    for m in api.handles() {
        let field = m.field_name();
        writeln!(s, "    c.{field} = crate::debug::open_constant(u.{field}, {});", m.slot).unwrap();
    }
    s.push_str("}\n");
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn api() -> Api {
        Api::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../api/hpy_api.h")).unwrap()
    }

    #[test]
    fn functions_with_handles_in_other_forms_need_a_hand_written_wrapper() {
        let err = outputs(&api(), &BTreeSet::new(), &BTreeSet::new()).err().unwrap();
        assert!(err.contains("needs a hand-written debug wrapper"), "{err}");
    }

    #[test]
    fn hand_written_names_must_be_context_functions() {
        let stray: BTreeSet<String> = ["debug_ctx_Nonexistent".to_string()].into();
        let err = outputs(&api(), &BTreeSet::new(), &stray).err().unwrap();
        assert!(err.contains("debug_ctx_Nonexistent"), "{err}");
    }

    #[test]
    fn which_functions_are_generic() {
        let api = api();
        let f = |name: &str| api.functions().find(|(_, f)| f.public_name == name).unwrap().1.clone();
        assert!(unsupported(&f("HPy_Add")).is_none());
        assert!(unsupported(&f("_HPy_New")).is_none());
        assert!(unsupported(&f("HPy_Call")).is_some(), "const HPy *args");
        assert!(unsupported(&f("HPyUnicode_AsUTF8AndSize")).is_some(), "const char * result");
        assert!(unsupported(&f("HPyField_Load")).is_some(), "HPyField");
    }
}

//! ABI facts as code, the libc-ctest way: a C program prints `offsetof` and
//! `sizeof` of every context member and public struct field; the Rust side
//! prints the same from `offset_of!`; tests compare the two, and the C
//! program compiled against upstream's headers, line by line.

use crate::{banner, Output};
use hpy_api::Api;
use std::fmt::Write;

/// Public structs: (C name, [(C field, Rust field path)]). Fields of HPyDef's
/// anonymous union are reached through the Rust union `u`.
const STRUCTS: &[(&str, &[(&str, &str)])] = &[
    ("HPy", &[("_i", "_i")]),
    ("HPyField", &[("_i", "_i")]),
    ("HPyGlobal", &[("_i", "_i")]),
    ("HPyTracker", &[("_i", "_i")]),
    ("HPyThreadState", &[("_i", "_i")]),
    ("HPyListBuilder", &[("_lst", "_lst")]),
    ("HPyTupleBuilder", &[("_tup", "_tup")]),
    ("HPySlot", &[("slot", "slot"), ("impl", "impl_"), ("cpy_trampoline", "cpy_trampoline")]),
    ("HPyMeth", &[("name", "name"), ("impl", "impl_"), ("cpy_trampoline", "cpy_trampoline"), ("signature", "signature"), ("doc", "doc")]),
    ("HPyMember", &[("name", "name"), ("type", "type_"), ("offset", "offset"), ("readonly", "readonly"), ("doc", "doc")]),
    ("HPyGetSet", &[("name", "name"), ("getter_impl", "getter_impl"), ("setter_impl", "setter_impl"), ("getter_cpy_trampoline", "getter_cpy_trampoline"), ("setter_cpy_trampoline", "setter_cpy_trampoline"), ("doc", "doc"), ("closure", "closure")]),
    ("HPyDef", &[("kind", "kind"), ("slot", "u.slot"), ("meth", "u.meth"), ("member", "u.member"), ("getset", "u.getset")]),
    ("HPyModuleDef", &[("doc", "doc"), ("size", "size"), ("legacy_methods", "legacy_methods"), ("defines", "defines"), ("globals", "globals")]),
    ("HPyType_Spec", &[("name", "name"), ("basicsize", "basicsize"), ("itemsize", "itemsize"), ("flags", "flags"), ("builtin_shape", "builtin_shape"), ("legacy_slots", "legacy_slots"), ("defines", "defines"), ("doc", "doc")]),
    ("HPyType_SpecParam", &[("kind", "kind"), ("object", "object")]),
    ("HPyCapsule_Destructor", &[("cpy_trampoline", "cpy_trampoline"), ("impl", "impl_")]),
    ("HPyCallFunction", &[("cpy_trampoline", "cpy_trampoline"), ("impl", "impl_")]),
    ("_HPyFunc_args_NOARGS", &[("self", "self_"), ("result", "result")]),
    ("_HPyFunc_args_O", &[("self", "self_"), ("arg", "arg"), ("result", "result")]),
    ("_HPyFunc_args_VARARGS", &[("self", "self_"), ("args", "args"), ("nargs", "nargs"), ("result", "result")]),
    ("_HPyFunc_args_KEYWORDS", &[("self", "self_"), ("args", "args"), ("nargsf", "nargsf"), ("kwnames", "kwnames"), ("result", "result")]),
    ("_HPyFunc_args_NEWFUNC", &[("self", "self_"), ("args", "args"), ("kw", "kw"), ("result", "result")]),
    ("_HPyFunc_args_INITPROC", &[("self", "self_"), ("args", "args"), ("kw", "kw"), ("result", "result")]),
    ("_HPyFunc_args_RICHCMPFUNC", &[("arg0", "arg0"), ("arg1", "arg1"), ("arg2", "arg2"), ("result", "result")]),
    ("_HPyFunc_args_SSIZESSIZEOBJARGPROC", &[("arg0", "arg0"), ("arg1", "arg1"), ("arg2", "arg2"), ("arg3", "arg3"), ("result", "result")]),
    ("_HPyFunc_args_GETBUFFERPROC", &[("self", "self_"), ("view", "view"), ("flags", "flags"), ("result", "result")]),
    ("_HPyFunc_args_RELEASEBUFFERPROC", &[("self", "self_"), ("view", "view")]),
    ("_HPyFunc_args_TRAVERSEPROC", &[("self", "self_"), ("visit", "visit"), ("arg", "arg"), ("result", "result")]),
    ("HPy_buffer", &[("buf", "buf"), ("obj", "obj"), ("len", "len"), ("itemsize", "itemsize"), ("readonly", "readonly"), ("ndim", "ndim"), ("format", "format"), ("shape", "shape"), ("strides", "strides"), ("suboffsets", "suboffsets"), ("internal", "internal")]),
];

pub fn outputs(api: &Api) -> Vec<Output> {
    vec![
        Output { path: "tests/abi/autogen_layout.c", text: c_program(api) },
        Output { path: "crates/hpy-abi/src/autogen/layout.rs", text: rust_facts(api) },
    ]
}

fn context_fields(api: &Api) -> Vec<String> {
    let mut fields = vec!["name".to_string(), "_private".to_string(), "abi_version".to_string()];
    fields.extend(api.members.iter().map(|m| m.field_name()));
    fields
}

fn c_program(api: &Api) -> String {
    let mut s = banner("//");
    s.push_str("#include <stdio.h>\n#include <stddef.h>\n#include \"hpy.h\"\n\n#define FIELD(T, f) printf(#T \".\" #f \" %zu %zu\\n\", offsetof(T, f), sizeof(((T *)0)->f))\n#define SIZE(T) printf(#T \" size %zu\\n\", sizeof(T))\n\nint main(void)\n{\n");
    s.push_str("    SIZE(HPyContext);\n");
    for f in context_fields(api) {
        writeln!(s, "    FIELD(HPyContext, {f});").unwrap();
    }
    for (name, fields) in STRUCTS {
        writeln!(s, "    SIZE({name});").unwrap();
        for (c, _) in *fields {
            writeln!(s, "    FIELD({name}, {c});").unwrap();
        }
    }
    s.push_str("    return 0;\n}\n");
    s
}

/// Rust twin of the C program's output, one line per fact.
fn rust_facts(api: &Api) -> String {
    let mut s = banner("//");
    s.push_str("use crate::*;\nuse std::mem::{offset_of, size_of};\n\n/// The size of a field, from a pointer that is never read.\nmacro_rules! field_size {\n    ($T:ty, $($f:tt)+) => {{\n        let place = std::mem::MaybeUninit::<$T>::uninit();\n        let p = place.as_ptr();\n        size_of_pointee(unsafe { std::ptr::addr_of!((*p).$($f)+) })\n    }};\n}\n\nfn size_of_pointee<T>(_: *const T) -> usize {\n    size_of::<T>()\n}\n\n/// Lines identical to what tests/abi/autogen_layout.c prints.\npub fn layout_lines() -> Vec<String> {\n    let mut v = Vec::new();\n");
    s.push_str("    v.push(format!(\"HPyContext size {}\", size_of::<HPyContext>()));\n");
    for f in context_fields(api) {
        writeln!(
            s,
            "    v.push(format!(\"HPyContext.{f} {{}} {{}}\", offset_of!(HPyContext, {f}), field_size!(HPyContext, {f})));"
        )
        .unwrap();
    }
    for (name, fields) in STRUCTS {
        writeln!(s, "    v.push(format!(\"{name} size {{}}\", size_of::<{name}>()));").unwrap();
        for (c, r) in *fields {
            let offset = match r.split_once('.') {
                Some((outer, inner)) => format!("offset_of!({name}, {outer}) + offset_of!({name}_{outer}, {inner})"),
                None => format!("offset_of!({name}, {r})"),
            };
            writeln!(
                s,
                "    v.push(format!(\"{name}.{c} {{}} {{}}\", {offset}, field_size!({name}, {r})));"
            )
            .unwrap();
        }
    }
    s.push_str("    v\n}\n");
    s
}

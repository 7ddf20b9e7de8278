//! The generated C headers: the context struct, the universal-ABI
//! trampolines and the cpython-ABI 1:1 implementations.

use crate::{banner, Output};
use hpy_api::{Api, Function, Member, MemberKind};
use std::fmt::Write;

pub fn outputs(api: &Api) -> Vec<Output> {
    vec![
        Output { path: "python/hpy/devel/include/hpy/autogen/ctx.h", text: context_struct(api) },
        Output { path: "python/hpy/devel/include/hpy/autogen/trampolines.h", text: universal_functions(api) },
        Output { path: "python/hpy/devel/include/hpy/autogen/cpython_api.h", text: cpython_functions(api) },
    ]
}

fn c_params(f: &Function) -> String {
    let mut s = String::from("HPyContext *ctx");
    for p in &f.params {
        write!(s, ", {}", p.ty.to_c(&p.name)).unwrap();
    }
    s
}

fn context_struct(api: &Api) -> String {
    let mut s = banner("//");
    s.push_str("struct _HPyContext_s {\n    const char *name;\n    void *_private;\n    int abi_version;\n");
    for m in &api.members {
        match &m.kind {
            MemberKind::Handle { name } => writeln!(s, "    HPy {name}; /* slot {} */", m.slot).unwrap(),
            MemberKind::Function(f) => {
                let decl = f.result.to_c(&format!("(*ctx_{})({})", f.ctx_name, c_params(f)));
                writeln!(s, "    {decl}; /* slot {} */", m.slot).unwrap()
            }
        }
    }
    s.push_str("};\n");
    s
}

fn call_args(f: &Function) -> String {
    let mut s = String::from("ctx");
    for p in &f.params {
        write!(s, ", {}", p.name).unwrap();
    }
    s
}

fn public_signature(f: &Function) -> String {
    f.public_result().to_c(&format!("{}({})", f.public_name, c_params(f)))
}

/// The body line that makes `call` and returns what the public function returns.
fn return_statement(f: &Function, call: &str) -> String {
    if f.returns_null_handle {
        format!("{call};\n    return HPy_NULL;")
    } else if f.result.is_void() {
        format!("{call};")
    } else {
        format!("return {call};")
    }
}

fn universal_functions(api: &Api) -> String {
    let mut s = banner("//");
    for (_, f) in api.functions().filter(|(_, f)| !f.manual_trampoline) {
        let call = format!("ctx->ctx_{}({})", f.ctx_name, call_args(f));
        writeln!(s, "HPyAPI_FUNC {} {{\n    {}\n}}\n", public_signature(f), return_statement(f, &call)).unwrap();
    }
    s
}

/// The Python.h expression for a handle's object: types by address.
pub fn cpython_object_expr(name: &str) -> String {
    if name.ends_with("_Type") {
        format!("(PyObject *)&{name}")
    } else {
        name.to_string()
    }
}

fn cpython_functions(api: &Api) -> String {
    let mut s = banner("//");
    for (m, f) in api.functions() {
        let Some(target) = &m.cpython else { continue };
        let args: Vec<String> = f
            .params
            .iter()
            .map(|p| if p.ty.is_handle() { format!("_h2py({})", p.name) } else { p.name.clone() })
            .collect();
        let call = format!("{target}({})", args.join(", "));
        let call = if f.result.is_handle() { format!("_py2h({call})") } else { call };
        writeln!(s, "HPyAPI_FUNC {} {{\n    (void)ctx;\n    {}\n}}\n", public_signature(f), return_statement(f, &call)).unwrap();
    }
    s.push_str("/* Fill the handle members of the cpython-ABI context; h_Builtins and\n   other handles without a Python.h object are set in hpy/cpython/api_manual.h. */\n");
    s.push_str("static inline void _HPyContext_init_cpython(HPyContext *ctx)\n{\n");
    for m in api.handles() {
        if let (Some(obj), Member { kind: MemberKind::Handle { name }, .. }) = (&m.cpython, m) {
            writeln!(s, "    ctx->{name} = _py2h({});", cpython_object_expr(obj)).unwrap();
        }
    }
    s.push_str("}\n");
    s
}

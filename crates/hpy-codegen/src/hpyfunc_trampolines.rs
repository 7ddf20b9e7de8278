//! The universal-ABI trampolines of every HPyFunc signature: for each, the
//! argument block `_HPyFunc_args_<SIG>` and the macro
//! `_HPyFuncTramp_HPyFunc_<SIG>(SYM, IMPL)` defining the function CPython
//! calls. The helpers they use (`_hpy_direct_ctx`, `_HPyUniv_CALL`, ...) are
//! hand-written in `hpy/universal/hpyfunc_trampolines.h`, which includes the
//! generated file.
//!
//! The blocks are HPy 0.9.0's binary interface (a 0.9.0 runtime reads them
//! field by field, `tests/test_abi_layout.py` compares them with upstream's),
//! so every deviation from "the C parameters, then `result`" is spelled out
//! in the table rather than derived.

use crate::{banner_from, Output};
use std::fmt::Write;

pub fn outputs() -> Vec<Output> {
    vec![Output { path: "python/hpy/devel/include/hpy/autogen/hpyfunc_trampolines.h", text: header() }]
}

const OBJ: &str = "cpy_PyObject *";
const SSIZE: &str = "HPy_ssize_t";
const INT: &str = "int";
const VOID: &str = "void";

/// One parameter of the function CPython calls.
struct Param {
    ty: &'static str,
    name: &'static str,
    /// The block's field for it, `None` when the runtime has no use for it.
    field: Option<Field>,
    /// What the direct path passes to IMPL.
    direct: String,
}

struct Field {
    ty: &'static str,
    name: &'static str,
    init: String,
}

impl Param {
    /// Stored as is; objects reach IMPL as handles, anything else unchanged.
    fn plain(ty: &'static str, name: &'static str) -> Param {
        let direct = if ty == OBJ { format!("_HPyUniv_H({name})") } else { name.to_string() };
        Param { ty, name, field: Some(Field { ty, name, init: name.to_string() }), direct }
    }

    fn direct_as(mut self, expr: &str) -> Param {
        self.direct = expr.to_string();
        self
    }
}

enum Shape {
    /// Packs a block for `ctx_CallRealFunctionFromTrampoline`; with `direct`,
    /// calls IMPL itself first under hpy-rs's universal context.
    Block { direct: bool },
    /// Never called: the macro only has to define SYM.
    Abort,
    /// Hands the runtime the single argument itself instead of a block.
    Argument,
}

struct Sig {
    /// Signature name as in `HPyFunc_<name>`.
    name: &'static str,
    params: Vec<Param>,
    result: &'static str,
    shape: Shape,
    /// Why the row looks the way it does, when it is not the common case.
    why: Option<&'static str>,
}

impl Sig {
    /// The common case: positional parameters `arg0`, `arg1`, ..., a block
    /// of the same fields plus `result`, and the direct path.
    fn positional(name: &'static str, types: &[&'static str], result: &'static str) -> Sig {
        const NAMES: [&str; 4] = ["arg0", "arg1", "arg2", "arg3"];
        let params = types.iter().zip(NAMES).map(|(ty, n)| Param::plain(ty, n)).collect();
        Sig { name, params, result, shape: Shape::Block { direct: true }, why: None }
    }

    fn named(name: &'static str, params: Vec<Param>, result: &'static str) -> Sig {
        Sig { name, params, result, shape: Shape::Block { direct: true }, why: None }
    }

    fn no_direct(mut self) -> Sig {
        self.shape = Shape::Block { direct: false };
        self
    }

    fn why(mut self, why: &'static str) -> Sig {
        self.why = Some(why);
        self
    }

    fn macro_name(&self) -> String {
        match self.shape {
            Shape::Argument => "HPyCapsule_DESTRUCTOR_TRAMPOLINE".to_string(),
            _ => format!("_HPyFuncTramp_HPyFunc_{}", self.name),
        }
    }

    fn block_name(&self) -> String {
        format!("_HPyFunc_args_{}", self.name)
    }
}

fn signatures() -> Vec<Sig> {
    use Param as P;
    let self_ = || P::plain(OBJ, "self");
    let vector = || P::plain("cpy_PyObject *const *", "args").direct_as("(const HPy *)args");
    vec![
        Sig::named("VARARGS", vec![self_(), vector(), P::plain(SSIZE, "nargs").direct_as("(size_t)nargs")], OBJ).why(
            "VARARGS and KEYWORDS use CPython's vectorcall conventions, so the\n   \
             argument array is passed through untouched.",
        ),
        Sig::named(
            "KEYWORDS",
            vec![self_(), vector(), P::plain("size_t", "nargsf").direct_as("_HPyUniv_NARGS(nargsf)"), P::plain(OBJ, "kwnames")],
            OBJ,
        )
        .why(
            "KEYWORDS also serves tp_call and HPyCallFunction, which CPython\n   \
             invokes as a vectorcall: `nargsf` may then carry\n   \
             PY_VECTORCALL_ARGUMENTS_OFFSET, which the runtime masks when it reads\n   \
             the block and the direct path masks itself.",
        ),
        Sig::named("INITPROC", vec![self_(), P::plain(OBJ, "args"), P::plain(OBJ, "kw")], INT)
            .no_direct()
            .why("tp_init and tp_new get a tuple and a dict, which the runtime turns into\n   an array of handles."),
        Sig::named("NEWFUNC", vec![self_(), P::plain(OBJ, "args"), P::plain(OBJ, "kw")], OBJ).no_direct(),
        Sig::named(
            "RICHCMPFUNC",
            vec![P::plain(OBJ, "arg0"), P::plain(OBJ, "arg1"), {
                let op = "(HPy_RichCmpOp)op";
                Param {
                    ty: INT,
                    name: "op",
                    field: Some(Field { ty: "HPy_RichCmpOp", name: "arg2", init: op.to_string() }),
                    direct: op.to_string(),
                }
            }],
            OBJ,
        )
        .why("CPython passes the comparison as an int; the block stores it already\n   converted to the enum the implementation receives."),
        Sig::named("GETBUFFERPROC", vec![self_(), P::plain("cpy_Py_buffer *", "view"), P::plain(INT, "flags")], INT)
            .no_direct()
            .why("The runtime translates between CPython's Py_buffer and HPy_buffer."),
        Sig::named("RELEASEBUFFERPROC", vec![self_(), P::plain("cpy_Py_buffer *", "view")], VOID).no_direct(),
        Sig::named("TRAVERSEPROC", vec![self_(), P::plain("cpy_visitproc", "visit"), P::plain("void *", "arg")], INT)
            .no_direct()
            .why("The runtime finds the object's struct and wraps CPython's visitor in one\n   that takes HPyField pointers."),
        Sig { name: "DESTROYFUNC", params: vec![], result: VOID, shape: Shape::Abort, why: None }.why(
            "HPy_tp_destroy has no CPython slot: the runtime calls the implementation\n   \
             itself from the type's deallocator. The macro exists only because every\n   \
             HPyDef_SLOT names a trampoline.",
        ),
        Sig::named(
            "MOD_CREATE",
            vec![P::plain(OBJ, "spec"), Param { ty: "cpy_PyModuleDef *", name: "def", field: None, direct: String::new() }],
            OBJ,
        )
        .no_direct()
        .why("Py_mod_create: the PyModuleDef is CPython's, not the module's, so it is\n   not passed on."),
        Sig { name: "CAPSULE_DESTRUCTOR", params: vec![P::plain(OBJ, "capsule")], result: VOID, shape: Shape::Argument, why: None }
            .why("The runtime reads name, pointer and context from the capsule itself."),
        Sig::named("NOARGS", vec![self_()], OBJ),
        Sig::named("O", vec![self_(), P::plain(OBJ, "arg")], OBJ),
        Sig::positional("UNARYFUNC", &[OBJ], OBJ),
        Sig::positional("BINARYFUNC", &[OBJ, OBJ], OBJ),
        Sig::positional("TERNARYFUNC", &[OBJ, OBJ, OBJ], OBJ),
        Sig::positional("INQUIRY", &[OBJ], INT),
        Sig::positional("LENFUNC", &[OBJ], SSIZE),
        Sig::positional("SSIZEARGFUNC", &[OBJ, SSIZE], OBJ),
        Sig::positional("SSIZESSIZEARGFUNC", &[OBJ, SSIZE, SSIZE], OBJ),
        Sig::positional("SSIZEOBJARGPROC", &[OBJ, SSIZE, OBJ], INT),
        Sig::positional("SSIZESSIZEOBJARGPROC", &[OBJ, SSIZE, SSIZE, OBJ], INT),
        Sig::positional("OBJOBJARGPROC", &[OBJ, OBJ, OBJ], INT),
        Sig::positional("FREEFUNC", &["void *"], VOID).no_direct(),
        Sig::positional("GETATTRFUNC", &[OBJ, "char *"], OBJ),
        Sig::positional("GETATTROFUNC", &[OBJ, OBJ], OBJ),
        Sig::positional("SETATTRFUNC", &[OBJ, "char *", OBJ], INT),
        Sig::positional("SETATTROFUNC", &[OBJ, OBJ, OBJ], INT),
        Sig::positional("REPRFUNC", &[OBJ], OBJ),
        Sig::positional("HASHFUNC", &[OBJ], "HPy_hash_t"),
        Sig::positional("GETITERFUNC", &[OBJ], OBJ),
        Sig::positional("ITERNEXTFUNC", &[OBJ], OBJ),
        Sig::positional("DESCRGETFUNC", &[OBJ, OBJ, OBJ], OBJ),
        Sig::positional("DESCRSETFUNC", &[OBJ, OBJ, OBJ], INT),
        Sig::positional("GETTER", &[OBJ, "void *"], OBJ),
        Sig::positional("SETTER", &[OBJ, OBJ, "void *"], INT),
        Sig::positional("OBJOBJPROC", &[OBJ, OBJ], INT),
        Sig::positional("DESTRUCTOR", &[OBJ], VOID),
    ]
}

/// `T name`, or `T *name` for pointer types.
fn decl(ty: &str, name: &str) -> String {
    if ty.ends_with('*') {
        format!("{ty}{name}")
    } else {
        format!("{ty} {name}")
    }
}

/// Lines of a macro body are at most this long before the continuation.
const WIDTH: usize = 77;

/// `prefix` + `items` joined by ", " + `suffix`, broken before an item that
/// would pass WIDTH; continuation lines align with the first item.
fn wrap(prefix: &str, items: &[String], suffix: &str) -> Vec<String> {
    let indent = " ".repeat(prefix.len());
    let mut lines = Vec::new();
    let mut line = prefix.to_string();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 == items.len() { format!("{item}{suffix}") } else { format!("{item},") };
        if i == 0 {
            line.push_str(&piece);
        } else if line.len() + 1 + piece.len() > WIDTH {
            lines.push(std::mem::replace(&mut line, format!("{indent}{piece}")));
        } else {
            line.push(' ');
            line.push_str(&piece);
        }
    }
    if items.is_empty() {
        line.push_str(suffix);
    }
    lines.push(line);
    lines
}

/// A `#define` whose lines end in aligned continuations.
fn define(head: &str, body: &[String]) -> String {
    let mut s = String::new();
    let lines = std::iter::once(format!("#define {head}")).chain(body.iter().cloned()).collect::<Vec<_>>();
    for (i, line) in lines.iter().enumerate() {
        if i + 1 == lines.len() {
            writeln!(s, "{line}").unwrap();
        } else {
            writeln!(s, "{line:<WIDTH$} \\").unwrap();
        }
    }
    s
}

fn block_typedef(sig: &Sig) -> String {
    let mut s = String::from("typedef struct {\n");
    for f in sig.params.iter().filter_map(|p| p.field.as_ref()) {
        writeln!(s, "    {};", decl(f.ty, f.name)).unwrap();
    }
    if sig.result != VOID {
        writeln!(s, "    {};", decl(sig.result, "result")).unwrap();
    }
    writeln!(s, "}} {};", sig.block_name()).unwrap();
    s
}

/// The statement of the direct path: IMPL's result converted back, if any.
fn direct_call(sig: &Sig) -> Vec<String> {
    let mut args = vec!["_hpy_dctx".to_string()];
    args.extend(sig.params.iter().map(|p| p.direct.clone()));
    let pad = "            ";
    match sig.result {
        OBJ => wrap(&format!("{pad}return _HPyUniv_PY(IMPL("), &args, "));"),
        VOID => wrap(&format!("{pad}{{ IMPL("), &args, "); return; }"),
        _ => wrap(&format!("{pad}return IMPL("), &args, ");"),
    }
}

/// `static RESULT NAME(PARAMS)` and its opening brace.
fn function_head(sig: &Sig, attrs: &str, name: &str) -> Vec<String> {
    let params: Vec<String> = sig.params.iter().map(|p| decl(p.ty, p.name)).collect();
    let mut head = wrap(&format!("    static {attrs}{}", decl(sig.result, &format!("{name}("))), &params, ")");
    head.push("    {".to_string());
    head
}

/// The path HPy 0.9.0's ABI prescribes: pack the block, let the runtime call.
fn via_runtime(sig: &Sig) -> Vec<String> {
    let mut body = Vec::new();
    let mut inits: Vec<String> = sig.params.iter().filter_map(|p| p.field.as_ref()).map(|f| f.init.clone()).collect();
    if sig.result != VOID {
        inits.push("0".to_string());
    }
    body.extend(wrap(&format!("        {} a = {{ ", sig.block_name()), &inits, " };"));
    for p in sig.params.iter().filter(|p| p.field.is_none()) {
        body.push(format!("        (void){};", p.name));
    }
    body.push(format!("        _HPyUniv_CALL(HPyFunc_{}, IMPL, &a);", sig.name));
    if sig.result != VOID {
        body.push("        return a.result;".to_string());
    }
    body
}

fn trampoline(sig: &Sig) -> String {
    let macro_head = format!("{}(SYM, IMPL)", sig.macro_name());
    let mut body = Vec::new();
    match sig.shape {
        Shape::Abort => {
            return define(&macro_head, &[format!("    static {} {{ abort(); }}", decl(sig.result, "SYM(void)"))]);
        }
        Shape::Argument => {
            body.extend(function_head(sig, "", "SYM"));
            body.push(format!("        _HPyUniv_CALL(HPyFunc_{}, IMPL, {});", sig.name, sig.params[0].name));
        }
        Shape::Block { direct: false } => {
            body.extend(function_head(sig, "", "SYM"));
            body.extend(via_runtime(sig));
        }
        // The runtime's path lives in a function of its own, out of line, so
        // that the direct path needs no stack frame and ends in a tail call.
        Shape::Block { direct: true } => {
            body.extend(function_head(sig, "_HPy_COLD ", "SYM##_via_runtime"));
            body.extend(via_runtime(sig));
            body.push("    }".to_string());
            body.extend(function_head(sig, "", "SYM"));
            body.push("        HPyContext *_hpy_dctx = _hpy_direct_ctx;".to_string());
            body.push("        if (_HPy_LIKELY(_hpy_dctx != NULL))".to_string());
            body.extend(direct_call(sig));
            let names: Vec<String> = sig.params.iter().map(|p| p.name.to_string()).collect();
            let ret = if sig.result == VOID { "        " } else { "        return " };
            body.extend(wrap(&format!("{ret}SYM##_via_runtime("), &names, ");"));
        }
    }
    body.push("    }".to_string());
    define(&macro_head, &body)
}

fn header() -> String {
    let mut s = banner_from("//", "crates/hpy-codegen/src/hpyfunc_trampolines.rs");
    for sig in signatures() {
        if let Some(why) = sig.why {
            writeln!(s, "/* {why} */").unwrap();
        }
        if let Shape::Block { .. } = sig.shape {
            s.push_str(&block_typedef(&sig));
        }
        s.push_str(&trampoline(&sig));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signature_once() {
        let sigs = signatures();
        let mut names: Vec<_> = sigs.iter().map(|s| s.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), sigs.len());
    }}

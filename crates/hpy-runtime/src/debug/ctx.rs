//! Hand-written debug wrappers: closing handles, functions taking arrays of
//! handles, `_HPy_AsStruct_*`, and leaving / re-entering Python execution.

use super::report::{self, describe, Family, Outcome};
use super::{entered, frame, func_of, info, open, set_frame, st, uctx, unwrap, unwrap_or_abort, Found, Kind, State};
use crate::autogen::debug_wrappers::slot;
use crate::handles::h2py;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_void;

/// The name of a parameter in reports: `Tracked(k)` is the k-th handle of
/// a tracker (formatted only when a report needs it).
#[derive(Clone, Copy)]
pub(crate) enum Param<'a> {
    Name(&'a str),
    Tracked(usize),
}

impl std::fmt::Display for Param<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Param::Name(n) => f.write_str(n),
            Param::Tracked(k) => write!(f, "tracked handle #{k}"),
        }
    }
}

/// Closes the debug handle `h` on behalf of the API function `by`, called
/// in the HPy function `func`, and releases its object. Misuse (closing
/// twice, closing an argument or a constant, closing something that is not
/// a handle) is reported and nothing is released; false when the report
/// raised.
#[inline]
pub(crate) unsafe fn close_handle(h: HPy, by: usize, func: usize, param: Param) -> bool {
    if h.is_null() {
        return true;
    }
    let d = st();
    if let Found::Live(i) = d.handles.find(h._i) {
        let r = &d.handles.slots[i].rec;
        if r.state == State::Open && r.kind == Kind::Owned {
            super::close_release(i, by as u16, func);
            return true;
        }
    }
    bad_close(h, by, param)
}

#[cold]
#[inline(never)]
unsafe fn bad_close(h: HPy, by: usize, param: Param) -> bool {
    let d = st();
    let what = match d.handles.find(h._i) {
        Found::Live(i) => {
            let r = &d.handles.slots[i].rec;
            match (r.state, r.kind) {
                (State::Open, Kind::Owned) => unreachable!("closed by close_handle"),
                (State::Open, Kind::Argument) => format!(
                    "'{param}' is an argument of the HPy function: it belongs to the caller, which closes it (HPy_Dup it to get a handle of your own)"
                ),
                (State::Open, Kind::Constant) => format!("'{param}' is a constant of the context: it must never be closed"),
                (State::Closed, _) => format!("'{param}' is a handle that is already closed (closed twice)"),
                (State::Free, _) => format!("'{param}' is not an open handle"),
            }
        }
        Found::Stale => format!("'{param}' is a handle that was closed long ago (closed twice)"),
        Found::Unknown => format!("'{param}' is not a handle that debug mode ever opened"),
    };
    report::misuse(Family::Handle, by, &what, &describe(h._i), true) == Outcome::Continue
}

pub unsafe extern "C" fn debug_ctx_Close(ctx: *mut HPyContext, h: HPy) {
    // The usual case inline; NULL and every misuse in `slow`.
    if info(ctx).token == super::thread_token() {
        if let Some((i, r)) = super::open_slot(h) {
            if r.kind == Kind::Owned {
                return super::close_release(i, slot::Close as u16, func_of(ctx));
            }
        }
    }
    slow(ctx, h);

    #[inline(never)]
    unsafe fn slow(ctx: *mut HPyContext, h: HPy) {
        if entered(ctx, slot::Close) {
            close_handle(h, slot::Close, func_of(ctx), Param::Name("h"));
        }
    }
}

/// The universal handles of an array of debug handles: on the stack for the
/// usual few, filled in place (no copy of the buffer).
pub(crate) struct Unwrapped {
    inline: std::mem::MaybeUninit<[HPy; 8]>,
    heap: Vec<HPy>,
}

impl Unwrapped {
    #[inline(always)]
    pub fn new() -> Unwrapped {
        Unwrapped { inline: std::mem::MaybeUninit::uninit(), heap: Vec::new() }
    }

    /// Unwraps the `n` handles at `p` (the `param` array of `slot`): the
    /// universal array, or None when a misuse was raised.
    #[inline]
    pub unsafe fn fill(&mut self, p: *const HPy, n: usize, slot: usize, param: &str) -> Option<*mut HPy> {
        let out: *mut HPy = if n <= 8 {
            self.inline.as_mut_ptr().cast()
        } else {
            self.heap.reserve_exact(n);
            self.heap.as_mut_ptr()
        };
        for i in 0..n {
            *out.add(i) = unwrap_item(*p.add(i), i, slot, param)?;
        }
        Some(out)
    }
}

#[inline(always)]
unsafe fn unwrap_item(h: HPy, i: usize, slot: usize, param: &str) -> Option<HPy> {
    if let Some(u) = super::open_obj(h) {
        return Some(u);
    }
    if h.is_null() {
        return Some(HPy::NULL);
    }
    bad_item(h, i, slot, param)
}

#[cold]
#[inline(never)]
unsafe fn bad_item(h: HPy, i: usize, slot: usize, param: &str) -> Option<HPy> {
    unwrap(h, slot, &format!("{param}[{i}]"))
}

/// The number of keyword names in a universal `kwnames` (0 if not a tuple:
/// the universal function then raises the error).
unsafe fn kw_count(kwnames: HPy) -> usize {
    let k = h2py(kwnames);
    if !k.is_null() && ffi::PyTuple_Check(k) != 0 {
        ffi::PyTuple_GET_SIZE(k) as usize
    } else {
        0
    }
}

pub unsafe extern "C" fn debug_ctx_Call(ctx: *mut HPyContext, callable: HPy, args: *const HPy, nargs: usize, kwnames: HPy) -> HPy {
    if !entered(ctx, slot::Call) {
        return HPy::NULL;
    }
    let Some(c) = unwrap(callable, slot::Call, "callable") else { return HPy::NULL };
    let Some(k) = unwrap(kwnames, slot::Call, "kwnames") else { return HPy::NULL };
    let mut u = Unwrapped::new();
    let Some(items) = u.fill(args, nargs + kw_count(k), slot::Call, "args") else { return HPy::NULL };
    open(ctx, crate::ctx::ctx_Call(uctx(), c, items, nargs, k), slot::Call)
}

pub unsafe extern "C" fn debug_ctx_CallMethod(ctx: *mut HPyContext, name: HPy, args: *const HPy, nargs: usize, kwnames: HPy) -> HPy {
    if !entered(ctx, slot::CallMethod) {
        return HPy::NULL;
    }
    let Some(n) = unwrap(name, slot::CallMethod, "name") else { return HPy::NULL };
    let Some(k) = unwrap(kwnames, slot::CallMethod, "kwnames") else { return HPy::NULL };
    let mut u = Unwrapped::new();
    let Some(items) = u.fill(args, nargs + kw_count(k), slot::CallMethod, "args") else { return HPy::NULL };
    open(ctx, crate::ctx::ctx_CallMethod(uctx(), n, items, nargs, k), slot::CallMethod)
}

pub unsafe extern "C" fn debug_ctx_Tuple_FromArray(ctx: *mut HPyContext, items: *mut HPy, n: HPy_ssize_t) -> HPy {
    if !entered(ctx, slot::Tuple_FromArray) {
        return HPy::NULL;
    }
    let mut u = Unwrapped::new();
    let Some(a) = u.fill(items, n.max(0) as usize, slot::Tuple_FromArray, "items") else { return HPy::NULL };
    open(ctx, crate::ctx::ctx_Tuple_FromArray(uctx(), a, n), slot::Tuple_FromArray)
}

pub unsafe extern "C" fn debug_ctx_Type_GenericNew(ctx: *mut HPyContext, type_: HPy, args: *const HPy, nargs: HPy_ssize_t, kw: HPy) -> HPy {
    let s = slot::Type_GenericNew;
    if !entered(ctx, s) {
        return HPy::NULL;
    }
    let Some(t) = unwrap(type_, s, "type") else { return HPy::NULL };
    let Some(k) = unwrap(kw, s, "kw") else { return HPy::NULL };
    let mut u = Unwrapped::new();
    let Some(a) = u.fill(args, nargs.max(0) as usize, s, "args") else { return HPy::NULL };
    open(ctx, crate::ctx::ctx_Type_GenericNew(uctx(), t, a, nargs, k), s)
}

/// The parameters carry handles (bases, metaclass): a universal copy.
pub unsafe extern "C" fn debug_ctx_Type_FromSpec(ctx: *mut HPyContext, spec: *mut HPyType_Spec, params: *mut HPyType_SpecParam) -> HPy {
    let s = slot::Type_FromSpec;
    if !entered(ctx, s) {
        return HPy::NULL;
    }
    if params.is_null() {
        return open(ctx, crate::ctx::ctx_Type_FromSpec(uctx(), spec, params), s);
    }
    let mut uparams = Vec::new();
    let mut p = params;
    loop {
        let kind = (*p).kind;
        let Some(object) = unwrap((*p).object, s, "params[].object") else { return HPy::NULL };
        uparams.push(HPyType_SpecParam { kind, object });
        if kind == 0 {
            break;
        }
        p = p.add(1);
    }
    open(ctx, crate::ctx::ctx_Type_FromSpec(uctx(), spec, uparams.as_mut_ptr()), s)
}

pub unsafe extern "C" fn debug_ctx_ContextVar_Get(ctx: *mut HPyContext, context_var: HPy, default_value: HPy, result: *mut HPy) -> i32 {
    let s = slot::ContextVar_Get;
    if !entered(ctx, s) {
        return -1;
    }
    let Some(v) = unwrap(context_var, s, "context_var") else { return -1 };
    let Some(dv) = unwrap(default_value, s, "default_value") else { return -1 };
    if result.is_null() {
        return crate::ctx::ctx_ContextVar_Get(uctx(), v, dv, result);
    }
    let mut u = HPy::NULL;
    let r = crate::ctx::ctx_ContextVar_Get(uctx(), v, dv, &mut u);
    *result = open(ctx, u, s);
    r
}

// ---- _HPy_AsStruct_* ------------------------------------------------------------

fn shape_name(s: HPyType_BuiltinShape) -> &'static str {
    match s {
        HPyType_BuiltinShape_Legacy => "HPyType_BuiltinShape_Legacy",
        HPyType_BuiltinShape_Object => "HPyType_BuiltinShape_Object",
        HPyType_BuiltinShape_Type => "HPyType_BuiltinShape_Type",
        HPyType_BuiltinShape_Long => "HPyType_BuiltinShape_Long",
        HPyType_BuiltinShape_Float => "HPyType_BuiltinShape_Float",
        HPyType_BuiltinShape_Unicode => "HPyType_BuiltinShape_Unicode",
        HPyType_BuiltinShape_Tuple => "HPyType_BuiltinShape_Tuple",
        HPyType_BuiltinShape_List => "HPyType_BuiltinShape_List",
        _ => "an unknown shape",
    }
}

/// The struct of an object whose type has the builtin shape `expected`.
/// The caller cannot see an error (the result is a pointer it uses at
/// once): a closed handle or a wrong shape aborts with a report.
unsafe fn as_struct(
    ctx: *mut HPyContext,
    h: HPy,
    s: usize,
    expected: HPyType_BuiltinShape,
    f: unsafe extern "C" fn(*mut HPyContext, HPy) -> *mut c_void,
) -> *mut c_void {
    if !entered(ctx, s) {
        return std::ptr::null_mut();
    }
    let u = unwrap_or_abort(h, s, "h");
    let o = h2py(u);
    if o.is_null() {
        return f(uctx(), u);
    }
    let actual = crate::typemeta::shape_of(ffi::Py_TYPE(o));
    if actual != expected {
        report::fatal(&format!(
            "HPy debug mode: Invalid usage of {}: the object is a '{}', whose type has the shape {}, not {}: \
             the struct would be read at the wrong place\n  in the HPy function {}\n{}",
            report::api_name(s),
            report::type_name(o),
            shape_name(actual),
            shape_name(expected),
            report::c_function(func_of(ctx)),
            describe(h._i)
        ));
    }
    f(uctx(), u)
}

macro_rules! as_struct_wrappers {
    ($($name:ident => $slot:ident, $shape:ident, $universal:ident;)*) => {$(
        pub unsafe extern "C" fn $name(ctx: *mut HPyContext, h: HPy) -> *mut c_void {
            as_struct(ctx, h, slot::$slot, $shape, crate::ctx::$universal)
        }
    )*};
}

as_struct_wrappers! {
    debug_ctx_AsStruct_Object => AsStruct_Object, HPyType_BuiltinShape_Object, ctx_AsStruct_Object;
    debug_ctx_AsStruct_Legacy => AsStruct_Legacy, HPyType_BuiltinShape_Legacy, ctx_AsStruct_Legacy;
    debug_ctx_AsStruct_Type => AsStruct_Type, HPyType_BuiltinShape_Type, ctx_AsStruct_Type;
    debug_ctx_AsStruct_Long => AsStruct_Long, HPyType_BuiltinShape_Long, ctx_AsStruct_Long;
    debug_ctx_AsStruct_Float => AsStruct_Float, HPyType_BuiltinShape_Float, ctx_AsStruct_Float;
    debug_ctx_AsStruct_Unicode => AsStruct_Unicode, HPyType_BuiltinShape_Unicode, ctx_AsStruct_Unicode;
    debug_ctx_AsStruct_Tuple => AsStruct_Tuple, HPyType_BuiltinShape_Tuple, ctx_AsStruct_Tuple;
    debug_ctx_AsStruct_List => AsStruct_List, HPyType_BuiltinShape_List, ctx_AsStruct_List;
}

// ---- the GIL ----------------------------------------------------------------------

/// From here until HPy_ReenterPythonExecution, every context function
/// called by this thread is reported (it does not hold the GIL).
pub unsafe extern "C" fn debug_ctx_LeavePythonExecution(ctx: *mut HPyContext) -> HPyThreadState {
    if !entered(ctx, slot::LeavePythonExecution) {
        return HPyThreadState { _i: 0 };
    }
    let state = crate::ctx::ctx_LeavePythonExecution(uctx());
    let mut f = frame();
    f.released = true;
    f.released_by = ctx;
    set_frame(f);
    info(ctx).token = 0;
    state
}

pub unsafe extern "C" fn debug_ctx_ReenterPythonExecution(ctx: *mut HPyContext, state: HPyThreadState) {
    let s = slot::ReenterPythonExecution;
    let f = frame();
    if !f.released {
        if entered(ctx, s) {
            report::misuse(
                Family::Context,
                s,
                "called without a matching HPy_LeavePythonExecution: this thread holds the GIL already",
                "",
                true,
            );
        }
        return;
    }
    if ctx != f.released_by {
        report::fatal(&format!(
            "HPy debug mode: HPy_ReenterPythonExecution called with context {ctx:p}, but HPy_LeavePythonExecution \
             was called with {:p}\n  in the HPy function {}\n",
            f.released_by,
            report::c_function(f.func)
        ));
    }
    crate::ctx::ctx_ReenterPythonExecution(uctx(), state);
    set_frame(super::Frame { released: false, released_by: std::ptr::null_mut(), ..f });
    let i = info(ctx);
    i.token = i.owner;
}

/// Prints the debug handle's record, then what `_HPy_Dump` says of its object.
pub unsafe extern "C" fn debug_ctx_Dump(ctx: *mut HPyContext, h: HPy) {
    if !entered(ctx, slot::Dump) {
        return;
    }
    report::write_stderr(&format!("HPy debug mode: _HPy_Dump of a debug handle\n{}", describe(h._i)));
    if let Some(i) = super::open_index(h) {
        let obj = st().handles.slots[i].rec.obj;
        crate::ctx::ctx_Dump(uctx(), HPy { _i: obj as isize });
    }
}

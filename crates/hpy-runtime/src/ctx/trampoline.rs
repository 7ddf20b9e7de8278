//! Calls from CPython into HPy functions of a universal module.
//!
//! The module's trampoline packs CPython's arguments into an
//! `_HPyFunc_args_<SIG>` block and calls `ctx_CallRealFunctionFromTrampoline`;
//! here they are turned into handles (free: a universal handle is the object
//! pointer), the real function is called and its result is stored back.

use crate::errors::set_error;
use crate::handles::{h2py, objects_as_handles, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int, c_void};

type Obj = *mut cpy_PyObject;

#[inline]
fn h(o: Obj) -> HPy {
    py2h(o.cast())
}

#[inline]
fn o(h: HPy) -> Obj {
    h2py(h).cast()
}

/// The items of a tuple as an array of handles, and their count.
unsafe fn tuple_items(t: *mut ffi::PyObject) -> (*const HPy, HPy_ssize_t) {
    if t.is_null() {
        return (std::ptr::null(), 0);
    }
    let items = (*t.cast::<ffi::PyTupleObject>()).ob_item.as_ptr();
    (objects_as_handles(items), ffi::PyTuple_GET_SIZE(t))
}

/// Calls `func` (whose real type is `fn(*mut HPyContext, $($arg),*) -> $ret`)
/// with arguments computed from the block `a`, and stores the result.
macro_rules! dispatch {
    ($ctx:expr, $func:expr, $args:expr, $block:ty, |$a:ident| ($($arg:expr => $t:ty),*) -> $ret:ty => $store:expr) => {{
        let $a = &mut *($args as *mut $block);
        let f: unsafe extern "C" fn(*mut HPyContext $(, $t)*) -> $ret = std::mem::transmute($func);
        let r = f($ctx $(, $arg)*);
        #[allow(clippy::unit_arg)]
        { $store(r) }
    }};
}

/// The four signatures of methods, by far the most frequent calls, are
/// dispatched here; every other one in `call_slot`, out of line, so that
/// what its arms inline (buffer conversion, traversal, ...) costs the calls
/// of methods no stack frame and no saved registers.
pub unsafe extern "C" fn ctx_CallRealFunctionFromTrampoline(
    ctx: *mut HPyContext,
    sig: HPyFunc_Signature,
    func: HPyCFunction,
    args: *mut c_void,
) {
    let Some(func) = func else {
        return null_function();
    };
    let func = func as *const ();
    match sig {
        HPyFunc_NOARGS => dispatch!(ctx, func, args, _HPyFunc_args_NOARGS, |a| (h(a.self_) => HPy) -> HPy => |r| a.result = o(r)),
        HPyFunc_O => dispatch!(ctx, func, args, _HPyFunc_args_O, |a| (h(a.self_) => HPy, h(a.arg) => HPy) -> HPy => |r| a.result = o(r)),
        HPyFunc_VARARGS => dispatch!(ctx, func, args, _HPyFunc_args_VARARGS,
            |a| (h(a.self_) => HPy, objects_as_handles(a.args.cast()) => *const HPy, a.nargs as usize => usize) -> HPy
            => |r| a.result = o(r)),
        HPyFunc_KEYWORDS => dispatch!(ctx, func, args, _HPyFunc_args_KEYWORDS,
            |a| (h(a.self_) => HPy, objects_as_handles(a.args.cast()) => *const HPy,
                 ffi::PyVectorcall_NARGS(a.nargsf) as usize => usize, h(a.kwnames) => HPy) -> HPy
            => |r| a.result = o(r)),
        _ => call_slot(ctx, sig, func, args),
    }
}

#[inline(never)]
unsafe fn call_slot(ctx: *mut HPyContext, sig: HPyFunc_Signature, func: *const (), args: *mut c_void) {
    match sig {
        HPyFunc_NEWFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_NEWFUNC);
            let (items, n) = tuple_items(a.args.cast());
            let f: unsafe extern "C" fn(*mut HPyContext, HPy, *const HPy, HPy_ssize_t, HPy) -> HPy = std::mem::transmute(func);
            a.result = o(f(ctx, h(a.self_), items, n, h(a.kw)));
        }
        HPyFunc_INITPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_INITPROC);
            let (items, n) = tuple_items(a.args.cast());
            let f: unsafe extern "C" fn(*mut HPyContext, HPy, *const HPy, HPy_ssize_t, HPy) -> c_int = std::mem::transmute(func);
            a.result = f(ctx, h(a.self_), items, n, h(a.kw));
        }
        HPyFunc_UNARYFUNC | HPyFunc_REPRFUNC | HPyFunc_GETITERFUNC | HPyFunc_ITERNEXTFUNC => dispatch!(ctx, func, args, _HPyFunc_args_UNARYFUNC,
            |a| (h(a.arg0) => HPy) -> HPy => |r| a.result = o(r)),
        HPyFunc_BINARYFUNC | HPyFunc_GETATTROFUNC => dispatch!(ctx, func, args, _HPyFunc_args_BINARYFUNC,
            |a| (h(a.arg0) => HPy, h(a.arg1) => HPy) -> HPy => |r| a.result = o(r)),
        HPyFunc_TERNARYFUNC | HPyFunc_DESCRGETFUNC => dispatch!(ctx, func, args, _HPyFunc_args_TERNARYFUNC,
            |a| (h(a.arg0) => HPy, h(a.arg1) => HPy, h(a.arg2) => HPy) -> HPy => |r| a.result = o(r)),
        HPyFunc_INQUIRY => dispatch!(ctx, func, args, _HPyFunc_args_INQUIRY, |a| (h(a.arg0) => HPy) -> c_int => |r| a.result = r),
        HPyFunc_LENFUNC => dispatch!(ctx, func, args, _HPyFunc_args_LENFUNC, |a| (h(a.arg0) => HPy) -> HPy_ssize_t => |r| a.result = r),
        HPyFunc_HASHFUNC => dispatch!(ctx, func, args, _HPyFunc_args_HASHFUNC, |a| (h(a.arg0) => HPy) -> HPy_hash_t => |r| a.result = r),
        HPyFunc_SSIZEARGFUNC => dispatch!(ctx, func, args, _HPyFunc_args_SSIZEARGFUNC,
            |a| (h(a.arg0) => HPy, a.arg1 => HPy_ssize_t) -> HPy => |r| a.result = o(r)),
        HPyFunc_SSIZESSIZEARGFUNC => dispatch!(ctx, func, args, _HPyFunc_args_SSIZESSIZEARGFUNC,
            |a| (h(a.arg0) => HPy, a.arg1 => HPy_ssize_t, a.arg2 => HPy_ssize_t) -> HPy => |r| a.result = o(r)),
        HPyFunc_SSIZEOBJARGPROC => dispatch!(ctx, func, args, _HPyFunc_args_SSIZEOBJARGPROC,
            |a| (h(a.arg0) => HPy, a.arg1 => HPy_ssize_t, h(a.arg2) => HPy) -> c_int => |r| a.result = r),
        HPyFunc_SSIZESSIZEOBJARGPROC => dispatch!(ctx, func, args, _HPyFunc_args_SSIZESSIZEOBJARGPROC,
            |a| (h(a.arg0) => HPy, a.arg1 => HPy_ssize_t, a.arg2 => HPy_ssize_t, h(a.arg3) => HPy) -> c_int => |r| a.result = r),
        HPyFunc_OBJOBJARGPROC | HPyFunc_SETATTROFUNC | HPyFunc_DESCRSETFUNC => dispatch!(ctx, func, args, _HPyFunc_args_OBJOBJARGPROC,
            |a| (h(a.arg0) => HPy, h(a.arg1) => HPy, h(a.arg2) => HPy) -> c_int => |r| a.result = r),
        HPyFunc_OBJOBJPROC => dispatch!(ctx, func, args, _HPyFunc_args_OBJOBJPROC,
            |a| (h(a.arg0) => HPy, h(a.arg1) => HPy) -> c_int => |r| a.result = r),
        HPyFunc_GETATTRFUNC => dispatch!(ctx, func, args, _HPyFunc_args_GETATTRFUNC,
            |a| (h(a.arg0) => HPy, a.arg1 => *mut c_char) -> HPy => |r| a.result = o(r)),
        HPyFunc_SETATTRFUNC => dispatch!(ctx, func, args, _HPyFunc_args_SETATTRFUNC,
            |a| (h(a.arg0) => HPy, a.arg1 => *mut c_char, h(a.arg2) => HPy) -> c_int => |r| a.result = r),
        HPyFunc_RICHCMPFUNC => dispatch!(ctx, func, args, _HPyFunc_args_RICHCMPFUNC,
            |a| (h(a.arg0) => HPy, h(a.arg1) => HPy, a.arg2 => HPy_RichCmpOp) -> HPy => |r| a.result = o(r)),
        HPyFunc_GETTER => dispatch!(ctx, func, args, _HPyFunc_args_GETTER,
            |a| (h(a.arg0) => HPy, a.arg1 => *mut c_void) -> HPy => |r| a.result = o(r)),
        HPyFunc_SETTER => dispatch!(ctx, func, args, _HPyFunc_args_SETTER,
            |a| (h(a.arg0) => HPy, h(a.arg1) => HPy, a.arg2 => *mut c_void) -> c_int => |r| a.result = r),
        HPyFunc_DESTRUCTOR => dispatch!(ctx, func, args, _HPyFunc_args_DESTRUCTOR, |a| (h(a.arg0) => HPy) -> () => |_r: ()| ()),
        HPyFunc_TRAVERSEPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_TRAVERSEPROC);
            a.result = crate::instance::call_traverse(std::mem::transmute::<*const (), HPyFunc_traverseproc>(func), a.self_.cast(), a.visit, a.arg);
        }
        HPyFunc_GETBUFFERPROC => crate::buffer::call_getbuffer(ctx, func, &mut *(args as *mut _HPyFunc_args_GETBUFFERPROC)),
        HPyFunc_RELEASEBUFFERPROC => crate::buffer::call_releasebuffer(ctx, func, &mut *(args as *mut _HPyFunc_args_RELEASEBUFFERPROC)),
        HPyFunc_MOD_CREATE => dispatch!(ctx, func, args, _HPyFunc_args_MOD_CREATE, |a| (h(a.spec) => HPy) -> HPy => |r| a.result = o(r)),
        HPyFunc_CAPSULE_DESTRUCTOR => super::capsule::call_capsule_destructor(func, args.cast()),
        other => unsupported(other),
    }
}

// The error paths are out of line, so that the dispatch of every call from
// Python needs no stack frame for their messages.

#[cold]
#[inline(never)]
unsafe fn null_function() {
    set_error(ffi::PyExc_SystemError, "HPy trampoline called with a NULL function");
}

#[cold]
#[inline(never)]
unsafe fn unsupported(sig: HPyFunc_Signature) {
    set_error(ffi::PyExc_SystemError, &format!("HPyFunc_Signature {sig} is not supported by the hpy-rs runtime yet"));
}

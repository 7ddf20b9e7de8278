//! Calls from CPython into HPy functions of a module in debug mode.
//!
//! Each call gets the next context of the ring as this thread's current
//! context; every argument becomes a debug handle borrowed from the caller
//! (closing it, or returning it without `HPy_Dup`, is reported), released
//! when the call returns; the result's debug handle is taken over by the
//! runtime. Then the result protocol is checked: `HPy_NULL` (or -1) only
//! with an exception set, a value only without.

use super::report::{self, describe, Family, Outcome};
use super::{info, next_context, open_argument, replace_frame, st, thread_token, Found, Frame, Kind, State, ORIGIN_ARGUMENT, ORIGIN_RESULT};
use crate::handles::py2h;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int, c_void};
use std::ptr::null_mut;

type Obj = *mut cpy_PyObject;

/// The argument handles of a call, contiguous (arrays of arguments are
/// passed as a slice of them): on the stack for the usual few.
struct Args {
    inline: [HPy; 8],
    n: usize,
    more: Vec<HPy>,
}

impl Args {
    #[inline]
    fn push(&mut self, h: HPy) {
        if self.more.capacity() == 0 && self.n < self.inline.len() {
            self.inline[self.n] = h;
        } else {
            self.spill(h);
        }
        self.n += 1;
    }

    #[cold]
    fn spill(&mut self, h: HPy) {
        if self.more.capacity() == 0 {
            self.more.reserve(2 * self.inline.len());
            self.more.extend_from_slice(&self.inline[..self.n]);
        }
        self.more.push(h);
    }

    #[inline]
    fn all(&self) -> &[HPy] {
        if self.more.capacity() == 0 {
            &self.inline[..self.n]
        } else {
            &self.more
        }
    }
}

/// One HPy call in progress.
struct Call {
    ctx: *mut HPyContext,
    func: usize,
    saved: Frame,
    /// The token of the enclosing call's context, which is not valid while
    /// this call runs.
    saved_token: usize,
    args: Args,
}

impl Call {
    #[inline(always)]
    unsafe fn begin(func: *const ()) -> Call {
        let ctx = next_context();
        let func = func as usize;
        let me = thread_token();
        let i = info(ctx);
        i.owner = me;
        i.token = me;
        i.func = func;
        let saved = replace_frame(Frame { ctx, func, released: false, released_by: null_mut() });
        let mut saved_token = 0;
        if !saved.ctx.is_null() {
            let outer = info(saved.ctx);
            saved_token = outer.token;
            outer.token = 0;
        }
        Call { ctx, func, saved, saved_token, args: Args { inline: [HPy::NULL; 8], n: 0, more: Vec::new() } }
    }

    /// A borrowed debug handle for an argument.
    #[inline]
    unsafe fn arg(&mut self, o: Obj) -> HPy {
        let h = open_argument(o.cast(), self.args.n, self.func);
        self.args.push(h);
        h
    }

    /// The items of a C array of objects as debug handles: where they are
    /// in `self.args` (from, to).
    unsafe fn array(&mut self, items: *const Obj, n: usize) -> (usize, usize) {
        let from = self.args.n;
        for i in 0..n {
            self.arg(*items.add(i));
        }
        (from, self.args.n)
    }

    /// The items of a tuple (or none for NULL) as debug handles.
    unsafe fn tuple(&mut self, t: Obj) -> (usize, usize) {
        let t: *mut ffi::PyObject = t.cast();
        let from = self.args.n;
        if !t.is_null() {
            for i in 0..ffi::PyTuple_GET_SIZE(t) {
                self.arg(ffi::PyTuple_GET_ITEM(t, i).cast());
            }
        }
        (from, self.args.n)
    }

    /// The argument handles `r` (from `array` or `tuple`), for the HPy function.
    #[inline]
    fn slice(&self, r: (usize, usize)) -> *const HPy {
        self.args.all()[r.0..r.1].as_ptr()
    }

    /// Releases the argument handles (their objects belong to the caller)
    /// and restores the previous current context.
    #[inline(always)]
    unsafe fn end(&mut self) {
        let d = st();
        for h in self.args.all() {
            if let Found::Live(i) = d.handles.find(h._i) {
                let r = &d.handles.slots[i].rec;
                if r.state == State::Open && r.kind == Kind::Argument {
                    super::close_rec(i, ORIGIN_ARGUMENT, self.func);
                }
            }
        }
        let i = info(self.ctx);
        i.owner = 0;
        i.token = 0;
        i.func = 0;
        if !self.saved.ctx.is_null() {
            info(self.saved.ctx).token = self.saved_token;
        }
        replace_frame(self.saved);
    }

    /// The object of a returned handle, as a new reference; Err when a
    /// misuse was raised.
    unsafe fn take(&self, h: HPy) -> Result<*mut ffi::PyObject, ()> {
        if h.is_null() {
            return Ok(null_mut());
        }
        let d = st();
        let what = match d.handles.find(h._i) {
            Found::Live(i) => {
                let r = &d.handles.slots[i].rec;
                match (r.state, r.kind) {
                    (State::Open, Kind::Owned) => {
                        let obj = r.obj;
                        super::close_rec(i, ORIGIN_RESULT, self.func);
                        return Ok(obj);
                    }
                    (State::Open, Kind::Argument) => {
                        "returned a handle it received as an argument: arguments belong to the caller (return HPy_Dup(ctx, h))"
                    }
                    (State::Open, Kind::Constant) => {
                        "returned a constant of the context: return HPy_Dup(ctx, ctx->h_...) instead"
                    }
                    _ => "returned a handle that is closed",
                }
            }
            Found::Stale => "returned a handle that was closed long ago",
            Found::Unknown => "returned something that is not an open handle",
        };
        let outcome = report::misuse_in(Family::Handle, self.func, what, &describe(h._i));
        // The callback may have run HPy code: look the handle up again.
        let d = st();
        match outcome {
            Outcome::Continue => match d.handles.find(h._i) {
                // What universal mode would have meant, with the reference
                // the function should have made.
                Found::Live(i) if d.handles.slots[i].rec.state == State::Open => {
                    let obj = d.handles.slots[i].rec.obj;
                    ffi::Py_INCREF(obj);
                    Ok(obj)
                }
                _ => {
                    report::raise_chained(report::class_of(Family::Handle), "the HPy function returned an invalid handle (see the report)");
                    Err(())
                }
            },
            Outcome::Raised => Err(()),
        }
    }

    /// Converts and checks an `HPy` result. `null_ok`: HPy_NULL without an
    /// exception is a valid result (tp_iternext: the end of the iteration).
    unsafe fn object_result(&self, h: HPy, null_ok: bool) -> Obj {
        let Ok(o) = self.take(h) else {
            return null_mut();
        };
        let err = !ffi::PyErr_Occurred().is_null();
        if o.is_null() {
            if !err && !null_ok {
                report::misuse_in(Family::Return, self.func, "returned HPy_NULL without setting an exception", "");
            }
            return null_mut();
        }
        if err {
            if !report::debug_error_pending() {
                let details = format!("    the result: a '{}': {}\n    the pending exception is chained as __context__\n", report::type_name(o), report::safe_repr(o));
                report::misuse_in(Family::Return, self.func, "returned a value while an exception is set", &details);
            }
            ffi::Py_DECREF(o);
            return null_mut();
        }
        o.cast()
    }

    /// Checks an integer result whose errors are the values `is_error` accepts.
    unsafe fn int_result<T: Copy + std::fmt::Display>(&self, r: T, is_error: impl Fn(T) -> bool, error: T) -> T {
        let err = !ffi::PyErr_Occurred().is_null();
        if is_error(r) && !err {
            report::misuse_in(Family::Return, self.func, &format!("returned {r} (an error) without setting an exception"), "");
            return error;
        }
        if !is_error(r) && err {
            return self.value_with_exception(r, "a success", error);
        }
        r
    }

    /// A hash: -1 is an error only with an exception set, and a legitimate
    /// result without one (`obj.__hash__()` returns it; `hash(obj)` is
    /// CPython's to refuse), so only a value with an exception is reported.
    unsafe fn hash_result(&self, r: HPy_hash_t) -> HPy_hash_t {
        if r != -1 && !ffi::PyErr_Occurred().is_null() {
            return self.value_with_exception(r, "a hash", -1);
        }
        r
    }

    /// The function returned `r`, `what`, while an exception is set: reported
    /// (unless debug mode's own error is pending), and `error` returned.
    unsafe fn value_with_exception<T: std::fmt::Display>(&self, r: T, what: &str, error: T) -> T {
        if !report::debug_error_pending() {
            let what = format!("returned {r} ({what}) while an exception is set");
            report::misuse_in(Family::Return, self.func, &what, "    the pending exception is chained as __context__\n");
        }
        error
    }
}

fn negative(r: c_int) -> bool {
    r < 0
}

/// Calls `func`, of real type `fn(ctx, $($t),*) -> $ret`.
macro_rules! call {
    ($c:expr, $func:expr, ($($arg:expr => $t:ty),*) -> $ret:ty) => {{
        let f: unsafe extern "C" fn(*mut HPyContext $(, $t)*) -> $ret = std::mem::transmute($func);
        f($c.ctx $(, $arg)*)
    }};
}

pub unsafe extern "C" fn debug_ctx_CallRealFunctionFromTrampoline(
    ctx: *mut HPyContext,
    sig: HPyFunc_Signature,
    func: HPyCFunction,
    args: *mut c_void,
) {
    let Some(func) = func else {
        crate::errors::set_error(ffi::PyExc_SystemError, "HPy trampoline called with a NULL function");
        return;
    };
    let func = func as *const ();
    if ctx != st().global_ctx && !super::is_debug_context(ctx) {
        crate::errors::set_error(ffi::PyExc_SystemError, "HPy debug mode: trampoline entered with a context that is not a debug context");
        return;
    }
    let mut c = Call::begin(func);
    match sig {
        HPyFunc_NOARGS => {
            let a = &mut *(args as *mut _HPyFunc_args_NOARGS);
            let s = c.arg(a.self_);
            let r = call!(c, func, (s => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_O => {
            let a = &mut *(args as *mut _HPyFunc_args_O);
            let (s, x) = (c.arg(a.self_), c.arg(a.arg));
            let r = call!(c, func, (s => HPy, x => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_VARARGS => {
            let a = &mut *(args as *mut _HPyFunc_args_VARARGS);
            let s = c.arg(a.self_);
            let items = c.array(a.args, a.nargs as usize);
            let r = call!(c, func, (s => HPy, c.slice(items) => *const HPy, a.nargs as usize => usize) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_KEYWORDS => {
            let a = &mut *(args as *mut _HPyFunc_args_KEYWORDS);
            let s = c.arg(a.self_);
            let nargs = ffi::PyVectorcall_NARGS(a.nargsf) as usize;
            let k: *mut ffi::PyObject = a.kwnames.cast();
            let nkw = if k.is_null() { 0 } else { ffi::PyTuple_GET_SIZE(k) as usize };
            let items = c.array(a.args, nargs + nkw);
            let kw = c.arg(a.kwnames);
            let r = call!(c, func, (s => HPy, c.slice(items) => *const HPy, nargs => usize, kw => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_NEWFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_NEWFUNC);
            let s = c.arg(a.self_);
            let items = c.tuple(a.args);
            let kw = c.arg(a.kw);
            let r = call!(c, func, (s => HPy, c.slice(items) => *const HPy, (items.1 - items.0) as HPy_ssize_t => HPy_ssize_t, kw => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_INITPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_INITPROC);
            let s = c.arg(a.self_);
            let items = c.tuple(a.args);
            let kw = c.arg(a.kw);
            let r = call!(c, func, (s => HPy, c.slice(items) => *const HPy, (items.1 - items.0) as HPy_ssize_t => HPy_ssize_t, kw => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_UNARYFUNC | HPyFunc_REPRFUNC | HPyFunc_GETITERFUNC | HPyFunc_ITERNEXTFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_UNARYFUNC);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy) -> HPy);
            a.result = c.object_result(r, sig == HPyFunc_ITERNEXTFUNC);
        }
        HPyFunc_BINARYFUNC | HPyFunc_GETATTROFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_BINARYFUNC);
            let (x, y) = (c.arg(a.arg0), c.arg(a.arg1));
            let r = call!(c, func, (x => HPy, y => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_TERNARYFUNC | HPyFunc_DESCRGETFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_TERNARYFUNC);
            let (x, y, z) = (c.arg(a.arg0), c.arg(a.arg1), c.arg(a.arg2));
            let r = call!(c, func, (x => HPy, y => HPy, z => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_INQUIRY => {
            let a = &mut *(args as *mut _HPyFunc_args_INQUIRY);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_LENFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_LENFUNC);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy) -> HPy_ssize_t);
            a.result = c.int_result(r, |r| r < 0, -1);
        }
        HPyFunc_HASHFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_HASHFUNC);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy) -> HPy_hash_t);
            a.result = c.hash_result(r);
        }
        HPyFunc_SSIZEARGFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_SSIZEARGFUNC);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy, a.arg1 => HPy_ssize_t) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_SSIZESSIZEARGFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_SSIZESSIZEARGFUNC);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy, a.arg1 => HPy_ssize_t, a.arg2 => HPy_ssize_t) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_SSIZEOBJARGPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_SSIZEOBJARGPROC);
            let x = c.arg(a.arg0);
            let z = c.arg(a.arg2);
            let r = call!(c, func, (x => HPy, a.arg1 => HPy_ssize_t, z => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_SSIZESSIZEOBJARGPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_SSIZESSIZEOBJARGPROC);
            let x = c.arg(a.arg0);
            let w = c.arg(a.arg3);
            let r = call!(c, func, (x => HPy, a.arg1 => HPy_ssize_t, a.arg2 => HPy_ssize_t, w => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_OBJOBJARGPROC | HPyFunc_SETATTROFUNC | HPyFunc_DESCRSETFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_OBJOBJARGPROC);
            let (x, y, z) = (c.arg(a.arg0), c.arg(a.arg1), c.arg(a.arg2));
            let r = call!(c, func, (x => HPy, y => HPy, z => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_OBJOBJPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_OBJOBJPROC);
            let (x, y) = (c.arg(a.arg0), c.arg(a.arg1));
            let r = call!(c, func, (x => HPy, y => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_GETATTRFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_GETATTRFUNC);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy, a.arg1 => *mut c_char) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_SETATTRFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_SETATTRFUNC);
            let x = c.arg(a.arg0);
            let z = c.arg(a.arg2);
            let r = call!(c, func, (x => HPy, a.arg1 => *mut c_char, z => HPy) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_RICHCMPFUNC => {
            let a = &mut *(args as *mut _HPyFunc_args_RICHCMPFUNC);
            let (x, y) = (c.arg(a.arg0), c.arg(a.arg1));
            let r = call!(c, func, (x => HPy, y => HPy, a.arg2 => HPy_RichCmpOp) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_GETTER => {
            let a = &mut *(args as *mut _HPyFunc_args_GETTER);
            let x = c.arg(a.arg0);
            let r = call!(c, func, (x => HPy, a.arg1 => *mut c_void) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_SETTER => {
            let a = &mut *(args as *mut _HPyFunc_args_SETTER);
            let (x, y) = (c.arg(a.arg0), c.arg(a.arg1));
            let r = call!(c, func, (x => HPy, y => HPy, a.arg2 => *mut c_void) -> c_int);
            a.result = c.int_result(r, negative, -1);
        }
        HPyFunc_DESTRUCTOR => {
            let a = &mut *(args as *mut _HPyFunc_args_DESTRUCTOR);
            let x = c.arg(a.arg0);
            call!(c, func, (x => HPy) -> ());
        }
        HPyFunc_MOD_CREATE => {
            let a = &mut *(args as *mut _HPyFunc_args_MOD_CREATE);
            let x = c.arg(a.spec);
            let r = call!(c, func, (x => HPy) -> HPy);
            a.result = c.object_result(r, false);
        }
        HPyFunc_GETBUFFERPROC => getbuffer(&mut c, func, &mut *(args as *mut _HPyFunc_args_GETBUFFERPROC)),
        HPyFunc_RELEASEBUFFERPROC => {
            let a = &mut *(args as *mut _HPyFunc_args_RELEASEBUFFERPROC);
            let view = &mut *a.view.cast::<ffi::Py_buffer>();
            let s = c.arg(a.self_);
            let mut hbuf = crate::buffer::to_hpy(view);
            hbuf.obj = c.arg(view.obj.cast());
            let f: crate::buffer::ReleaseBufferFn = std::mem::transmute(func);
            f(c.ctx, s, &mut hbuf);
        }
        // No handles: as in universal mode.
        _ => crate::ctx::ctx_CallRealFunctionFromTrampoline(c.ctx, sig, Some(std::mem::transmute::<*const (), unsafe extern "C" fn() -> *mut c_void>(func)), args),
    }
    c.end();
}

/// `bf_getbuffer`: the implementation fills an `HPy_buffer` whose `obj` is a
/// handle the view then owns.
unsafe fn getbuffer(c: &mut Call, func: *const (), a: &mut _HPyFunc_args_GETBUFFERPROC) {
    let view = &mut *a.view.cast::<ffi::Py_buffer>();
    let s = c.arg(a.self_);
    let mut hbuf: HPy_buffer = std::mem::zeroed();
    let f: crate::buffer::GetBufferFn = std::mem::transmute(func);
    let r = f(c.ctx, s, &mut hbuf, a.flags);
    let obj = c.take(hbuf.obj);
    let r = match obj {
        Ok(o) if r >= 0 => {
            hbuf.obj = py2h(o);
            crate::buffer::to_cpython(&hbuf, view);
            r
        }
        Ok(o) => {
            ffi::Py_XDECREF(o);
            view.obj = null_mut();
            r
        }
        Err(()) => {
            view.obj = null_mut();
            -1
        }
    };
    let checked = c.int_result(r, negative, -1);
    if checked < 0 && r >= 0 {
        ffi::Py_XDECREF(view.obj);
        view.obj = null_mut();
    }
    a.result = checked;
}

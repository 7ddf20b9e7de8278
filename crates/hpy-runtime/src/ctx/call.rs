//! Calling Python callables from HPy code.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;

/// `kwnames` must be a tuple or HPy_NULL (no keywords).
#[inline(always)]
unsafe fn bad_kwnames(k: *mut ffi::PyObject) -> bool {
    !k.is_null() && ffi::PyTuple_Check(k) == 0
}

/// Out of line, and returning the call's result, so that the checks cost
/// the calls no stack frame and each ends in a tail call.
#[cold]
#[inline(never)]
unsafe fn bad_argument(api: &str, what: &str) -> HPy {
    set_error(ffi::PyExc_TypeError, &format!("{api} {what}"));
    HPy::NULL
}

const KWNAMES: &str = "arg 'kwnames' must be a tuple object or HPy_NULL";

pub unsafe extern "C" fn ctx_Call(_ctx: *mut HPyContext, callable: HPy, args: *const HPy, nargs: usize, kwnames: HPy) -> HPy {
    let k = h2py(kwnames);
    if bad_kwnames(k) {
        return bad_argument("HPy_Call", KWNAMES);
    }
    py2h(ffi::PyObject_Vectorcall(h2py(callable), args.cast(), nargs, k))
}

pub unsafe extern "C" fn ctx_CallMethod(_ctx: *mut HPyContext, name: HPy, args: *const HPy, nargs: usize, kwnames: HPy) -> HPy {
    let k = h2py(kwnames);
    if bad_kwnames(k) {
        return bad_argument("HPy_CallMethod", KWNAMES);
    }
    py2h(ffi::PyObject_VectorcallMethod(h2py(name), args.cast(), nargs, k))
}

pub unsafe extern "C" fn ctx_CallTupleDict(_ctx: *mut HPyContext, callable: HPy, args: HPy, kw: HPy) -> HPy {
    let (a, k) = (h2py(args), h2py(kw));
    if a.is_null() || ffi::PyTuple_Check(a) == 0 || (!k.is_null() && ffi::PyDict_Check(k) == 0) {
        return call_tuple_dict_slow(callable, a, k);
    }
    py2h(ffi::PyObject_Call(h2py(callable), a, k))
}

/// No args tuple (call with none), or arguments of the wrong type.
#[cold]
#[inline(never)]
unsafe fn call_tuple_dict_slow(callable: HPy, a: *mut ffi::PyObject, k: *mut ffi::PyObject) -> HPy {
    if !a.is_null() && ffi::PyTuple_Check(a) == 0 {
        return bad_argument("HPy_CallTupleDict", "requires args to be a tuple or null handle");
    }
    if !k.is_null() && ffi::PyDict_Check(k) == 0 {
        return bad_argument("HPy_CallTupleDict", "requires kw to be a dict or null handle");
    }
    let empty = ffi::PyTuple_New(0);
    if empty.is_null() {
        return HPy::NULL;
    }
    let r = ffi::PyObject_Call(h2py(callable), empty, k);
    ffi::Py_DECREF(empty);
    py2h(r)
}

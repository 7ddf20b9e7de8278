//! Calling Python callables from HPy code.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;

/// `kwnames` must be a tuple or HPy_NULL; NULL means no keywords.
unsafe fn kwnames_or_null(kwnames: HPy, api: &str) -> Result<*mut ffi::PyObject, ()> {
    let k = h2py(kwnames);
    if k.is_null() || ffi::PyTuple_Check(k) != 0 {
        Ok(k)
    } else {
        set_error(ffi::PyExc_TypeError, &format!("{api} arg 'kwnames' must be a tuple object or HPy_NULL"));
        Err(())
    }
}

pub unsafe extern "C" fn ctx_Call(_ctx: *mut HPyContext, callable: HPy, args: *const HPy, nargs: usize, kwnames: HPy) -> HPy {
    let Ok(k) = kwnames_or_null(kwnames, "HPy_Call") else { return HPy::NULL };
    py2h(ffi::PyObject_Vectorcall(h2py(callable), args.cast(), nargs, k))
}

pub unsafe extern "C" fn ctx_CallMethod(_ctx: *mut HPyContext, name: HPy, args: *const HPy, nargs: usize, kwnames: HPy) -> HPy {
    let Ok(k) = kwnames_or_null(kwnames, "HPy_CallMethod") else { return HPy::NULL };
    py2h(ffi::PyObject_VectorcallMethod(h2py(name), args.cast(), nargs, k))
}

pub unsafe extern "C" fn ctx_CallTupleDict(_ctx: *mut HPyContext, callable: HPy, args: HPy, kw: HPy) -> HPy {
    let (a, k) = (h2py(args), h2py(kw));
    if !a.is_null() && ffi::PyTuple_Check(a) == 0 {
        set_error(ffi::PyExc_TypeError, "HPy_CallTupleDict requires args to be a tuple or null handle");
        return HPy::NULL;
    }
    if !k.is_null() && ffi::PyDict_Check(k) == 0 {
        set_error(ffi::PyExc_TypeError, "HPy_CallTupleDict requires kw to be a dict or null handle");
        return HPy::NULL;
    }
    if a.is_null() {
        let empty = ffi::PyTuple_New(0);
        if empty.is_null() {
            return HPy::NULL;
        }
        let r = ffi::PyObject_Call(h2py(callable), empty, k);
        ffi::Py_DECREF(empty);
        return py2h(r);
    }
    py2h(ffi::PyObject_Call(h2py(callable), a, k))
}

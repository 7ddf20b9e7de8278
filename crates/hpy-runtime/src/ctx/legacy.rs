//! Crossing between handles and `PyObject *` (hybrid ABI), and globals.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;

pub unsafe extern "C" fn ctx_FromPyObject(_ctx: *mut HPyContext, obj: *mut cpy_PyObject) -> HPy {
    let o = obj.cast::<ffi::PyObject>();
    ffi::Py_XINCREF(o);
    py2h(o)
}

pub unsafe extern "C" fn ctx_AsPyObject(_ctx: *mut HPyContext, h: HPy) -> *mut cpy_PyObject {
    let o = h2py(h);
    ffi::Py_XINCREF(o);
    o.cast()
}

/// A global owns a strong reference to its object; the previous one is
/// released after the new one is in place.
pub unsafe extern "C" fn ctx_Global_Store(_ctx: *mut HPyContext, global: *mut HPyGlobal, h: HPy) {
    let new = h2py(h);
    ffi::Py_XINCREF(new);
    let old = (*global)._i as *mut ffi::PyObject;
    (*global)._i = new as isize;
    ffi::Py_XDECREF(old);
}

pub unsafe extern "C" fn ctx_Global_Load(_ctx: *mut HPyContext, global: HPyGlobal) -> HPy {
    let o = global._i as *mut ffi::PyObject;
    ffi::Py_XINCREF(o);
    py2h(o)
}

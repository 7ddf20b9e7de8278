//! contextvars.ContextVar.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_char;

pub unsafe extern "C" fn ctx_ContextVar_New(_ctx: *mut HPyContext, name: *const c_char, default_value: HPy) -> HPy {
    if name.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyContextVar_New: NULL name");
        return HPy::NULL;
    }
    py2h(ffi::PyContextVar_New(name, h2py(default_value)))
}

/// CPython raises TypeError if `context_var` is not a ContextVar.
pub unsafe extern "C" fn ctx_ContextVar_Get(_ctx: *mut HPyContext, context_var: HPy, default_value: HPy, result: *mut HPy) -> i32 {
    if result.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyContextVar_Get: NULL result pointer");
        return -1;
    }
    let mut value: *mut ffi::PyObject = std::ptr::null_mut();
    let r = ffi::PyContextVar_Get(h2py(context_var), h2py(default_value), &mut value);
    *result = if r < 0 { HPy::NULL } else { py2h(value) };
    r
}

pub unsafe extern "C" fn ctx_ContextVar_Set(_ctx: *mut HPyContext, context_var: HPy, value: HPy) -> HPy {
    py2h(ffi::PyContextVar_Set(h2py(context_var), h2py(value)))
}

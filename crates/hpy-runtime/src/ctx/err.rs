//! The error indicator.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int};

pub unsafe extern "C" fn ctx_Err_SetString(_ctx: *mut HPyContext, h_type: HPy, utf8_message: *const c_char) {
    ffi::PyErr_SetString(h2py(h_type), utf8_message);
}

pub unsafe extern "C" fn ctx_Err_SetObject(_ctx: *mut HPyContext, h_type: HPy, h_value: HPy) {
    ffi::PyErr_SetObject(h2py(h_type), h2py(h_value));
}

pub unsafe extern "C" fn ctx_Err_Occurred(_ctx: *mut HPyContext) -> c_int {
    (!ffi::PyErr_Occurred().is_null()) as c_int
}

pub unsafe extern "C" fn ctx_Err_ExceptionMatches(_ctx: *mut HPyContext, exc: HPy) -> c_int {
    ffi::PyErr_ExceptionMatches(h2py(exc))
}

pub unsafe extern "C" fn ctx_Err_NoMemory(_ctx: *mut HPyContext) {
    ffi::PyErr_NoMemory();
}

pub unsafe extern "C" fn ctx_Err_Clear(_ctx: *mut HPyContext) {
    ffi::PyErr_Clear();
}

pub unsafe extern "C" fn ctx_FatalError(_ctx: *mut HPyContext, message: *const c_char) {
    ffi::Py_FatalError(message);
}

pub unsafe extern "C" fn ctx_Import_ImportModule(_ctx: *mut HPyContext, utf8_name: *const c_char) -> HPy {
    py2h(ffi::PyImport_ImportModule(utf8_name))
}

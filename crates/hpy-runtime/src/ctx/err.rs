//! The error indicator.

use crate::errors::set_error;
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

/// Raising needs an exception class; CPython would call through NULL.
unsafe fn has_type(api: &str, h_type: HPy) -> bool {
    if h_type.is_null() {
        set_error(ffi::PyExc_SystemError, &format!("{api}: the exception type is HPy_NULL"));
        false
    } else {
        true
    }
}

/// Nothing may run between the failing C call and this one that could
/// change `errno`: the checks here do not touch it.
pub unsafe extern "C" fn ctx_Err_SetFromErrnoWithFilename(_ctx: *mut HPyContext, h_type: HPy, filename_fsencoded: *const c_char) -> HPy {
    if has_type("HPyErr_SetFromErrnoWithFilename", h_type) {
        ffi::PyErr_SetFromErrnoWithFilename(h2py(h_type), filename_fsencoded);
    }
    HPy::NULL
}

pub unsafe extern "C" fn ctx_Err_SetFromErrnoWithFilenameObjects(_ctx: *mut HPyContext, h_type: HPy, filename1: HPy, filename2: HPy) {
    if has_type("HPyErr_SetFromErrnoWithFilenameObjects", h_type) {
        ffi::PyErr_SetFromErrnoWithFilenameObjects(h2py(h_type), h2py(filename1), h2py(filename2));
    }
}

/// CPython reports a name without a dot (SystemError), a bad base (from
/// the `type(...)` call) and a `dict` that is not a dict (SystemError).
pub unsafe extern "C" fn ctx_Err_NewException(_ctx: *mut HPyContext, utf8_name: *const c_char, base: HPy, dict: HPy) -> HPy {
    if utf8_name.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyErr_NewException: NULL name");
        return HPy::NULL;
    }
    py2h(ffi::PyErr_NewException(utf8_name, h2py(base), h2py(dict)))
}

pub unsafe extern "C" fn ctx_Err_NewExceptionWithDoc(
    _ctx: *mut HPyContext,
    utf8_name: *const c_char,
    utf8_doc: *const c_char,
    base: HPy,
    dict: HPy,
) -> HPy {
    if utf8_name.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyErr_NewExceptionWithDoc: NULL name");
        return HPy::NULL;
    }
    py2h(ffi::PyErr_NewExceptionWithDoc(utf8_name, utf8_doc, h2py(base), h2py(dict)))
}

/// A NULL category is RuntimeWarning (CPython does that substitution).
/// PyErr_WarnEx would call any other object as if it were a class; like
/// Python's `warnings.warn`, only subclasses of Warning are accepted.
pub unsafe extern "C" fn ctx_Err_WarnEx(_ctx: *mut HPyContext, category: HPy, utf8_message: *const c_char, stack_level: HPy_ssize_t) -> c_int {
    if utf8_message.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyErr_WarnEx: NULL message");
        return -1;
    }
    let c = h2py(category);
    if !c.is_null() && (ffi::PyType_Check(c) == 0 || ffi::PyType_IsSubtype(c.cast(), ffi::PyExc_Warning.cast()) == 0) {
        let type_name = std::ffi::CStr::from_ptr((*ffi::Py_TYPE(c)).tp_name).to_string_lossy();
        set_error(ffi::PyExc_TypeError, &format!("category must be a Warning subclass, not '{type_name}'"));
        return -1;
    }
    ffi::PyErr_WarnEx(h2py(category), utf8_message, stack_level)
}

pub unsafe extern "C" fn ctx_Err_WriteUnraisable(_ctx: *mut HPyContext, obj: HPy) {
    ffi::PyErr_WriteUnraisable(h2py(obj));
}

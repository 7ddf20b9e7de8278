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

/// The arguments CPython's PyErr_NewException* would crash on. CPython
/// itself reports a name without a dot (SystemError) and a bad base (from
/// the `type(...)` call); a namespace that is not a dict is a TypeError, as
/// for Python's `type(name, bases, dict)`.
unsafe fn check_new_exception(api: &str, utf8_name: *const c_char, dict: HPy) -> bool {
    let d = h2py(dict);
    if utf8_name.is_null() {
        set_error(ffi::PyExc_SystemError, &format!("{api}: NULL name"));
        false
    } else if !d.is_null() && ffi::PyDict_Check(d) == 0 {
        set_error(ffi::PyExc_TypeError, &format!("{api}: dict must be a dict, not {}", super::dump::type_name(d)));
        false
    } else {
        true
    }
}

pub unsafe extern "C" fn ctx_Err_NewException(_ctx: *mut HPyContext, utf8_name: *const c_char, base: HPy, dict: HPy) -> HPy {
    if !check_new_exception("HPyErr_NewException", utf8_name, dict) {
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
    if !check_new_exception("HPyErr_NewExceptionWithDoc", utf8_name, dict) {
        return HPy::NULL;
    }
    py2h(ffi::PyErr_NewExceptionWithDoc(utf8_name, utf8_doc, h2py(base), h2py(dict)))
}

/// A NULL category is RuntimeWarning. CPython calls any other category to
/// make the warning, and raises TypeError for what cannot be called.
pub unsafe extern "C" fn ctx_Err_WarnEx(_ctx: *mut HPyContext, category: HPy, utf8_message: *const c_char, stack_level: HPy_ssize_t) -> c_int {
    if utf8_message.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyErr_WarnEx: NULL message");
        return -1;
    }
    ffi::PyErr_WarnEx(h2py(category), utf8_message, stack_level)
}

pub unsafe extern "C" fn ctx_Err_WriteUnraisable(_ctx: *mut HPyContext, obj: HPy) {
    ffi::PyErr_WriteUnraisable(h2py(obj));
}

//! str and bytes.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int};

pub unsafe extern "C" fn ctx_Unicode_FromString(_ctx: *mut HPyContext, utf8: *const c_char) -> HPy {
    py2h(ffi::PyUnicode_FromString(utf8))
}

pub unsafe extern "C" fn ctx_Unicode_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyUnicode_Check(h2py(h))
}

pub unsafe extern "C" fn ctx_Unicode_AsUTF8String(_ctx: *mut HPyContext, h: HPy) -> HPy {
    py2h(ffi::PyUnicode_AsUTF8String(h2py(h)))
}

pub unsafe extern "C" fn ctx_Unicode_AsASCIIString(_ctx: *mut HPyContext, h: HPy) -> HPy {
    py2h(ffi::PyUnicode_AsASCIIString(h2py(h)))
}

pub unsafe extern "C" fn ctx_Unicode_AsLatin1String(_ctx: *mut HPyContext, h: HPy) -> HPy {
    py2h(ffi::PyUnicode_AsLatin1String(h2py(h)))
}

pub unsafe extern "C" fn ctx_Unicode_AsUTF8AndSize(_ctx: *mut HPyContext, h: HPy, size: *mut HPy_ssize_t) -> *const c_char {
    ffi::PyUnicode_AsUTF8AndSize(h2py(h), size)
}

pub unsafe extern "C" fn ctx_Bytes_Check(_ctx: *mut HPyContext, h: HPy) -> c_int {
    ffi::PyBytes_Check(h2py(h))
}

pub unsafe extern "C" fn ctx_Bytes_Size(_ctx: *mut HPyContext, h: HPy) -> HPy_ssize_t {
    ffi::PyBytes_Size(h2py(h))
}

pub unsafe extern "C" fn ctx_Bytes_GET_SIZE(_ctx: *mut HPyContext, h: HPy) -> HPy_ssize_t {
    ffi::PyBytes_Size(h2py(h))
}

pub unsafe extern "C" fn ctx_Bytes_AsString(_ctx: *mut HPyContext, h: HPy) -> *const c_char {
    ffi::PyBytes_AsString(h2py(h))
}

pub unsafe extern "C" fn ctx_Bytes_AS_STRING(_ctx: *mut HPyContext, h: HPy) -> *const c_char {
    ffi::PyBytes_AsString(h2py(h))
}

pub unsafe extern "C" fn ctx_Bytes_FromString(_ctx: *mut HPyContext, bytes: *const c_char) -> HPy {
    py2h(ffi::PyBytes_FromString(bytes))
}

pub unsafe extern "C" fn ctx_Bytes_FromStringAndSize(_ctx: *mut HPyContext, bytes: *const c_char, len: HPy_ssize_t) -> HPy {
    if bytes.is_null() {
        crate::errors::set_error(ffi::PyExc_ValueError, "NULL char * passed to HPyBytes_FromStringAndSize");
        return HPy::NULL;
    }
    py2h(ffi::PyBytes_FromStringAndSize(bytes, len))
}

//! str and bytes.

use crate::errors::set_error;
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

/// CPython's C functions for byte buffers crash on a NULL buffer that should
/// hold bytes, or on a negative size; the context reports them instead, as a
/// bad internal call (SystemError), which is what CPython raises for invalid
/// arguments of its C API.
unsafe fn check_buffer(api: &str, buf: *const c_char, size: HPy_ssize_t) -> bool {
    if size < 0 {
        set_error(ffi::PyExc_SystemError, &format!("{api}: negative size {size}"));
        false
    } else if buf.is_null() && size > 0 {
        set_error(ffi::PyExc_SystemError, &format!("{api}: NULL buffer of size {size}"));
        false
    } else {
        true
    }
}

/// `h` must be a `str`; otherwise CPython's own error for a wrong argument
/// type of a `PyUnicode_*` function (TypeError) is raised.
unsafe fn is_str_or_raise(h: HPy) -> bool {
    let o = h2py(h);
    if o.is_null() || ffi::PyUnicode_Check(o) == 0 {
        ffi::PyErr_BadArgument();
        false
    } else {
        true
    }
}

pub unsafe extern "C" fn ctx_Unicode_FromWideChar(_ctx: *mut HPyContext, w: *const wchar_t, size: HPy_ssize_t) -> HPy {
    if size < -1 {
        set_error(ffi::PyExc_SystemError, &format!("HPyUnicode_FromWideChar: negative size {size}"));
        return HPy::NULL;
    }
    // CPython itself reports a NULL buffer (with a size other than 0).
    py2h(ffi::PyUnicode_FromWideChar(w.cast(), size))
}

pub unsafe extern "C" fn ctx_Unicode_DecodeFSDefault(_ctx: *mut HPyContext, v: *const c_char) -> HPy {
    if v.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyUnicode_DecodeFSDefault: NULL string");
        return HPy::NULL;
    }
    py2h(ffi::PyUnicode_DecodeFSDefault(v))
}

pub unsafe extern "C" fn ctx_Unicode_DecodeFSDefaultAndSize(_ctx: *mut HPyContext, v: *const c_char, size: HPy_ssize_t) -> HPy {
    if !check_buffer("HPyUnicode_DecodeFSDefaultAndSize", v, size) {
        return HPy::NULL;
    }
    py2h(ffi::PyUnicode_DecodeFSDefaultAndSize(v, size))
}

/// CPython raises TypeError for an object that is not a `str` (and crashes
/// on NULL).
pub unsafe extern "C" fn ctx_Unicode_EncodeFSDefault(_ctx: *mut HPyContext, h: HPy) -> HPy {
    if !is_str_or_raise(h) {
        return HPy::NULL;
    }
    py2h(ffi::PyUnicode_EncodeFSDefault(h2py(h)))
}

/// CPython checks the index itself (IndexError).
pub unsafe extern "C" fn ctx_Unicode_ReadChar(_ctx: *mut HPyContext, h: HPy, index: HPy_ssize_t) -> HPy_UCS4 {
    if !is_str_or_raise(h) {
        return HPy_UCS4::MAX;
    }
    ffi::PyUnicode_ReadChar(h2py(h), index)
}

pub unsafe extern "C" fn ctx_Unicode_DecodeASCII(_ctx: *mut HPyContext, ascii: *const c_char, size: HPy_ssize_t, errors: *const c_char) -> HPy {
    if !check_buffer("HPyUnicode_DecodeASCII", ascii, size) {
        return HPy::NULL;
    }
    py2h(ffi::PyUnicode_DecodeASCII(ascii, size, errors))
}

pub unsafe extern "C" fn ctx_Unicode_DecodeLatin1(_ctx: *mut HPyContext, latin1: *const c_char, size: HPy_ssize_t, errors: *const c_char) -> HPy {
    if !check_buffer("HPyUnicode_DecodeLatin1", latin1, size) {
        return HPy::NULL;
    }
    py2h(ffi::PyUnicode_DecodeLatin1(latin1, size, errors))
}

/// CPython raises the errors itself: TypeError for a `str` or an object
/// without the buffer protocol, LookupError for an unknown codec.
pub unsafe extern "C" fn ctx_Unicode_FromEncodedObject(_ctx: *mut HPyContext, obj: HPy, encoding: *const c_char, errors: *const c_char) -> HPy {
    py2h(ffi::PyUnicode_FromEncodedObject(h2py(obj), encoding, errors))
}

/// CPython's PyUnicode_Substring does not check the type of its argument
/// (undefined behaviour); the TypeError says what HPy 0.9.0's debug mode
/// says.
pub unsafe extern "C" fn ctx_Unicode_Substring(_ctx: *mut HPyContext, str: HPy, start: HPy_ssize_t, end: HPy_ssize_t) -> HPy {
    let o = h2py(str);
    if o.is_null() || ffi::PyUnicode_Check(o) == 0 {
        set_error(ffi::PyExc_TypeError, "HPyUnicode_Substring arg 1 must be a Unicode object");
        return HPy::NULL;
    }
    py2h(ffi::PyUnicode_Substring(o, start, end))
}

//! int, float and bool conversions.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_long, c_ulong, c_void};

pub unsafe extern "C" fn ctx_Long_FromInt32_t(_ctx: *mut HPyContext, value: i32) -> HPy {
    py2h(ffi::PyLong_FromLong(value as c_long))
}

pub unsafe extern "C" fn ctx_Long_FromUInt32_t(_ctx: *mut HPyContext, value: u32) -> HPy {
    py2h(ffi::PyLong_FromUnsignedLong(value as c_ulong))
}

pub unsafe extern "C" fn ctx_Long_FromInt64_t(_ctx: *mut HPyContext, v: i64) -> HPy {
    py2h(ffi::PyLong_FromLongLong(v))
}

pub unsafe extern "C" fn ctx_Long_FromUInt64_t(_ctx: *mut HPyContext, v: u64) -> HPy {
    py2h(ffi::PyLong_FromUnsignedLongLong(v))
}

pub unsafe extern "C" fn ctx_Long_FromSize_t(_ctx: *mut HPyContext, value: usize) -> HPy {
    py2h(ffi::PyLong_FromSize_t(value))
}

pub unsafe extern "C" fn ctx_Long_FromSsize_t(_ctx: *mut HPyContext, value: HPy_ssize_t) -> HPy {
    py2h(ffi::PyLong_FromSsize_t(value))
}

/// Narrows a value CPython converted to a wider C type, raising
/// OverflowError with CPython's wording for its own C types (and HPy 0.9.0's).
unsafe fn narrow<W: Copy + PartialEq, N: TryFrom<W>>(wide: W, failed: W, target: &str) -> Option<N> {
    if wide == failed && !ffi::PyErr_Occurred().is_null() {
        return None;
    }
    match N::try_from(wide) {
        Ok(n) => Some(n),
        Err(_) => {
            set_error(ffi::PyExc_OverflowError, &format!("Python int too large to convert to C {target}"));
            None
        }
    }
}

pub unsafe extern "C" fn ctx_Long_AsInt32_t(_ctx: *mut HPyContext, h: HPy) -> i32 {
    narrow(ffi::PyLong_AsLong(h2py(h)), -1, "int32_t").unwrap_or(-1)
}

pub unsafe extern "C" fn ctx_Long_AsUInt32_t(_ctx: *mut HPyContext, h: HPy) -> u32 {
    narrow(ffi::PyLong_AsUnsignedLong(h2py(h)), c_ulong::MAX, "uint32_t").unwrap_or(u32::MAX)
}

pub unsafe extern "C" fn ctx_Long_AsUInt32_tMask(_ctx: *mut HPyContext, h: HPy) -> u32 {
    ffi::PyLong_AsUnsignedLongMask(h2py(h)) as u32
}

pub unsafe extern "C" fn ctx_Long_AsInt64_t(_ctx: *mut HPyContext, h: HPy) -> i64 {
    ffi::PyLong_AsLongLong(h2py(h))
}

pub unsafe extern "C" fn ctx_Long_AsUInt64_t(_ctx: *mut HPyContext, h: HPy) -> u64 {
    ffi::PyLong_AsUnsignedLongLong(h2py(h))
}

pub unsafe extern "C" fn ctx_Long_AsUInt64_tMask(_ctx: *mut HPyContext, h: HPy) -> u64 {
    ffi::PyLong_AsUnsignedLongLongMask(h2py(h))
}

pub unsafe extern "C" fn ctx_Long_AsSize_t(_ctx: *mut HPyContext, h: HPy) -> usize {
    ffi::PyLong_AsSize_t(h2py(h))
}

pub unsafe extern "C" fn ctx_Long_AsSsize_t(_ctx: *mut HPyContext, h: HPy) -> HPy_ssize_t {
    ffi::PyLong_AsSsize_t(h2py(h))
}

pub unsafe extern "C" fn ctx_Long_AsVoidPtr(_ctx: *mut HPyContext, h: HPy) -> *mut c_void {
    ffi::PyLong_AsVoidPtr(h2py(h))
}

pub unsafe extern "C" fn ctx_Long_AsDouble(_ctx: *mut HPyContext, h: HPy) -> f64 {
    ffi::PyLong_AsDouble(h2py(h))
}

pub unsafe extern "C" fn ctx_Float_FromDouble(_ctx: *mut HPyContext, v: f64) -> HPy {
    py2h(ffi::PyFloat_FromDouble(v))
}

pub unsafe extern "C" fn ctx_Float_AsDouble(_ctx: *mut HPyContext, h: HPy) -> f64 {
    ffi::PyFloat_AsDouble(h2py(h))
}

pub unsafe extern "C" fn ctx_Bool_FromBool(_ctx: *mut HPyContext, v: bool) -> HPy {
    py2h(ffi::PyBool_FromLong(v as c_long))
}

//! The buffer protocol of HPy types: `HPy_buffer` on the HPy side,
//! `Py_buffer` on CPython's. In universal mode a handle is the object
//! pointer, so the owned reference in `obj` moves between the two as is.

use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::c_int;

pub(crate) type GetBufferFn = unsafe extern "C" fn(*mut HPyContext, HPy, *mut HPy_buffer, c_int) -> c_int;
pub(crate) type ReleaseBufferFn = unsafe extern "C" fn(*mut HPyContext, HPy, *mut HPy_buffer);

pub(crate) fn to_hpy(view: &ffi::Py_buffer) -> HPy_buffer {
    HPy_buffer {
        buf: view.buf,
        obj: py2h(view.obj),
        len: view.len,
        itemsize: view.itemsize,
        readonly: view.readonly,
        ndim: view.ndim,
        format: view.format,
        shape: view.shape,
        strides: view.strides,
        suboffsets: view.suboffsets,
        internal: view.internal,
    }
}

pub(crate) fn to_cpython(src: &HPy_buffer, view: &mut ffi::Py_buffer) {
    view.buf = src.buf;
    view.obj = h2py(src.obj);
    view.len = src.len;
    view.itemsize = src.itemsize;
    view.readonly = src.readonly;
    view.ndim = src.ndim;
    view.format = src.format;
    view.shape = src.shape;
    view.strides = src.strides;
    view.suboffsets = src.suboffsets;
    view.internal = src.internal;
}

/// `bf_getbuffer`: the implementation fills an `HPy_buffer`, copied into
/// CPython's view on success (the view then owns `obj`).
pub unsafe fn call_getbuffer(ctx: *mut HPyContext, f: *const (), a: &mut _HPyFunc_args_GETBUFFERPROC) {
    let f: GetBufferFn = std::mem::transmute(f);
    let view = &mut *a.view.cast::<ffi::Py_buffer>();
    let mut hbuf: HPy_buffer = std::mem::zeroed();
    a.result = f(ctx, py2h(a.self_.cast()), &mut hbuf, a.flags);
    if a.result < 0 {
        view.obj = std::ptr::null_mut();
        return;
    }
    to_cpython(&hbuf, view);
}

/// `bf_releasebuffer`: the implementation sees the view as an `HPy_buffer`
/// whose `obj` it borrows (CPython releases it after this returns).
pub unsafe fn call_releasebuffer(ctx: *mut HPyContext, f: *const (), a: &mut _HPyFunc_args_RELEASEBUFFERPROC) {
    let f: ReleaseBufferFn = std::mem::transmute(f);
    let view = &mut *a.view.cast::<ffi::Py_buffer>();
    let mut hbuf = to_hpy(view);
    f(ctx, py2h(a.self_.cast()), &mut hbuf);
}

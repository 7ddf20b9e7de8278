//! Capsules.
//!
//! An HPy capsule is a CPython capsule. Its destructor is an
//! `HPyCapsule_Destructor`: CPython calls the `cpy_trampoline` (a
//! `void (*)(PyObject *)` generated in the extension), which comes back into
//! the runtime through `_HPy_CallRealFunctionFromTrampoline` with
//! `HPyFunc_CAPSULE_DESTRUCTOR`; `call_capsule_destructor` then calls the
//! `impl` with the capsule's name, pointer and context.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int, c_void};

/// The function CPython calls when the capsule dies: the trampoline of a
/// complete destructor, none for NULL, and an error for an incomplete one.
unsafe fn cpython_destructor(destructor: *const HPyCapsule_Destructor) -> Result<Option<ffi::PyCapsule_Destructor>, ()> {
    let Some(d) = destructor.as_ref() else {
        return Ok(None);
    };
    match (d.cpy_trampoline, d.impl_) {
        (Some(trampoline), Some(_)) => {
            // `cpy_PyObject` is the opaque name of `PyObject`.
            Ok(Some(std::mem::transmute::<unsafe extern "C" fn(*mut cpy_PyObject), unsafe extern "C" fn(*mut ffi::PyObject)>(
                trampoline,
            )))
        }
        _ => {
            set_error(ffi::PyExc_ValueError, "Invalid HPyCapsule destructor");
            Err(())
        }
    }
}

pub unsafe extern "C" fn ctx_Capsule_New(
    _ctx: *mut HPyContext,
    pointer: *mut c_void,
    utf8_name: *const c_char,
    destructor: *mut HPyCapsule_Destructor,
) -> HPy {
    let Ok(d) = cpython_destructor(destructor) else { return HPy::NULL };
    // CPython raises ValueError for a NULL pointer.
    py2h(ffi::PyCapsule_New(pointer, utf8_name, d))
}

/// CPython checks that `capsule` is a valid capsule (ValueError otherwise),
/// and for the pointer that `utf8_name` matches.
pub unsafe extern "C" fn ctx_Capsule_Get(_ctx: *mut HPyContext, capsule: HPy, key: _HPyCapsule_key, utf8_name: *const c_char) -> *mut c_void {
    let c = h2py(capsule);
    match key {
        HPyCapsule_key_Pointer => ffi::PyCapsule_GetPointer(c, utf8_name),
        HPyCapsule_key_Name => ffi::PyCapsule_GetName(c) as *mut c_void,
        HPyCapsule_key_Context => ffi::PyCapsule_GetContext(c),
        HPyCapsule_key_Destructor => {
            set_error(ffi::PyExc_ValueError, "Invalid operation: get HPyCapsule_key_Destructor");
            std::ptr::null_mut()
        }
        other => {
            set_error(ffi::PyExc_SystemError, &format!("HPyCapsule_Get: invalid key {other}"));
            std::ptr::null_mut()
        }
    }
}

pub unsafe extern "C" fn ctx_Capsule_IsValid(_ctx: *mut HPyContext, capsule: HPy, utf8_name: *const c_char) -> c_int {
    ffi::PyCapsule_IsValid(h2py(capsule), utf8_name)
}

pub unsafe extern "C" fn ctx_Capsule_Set(_ctx: *mut HPyContext, capsule: HPy, key: _HPyCapsule_key, value: *mut c_void) -> c_int {
    let c = h2py(capsule);
    match key {
        HPyCapsule_key_Pointer => ffi::PyCapsule_SetPointer(c, value),
        HPyCapsule_key_Name => ffi::PyCapsule_SetName(c, value as *const c_char),
        HPyCapsule_key_Context => ffi::PyCapsule_SetContext(c, value),
        HPyCapsule_key_Destructor => match cpython_destructor(value as *const HPyCapsule_Destructor) {
            Ok(d) => ffi::PyCapsule_SetDestructor(c, d),
            Err(()) => -1,
        },
        other => {
            set_error(ffi::PyExc_SystemError, &format!("HPyCapsule_Set: invalid key {other}"));
            -1
        }
    }
}

/// The `HPyFunc_CAPSULE_DESTRUCTOR` case of the trampoline: `capsule` is the
/// dying capsule CPython passed to the trampoline, `func` the `impl` of its
/// destructor.
pub(crate) unsafe fn call_capsule_destructor(func: *const (), capsule: *mut ffi::PyObject) {
    let f: unsafe extern "C" fn(*const c_char, *mut c_void, *mut c_void) = std::mem::transmute(func);
    // The capsule is still valid while CPython runs its destructor, so
    // these reads cannot fail.
    let name = ffi::PyCapsule_GetName(capsule);
    let pointer = ffi::PyCapsule_GetPointer(capsule, name);
    let context = ffi::PyCapsule_GetContext(capsule);
    f(name, pointer, context);
}

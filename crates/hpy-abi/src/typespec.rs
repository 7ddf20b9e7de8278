//! Type specifications and the function-pointer pairs that carry their own trampoline.

use crate::{HPyDef, HPyType_BuiltinShape, HPy};
use std::ffi::{c_char, c_int, c_ulong, c_void};

#[repr(C)]
pub struct HPyType_Spec {
    pub name: *const c_char,
    pub basicsize: c_int,
    pub itemsize: c_int,
    pub flags: c_ulong,
    pub builtin_shape: HPyType_BuiltinShape,
    pub legacy_slots: *mut c_void,
    pub defines: *mut *mut HPyDef,
    pub doc: *const c_char,
}

pub type HPyType_SpecParam_Kind = c_int;
pub const HPyType_SpecParam_Base: HPyType_SpecParam_Kind = 1;
pub const HPyType_SpecParam_BasesTuple: HPyType_SpecParam_Kind = 2;
pub const HPyType_SpecParam_Metaclass: HPyType_SpecParam_Kind = 3;

#[repr(C)]
pub struct HPyType_SpecParam {
    pub kind: HPyType_SpecParam_Kind,
    pub object: HPy,
}

pub type HPyFunc_Capsule_Destructor = Option<unsafe extern "C" fn(*const c_char, *mut c_void, *mut c_void)>;

#[repr(C)]
pub struct HPyCapsule_Destructor {
    pub cpy_trampoline: Option<unsafe extern "C" fn(*mut crate::cpy_PyObject)>,
    pub impl_: HPyFunc_Capsule_Destructor,
}

#[repr(C)]
pub struct HPyCallFunction {
    pub cpy_trampoline: *mut c_void,
    pub impl_: *mut c_void,
}

//! `HPyDef`: what a module or a type defines (methods, slots, members, getsets).

use crate::{cpy_PyObject, HPyCFunction, HPy_ssize_t};
use std::ffi::{c_char, c_int, c_void};

/// Which C signature an `HPyCFunction` really has.
pub type HPyFunc_Signature = c_int;
pub const HPyFunc_VARARGS: HPyFunc_Signature = 1;
pub const HPyFunc_KEYWORDS: HPyFunc_Signature = 2;
pub const HPyFunc_NOARGS: HPyFunc_Signature = 3;
pub const HPyFunc_O: HPyFunc_Signature = 4;
pub const HPyFunc_DESTROYFUNC: HPyFunc_Signature = 5;
pub const HPyFunc_GETBUFFERPROC: HPyFunc_Signature = 6;
pub const HPyFunc_RELEASEBUFFERPROC: HPyFunc_Signature = 7;
pub const HPyFunc_UNARYFUNC: HPyFunc_Signature = 8;
pub const HPyFunc_BINARYFUNC: HPyFunc_Signature = 9;
pub const HPyFunc_TERNARYFUNC: HPyFunc_Signature = 10;
pub const HPyFunc_INQUIRY: HPyFunc_Signature = 11;
pub const HPyFunc_LENFUNC: HPyFunc_Signature = 12;
pub const HPyFunc_SSIZEARGFUNC: HPyFunc_Signature = 13;
pub const HPyFunc_SSIZESSIZEARGFUNC: HPyFunc_Signature = 14;
pub const HPyFunc_SSIZEOBJARGPROC: HPyFunc_Signature = 15;
pub const HPyFunc_SSIZESSIZEOBJARGPROC: HPyFunc_Signature = 16;
pub const HPyFunc_OBJOBJARGPROC: HPyFunc_Signature = 17;
pub const HPyFunc_FREEFUNC: HPyFunc_Signature = 18;
pub const HPyFunc_GETATTRFUNC: HPyFunc_Signature = 19;
pub const HPyFunc_GETATTROFUNC: HPyFunc_Signature = 20;
pub const HPyFunc_SETATTRFUNC: HPyFunc_Signature = 21;
pub const HPyFunc_SETATTROFUNC: HPyFunc_Signature = 22;
pub const HPyFunc_REPRFUNC: HPyFunc_Signature = 23;
pub const HPyFunc_HASHFUNC: HPyFunc_Signature = 24;
pub const HPyFunc_RICHCMPFUNC: HPyFunc_Signature = 25;
pub const HPyFunc_GETITERFUNC: HPyFunc_Signature = 26;
pub const HPyFunc_ITERNEXTFUNC: HPyFunc_Signature = 27;
pub const HPyFunc_DESCRGETFUNC: HPyFunc_Signature = 28;
pub const HPyFunc_DESCRSETFUNC: HPyFunc_Signature = 29;
pub const HPyFunc_INITPROC: HPyFunc_Signature = 30;
pub const HPyFunc_NEWFUNC: HPyFunc_Signature = 31;
pub const HPyFunc_GETTER: HPyFunc_Signature = 32;
pub const HPyFunc_SETTER: HPyFunc_Signature = 33;
pub const HPyFunc_OBJOBJPROC: HPyFunc_Signature = 34;
pub const HPyFunc_TRAVERSEPROC: HPyFunc_Signature = 35;
pub const HPyFunc_DESTRUCTOR: HPyFunc_Signature = 36;
pub const HPyFunc_CAPSULE_DESTRUCTOR: HPyFunc_Signature = 37;
pub const HPyFunc_VECTORCALLFUNC: HPyFunc_Signature = 38;
pub const HPyFunc_MOD_CREATE: HPyFunc_Signature = 39;

/// A CPython-callable function pointer, signature depending on its use.
pub type cpy_PyCFunction = Option<unsafe extern "C" fn(*mut cpy_PyObject, *mut cpy_PyObject) -> *mut cpy_PyObject>;
pub type cpy_getter = Option<unsafe extern "C" fn(*mut cpy_PyObject, *mut c_void) -> *mut cpy_PyObject>;
pub type cpy_setter = Option<unsafe extern "C" fn(*mut cpy_PyObject, *mut cpy_PyObject, *mut c_void) -> c_int>;

pub type HPySlot_Slot = c_int;

#[repr(C)]
#[derive(Copy, Clone)]
pub struct HPySlot {
    pub slot: HPySlot_Slot,
    pub impl_: HPyCFunction,
    pub cpy_trampoline: cpy_PyCFunction,
}

#[repr(C)]
#[derive(Copy, Clone)]
pub struct HPyMeth {
    pub name: *const c_char,
    pub impl_: HPyCFunction,
    pub cpy_trampoline: cpy_PyCFunction,
    pub signature: HPyFunc_Signature,
    pub doc: *const c_char,
}

pub type HPyMember_FieldType = c_int;

#[repr(C)]
#[derive(Copy, Clone)]
pub struct HPyMember {
    pub name: *const c_char,
    pub type_: HPyMember_FieldType,
    pub offset: HPy_ssize_t,
    pub readonly: c_int,
    pub doc: *const c_char,
}

#[repr(C)]
#[derive(Copy, Clone)]
pub struct HPyGetSet {
    pub name: *const c_char,
    pub getter_impl: HPyCFunction,
    pub setter_impl: HPyCFunction,
    pub getter_cpy_trampoline: cpy_getter,
    pub setter_cpy_trampoline: cpy_setter,
    pub doc: *const c_char,
    pub closure: *mut c_void,
}

pub type HPyDef_Kind = c_int;
pub const HPyDef_Kind_Slot: HPyDef_Kind = 1;
pub const HPyDef_Kind_Meth: HPyDef_Kind = 2;
pub const HPyDef_Kind_Member: HPyDef_Kind = 3;
pub const HPyDef_Kind_GetSet: HPyDef_Kind = 4;

/// The anonymous union of `HPyDef`, named here.
#[repr(C)]
#[derive(Copy, Clone)]
pub union HPyDef_u {
    pub slot: HPySlot,
    pub meth: HPyMeth,
    pub member: HPyMember,
    pub getset: HPyGetSet,
}

#[repr(C)]
#[derive(Copy, Clone)]
pub struct HPyDef {
    pub kind: HPyDef_Kind,
    pub u: HPyDef_u,
}

//! Handles and the small value types that travel through the context.

use std::ffi::{c_int, c_void};

pub type HPy_ssize_t = isize;
pub type HPy_hash_t = isize;
pub type HPy_UCS4 = u32;
#[cfg(windows)]
pub type wchar_t = u16;
#[cfg(not(windows))]
pub type wchar_t = i32;

/// A CPython object as seen by code that does not include Python.h.
#[repr(C)]
pub struct cpy_PyObject {
    _opaque: [u8; 0],
}

/// A reference to a Python object owned by the holder until closed.
#[repr(C)]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct HPy {
    pub _i: isize,
}

impl HPy {
    pub const NULL: HPy = HPy { _i: 0 };

    pub fn is_null(self) -> bool {
        self._i == 0
    }
}

macro_rules! word_struct {
    ($($(#[$doc:meta])* $name:ident { $field:ident })*) => {$(
        $(#[$doc])*
        #[repr(C)]
        #[derive(Copy, Clone, Debug, PartialEq, Eq)]
        pub struct $name {
            pub $field: isize,
        }
    )*};
}

word_struct! {
    /// A reference from inside an object to another object, traced by GC.
    HPyField { _i }
    /// A reference stored in a C global, valid across calls.
    HPyGlobal { _i }
    /// The thread state saved by `HPy_LeavePythonExecution`.
    HPyThreadState { _i }
    /// A set of handles closed together.
    HPyTracker { _i }
    /// A list under construction.
    HPyListBuilder { _lst }
    /// A tuple under construction.
    HPyTupleBuilder { _tup }
}

/// Any C function; cast to the real signature named by `HPyFunc_Signature`.
pub type HPyCFunction = Option<unsafe extern "C" fn() -> *mut c_void>;

pub type HPyType_BuiltinShape = c_int;
pub const HPyType_BuiltinShape_Legacy: HPyType_BuiltinShape = -1;
pub const HPyType_BuiltinShape_Object: HPyType_BuiltinShape = 0;
pub const HPyType_BuiltinShape_Type: HPyType_BuiltinShape = 1;
pub const HPyType_BuiltinShape_Long: HPyType_BuiltinShape = 2;
pub const HPyType_BuiltinShape_Float: HPyType_BuiltinShape = 3;
pub const HPyType_BuiltinShape_Unicode: HPyType_BuiltinShape = 4;
pub const HPyType_BuiltinShape_Tuple: HPyType_BuiltinShape = 5;
pub const HPyType_BuiltinShape_List: HPyType_BuiltinShape = 6;

pub type _HPyCapsule_key = c_int;
pub const HPyCapsule_key_Pointer: _HPyCapsule_key = 0;
pub const HPyCapsule_key_Name: _HPyCapsule_key = 1;
pub const HPyCapsule_key_Context: _HPyCapsule_key = 2;
pub const HPyCapsule_key_Destructor: _HPyCapsule_key = 3;

pub type HPy_SourceKind = c_int;
pub const HPy_SourceKind_Expr: HPy_SourceKind = 0;
pub const HPy_SourceKind_File: HPy_SourceKind = 1;
pub const HPy_SourceKind_Single: HPy_SourceKind = 2;

pub type HPy_RichCmpOp = c_int;

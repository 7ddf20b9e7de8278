//! The argument blocks that universal trampolines hand to
//! `ctx_CallRealFunctionFromTrampoline`, one per `HPyFunc_Signature`.

use crate::{cpy_PyObject, HPy_hash_t, HPy_ssize_t, HPy_RichCmpOp};
use std::ffi::{c_char, c_int, c_void};

type Obj = *mut cpy_PyObject;

#[repr(C)]
pub struct _HPyFunc_args_NOARGS { pub self_: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_O { pub self_: Obj, pub arg: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_VARARGS { pub self_: Obj, pub args: *const Obj, pub nargs: HPy_ssize_t, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_KEYWORDS { pub self_: Obj, pub args: *const Obj, pub nargsf: usize, pub kwnames: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_INITPROC { pub self_: Obj, pub args: Obj, pub kw: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_NEWFUNC { pub self_: Obj, pub args: Obj, pub kw: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_RICHCMPFUNC { pub arg0: Obj, pub arg1: Obj, pub arg2: HPy_RichCmpOp, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_UNARYFUNC { pub arg0: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_BINARYFUNC { pub arg0: Obj, pub arg1: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_TERNARYFUNC { pub arg0: Obj, pub arg1: Obj, pub arg2: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_INQUIRY { pub arg0: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_LENFUNC { pub arg0: Obj, pub result: HPy_ssize_t }
#[repr(C)]
pub struct _HPyFunc_args_SSIZEARGFUNC { pub arg0: Obj, pub arg1: HPy_ssize_t, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_SSIZESSIZEARGFUNC { pub arg0: Obj, pub arg1: HPy_ssize_t, pub arg2: HPy_ssize_t, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_SSIZEOBJARGPROC { pub arg0: Obj, pub arg1: HPy_ssize_t, pub arg2: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_SSIZESSIZEOBJARGPROC { pub arg0: Obj, pub arg1: HPy_ssize_t, pub arg2: HPy_ssize_t, pub arg3: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_OBJOBJARGPROC { pub arg0: Obj, pub arg1: Obj, pub arg2: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_FREEFUNC { pub arg0: *mut c_void }
#[repr(C)]
pub struct _HPyFunc_args_GETATTRFUNC { pub arg0: Obj, pub arg1: *mut c_char, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_GETATTROFUNC { pub arg0: Obj, pub arg1: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_SETATTRFUNC { pub arg0: Obj, pub arg1: *mut c_char, pub arg2: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_SETATTROFUNC { pub arg0: Obj, pub arg1: Obj, pub arg2: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_REPRFUNC { pub arg0: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_HASHFUNC { pub arg0: Obj, pub result: HPy_hash_t }
#[repr(C)]
pub struct _HPyFunc_args_GETITERFUNC { pub arg0: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_ITERNEXTFUNC { pub arg0: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_DESCRGETFUNC { pub arg0: Obj, pub arg1: Obj, pub arg2: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_DESCRSETFUNC { pub arg0: Obj, pub arg1: Obj, pub arg2: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_GETTER { pub arg0: Obj, pub arg1: *mut c_void, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_SETTER { pub arg0: Obj, pub arg1: Obj, pub arg2: *mut c_void, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_OBJOBJPROC { pub arg0: Obj, pub arg1: Obj, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_MOD_CREATE { pub spec: Obj, pub result: Obj }
#[repr(C)]
pub struct _HPyFunc_args_DESTRUCTOR { pub arg0: Obj }
#[repr(C)]
pub struct _HPyFunc_args_GETBUFFERPROC { pub self_: Obj, pub view: *mut crate::cpy_Py_buffer, pub flags: c_int, pub result: c_int }
#[repr(C)]
pub struct _HPyFunc_args_RELEASEBUFFERPROC { pub self_: Obj, pub view: *mut crate::cpy_Py_buffer }
#[repr(C)]
pub struct _HPyFunc_args_TRAVERSEPROC { pub self_: Obj, pub visit: crate::cpy_visitproc, pub arg: *mut c_void, pub result: c_int }

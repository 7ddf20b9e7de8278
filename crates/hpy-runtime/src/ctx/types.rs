//! Types: creating them from an `HPyType_Spec`, creating their instances,
//! and reaching the C struct of an instance.

use crate::errors::set_error;
use crate::handles::{h2py, py2h};
use crate::instance::{init_call_function, set_call_function};
use crate::shape::header_size;
use crate::typemeta;
use crate::typespec::type_from_spec;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int, c_void};
use std::ptr::addr_of_mut;

pub unsafe extern "C" fn ctx_Type_FromSpec(_ctx: *mut HPyContext, spec: *mut HPyType_Spec, params: *mut HPyType_SpecParam) -> HPy {
    if spec.is_null() {
        set_error(ffi::PyExc_SystemError, "HPyType_FromSpec: spec must not be NULL");
        return HPy::NULL;
    }
    match type_from_spec(&*spec, params) {
        Ok(t) => py2h(t),
        Err(e) => {
            e.raise();
            HPy::NULL
        }
    }
}

/// The type behind `h`, argument 1 of `api`, or NULL with TypeError set.
#[inline(always)]
unsafe fn as_type(h: HPy, api: &str) -> *mut ffi::PyTypeObject {
    as_type_arg(h, api, 1)
}

/// The type behind `h`, argument `arg` of `api`, or NULL with TypeError set.
#[inline(always)]
pub(crate) unsafe fn as_type_arg(h: HPy, api: &str, arg: u8) -> *mut ffi::PyTypeObject {
    let t = h2py(h);
    if t.is_null() || ffi::PyType_Check(t) == 0 {
        not_a_type(api, arg);
        return std::ptr::null_mut();
    }
    t.cast()
}

/// Out of line: formatting the message would otherwise make every caller
/// set up a stack frame for it, also on its fast path (HPy_New).
#[cold]
#[inline(never)]
pub(crate) unsafe fn not_a_type(api: &str, arg: u8) {
    set_error(ffi::PyExc_TypeError, &format!("{api} arg {arg} must be a type"));
}

pub unsafe extern "C" fn ctx_Type_GenericNew(_ctx: *mut HPyContext, h_type: HPy, _args: *const HPy, _nargs: HPy_ssize_t, _kw: HPy) -> HPy {
    let tp = as_type(h_type, "HPyType_GenericNew");
    if tp.is_null() {
        return HPy::NULL;
    }
    let alloc = (*tp).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc);
    let obj = alloc(tp, 0);
    if !obj.is_null() {
        init_call_function(obj, tp);
    }
    py2h(obj)
}

/// `HPy_New`: a new instance whose struct (everything after the object
/// header) is zeroed; `*data` receives the struct as HPy code sees it.
pub unsafe extern "C" fn ctx_New(_ctx: *mut HPyContext, h_type: HPy, data: *mut *mut c_void) -> HPy {
    let tp = as_type(h_type, "HPy_New");
    if tp.is_null() {
        return HPy::NULL;
    }
    let gc = ffi::PyType_IS_GC(tp) != 0;
    let obj = if gc { ffi::_PyObject_GC_New(tp) } else { ffi::_PyObject_New(tp) };
    if obj.is_null() {
        return HPy::NULL;
    }
    // Keep ob_refcnt and ob_type (and any debug-build header fields).
    let head = (*addr_of_mut!(ffi::PyBaseObject_Type)).tp_basicsize;
    let size = (*tp).tp_basicsize;
    if size > head {
        std::ptr::write_bytes(obj.cast::<u8>().offset(head), 0, (size - head) as usize);
    }
    init_call_function(obj, tp);
    // Tracked only once every field is initialized, as CPython requires.
    if gc {
        ffi::PyObject_GC_Track(obj.cast());
    }
    // (no HPy type among tp and its bases: a legacy layout, the struct is
    // the object)
    *data = obj.cast::<u8>().offset(typemeta::nearest(tp).map_or(0, |m| m.offset)).cast();
    py2h(obj)
}

macro_rules! as_struct_fns {
    ($($name:ident => $shape:ident),* $(,)?) => {$(
        pub unsafe extern "C" fn $name(_ctx: *mut HPyContext, h: HPy) -> *mut c_void {
            let o = h2py(h);
            if o.is_null() {
                return std::ptr::null_mut();
            }
            o.cast::<u8>().offset(header_size($shape).unwrap_or(0)).cast()
        }
    )*};
}

as_struct_fns! {
    ctx_AsStruct_Object => HPyType_BuiltinShape_Object,
    ctx_AsStruct_Type => HPyType_BuiltinShape_Type,
    ctx_AsStruct_Long => HPyType_BuiltinShape_Long,
    ctx_AsStruct_Float => HPyType_BuiltinShape_Float,
    ctx_AsStruct_Unicode => HPyType_BuiltinShape_Unicode,
    ctx_AsStruct_Tuple => HPyType_BuiltinShape_Tuple,
    ctx_AsStruct_List => HPyType_BuiltinShape_List,
}

/// A legacy struct starts with PyObject_HEAD: it is the object itself.
pub unsafe extern "C" fn ctx_AsStruct_Legacy(_ctx: *mut HPyContext, h: HPy) -> *mut c_void {
    h2py(h).cast()
}

pub unsafe extern "C" fn ctx_Type_GetBuiltinShape(_ctx: *mut HPyContext, h_type: HPy) -> HPyType_BuiltinShape {
    let t = h2py(h_type);
    if t.is_null() || ffi::PyType_Check(t) == 0 {
        set_error(ffi::PyExc_TypeError, "arg must be a type");
        return -2;
    }
    typemeta::shape_of(t.cast())
}

/// `type.__name__` as UTF-8, owned by the type.
pub unsafe extern "C" fn ctx_Type_GetName(_ctx: *mut HPyContext, h_type: HPy) -> *const c_char {
    let t = h2py(h_type);
    if t.is_null() || ffi::PyType_Check(t) == 0 {
        set_error(ffi::PyExc_TypeError, "HPyType_GetName arg must be a type");
        return std::ptr::null();
    }
    let tp = t.cast::<ffi::PyTypeObject>();
    if ffi::PyType_HasFeature(tp, ffi::Py_TPFLAGS_HEAPTYPE) != 0 {
        // A heap type's name is its own str object (ht_name): the UTF-8
        // cached in it lives as long as the type does.
        let name = ffi::PyType_GetName(tp);
        if name.is_null() {
            return std::ptr::null();
        }
        let utf8 = ffi::PyUnicode_AsUTF8(name);
        ffi::Py_DECREF(name);
        return utf8;
    }
    // A static type's tp_name is "module.Name"; its __name__ is the last part.
    let full = (*tp).tp_name;
    let s = std::ffi::CStr::from_ptr(full).to_bytes();
    match s.iter().rposition(|&b| b == b'.') {
        Some(i) => full.add(i + 1),
        None => full,
    }
}

/// PyType_IsSubtype reads both arguments as types (a crash, or a wrong
/// answer, for anything else): 0 and a TypeError instead, with HPy 0.9.0's
/// debug-mode words.
pub unsafe extern "C" fn ctx_Type_IsSubtype(_ctx: *mut HPyContext, sub: HPy, ty: HPy) -> c_int {
    let a = as_type_arg(sub, "HPyType_IsSubtype", 1);
    if a.is_null() {
        return 0;
    }
    let b = as_type_arg(ty, "HPyType_IsSubtype", 2);
    if b.is_null() {
        return 0;
    }
    is_subtype(a, b)
}

/// `PyType_IsSubtype(a, b)`, with CPython's own algorithm (a scan of `a`'s
/// MRO) inlined for initialised types: the call would cost more than the
/// scan of a short MRO, and `HPy_TypeCheck` misses on every object that is
/// not an instance.
#[inline(always)]
pub(crate) unsafe fn is_subtype(a: *mut ffi::PyTypeObject, b: *mut ffi::PyTypeObject) -> c_int {
    let mro = (*a).tp_mro;
    if mro.is_null() {
        // not ready yet: CPython follows tp_base instead
        return ffi::PyType_IsSubtype(a, b);
    }
    let items = ffi::PyTuple_GET_SIZE(mro);
    let first = (*mro.cast::<ffi::PyTupleObject>()).ob_item.as_ptr();
    for i in 0..items {
        if *first.offset(i) == b.cast() {
            return 1;
        }
    }
    0
}

pub unsafe extern "C" fn ctx_SetCallFunction(_ctx: *mut HPyContext, h: HPy, func: *mut HPyCallFunction) -> c_int {
    let obj = h2py(h);
    let tp = ffi::Py_TYPE(obj);
    if typemeta::nearest(tp).is_none() || (*tp).tp_vectorcall_offset <= 0 {
        let name = std::ffi::CStr::from_ptr((*tp).tp_name).to_string_lossy();
        set_error(ffi::PyExc_TypeError, &format!("type '{name}' does not implement the HPy call protocol"));
        return -1;
    }
    let f = (*func).cpy_trampoline;
    let f = (!f.is_null()).then(|| std::mem::transmute::<*mut c_void, ffi::vectorcallfunc>(f));
    set_call_function(obj, f);
    0
}

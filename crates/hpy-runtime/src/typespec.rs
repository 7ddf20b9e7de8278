//! `HPyType_FromSpec`: turning an `HPyType_Spec` into a CPython heap type
//! made by `PyType_FromSpecWithBases` / `PyType_FromMetaclass`.
//!
//! Slot numbers of HPy equal CPython's, and each `HPyDef_SLOT` carries the
//! trampoline CPython must call, so most slots pass straight through. The
//! exceptions: `HPy_tp_destroy` (no CPython slot; the runtime's `tp_dealloc`
//! calls it), `HPy_tp_traverse` (also remembered, to release fields),
//! `HPy_tp_call` (a per-object call function stored in a hidden field after
//! the user's struct, called through the vectorcall protocol), and the
//! module slots (refused).

use crate::errors::set_error;
use crate::handles::h2py;
use crate::instance::{hpy_call, hpy_clear, hpy_dealloc};
use crate::shape::header_size;
use crate::typemeta::{self, TypeMeta};
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_char, c_int, c_uint, c_ulong, c_void, CStr};
use std::ptr::{addr_of_mut, null_mut};

pub const HPy_TPFLAGS_HAVE_GC: c_ulong = 1 << 14;
/// The one type slot number of HPy that CPython does not have.
pub const HPy_tp_destroy: HPySlot_Slot = 1000;
const VECTORCALLOFFSET: &CStr = c"__vectorcalloffset__";

/// Why a type could not be made.
pub enum Error {
    /// A Python exception is set already.
    Raised,
    /// Raise `exc(message)`.
    Raise(*mut ffi::PyObject, String),
}

type R<T> = Result<T, Error>;

fn type_error(msg: impl Into<String>) -> Error {
    Error::Raise(unsafe { ffi::PyExc_TypeError }, msg.into())
}

fn value_error(msg: impl Into<String>) -> Error {
    Error::Raise(unsafe { ffi::PyExc_ValueError }, msg.into())
}

impl Error {
    pub unsafe fn raise(self) {
        if let Error::Raise(exc, msg) = self {
            set_error(exc, &msg);
        }
    }
}

unsafe fn cstr<'a>(p: *const c_char) -> std::borrow::Cow<'a, str> {
    if p.is_null() {
        "<NULL>".into()
    } else {
        CStr::from_ptr(p).to_string_lossy()
    }
}

// ---- HPyType_SpecParam ----------------------------------------------------

/// The bases and metaclass asked for by the spec parameters.
struct Params {
    /// A new reference to a tuple, or NULL for "object".
    bases: *mut ffi::PyObject,
    /// Borrowed; NULL when not given.
    metaclass: *mut ffi::PyTypeObject,
}

impl Drop for Params {
    fn drop(&mut self) {
        unsafe { ffi::Py_XDECREF(self.bases) }
    }
}

impl Params {
    /// The first base, whose struct an HPy type with `basicsize == 0` inherits.
    unsafe fn first_base(&self) -> *mut ffi::PyTypeObject {
        if !self.bases.is_null() && ffi::PyTuple_GET_SIZE(self.bases) > 0 {
            let b = ffi::PyTuple_GET_ITEM(self.bases, 0);
            if ffi::PyType_Check(b) != 0 {
                return b.cast();
            }
        }
        addr_of_mut!(ffi::PyBaseObject_Type)
    }
}

unsafe fn read_params(params: *mut HPyType_SpecParam, type_name: &str) -> R<Params> {
    let mut out = Params { bases: null_mut(), metaclass: null_mut() };
    if params.is_null() {
        return Ok(out);
    }
    let mut entries = Vec::new();
    let mut p = params;
    while (*p).kind != 0 {
        entries.push(&*p);
        p = p.add(1);
    }
    let (mut n_base, mut n_tuple) = (0, 0);
    for e in &entries {
        match e.kind {
            HPyType_SpecParam_Base => n_base += 1,
            HPyType_SpecParam_BasesTuple => n_tuple += 1,
            HPyType_SpecParam_Metaclass => {}
            _ => return Err(type_error(format!("unknown HPyType_SpecParam specification for '{type_name}'"))),
        }
    }
    if n_tuple > 1 {
        return Err(type_error("multiple specifications of HPyType_SpecParam_BasesTuple"));
    }
    if n_base > 0 && n_tuple > 0 {
        return Err(type_error("cannot specify both HPyType_SpecParam_Base and HPyType_SpecParam_BasesTuple"));
    }
    for e in &entries {
        if e.kind == HPyType_SpecParam_Metaclass {
            if !out.metaclass.is_null() {
                return Err(value_error("metaclass was specified multiple times"));
            }
            let m = h2py(e.object);
            if m.is_null() || ffi::PyType_Check(m) == 0 {
                return Err(type_error("HPyType_SpecParam_Metaclass: the metaclass is not a subclass of 'type'"));
            }
            out.metaclass = m.cast();
        }
    }
    if n_tuple == 1 {
        let t = h2py(entries.iter().find(|e| e.kind == HPyType_SpecParam_BasesTuple).unwrap().object);
        if t.is_null() || ffi::PyTuple_Check(t) == 0 {
            return Err(type_error("HPyType_SpecParam_BasesTuple must be a tuple"));
        }
        ffi::Py_INCREF(t);
        out.bases = t;
    } else if n_base > 0 {
        let t = ffi::PyTuple_New(n_base);
        if t.is_null() {
            return Err(Error::Raised);
        }
        out.bases = t; // released by Drop on error
        for (i, e) in entries.iter().filter(|e| e.kind == HPyType_SpecParam_Base).enumerate() {
            let b = h2py(e.object);
            if b.is_null() {
                return Err(type_error("HPyType_SpecParam_Base with a NULL handle"));
            }
            ffi::Py_INCREF(b);
            ffi::PyTuple_SET_ITEM(t, i as isize, b);
        }
    }
    Ok(out)
}

// ---- defines and legacy slots ---------------------------------------------

/// Everything of the CPython spec except the three tables, which end up in
/// the type's `TypeMeta`.
#[derive(Default)]
struct Parts {
    slots: Vec<ffi::PyType_Slot>,
    methods: Vec<ffi::PyMethodDef>,
    members: Vec<ffi::PyMemberDef>,
    getsets: Vec<ffi::PyGetSetDef>,
    destroy: Option<HPyFunc_destroyfunc>,
    traverse: Option<HPyFunc_traverseproc>,
    call_default: Option<ffi::vectorcallfunc>,
    /// A member named `__vectorcalloffset__` (HPy or legacy).
    explicit_vectorcalloffset: bool,
    legacy_dealloc: bool,
    legacy_clear: bool,
}

fn slot(id: c_int, pfunc: *mut c_void) -> ffi::PyType_Slot {
    ffi::PyType_Slot { slot: id, pfunc }
}

/// CPython slots that hold data or that the runtime fills itself: an
/// `HPyDef_SLOT` with one of these numbers would hand CPython a trampoline
/// where it expects something else.
fn reserved_slot(id: c_int) -> bool {
    matches!(
        id,
        ffi::Py_tp_alloc
            | ffi::Py_tp_base
            | ffi::Py_tp_bases
            | ffi::Py_tp_clear
            | ffi::Py_tp_dealloc
            | ffi::Py_tp_doc
            | ffi::Py_tp_is_gc
            | ffi::Py_tp_methods
            | ffi::Py_tp_members
            | ffi::Py_tp_getset
            | ffi::Py_tp_free
    )
}

/// The largest slot number CPython's `PyType_Slot` may use (`Py_tp_vectorcall`
/// on 3.14; older versions reject the numbers they do not know themselves).
const MAX_CPYTHON_SLOT: c_int = 82;

unsafe fn add_slot(parts: &mut Parts, s: &HPySlot) -> R<()> {
    match s.slot {
        HPy_tp_destroy => {
            let f = s.impl_.ok_or_else(|| type_error("HPy_tp_destroy slot without an implementation"))?;
            parts.destroy = Some(std::mem::transmute::<unsafe extern "C" fn() -> *mut c_void, HPyFunc_destroyfunc>(f));
        }
        HPy_mod_create | HPy_mod_exec => {
            return Err(type_error(format!("slot {} is a module slot (HPy_mod_create/HPy_mod_exec): a type cannot have it", s.slot)))
        }
        id if (1..=MAX_CPYTHON_SLOT).contains(&id) && !reserved_slot(id) => {
            let tramp = s.cpy_trampoline.ok_or_else(|| type_error(format!("slot {id} has no CPython trampoline")))?;
            let tramp = tramp as *mut c_void;
            if id == ffi::Py_tp_call {
                // Called through vectorcall: the KEYWORDS trampoline has the
                // signature of a vectorcallfunc.
                parts.call_default = Some(std::mem::transmute::<*mut c_void, ffi::vectorcallfunc>(tramp));
                return Ok(());
            }
            if id == ffi::Py_tp_traverse {
                let f = s.impl_.ok_or_else(|| type_error("HPy_tp_traverse slot without an implementation"))?;
                parts.traverse = Some(std::mem::transmute::<unsafe extern "C" fn() -> *mut c_void, HPyFunc_traverseproc>(f));
            }
            parts.slots.push(slot(id, tramp));
        }
        other => return Err(type_error(format!("invalid slot number {other} in HPyType_Spec.defines"))),
    }
    Ok(())
}

unsafe fn add_defines(parts: &mut Parts, spec: &HPyType_Spec, head: isize) -> R<()> {
    let mut p = spec.defines;
    while !p.is_null() && !(*p).is_null() {
        let d = &**p;
        match d.kind {
            HPyDef_Kind_Slot => add_slot(parts, &d.u.slot)?,
            HPyDef_Kind_Meth => parts.methods.push(crate::module::method_def(&d.u.meth).map_err(value_error)?),
            HPyDef_Kind_Member => {
                let m = &d.u.member;
                if !m.name.is_null() && CStr::from_ptr(m.name) == VECTORCALLOFFSET {
                    parts.explicit_vectorcalloffset = true;
                }
                // HPyMember_FieldType numbers are CPython's Py_T_* numbers, and
                // an HPyField holds the PyObject* itself, as T_OBJECT(_EX) expects.
                parts.members.push(ffi::PyMemberDef {
                    name: m.name,
                    type_code: m.type_,
                    offset: m.offset + head,
                    flags: if m.readonly != 0 { ffi::Py_READONLY } else { 0 },
                    doc: m.doc,
                });
            }
            HPyDef_Kind_GetSet => {
                let g = &d.u.getset;
                parts.getsets.push(ffi::PyGetSetDef {
                    name: g.name,
                    get: g.getter_cpy_trampoline.map(|f| std::mem::transmute::<_, ffi::getter>(f)),
                    set: g.setter_cpy_trampoline.map(|f| std::mem::transmute::<_, ffi::setter>(f)),
                    doc: g.doc,
                    closure: g.closure,
                });
            }
            other => return Err(type_error(format!("invalid HPyDef kind {other} in HPyType_Spec.defines"))),
        }
        p = p.add(1);
    }
    Ok(())
}

/// Appends a NULL-terminated C array, up to (not including) its terminator.
unsafe fn append_until<T: Copy>(dst: &mut Vec<T>, mut p: *const T, end: impl Fn(&T) -> bool) {
    while !p.is_null() && !end(&*p) {
        dst.push(*p);
        p = p.add(1);
    }
}

/// `legacy_slots` (hybrid types only): a `PyType_Slot` array whose method,
/// member and getset tables are merged after the HPy ones.
unsafe fn add_legacy_slots(parts: &mut Parts, legacy: *mut c_void) {
    let mut p = legacy.cast::<ffi::PyType_Slot>();
    while !p.is_null() && (*p).slot != 0 {
        let s = *p;
        match s.slot {
            ffi::Py_tp_methods => append_until(&mut parts.methods, s.pfunc.cast(), |m: &ffi::PyMethodDef| m.ml_name.is_null()),
            ffi::Py_tp_members => {
                let start = parts.members.len();
                append_until(&mut parts.members, s.pfunc.cast(), |m: &ffi::PyMemberDef| m.name.is_null());
                if parts.members[start..].iter().any(|m| CStr::from_ptr(m.name) == VECTORCALLOFFSET) {
                    parts.explicit_vectorcalloffset = true;
                }
            }
            ffi::Py_tp_getset => append_until(&mut parts.getsets, s.pfunc.cast(), |g: &ffi::PyGetSetDef| g.name.is_null()),
            id => {
                parts.legacy_dealloc |= id == ffi::Py_tp_dealloc;
                parts.legacy_clear |= id == ffi::Py_tp_clear;
                parts.slots.push(s);
            }
        }
        p = p.add(1);
    }
}

fn terminated<T>(mut v: Vec<T>, sentinel: T) -> Box<[T]> {
    v.push(sentinel);
    v.into_boxed_slice()
}

// ---- the type -------------------------------------------------------------

#[cfg(Py_3_12)]
unsafe fn make_type(spec: *mut ffi::PyType_Spec, params: &Params) -> R<*mut ffi::PyObject> {
    let t = ffi::PyType_FromMetaclass(params.metaclass, null_mut(), spec, params.bases);
    if t.is_null() {
        Err(Error::Raised)
    } else {
        Ok(t)
    }
}

#[cfg(not(Py_3_12))]
unsafe fn make_type(spec: *mut ffi::PyType_Spec, params: &Params) -> R<*mut ffi::PyObject> {
    let type_type = addr_of_mut!(ffi::PyType_Type);
    let mut meta = params.metaclass;
    // As PyType_FromMetaclass (3.12) does: the most derived of the given
    // metaclass and the bases' metaclasses, or a metaclass conflict.
    if !meta.is_null() && meta != type_type && !params.bases.is_null() {
        meta = _PyType_CalculateMetaclass(meta, params.bases);
        if meta.is_null() {
            return Err(Error::Raised);
        }
    }
    let t = ffi::PyType_FromSpecWithBases(spec, params.bases);
    if t.is_null() {
        return Err(Error::Raised);
    }
    if meta.is_null() || meta == type_type {
        return Ok(t);
    }
    // Both pointers are read from type objects (CPython's own `type_new`
    // when not overridden), so comparing their addresses is meaningful.
    if (*meta).tp_new.map(|f| f as usize) != ffi::PyType_Type.tp_new.map(|f| f as usize) {
        discard_type(t);
        return Err(type_error("Metaclasses with custom tp_new are not supported."));
    }
    move_into_metaclass(t, meta)
}

#[cfg(not(Py_3_12))]
extern "C" {
    // Exported by CPython (Include/cpython/object.h) since 3.2.
    fn _PyType_CalculateMetaclass(meta: *mut ffi::PyTypeObject, bases: *mut ffi::PyObject) -> *mut ffi::PyTypeObject;
}

/// CPython 3.11's `PyHeapTypeObject`: pyo3-ffi hides the last two fields,
/// which the move below must reset.
#[cfg(not(Py_3_12))]
#[repr(C)]
struct HeapType311 {
    ht_type: ffi::PyTypeObject,
    as_async: ffi::PyAsyncMethods,
    as_number: ffi::PyNumberMethods,
    as_mapping: ffi::PyMappingMethods,
    as_sequence: ffi::PySequenceMethods,
    as_buffer: ffi::PyBufferProcs,
    ht_name: *mut ffi::PyObject,
    ht_slots: *mut ffi::PyObject,
    ht_qualname: *mut ffi::PyObject,
    ht_cached_keys: *mut c_void,
    ht_module: *mut ffi::PyObject,
    ht_tpname: *mut c_char,
    spec_cache_getitem: *mut ffi::PyObject,
}

/// Drops a type that was never handed out: it refers to itself through its
/// dict and its mro, so the cycles are broken first, which also takes it out
/// of its bases' `__subclasses__()` now rather than at the next collection.
#[cfg(not(Py_3_12))]
unsafe fn discard_type(t: *mut ffi::PyObject) {
    if let Some(clear) = ffi::PyType_Type.tp_clear {
        clear(t);
    }
    ffi::Py_DECREF(t);
}

/// Python 3.11 has no way to create a type from a spec with a metaclass
/// (`PyType_FromMetaclass` is 3.12). So the type is created as an instance
/// of `type` and then moved into a new instance of the metaclass: its fields
/// copied, references and buffers it owns duplicated, what `PyType_Ready`
/// computes reset and computed again; the original is then dropped. The
/// HPy metadata follows, being keyed by `tp_methods`, which the copy keeps.
/// The same technique as the cpython ABI's ctx_type.c.
#[cfg(not(Py_3_12))]
unsafe fn move_into_metaclass(tmp: *mut ffi::PyObject, meta: *mut ffi::PyTypeObject) -> R<*mut ffi::PyObject> {
    use std::mem::size_of;
    let type_type = addr_of_mut!(ffi::PyType_Type);
    let layout_known = size_of::<HeapType311>() == (*type_type).tp_basicsize as usize
        && (*meta).tp_basicsize >= (*type_type).tp_basicsize
        && (*meta).tp_itemsize == (*type_type).tp_itemsize
        && ffi::Py_TYPE(tmp) == type_type;
    if !layout_known {
        discard_type(tmp);
        return Err(type_error("HPyType_SpecParam_Metaclass: this metaclass's layout is not supported on Python 3.11"));
    }
    let src = tmp.cast::<HeapType311>();
    let n_members = ffi::Py_SIZE(tmp);
    let Some(alloc) = (*meta).tp_alloc else {
        discard_type(tmp);
        return Err(type_error("HPyType_SpecParam_Metaclass: the metaclass cannot allocate"));
    };
    let result = alloc(meta, n_members);
    if result.is_null() {
        discard_type(tmp);
        return Err(Error::Raised);
    }
    // Invisible to the collector until it is consistent.
    ffi::PyObject_GC_UnTrack(result.cast());
    let dst = result.cast::<HeapType311>();
    let tp = addr_of_mut!((*dst).ht_type);

    // Everything after the object header (refcount, type, member count).
    let head = size_of::<ffi::PyVarObject>();
    std::ptr::copy_nonoverlapping(src.cast::<u8>().add(head), dst.cast::<u8>().add(head), size_of::<HeapType311>() - head);
    (*tp).tp_as_async = addr_of_mut!((*dst).as_async);
    (*tp).tp_as_number = addr_of_mut!((*dst).as_number);
    (*tp).tp_as_sequence = addr_of_mut!((*dst).as_sequence);
    (*tp).tp_as_mapping = addr_of_mut!((*dst).as_mapping);
    (*tp).tp_as_buffer = addr_of_mut!((*dst).as_buffer);
    // The member table lives after the metaclass's fixed part.
    (*tp).tp_members = dst.cast::<u8>().offset((*meta).tp_basicsize).cast();
    std::ptr::copy_nonoverlapping(
        src.cast::<u8>().offset((*type_type).tp_basicsize).cast::<ffi::PyMemberDef>(),
        (*tp).tp_members,
        n_members as usize,
    );

    // References and buffers of its own.
    for o in [(*dst).ht_name, (*dst).ht_qualname, (*dst).ht_slots, (*dst).ht_module, (*tp).tp_base.cast(), (*tp).tp_bases] {
        ffi::Py_XINCREF(o);
    }
    (*dst).ht_cached_keys = null_mut();
    (*dst).spec_cache_getitem = null_mut();
    (*dst).ht_tpname = null_mut();
    (*tp).tp_doc = null_mut();
    // Computed again by PyType_Ready.
    (*tp).tp_dict = null_mut();
    (*tp).tp_mro = null_mut();
    (*tp).tp_cache = null_mut();
    (*tp).tp_subclasses = null_mut();
    (*tp).tp_weaklist = null_mut();
    (*tp).tp_version_tag = 0;
    (*tp).tp_flags &= !(ffi::Py_TPFLAGS_READY | ffi::Py_TPFLAGS_READYING | ffi::Py_TPFLAGS_VALID_VERSION_TAG);

    let fail = |tracked: bool| {
        if !tracked {
            ffi::PyObject_GC_Track(result.cast());
        }
        ffi::Py_DECREF(result);
        discard_type(tmp);
        Err(Error::Raised)
    };
    let name = CStr::from_ptr((*src).ht_tpname).to_bytes_with_nul();
    (*dst).ht_tpname = ffi::PyMem_Malloc(name.len()).cast();
    if (*dst).ht_tpname.is_null() {
        ffi::PyErr_NoMemory();
        return fail(false);
    }
    std::ptr::copy_nonoverlapping(name.as_ptr().cast(), (*dst).ht_tpname, name.len());
    (*tp).tp_name = (*dst).ht_tpname;
    if !(*src).ht_type.tp_doc.is_null() {
        let doc = CStr::from_ptr((*src).ht_type.tp_doc).to_bytes_with_nul();
        let copy = ffi::PyObject_Malloc(doc.len()).cast::<c_char>();
        if copy.is_null() {
            ffi::PyErr_NoMemory();
            return fail(false);
        }
        std::ptr::copy_nonoverlapping(doc.as_ptr().cast(), copy, doc.len());
        (*tp).tp_doc = copy;
    }

    ffi::PyObject_GC_Track(result.cast());
    if ffi::PyType_Ready(tp) < 0 {
        return fail(true);
    }
    // The one entry PyType_FromSpec adds to the dict itself.
    let module = ffi::PyDict_GetItemString((*src).ht_type.tp_dict, c"__module__".as_ptr());
    if !module.is_null() && ffi::PyDict_SetItemString((*tp).tp_dict, c"__module__".as_ptr(), module) < 0 {
        return fail(true);
    }
    discard_type(tmp);
    Ok(result)
}

/// Legacy parts in a spec of a pure universal module (see loader.rs).
#[cold]
unsafe fn refuse_in_pure_module(spec: &HPyType_Spec, name: &str) -> R<()> {
    let Some(module) = crate::loader::pure_universal_owner((spec as *const HPyType_Spec).cast()) else {
        return Ok(());
    };
    let part = if spec.legacy_slots.is_null() { ".builtin_shape=HPyType_BuiltinShape_Legacy" } else { ".legacy_slots" };
    Err(type_error(format!(
        "type '{name}' of the pure universal HPy module '{module}' has {part}: legacy (Python.h) parts need \
         the hybrid ABI; rebuild the module with --hpy-abi=hybrid"
    )))
}

/// Creates the type; a new reference.
pub unsafe fn type_from_spec(spec: &HPyType_Spec, params: *mut HPyType_SpecParam) -> R<*mut ffi::PyObject> {
    if spec.name.is_null() {
        return Err(type_error("HPyType_Spec.name must not be NULL"));
    }
    let name = cstr(spec.name);
    let params = read_params(params, &name)?;
    if !spec.legacy_slots.is_null() || spec.builtin_shape == HPyType_BuiltinShape_Legacy {
        refuse_in_pure_module(spec, &name)?;
    }
    if !spec.legacy_slots.is_null() && spec.builtin_shape != HPyType_BuiltinShape_Legacy {
        return Err(type_error("cannot specify .legacy_slots without setting .builtin_shape=HPyType_BuiltinShape_Legacy"));
    }
    let head = header_size(spec.builtin_shape).ok_or_else(|| value_error(format!("invalid shape: {}", spec.builtin_shape)))?;
    if spec.basicsize < 0 || spec.itemsize < 0 {
        return Err(value_error(format!("type '{name}': basicsize and itemsize must not be negative")));
    }

    let mut parts = Parts::default();
    add_defines(&mut parts, spec, head)?;
    let hpy_fields_owner = parts.destroy.is_some() || parts.traverse.is_some();
    if !spec.legacy_slots.is_null() {
        add_legacy_slots(&mut parts, spec.legacy_slots);
        if parts.legacy_dealloc && hpy_fields_owner {
            return Err(type_error("legacy tp_dealloc is incompatible with HPy_tp_traverse or HPy_tp_destroy."));
        }
    }
    // A legacy Py_tp_traverse does not count, as in HPy 0.9.0 (and the cpython ABI).
    if spec.flags & HPy_TPFLAGS_HAVE_GC != 0 && parts.traverse.is_none() {
        return Err(value_error("You must provide an HPy_tp_traverse slot if you specify HPy_TPFLAGS_HAVE_GC"));
    }

    let mut basicsize: isize = if spec.basicsize != 0 { spec.basicsize as isize + head } else { 0 };
    let mut flags = spec.flags;
    if parts.call_default.is_some() {
        if parts.explicit_vectorcalloffset {
            return Err(type_error(
                "Cannot have HPy_tp_call and explicit member '__vectorcalloffset__'. Specify just one of them.",
            ));
        }
        if spec.itemsize != 0 {
            return Err(type_error("Cannot use HPy call protocol with var objects"));
        }
        if spec.basicsize == 0 && spec.builtin_shape == HPyType_BuiltinShape_Legacy {
            // Refused as in HPy 0.9.0 (and the cpython ABI), so that a spec
            // accepted here loads under any HPy runtime: there the struct of a
            // legacy type is not known when it is inherited.
            return Err(type_error(
                "Cannot use HPy call protocol with legacy types that inherit the struct. \
                 Either set the basicsize to a non-zero value or use legacy slot 'Py_tp_call'.",
            ));
        }
        // The hidden field holding the object's call function follows the
        // struct (the type's own, or the inherited one).
        let end = if basicsize != 0 { basicsize } else { (*params.first_base()).tp_basicsize };
        let ptr_size = std::mem::size_of::<ffi::vectorcallfunc>() as isize;
        let offset = (end + ptr_size - 1) / ptr_size * ptr_size;
        basicsize = offset + ptr_size;
        parts.members.insert(
            0,
            ffi::PyMemberDef { name: VECTORCALLOFFSET.as_ptr(), type_code: ffi::Py_T_PYSSIZET, offset, flags: ffi::Py_READONLY, doc: std::ptr::null() },
        );
    }
    if parts.call_default.is_some() || parts.explicit_vectorcalloffset {
        parts.slots.push(slot(ffi::Py_tp_call, hpy_call as *mut c_void));
        flags |= ffi::Py_TPFLAGS_HAVE_VECTORCALL;
    }
    if basicsize == 0 && !parts.members.is_empty() {
        return Err(type_error("Type claims to have basicsize==0 but defines members"));
    }
    if basicsize > c_int::MAX as isize {
        return Err(value_error(format!("type '{name}': basicsize too large")));
    }
    if !spec.doc.is_null() {
        parts.slots.push(slot(ffi::Py_tp_doc, spec.doc as *mut c_void));
    }
    if hpy_fields_owner {
        parts.slots.push(slot(ffi::Py_tp_dealloc, hpy_dealloc as *mut c_void));
    }
    if parts.traverse.is_some() && !parts.legacy_clear {
        parts.slots.push(slot(ffi::Py_tp_clear, hpy_clear as *mut c_void));
    }

    let meta = typemeta::register(TypeMeta {
        shape: spec.builtin_shape,
        offset: crate::shape::header_size(spec.builtin_shape).unwrap_or(0),
        destroy: parts.destroy,
        traverse: parts.traverse,
        call_default: parts.call_default,
        methods: terminated(parts.methods, std::mem::zeroed()),
        getsets: terminated(parts.getsets, std::mem::zeroed()),
        members: terminated(parts.members, std::mem::zeroed()),
        name: Default::default(),
    });
    // CPython only reads these tables.
    parts.slots.push(slot(ffi::Py_tp_methods, meta.methods.as_ptr() as *mut c_void));
    parts.slots.push(slot(ffi::Py_tp_members, meta.members.as_ptr() as *mut c_void));
    parts.slots.push(slot(ffi::Py_tp_getset, meta.getsets.as_ptr() as *mut c_void));
    parts.slots.push(slot(0, null_mut()));

    let mut pyspec = ffi::PyType_Spec {
        name: spec.name,
        basicsize: basicsize as c_int,
        itemsize: spec.itemsize,
        flags: flags as c_uint,
        slots: parts.slots.as_mut_ptr(),
    };
    let t = match make_type(&mut pyspec, &params) {
        Ok(t) => t,
        Err(e) => {
            typemeta::unregister(meta);
            return Err(e);
        }
    };
    // A legacy struct starts with PyObject_HEAD; a pure type's struct does not,
    // so a legacy type cannot extend it.
    let base = (*t.cast::<ffi::PyTypeObject>()).tp_base;
    if !meta.is_pure() && !base.is_null() && typemeta::nearest(base).is_some_and(|m| m.is_pure()) {
        ffi::Py_DECREF(t);
        typemeta::unregister(meta);
        return Err(type_error("A legacy type should not inherit its memory layout from a pure type"));
    }
    meta.set_name(t.cast());
    Ok(t)
}

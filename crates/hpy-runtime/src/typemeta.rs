//! What the runtime remembers about each type made by `HPyType_FromSpec`.
//!
//! The metadata lives in the runtime's own side table, never in the type
//! object: no `tp_flags` bit, no reuse of `tp_name` or other fields the
//! interpreter owns (HPy 0.9.0 borrowed a flag bit, which CPython 3.13 then
//! took for itself).
//!
//! The key is the address of the `PyMethodDef` array the runtime built for
//! the type. CPython stores that pointer verbatim in `tp_methods` and never
//! copies or frees the array (it must outlive the type), and the runtime
//! never frees it either, so the address can never be reused by another
//! type: a lookup can not return the metadata of a dead type whose memory
//! now holds a different type. Keying on the type object's address instead
//! would need the entry to be dropped exactly when the type's memory is
//! freed, which CPython does not signal (weakref callbacks run too early: the
//! garbage collector calls them before it deallocates the instances of the
//! type, whose `tp_dealloc` still needs the metadata).
//!
//! The price is that the few hundred bytes of a type's method table and
//! metadata are never freed, as in HPy 0.9.0 and as for static types.

use hpy_abi::*;
use pyo3_ffi as ffi;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLock;

pub struct TypeMeta {
    pub shape: HPyType_BuiltinShape,
    /// `HPy_tp_destroy`: called with the instance's struct from `tp_dealloc`.
    pub destroy: Option<HPyFunc_destroyfunc>,
    /// `HPy_tp_traverse`: also used by `tp_clear` and `tp_dealloc` to release
    /// the instance's `HPyField`s.
    pub traverse: Option<HPyFunc_traverseproc>,
    /// The trampoline of `HPy_tp_call`: every new instance's call function.
    pub call_default: Option<ffi::vectorcallfunc>,
    /// The arrays CPython keeps pointers into, alive for the whole process.
    pub(crate) methods: Box<[ffi::PyMethodDef]>,
    pub(crate) getsets: Box<[ffi::PyGetSetDef]>,
    pub(crate) members: Box<[ffi::PyMemberDef]>,
}

// Immutable once registered; the raw pointers inside are C strings and
// function pointers of loaded modules, which stay mapped.
unsafe impl Sync for TypeMeta {}
unsafe impl Send for TypeMeta {}

impl TypeMeta {
    pub fn is_pure(&self) -> bool {
        self.shape != HPyType_BuiltinShape_Legacy
    }
}

/// Hashes a pointer: its bits, mixed once (the low bits are always zero).
#[derive(Default)]
struct PtrHasher(u64);

impl Hasher for PtrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = ((n as u64) >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Table = HashMap<usize, &'static TypeMeta, BuildHasherDefault<PtrHasher>>;

static TABLE: RwLock<Table> = RwLock::new(HashMap::with_hasher(BuildHasherDefault::new()));

fn table_read() -> std::sync::RwLockReadGuard<'static, Table> {
    TABLE.read().unwrap_or_else(|e| e.into_inner())
}

fn table_write() -> std::sync::RwLockWriteGuard<'static, Table> {
    TABLE.write().unwrap_or_else(|e| e.into_inner())
}

/// Leaks `meta` and registers it under its method table, which the caller
/// then hands to CPython as the type's `tp_methods`.
pub fn register(meta: TypeMeta) -> &'static TypeMeta {
    let meta: &'static TypeMeta = Box::leak(Box::new(meta));
    table_write().insert(meta.methods.as_ptr() as usize, meta);
    meta
}

/// Forgets `meta` when no type was made from it. Its memory stays leaked: a
/// half-built type may have pointed into it.
pub fn unregister(meta: &'static TypeMeta) {
    table_write().remove(&(meta.methods.as_ptr() as usize));
}

/// The metadata of `tp` itself, if `HPyType_FromSpec` made it.
#[inline]
pub unsafe fn meta_of(tp: *mut ffi::PyTypeObject) -> Option<&'static TypeMeta> {
    let methods = (*tp).tp_methods;
    if methods.is_null() {
        return None;
    }
    table_read().get(&(methods as usize)).copied()
}

/// The HPy types among `tp` and its bases (`tp_base` chain), most derived first.
pub unsafe fn hpy_types(tp: *mut ffi::PyTypeObject) -> impl Iterator<Item = &'static TypeMeta> {
    let mut t = tp;
    std::iter::from_fn(move || {
        while !t.is_null() {
            let here = t;
            t = (*t).tp_base;
            if let Some(m) = meta_of(here) {
                return Some(m);
            }
        }
        None
    })
}

/// The metadata of the nearest HPy type among `tp` and its bases: it decides
/// the layout of instances of `tp` (a Python subclass keeps its base's).
#[inline]
pub unsafe fn nearest(tp: *mut ffi::PyTypeObject) -> Option<&'static TypeMeta> {
    hpy_types(tp).next()
}

/// The builtin shape instances of `tp` have; Legacy for types that HPy did not make.
#[inline]
pub unsafe fn shape_of(tp: *mut ffi::PyTypeObject) -> HPyType_BuiltinShape {
    nearest(tp).map_or(HPyType_BuiltinShape_Legacy, |m| m.shape)
}

/// The default call function of instances of `tp` (`HPy_tp_call` of the
/// nearest HPy type that has one).
pub unsafe fn call_default(tp: *mut ffi::PyTypeObject) -> Option<ffi::vectorcallfunc> {
    hpy_types(tp).find_map(|m| m.call_default)
}

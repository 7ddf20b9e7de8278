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
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Mutex;

pub struct TypeMeta {
    pub shape: HPyType_BuiltinShape,
    /// Where the struct starts in an instance: `shape::header_size(shape)`,
    /// computed once (`HPy_New` needs it for every instance).
    pub offset: isize,
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
    /// The type's name once the type exists (`set_name`), for debug mode's
    /// reports on closed handles: a copy owned by this table, so it outlives
    /// the type, which a report must not read.
    pub(crate) name: AtomicPtr<TypeName>,
}

/// The name of an HPy type, as `tp_name` read when the type was made.
pub struct TypeName {
    /// The interpreter's `tp_name` pointer the copy was made from: only
    /// compared, never read. Assigning `__name__` points `tp_name` elsewhere
    /// while the original stays allocated with the type, so a live type whose
    /// `tp_name` still equals it still has this name.
    tp_name: *const std::ffi::c_char,
    pub name: Box<std::ffi::CStr>,
}

// Immutable once registered; the raw pointers inside are C strings and
// function pointers of loaded modules, which stay mapped.
unsafe impl Sync for TypeMeta {}
unsafe impl Send for TypeMeta {}

impl TypeMeta {
    pub fn is_pure(&self) -> bool {
        self.shape != HPyType_BuiltinShape_Legacy
    }

    /// Records the name of `tp`, the type made from this metadata (once,
    /// when it is made; the copy is leaked with the metadata).
    pub unsafe fn set_name(&self, tp: *mut ffi::PyTypeObject) {
        let tp_name = (*tp).tp_name;
        if tp_name.is_null() {
            return;
        }
        let name = std::ffi::CStr::from_ptr(tp_name).into();
        let n = Box::into_raw(Box::new(TypeName { tp_name, name }));
        if self.name.compare_exchange(std::ptr::null_mut(), n, Ordering::AcqRel, Ordering::Acquire).is_err() {
            drop(Box::from_raw(n));
        }
    }

    /// The name kept by `set_name`, if `tp` (the type made from this
    /// metadata) still has it.
    #[inline(always)]
    unsafe fn current_name(&'static self, tp: *mut ffi::PyTypeObject) -> Option<&'static TypeName> {
        let n = self.name.load(Ordering::Acquire).as_ref()?;
        if n.tp_name == (*tp).tp_name {
            Some(n)
        } else {
            None
        }
    }
}

/// As `name_of`, when `tp` is the type of the last lookup (no call: for
/// fast paths, which leave the other cases to `name_of`).
#[inline(always)]
pub unsafe fn name_of_last(tp: *mut ffi::PyTypeObject) -> Option<&'static TypeName> {
    let last = LAST.load(Ordering::Acquire).as_ref()?;
    if last.methods.as_ptr() != (*tp).tp_methods {
        return None;
    }
    last.current_name(tp)
}

/// The name of `tp` kept by this table, if `tp` is an HPy type whose name
/// did not change since it was made (debug mode's `HPy_Close`: two loads
/// and two comparisons when `tp` is the type of the last lookup).
#[inline(always)]
pub unsafe fn name_of(tp: *mut ffi::PyTypeObject) -> Option<&'static TypeName> {
    meta_of(tp)?.current_name(tp)
}

/// The table: open addressing with linear probing over a power-of-two
/// number of slots, each a key (the method table's address, 0 = empty) and
/// the metadata (NULL once unregistered; the key stays, keys are never
/// reused). Lookups are on hot paths (`HPy_New`, `tp_dealloc`,
/// `tp_traverse`), so they take no lock: registering writes the metadata
/// before the key, and growing builds a new table and publishes it whole.
/// A replaced table is leaked, not freed, since a lookup may still be
/// reading it; tables grow by doubling, so all of them together are smaller
/// than twice the last one.
struct Slots {
    shift: u32,
    keys: Box<[AtomicUsize]>,
    metas: Box<[AtomicPtr<TypeMeta>]>,
}

impl Slots {
    fn with_capacity(capacity: usize) -> Slots {
        debug_assert!(capacity.is_power_of_two());
        Slots {
            shift: usize::BITS - capacity.trailing_zeros(),
            keys: (0..capacity).map(|_| AtomicUsize::new(0)).collect(),
            metas: (0..capacity).map(|_| AtomicPtr::new(std::ptr::null_mut())).collect(),
        }
    }

    /// First slot to probe: Fibonacci hashing of the address without its
    /// always-zero low bits.
    #[inline(always)]
    fn home(&self, key: usize) -> usize {
        ((key >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15_u64 as usize) >> self.shift) as usize
    }

    #[inline(always)]
    fn mask(&self) -> usize {
        self.keys.len() - 1
    }

    /// The slot holding `key`, or the empty slot where it would go.
    #[inline(always)]
    fn find(&self, key: usize) -> (usize, bool) {
        let mask = self.mask();
        let mut i = self.home(key);
        loop {
            // SAFETY: i <= mask < len
            let k = unsafe { self.keys.get_unchecked(i) }.load(Ordering::Acquire);
            if k == key {
                return (i, true);
            }
            if k == 0 {
                return (i, false);
            }
            i = (i + 1) & mask;
        }
    }
}

static CURRENT: AtomicPtr<Slots> = AtomicPtr::new(std::ptr::null_mut());

/// Serializes writers; counts the used slots of the current table.
static WRITER: Mutex<usize> = Mutex::new(0);

fn writer() -> std::sync::MutexGuard<'static, usize> {
    WRITER.lock().unwrap_or_else(|e| e.into_inner())
}

/// Leaks `meta` and registers it under its method table, which the caller
/// then hands to CPython as the type's `tp_methods`.
pub fn register(meta: TypeMeta) -> &'static TypeMeta {
    let meta: &'static TypeMeta = Box::leak(Box::new(meta));
    let key = meta.methods.as_ptr() as usize;
    let mut used = writer();
    let mut table = CURRENT.load(Ordering::Acquire);
    let old = unsafe { table.as_ref() };
    // keep at least half of the slots empty: probes stay short
    if old.is_none_or(|t| (*used + 1) * 2 > t.keys.len()) {
        let capacity = old.map_or(64, |t| t.keys.len() * 2);
        let fresh = Slots::with_capacity(capacity);
        *used = 0;
        if let Some(old) = old {
            for (k, m) in old.keys.iter().zip(old.metas.iter()) {
                let (k, m) = (k.load(Ordering::Relaxed), m.load(Ordering::Relaxed));
                if k != 0 && !m.is_null() {
                    let (i, _) = fresh.find(k);
                    fresh.metas[i].store(m, Ordering::Relaxed);
                    fresh.keys[i].store(k, Ordering::Relaxed);
                    *used += 1;
                }
            }
        }
        table = Box::into_raw(Box::new(fresh));
        CURRENT.store(table, Ordering::Release);
    }
    let table = unsafe { &*table };
    let (i, found) = table.find(key);
    table.metas[i].store(meta as *const TypeMeta as *mut TypeMeta, Ordering::Release);
    if !found {
        table.keys[i].store(key, Ordering::Release);
        *used += 1;
    }
    meta
}

/// Forgets `meta` when no type was made from it. Its memory stays leaked: a
/// half-built type may have pointed into it.
pub fn unregister(meta: &'static TypeMeta) {
    let _used = writer();
    let table = CURRENT.load(Ordering::Acquire);
    if let Some(table) = unsafe { table.as_ref() } {
        let (i, found) = table.find(meta.methods.as_ptr() as usize);
        if found {
            table.metas[i].store(std::ptr::null_mut(), Ordering::Release);
        }
    }
    let m = meta as *const TypeMeta as *mut TypeMeta;
    let _ = LAST.compare_exchange(m, std::ptr::null_mut(), Ordering::AcqRel, Ordering::Relaxed);
}

/// The metadata found by the last lookup that went to the table: code
/// usually works with one type at a time (a loop creating instances), and
/// then a lookup is two loads and a comparison. Only a hint: any registered
/// metadata is valid forever, and `unregister` clears it.
static LAST: AtomicPtr<TypeMeta> = AtomicPtr::new(std::ptr::null_mut());

/// The metadata of `tp` itself, if `HPyType_FromSpec` made it.
#[inline]
pub unsafe fn meta_of(tp: *mut ffi::PyTypeObject) -> Option<&'static TypeMeta> {
    let methods = (*tp).tp_methods;
    // (a registered method table is never at NULL: no need to test for it
    // before the comparison)
    if let Some(last) = LAST.load(Ordering::Acquire).as_ref() {
        if last.methods.as_ptr() == methods {
            return Some(last);
        }
    }
    lookup(methods as usize)
}

#[inline(never)]
unsafe fn lookup(key: usize) -> Option<&'static TypeMeta> {
    if key == 0 {
        return None;
    }
    let table = CURRENT.load(Ordering::Acquire).as_ref()?;
    match table.find(key) {
        (i, true) => {
            let meta = table.metas.get_unchecked(i).load(Ordering::Acquire);
            if !meta.is_null() {
                LAST.store(meta, Ordering::Release);
            }
            meta.as_ref()
        }
        _ => None,
    }
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
    // usually tp itself: no loop on that path
    match meta_of(tp) {
        Some(m) => Some(m),
        None => nearest_base(tp),
    }
}

#[inline(never)]
unsafe fn nearest_base(tp: *mut ffi::PyTypeObject) -> Option<&'static TypeMeta> {
    hpy_types((*tp).tp_base).next()
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

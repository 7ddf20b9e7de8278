//! Debug mode: a context that wraps the universal one and checks how an
//! extension uses handles and contexts.
//!
//! # Debug handles
//!
//! Every handle the debug context gives out is a record in a table
//! (`Debug::slots`): the universal object it wraps, whether it is open, who
//! opened it (the API function, the HPy C function running at that moment,
//! and a backtrace when `set_handle_stack_trace_limit` enabled them), who
//! closed it. The handle's bits are `serial << 32 | index << 1 | 1`: the
//! index of the record, and the serial number of the record's current use.
//! A record is reused only after it left the queue of closed handles, with a
//! new serial, so that every handle value that was ever given out can be
//! classified without touching freed memory: open, closed (still queued:
//! its details are known), closed long ago (recycled) or never opened. The
//! low bit (always 1) tells a debug handle from a universal one (an object
//! address), which therefore never passes for a debug handle.
//!
//! # Contexts
//!
//! The context given to the module at load time (`HPyInitGlobalContext_*`)
//! is only used by the module's trampolines to enter
//! `_HPy_CallRealFunctionFromTrampoline`. Each HPy function call then gets
//! the next free one of the ring of copies of the context (at least `RING`;
//! one more is made when all are in use), which becomes this thread's
//! current context until the call returns (the previous one is restored:
//! calls nest). Every context function first checks that its context is the
//! calling thread's current one and that the thread did not leave Python
//! execution: a context captured in one call and used in a later one, or in
//! another thread, or without the GIL, is reported. The check reads only the
//! context's own state (`CtxInfo`, behind `_private`) and the thread
//! pointer; the thread-local `Frame` is kept by the trampoline for reports.
//!
//! # Reports
//!
//! See `report.rs`: an `HPyDebugError` subclass is raised where the misuse
//! can be reported without corrupting the process, the invalid-handle
//! callbacks take over where they are set, and the process aborts with a
//! full report otherwise.

mod builders;
mod ctx;
pub(crate) mod pymod;
mod rawdata;
pub(crate) mod report;
mod storage;
mod trampoline;

pub use builders::*;
pub use ctx::*;
pub use rawdata::*;
pub use storage::*;
pub use trampoline::*;

use crate::autogen::debug_wrappers;
use crate::context::universal_context;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::cell::Cell;
use std::collections::HashSet;
use std::ptr::null_mut;

/// Number of context copies handed to HPy calls in turn.
const RING: usize = 16;
pub(crate) const DEFAULT_CLOSED_QUEUE_MAX: usize = 1024;
pub(crate) const DEFAULT_RAW_DATA_MAX: usize = 10 * 1024 * 1024;

/// Who opened a handle, besides an API function (whose slot number is used).
pub(crate) const ORIGIN_ARGUMENT: u16 = 1000;
pub(crate) const ORIGIN_RESULT: u16 = 1001;
pub(crate) const ORIGIN_TRACKER: u16 = 1002;
pub(crate) const ORIGIN_RUNTIME: u16 = 1003;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum State {
    Free,
    Open,
    Closed,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// Opened by an API function: the holder must close it.
    Owned,
    /// An argument of the HPy function being called: owned by its caller.
    Argument,
    /// A constant of the context (`ctx->h_None`): never closed.
    Constant,
}

/// What debug mode knows about one handle.
pub(crate) struct Rec {
    pub obj: *mut ffi::PyObject,
    /// The handle's bits while it is open, else 0: what the fast paths
    /// compare a handle with (one comparison for the serial and the state).
    pub open_key: isize,
    pub state: State,
    pub kind: Kind,
    /// The API slot that opened it, or an `ORIGIN_*`; for arguments, the
    /// argument's position is in `arg_pos`.
    pub origin: u16,
    pub arg_pos: u16,
    pub closed_by: u16,
    pub generation: u64,
    pub seq: u64,
    /// The HPy C function that was running when the handle was opened / closed.
    pub opened_in: usize,
    pub closed_in: usize,
    /// The object's type when the handle was closed, for reports.
    pub closed_type: ClosedType,
    pub trace: Option<Box<[usize]>>,
    pub close_trace: Option<Box<[usize]>>,
    /// Copies of raw data handed out for this handle (`const char *` results).
    pub raw: Vec<rawdata::Region>,
    /// Whether `trace`, `close_trace` or `raw` may hold something, which
    /// recycling the record must free (one test on the hot path).
    pub extras: bool,
}

impl Rec {
    const FREE: Rec = Rec {
        obj: null_mut(),
        open_key: 0,
        state: State::Free,
        kind: Kind::Owned,
        origin: 0,
        arg_pos: 0,
        closed_by: 0,
        generation: 0,
        seq: 0,
        opened_in: 0,
        closed_in: 0,
        closed_type: ClosedType::Unknown,
        trace: None,
        close_trace: None,
        raw: Vec::new(),
        extras: false,
    };
}

/// The type of a closed handle's object, which may be freed by the time a
/// report names it (a reference would keep it alive). A static type lives
/// forever; an HPy type's name is kept by the runtime's own table of HPy
/// types (`typemeta::TypeName`); the name of any other heap type is copied,
/// truncated, into the record itself. Closing a handle allocates nothing.
#[derive(Clone, Copy)]
pub(crate) enum ClosedType {
    Unknown,
    Static(*mut ffi::PyTypeObject),
    Hpy(&'static crate::typemeta::TypeName),
    Named { len: u8, buf: [u8; NAME_MAX] },
}

const NAME_MAX: usize = 46;

impl ClosedType {
    /// The name of the type of a closed record's object.
    pub unsafe fn of_rec(r: &Rec) -> String {
        r.closed_type.name()
    }

    /// Remembers `t`, the type of an object whose handle closes, in `dst`
    /// (in place: the enum is mostly the buffer of `Named`, which a copy
    /// would move whole).
    #[inline(always)]
    unsafe fn set(dst: &mut ClosedType, t: *mut ffi::PyTypeObject) {
        if ffi::PyType_HasFeature(t, ffi::Py_TPFLAGS_HEAPTYPE) == 0 {
            *dst = ClosedType::Static(t);
        } else if let Some(n) = crate::typemeta::name_of(t) {
            *dst = ClosedType::Hpy(n);
        } else {
            ClosedType::set_heap(dst, t);
        }
    }

    #[inline(never)]
    unsafe fn set_heap(dst: &mut ClosedType, t: *mut ffi::PyTypeObject) {
        *dst = ClosedType::named((*t).tp_name);
    }

    unsafe fn named(name: *const std::ffi::c_char) -> ClosedType {
        let len = libc::strnlen(name, NAME_MAX);
        let mut buf = [0u8; NAME_MAX];
        std::ptr::copy_nonoverlapping(name.cast::<u8>(), buf.as_mut_ptr(), len);
        ClosedType::Named { len: len as u8, buf }
    }

    pub unsafe fn name(&self) -> String {
        match self {
            ClosedType::Unknown => "?".into(),
            ClosedType::Static(t) => std::ffi::CStr::from_ptr((**t).tp_name).to_string_lossy().into_owned(),
            ClosedType::Hpy(n) => n.name.to_string_lossy().into_owned(),
            ClosedType::Named { len, buf } => {
                let n = String::from_utf8_lossy(&buf[..*len as usize]).into_owned();
                if *len as usize == NAME_MAX {
                    n + "..."
                } else {
                    n
                }
            }
        }
    }
}

pub(crate) struct Slot<T> {
    pub serial: u32,
    /// The next free slot while this one is free (an intrusive free list).
    next_free: u32,
    pub rec: T,
}

const NO_SLOT: u32 = u32::MAX;

/// Records addressed by `(index, serial)` handles, with a free list.
pub(crate) struct Table<T> {
    pub slots: Vec<Slot<T>>,
    free: u32,
}

/// The queue of closed records (oldest first), bounded by a maximum that
/// may change: a ring that grows up to the maximum, after which each new
/// record replaces the oldest.
pub(crate) struct Ring {
    buf: Vec<u32>,
    head: usize,
    len: usize,
}

impl Ring {
    pub const fn new() -> Ring {
        Ring { buf: Vec::new(), head: 0, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Queues `i`; returns the record that leaves the queue to keep at most
    /// `max` (the oldest, or `i` itself when `max` is 0).
    #[inline(always)]
    pub fn push(&mut self, i: u32, max: usize) -> Option<u32> {
        if self.steady(max) {
            // SAFETY: steady.
            return Some(unsafe { self.replace_oldest(i) });
        }
        self.push_slow(i, max)
    }

    /// Whether the queue is in its steady state, full at `max` (not 0) in
    /// a buffer of that size, where a push replaces the oldest entry.
    #[inline(always)]
    pub fn steady(&self, max: usize) -> bool {
        self.len == max && self.buf.len() == max && max != 0
    }

    /// The entry `replace_oldest` would replace (the queue is `steady`).
    #[inline(always)]
    pub unsafe fn oldest(&self) -> u32 {
        *self.buf.get_unchecked(self.head)
    }

    /// The push of the steady state: `i` replaces the oldest, returned.
    #[inline(always)]
    pub unsafe fn replace_oldest(&mut self, i: u32) -> u32 {
        let h = self.head;
        let cap = self.buf.len();
        let old = std::mem::replace(self.buf.get_unchecked_mut(h), i);
        self.head = if h + 1 == cap { 0 } else { h + 1 };
        old
    }

    #[inline(never)]
    fn push_slow(&mut self, i: u32, max: usize) -> Option<u32> {
        let cap = self.buf.len();
        if self.len < cap && self.len < max {
            let mut t = self.head + self.len;
            if t >= cap {
                t -= cap;
            }
            self.buf[t] = i;
            self.len += 1;
            return None;
        }
        if self.len == cap && self.len < max {
            self.grow(max);
            return self.push_slow(i, max);
        }
        if self.len == 0 {
            return Some(i);
        }
        // Full (len >= max): the oldest leaves, `i` goes last. When the
        // buffer is exactly full that is the same place.
        let old = self.buf[self.head];
        let mut t = self.head + self.len;
        if t >= cap {
            t -= cap;
        }
        self.buf[t] = i;
        self.head += 1;
        if self.head == cap {
            self.head = 0;
        }
        Some(old)
    }

    #[cold]
    fn grow(&mut self, max: usize) {
        let cap = (self.buf.len() * 2).max(64).min(max);
        let mut b = Vec::with_capacity(cap);
        b.extend(self.iter());
        b.resize(cap, 0);
        self.buf = b;
        self.head = 0;
    }

    pub fn pop_front(&mut self) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let i = self.buf[self.head];
        self.head = if self.head + 1 == self.buf.len() { 0 } else { self.head + 1 };
        self.len -= 1;
        Some(i)
    }

    /// Oldest first.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len).map(move |k| self.buf[(self.head + k) % self.buf.len()])
    }
}

/// What a handle value refers to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Found {
    /// The index of a record in use (open or closed).
    Live(usize),
    /// A record that was reused since: the handle was closed long ago.
    Stale,
    /// Not a value this table ever gave out.
    Unknown,
}

impl<T> Table<T> {
    pub const fn new() -> Self {
        Table { slots: Vec::new(), free: NO_SLOT }
    }

    /// A fresh record slot: its index, handle bits and record.
    #[inline(always)]
    pub fn alloc(&mut self, init: impl FnOnce() -> T) -> (usize, isize, &mut T) {
        let i = self.free as usize;
        if i < self.slots.len() {
            // SAFETY: in bounds (checked just above).
            let s = unsafe { self.slots.get_unchecked_mut(i) };
            self.free = s.next_free;
            return (i, encode(i, s.serial), &mut s.rec);
        }
        self.grow(init)
    }

    /// As `alloc`, from the free list only (None when it is empty).
    #[inline(always)]
    pub fn alloc_free(&mut self) -> Option<(usize, isize, &mut T)> {
        let i = self.free as usize;
        let s = self.slots.get_mut(i)?;
        self.free = s.next_free;
        Some((i, encode(i, s.serial), &mut s.rec))
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, init: impl FnOnce() -> T) -> (usize, isize, &mut T) {
        self.slots.push(Slot { serial: 1, next_free: NO_SLOT, rec: init() });
        let i = self.slots.len() - 1;
        // SAFETY: the slot just pushed.
        let s = unsafe { self.slots.get_unchecked_mut(i) };
        (i, encode(i, 1), &mut s.rec)
    }

    /// The record of slot `i`, which the caller found in this table (slots
    /// are never removed).
    #[inline(always)]
    pub unsafe fn at(&mut self, i: usize) -> &mut T {
        &mut self.slots.get_unchecked_mut(i).rec
    }

    /// The index and record of slot `(bits & 0xffff_ffff) >> 1` if `bits` is
    /// odd (the serial is not compared: the caller compares a key).
    #[inline(always)]
    pub fn slot_of(&mut self, bits: isize) -> Option<(usize, &mut T)> {
        if bits & 1 == 0 {
            return None;
        }
        let i = ((bits as u64 & 0xffff_ffff) >> 1) as usize;
        self.slots.get_mut(i).map(|s| (i, &mut s.rec))
    }

    /// Makes slot `i` (in the table) reusable; every handle to its current
    /// use becomes stale.
    #[inline]
    pub unsafe fn release(&mut self, i: usize) {
        let s = self.slots.get_unchecked_mut(i);
        s.serial = if s.serial >= 0x7fff_ffff { 1 } else { s.serial + 1 };
        s.next_free = self.free;
        self.free = i as u32;
    }

    #[inline]
    pub fn find(&self, bits: isize) -> Found {
        let Some((i, serial)) = decode(bits) else { return Found::Unknown };
        match self.slots.get(i) {
            Some(s) if s.serial == serial => Found::Live(i),
            Some(s) if serial != 0 && serial < s.serial => Found::Stale,
            _ => Found::Unknown,
        }
    }

    pub fn bits(&self, i: usize) -> isize {
        encode(i, self.slots[i].serial)
    }
}

#[inline]
fn encode(i: usize, serial: u32) -> isize {
    (((serial as u64) << 32) | ((i as u64) << 1) | 1) as isize
}

#[inline]
fn decode(bits: isize) -> Option<(usize, u32)> {
    let b = bits as u64;
    // With the top bit set the serial is above every serial in use (they
    // stay below 2^31): such a value is found neither live nor stale.
    if b & 1 == 0 {
        return None;
    }
    Some((((b & 0xffff_ffff) >> 1) as usize, (b >> 32) as u32))
}

/// The whole state of debug mode (one per interpreter, used with the GIL).
pub(crate) struct Debug {
    pub handles: Table<Rec>,
    pub closed: Ring,
    pub closed_max: usize,
    pub raw_max: usize,
    pub raw_size: usize,
    pub generation: u64,
    pub seq: u64,
    /// Frames kept per backtrace; 0: none are taken.
    pub trace_limit: usize,
    pub on_invalid_handle: *mut ffi::PyObject,
    pub on_invalid_builder: *mut ffi::PyObject,
    pub builders: Table<builders::BuilderRec>,
    pub closed_builders: Ring,
    pub trackers: Table<builders::TrackerRec>,
    pub closed_trackers: Ring,
    /// Addresses of the `HPyGlobal`s listed by modules loaded in debug mode.
    pub globals: HashSet<usize>,
    pub ring: Vec<*mut HPyContext>,
    pub ring_next: usize,
    pub global_ctx: *mut HPyContext,
}

static mut STATE: *mut Debug = null_mut();

/// The debug state, created with `hpy.universal._debug` (`init_state`),
/// before any module can be loaded in debug mode. Callers hold the GIL and
/// never keep the reference across a call into Python or into HPy code.
#[inline(always)]
pub(crate) unsafe fn st() -> &'static mut Debug {
    &mut **std::ptr::addr_of!(STATE)
}

pub(crate) unsafe fn init_state() -> &'static mut Debug {
    if !(*std::ptr::addr_of!(STATE)).is_null() {
        return st();
    }
    let d = Box::new(Debug {
        handles: Table::new(),
        closed: Ring::new(),
        closed_max: DEFAULT_CLOSED_QUEUE_MAX,
        raw_max: DEFAULT_RAW_DATA_MAX,
        raw_size: 0,
        generation: 0,
        seq: 0,
        trace_limit: 0,
        on_invalid_handle: null_mut(),
        on_invalid_builder: null_mut(),
        builders: Table::new(),
        closed_builders: Ring::new(),
        trackers: Table::new(),
        closed_trackers: Ring::new(),
        globals: HashSet::new(),
        ring: Vec::new(),
        ring_next: 0,
        global_ctx: null_mut(),
    });
    *std::ptr::addr_of_mut!(STATE) = Box::into_raw(d);
    &mut **std::ptr::addr_of_mut!(STATE)
}

// ---- contexts ---------------------------------------------------------------

/// The state of one debug context, which its `_private` points to: whom the
/// context belongs to right now. Context functions check it without any
/// thread-local lookup.
pub(crate) struct CtxInfo {
    /// The calling thread (`thread_token`) while the context is the
    /// innermost HPy call of that thread and the thread did not leave Python
    /// execution; 0 otherwise. The one value every context function checks.
    pub token: usize,
    /// The thread of the call using the context; 0 when it is free.
    pub owner: usize,
    /// The HPy C function of that call.
    pub func: usize,
}

/// A debug context and its state, allocated together (never freed).
#[repr(C)]
struct DebugCtx {
    ctx: HPyContext,
    info: CtxInfo,
}

unsafe fn new_debug_ctx(template: &HPyContext) -> *mut HPyContext {
    let p = Box::into_raw(Box::new(DebugCtx { ctx: std::ptr::read(template), info: CtxInfo { token: 0, owner: 0, func: 0 } }));
    (*p).ctx._private = std::ptr::addr_of_mut!((*p).info).cast();
    p.cast()
}

#[inline(always)]
pub(crate) unsafe fn info(ctx: *mut HPyContext) -> &'static mut CtxInfo {
    &mut *(*ctx)._private.cast::<CtxInfo>()
}

/// The context of a module loaded in debug mode (what its trampolines use).
pub(crate) unsafe fn debug_context() -> *mut HPyContext {
    let d = st();
    if d.global_ctx.is_null() {
        *std::ptr::addr_of_mut!(UCTX) = universal_context();
        let u = &*universal_context();
        let mut c = std::ptr::read(u);
        c.name = c"HPy Debug Mode ABI (hpy-rs)".as_ptr();
        debug_wrappers::install(&mut c);
        debug_wrappers::wrap_constants(&mut c, u);
        let global = new_debug_ctx(&c);
        let ring = (0..RING).map(|_| new_debug_ctx(&c)).collect();
        let d = st();
        d.global_ctx = global;
        d.ring = ring;
    }
    st().global_ctx
}

/// Whether `ctx` is one of the debug contexts.
pub(crate) unsafe fn is_debug_context(ctx: *mut HPyContext) -> bool {
    let d = st();
    !ctx.is_null() && (ctx == d.global_ctx || d.ring.contains(&ctx))
}

/// A free context for a new HPy call: the next one of the ring not in use by
/// a call in progress (nested, or of another thread), a new one if all are.
#[inline]
pub(crate) unsafe fn next_context() -> *mut HPyContext {
    let d = st();
    let n = d.ring.len();
    let k = d.ring_next;
    let c = d.ring[k];
    if info(c).owner == 0 {
        d.ring_next = if k + 1 == n { 0 } else { k + 1 };
        return c;
    }
    next_context_slow()
}

#[cold]
unsafe fn next_context_slow() -> *mut HPyContext {
    let d = st();
    let n = d.ring.len();
    for j in 1..n {
        let k = (d.ring_next + j) % n;
        if info(d.ring[k]).owner == 0 {
            d.ring_next = (k + 1) % n;
            return d.ring[k];
        }
    }
    let c = new_debug_ctx(&*d.global_ctx);
    d.ring.push(c);
    d.ring_next = 0;
    c
}

/// Identifies the calling thread without a thread-local lookup: the thread
/// pointer, unique among live threads.
#[inline(always)]
pub(crate) fn thread_token() -> usize {
    #[cfg(target_arch = "x86_64")]
    unsafe {
        let t: usize;
        std::arch::asm!("mov {}, fs:0", out(reg) t, options(nostack, readonly, preserves_flags, pure));
        t
    }
    #[cfg(target_arch = "aarch64")]
    unsafe {
        let t: usize;
        std::arch::asm!("mrs {}, tpidr_el0", out(reg) t, options(nostack, nomem, preserves_flags, pure));
        t
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        thread_local!(static MARK: u8 = const { 0 });
        MARK.with(|m| m as *const u8 as usize)
    }
}

/// The universal context, which `debug_context` creates before any debug
/// context exists (no check on each call).
static mut UCTX: *mut HPyContext = null_mut();

#[inline(always)]
pub(crate) unsafe fn uctx() -> *mut HPyContext {
    *std::ptr::addr_of!(UCTX)
}

/// What this thread is doing, for the context checks.
#[derive(Clone, Copy)]
pub(crate) struct Frame {
    /// The context of the innermost HPy call running in this thread, or NULL.
    pub ctx: *mut HPyContext,
    /// The HPy C function of that call.
    pub func: usize,
    /// Between HPy_LeavePythonExecution and HPy_ReenterPythonExecution.
    pub released: bool,
    /// The context that called HPy_LeavePythonExecution.
    pub released_by: *mut HPyContext,
}

impl Frame {
    pub const NONE: Frame = Frame { ctx: null_mut(), func: 0, released: false, released_by: null_mut() };
}

thread_local! {
    static FRAME: Cell<Frame> = const { Cell::new(Frame::NONE) };
}

#[inline]
pub(crate) fn frame() -> Frame {
    FRAME.with(Cell::get)
}

#[inline]
pub(crate) fn set_frame(f: Frame) {
    FRAME.with(|c| c.set(f))
}

#[inline]
pub(crate) fn replace_frame(f: Frame) -> Frame {
    FRAME.with(|c| c.replace(f))
}

/// The check every context function makes first: `ctx` is the current
/// context of this thread, which holds the GIL. False when a report was
/// raised (the function then returns its error value).
#[inline(always)]
pub(crate) unsafe fn entered(ctx: *mut HPyContext, slot: usize) -> bool {
    if info(ctx).token == thread_token() {
        return true;
    }
    not_entered(ctx, slot)
}

#[cold]
#[inline(never)]
unsafe fn not_entered(ctx: *mut HPyContext, slot: usize) -> bool {
    report::bad_context(ctx, slot, frame())
}

/// The HPy C function of the call that received `ctx` (checked by `entered`).
#[inline(always)]
pub(crate) unsafe fn func_of(ctx: *mut HPyContext) -> usize {
    info(ctx).func
}

// ---- handles ----------------------------------------------------------------

#[inline]
unsafe fn new_rec(obj: *mut ffi::PyObject, kind: Kind, origin: u16, arg_pos: u16, opened_in: usize) -> HPy {
    let d = st();
    d.seq += 1;
    let (i, bits, r) = d.handles.alloc(|| Rec::FREE);
    r.obj = obj;
    r.open_key = bits;
    r.state = State::Open;
    r.kind = kind;
    r.origin = origin;
    r.arg_pos = arg_pos;
    r.generation = d.generation;
    r.seq = d.seq;
    r.opened_in = opened_in;
    if d.trace_limit > 0 {
        capture_open_trace(i);
    }
    HPy { _i: bits }
}

#[cold]
#[inline(never)]
unsafe fn capture_open_trace(i: usize) {
    let d = st();
    let r = &mut d.handles.slots[i].rec;
    r.trace = Some(report::capture(d.trace_limit));
    r.extras = true;
}

/// A new debug handle owning the universal handle `uh` (HPy_NULL stays
/// NULL), opened by the API function `slot` called with `ctx`.
#[inline]
pub(crate) unsafe fn open(ctx: *mut HPyContext, uh: HPy, slot: usize) -> HPy {
    if uh.is_null() {
        return HPy::NULL;
    }
    new_rec(crate::handles::h2py(uh), Kind::Owned, slot as u16, 0, func_of(ctx))
}

/// As `open`, in the HPy C function `func` (`func_of` the call's context).
#[inline]
pub(crate) unsafe fn open_in(func: usize, uh: HPy, slot: usize) -> HPy {
    if uh.is_null() {
        return HPy::NULL;
    }
    new_rec(crate::handles::h2py(uh), Kind::Owned, slot as u16, 0, func)
}

/// A debug handle for argument `pos` of a call of the HPy function `func`
/// (borrowed from the caller).
#[inline]
pub(crate) unsafe fn open_argument(obj: *mut ffi::PyObject, pos: usize, func: usize) -> HPy {
    if obj.is_null() {
        return HPy::NULL;
    }
    new_rec(obj, Kind::Argument, ORIGIN_ARGUMENT, pos as u16, func)
}

/// The debug handle of a context constant (see `debug_wrappers::wrap_constants`).
pub(crate) unsafe fn open_constant(uh: HPy, slot: usize) -> HPy {
    if uh.is_null() {
        return HPy::NULL;
    }
    new_rec(crate::handles::h2py(uh), Kind::Constant, slot as u16, 0, 0)
}

/// The universal handle wrapped by the open debug handle `h`. A closed or
/// unknown handle is reported for the API function `slot`: `None` when the
/// function must fail (an exception was raised), or the best universal
/// handle to go on with when the invalid-handle callback chose to continue.
#[inline]
pub(crate) unsafe fn unwrap(h: HPy, slot: usize, param: &str) -> Option<HPy> {
    // HPy_NULL is not an open record: it is told apart on the cold path.
    match open_obj(h) {
        Some(u) => Some(u),
        None => invalid(h, slot, param),
    }
}

#[cold]
#[inline(never)]
unsafe fn invalid(h: HPy, slot: usize, param: &str) -> Option<HPy> {
    if h._i == 0 {
        return Some(HPy::NULL);
    }
    report::invalid_handle(h, slot, param, false)
}

/// The universal handle of `h` when it is an open debug handle, else None
/// (HPy_NULL included): for fast paths that leave the rest to `unwrap`.
#[inline(always)]
pub(crate) unsafe fn open_obj(h: HPy) -> Option<HPy> {
    match st().handles.slot_of(h._i) {
        Some((_, r)) if r.open_key == h._i => Some(HPy { _i: r.obj as isize }),
        _ => None,
    }
}

/// The index of `h`'s record when `h` is an open handle.
#[inline(always)]
pub(crate) unsafe fn open_slot(h: HPy) -> Option<(usize, &'static mut Rec)> {
    match st().handles.slot_of(h._i) {
        Some((i, r)) if r.open_key == h._i => Some((i, r)),
        _ => None,
    }
}

/// As `unwrap`, for functions whose callers cannot handle an error result:
/// a misuse aborts unless the callback takes over.
pub(crate) unsafe fn unwrap_or_abort(h: HPy, slot: usize, param: &str) -> HPy {
    if h._i == 0 {
        return HPy::NULL;
    }
    let d = st();
    if let Found::Live(i) = d.handles.find(h._i) {
        let r = &d.handles.slots[i].rec;
        if r.state == State::Open {
            return HPy { _i: r.obj as isize };
        }
    }
    report::invalid_handle(h, slot, param, true).unwrap_or(HPy::NULL)
}

/// The open record of `h`, if it is one.
#[inline]
pub(crate) unsafe fn open_index(h: HPy) -> Option<usize> {
    let d = st();
    match d.handles.find(h._i) {
        Found::Live(i) if d.handles.slots[i].rec.state == State::Open => Some(i),
        _ => None,
    }
}

/// Closes the record `i` (open) on behalf of `slot` without touching the
/// object's reference count: the caller releases or transfers it. The
/// record joins the queue of closed handles; the oldest queued record is
/// recycled when the queue is full.
#[inline]
pub(crate) unsafe fn close_rec(i: usize, slot: u16, func: usize) {
    let d = st();
    let r = d.handles.at(i);
    r.state = State::Closed;
    r.open_key = 0;
    r.closed_by = slot;
    r.closed_in = func;
    ClosedType::set(&mut r.closed_type, ffi::Py_TYPE(r.obj));
    if d.trace_limit > 0 || r.extras {
        close_extras(i);
    }
    if let Some(old) = d.closed.push(i as u32, d.closed_max) {
        recycle(old as usize);
    }
}

/// Closes the open record `i` (as `close_rec`) and releases its object.
/// The usual case is checked first and then done inline with no call but
/// the release; anything else is `close_release_slow`.
#[inline(always)]
pub(crate) unsafe fn close_release(i: usize, slot: u16, func: usize) {
    let d = st();
    let r = d.handles.at(i);
    let obj = r.obj;
    let t = ffi::Py_TYPE(obj);
    let name = if ffi::PyType_HasFeature(t, ffi::Py_TPFLAGS_HEAPTYPE) == 0 {
        None
    } else {
        match crate::typemeta::name_of_last(t) {
            Some(n) => Some(n),
            None => return close_release_slow(i, slot, func),
        }
    };
    if d.trace_limit > 0 || r.extras || !d.closed.steady(d.closed_max) {
        return close_release_slow(i, slot, func);
    }
    let old = d.closed.oldest() as usize;
    if d.handles.at(old).extras {
        return close_release_slow(i, slot, func);
    }
    let r = d.handles.at(i);
    r.state = State::Closed;
    r.open_key = 0;
    r.closed_by = slot;
    r.closed_in = func;
    match name {
        None => r.closed_type = ClosedType::Static(t),
        Some(n) => r.closed_type = ClosedType::Hpy(n),
    }
    d.closed.replace_oldest(i as u32);
    d.handles.at(old).state = State::Free;
    d.handles.release(old);
    // May run __del__, which may call HPy code: the state is consistent.
    ffi::Py_DECREF(obj)
}

#[inline(never)]
unsafe fn close_release_slow(i: usize, slot: u16, func: usize) {
    let obj = st().handles.at(i).obj;
    close_rec(i, slot, func);
    ffi::Py_DECREF(obj)
}

/// The rare parts of closing: the backtrace, protecting raw data.
#[cold]
#[inline(never)]
unsafe fn close_extras(i: usize) {
    let d = st();
    if d.trace_limit > 0 {
        let r = &mut d.handles.slots[i].rec;
        r.close_trace = Some(report::capture(d.trace_limit));
        r.extras = true;
    }
    let r = &mut d.handles.slots[i].rec;
    if !r.raw.is_empty() {
        let regions = std::mem::take(&mut r.raw);
        let size: usize = regions.iter().map(|g| g.data_len).sum();
        if d.raw_size + size <= d.raw_max {
            d.raw_size += size;
            for g in &regions {
                rawdata::protect_closed(g);
            }
            d.handles.slots[i].rec.raw = regions;
        } else {
            for g in regions {
                rawdata::free(g);
            }
        }
    }
}

/// Recycles the oldest closed handles until at most `max` remain.
pub(crate) unsafe fn evict_closed() {
    let d = st();
    while d.closed.len() > d.closed_max {
        let Some(i) = d.closed.pop_front() else { break };
        recycle(i as usize);
    }
}

/// Frees the record `i`, which left the queue of closed handles.
#[inline]
unsafe fn recycle(i: usize) {
    let d = st();
    if d.handles.at(i).extras {
        drop_extras(i);
    }
    d.handles.at(i).state = State::Free;
    d.handles.release(i);
}

#[cold]
#[inline(never)]
unsafe fn drop_extras(i: usize) {
    let d = st();
    let r = &mut d.handles.slots[i].rec;
    r.trace = None;
    r.close_trace = None;
    r.extras = false;
    for g in std::mem::take(&mut r.raw) {
        d.raw_size = d.raw_size.saturating_sub(g.data_len);
        rawdata::free(g);
    }
}

/// `new_generation()`: handles opened from now on belong to it.
pub(crate) unsafe fn new_generation() -> u64 {
    let d = st();
    d.generation += 1;
    d.generation
}

/// Handles to report as leaks: open, owned, of generation `gen` or later, oldest first.
pub(crate) unsafe fn open_handles(gen: u64) -> Vec<isize> {
    let d = st();
    let mut v: Vec<(u64, isize)> = d
        .handles
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.rec.state == State::Open && s.rec.kind == Kind::Owned && s.rec.generation >= gen)
        .map(|(i, s)| (s.rec.seq, d.handles.bits(i)))
        .collect();
    v.sort_unstable();
    v.into_iter().map(|(_, b)| b).collect()
}

/// The queued closed handles of generation `gen` or later, oldest first.
pub(crate) unsafe fn closed_handles(gen: u64) -> Vec<isize> {
    let d = st();
    d.closed
        .iter()
        .filter(|&i| d.handles.slots[i as usize].rec.generation >= gen)
        .map(|i| d.handles.bits(i as usize))
        .collect()
}

/// The `HPyGlobal`s of a module being loaded in debug mode.
pub(crate) unsafe fn register_globals(def: &HPyModuleDef) {
    let d = st();
    let mut p = def.globals;
    while !p.is_null() && !(*p).is_null() {
        d.globals.insert(*p as usize);
        p = p.add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_bits() {
        for (i, s) in [(0usize, 1u32), (5, 7), (0x7fff_fffe, 0x7fff_ffff)] {
            let b = encode(i, s);
            assert_eq!(b & 1, 1);
            assert!(b > 0);
            assert_eq!(decode(b), Some((i, s)));
        }
        assert_eq!(decode(0x7f00_1000), None, "object addresses are even");
    }

    #[test]
    fn ring_keeps_the_newest() {
        let mut r = Ring::new();
        let mut left = Vec::new();
        for i in 0..200 {
            left.extend(r.push(i, 100));
        }
        assert_eq!(left, (0..100).collect::<Vec<_>>());
        assert_eq!(r.iter().collect::<Vec<_>>(), (100..200).collect::<Vec<_>>());
        assert_eq!(r.pop_front(), Some(100));
        let oldest = r.iter().next();
        assert_eq!(r.push(7, 0), oldest);
        // Shrunk below its buffer: still a queue.
        let mut r = Ring::new();
        for i in 0..10 {
            r.push(i, 100);
        }
        while r.len() > 4 {
            r.pop_front();
        }
        let left: Vec<u32> = (10..20).filter_map(|i| r.push(i, 4)).collect();
        assert_eq!(left, (6..16).collect::<Vec<_>>());
        assert_eq!(r.iter().collect::<Vec<_>>(), vec![16, 17, 18, 19]);
        let mut z = Ring::new();
        assert_eq!(z.push(5, 0), Some(5));
        assert_eq!(z.len(), 0);
    }

    #[test]
    fn table_detects_stale_and_unknown() {
        let mut t: Table<u8> = Table::new();
        let (i, a, _) = t.alloc(|| 0);
        assert_eq!(t.find(a), Found::Live(i));
        unsafe { t.release(i) };
        let (j, b, _) = t.alloc(|| 0);
        assert_eq!(i, j);
        assert_ne!(a, b);
        assert_eq!(t.find(a), Found::Stale);
        assert_eq!(t.find(b), Found::Live(j));
        assert_eq!(t.find(encode(99, 1)), Found::Unknown);
        assert_eq!(t.find(12345 << 4), Found::Unknown);
    }
}

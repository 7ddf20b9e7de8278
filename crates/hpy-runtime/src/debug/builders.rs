//! List and tuple builders, and trackers, in debug mode.
//!
//! A debug builder is a record wrapping the universal builder; it is closed
//! by Build and Cancel, after which any use is reported. A debug tracker is
//! a record holding debug handles; HPyTracker_Close closes them through the
//! same path as HPy_Close, so a handle closed both by hand and by its
//! tracker is reported. Closed records stay known (queued, as closed
//! handles) and are then recycled with a new serial number, so an old
//! builder or tracker value is always recognised as such.
//!
//! A builder that is neither built nor cancelled keeps references to its
//! items and its universal storage; a tracker never closed keeps its handles
//! open: both are leaks, listed by `unfinished` for `LeakDetector` (HPy 0.9.0
//! reports neither).

use super::ctx::{close_handle, Param};
use super::report::{self, c_function, origin_name, Family, Outcome};
use super::{entered, func_of, info, open, open_in, open_obj, st, thread_token, uctx, unwrap, Found, Ring, State, Table};
use crate::autogen::debug_wrappers::slot;
use hpy_abi::*;
use std::ffi::c_int;

pub(crate) struct BuilderRec {
    /// The universal builder (`_lst` / `_tup`).
    ub: isize,
    /// While open, the builder's bits, tagged with `tag(is_list)`; else 0:
    /// one comparison checks serial, state and kind (`open_builder`).
    key: isize,
    is_list: bool,
    state: State,
    opened_in: usize,
    closed_by: u16,
    closed_in: usize,
    made: Made,
}

pub(crate) struct TrackerRec {
    handles: Vec<HPy>,
    state: State,
    opened_in: usize,
    closed_in: usize,
    made: Made,
}

/// When a builder or tracker was made, for leak reports.
pub(crate) struct Made {
    size: HPy_ssize_t,
    generation: u64,
    seq: u64,
    trace: Option<Box<[usize]>>,
}

#[cold]
#[inline(never)]
unsafe fn trace_made(m: &mut Made) {
    m.trace = Some(report::capture(st().trace_limit));
}

#[cold]
#[inline(never)]
fn drop_trace(m: &mut Made) {
    m.trace = None;
}

impl Made {
    const NONE: Made = Made { size: 0, generation: 0, seq: 0, trace: None };

    unsafe fn now(size: HPy_ssize_t) -> Made {
        let d = st();
        d.seq += 1;
        let trace = if d.trace_limit > 0 { Some(report::capture(d.trace_limit)) } else { None };
        Made { size, generation: d.generation, seq: d.seq, trace }
    }
}

fn kind_name(is_list: bool) -> &'static str {
    if is_list {
        "HPyListBuilder"
    } else {
        "HPyTupleBuilder"
    }
}

/// Queues the closed record `i`, recycling the oldest closed record beyond `max`.
#[inline]
fn close_in<T>(table: &mut Table<T>, queue: &mut Ring, i: usize, max: usize, reset: impl Fn(&mut T)) {
    if let Some(old) = queue.push(i as u32, max) {
        let old = old as usize;
        // SAFETY: the queue holds indices of this table.
        unsafe {
            reset(table.at(old));
            table.release(old);
        }
    }
}

/// Fills a free record for a new builder, field by field: its `made.trace`
/// is None (dropped on close) and stays so unless stack traces are on.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn open_record(r: &mut BuilderRec, ub: isize, bits: isize, is_list: bool, opened_in: usize, size: HPy_ssize_t, generation: u64, seq: u64) {
    r.ub = ub;
    r.key = bits | tag(is_list);
    r.is_list = is_list;
    r.state = State::Open;
    r.opened_in = opened_in;
    r.made.size = size;
    r.made.generation = generation;
    r.made.seq = seq;
}

/// A new builder record for the universal builder `ub`: its bits (0 for
/// the null builder).
#[inline(always)]
unsafe fn new_builder(ub: isize, is_list: bool, size: HPy_ssize_t, opened_in: usize) -> isize {
    // The usual case without a call (a recycled record, no backtrace).
    let d = st();
    if ub != 0 && d.trace_limit == 0 {
        let (seq, generation) = (d.seq + 1, d.generation);
        if let Some((_, bits, r)) = d.builders.alloc_free() {
            d.seq = seq;
            open_record(r, ub, bits, is_list, opened_in, size, generation, seq);
            return bits;
        }
    }
    new_builder_slow(ub, is_list, size, opened_in)
}

#[inline(never)]
unsafe fn new_builder_slow(ub: isize, is_list: bool, size: HPy_ssize_t, opened_in: usize) -> isize {
    if ub == 0 {
        return 0; // the universal builder failed: Build reports it
    }
    let d = st();
    d.seq += 1;
    let (seq, generation) = (d.seq, d.generation);
    let (_, bits, r) = d.builders.alloc(|| BuilderRec {
        ub: 0,
        key: 0,
        is_list,
        state: State::Free,
        opened_in: 0,
        closed_by: 0,
        closed_in: 0,
        made: Made::NONE,
    });
    open_record(r, ub, bits, is_list, opened_in, size, generation, seq);
    if d.trace_limit > 0 {
        trace_made(&mut r.made);
    }
    bits
}

/// The index and universal builder of `b` when it is an open builder of
/// the right kind: the fast path of Set and Build (the null builder and
/// every misuse take the slow path, `builder`).
#[inline(always)]
unsafe fn open_builder(b: isize, is_list: bool) -> Option<(usize, isize)> {
    let (i, r) = st().builders.slot_of(b)?;
    if r.key == b | tag(is_list) {
        Some((i, r.ub))
    } else {
        None
    }
}

/// Tells list builders' keys from tuple builders': builder bits never have
/// the top bit (serials stay below 2^31).
#[inline(always)]
fn tag(is_list: bool) -> isize {
    if is_list {
        0
    } else {
        isize::MIN
    }
}

/// The universal builder behind `b` for `s`: Some(0) is the null builder
/// (from a failed New), None a reported misuse that must fail.
#[inline]
unsafe fn builder(b: isize, is_list: bool, s: usize) -> Option<isize> {
    // The null builder is not a live record: told apart on the cold path.
    let d = st();
    if let Found::Live(i) = d.builders.find(b) {
        let r = &d.builders.slots[i].rec;
        if r.state == State::Open && r.is_list == is_list {
            return Some(r.ub);
        }
    }
    bad_builder(b, is_list, s)
}

#[cold]
#[inline(never)]
unsafe fn bad_builder(b: isize, is_list: bool, s: usize) -> Option<isize> {
    if b == 0 {
        return Some(0);
    }
    let d = st();
    let what = match d.builders.find(b) {
        Found::Live(i) => {
            let r = &d.builders.slots[i].rec;
            if r.state == State::Open && r.is_list == is_list {
                return Some(r.ub);
            }
            if r.is_list != is_list {
                format!("the builder is an {}, not an {}", kind_name(r.is_list), kind_name(is_list))
            } else {
                format!(
                    "the builder was already consumed by {} in {} (opened in {})",
                    origin_name(r.closed_by),
                    c_function(r.closed_in),
                    c_function(r.opened_in)
                )
            }
        }
        Found::Stale => "the builder was built or cancelled long ago".to_string(),
        Found::Unknown => format!("{b:#x} is not a builder made by {}_New", kind_name(is_list)),
    };
    match report::misuse(Family::Builder, s, &what, "", true) {
        // As HPy 0.9.0: go on with a null builder (Set and Cancel ignore it).
        Outcome::Continue => Some(0),
        Outcome::Raised => None,
    }
}

unsafe fn close_builder(b: isize, by: usize, closed_in: usize) {
    if let Found::Live(i) = st().builders.find(b) {
        close_builder_at(i, by, closed_in);
    }
}

/// Closes the open builder record `i`.
#[inline(always)]
unsafe fn close_builder_at(i: usize, by: usize, closed_in: usize) {
    let d = st();
    let r = d.builders.at(i);
    r.state = State::Closed;
    r.key = 0;
    r.closed_by = by as u16;
    r.closed_in = closed_in;
    if r.made.trace.is_some() {
        drop_trace(&mut r.made);
    }
    let max = d.closed_max;
    close_in(&mut d.builders, &mut d.closed_builders, i, max, |r| r.state = State::Free);
}

macro_rules! builder_wrappers {
    ($is_list:expr, $B:ident, $field:ident, $new:ident, $set:ident, $build:ident, $cancel:ident,
     $unew:ident, $uset:ident, $ubuild:ident, $ucancel:ident, $snew:ident, $sset:ident, $sbuild:ident, $scancel:ident) => {
        pub unsafe extern "C" fn $new(ctx: *mut HPyContext, size: HPy_ssize_t) -> $B {
            if !entered(ctx, slot::$snew) {
                return $B { $field: 0 };
            }
            let ub = crate::ctx::$unew(uctx(), size);
            $B { $field: new_builder(ub.$field, $is_list, size, func_of(ctx)) }
        }

        pub unsafe extern "C" fn $set(ctx: *mut HPyContext, builder: $B, index: HPy_ssize_t, h_item: HPy) {
            // One item per call: the checks that pass are inline and the
            // rest is a tail call (no stack frame on the fast path).
            if info(ctx).token == thread_token() {
                if let Some((_, ub)) = open_builder(builder.$field, $is_list) {
                    if let Some(item) = open_obj(h_item) {
                        return crate::ctx::$uset(uctx(), $B { $field: ub }, index, item);
                    }
                }
            }
            slow(ctx, builder, index, h_item);

            #[inline(never)]
            unsafe fn slow(ctx: *mut HPyContext, builder: $B, index: HPy_ssize_t, h_item: HPy) {
                let s = slot::$sset;
                if !entered(ctx, s) {
                    return;
                }
                let Some(ub) = self::builder(builder.$field, $is_list, s) else { return };
                let Some(item) = unwrap(h_item, s, "h_item") else { return };
                if item.is_null() {
                    // The container would hold NULL: Python code reading it crashes.
                    let _ = report::misuse(Family::Handle, s, "h_item is HPy_NULL: a builder's item must be an object", "", true);
                    return;
                }
                crate::ctx::$uset(uctx(), $B { $field: ub }, index, item)
            }
        }

        pub unsafe extern "C" fn $build(ctx: *mut HPyContext, builder: $B) -> HPy {
            let s = slot::$sbuild;
            if info(ctx).token == thread_token() {
                if let Some((i, ub)) = open_builder(builder.$field, $is_list) {
                    // Consumed first, which leaves less to keep across the
                    // call (Build consumes the builder whatever it returns).
                    let func = func_of(ctx);
                    close_builder_at(i, s, func);
                    let r = crate::ctx::$ubuild(uctx(), $B { $field: ub });
                    return open_in(func, r, s);
                }
            }
            return slow(ctx, builder);

            #[inline(never)]
            unsafe fn slow(ctx: *mut HPyContext, builder: $B) -> HPy {
                let s = slot::$sbuild;
                if !entered(ctx, s) {
                    return HPy::NULL;
                }
                let Some(ub) = self::builder(builder.$field, $is_list, s) else { return HPy::NULL };
                let r = crate::ctx::$ubuild(uctx(), $B { $field: ub });
                close_builder(builder.$field, s, func_of(ctx));
                open(ctx, r, s)
            }
        }

        pub unsafe extern "C" fn $cancel(ctx: *mut HPyContext, builder: $B) {
            let s = slot::$scancel;
            if !entered(ctx, s) {
                return;
            }
            let Some(ub) = self::builder(builder.$field, $is_list, s) else { return };
            crate::ctx::$ucancel(uctx(), $B { $field: ub });
            close_builder(builder.$field, s, func_of(ctx));
        }
    };
}

builder_wrappers!(true, HPyListBuilder, _lst, debug_ctx_ListBuilder_New, debug_ctx_ListBuilder_Set, debug_ctx_ListBuilder_Build,
    debug_ctx_ListBuilder_Cancel, ctx_ListBuilder_New, checked_ListBuilder_Set, checked_ListBuilder_Build, ctx_ListBuilder_Cancel,
    ListBuilder_New, ListBuilder_Set, ListBuilder_Build, ListBuilder_Cancel);
builder_wrappers!(false, HPyTupleBuilder, _tup, debug_ctx_TupleBuilder_New, debug_ctx_TupleBuilder_Set, debug_ctx_TupleBuilder_Build,
    debug_ctx_TupleBuilder_Cancel, ctx_TupleBuilder_New, checked_TupleBuilder_Set, checked_TupleBuilder_Build, ctx_TupleBuilder_Cancel,
    TupleBuilder_New, TupleBuilder_Set, TupleBuilder_Build, TupleBuilder_Cancel);

// ---- trackers -----------------------------------------------------------------------

/// The open tracker record of `ht` for `s`, or a reported misuse.
unsafe fn tracker(ht: HPyTracker, s: usize) -> Result<usize, ()> {
    let d = st();
    let what = match d.trackers.find(ht._i) {
        Found::Live(i) if d.trackers.slots[i].rec.state == State::Open => return Ok(i),
        Found::Live(i) => {
            let r = &d.trackers.slots[i].rec;
            format!("the tracker was already closed by HPyTracker_Close in {} (made in {})", c_function(r.closed_in), c_function(r.opened_in))
        }
        Found::Stale => "the tracker was closed long ago".to_string(),
        Found::Unknown if ht._i == 0 => "the tracker is the null tracker (HPyTracker_New failed)".to_string(),
        Found::Unknown => format!("{:#x} is not a tracker made by HPyTracker_New", ht._i),
    };
    report::misuse(Family::Tracker, s, &what, "", true);
    Err(())
}

pub unsafe extern "C" fn debug_ctx_Tracker_New(ctx: *mut HPyContext, size: HPy_ssize_t) -> HPyTracker {
    if !entered(ctx, slot::Tracker_New) {
        return HPyTracker { _i: 0 };
    }
    let mut handles = Vec::new();
    if handles.try_reserve(usize::try_from(size).unwrap_or(0).max(5)).is_err() {
        pyo3_ffi::PyErr_NoMemory();
        return HPyTracker { _i: 0 };
    }
    let opened_in = func_of(ctx);
    let made = Made::now(size);
    let d = st();
    let (_, bits, r) = d.trackers.alloc(|| TrackerRec {
        handles: Vec::new(),
        state: State::Free,
        opened_in: 0,
        closed_in: 0,
        made: Made::NONE,
    });
    *r = TrackerRec { handles, state: State::Open, opened_in, closed_in: 0, made };
    HPyTracker { _i: bits }
}

pub unsafe extern "C" fn debug_ctx_Tracker_Add(ctx: *mut HPyContext, ht: HPyTracker, h: HPy) -> c_int {
    let s = slot::Tracker_Add;
    if !entered(ctx, s) {
        return -1;
    }
    let Ok(i) = tracker(ht, s) else { return -1 };
    // An argument or a constant may be added (and then forgotten by
    // HPyTracker_ForgetAll, as HPy 0.9.0 allows): only closing it is a
    // misuse, reported by HPyTracker_Close.
    if !h.is_null() && super::open_index(h).is_none() {
        unwrap(h, s, "h");
        return -1;
    }
    st().trackers.slots[i].rec.handles.push(h);
    0
}

pub unsafe extern "C" fn debug_ctx_Tracker_ForgetAll(ctx: *mut HPyContext, ht: HPyTracker) {
    let s = slot::Tracker_ForgetAll;
    if !entered(ctx, s) {
        return;
    }
    if let Ok(i) = tracker(ht, s) {
        st().trackers.slots[i].rec.handles.clear();
    }
}

pub unsafe extern "C" fn debug_ctx_Tracker_Close(ctx: *mut HPyContext, ht: HPyTracker) {
    let s = slot::Tracker_Close;
    if !entered(ctx, s) || ht._i == 0 {
        return; // the null tracker is ignored, as in universal mode
    }
    let Ok(i) = tracker(ht, s) else { return };
    let closed_in = func_of(ctx);
    let d = st();
    let r = &mut d.trackers.slots[i].rec;
    let handles = std::mem::take(&mut r.handles);
    r.state = State::Closed;
    r.closed_in = closed_in;
    r.made.trace = None;
    let max = d.closed_max;
    close_in(&mut d.trackers, &mut d.closed_trackers, i, max, |r| {
        r.state = State::Free;
        r.handles = Vec::new();
    });
    for (k, h) in handles.into_iter().enumerate() {
        close_handle(h, s, closed_in, Param::Tracked(k));
    }
}

// ---- leaks ---------------------------------------------------------------------------

/// A builder or tracker still open, for leak reports.
pub(crate) struct Unfinished {
    pub kind: &'static str,
    pub bits: isize,
    pub description: String,
}

unsafe fn describe_unfinished(kind: &str, bits: isize, made: &Made, opened_in: usize, what: &str) -> String {
    use std::fmt::Write;
    let new = if kind == "HPyTracker" { "HPyTracker_New".to_string() } else { format!("{kind}_New") };
    let mut s = format!("<{kind} {bits:#x}> {what}\n    made by {new}(ctx, {}) in {}\n", made.size, c_function(opened_in));
    match &made.trace {
        Some(t) => {
            let _ = write!(s, "    made at:\n{}", report::format_trace(t, st().trace_limit.max(1)));
        }
        None => s.push_str(report::TRACE_HINT),
    }
    s
}

/// The builders neither built nor cancelled and the trackers not closed, of
/// generation `gen` or later, oldest first.
pub(crate) unsafe fn unfinished(gen: u64) -> Vec<Unfinished> {
    let d = st();
    let mut v: Vec<(u64, Unfinished)> = Vec::new();
    for (i, s) in d.builders.slots.iter().enumerate() {
        let r = &s.rec;
        if r.state == State::Open && r.made.generation >= gen {
            let bits = d.builders.bits(i);
            let kind = kind_name(r.is_list);
            let description = describe_unfinished(kind, bits, &r.made, r.opened_in, "never built nor cancelled (its items stay referenced)");
            v.push((r.made.seq, Unfinished { kind, bits, description }));
        }
    }
    for (i, s) in d.trackers.slots.iter().enumerate() {
        let r = &s.rec;
        if r.state == State::Open && r.made.generation >= gen {
            let bits = d.trackers.bits(i);
            let n = r.handles.len();
            let what = format!("never closed ({n} handle{} tracked)", if n == 1 { "" } else { "s" });
            let description = describe_unfinished("HPyTracker", bits, &r.made, r.opened_in, &what);
            v.push((r.made.seq, Unfinished { kind: "HPyTracker", bits, description }));
        }
    }
    v.sort_unstable_by_key(|(seq, _)| *seq);
    v.into_iter().map(|(_, u)| u).collect()
}

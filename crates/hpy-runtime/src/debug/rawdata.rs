//! Raw data handed out with a handle: the `const char *` of
//! `HPyUnicode_AsUTF8AndSize`, `HPyBytes_AsString`, `HPyBytes_AS_STRING` and
//! `HPyType_GetName`, valid only while the handle is open.
//!
//! Debug mode hands out a copy in pages of its own, mapped read-only (the
//! data is `const`: a write faults). When the handle is closed the pages
//! become inaccessible (`PROT_NONE`), so that a late read faults at once
//! instead of reading memory that happens to still hold the text. The pages
//! are kept while the closed handle is in the queue of closed handles and
//! their total size is within `set_protected_raw_data_max_size`, then
//! unmapped.
//!
//! A SIGSEGV handler, installed with the first copy, recognises faults in
//! these pages and writes a report naming the API function, the handle and
//! where it was opened and closed, before letting the previous handler (or
//! the default action) deal with the fault.

use super::report::{self, describe_no_python};
use super::{entered, st, uctx, unwrap, Found, Kind, State};
use crate::autogen::debug_wrappers::slot;
use hpy_abi::*;
use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};

/// A copy of raw data in pages of its own.
pub(crate) struct Region {
    pub addr: usize,
    pub map_len: usize,
    pub data_len: usize,
}

/// What the fault handler knows about a region.
#[derive(Clone, Copy)]
struct Entry {
    start: usize,
    end: usize,
    handle: isize,
    api: u16,
    closed: bool,
}

/// Changed with the GIL; read by the fault handler of the thread that
/// faulted (which is not changing it at that moment).
static mut ENTRIES: Vec<Entry> = Vec::new();
static HANDLER: AtomicBool = AtomicBool::new(false);
static mut PREVIOUS: Option<libc::sigaction> = None;

fn page_size() -> usize {
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as usize }
}

/// A read-only copy of `len` bytes at `data`, or None if no pages could be mapped.
unsafe fn copy_protected(data: *const u8, len: usize) -> Option<Region> {
    let page = page_size();
    let map_len = len.max(1).div_ceil(page) * page;
    let p = libc::mmap(std::ptr::null_mut(), map_len, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0);
    if p == libc::MAP_FAILED {
        return None;
    }
    std::ptr::copy_nonoverlapping(data, p.cast::<u8>(), len);
    libc::mprotect(p, map_len, libc::PROT_READ);
    Some(Region { addr: p as usize, map_len, data_len: len })
}

/// The handle was closed: no access from now on.
pub(crate) unsafe fn protect_closed(r: &Region) {
    libc::mprotect(r.addr as *mut c_void, r.map_len, libc::PROT_NONE);
    for e in (*std::ptr::addr_of_mut!(ENTRIES)).iter_mut().filter(|e| e.start == r.addr) {
        e.closed = true;
    }
}

pub(crate) unsafe fn free(r: Region) {
    let entries = &mut *std::ptr::addr_of_mut!(ENTRIES);
    entries.retain(|e| e.start != r.addr);
    libc::munmap(r.addr as *mut c_void, r.map_len);
}

/// Associates a protected copy of `len` bytes at `data` with the open handle
/// `h` (on behalf of `api`) and returns the copy. Handles that are never
/// closed (constants) or not open (a callback chose to go on) get the
/// original pointer.
unsafe fn attach(h: HPy, data: *const c_char, len: usize, api: usize) -> *const c_char {
    let d = st();
    let Found::Live(i) = d.handles.find(h._i) else { return data };
    let rec = &d.handles.slots[i].rec;
    if rec.state != State::Open || rec.kind == Kind::Constant {
        return data;
    }
    let Some(region) = copy_protected(data.cast(), len) else { return data };
    install_handler();
    let copy = region.addr as *const c_char;
    (*std::ptr::addr_of_mut!(ENTRIES)).push(Entry {
        start: region.addr,
        end: region.addr + region.map_len,
        handle: h._i,
        api: api as u16,
        closed: false,
    });
    d.handles.slots[i].rec.raw.push(region);
    d.handles.slots[i].rec.extras = true;
    copy
}

/// The size of the raw data retained for the record `i`, if any.
pub(crate) unsafe fn raw_data_size(i: usize) -> Option<usize> {
    let r = &st().handles.slots[i].rec;
    (!r.raw.is_empty()).then(|| r.raw.iter().map(|g| g.data_len).sum())
}

pub unsafe extern "C" fn debug_ctx_Unicode_AsUTF8AndSize(ctx: *mut HPyContext, h: HPy, size: *mut HPy_ssize_t) -> *const c_char {
    let s = slot::Unicode_AsUTF8AndSize;
    if !entered(ctx, s) {
        return std::ptr::null();
    }
    let Some(u) = unwrap(h, s, "h") else { return std::ptr::null() };
    let p = crate::ctx::ctx_Unicode_AsUTF8AndSize(uctx(), u, size);
    if p.is_null() {
        return p;
    }
    let n = if size.is_null() { libc::strlen(p) } else { *size as usize };
    attach(h, p, n + 1, s)
}

unsafe fn bytes_data(
    ctx: *mut HPyContext,
    h: HPy,
    s: usize,
    f: unsafe extern "C" fn(*mut HPyContext, HPy) -> *const c_char,
) -> *const c_char {
    if !entered(ctx, s) {
        return std::ptr::null();
    }
    let Some(u) = unwrap(h, s, "h") else { return std::ptr::null() };
    let p = f(uctx(), u);
    if p.is_null() {
        return p;
    }
    let n = crate::ctx::ctx_Bytes_Size(uctx(), u);
    attach(h, p, n as usize + 1, s)
}

pub unsafe extern "C" fn debug_ctx_Bytes_AsString(ctx: *mut HPyContext, h: HPy) -> *const c_char {
    bytes_data(ctx, h, slot::Bytes_AsString, crate::ctx::ctx_Bytes_AsString)
}

pub unsafe extern "C" fn debug_ctx_Bytes_AS_STRING(ctx: *mut HPyContext, h: HPy) -> *const c_char {
    bytes_data(ctx, h, slot::Bytes_AS_STRING, crate::ctx::ctx_Bytes_AS_STRING)
}

pub unsafe extern "C" fn debug_ctx_Type_GetName(ctx: *mut HPyContext, type_: HPy) -> *const c_char {
    let s = slot::Type_GetName;
    if !entered(ctx, s) {
        return std::ptr::null();
    }
    let Some(u) = unwrap(type_, s, "type") else { return std::ptr::null() };
    let p = crate::ctx::ctx_Type_GetName(uctx(), u);
    if p.is_null() {
        return p;
    }
    attach(type_, p, libc::strlen(p) + 1, s)
}

// ---- the fault handler -----------------------------------------------------------

unsafe fn install_handler() {
    if HANDLER.swap(true, Ordering::SeqCst) {
        return;
    }
    let mut sa: libc::sigaction = std::mem::zeroed();
    sa.sa_sigaction = on_fault as *const () as usize;
    sa.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
    libc::sigemptyset(&mut sa.sa_mask);
    let mut old: libc::sigaction = std::mem::zeroed();
    if libc::sigaction(libc::SIGSEGV, &sa, &mut old) == 0 {
        *std::ptr::addr_of_mut!(PREVIOUS) = Some(old);
    }
}

/// Reports a fault in a protected region, then restores the previous
/// handler and returns: the faulting instruction runs again and the fault
/// goes where it would have gone without debug mode.
extern "C" fn on_fault(_sig: c_int, info: *mut libc::siginfo_t, _uc: *mut c_void) {
    unsafe {
        let addr = (*info).si_addr() as usize;
        let entries = &*std::ptr::addr_of!(ENTRIES);
        if let Some(e) = entries.iter().find(|e| e.start <= addr && addr < e.end).copied() {
            let api = report::api_name(e.api as usize);
            let what = if e.closed {
                format!("the memory returned by {api} was accessed after its handle was closed")
            } else {
                format!("the memory returned by {api} is read-only (const char *), and was written to")
            };
            let here = report::format_trace(&report::capture(24), 24);
            report::write_stderr(&format!(
                "\n==== HPy debug mode: invalid access to raw data ====\n\
                 HPy debug mode: {what}\n  address {addr:#x} (the data starts at {:#x}; the pointer is valid only while the handle is open)\n\
                 {}  backtrace of the access:\n{here}====================================================\n",
                e.start,
                describe_no_python(e.handle)
            ));
        }
        match *std::ptr::addr_of!(PREVIOUS) {
            Some(old) => {
                libc::sigaction(libc::SIGSEGV, &old, std::ptr::null_mut());
            }
            None => {
                libc::signal(libc::SIGSEGV, libc::SIG_DFL);
            }
        }
    }
}

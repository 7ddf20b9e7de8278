//! How debug mode reports a misuse, and what the reports say.
//!
//! Policy, for every detection:
//!
//! 1. handle and builder misuse goes to the callback set by
//!    `set_on_invalid_handle` / `set_on_invalid_builder_handle` when there is
//!    one (HPy 0.9.0's behaviour): it is called without arguments and the
//!    program goes on as well as it can (e.g. with the object a closed handle
//!    used to refer to). The text of the report is kept for
//!    `hpy.universal._debug.get_last_report()`;
//! 2. otherwise, where the thread holds the GIL and the API function can
//!    fail, an `hpy.debug.HPyDebugError` subclass is raised (chained to the
//!    exception that was pending, if any) and the function returns its error
//!    value;
//! 3. otherwise (no GIL, or a function whose caller cannot see an error,
//!    such as `_HPy_AsStruct_*`) the report is written to stderr and the
//!    process aborts.
//!
//! A report names the API function, the problem, the HPy C function that
//! was running, and for each handle involved: who opened it and where, who
//! closed it, its object's type (and repr while it is alive), and the
//! backtraces of its opening and closing when `set_handle_stack_trace_limit`
//! enabled them.

use super::{frame, st, Found, Frame, Kind, State, ORIGIN_ARGUMENT, ORIGIN_RESULT, ORIGIN_RUNTIME, ORIGIN_TRACKER};
use crate::autogen::debug_wrappers::MEMBER_NAMES;
use hpy_abi::*;
use pyo3_ffi as ffi;
use std::ffi::{c_void, CStr, CString};
use std::fmt::Write;
use std::ptr::null_mut;

/// The kinds of misuse, each raised as its own subclass of HPyDebugError.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Family {
    Handle,
    Builder,
    Tracker,
    Field,
    Global,
    Context,
    Return,
}

pub(crate) const FAMILIES: [(Family, &CStr, &CStr); 7] = [
    (Family::Handle, c"HPyInvalidHandleError", c"A closed, unknown or borrowed handle was used, closed or returned."),
    (Family::Builder, c"HPyInvalidBuilderError", c"An HPyListBuilder or HPyTupleBuilder was used after its Build or Cancel, or was never made."),
    (Family::Tracker, c"HPyTrackerError", c"An HPyTracker was used after HPyTracker_Close, or was never made."),
    (Family::Field, c"HPyFieldError", c"An HPyField was stored outside of its object or holds something HPyField_Store did not put there."),
    (Family::Global, c"HPyGlobalError", c"An HPyGlobal was not declared in HPyModuleDef.globals, or was loaded before being stored."),
    (Family::Context, c"HPyContextError", c"An HPyContext was used outside of the HPy call that received it."),
    (Family::Return, c"HPyReturnError", c"An HPy function broke the protocol of its result: HPy_NULL (or -1) without an exception, or a value with an exception set."),
];

/// The exception classes, created by `pymod` at import of `hpy.universal`.
pub(crate) static mut BASE_ERROR: *mut ffi::PyObject = null_mut();
pub(crate) static mut ERRORS: [*mut ffi::PyObject; 7] = [null_mut(); 7];

/// The text of the last report, for `get_last_report()`.
pub(crate) static mut LAST_REPORT: Option<String> = None;

pub(crate) unsafe fn class_of(f: Family) -> *mut ffi::PyObject {
    let i = FAMILIES.iter().position(|(g, _, _)| *g == f).unwrap();
    let c = (*std::ptr::addr_of!(ERRORS))[i];
    if c.is_null() {
        ffi::PyExc_SystemError
    } else {
        c
    }
}

/// Whether the pending exception is one debug mode raised.
pub(crate) unsafe fn debug_error_pending() -> bool {
    let base = *std::ptr::addr_of!(BASE_ERROR);
    !base.is_null() && !ffi::PyErr_Occurred().is_null() && ffi::PyErr_ExceptionMatches(base) != 0
}

/// What happened to a report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Outcome {
    /// The callback took it: go on.
    Continue,
    /// An exception is set: fail.
    Raised,
}

/// Delivers `msg` according to the policy above. `can_raise`: the API
/// function can report an error to its caller.
pub(crate) unsafe fn deliver(family: Family, msg: String, can_raise: bool) -> Outcome {
    let gil = ffi::PyGILState_Check() != 0;
    if gil {
        let d = st();
        let cb = match family {
            Family::Handle => d.on_invalid_handle,
            Family::Builder => d.on_invalid_builder,
            _ => null_mut(),
        };
        if !cb.is_null() {
            *std::ptr::addr_of_mut!(LAST_REPORT) = Some(msg);
            call_callback(cb);
            return Outcome::Continue;
        }
        if can_raise {
            *std::ptr::addr_of_mut!(LAST_REPORT) = Some(msg.clone());
            raise_chained(class_of(family), &msg);
            return Outcome::Raised;
        }
    }
    fatal(&msg)
}

#[allow(deprecated)] // PyErr_Fetch/Restore exist in every supported version
unsafe fn call_callback(cb: *mut ffi::PyObject) {
    let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
    ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
    ffi::Py_INCREF(cb);
    let r = ffi::PyObject_CallNoArgs(cb);
    if r.is_null() {
        ffi::PyErr_WriteUnraisable(cb);
    } else {
        ffi::Py_DECREF(r);
    }
    ffi::Py_DECREF(cb);
    ffi::PyErr_Restore(t, v, tb);
}

/// Raises `cls(msg)`; a pending exception becomes its `__context__`.
#[allow(deprecated)]
pub(crate) unsafe fn raise_chained(cls: *mut ffi::PyObject, msg: &str) {
    let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
    ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
    if t.is_null() {
        crate::errors::set_error(cls, msg);
        return;
    }
    // Normalizing runs Python code: never with an exception set.
    ffi::PyErr_NormalizeException(&mut t, &mut v, &mut tb);
    if !tb.is_null() && !v.is_null() {
        ffi::PyException_SetTraceback(v, tb);
    }
    crate::errors::set_error(cls, msg);
    let (mut t2, mut v2, mut tb2) = (null_mut(), null_mut(), null_mut());
    ffi::PyErr_Fetch(&mut t2, &mut v2, &mut tb2);
    ffi::PyErr_NormalizeException(&mut t2, &mut v2, &mut tb2);
    if !v2.is_null() && !v.is_null() {
        ffi::PyException_SetContext(v2, v); // steals v
    } else {
        ffi::Py_XDECREF(v);
    }
    ffi::Py_XDECREF(t);
    ffi::Py_XDECREF(tb);
    ffi::PyErr_Restore(t2, v2, tb2);
}

/// Writes the report and a backtrace of the current thread to stderr, then
/// aborts through Py_FatalError (which adds the Python traceback).
pub(crate) unsafe fn fatal(msg: &str) -> ! {
    let here = format_trace(&capture(32), 32);
    let text = format!(
        "\n==== HPy debug mode: fatal misuse of the HPy API ====\n{msg}\n  backtrace of the misuse:\n{here}=====================================================\n"
    );
    write_stderr(&text);
    let first = msg.lines().next().unwrap_or("HPy debug mode");
    let c = CString::new(first.replace('\0', " ")).unwrap_or_default();
    ffi::Py_FatalError(c.as_ptr())
}

pub(crate) fn write_stderr(text: &str) {
    use std::io::Write as _;
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(text.as_bytes());
    let _ = e.flush();
}

// ---- backtraces ---------------------------------------------------------------

/// Frames kept before the first frame outside the runtime is known.
const OWN_FRAMES_MARGIN: usize = 16;

/// The return addresses of the current stack (raw: symbolised on report).
#[inline(never)]
pub(crate) fn capture(limit: usize) -> Box<[usize]> {
    let mut ips = Vec::with_capacity(limit + OWN_FRAMES_MARGIN);
    let max = limit + OWN_FRAMES_MARGIN;
    unsafe {
        backtrace::trace_unsynchronized(|f| {
            ips.push(f.ip() as usize);
            ips.len() < max
        })
    };
    ips.into_boxed_slice()
}

/// The object file (executable or shared library) mapped at `addr`: its
/// load bias and its path.
#[derive(Clone)]
struct ObjectFile {
    bias: usize,
    path: String,
}

fn object_of(addr: usize) -> Option<ObjectFile> {
    struct Search {
        addr: usize,
        found: Option<ObjectFile>,
    }
    unsafe extern "C" fn each(info: *mut libc::dl_phdr_info, _size: usize, data: *mut c_void) -> i32 {
        let s = &mut *(data as *mut Search);
        let info = &*info;
        let bias = info.dlpi_addr as usize;
        for k in 0..info.dlpi_phnum as usize {
            let ph = &*info.dlpi_phdr.add(k);
            if ph.p_type != libc::PT_LOAD {
                continue;
            }
            let start = bias + ph.p_vaddr as usize;
            if s.addr >= start && s.addr < start + ph.p_memsz as usize {
                let name = if info.dlpi_name.is_null() { "" } else { CStr::from_ptr(info.dlpi_name).to_str().unwrap_or("") };
                let path = if name.is_empty() {
                    std::fs::read_link("/proc/self/exe").map(|p| p.display().to_string()).unwrap_or_default()
                } else {
                    name.to_string()
                };
                s.found = Some(ObjectFile { bias, path });
                return 1;
            }
        }
        0
    }
    let mut s = Search { addr, found: None };
    unsafe { libc::dl_iterate_phdr(Some(each), &mut s as *mut Search as *mut c_void) };
    s.found
}

fn own_path() -> String {
    object_of(own_path as fn() -> String as usize).map(|o| o.path).unwrap_or_default()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

thread_local! {
    /// The debug information of the object files seen so far (None: unreadable).
    static LOADERS: std::cell::RefCell<std::collections::HashMap<String, Option<addr2line::Loader>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// `name at file:line` (or `name in lib.so`, or the address) for a code
/// address, with the functions it was inlined into; `is_return` for return
/// addresses of frames (the call is the instruction before).
fn symbolise(addr: usize, is_return: bool) -> String {
    let probe_addr = if is_return { addr.saturating_sub(1) } else { addr };
    match object_of(probe_addr) {
        Some(obj) => symbolise_in(&obj, addr, probe_addr),
        None => format!("{addr:#x}"),
    }
}

/// `symbolise` for an address in `obj`, which holds `probe_addr`.
fn symbolise_in(obj: &ObjectFile, addr: usize, probe_addr: usize) -> String {
    let probe = (probe_addr - obj.bias) as u64;
    let mut found: Vec<String> = Vec::new();
    LOADERS.with(|cell| {
        let mut map = cell.borrow_mut();
        let loader = map.entry(obj.path.clone()).or_insert_with(|| addr2line::Loader::new(&obj.path).ok());
        let Some(loader) = loader else { return };
        if let Ok(mut frames) = loader.find_frames(probe) {
            while let Ok(Some(f)) = frames.next() {
                let name = f.function.as_ref().and_then(|n| n.demangle().ok().map(|c| c.into_owned()));
                let place = f.location.as_ref().and_then(|l| match (l.file, l.line) {
                    (Some(file), Some(line)) => Some(format!("{file}:{line}")),
                    _ => None,
                });
                match (name, place) {
                    (Some(n), Some(p)) => found.push(format!("{n} at {p}")),
                    (Some(n), None) => found.push(format!("{n} in {}", file_name(&obj.path))),
                    (None, Some(p)) => found.push(format!("{addr:#x} at {p}")),
                    (None, None) => {}
                }
            }
        }
        if found.is_empty() {
            if let Some(sym) = loader.find_symbol(probe) {
                found.push(format!("{} in {}", addr2line::demangle_auto(sym.into(), None), file_name(&obj.path)));
            }
        }
    });
    if found.is_empty() {
        return format!("{addr:#x} in {}", file_name(&obj.path));
    }
    // Innermost first: the call site, then the functions it was inlined into.
    let mut s = found[0].clone();
    for outer in &found[1..] {
        let _ = write!(s, ", inlined in {outer}");
    }
    s
}

/// The frames of `ips` but the runtime's own, `limit` at most, one per line.
pub(crate) fn format_trace(ips: &[usize], limit: usize) -> String {
    let own = own_path();
    let mut s = String::new();
    // Each frame's object file is looked up once: it decides whether the
    // frame is shown, and names the binary, as HPy 0.9.0's traces do.
    let frames = ips.iter().filter_map(|&ip| {
        let probe = ip.saturating_sub(1);
        match object_of(probe) {
            Some(obj) if obj.path == own => None,
            Some(obj) => {
                let mut frame = symbolise_in(&obj, ip, probe);
                let binary = file_name(&obj.path);
                if !frame.ends_with(binary) {
                    let _ = write!(frame, " in {binary}");
                }
                Some(frame)
            }
            None => Some(format!("{ip:#x}")),
        }
    });
    for (k, frame) in frames.take(limit.max(1)).enumerate() {
        let _ = writeln!(s, "      #{k} {frame}");
    }
    if s.is_empty() {
        s.push_str("      (no frames)\n");
    }
    s
}

/// The HPy C function at `addr`, for messages.
pub(crate) fn c_function(addr: usize) -> String {
    if addr == 0 {
        "(no HPy function was running)".to_string()
    } else {
        symbolise(addr, false)
    }
}

// ---- describing handles -----------------------------------------------------------

/// The API function or other origin `o`.
pub(crate) fn origin_name(o: u16) -> String {
    match o {
        ORIGIN_ARGUMENT => "the runtime, as an argument".into(),
        ORIGIN_RESULT => "returning it to the runtime (the caller took it over)".into(),
        ORIGIN_TRACKER => "HPyTracker_Close".into(),
        ORIGIN_RUNTIME => "the runtime".into(),
        s => MEMBER_NAMES.get(s as usize).map_or_else(|| format!("<slot {s}>"), |n| n.to_string()),
    }
}

/// The name of the type of `o`.
pub(crate) unsafe fn type_name(o: *mut ffi::PyObject) -> String {
    if o.is_null() {
        return "NULL".into();
    }
    name_of_type(ffi::Py_TYPE(o).cast())
}

/// The name of the type object `t`.
pub(crate) unsafe fn name_of_type(t: *mut ffi::PyObject) -> String {
    if t.is_null() {
        return "?".into();
    }
    CStr::from_ptr((*t.cast::<ffi::PyTypeObject>()).tp_name).to_string_lossy().into_owned()
}

/// `repr(o)`, shortened; the error indicator is left as it was.
#[allow(deprecated)]
pub(crate) unsafe fn safe_repr(o: *mut ffi::PyObject) -> String {
    let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
    ffi::PyErr_Fetch(&mut t, &mut v, &mut tb);
    let r = ffi::PyObject_Repr(o);
    let mut text = if r.is_null() {
        ffi::PyErr_Clear();
        "<repr() failed>".to_owned()
    } else {
        let mut n = 0;
        let p = ffi::PyUnicode_AsUTF8AndSize(r, &mut n);
        let s = if p.is_null() {
            ffi::PyErr_Clear();
            "<repr() not encodable>".to_owned()
        } else {
            String::from_utf8_lossy(std::slice::from_raw_parts(p.cast::<u8>(), n as usize)).into_owned()
        };
        ffi::Py_DECREF(r);
        s
    };
    ffi::PyErr_Restore(t, v, tb);
    if text.chars().count() > 200 {
        text = text.chars().take(200).collect::<String>() + "...";
    }
    text
}

pub(crate) const TRACE_HINT: &str = "    (call hpy.debug.set_handle_stack_trace_limit(16) to record where handles are opened and closed)\n";

/// Everything known about the handle `bits`, as indented lines.
pub(crate) unsafe fn describe(bits: isize) -> String {
    describe_ext(bits, true)
}

/// `describe` without running Python code (no repr): for the fault handler.
pub(crate) unsafe fn describe_no_python(bits: isize) -> String {
    describe_ext(bits, false)
}

unsafe fn describe_ext(bits: isize, with_repr: bool) -> String {
    let d = st();
    let mut s = String::new();
    match d.handles.find(bits) {
        Found::Live(i) => {
            let r = &d.handles.slots[i].rec;
            let _ = match r.kind {
                Kind::Owned => writeln!(s, "    handle {bits:#x}: opened by {} in {}", origin_name(r.origin), c_function(r.opened_in)),
                Kind::Argument => writeln!(
                    s,
                    "    handle {bits:#x}: argument {} (self is 0) of {} (borrowed from the caller, valid during that call only)",
                    r.arg_pos,
                    c_function(r.opened_in)
                ),
                Kind::Constant => writeln!(s, "    handle {bits:#x}: the context constant {}", origin_name(r.origin)),
            };
            match r.state {
                State::Open if with_repr => {
                    let _ = writeln!(s, "    object: a '{}': {}", type_name(r.obj), safe_repr(r.obj));
                }
                State::Open => {
                    let _ = writeln!(s, "    object: a '{}'", type_name(r.obj));
                }
                State::Closed => {
                    let by = if r.kind == Kind::Argument && r.closed_by == ORIGIN_ARGUMENT {
                        "the runtime when that call returned".to_string()
                    } else {
                        origin_name(r.closed_by)
                    };
                    let _ = writeln!(s, "    closed by {by} in {}", c_function(r.closed_in));
                    let _ = writeln!(s, "    object (when closed): a '{}'", super::ClosedType::of_rec(r));
                }
                State::Free => {}
            }
            let limit = d.trace_limit.max(1);
            match &r.trace {
                Some(t) => {
                    // HPy 0.9.0's heading, which its docs and tools look for
                    let _ = write!(s, "    Allocation stacktrace:\n{}", format_trace(t, limit));
                }
                None if r.kind != Kind::Constant => s.push_str(TRACE_HINT),
                None => {}
            }
            if let Some(t) = &r.close_trace {
                let _ = write!(s, "    Closing stacktrace:\n{}", format_trace(t, limit));
            }
        }
        Found::Stale => {
            let _ = writeln!(
                s,
                "    handle {bits:#x}: closed long ago (debug mode keeps the details of the last {} closed handles: \
                 see hpy.universal._debug.set_closed_handles_queue_max_size)",
                d.closed_max
            );
        }
        Found::Unknown if bits & 1 == 0 => {
            let _ = writeln!(s, "    {bits:#x} is not a debug handle: a universal handle, a handle of another context, or garbage");
        }
        Found::Unknown => {
            let _ = writeln!(s, "    {bits:#x} was never opened by debug mode (uninitialized memory or garbage?)");
        }
    }
    s
}

fn header(api: &str, what: &str) -> String {
    format!("HPy debug mode: {api}: {what}\n  in the HPy function {}\n", c_function(frame().func))
}

pub(crate) fn api_name(slot: usize) -> &'static str {
    MEMBER_NAMES.get(slot).copied().unwrap_or("<unknown API function>")
}

/// A handle given to `slot` is not open (see `super::unwrap`).
#[cold]
pub(crate) unsafe fn invalid_handle(h: HPy, slot: usize, param: &str, must_abort: bool) -> Option<HPy> {
    let api = api_name(slot);
    let found = st().handles.find(h._i);
    let what = match found {
        Found::Live(_) => format!("argument '{param}' is a closed handle"),
        Found::Stale => format!("argument '{param}' is a handle that was closed long ago"),
        Found::Unknown => format!("argument '{param}' is not an open handle"),
    };
    let msg = header(api, &what) + &describe(h._i);
    match deliver(Family::Handle, msg, !must_abort) {
        Outcome::Continue => {
            // As HPy 0.9.0: go on with the object the handle referred to, if
            // it is still known (on CPython it may well be alive).
            if let Found::Live(i) = st().handles.find(h._i) {
                return Some(HPy { _i: st().handles.slots[i].rec.obj as isize });
            }
            raise_chained(class_of(Family::Handle), &format!("{api}: argument '{param}' cannot be used (see the report)"));
            None
        }
        Outcome::Raised => None,
    }
}

/// Reports a misuse that is not about one handle's state: `Continue` only
/// when a callback took it.
pub(crate) unsafe fn misuse(family: Family, slot: usize, what: &str, details: &str, can_raise: bool) -> Outcome {
    deliver(family, header(api_name(slot), what) + details, can_raise)
}

/// Same as `misuse`, for the runtime's own checks around an HPy call.
pub(crate) unsafe fn misuse_in(family: Family, func: usize, what: &str, details: &str) -> Outcome {
    let msg = format!("HPy debug mode: the HPy function {} {what}\n{details}", c_function(func));
    deliver(family, msg, true)
}

/// What HPy 0.9.0 reports for any misuse of a context.
const WRONG_CONTEXT: &str = "Error: Wrong HPy Context!";

/// `ctx` cannot be used here (see `super::entered`).
#[cold]
pub(crate) unsafe fn bad_context(ctx: *mut HPyContext, slot: usize, f: Frame) -> bool {
    let api = api_name(slot);
    let gil = ffi::PyGILState_Check() != 0;
    if f.released {
        fatal(&format!(
            "HPy debug mode: {api}: {WRONG_CONTEXT} called after HPy_LeavePythonExecution and before HPy_ReenterPythonExecution:\n  \
             the thread does not hold the GIL, so no HPy function may be called (context {ctx:p})\n  in the HPy function {}\n",
            c_function(f.func)
        ));
    }
    if !gil {
        fatal(&format!(
            "HPy debug mode: {api}: {WRONG_CONTEXT} called with context {ctx:p} from a thread that does not hold the GIL\n  \
             (a context is valid only in the thread and during the HPy call that received it)\n"
        ));
    }
    let d = st();
    let ours = ctx == d.global_ctx || d.ring.contains(&ctx);
    let what = if !ours {
        format!("called with {ctx:p}, which is not a context of debug mode (a context from another mode, or garbage)")
    } else if ctx == d.global_ctx {
        "called with the module's global context (the one given to HPyInitGlobalContext), which only the trampolines may use".into()
    } else if f.ctx.is_null() {
        "called with a context outside of any HPy call: the context was captured in an earlier call \
         (a context is valid only during the call that received it)"
            .into()
    } else {
        "called with a context captured in an earlier HPy call: each call receives its own context, \
         valid only until it returns"
            .into()
    };
    // HPy 0.9.0's words lead, for whoever looks for them.
    let msg = header(api, &format!("{WRONG_CONTEXT} {what}"));
    misuse_outcome(deliver(Family::Context, msg, true))
}

fn misuse_outcome(o: Outcome) -> bool {
    o == Outcome::Continue
}

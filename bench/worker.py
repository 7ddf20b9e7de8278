"""One variant of the microbenchmarks, in one process.

    python worker.py VARIANT MODULE_PATH MODE [--quick] [--cgctl DIR]

VARIANT is capi, cpython, universal or debug (universal in debug mode);
the runtime is whichever `hpy` package the interpreter running this script
imports (hpy-rs in .venv, HPy 0.9.0 in the oracle venv). MODE:

  check      run every operation a few times, print their results (JSON)
  callgrind  run under `valgrind --tool=callgrind --instr-atstart=no`: each
             measured call becomes a callgrind dump labelled
             "<op>:<n>" (bench/run.py reads them)
  time       wall-clock: print per-operation samples in ns (JSON)

Prints {"unavailable": reason} if the variant cannot be loaded (debug mode
on a runtime that does not have it).

Operations of kind "py" are calls from Python into the extension: the loop
is Python code, and its baseline is the same loop without the call. All
others loop in C inside the extension (bench_<op>(n, ...)), with
bench_empty(n) as the baseline.
"""
import gc
import importlib.machinery
import importlib.util
import json
import statistics
import sys
import time


# ---- inputs -----------------------------------------------------------------

def pyfunc(a, b=None):
    return a


class Target:
    def __init__(self):
        self.attr = 42

    def meth(self, x):
        return x


KEYS = tuple("key%d" % i for i in range(8))


def make_inputs(mod):
    point = mod.bench_new_instance(1, mod.Point)
    d = {k: (None if i % 4 == 0 else i) for i, k in enumerate(KEYS)}
    for i in range(24):              # a 32-entry dict, not a tiny one
        d["other%d" % i] = i
    return {
        "target": Target(),
        "tuple1000": tuple(None if i % 2 == 0 else i for i in range(1000)),
        "dict": d,
        "ints": tuple(range(1000, 1008)),
        "list10": list(range(10)),
        "point": point,
        "Point": mod.Point,
        "type_check_objs": (point, 42),
    }


# ---- Python loops (calls from Python into the extension) --------------------

def loop_empty(f, n):
    r = None
    for _ in range(n):
        pass
    return r


def loop_noargs(f, n):
    r = None
    for _ in range(n):
        r = f()
    return r


def loop_onearg(f, n):
    r = None
    x = 7
    for _ in range(n):
        r = f(x)
    return r


def loop_varargs(f, n):
    r = None
    a, b, c = 1, 2, 3
    for _ in range(n):
        r = f(a, b, c)
    return r


def loop_keywords(f, n):
    r = None
    a, b = 1, 2
    for _ in range(n):
        r = f(a, b=b)
    return r


# ---- the operations ---------------------------------------------------------
# name -> (kind, description, per_call, weight, make_call)
#   per_call: operations per iteration of n (1000 for the tuple sweep)
#   weight:   n for this operation = N // weight (costly ops run fewer times)
#   make_call(mod, inp) -> (fn, args_after_n): the call is fn(n, *args), or
#   for kind "py", loop(fn_of_module, n)

OPS = {
    "call_noargs": ("py", "call from Python, no arguments (HPyFunc_NOARGS)", 1, 1,
                    lambda m, i: (loop_noargs, (m.noargs,))),
    "call_onearg": ("py", "call from Python, one argument (HPyFunc_O)", 1, 1,
                    lambda m, i: (loop_onearg, (m.onearg,))),
    "call_varargs": ("py", "call from Python, 3 arguments (HPyFunc_VARARGS)", 1, 1,
                     lambda m, i: (loop_varargs, (m.varargs,))),
    "call_keywords": ("py", "call from Python, f(a, b=b) (HPyFunc_KEYWORDS)", 1, 1,
                      lambda m, i: (loop_keywords, (m.keywords,))),
    "call_tuple": ("c", "call a Python function with a tuple (HPy_CallTupleDict)", 1, 4,
                   lambda m, i: (m.bench_call_tuple, (pyfunc, (1, 2)))),
    "call_tuple_dict": ("c", "... with a tuple and a dict (HPy_CallTupleDict)", 1, 4,
                        lambda m, i: (m.bench_call_tuple_dict, (pyfunc, (1,), {"b": 2}))),
    "call_vectorcall": ("c", "call a Python function (HPy_Call)", 1, 4,
                        lambda m, i: (m.bench_call, (pyfunc, 1, 2))),
    "call_method": ("c", "call a method by name (HPy_CallMethod)", 1, 4,
                    lambda m, i: (m.bench_call_method, (i["target"], "meth", 5))),
    "len": ("c", "len() of a list (HPy_Length)", 1, 1,
            lambda m, i: (m.bench_len, (i["list10"],))),
    "tuple_getitem": ("c", "item of a 1000-tuple (HPy_GetItem_i)", 1000, 1000,
                      lambda m, i: (m.bench_tuple_getitem, (i["tuple1000"],))),
    "dict_getitem": ("c", "dict lookup, str key object (HPy_GetItem)", 1, 1,
                     lambda m, i: (m.bench_dict_getitem, (i["dict"], KEYS))),
    "dict_getitem_s": ("c", "dict lookup, C string key (HPy_GetItem_s)", 1, 2,
                       lambda m, i: (m.bench_dict_getitem_s, (i["dict"],))),
    "getattr": ("c", "attribute of an instance (HPy_GetAttr)", 1, 1,
                lambda m, i: (m.bench_getattr, (i["target"], "attr"))),
    "long_from": ("c", "box a C long (HPyLong_FromLong) and free it", 1, 1,
                  lambda m, i: (m.bench_long_from, ())),
    "long_as": ("c", "unbox an int (HPyLong_AsLong)", 1, 1,
                lambda m, i: (m.bench_long_as, (i["ints"],))),
    "tuple_new": ("c", "3-tuple (HPyTuple_FromArray) and free it", 1, 1,
                  lambda m, i: (m.bench_tuple_new, (1, 2, 3))),
    "list_builder": ("c", "3-item list (HPyListBuilder) and free it", 1, 1,
                     lambda m, i: (m.bench_list_builder, (1, 2, 3))),
    "new_instance": ("c", "instance of an HPyType_FromSpec type (HPy_New) and free it", 1, 1,
                     lambda m, i: (m.bench_new_instance, (i["Point"],))),
    "type_check": ("c", "type check (HPy_TypeCheck), hit and miss", 1, 1,
                   lambda m, i: (m.bench_type_check, (i["type_check_objs"], i["Point"]))),
    "float_list": ("c", "list of 1000 new floats (HPyListBuilder)", 1, 500,
                   lambda m, i: (m.bench_float_list, ())),
}


def summarize(value):
    """A variant-independent, JSON-able description of a result."""
    if type(value).__name__ == "Point":
        return ["Point", value.x, value.y]
    if isinstance(value, list):
        return ["list", len(value), sum(value) if all(isinstance(v, (int, float)) for v in value) else repr(value)]
    return repr(value)


# ---- loading ----------------------------------------------------------------

def load(variant, path):
    if variant == "capi":
        name = "capi_bench"
    else:
        name = "hpy_bench"
    if variant in ("capi", "cpython"):
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    import hpy.universal
    spec = importlib.machinery.ModuleSpec(name, None, origin=path)
    return hpy.universal.load(name, path, spec, debug=(variant == "debug"))


def prepare(mod, inp, name, n):
    kind, _desc, _per_call, _weight, make_call = OPS[name]
    fn, extra = make_call(mod, inp)
    if kind == "py":
        return fn, (extra[0], n)
    return fn, (n,) + extra


def baseline(mod, kind, n):
    if kind == "py":
        return loop_empty, (None, n)
    return mod.bench_empty, (n,)


def iterations(name, big_n):
    return max(2, big_n // OPS[name][3])


# ---- modes ------------------------------------------------------------------

def run_check(mod, inp):
    out = {}
    for name in OPS:
        fn, args = prepare(mod, inp, name, 4 if OPS[name][3] < 1000 else 1)
        out[name] = summarize(fn(*args))
    return out


def run_callgrind(mod, inp, big_n, cgctl_dir):
    sys.path.insert(0, cgctl_dir)
    import _cgctl
    if not _cgctl.running_on_valgrind():
        raise SystemExit("callgrind mode must run under valgrind")
    calls = []
    seen = set()
    for name in OPS:
        n = iterations(name, big_n)
        calls.append(("%s:%d" % (name, n),) + prepare(mod, inp, name, n))
        kind = OPS[name][0]
        if (kind, n) not in seen:
            seen.add((kind, n))
            calls.append(("empty_%s:%d" % (kind, n),) + baseline(mod, kind, n))
    # warm up (caches, specialization of the Python loops), then count
    for _label, fn, args in calls:
        for _ in range(3):
            fn(*args)
    _cgctl.start()
    for label, fn, args in calls:
        _cgctl.measure(label, fn, *args)
    return {"dumps": len(calls)}


def time_call(fn, args):
    t0 = time.perf_counter_ns()
    fn(*args)
    return time.perf_counter_ns() - t0


def calibrate(make, target_ns):
    """The smallest n (a power of two) for which make(n)'s call takes at
    least target_ns."""
    n = 8
    while n < 1 << 26:
        if time_call(*make(n)) >= target_ns:
            break
        n *= 2
    return n


def run_time(mod, inp, quick):
    """Samples of ns per operation: each sample times the loop and, right
    after it, the empty loop with the same n, and keeps the difference, so
    that a slow moment of the (shared) machine hits both. Many short
    samples rather than a few long ones: most then fall between two
    interruptions of the process, and the median is one of those."""
    target_ns = 500_000 if quick else 1_000_000
    repeats = 21 if quick else 31
    out = {}
    for name in OPS:
        kind, _desc, per_call, _w, _mk = OPS[name]
        n = calibrate(lambda k: prepare(mod, inp, name, k), target_ns)
        fn, args = prepare(mod, inp, name, n)
        bfn, bargs = baseline(mod, kind, n)
        fn(*args)                    # warm up
        samples = []
        for _ in range(repeats):
            t = time_call(fn, args)
            b = time_call(bfn, bargs)
            samples.append((t - b) / (n * per_call))
        out[name] = samples
    return out


def main(argv):
    variant, path, mode = argv[1:4]
    quick = "--quick" in argv
    big_n = int(argv[argv.index("--n") + 1]) if "--n" in argv else (10_000 if quick else 100_000)
    cgctl_dir = argv[argv.index("--cgctl") + 1] if "--cgctl" in argv else None
    try:
        mod = load(variant, path)
    except Exception as e:
        if variant == "debug":
            print(json.dumps({"unavailable": "%s: %s" % (type(e).__name__, e)}))
            return
        raise
    inp = make_inputs(mod)
    gc.collect()
    gc.disable()
    if mode == "check":
        result = run_check(mod, inp)
    elif mode == "callgrind":
        result = run_callgrind(mod, inp, big_n, cgctl_dir)
    elif mode == "time":
        result = run_time(mod, inp, quick)
    else:
        raise SystemExit("unknown mode " + mode)
    import platform
    print(json.dumps({"python": platform.python_version(), "result": result}))


if __name__ == "__main__":
    main(sys.argv)

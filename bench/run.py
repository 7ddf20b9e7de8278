"""hpy-rs microbenchmarks: build every variant, run both measures, write the
report.

    python bench/run.py [--quick] [--out FILE] [--only-build]

Variants (columns of the report):
  capi            bench/capi/capi_bench.c against Python.h
  cpython         bench/hpy/hpy_bench.c, HPy cpython ABI
  universal       the same file as hpy_bench.hpy0.so, on hpy-rs
  upstream        the same .hpy0.so, on HPy 0.9.0's runtime (oracle venv)
  debug           the .hpy0.so in debug mode on hpy-rs
  upstream-debug  the .hpy0.so in debug mode on HPy 0.9.0

Measures: instructions per operation (valgrind --tool=callgrind, empty-loop
baseline subtracted) and wall-clock medians (ns per operation). Every
variant runs in a process of its own (bench/worker.py); wall-clock runs are
interleaved over several rounds so that a slow moment of the machine does
not fall on one variant only.

Must run with the interpreter of the hpy-rs venv (.venv/bin/python).
"""
import argparse
import glob
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BUILD = REPO / "build" / "bench"

sys.path.insert(0, str(BENCH))
import worker  # noqa: E402  (the list of operations)

VARIANTS = ["capi", "cpython", "universal", "upstream", "debug", "upstream-debug"]
TITLES = {
    "capi": "C API",
    "cpython": "HPy cpython ABI",
    "universal": "universal on hpy-rs",
    "upstream": "universal on HPy 0.9.0",
    "debug": "debug on hpy-rs",
    "upstream-debug": "debug on HPy 0.9.0",
}
# variant -> (worker variant, module, runtime: "ours" or "oracle")
SETUP = {
    "capi": ("capi", "capi", "ours"),
    "cpython": ("cpython", "cpython", "ours"),
    "universal": ("universal", "universal", "ours"),
    "upstream": ("universal", "universal", "oracle"),
    "debug": ("debug", "universal", "ours"),
    "upstream-debug": ("debug", "universal", "oracle"),
}

# Optimized like a setuptools build of an extension (sysconfig's CFLAGS on
# the usual CPython builds), and the same for every variant.
CFLAGS = ["-O3", "-g", "-fPIC", "-DNDEBUG", "-fwrapv", "-Wall", "-Werror",
          "-Wno-unused-function"]


def oracle_python():
    sys.path.insert(0, str(REPO / "tests"))
    from support.oracle import oracle_python as get
    return get()


# ---- building ---------------------------------------------------------------

def gcc(sources, out, flags, include_dirs):
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["gcc", "-shared", *CFLAGS, *flags, *("-I" + str(d) for d in include_dirs),
           *map(str, sources), "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("compilation failed:\n%s\n%s" % (" ".join(cmd), r.stderr))
    return out


def build_all(build_dir=BUILD, with_cgctl=True):
    """Builds the C API module, the HPy module in the cpython and universal
    ABIs, and the callgrind helper. Returns {name: path}."""
    import hpy.devel
    devel = hpy.devel.HPyDevel()
    include = Path(str(devel.include_dir))
    py_include = sysconfig.get_paths()["include"]
    ext = sysconfig.get_config_var("EXT_SUFFIX")
    extra = [str(s) for s in devel.get_extra_sources()]
    ctx = [str(s) for s in devel.get_ctx_sources()]
    build_dir = Path(build_dir)
    paths = {
        "capi": gcc([BENCH / "capi" / "capi_bench.c"], build_dir / "capi" / ("capi_bench" + ext),
                    [], [py_include]),
        "cpython": gcc([BENCH / "hpy" / "hpy_bench.c", *extra, *ctx],
                       build_dir / "cpython" / ("hpy_bench" + ext),
                       ["-DHPY_ABI_CPYTHON"], [include, py_include]),
        # Python.h must not be reachable from a universal module
        "universal": gcc([BENCH / "hpy" / "hpy_bench.c", *extra],
                         build_dir / "universal" / "hpy_bench.hpy0.so",
                         ["-DHPY_ABI_UNIVERSAL"], [include / "hpy" / "forbid_python_h", include]),
    }
    if with_cgctl:
        paths["cgctl"] = gcc([BENCH / "cgctl.c"], build_dir / "cgctl" / ("_cgctl" + ext),
                             [], [py_include])
    return paths


# ---- running ----------------------------------------------------------------

def worker_cmd(variant, paths, mode, python, extra=()):
    wvariant, module, _runtime = SETUP[variant]
    return [str(python), str(BENCH / "worker.py"), wvariant, str(paths[module]), mode, *extra]


def run_worker(cmd):
    # One hash seed for every process: the dict benchmarks' probe sequences,
    # and so their instruction counts, depend on the hashes of their keys.
    env = dict(os.environ, PYTHONHASHSEED="0")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError("%s failed:\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return json.loads(r.stdout.strip().splitlines()[-1])


def pythons(variants):
    ours = sys.executable
    need_oracle = any(SETUP[v][2] == "oracle" for v in variants)
    oracle = oracle_python() if need_oracle else None
    return {v: (ours if SETUP[v][2] == "ours" else oracle) for v in variants}


def check_all(paths, variants, python_of):
    """Every variant's results, or the reason it is unavailable."""
    out = {}
    for v in variants:
        res = run_worker(worker_cmd(v, paths, "check", python_of[v]))
        out[v] = res
    return out


PREFIX = "desc: Trigger: Client Request: "


def parse_dumps(pattern):
    """{label: total Ir} from callgrind's dump files."""
    totals = {}
    for f in glob.glob(pattern):
        label = total = None
        with open(f) as fh:
            for line in fh:
                if line.startswith(PREFIX):
                    label = line[len(PREFIX):].strip()
                elif line.startswith("summary:"):
                    total = int(line.split()[1])
        if label is not None and total is not None:
            totals[label] = total
    return totals


def self_costs(path):
    """(label, {(object, function): self Ir}) of one callgrind dump file."""
    names = {"ob": {}, "fn": {}}
    kinds = {"ob": "ob", "cob": "ob", "fn": "fn", "cfn": "fn"}
    label, ob, fn = None, "?", "?"
    costs = {}
    skip_next = False
    with open(path) as fh:
        for line in fh:
            if line.startswith(PREFIX):
                label = line[len(PREFIX):].strip()
                continue
            if skip_next:            # the inclusive cost of a call
                skip_next = False
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                if len(parts) >= 2:
                    costs[(ob, fn)] = costs.get((ob, fn), 0) + int(parts[1])
                continue
            key, _, value = line.partition("=")
            if key == "calls":
                skip_next = True
            elif key in kinds:
                m = re.match(r"\((\d+)\)(?: (.*))?", value.strip())
                if not m:
                    continue
                table = names[kinds[key]]
                if m.group(2):
                    table[m.group(1)] = m.group(2)
                name = table.get(m.group(1), "?")
                if key == "ob":
                    ob = name
                elif key == "fn":
                    fn = name
    return label, costs


def callgrind_variant(v, paths, python, big_n, outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    for f in outdir.glob("cg.out*"):
        f.unlink()
    cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
           "--callgrind-out-file=%s" % (outdir / "cg.out")]
    cmd += worker_cmd(v, paths, "callgrind", python,
                      ["--n", str(big_n), "--cgctl", str(paths["cgctl"].parent)])
    res = run_worker(cmd)
    if "unavailable" in res:
        return res
    totals = parse_dumps(str(outdir / "cg.out*"))
    selfs = dict(self_costs(f) for f in glob.glob(str(outdir / "cg.out.*")))
    per_op, profile = {}, {}
    for name, (kind, _d, per_call, _w, _mk) in worker.OPS.items():
        n = worker.iterations(name, big_n)
        label, base_label = "%s:%d" % (name, n), "empty_%s:%d" % (kind, n)
        per_op[name] = (totals[label] - totals[base_label]) / (n * per_call)
        # self cost per operation of each (place, function), baseline subtracted
        prof = {}
        for sign, lab in ((1, label), (-1, base_label)):
            for (ob, fn), c in selfs.get(lab, {}).items():
                key = "%s|%s" % (place(ob, paths), fn)
                prof[key] = prof.get(key, 0) + sign * c / (n * per_call)
        profile[name] = {k: round(c, 2) for k, c in prof.items() if abs(c) >= 0.05}
    return {"python": res["python"], "result": per_op, "profile": profile}


def place(ob, paths):
    """Which part of the process an object file is."""
    if "libpython" in ob or ob.endswith("/python") or "/bin/python" in ob:
        return "CPython"
    if ob in (str(paths["capi"]), str(paths["cpython"]), str(paths["universal"])):
        return "extension"
    if "/hpy/universal." in ob:
        return "runtime"
    if "libc.so" in ob or "ld-linux" in ob:
        return "libc"
    return "other"      # "???": PLT stubs between the objects


def time_variants(paths, variants, python_of, quick, rounds):
    samples = {v: {} for v in variants}
    unavailable = {}
    info = {}
    for r in range(rounds):
        # each round starts with another variant: none is always the first
        # process after the callgrind runs, or always next to the same one
        k = r % len(variants)
        for v in variants[k:] + variants[:k]:
            if v in unavailable:
                continue
            extra = ["--quick"] if quick else []
            res = run_worker(worker_cmd(v, paths, "time", python_of[v], extra))
            if "unavailable" in res:
                unavailable[v] = res
                continue
            info[v] = res["python"]
            for name, s in res["result"].items():
                samples[v].setdefault(name, []).extend(s)
    out = {}
    for v in variants:
        if v in unavailable:
            out[v] = unavailable[v]
        else:
            out[v] = {"python": info[v], "result": {k: statistics.median(s) for k, s in samples[v].items()}}
    return out


# ---- the report -------------------------------------------------------------

def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def fmt_abs(x, unit):
    if unit == "Ir":
        return "%.0f" % x if x >= 10 else "%.1f" % x
    return "%.1f" % x if x < 100 else "%.0f" % x


def table(measure, unit, variants):
    """A markdown table: rows are operations, columns variants, cells
    'ratio (absolute)'."""
    head = "| operation | " + " | ".join(TITLES[v] for v in variants) + " |"
    lines = [head, "|---|" + "---:|" * len(variants)]
    capi = measure["capi"]["result"]
    ratios = {v: [] for v in variants}
    for name in worker.OPS:
        cells = []
        for v in variants:
            m = measure[v]
            if "unavailable" in m:
                cells.append("n/a")
                continue
            x = m["result"][name]
            ratio = x / capi[name] if capi[name] > 0 else None
            ratios[v].append(ratio)
            if ratio is None:
                cells.append(fmt_abs(x, unit))
            else:
                cells.append("%.2f (%s)" % (ratio, fmt_abs(x, unit)))
        lines.append("| `%s` | %s |" % (name, " | ".join(cells)))
    gm = []
    for v in variants:
        g = geomean(ratios[v])
        gm.append("n/a (not available)" if "unavailable" in measure[v] else ("**%.3f**" % g if g else "-"))
    lines.append("| **geometric mean** | %s |" % " | ".join(gm))
    return "\n".join(lines), {v: geomean(ratios[v]) for v in variants if "unavailable" not in measure[v]}


def pairwise(measure, a, b):
    """Per-operation ratio a / b and their geometric mean."""
    if "unavailable" in measure[a] or "unavailable" in measure[b]:
        return None, {}
    r = {k: measure[a]["result"][k] / measure[b]["result"][k]
         for k in worker.OPS if measure[b]["result"][k] > 0}
    return geomean(list(r.values())), r


def targets(cg):
    lines = []
    g_cpy = table(cg, "Ir", VARIANTS)[1]
    def status(ok):
        return "met" if ok else "**not met**"
    if "cpython" in g_cpy:
        lines.append("- cpython ABI / C API <= 1.00 (geometric mean): %.3f, %s"
                     % (g_cpy["cpython"], status(g_cpy["cpython"] <= 1.005)))
    if "universal" in g_cpy:
        lines.append("- universal on hpy-rs / C API <= 1.05 (geometric mean): %.3f, %s"
                     % (g_cpy["universal"], status(g_cpy["universal"] <= 1.05)))
    g, per = pairwise(cg, "universal", "upstream")
    if g is not None:
        worst = max(per, key=per.get)
        over = [k for k, x in per.items() if x > 1.0]
        lines.append("- universal on hpy-rs / universal on HPy 0.9.0 <= 1.00 on every operation: "
                     "geometric mean %.3f, worst `%s` %.3f, %s%s"
                     % (g, worst, per[worst], status(not over),
                        "" if not over else " (above 1.00: %s)" % ", ".join("`%s`" % k for k in over)))
    g, per = pairwise(cg, "debug", "upstream-debug")
    if g is None:
        lines.append("- debug on hpy-rs / debug on HPy 0.9.0 <= 1.00: n/a, hpy-rs has no debug mode yet (%s)"
                     % cg["debug"].get("unavailable", "?"))
    else:
        lines.append("- debug on hpy-rs / debug on HPy 0.9.0 <= 1.00 (geometric mean): %.3f, %s"
                     % (g, status(g <= 1.0)))
    return "\n".join(lines)


def short_fn(fn):
    """A runtime function's name without its Rust module path."""
    fn = re.sub(r"::h[0-9a-f]{16}$", "", fn)
    return fn.rsplit("::", 1)[-1] if "::" in fn else fn


def by_place(profile):
    out = {}
    for key, c in profile.items():
        where = key.split("|", 1)[0]
        out[where] = out.get(where, 0) + c
    return out


def top_runtime(profile, k=3):
    rt = [(short_fn(key.split("|", 1)[1]), c) for key, c in profile.items()
          if key.startswith("runtime|")]
    merged = {}
    for fn, c in rt:
        merged[fn] = merged.get(fn, 0) + c
    best = sorted(merged.items(), key=lambda kv: -kv[1])[:k]
    return ", ".join("`%s` %.0f" % (fn, c) for fn, c in best if c >= 0.5) or "-"


def breakdown(cg, variant, ref):
    """Where the instructions that `variant` executes beyond `ref` go."""
    if "profile" not in cg.get(variant, {}) or "profile" not in cg.get(ref, {}):
        return "(not measured)"
    lines = ["| operation | extra Ir/op | in the extension | in the runtime | in CPython, libc, PLT | hpy-rs runtime functions (Ir/op, self) |",
             "|---|---:|---:|---:|---:|---|"]
    for name in worker.OPS:
        a, b = by_place(cg[variant]["profile"][name]), by_place(cg[ref]["profile"][name])
        d = {w: a.get(w, 0) - b.get(w, 0) for w in set(a) | set(b)}
        total = cg[variant]["result"][name] - cg[ref]["result"][name]
        rest = d.get("CPython", 0) + d.get("libc", 0) + d.get("other", 0)
        lines.append("| `%s` | %+.0f | %+.0f | %+.0f | %+.0f | %s |" % (
            name, total, d.get("extension", 0), d.get("runtime", 0), rest,
            top_runtime(cg[variant]["profile"][name])))
    return "\n".join(lines)


def report(cg, wall, args, elapsed):
    py = next(m["python"] for m in cg.values() if "python" in m)
    cmd = "make bench-quick" if args.quick else "make bench"
    raw = "%s bench/run.py%s" % (os.path.relpath(sys.executable, REPO), " --quick" if args.quick else "")
    cg_table, _ = table(cg, "Ir", VARIANTS)
    wall_table, _ = table(wall, "ns", VARIANTS) if wall else ("(not measured)", None)
    ops = "\n".join("| `%s` | %s | %s |" % (k, d, "Python loop" if kind == "py" else "C loop")
                    for k, (kind, d, _p, _w, _m) in worker.OPS.items())
    unavailable = "".join("\n- %s: n/a (not available): `%s`" % (TITLES[v], cg[v]["unavailable"])
                          for v in VARIANTS if "unavailable" in cg[v])
    return f"""# Microbenchmarks

Generated by `{cmd}` (`{raw}`) on CPython {py} ({platform.machine()}),
{time.strftime('%Y-%m-%d')}, in {elapsed:.0f} s. Reproduce with `{cmd}` from a
checkout (it builds the runtime, the benchmark extension in every variant and
HPy 0.9.0's oracle venv as needed).

Each cell is the ratio to the C API, with the absolute cost in brackets.
The extension is written twice with the same logic: `bench/capi/capi_bench.c`
(Python.h) and `bench/hpy/hpy_bench.c` (HPy). The HPy file is compiled once in
the cpython ABI and once as `hpy_bench.hpy0.so`; that one binary runs on
hpy-rs and on HPy 0.9.0's runtime, in universal and in debug mode. All
compiled with `gcc {' '.join(CFLAGS)}`.
{unavailable}

## Targets (instruction counts)

{targets(cg)}

## Instructions per operation (callgrind)

Counted by `valgrind --tool=callgrind` (Ir), the same empty loop subtracted
(a C loop in the extension, or for calls from Python an empty Python loop),
divided by the number of operations. Deterministic up to a few instructions.

{cg_table}

## Wall clock (ns per operation, medians)

Median over {"1 round x 21" if args.quick else "%d rounds x 31" % args.rounds} samples of a loop of at least
{"0.5" if args.quick else "1"} ms, minus the same empty loop timed right after it; the machine is shared, so read
these as indicative, the instruction counts as the reference.

{wall_table}

## Where the extra instructions go

How the suite works, and what each optimisation bought: `bench/README.md`.
The callgrind profile of every operation stays in
`build/bench/callgrind/<variant>/` (one dump per operation) for
`callgrind_annotate`.

Self cost per operation by place (callgrind, baseline subtracted): the
extension (its code and the HPy headers compiled into it: trampolines, calls
through the context), the runtime (`hpy/universal*.so`), and CPython. Functions
the linker found identical share one symbol (hpy-rs's `ctx_Dup` runs as
`ctx_Global_Load`, both being `Py_INCREF` and return).

### universal on hpy-rs vs the C API

{breakdown(cg, "universal", "capi")}

### universal on hpy-rs vs universal on HPy 0.9.0

{breakdown(cg, "universal", "upstream")}

### debug mode on hpy-rs vs debug mode on HPy 0.9.0

{breakdown(cg, "debug", "upstream-debug")}

## Operations

| operation | what one operation is | loop |
|---|---|---|
{ops}

The C API side uses, for each HPy call, the C API call with the same contract
(a new reference wherever HPy returns a new handle): `PySequence_GetItem` for
`HPy_GetItem_i`, `PyObject_GetItem` for `HPy_GetItem`,
`PyMapping_GetItemString` for `HPy_GetItem_s`, `PyObject_Call` for
`HPy_CallTupleDict`, `PyObject_Vectorcall(Method)` for `HPy_Call(Method)`,
`PyTuple_New` + `PyTuple_SET_ITEM` for `HPyTuple_FromArray`, `PyList_New` +
`PyList_SET_ITEM` for the list builder, `tp_alloc` for `HPy_New`. Calls from
Python use the same `METH_*` flags HPy registers (`METH_NOARGS`, `METH_O`,
`METH_FASTCALL`, `METH_FASTCALL | METH_KEYWORDS`). The cycle GC is disabled
while measuring.
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--no-time", action="store_true")
    ap.add_argument("--json", default=None,
                    help="where to write the raw numbers (default build/bench/results[-quick].json)")
    args = ap.parse_args()
    t0 = time.time()
    if shutil.which("valgrind") is None:
        raise SystemExit("bench/run.py needs valgrind (callgrind and its header valgrind/callgrind.h)")
    variants = args.variants.split(",")
    if "capi" not in variants:
        variants.insert(0, "capi")
    paths = build_all()
    python_of = pythons(variants)
    print("built in %.0f s" % (time.time() - t0), flush=True)

    checks = check_all(paths, variants, python_of)
    ref = checks["capi"]["result"]
    for v, res in checks.items():
        if "unavailable" in res:
            print("%-15s n/a: %s" % (v, res["unavailable"]), flush=True)
        elif res["result"] != ref:
            raise SystemExit("%s computes different results:\n%s\nvs C API:\n%s" % (v, res["result"], ref))
    big_n = 10_000 if args.quick else 100_000
    cg = {}
    for v in variants:
        t = time.time()
        cg[v] = callgrind_variant(v, paths, python_of[v], big_n, BUILD / "callgrind" / v)
        print("callgrind %-15s %.0f s" % (v, time.time() - t), flush=True)
    wall = None
    if not args.no_time:
        t = time.time()
        wall = time_variants(paths, variants, python_of, args.quick, 1 if args.quick else args.rounds)
        print("wall clock %.0f s" % (time.time() - t), flush=True)
    for v in VARIANTS:
        cg.setdefault(v, {"unavailable": "not run"})
        if wall is not None:
            wall.setdefault(v, {"unavailable": "not run"})
    out = Path(args.out) if args.out else (BUILD / "benchmarks-quick.md" if args.quick else REPO / "docs" / "benchmarks.md")
    text = report(cg, wall, args, time.time() - t0)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    raw = Path(args.json) if args.json else BUILD / ("results-quick.json" if args.quick else "results.json")
    raw.write_text(json.dumps({"callgrind": cg, "wall": wall}, indent=1))
    print(text[text.index("## Targets"):text.index("## Wall clock")])
    print("written to", out)


if __name__ == "__main__":
    main()

/*
 * hpy-rs microbenchmarks, HPy version (bench/capi/capi_bench.c is the same
 * logic against Python.h; keep the two in step).
 *
 * Built three ways from this one file: cpython ABI, universal ABI (the
 * .hpy0.so that runs on hpy-rs and on HPy 0.9.0's runtime, also in debug
 * mode). bench/run.py drives it.
 *
 * Two kinds of benchmark:
 *   - calls from Python into HPy (noargs, onearg, varargs, keywords): the
 *     loop is in Python, the function does as little as possible;
 *   - everything else: bench_<op>(n, inputs...) repeats the operation n
 *     times in C and returns a checksum, so that every variant can be
 *     checked to compute the same thing. bench_empty(n) is the same loop
 *     doing nothing: the baseline the driver subtracts.
 */
#include <hpy.h>

/* Keeps the compiler from removing or merging the loop of bench_empty. */
#define BENCH_KEEP(x) __asm__ volatile("" : "+r"(x))

#define NKEYS 8  /* power of two: key i is keys[i & (NKEYS - 1)] */

static const char *key_names[NKEYS] = {
    "key0", "key1", "key2", "key3", "key4", "key5", "key6", "key7",
};

/* Reads n (args[0]) and checks the number of arguments. */
static int bench_args(HPyContext *ctx, const HPy *args, size_t nargs,
                      size_t expected, HPy_ssize_t *n)
{
    if (nargs != expected) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "wrong number of arguments");
        return -1;
    }
    *n = HPyLong_AsSsize_t(ctx, args[0]);
    if (*n == -1 && HPyErr_Occurred(ctx))
        return -1;
    return 0;
}

/* What the benchmarks that keep their last object return (n may be 0). */
static HPy last_or_none(HPyContext *ctx, HPy r)
{
    if (HPy_IsNull(r))
        return HPy_Dup(ctx, ctx->h_None);
    return r;
}

/* ---- calls from Python --------------------------------------------------- */

HPyDef_METH(noargs, "noargs", HPyFunc_NOARGS)
static HPy noargs_impl(HPyContext *ctx, HPy self)
{
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(onearg, "onearg", HPyFunc_O)
static HPy onearg_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPy_Dup(ctx, arg);
}

/* Returns its last argument (None without arguments). */
HPyDef_METH(varargs, "varargs", HPyFunc_VARARGS)
static HPy varargs_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPy_Dup(ctx, nargs > 0 ? args[nargs - 1] : ctx->h_None);
}

/* Returns its last argument, positional or keyword (None without any). */
HPyDef_METH(keywords, "keywords", HPyFunc_KEYWORDS)
static HPy keywords_impl(HPyContext *ctx, HPy self, const HPy *args,
                         size_t nargs, HPy kwnames)
{
    size_t total = nargs;
    if (!HPy_IsNull(kwnames)) {
        HPy_ssize_t nkw = HPy_Length(ctx, kwnames);
        if (nkw < 0)
            return HPy_NULL;
        total += (size_t)nkw;
    }
    return HPy_Dup(ctx, total > 0 ? args[total - 1] : ctx->h_None);
}

/* ---- the baseline -------------------------------------------------------- */

HPyDef_METH(bench_empty, "bench_empty", HPyFunc_VARARGS)
static HPy bench_empty_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, count = 0;
    if (bench_args(ctx, args, nargs, 1, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        count++;
        BENCH_KEEP(count);
    }
    return HPyLong_FromSsize_t(ctx, count);
}

/* ---- calling Python from C ----------------------------------------------- */

/* bench_call_tuple(n, f, args): f(*args) */
HPyDef_METH(bench_call_tuple, "bench_call_tuple", HPyFunc_VARARGS)
static HPy bench_call_tuple_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 3, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPy_CallTupleDict(ctx, args[1], args[2], HPy_NULL);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_call_tuple_dict(n, f, args, kw): f(*args, **kw) */
HPyDef_METH(bench_call_tuple_dict, "bench_call_tuple_dict", HPyFunc_VARARGS)
static HPy bench_call_tuple_dict_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 4, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPy_CallTupleDict(ctx, args[1], args[2], args[3]);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_call(n, f, a, b): f(a, b) through HPy_Call (vectorcall) */
HPyDef_METH(bench_call, "bench_call", HPyFunc_VARARGS)
static HPy bench_call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 4, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPy_Call(ctx, args[1], args + 2, 2, HPy_NULL);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_call_method(n, obj, name, a): obj.name(a) through HPy_CallMethod */
HPyDef_METH(bench_call_method, "bench_call_method", HPyFunc_VARARGS)
static HPy bench_call_method_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    HPy margs[2];
    if (bench_args(ctx, args, nargs, 4, &n) < 0)
        return HPy_NULL;
    margs[0] = args[1];
    margs[1] = args[3];
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPy_CallMethod(ctx, args[2], margs, 2, HPy_NULL);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* ---- the object protocol ------------------------------------------------- */

/* bench_len(n, obj): sum of len(obj) */
HPyDef_METH(bench_len, "bench_len", HPyFunc_VARARGS)
static HPy bench_len_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, total = 0;
    if (bench_args(ctx, args, nargs, 2, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy_ssize_t len = HPy_Length(ctx, args[1]);
        if (len < 0)
            return HPy_NULL;
        total += len;
    }
    return HPyLong_FromSsize_t(ctx, total);
}

/* bench_tuple_getitem(n, tup): n sweeps over tup, counting the Nones */
HPyDef_METH(bench_tuple_getitem, "bench_tuple_getitem", HPyFunc_VARARGS)
static HPy bench_tuple_getitem_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, j, size, count = 0;
    if (bench_args(ctx, args, nargs, 2, &n) < 0)
        return HPy_NULL;
    size = HPy_Length(ctx, args[1]);
    if (size < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        for (j = 0; j < size; j++) {
            HPy item = HPy_GetItem_i(ctx, args[1], j);
            if (HPy_IsNull(item))
                return HPy_NULL;
            count += HPy_Is(ctx, item, ctx->h_None);
            HPy_Close(ctx, item);
        }
    }
    return HPyLong_FromSsize_t(ctx, count);
}

/* Fills keys[] with the NKEYS items of the tuple h (new handles). */
static int get_keys(HPyContext *ctx, HPy h, HPy *keys)
{
    int k;
    if (HPy_Length(ctx, h) != NKEYS) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "expected 8 keys");
        return -1;
    }
    for (k = 0; k < NKEYS; k++) {
        keys[k] = HPy_GetItem_i(ctx, h, k);
        if (HPy_IsNull(keys[k])) {
            while (--k >= 0)
                HPy_Close(ctx, keys[k]);
            return -1;
        }
    }
    return 0;
}

static void close_keys(HPyContext *ctx, HPy *keys)
{
    int k;
    for (k = 0; k < NKEYS; k++)
        HPy_Close(ctx, keys[k]);
}

/* bench_dict_getitem(n, d, keys): sum of d[keys[i % 8]] (ints) */
HPyDef_METH(bench_dict_getitem, "bench_dict_getitem", HPyFunc_VARARGS)
static HPy bench_dict_getitem_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, count = 0;
    HPy keys[NKEYS];
    if (bench_args(ctx, args, nargs, 3, &n) < 0)
        return HPy_NULL;
    if (get_keys(ctx, args[2], keys) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy v = HPy_GetItem(ctx, args[1], keys[i & (NKEYS - 1)]);
        if (HPy_IsNull(v)) {
            close_keys(ctx, keys);
            return HPy_NULL;
        }
        count += HPy_Is(ctx, v, ctx->h_None);
        HPy_Close(ctx, v);
    }
    close_keys(ctx, keys);
    return HPyLong_FromSsize_t(ctx, count);
}

/* bench_dict_getitem_s(n, d): the same with C string keys "key0".."key7" */
HPyDef_METH(bench_dict_getitem_s, "bench_dict_getitem_s", HPyFunc_VARARGS)
static HPy bench_dict_getitem_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, count = 0;
    if (bench_args(ctx, args, nargs, 2, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy v = HPy_GetItem_s(ctx, args[1], key_names[i & (NKEYS - 1)]);
        if (HPy_IsNull(v))
            return HPy_NULL;
        count += HPy_Is(ctx, v, ctx->h_None);
        HPy_Close(ctx, v);
    }
    return HPyLong_FromSsize_t(ctx, count);
}

/* bench_getattr(n, obj, name): obj.<name>, returns the last value */
HPyDef_METH(bench_getattr, "bench_getattr", HPyFunc_VARARGS)
static HPy bench_getattr_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 3, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPy_GetAttr(ctx, args[1], args[2]);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_type_check(n, objs, type): how many of objs[i % 2] are instances */
HPyDef_METH(bench_type_check, "bench_type_check", HPyFunc_VARARGS)
static HPy bench_type_check_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, count = 0;
    HPy objs[2];
    if (bench_args(ctx, args, nargs, 3, &n) < 0)
        return HPy_NULL;
    objs[0] = HPy_GetItem_i(ctx, args[1], 0);
    if (HPy_IsNull(objs[0]))
        return HPy_NULL;
    objs[1] = HPy_GetItem_i(ctx, args[1], 1);
    if (HPy_IsNull(objs[1])) {
        HPy_Close(ctx, objs[0]);
        return HPy_NULL;
    }
    for (i = 0; i < n; i++)
        count += HPy_TypeCheck(ctx, objs[i & 1], args[2]);
    HPy_Close(ctx, objs[0]);
    HPy_Close(ctx, objs[1]);
    return HPyLong_FromSsize_t(ctx, count);
}

/* ---- integers ------------------------------------------------------------ */

/* bench_long_from(n): box 1000 + i % 1024 (never a cached small int),
   returns the last int */
HPyDef_METH(bench_long_from, "bench_long_from", HPyFunc_VARARGS)
static HPy bench_long_from_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 1, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPyLong_FromLong(ctx, 1000 + (long)(i & 1023));
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_long_as(n, ints): sum of ints[i % 8] as C longs */
HPyDef_METH(bench_long_as, "bench_long_as", HPyFunc_VARARGS)
static HPy bench_long_as_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    long total = 0;
    HPy ints[NKEYS];
    if (bench_args(ctx, args, nargs, 2, &n) < 0)
        return HPy_NULL;
    if (get_keys(ctx, args[1], ints) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        long v = HPyLong_AsLong(ctx, ints[i & (NKEYS - 1)]);
        if (v == -1 && HPyErr_Occurred(ctx)) {
            close_keys(ctx, ints);
            return HPy_NULL;
        }
        total += v;
    }
    close_keys(ctx, ints);
    return HPyLong_FromLong(ctx, total);
}

/* ---- allocation ---------------------------------------------------------- */

/* bench_tuple_new(n, a, b, c): (a, b, c), returns the last one */
HPyDef_METH(bench_tuple_new, "bench_tuple_new", HPyFunc_VARARGS)
static HPy bench_tuple_new_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    HPy items[3];
    if (bench_args(ctx, args, nargs, 4, &n) < 0)
        return HPy_NULL;
    items[0] = args[1];
    items[1] = args[2];
    items[2] = args[3];
    for (i = 0; i < n; i++) {
        HPy_Close(ctx, r);
        r = HPyTuple_FromArray(ctx, items, 3);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_list_builder(n, a, b, c): [a, b, c] through HPyListBuilder */
HPyDef_METH(bench_list_builder, "bench_list_builder", HPyFunc_VARARGS)
static HPy bench_list_builder_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 4, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPyListBuilder b;
        HPy_Close(ctx, r);
        b = HPyListBuilder_New(ctx, 3);
        HPyListBuilder_Set(ctx, b, 0, args[1]);
        HPyListBuilder_Set(ctx, b, 1, args[2]);
        HPyListBuilder_Set(ctx, b, 2, args[3]);
        r = HPyListBuilder_Build(ctx, b);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* bench_float_list(n): a list of the 1000 floats 0.0, 0.5, ..., 499.5,
   built n times; returns the last one */
HPyDef_METH(bench_float_list, "bench_float_list", HPyFunc_VARARGS)
static HPy bench_float_list_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i, j;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 1, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        HPyListBuilder b;
        HPy_Close(ctx, r);
        b = HPyListBuilder_New(ctx, 1000);
        for (j = 0; j < 1000; j++) {
            HPy f = HPyFloat_FromDouble(ctx, (double)j * 0.5);
            if (HPy_IsNull(f)) {
                HPyListBuilder_Cancel(ctx, b);
                return HPy_NULL;
            }
            HPyListBuilder_Set(ctx, b, j, f);
            HPy_Close(ctx, f);
        }
        r = HPyListBuilder_Build(ctx, b);
        if (HPy_IsNull(r))
            return HPy_NULL;
    }
    return last_or_none(ctx, r);
}

/* ---- a heap type --------------------------------------------------------- */

typedef struct {
    long x;
    double y;
} PointObject;
HPyType_HELPERS(PointObject)

HPyDef_MEMBER(Point_x, "x", HPyMember_LONG, offsetof(PointObject, x))
HPyDef_MEMBER(Point_y, "y", HPyMember_DOUBLE, offsetof(PointObject, y))

static HPyDef *Point_defines[] = { &Point_x, &Point_y, NULL };

static HPyType_Spec Point_spec = {
    .name = "hpy_bench.Point",
    .basicsize = sizeof(PointObject),
    .flags = HPy_TPFLAGS_DEFAULT,
    .builtin_shape = SHAPE(PointObject),
    .defines = Point_defines,
};

/* bench_new_instance(n, Point): Point with x = i, y = i / 2, made and freed
   n times; returns the last one */
HPyDef_METH(bench_new_instance, "bench_new_instance", HPyFunc_VARARGS)
static HPy bench_new_instance_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n, i;
    HPy r = HPy_NULL;
    if (bench_args(ctx, args, nargs, 2, &n) < 0)
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        PointObject *p;
        HPy_Close(ctx, r);
        r = HPy_New(ctx, args[1], &p);
        if (HPy_IsNull(r))
            return HPy_NULL;
        p->x = (long)i;
        p->y = (double)i * 0.5;
    }
    return last_or_none(ctx, r);
}

HPyDef_SLOT(bench_exec, HPy_mod_exec)
static int bench_exec_impl(HPyContext *ctx, HPy m)
{
    HPy t = HPyType_FromSpec(ctx, &Point_spec, NULL);
    int r;
    if (HPy_IsNull(t))
        return -1;
    r = HPy_SetAttr_s(ctx, m, "Point", t);
    HPy_Close(ctx, t);
    return r;
}

static HPyDef *module_defines[] = {
    &noargs, &onearg, &varargs, &keywords,
    &bench_empty,
    &bench_call_tuple, &bench_call_tuple_dict, &bench_call, &bench_call_method,
    &bench_len, &bench_tuple_getitem, &bench_dict_getitem, &bench_dict_getitem_s,
    &bench_getattr, &bench_type_check,
    &bench_long_from, &bench_long_as,
    &bench_tuple_new, &bench_list_builder, &bench_float_list,
    &bench_new_instance,
    &bench_exec,
    NULL
};

static HPyModuleDef moduledef = {
    .doc = "hpy-rs microbenchmarks (HPy)",
    .size = 0,
    .defines = module_defines,
};

HPy_MODINIT(hpy_bench, moduledef)

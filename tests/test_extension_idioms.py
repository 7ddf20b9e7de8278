"""Idioms of real HPy extensions, in miniature.

The ports of kiwisolver and matplotlib to HPy are C++: HPyDef_* macros,
HPyType_HELPERS and HPyType_Spec designated initializers inside namespaces,
C++ objects living inside HPy objects, C++ exceptions turned into Python
ones, HPy_MODINIT in an `extern "C"` block. ultrajson's port is C spread
over several files (the HPyDefs in one, the module in another), names one
implementation twice with a hand-written HPyDef, and carries handles and the
context through `void *` callbacks of a C library. The snippets here are
written for these tests; they only use the same idioms, each checked by its
behaviour in every ABI.

C++ is compiled by g++ (tests/support/build.py, CXXFLAGS: -Wall -Wextra
-Werror) as C++11 and C++17, and as C++20 with -pedantic, where designated
initializers are standard: the headers must not need any GNU extension.
"""
import gc
import sys

import pytest

from support import upstream_bugs
from support.build import load_module_once

CXX_STDS = ["-std=c++11", "-std=c++17"]


# ---------------------------------------------------------------------------
# kiwisolver: a whole C++ file, laid out as kiwi's py/*.cpp are
# ---------------------------------------------------------------------------

SOLVER_CPP = r"""
#include <hpy.h>
#include <algorithm>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace solver {

/* How many Name objects exist: each HPy object owns one, built in tp_new by
   placement new and destroyed in HPy_tp_destroy. */
static long live_names = 0;

class Name {
public:
    explicit Name(const std::string &s) : text(s) { ++live_names; }
    ~Name() { --live_names; }
    std::string text;
};

struct Duplicate : std::runtime_error {
    explicit Duplicate(const std::string &n) : std::runtime_error(n) {}
};

struct Var {
    Name name;
    double value;
    HPyField context;

    static HPyGlobal type;
    static HPyType_Spec spec;
    static bool TypeCheck(HPyContext *ctx, HPy h);
};
HPyType_HELPERS(Var)

bool Var::TypeCheck(HPyContext *ctx, HPy h)
{
    HPy t = HPyGlobal_Load(ctx, type);
    bool ok = HPy_TypeCheck(ctx, h, t) != 0;
    HPy_Close(ctx, t);
    return ok;
}

struct Registry {
    std::vector<std::string> names;

    static HPyGlobal type;
    static HPyType_Spec spec;
    void add(const std::string &n)
    {
        if (std::find(names.begin(), names.end(), n) != names.end())
            throw Duplicate(n);
        names.push_back(n);
    }
};
HPyType_HELPERS(Registry)

HPyGlobal DuplicateName;

namespace {

bool to_double(HPyContext *ctx, HPy obj, double &out)
{
    if (HPy_TypeCheck(ctx, obj, ctx->h_FloatType) || HPy_TypeCheck(ctx, obj, ctx->h_LongType)) {
        out = HPyFloat_AsDouble(ctx, obj);
        return !(out == -1.0 && HPyErr_Occurred(ctx));
    }
    HPyErr_SetString(ctx, ctx->h_TypeError, "expected a float or an int");
    return false;
}

bool to_string(HPyContext *ctx, HPy obj, std::string &out)
{
    if (!HPyUnicode_Check(ctx, obj)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "a name is a str");
        return false;
    }
    HPy_ssize_t n;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, obj, &n);
    if (s == NULL)
        return false;
    out.assign(s, (size_t)n);
    return true;
}

/* kiwi's BinaryInvoke, reduced: one template for every arithmetic slot,
   whichever side the Var is on. */
struct Add { static double apply(double a, double b) { return a + b; } };
struct Mul { static double apply(double a, double b) { return a * b; } };

template <typename Op>
HPy binary(HPyContext *ctx, HPy first, HPy second)
{
    HPy var = Var::TypeCheck(ctx, first) ? first : second;
    HPy other = Var::TypeCheck(ctx, first) ? second : first;
    double d;
    if (!HPy_TypeCheck(ctx, other, ctx->h_FloatType) && !HPy_TypeCheck(ctx, other, ctx->h_LongType))
        return HPy_Dup(ctx, ctx->h_NotImplemented);
    if (!to_double(ctx, other, d))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, Op::apply(Var_AsStruct(ctx, var)->value, d));
}

HPyDef_SLOT(Var_new, HPy_tp_new)
static HPy Var_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    static const char *kwlist[] = { "name", "context", NULL };
    HPy h_name = HPy_NULL, h_context = HPy_NULL;
    HPyTracker ht;
    if (!HPyArg_ParseKeywordsDict(ctx, &ht, args, nargs, kw, "|OO:Var", kwlist, &h_name, &h_context))
        return HPy_NULL;
    std::string text("?");
    if (!HPy_IsNull(h_name) && !to_string(ctx, h_name, text)) {
        HPyTracker_Close(ctx, ht);
        return HPy_NULL;
    }
    Var *self;
    HPy h = HPy_New(ctx, cls, &self);
    if (HPy_IsNull(h)) {
        HPyTracker_Close(ctx, ht);
        return HPy_NULL;
    }
    new (&self->name) Name(text);
    if (!HPy_IsNull(h_context))
        HPyField_Store(ctx, h, &self->context, h_context);
    HPyTracker_Close(ctx, ht);
    return h;
}

HPyDef_SLOT(Var_traverse, HPy_tp_traverse)
static int Var_traverse_impl(void *obj, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&static_cast<Var *>(obj)->context);
    return 0;
}

HPyDef_SLOT(Var_destroy, HPy_tp_destroy)
static void Var_destroy_impl(void *obj)
{
    static_cast<Var *>(obj)->name.~Name();
}

HPyDef_SLOT(Var_repr, HPy_tp_repr)
static HPy Var_repr_impl(HPyContext *ctx, HPy self)
{
    std::string r = "Var(" + Var_AsStruct(ctx, self)->name.text + ")";
    return HPyUnicode_FromString(ctx, r.c_str());
}

HPyDef_SLOT(Var_add, HPy_nb_add)
static HPy Var_add_impl(HPyContext *ctx, HPy a, HPy b) { return binary<Add>(ctx, a, b); }

HPyDef_SLOT(Var_mul, HPy_nb_multiply)
static HPy Var_mul_impl(HPyContext *ctx, HPy a, HPy b) { return binary<Mul>(ctx, a, b); }

HPyDef_SLOT(Var_neg, HPy_nb_negative)
static HPy Var_neg_impl(HPyContext *ctx, HPy self)
{
    return HPyFloat_FromDouble(ctx, -Var_AsStruct(ctx, self)->value);
}

HPyDef_SLOT(Var_richcmp, HPy_tp_richcompare)
static HPy Var_richcmp_impl(HPyContext *ctx, HPy self, HPy other, HPy_RichCmpOp op)
{
    if (!Var::TypeCheck(ctx, other))
        return HPy_Dup(ctx, ctx->h_NotImplemented);
    bool same = Var_AsStruct(ctx, self)->name.text == Var_AsStruct(ctx, other)->name.text;
    switch (op) {
    case HPy_EQ:
        return HPyBool_FromLong(ctx, same);
    case HPy_NE:
        return HPyBool_FromLong(ctx, !same);
    default:
        HPyErr_SetString(ctx, ctx->h_TypeError, "variables are not ordered");
        return HPy_NULL;
    }
}

HPyDef_METH(Var_getName, "name", HPyFunc_NOARGS, .doc = "the name")
static HPy Var_getName_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, Var_AsStruct(ctx, self)->name.text.c_str());
}

HPyDef_METH(Var_setName, "setName", HPyFunc_O)
static HPy Var_setName_impl(HPyContext *ctx, HPy self, HPy arg)
{
    std::string text;
    if (!to_string(ctx, arg, text))
        return HPy_NULL;
    Var_AsStruct(ctx, self)->name.text = text;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(Var_getContext, "context", HPyFunc_NOARGS)
static HPy Var_getContext_impl(HPyContext *ctx, HPy self)
{
    Var *v = Var_AsStruct(ctx, self);
    if (HPyField_IsNull(v->context))
        return HPy_Dup(ctx, ctx->h_None);
    return HPyField_Load(ctx, self, v->context);
}

HPyDef_METH(Var_setContext, "setContext", HPyFunc_O)
static HPy Var_setContext_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyField_Store(ctx, self, &Var_AsStruct(ctx, self)->context, arg);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_GETSET(Var_value, "value", .doc = "the value, a float")
static HPy Var_value_get(HPyContext *ctx, HPy self, void *)
{
    return HPyFloat_FromDouble(ctx, Var_AsStruct(ctx, self)->value);
}
static int Var_value_set(HPyContext *ctx, HPy self, HPy v, void *)
{
    if (HPy_IsNull(v)) {
        HPyErr_SetString(ctx, ctx->h_AttributeError, "value cannot be deleted");
        return -1;
    }
    return to_double(ctx, v, Var_AsStruct(ctx, self)->value) ? 0 : -1;
}

HPyDef *Var_defines[] = {
    &Var_new, &Var_traverse, &Var_destroy, &Var_repr, &Var_add, &Var_mul,
    &Var_neg, &Var_richcmp, &Var_getName, &Var_setName, &Var_getContext,
    &Var_setContext, &Var_value, NULL
};

HPyDef_SLOT(Registry_new, HPy_tp_new)
static HPy Registry_new_impl(HPyContext *ctx, HPy cls, const HPy *, HPy_ssize_t nargs, HPy kw)
{
    if (nargs != 0 || (!HPy_IsNull(kw) && HPy_Length(ctx, kw) != 0)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "Registry() takes no arguments");
        return HPy_NULL;
    }
    Registry *self;
    HPy h = HPy_New(ctx, cls, &self);
    if (!HPy_IsNull(h))
        new (&self->names) std::vector<std::string>();
    return h;
}

HPyDef_SLOT(Registry_destroy, HPy_tp_destroy)
static void Registry_destroy_impl(void *obj)
{
    typedef std::vector<std::string> Names;
    static_cast<Registry *>(obj)->names.~Names();
}

HPyDef_METH(Registry_add, "add", HPyFunc_O)
static HPy Registry_add_impl(HPyContext *ctx, HPy self, HPy var)
{
    if (!Var::TypeCheck(ctx, var)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "expected a Var");
        return HPy_NULL;
    }
    try {
        Registry_AsStruct(ctx, self)->add(Var_AsStruct(ctx, var)->name.text);
    } catch (const Duplicate &) {
        HPy exc = HPyGlobal_Load(ctx, DuplicateName);
        HPyErr_SetObject(ctx, exc, var);
        HPy_Close(ctx, exc);
        return HPy_NULL;
    }
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(Registry_names, "names", HPyFunc_NOARGS)
static HPy Registry_names_impl(HPyContext *ctx, HPy self)
{
    std::vector<std::string> sorted = Registry_AsStruct(ctx, self)->names;
    std::sort(sorted.begin(), sorted.end());
    HPyTupleBuilder tb = HPyTupleBuilder_New(ctx, (HPy_ssize_t)sorted.size());
    for (size_t i = 0; i < sorted.size(); i++) {
        HPy s = HPyUnicode_FromString(ctx, sorted[i].c_str());
        if (HPy_IsNull(s)) {
            HPyTupleBuilder_Cancel(ctx, tb);
            return HPy_NULL;
        }
        HPyTupleBuilder_Set(ctx, tb, (HPy_ssize_t)i, s);
        HPy_Close(ctx, s);
    }
    return HPyTupleBuilder_Build(ctx, tb);
}

HPyDef *Registry_defines[] = {
    &Registry_new, &Registry_destroy, &Registry_add, &Registry_names, NULL
};

bool add_type(HPyContext *ctx, HPy m, const char *name, HPyType_Spec *spec, HPyGlobal *g)
{
    HPy t = HPyType_FromSpec(ctx, spec, NULL);
    if (HPy_IsNull(t))
        return false;
    HPyGlobal_Store(ctx, g, t);
    int r = HPy_SetAttr_s(ctx, m, name, t);
    HPy_Close(ctx, t);
    return r == 0;
}

HPyDef_SLOT(exec, HPy_mod_exec)
static int exec_impl(HPyContext *ctx, HPy m)
{
    if (!add_type(ctx, m, "Var", &Var::spec, &Var::type)
            || !add_type(ctx, m, "Registry", &Registry::spec, &Registry::type))
        return -1;
    HPy exc = HPyErr_NewException(ctx, "cxxsolver.DuplicateName", HPy_NULL, HPy_NULL);
    if (HPy_IsNull(exc))
        return -1;
    HPyGlobal_Store(ctx, &DuplicateName, exc);
    int r = HPy_SetAttr_s(ctx, m, "DuplicateName", exc);
    HPy_Close(ctx, exc);
    return r;
}

HPyDef_METH(live, "live", HPyFunc_NOARGS)
static HPy live_impl(HPyContext *ctx, HPy)
{
    return HPyLong_FromLong(ctx, live_names);
}

HPyDef *module_defines[] = { &exec, &live, NULL };
HPyGlobal *module_globals[] = { &Var::type, &Registry::type, &DuplicateName, NULL };

}  // namespace

HPyGlobal Var::type;
HPyType_Spec Var::spec = {
    .name = "cxxsolver.Var",
    .basicsize = sizeof(Var),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = SHAPE(Var),
    .defines = Var_defines,
};

HPyGlobal Registry::type;
HPyType_Spec Registry::spec = {
    .name = "cxxsolver.Registry",
    .basicsize = sizeof(Registry),
    .flags = HPy_TPFLAGS_DEFAULT,
    .defines = Registry_defines,
    .doc = "names, each at most once",
};

HPyModuleDef moduledef = {
    .doc = "kiwi-style C++ module",
    .size = 0,
    .legacy_methods = NULL,
    .defines = module_defines,
    .globals = module_globals,
};

}  // namespace solver

extern "C" {
HPy_MODINIT(cxxsolver, solver::moduledef)
}
"""


@pytest.mark.parametrize("std", CXX_STDS)
def test_cpp_kiwi_style_module(compiler, hpy_abi, std):
    path = compiler.compile("cxxsolver", SOLVER_CPP, extra_cflags=(std,), cplusplus=True)
    m = load_module_once("cxxsolver", path, hpy_abi)
    assert m.__doc__ == "kiwi-style C++ module"
    assert m.Registry.__doc__ == "names, each at most once"
    gc.collect()
    base = m.live()

    ctx_obj = [1]
    v = m.Var("x", context=ctx_obj)
    assert m.live() == base + 1
    assert repr(v) == "Var(x)" and v.name() == "x"
    assert v.context() is ctx_obj
    assert m.Var.name.__doc__ == "the name"
    assert m.Var.value.__doc__ == "the value, a float"
    # GETSET with C++ conversions
    v.value = 2.5
    assert v.value == 2.5
    v.value = 3
    assert v.value == 3.0 and type(v.value) is float
    with pytest.raises(TypeError, match="expected a float or an int"):
        v.value = "a"
    with pytest.raises(AttributeError, match="cannot be deleted"):
        del v.value
    # one template behind nb_add / nb_multiply, the Var on either side
    assert v + 1 == 4.0 and 1 + v == 4.0
    assert v * 2 == 6.0 and 0.5 * v == 1.5
    assert -v == -3.0
    with pytest.raises(TypeError):
        v + "s"
    # richcompare
    w = m.Var("x")
    assert v == w and not (v != w)
    assert v != m.Var("y")
    assert (v == 5) is False
    with pytest.raises(TypeError, match="not ordered"):
        v < w
    # methods, HPyField
    assert w.context() is None
    w.setContext(v)
    assert w.context() is v
    w.setName("renamed")
    assert w.name() == "renamed" and repr(w) == "Var(renamed)"
    with pytest.raises(TypeError, match="a name is a str"):
        w.setName(3)
    # keyword parsing; a bad argument leaves no half-built object
    assert m.Var().name() == "?"
    assert m.Var(context=None, name="kw").name() == "kw"
    with pytest.raises(TypeError, match="a name is a str"):
        m.Var(3)
    with pytest.raises(TypeError):
        m.Var(bogus=1)
    with pytest.raises(TypeError):
        m.Var("a", None, "too many")

    # C++ exceptions become the module's own exception (an HPyGlobal)
    r = m.Registry()
    with pytest.raises(TypeError, match="takes no arguments"):
        m.Registry(1)
    with pytest.raises(TypeError, match="takes no arguments"):
        m.Registry(k=1)
    r.add(v)
    r.add(w)
    assert r.names() == ("renamed", "x")
    dup = m.Var("x")
    with pytest.raises(m.DuplicateName) as info:
        r.add(dup)
    assert info.value.args == (dup,)
    assert issubclass(m.DuplicateName, Exception)
    assert m.DuplicateName.__module__ == "cxxsolver"
    with pytest.raises(TypeError, match="expected a Var"):
        r.add(5)
    assert r.names() == ("renamed", "x")

    # every C++ member destroyed by HPy_tp_destroy, also through cycles
    v.setContext(v)
    del v, w, dup, info, r
    gc.collect()
    assert m.live() == base


@pytest.mark.upstream_differs(upstream_bugs.PYTHON_SUBCLASS_NEW, run=False)
@pytest.mark.parametrize("std", CXX_STDS)
def test_cpp_kiwi_style_subclass(compiler, hpy_abi, std):
    # subclassing (BASETYPE) keeps the C++ member alive and destroyed
    path = compiler.compile("cxxsolver", SOLVER_CPP, extra_cflags=(std,), cplusplus=True)
    m = load_module_once("cxxsolver", path, hpy_abi)
    gc.collect()
    base = m.live()

    class Sub(m.Var):
        pass
    s = Sub("sub")
    assert m.live() == base + 1
    assert s.name() == "sub" and s + 0 == 0.0
    s.setContext(s)
    del s
    gc.collect()
    assert m.live() == base


# ---------------------------------------------------------------------------
# matplotlib: C++ objects behind pointers, buffers, argument formats
# ---------------------------------------------------------------------------

IMAGE_CPP = r"""
#include <cstring>
#include <stdexcept>
#include <vector>

/* the wrapped C++ class, as matplotlib wraps RendererAgg or FT2Image */
class Canvas {
public:
    Canvas(unsigned w, unsigned h) : width(w), height(h), pixels(size_t(w) * h * 4, 0) {
        if (w == 0 || h == 0)
            throw std::invalid_argument("empty canvas");
    }
    void fill(unsigned char r, unsigned char g, unsigned char b, unsigned char a) {
        for (size_t i = 0; i < pixels.size(); i += 4) {
            pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = b; pixels[i + 3] = a;
        }
    }
    unsigned width, height;
    std::vector<unsigned char> pixels;
};

static long canvases = 0;

typedef struct {
    Canvas *x;
    double dpi;
    HPy_ssize_t shape[3];
    HPy_ssize_t strides[3];
} PyCanvas;
HPyType_HELPERS(PyCanvas)

HPyDef_SLOT(PyCanvas_new, HPy_tp_new)
static HPy PyCanvas_new_impl(HPyContext *ctx, HPy type, const HPy *, HPy_ssize_t, HPy)
{
    PyCanvas *self;
    HPy h = HPy_New(ctx, type, &self);
    if (!HPy_IsNull(h))
        self->x = NULL;
    return h;
}

HPyDef_SLOT(PyCanvas_init, HPy_tp_init)
static int PyCanvas_init_impl(HPyContext *ctx, HPy h_self, const HPy *args, HPy_ssize_t nargs, HPy)
{
    unsigned int width, height;
    double dpi = 72.0;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "II|d:Canvas", &width, &height, &dpi))
        return -1;
    if (dpi <= 0.0) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "dpi must be positive");
        return -1;
    }
    PyCanvas *self = PyCanvas_AsStruct(ctx, h_self);
    try {
        Canvas *c = new Canvas(width, height);
        delete self->x;          /* __init__ may run twice */
        if (self->x == NULL)
            canvases++;
        self->x = c;
    } catch (const std::exception &e) {
        HPyErr_SetString(ctx, ctx->h_RuntimeError, e.what());
        return -1;
    }
    self->dpi = dpi;
    return 0;
}

HPyDef_SLOT(PyCanvas_destroy, HPy_tp_destroy)
static void PyCanvas_destroy_impl(void *obj)
{
    PyCanvas *self = static_cast<PyCanvas *>(obj);
    if (self->x != NULL)
        canvases--;
    delete self->x;
}

HPyDef_SLOT(PyCanvas_getbuffer, HPy_bf_getbuffer)
static int PyCanvas_getbuffer_impl(HPyContext *ctx, HPy h_self, HPy_buffer *buf, int)
{
    PyCanvas *self = PyCanvas_AsStruct(ctx, h_self);
    if (self->x == NULL) {
        HPyErr_SetString(ctx, ctx->h_BufferError, "canvas not initialized");
        return -1;
    }
    buf->obj = HPy_Dup(ctx, h_self);
    buf->buf = &self->x->pixels[0];
    buf->len = (HPy_ssize_t)self->x->pixels.size();
    buf->readonly = 0;
    buf->format = (char *)"B";
    buf->ndim = 3;
    self->shape[0] = self->x->height;
    self->shape[1] = self->x->width;
    self->shape[2] = 4;
    buf->shape = self->shape;
    self->strides[0] = (HPy_ssize_t)self->x->width * 4;
    self->strides[1] = 4;
    self->strides[2] = 1;
    buf->strides = self->strides;
    buf->suboffsets = NULL;
    buf->itemsize = 1;
    buf->internal = NULL;
    return 0;
}

HPyDef_METH(PyCanvas_fill, "fill", HPyFunc_VARARGS, .doc = "fill(r, g, b[, a])")
static HPy PyCanvas_fill_impl(HPyContext *ctx, HPy h_self, const HPy *args, size_t nargs)
{
    unsigned char r, g, b, a = 255;
    if (!HPyArg_Parse(ctx, NULL, args, (HPy_ssize_t)nargs, "bbb|b:fill", &r, &g, &b, &a))
        return HPy_NULL;
    PyCanvas_AsStruct(ctx, h_self)->x->fill(r, g, b, a);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(PyCanvas_extents, "get_extents", HPyFunc_NOARGS)
static HPy PyCanvas_extents_impl(HPyContext *ctx, HPy h_self)
{
    PyCanvas *self = PyCanvas_AsStruct(ctx, h_self);
    return HPy_BuildValue(ctx, "(IIII)d", 0u, 0u, self->x->width, self->x->height, self->dpi);
}

HPyDef *PyCanvas_defines[] = {
    &PyCanvas_new, &PyCanvas_init, &PyCanvas_destroy, &PyCanvas_getbuffer,
    &PyCanvas_fill, &PyCanvas_extents, NULL
};

HPyType_Spec PyCanvas_spec = {
    .name = "mytest.Canvas",
    .basicsize = sizeof(PyCanvas),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = SHAPE(PyCanvas),
    .defines = PyCanvas_defines,
};

/* matplotlib's Glyph: plain data, read-only members, made from C++ by a
   module function through a type kept in an HPyGlobal */
typedef struct {
    long width;
    long height;
    HPy_ssize_t index;
    double advance;
} PyGlyph;
HPyType_HELPERS(PyGlyph)

static HPyGlobal glyph_type;

HPyDef_MEMBER(PyGlyph_width, "width", HPyMember_LONG, offsetof(PyGlyph, width), .readonly = 1, .doc = "w")
HPyDef_MEMBER(PyGlyph_height, "height", HPyMember_LONG, offsetof(PyGlyph, height), .readonly = 1)
HPyDef_MEMBER(PyGlyph_index, "index", HPyMember_HPYSSIZET, offsetof(PyGlyph, index))
HPyDef_MEMBER(PyGlyph_advance, "advance", HPyMember_DOUBLE, offsetof(PyGlyph, advance))

HPyDef_GET(PyGlyph_bbox, "bbox", .doc = "(0, 0, width, height)")
static HPy PyGlyph_bbox_get(HPyContext *ctx, HPy self, void *)
{
    PyGlyph *g = PyGlyph_AsStruct(ctx, self);
    return HPy_BuildValue(ctx, "llll", 0L, 0L, g->width, g->height);
}

HPyDef *PyGlyph_defines[] = {
    &PyGlyph_width, &PyGlyph_height, &PyGlyph_index, &PyGlyph_advance, &PyGlyph_bbox, NULL
};

HPyType_Spec PyGlyph_spec = {
    .name = "mytest.Glyph",
    .basicsize = sizeof(PyGlyph),
    .flags = HPy_TPFLAGS_DEFAULT,
    .builtin_shape = SHAPE(PyGlyph),
    .defines = PyGlyph_defines,
};

HPyDef_METH(load_glyph, "load_glyph", HPyFunc_KEYWORDS)
static HPy load_glyph_impl(HPyContext *ctx, HPy, const HPy *args, size_t nargs, HPy kwnames)
{
    static const char *kwlist[] = { "index", "hinting_factor", "_scale", NULL };
    HPy_ssize_t index;
    long hinting = 8;
    int scale = 1;
    HPyTracker ht;
    if (!HPyArg_ParseKeywords(ctx, &ht, args, nargs, kwnames, "n|l$i:load_glyph",
                              kwlist, &index, &hinting, &scale))
        return HPy_NULL;
    HPyTracker_Close(ctx, ht);
    if (hinting <= 0) {
        HPyErr_SetString(ctx, ctx->h_ValueError, "hinting_factor must be positive");
        return HPy_NULL;
    }
    HPy type = HPyGlobal_Load(ctx, glyph_type);
    PyGlyph *g;
    HPy h = HPy_New(ctx, type, &g);
    HPy_Close(ctx, type);
    if (HPy_IsNull(h))
        return HPy_NULL;
    g->index = index;
    g->width = 64 * scale / hinting;
    g->height = 10L * scale;
    g->advance = 0.5 * scale;
    return h;
}

/* matplotlib's file callbacks: a C++ callback that cannot propagate an
   error reports it as unraisable, then goes on */
static long read_through(HPyContext *ctx, HPy file, long count)
{
    HPy name = HPyUnicode_FromString(ctx, "read");
    HPy h_count = HPyLong_FromLong(ctx, count);
    if (HPy_IsNull(name) || HPy_IsNull(h_count)) {
        HPy_Close(ctx, name);
        HPy_Close(ctx, h_count);
        return -1;
    }
    const HPy call_args[] = { file, h_count };
    HPy data = HPy_CallMethod(ctx, name, call_args, 2, HPy_NULL);
    HPy_Close(ctx, name);
    HPy_Close(ctx, h_count);
    long n = 0;
    if (!HPy_IsNull(data)) {
        if (HPyBytes_Check(ctx, data))
            n = (long)HPyBytes_Size(ctx, data);
        else
            HPyErr_SetString(ctx, ctx->h_TypeError, "read() must return bytes");
        HPy_Close(ctx, data);
    }
    if (HPyErr_Occurred(ctx)) {
        HPyErr_WriteUnraisable(ctx, file);
        return -1;
    }
    return n;
}

HPyDef_METH(read_size, "read_size", HPyFunc_VARARGS)
static HPy read_size_impl(HPyContext *ctx, HPy, const HPy *args, size_t nargs)
{
    HPy file;
    long count;
    if (!HPyArg_Parse(ctx, NULL, args, (HPy_ssize_t)nargs, "Ol:read_size", &file, &count))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, read_through(ctx, file, count));
}

/* a builtin looked up in ctx->h_Builtins, as matplotlib finds open() */
HPyDef_METH(builtin_len, "builtin_len", HPyFunc_O)
static HPy builtin_len_impl(HPyContext *ctx, HPy, HPy arg)
{
    HPy len = HPy_GetItem_s(ctx, ctx->h_Builtins, "len");
    if (HPy_IsNull(len))
        return HPy_NULL;
    HPy r = HPy_Call(ctx, len, &arg, 1, HPy_NULL);
    HPy_Close(ctx, len);
    return r;
}

HPyDef_METH(live_canvases, "live_canvases", HPyFunc_NOARGS)
static HPy live_canvases_impl(HPyContext *ctx, HPy)
{
    return HPyLong_FromLong(ctx, canvases);
}

HPyDef_SLOT(mod_exec, HPy_mod_exec)
static int mod_exec_impl(HPyContext *ctx, HPy m)
{
    if (!HPyHelpers_AddType(ctx, m, "Canvas", &PyCanvas_spec, NULL)
            || !HPyHelpers_AddType(ctx, m, "Glyph", &PyGlyph_spec, NULL))
        return -1;
    HPy t = HPy_GetAttr_s(ctx, m, "Glyph");
    if (HPy_IsNull(t))
        return -1;
    HPyGlobal_Store(ctx, &glyph_type, t);
    HPy_Close(ctx, t);
    return 0;
}
@EXPORT(mod_exec)
@EXPORT(load_glyph)
@EXPORT(read_size)
@EXPORT(builtin_len)
@EXPORT(live_canvases)
@EXPORT_GLOBAL(glyph_type)
"""


@pytest.mark.parametrize("std", CXX_STDS)
def test_cpp_matplotlib_style_wrappers(make_module, std):
    m = make_module(IMAGE_CPP, name="cxximage", extra_cflags=(std,), cplusplus=True)
    gc.collect()
    base = m.live_canvases()
    c = m.Canvas(3, 2)
    assert m.live_canvases() == base + 1
    assert c.get_extents() == ((0, 0, 3, 2), 72.0)
    c.fill(1, 2, 3)
    mv = memoryview(c)
    assert (mv.shape, mv.strides, mv.format, mv.ndim) == ((2, 3, 4), (12, 4, 1), "B", 3)
    assert mv.tobytes() == bytes([1, 2, 3, 255]) * 6
    mv[1, 2, 0] = 9                      # writable: the C++ vector itself
    mv.release()
    assert bytes(c)[20:24] == bytes([9, 2, 3, 255])
    assert m.Canvas.fill.__doc__ == "fill(r, g, b[, a])"
    # __init__ again replaces the C++ object (one alive per Python object)
    c.__init__(1, 1, 300.0)
    assert c.get_extents() == ((0, 0, 1, 1), 300.0)
    assert m.live_canvases() == base + 1
    with pytest.raises(RuntimeError, match="empty canvas"):
        m.Canvas(0, 5)
    with pytest.raises(ValueError, match="dpi must be positive"):
        m.Canvas(1, 1, 0.0)
    with pytest.raises(TypeError):
        m.Canvas(1)
    with pytest.raises(OverflowError):
        c.fill(256, 0, 0)
    with pytest.raises(BufferError, match="not initialized"):
        memoryview(m.Canvas.__new__(m.Canvas))
    del c
    gc.collect()
    assert m.live_canvases() == base

    g = m.load_glyph(7)
    assert type(g) is m.Glyph
    assert (g.index, g.width, g.height, g.advance, g.bbox) == (7, 8, 10, 0.5, (0, 0, 8, 10))
    g = m.load_glyph(3, 2, _scale=4)
    assert (g.width, g.height, g.bbox) == (128, 40, (0, 0, 128, 40))
    assert m.Glyph.width.__doc__ == "w" and m.Glyph.bbox.__doc__ == "(0, 0, width, height)"
    with pytest.raises(AttributeError):
        g.width = 1
    g.advance = 2.25
    assert g.advance == 2.25
    with pytest.raises(TypeError):
        m.load_glyph(1, 2, 3)            # _scale is keyword-only
    with pytest.raises(ValueError, match="hinting_factor"):
        m.load_glyph(1, hinting_factor=0)

    class File:
        def read(self, n):
            return b"x" * n

    class Broken:
        def read(self, n):
            raise KeyError("broken file")

    assert m.read_size(File(), 5) == 5
    seen = []
    old_hook = sys.unraisablehook
    sys.unraisablehook = seen.append
    try:
        broken = Broken()
        assert m.read_size(broken, 5) == -1
        assert m.read_size(File, 1) == -1          # unbound: read() misses `n`
    finally:
        sys.unraisablehook = old_hook
    assert [type(u.exc_value) for u in seen] == [KeyError, TypeError]
    assert seen[0].object is broken and seen[1].object is File
    # the hook's arguments hold the traceback, whose frames hold `seen`: a
    # cycle through objects the collector does not track
    seen.clear()
    assert m.builtin_len([1, 2, 3]) == 3
    with pytest.raises(TypeError):
        m.builtin_len(5)


# ---------------------------------------------------------------------------
# C++ without GNU extensions, and hybrid C++ modules
# ---------------------------------------------------------------------------

PEDANTIC_CPP = r"""
    struct Pair { long a; long b; HPyField extra; };
    HPyType_HELPERS(Pair)

    HPyDef_SLOT(Pair_new, HPy_tp_new)
    static HPy Pair_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
    {
        static const char *kwlist[] = { "a", "b", NULL };
        Pair *p;
        long a, b = 0;
        if (!HPyArg_ParseKeywordsDict(ctx, NULL, args, nargs, kw, "l|l", kwlist, &a, &b))
            return HPy_NULL;
        HPy h = HPy_New(ctx, cls, &p);
        if (!HPy_IsNull(h)) {
            p->a = a;
            p->b = b;
        }
        return h;
    }
    HPyDef_SLOT(Pair_traverse, HPy_tp_traverse)
    static int Pair_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
    {
        HPy_VISIT(&static_cast<Pair *>(self)->extra);
        return 0;
    }
    HPyDef_SLOT(Pair_len, HPy_sq_length)
    static HPy_ssize_t Pair_len_impl(HPyContext *, HPy)
    {
        return 2;
    }
    HPyDef_SLOT(Pair_item, HPy_sq_item)
    static HPy Pair_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i)
    {
        Pair *p = Pair_AsStruct(ctx, self);
        if (i < 0 || i > 1) {
            HPyErr_SetString(ctx, ctx->h_IndexError, "a pair has two items");
            return HPy_NULL;
        }
        return HPyLong_FromLong(ctx, i == 0 ? p->a : p->b);
    }
    HPyDef_SLOT(Pair_hash, HPy_tp_hash)
    static HPy_hash_t Pair_hash_impl(HPyContext *ctx, HPy self)
    {
        Pair *p = Pair_AsStruct(ctx, self);
        return (HPy_hash_t)(p->a * 31 + p->b + 1);
    }
    HPyDef_MEMBER(Pair_a, "a", HPyMember_LONG, offsetof(Pair, a))
    HPyDef_MEMBER(Pair_extra, "extra", HPyMember_OBJECT, offsetof(Pair, extra), .doc = "any")
    HPyDef_SET(Pair_b, "b", .doc = "write-only")
    static int Pair_b_set(HPyContext *ctx, HPy self, HPy value, void *closure)
    {
        long v = HPyLong_AsLong(ctx, value);
        if (v == -1 && HPyErr_Occurred(ctx))
            return -1;
        Pair_AsStruct(ctx, self)->b = v + (closure != NULL);
        return 0;
    }
    HPyDef_METH(Pair_swap, "swap", HPyFunc_NOARGS)
    static HPy Pair_swap_impl(HPyContext *ctx, HPy self)
    {
        Pair *p = Pair_AsStruct(ctx, self);
        return HPy_BuildValue(ctx, "(ll)", p->b, p->a);
    }
    static HPyDef *Pair_defines[] = {
        &Pair_new, &Pair_traverse, &Pair_len, &Pair_item, &Pair_hash, &Pair_a,
        &Pair_extra, &Pair_b, &Pair_swap, NULL
    };
    static HPyType_Spec Pair_spec = {
        .name = "mytest.Pair",
        .basicsize = sizeof(Pair),
        .itemsize = 0,
        .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
        .builtin_shape = SHAPE(Pair),
        .legacy_slots = NULL,
        .defines = Pair_defines,
        .doc = "two longs",
    };
    HPyDef_SLOT(exec, HPy_mod_exec)
    static int exec_impl(HPyContext *ctx, HPy m)
    {
        HPyType_SpecParam params[] = {
            { HPyType_SpecParam_Base, ctx->h_BaseObjectType },
            { (HPyType_SpecParam_Kind)0, HPy_NULL },
        };
        HPy t = HPyType_FromSpec(ctx, &Pair_spec, params);
        if (HPy_IsNull(t))
            return -1;
        int r = HPy_SetAttr_s(ctx, m, "Pair", t);
        HPy_Close(ctx, t);
        return r;
    }
    @EXPORT(exec)
"""


@pytest.mark.parametrize("flags", [("-std=c++11",), ("-std=c++20", "-pedantic")])
def test_cpp_pedantic(make_module, flags):
    """With -std=c++20 -pedantic -Werror the headers (trampolines, HPy_NULL,
    the HPyDef_* macros) may use no GNU extension of C++. (Designated
    initializers, which the macros need, are standard only from C++20.)"""
    m = make_module(PEDANTIC_CPP, name="cxxpair", extra_cflags=flags, cplusplus=True)
    p = m.Pair(4, b=5)
    assert (p.a, len(p), list(p), p.swap()) == (4, 2, [4, 5], (5, 4))
    assert hash(p) == 4 * 31 + 5 + 1
    with pytest.raises(IndexError, match="two items"):
        p[2]
    p.b = 7
    assert p[1] == 7
    with pytest.raises(AttributeError):
        p.b
    assert p.extra is None
    p.extra = p
    assert p.extra is p
    assert m.Pair.__doc__ == "two longs" and m.Pair.extra.__doc__ == "any"
    assert m.Pair.b.__doc__ == "write-only"
    with pytest.raises(TypeError):
        m.Pair()
    del p
    gc.collect()


# ---------------------------------------------------------------------------
# ultrajson: several translation units, one implementation under two names,
# handles and the context carried through a C library's void pointers
# ---------------------------------------------------------------------------

# The encoder, a translation unit of its own: its HPyDefs are globals that
# the module's file declares `extern`. Valid C99 and C++ alike.
ENCODER_SRC = r"""
#include <hpy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *buf; size_t len, cap; int sort_keys; } Out;

static int put(HPyContext *ctx, Out *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        size_t cap = (o->len + n) * 2 + 16;
        char *nbuf = (char *)realloc(o->buf, cap);
        if (nbuf == NULL) {
            HPyErr_NoMemory(ctx);
            return -1;
        }
        o->buf = nbuf;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    return 0;
}

static int put_utf8(HPyContext *ctx, Out *o, HPy str)
{
    HPy_ssize_t n;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, str, &n);
    return s == NULL ? -1 : put(ctx, o, s, (size_t)n);
}

/* ujson's integers: signed 64 bits, else unsigned 64 bits, else an error */
static int put_long(HPyContext *ctx, Out *o, HPy obj)
{
    char tmp[32];
    long long v = HPyLong_AsLongLong(ctx, obj);
    if (v == -1 && HPyErr_Occurred(ctx)) {
        unsigned long long u;
        if (!HPyErr_ExceptionMatches(ctx, ctx->h_OverflowError))
            return -1;
        HPyErr_Clear(ctx);
        u = HPyLong_AsUnsignedLongLong(ctx, obj);
        if (u == (unsigned long long)-1 && HPyErr_Occurred(ctx))
            return -1;
        snprintf(tmp, sizeof tmp, "%llu", u);
    } else {
        snprintf(tmp, sizeof tmp, "%lld", v);
    }
    return put(ctx, o, tmp, strlen(tmp));
}

static int put_value(HPyContext *ctx, Out *o, HPy obj, int depth);

static int put_items(HPyContext *ctx, Out *o, HPy seq, int depth)
{
    HPy_ssize_t i, n = HPy_Length(ctx, seq);
    if (n < 0 || put(ctx, o, "[", 1) < 0)
        return -1;
    for (i = 0; i < n; i++) {
        HPy item = HPy_GetItem_i(ctx, seq, i);
        int r;
        if (HPy_IsNull(item))
            return -1;
        r = (i > 0 ? put(ctx, o, ",", 1) : 0) < 0 ? -1 : put_value(ctx, o, item, depth + 1);
        HPy_Close(ctx, item);
        if (r < 0)
            return -1;
    }
    return put(ctx, o, "]", 1);
}

static int put_dict(HPyContext *ctx, Out *o, HPy dict, int depth)
{
    HPy_ssize_t i, n;
    int r = -1;
    HPy keys = HPyDict_Keys(ctx, dict);
    if (HPy_IsNull(keys))
        return -1;
    if (o->sort_keys) {
        HPy sort = HPy_GetAttr_s(ctx, keys, "sort");
        HPy res = HPy_IsNull(sort) ? HPy_NULL : HPy_Call(ctx, sort, NULL, 0, HPy_NULL);
        HPy_Close(ctx, sort);
        if (HPy_IsNull(res))
            goto done;
        HPy_Close(ctx, res);
    }
    n = HPy_Length(ctx, keys);
    if (put(ctx, o, "{", 1) < 0)
        goto done;
    for (i = 0; i < n; i++) {
        HPy key = HPy_GetItem_i(ctx, keys, i), value;
        int ok;
        if (HPy_IsNull(key))
            goto done;
        if (!HPyUnicode_Check(ctx, key)) {
            HPyErr_SetString(ctx, ctx->h_TypeError, "keys must be str");
            HPy_Close(ctx, key);
            goto done;
        }
        value = HPy_GetItem(ctx, dict, key);
        ok = !HPy_IsNull(value)
            && (i == 0 || put(ctx, o, ",", 1) == 0)
            && put(ctx, o, "\"", 1) == 0 && put_utf8(ctx, o, key) == 0
            && put(ctx, o, "\":", 2) == 0
            && put_value(ctx, o, value, depth + 1) == 0;
        HPy_Close(ctx, key);
        HPy_Close(ctx, value);
        if (!ok)
            goto done;
    }
    r = put(ctx, o, "}", 1);
done:
    HPy_Close(ctx, keys);
    return r;
}

static int put_value(HPyContext *ctx, Out *o, HPy obj, int depth)
{
    if (depth > 20) {
        HPyErr_SetString(ctx, ctx->h_OverflowError, "too deeply nested");
        return -1;
    }
    if (HPy_Is(ctx, obj, ctx->h_None))
        return put(ctx, o, "null", 4);
    if (HPy_Is(ctx, obj, ctx->h_True))
        return put(ctx, o, "true", 4);
    if (HPy_Is(ctx, obj, ctx->h_False))
        return put(ctx, o, "false", 5);
    /* HPy has no HPyLong_Check / HPyFloat_Check: ujson and kiwi define them
       as type checks against the context's types */
    if (HPy_TypeCheck(ctx, obj, ctx->h_LongType))
        return put_long(ctx, o, obj);
    if (HPy_TypeCheck(ctx, obj, ctx->h_FloatType) || HPyUnicode_Check(ctx, obj)) {
        HPy r = HPyUnicode_Check(ctx, obj) ? HPy_Dup(ctx, obj) : HPy_Repr(ctx, obj);
        int quote = HPyUnicode_Check(ctx, obj), res;
        if (HPy_IsNull(r))
            return -1;
        res = (quote && put(ctx, o, "\"", 1) < 0) || put_utf8(ctx, o, r) < 0
              || (quote && put(ctx, o, "\"", 1) < 0) ? -1 : 0;
        HPy_Close(ctx, r);
        return res;
    }
    if (HPyList_Check(ctx, obj) || HPyTuple_Check(ctx, obj))
        return put_items(ctx, o, obj, depth);
    if (HPyDict_Check(ctx, obj))
        return put_dict(ctx, o, obj, depth);
    if (HPy_HasAttr_s(ctx, obj, "__json__")) {
        /* raw JSON from the object itself */
        HPy meth = HPy_GetAttr_s(ctx, obj, "__json__"), raw;
        int res;
        if (HPy_IsNull(meth))
            return -1;
        raw = HPy_Call(ctx, meth, NULL, 0, HPy_NULL);
        HPy_Close(ctx, meth);
        if (HPy_IsNull(raw))
            return -1;
        if (!HPyUnicode_Check(ctx, raw)) {
            HPy_Close(ctx, raw);
            HPyErr_SetString(ctx, ctx->h_TypeError, "__json__ must return a str");
            return -1;
        }
        res = put_utf8(ctx, o, raw);
        HPy_Close(ctx, raw);
        return res;
    }
    HPyErr_Format(ctx, ctx->h_TypeError, "%R is not JSON serializable", obj);
    return -1;
}

HPyDef_METH(dumps, "dumps", HPyFunc_KEYWORDS, .doc = "obj -> JSON text")
static HPy dumps_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
{
    static const char *kwlist[] = { "obj", "sort_keys", NULL };
    HPy obj;
    int sort_keys = 0;
    Out o = { NULL, 0, 0, 0 };
    HPy result = HPy_NULL;
    HPyTracker ht;
    (void)self;
    if (!HPyArg_ParseKeywords(ctx, &ht, args, nargs, kwnames, "O|p:dumps", kwlist, &obj, &sort_keys))
        return HPy_NULL;
    o.sort_keys = sort_keys;
    if (put_value(ctx, &o, obj, 0) == 0 && put(ctx, &o, "", 1) == 0)
        result = HPyUnicode_FromString(ctx, o.buf);
    free(o.buf);
    HPyTracker_Close(ctx, ht);
    return result;
}

/* The same C function under a second name: an HPyDef written out by hand,
   reusing what HPyDef_METH generated (SYM_impl, SYM_trampoline). */
HPyDef encode = {
    .kind = HPyDef_Kind_Meth,
    .meth = {
        .name = "encode",
        .impl = (HPyCFunction)(void (*)(void))dumps_impl,
        .cpy_trampoline = (cpy_PyCFunction)(void (*)(void))dumps_trampoline,
        .signature = HPyFunc_KEYWORDS,
        .doc = "alias of dumps",
    }
};
"""

# The module's file: a decoder written as a C library that knows nothing of
# HPy (objects are `void *`, its user data is the context), plus the
# HPy glue; the encoder's HPyDefs come from the other file.
DECODER_SRC = r"""
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

extern HPyDef dumps;
extern HPyDef encode;

/* ---- the library ---- */
typedef void *Obj;
typedef struct {
    Obj (*new_int)(void *prv, long long v);
    Obj (*new_uint)(void *prv, unsigned long long v);
    Obj (*new_str)(void *prv, const wchar_t *s, size_t n);
    Obj (*new_list)(void *prv);
    int (*append)(void *prv, Obj list, Obj item);      /* does not steal */
    void (*release)(void *prv, Obj obj);
    void *prv;
    const char *error;
    const char *start;
} Decoder;

static Obj decode_value(Decoder *d, const char **p);

static Obj decode_list(Decoder *d, const char **p)
{
    Obj list = d->new_list(d->prv);
    if (list == NULL)
        return NULL;
    ++*p;
    while (**p == ' ')
        ++*p;
    if (**p == ']') {
        ++*p;
        return list;
    }
    for (;;) {
        Obj item = decode_value(d, p);
        int r;
        if (item == NULL)
            break;
        r = d->append(d->prv, list, item);
        d->release(d->prv, item);
        if (r < 0)
            break;
        while (**p == ' ')
            ++*p;
        if (**p == ']') {
            ++*p;
            return list;
        }
        if (**p != ',') {
            d->error = "expected ',' or ']'";
            break;
        }
        ++*p;
    }
    d->release(d->prv, list);
    return NULL;
}

static Obj decode_value(Decoder *d, const char **p)
{
    while (**p == ' ')
        ++*p;
    if (**p == '[')
        return decode_list(d, p);
    if (**p == '\'') {
        wchar_t wbuf[64];
        size_t n = 0;
        ++*p;
        while (**p != '\'' && **p != '\0' && n < 64)
            wbuf[n++] = (wchar_t)(unsigned char)*(*p)++;
        if (**p != '\'') {
            d->error = "unterminated string";
            return NULL;
        }
        ++*p;
        return d->new_str(d->prv, wbuf, n);
    }
    if (**p == '-' || (**p >= '0' && **p <= '9')) {
        char *end;
        if (**p != '-') {
            unsigned long long u = strtoull(*p, &end, 10);
            if (u > 9223372036854775807ULL) {
                *p = end;
                return d->new_uint(d->prv, u);
            }
        }
        long long v = strtoll(*p, &end, 10);
        *p = end;
        return d->new_int(d->prv, v);
    }
    d->error = **p ? "unexpected character" : "unexpected end";
    return NULL;
}

/* ---- the glue: handles as void pointers, the context as user data ---- */
static Obj glue_int(void *prv, long long v)
{
    return HPy_AsVoidP(HPyLong_FromLongLong((HPyContext *)prv, v));
}
static Obj glue_uint(void *prv, unsigned long long v)
{
    return HPy_AsVoidP(HPyLong_FromUnsignedLongLong((HPyContext *)prv, v));
}
static Obj glue_str(void *prv, const wchar_t *s, size_t n)
{
    return HPy_AsVoidP(HPyUnicode_FromWideChar((HPyContext *)prv, s, (HPy_ssize_t)n));
}
static Obj glue_list(void *prv)
{
    return HPy_AsVoidP(HPyList_New((HPyContext *)prv, 0));
}
static int glue_append(void *prv, Obj list, Obj item)
{
    return HPyList_Append((HPyContext *)prv, HPy_FromVoidP(list), HPy_FromVoidP(item));
}
static void glue_release(void *prv, Obj obj)
{
    HPy_Close((HPyContext *)prv, HPy_FromVoidP(obj));
}

HPyDef_METH(loads, "loads", HPyFunc_O)
static HPy loads_impl(HPyContext *ctx, HPy self, HPy arg)
{
    Decoder d = { glue_int, glue_uint, glue_str, glue_list, glue_append, glue_release,
                  NULL, NULL, NULL };
    HPy_ssize_t n;
    const char *text, *p;
    Obj result;
    (void)self;
    if (!HPyUnicode_Check(ctx, arg))
        return HPyErr_SetString(ctx, ctx->h_TypeError, "expected a str");
    text = HPyUnicode_AsUTF8AndSize(ctx, arg, &n);
    if (text == NULL)
        return HPy_NULL;
    d.prv = ctx;
    d.start = p = text;
    result = decode_value(&d, &p);
    if (result != NULL && *p != '\0') {
        glue_release(ctx, result);
        result = NULL;
        d.error = "trailing data";
    }
    if (result == NULL) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_Format(ctx, ctx->h_ValueError, "%s at offset %d", d.error, (int)(p - d.start));
        return HPy_NULL;
    }
    return HPy_FromVoidP(result);
}

@EXPORT(loads)
@EXPORT(dumps)
@EXPORT(encode)
"""


@pytest.mark.parametrize("lang", ["c", "c++"])
def test_ujson_style_translation_units(compiler, hpy_abi, lang):
    from support.build import expand_snippet
    cplusplus = lang == "c++"
    source = expand_snippet("ujsonish", DECODER_SRC)
    path = compiler.compile("ujsonish", source, cplusplus=cplusplus,
                            extra_sources=[("encoder.c", ENCODER_SRC)])
    m = load_module_once("ujsonish", path, hpy_abi)

    # the encoder's defines, from the other translation unit
    assert m.dumps.__doc__ == "obj -> JSON text"
    assert m.encode.__doc__ == "alias of dumps"
    big = 2**64 - 1
    data = {"b": [1, -2, 2**63, big, 0.5, None, True, False], "a": ("x", {"k": []})}
    for f in (m.dumps, m.encode):
        assert f(data) == '{"b":[1,-2,%d,%d,0.5,null,true,false],"a":["x",{"k":[]}]}' % (2**63, big)
        assert f(data, sort_keys=True).startswith('{"a":["x",{"k":[]}],"b":')
        assert f(obj=[]) == "[]"
    with pytest.raises(OverflowError):
        m.dumps([2**64])
    with pytest.raises(OverflowError):
        m.dumps(-2**63 - 1)
    with pytest.raises(OverflowError, match="too deeply nested"):
        nested = []
        for _ in range(30):
            nested = [nested]
        m.dumps(nested)
    with pytest.raises(TypeError, match="keys must be str"):
        m.dumps({1: 2})
    with pytest.raises(TypeError, match="<object object at .*> is not JSON serializable"):
        m.encode([object()])
    with pytest.raises(TypeError):
        m.dumps(data, sort_keys=True, extra=1)

    class Raw:
        def __json__(self):
            return '{"raw":1}'

    assert m.dumps([Raw(), 1]) == '[{"raw":1},1]'

    # the decoder: handles and the context through void pointers
    assert m.loads("[1, 'ab', [], [-5, 18446744073709551615, 9223372036854775807]]") == \
        [1, "ab", [], [-5, 2**64 - 1, 2**63 - 1]]
    assert m.loads("'x'") == "x"
    for bad, msg in [("[1, 2", "expected ',' or ']' at offset 5"),
                     ("[1, ", "unexpected end at offset 4"),
                     ("[1, [2, 'a", "unterminated string at offset 10"),
                     ("[1 2]", "expected ',' or ']' at offset 3"),
                     ("[]x", "trailing data at offset 2")]:
        with pytest.raises(ValueError, match=msg.replace("[", r"\[").replace("]", r"\]")):
            m.loads(bad)
    with pytest.raises(TypeError, match="expected a str"):
        m.loads(b"[]")
    assert m.loads(m.dumps([[1, 2], [big]])) == [[1, 2], [big]]


# matplotlib's hybrid wrappers: C++ with Python.h next to HPy, legacy methods
# in the module definition, objects passed to C-API code and back.
HYBRID_CPP = r"""
#include <Python.h>

static PyObject *legacy_pair(PyObject *, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    return PyTuple_Pack(2, b, a);
}

static PyMethodDef legacy_methods[] = {
    { "legacy_pair", legacy_pair, METH_VARARGS, "swapped, by the C API" },
    { NULL, NULL, 0, NULL }
};

HPyDef_METH(via_capi, "via_capi", HPyFunc_O)
static HPy via_capi_impl(HPyContext *ctx, HPy, HPy arg)
{
    PyObject *o = HPy_AsPyObject(ctx, arg);
    PyObject *r = PySequence_List(o);       /* C-API code given an HPy's object */
    Py_DECREF(o);
    if (r == NULL)
        return HPy_NULL;
    HPy h = HPy_FromPyObject(ctx, r);
    Py_DECREF(r);
    return h;
}

static HPyDef *defines[] = { &via_capi, NULL };

static HPyModuleDef moduledef = {
    .doc = "hybrid C++",
    .size = 0,
    .legacy_methods = legacy_methods,
    .defines = defines,
    .globals = NULL,
};

#ifdef __cplusplus
extern "C" {
#endif
HPy_MODINIT(cxxhybrid, moduledef)
#ifdef __cplusplus
}
#endif
"""


@pytest.mark.python_h
@pytest.mark.parametrize("std", CXX_STDS)
def test_cpp_hybrid_legacy_methods(compiler, hpy_abi, std):
    path = compiler.compile("cxxhybrid", "#include <hpy.h>\n" + HYBRID_CPP,
                            extra_cflags=(std,), cplusplus=True)
    m = load_module_once("cxxhybrid", path, hpy_abi)
    assert m.__doc__ == "hybrid C++"
    assert m.legacy_pair(1, "b") == ("b", 1)
    assert m.legacy_pair.__doc__ == "swapped, by the C API"
    assert m.via_capi((1, 2)) == [1, 2]
    with pytest.raises(TypeError):
        m.via_capi(5)

"""The trampolines of universal binaries call implementations directly
under hpy-rs's universal context, and through the runtime under any other
(see hpy/universal/hpyfunc_trampolines.h)."""


def test_direct_path_only_under_the_universal_context(hpy_abi, make_module):
    mod = make_module("""
        HPyDef_METH(direct, "direct", HPyFunc_NOARGS)
        static HPy direct_impl(HPyContext *ctx, HPy self)
        {
        #ifdef HPY_ABI_CPYTHON
            return HPyLong_FromLong(ctx, -1);
        #else
            return HPyLong_FromLong(ctx, _hpy_direct_ctx == ctx ? 1 : (_hpy_direct_ctx == NULL ? 0 : -2));
        #endif
        }
        @EXPORT(direct)
    """)
    abi, _, mode = hpy_abi.partition("+")
    if abi == "cpython":
        expected = -1
    elif abi in ("debug", "trace", "upstream") or mode in ("debug", "trace"):
        # "upstream": HPy 0.9.0's context, which the header must not trust
        expected = 0
    else:
        expected = 1
    assert mod.direct() == expected


def test_context_name_is_recognised():
    # The header's copy of the name and the runtime's must agree, or every
    # call would silently take the slow path.
    import hpy.universal
    import re
    from support.oracle import REPO
    header = (REPO / "python/hpy/devel/include/hpy/universal/hpyfunc_trampolines.h").read_text()
    name = re.search(r'#define _HPY_RS_DIRECT_CONTEXT_NAME "([^"]*)"', header).group(1)
    runtime = (REPO / "crates/hpy-runtime/src/context.rs").read_text()
    assert 'UNIVERSAL_CONTEXT_NAME: &std::ffi::CStr = c"%s"' % name in runtime


def test_keywords_and_slots_on_both_paths(hpy_abi, make_module):
    # Every direct signature family once: vectorcall with keywords (nargsf
    # may carry PY_VECTORCALL_ARGUMENTS_OFFSET), sequence and number slots,
    # rich comparison, getset, hash and len.
    mod = make_module("""
        typedef struct { long v; } PointObject;
        HPyType_HELPERS(PointObject)

        HPyDef_METH(kw, "kw", HPyFunc_KEYWORDS)
        static HPy kw_impl(HPyContext *ctx, HPy self, const HPy *args,
                           size_t nargs, HPy kwnames)
        {
            HPy_ssize_t nkw = HPy_IsNull(kwnames) ? 0 : HPy_Length(ctx, kwnames);
            return HPyLong_FromLong(ctx, (long)(nargs * 10 + nkw));
        }

        HPyDef_SLOT(P_new, HPy_tp_new)
        static HPy P_new_impl(HPyContext *ctx, HPy cls, const HPy *args,
                              HPy_ssize_t nargs, HPy kw)
        {
            PointObject *p;
            HPy h = HPy_New(ctx, cls, &p);
            if (HPy_IsNull(h))
                return h;
            p->v = nargs ? HPyLong_AsLong(ctx, args[0]) : 0;
            return h;
        }
        HPyDef_SLOT(P_len, HPy_sq_length)
        static HPy_ssize_t P_len_impl(HPyContext *ctx, HPy self)
        {
            return PointObject_AsStruct(ctx, self)->v;
        }
        HPyDef_SLOT(P_item, HPy_sq_item)
        static HPy P_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i)
        {
            return HPyLong_FromSsize_t(ctx, i * PointObject_AsStruct(ctx, self)->v);
        }
        HPyDef_SLOT(P_add, HPy_nb_add)
        static HPy P_add_impl(HPyContext *ctx, HPy a, HPy b)
        {
            return HPyLong_FromLong(ctx, 1000 + HPyLong_AsLong(ctx, b));
        }
        HPyDef_SLOT(P_hash, HPy_tp_hash)
        static HPy_hash_t P_hash_impl(HPyContext *ctx, HPy self)
        {
            return 4242;
        }
        HPyDef_SLOT(P_cmp, HPy_tp_richcompare)
        static HPy P_cmp_impl(HPyContext *ctx, HPy a, HPy b, HPy_RichCmpOp op)
        {
            return HPyLong_FromLong(ctx, (long)op);
        }
        HPyDef_GETSET(P_v, "v")
        static HPy P_v_get(HPyContext *ctx, HPy self, void *closure)
        {
            return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, self)->v);
        }
        static int P_v_set(HPyContext *ctx, HPy self, HPy value, void *closure)
        {
            long v = HPyLong_AsLong(ctx, value);
            if (v == -1 && HPyErr_Occurred(ctx))
                return -1;
            PointObject_AsStruct(ctx, self)->v = v;
            return 0;
        }
        static HPyDef *P_defines[] = { &P_new, &P_len, &P_item, &P_add,
                                       &P_hash, &P_cmp, &P_v, NULL };
        static HPyType_Spec P_spec = {
            .name = "mytest.P",
            .basicsize = sizeof(PointObject),
            .defines = P_defines,
        };
        @EXPORT(kw)
        @EXPORT_TYPE("P", P_spec)
    """)
    assert mod.kw() == 0
    assert mod.kw(1, 2, a=3) == 21
    assert mod.kw(*range(5), **{"x": 1, "y": 2}) == 52
    p = mod.P(3)
    assert len(p) == 3
    assert p[2] == 6
    assert p + 5 == 1005
    assert hash(p) == 4242
    assert (p < 1, p <= 1, p == 1, p != 1, p > 1, p >= 1) == (0, 1, 2, 3, 4, 5)
    p.v = 7
    assert p.v == 7 and len(p) == 7
    import pytest
    with pytest.raises(TypeError):
        p.v = "x"

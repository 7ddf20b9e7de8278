"""Every handle constant of the context is the object CPython has."""
import builtins
import datetime

from support.autogen_api import MEMBERS

HANDLES = [name for _, name, public in MEMBERS if public is None]

SPECIAL = {
    "h_None": None,
    "h_True": True,
    "h_False": False,
    "h_NotImplemented": NotImplemented,
    "h_Ellipsis": Ellipsis,
    "h_BaseObjectType": object,
    "h_TypeType": type,
    "h_BoolType": bool,
    "h_LongType": int,
    "h_FloatType": float,
    "h_UnicodeType": str,
    "h_TupleType": tuple,
    "h_ListType": list,
    "h_ComplexType": complex,
    "h_BytesType": bytes,
    "h_MemoryViewType": memoryview,
    "h_CapsuleType": type(datetime.datetime_CAPI),
    "h_SliceType": slice,
    "h_Builtins": builtins.__dict__,
}


def expected(name):
    if name in SPECIAL:
        return SPECIAL[name]
    return getattr(builtins, name[2:])  # the exception and warning types


def test_every_handle_is_the_right_object(make_module):
    cases = "".join("        case %d: h = ctx->%s; break;\n" % (i, n) for i, n in enumerate(HANDLES))
    mod = make_module("""
        HPyDef_METH(get, "get", HPyFunc_O)
        static HPy get_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            HPy h;
            switch (HPyLong_AsLong(ctx, arg)) {
%s
            default:
                return HPyErr_SetString(ctx, ctx->h_IndexError, "no such handle");
            }
            return HPy_Dup(ctx, h);
        }
        @EXPORT(get)
    """ % cases)
    assert len(HANDLES) == 83
    for i, name in enumerate(HANDLES):
        assert mod.get(i) is expected(name), name

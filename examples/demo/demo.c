/* A small HPy extension: the same source builds for every ABI. */
#include <hpy.h>

HPyDef_METH(add, "add", HPyFunc_VARARGS, .doc = "add(a, b): a + b, computed through the HPy API")
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (nargs != 2)
        return HPyErr_SetString(ctx, ctx->h_TypeError, "add() takes exactly 2 arguments");
    return HPy_Add(ctx, args[0], args[1]);
}

HPyDef_METH(checked_div, "checked_div", HPyFunc_VARARGS,
            .doc = "checked_div(a, b): integer division that raises ValueError on b == 0")
static HPy checked_div_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (nargs != 2)
        return HPyErr_SetString(ctx, ctx->h_TypeError, "checked_div() takes exactly 2 arguments");
    long a = HPyLong_AsLong(ctx, args[0]);
    if (a == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    long b = HPyLong_AsLong(ctx, args[1]);
    if (b == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    if (b == 0)
        return HPyErr_SetString(ctx, ctx->h_ValueError, "division by zero is not allowed here");
    return HPyLong_FromLong(ctx, a / b);
}

HPyDef_METH(apply_twice, "apply_twice", HPyFunc_KEYWORDS,
            .doc = "apply_twice(f, x, **kw): f(f(x, **kw), **kw), calling back into Python")
static HPy apply_twice_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
{
    if (nargs != 2)
        return HPyErr_SetString(ctx, ctx->h_TypeError, "apply_twice() takes f and x");
    HPy first[] = { args[1] };
    HPy once = HPy_Call(ctx, args[0], first, 1, HPy_NULL);
    if (HPy_IsNull(once))
        return HPy_NULL;
    HPy second[] = { once };
    HPy twice = HPy_Call(ctx, args[0], second, 1, HPy_NULL);
    HPy_Close(ctx, once);
    return twice;
}

HPyDef_METH(describe, "describe", HPyFunc_O, .doc = "describe(obj): 'repr of type: repr of obj'")
static HPy describe_impl(HPyContext *ctx, HPy self, HPy obj)
{
    HPy type = HPy_Type(ctx, obj);
    HPy type_name = HPy_GetAttr_s(ctx, type, "__name__");
    HPy_Close(ctx, type);
    if (HPy_IsNull(type_name))
        return HPy_NULL;
    HPy r = HPy_Repr(ctx, obj);
    if (HPy_IsNull(r)) {
        HPy_Close(ctx, type_name);
        return HPy_NULL;
    }
    HPy sep = HPyUnicode_FromString(ctx, ": ");
    HPy left = HPy_Add(ctx, type_name, sep);
    HPy result = HPy_Add(ctx, left, r);
    HPy_Close(ctx, type_name);
    HPy_Close(ctx, sep);
    HPy_Close(ctx, left);
    HPy_Close(ctx, r);
    return result;
}

static HPyDef *module_defines[] = { &add, &checked_div, &apply_twice, &describe, NULL };

static HPyModuleDef moduledef = {
    .doc = "hpy-rs demo extension",
    .defines = module_defines,
};

HPy_MODINIT(demo, moduledef)

"""Module definitions: methods of every signature, docs, exec slots, globals."""
import pytest


def test_noargs_and_doc(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_NOARGS, .doc = "f's doc")
        static HPy f_impl(HPyContext *ctx, HPy self)
        {
            return HPyLong_FromLong(ctx, 1234);
        }
        @EXPORT(f)
    """)
    assert mod.f() == 1234
    assert mod.f.__doc__ == "f's doc"
    assert mod.__doc__ == "snippet module mytest"
    with pytest.raises(TypeError):
        mod.f(1)


def test_o_receives_argument_and_self_is_module(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_O)
        static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_Add(ctx, arg, arg);
        }
        HPyDef_METH(me, "me", HPyFunc_NOARGS)
        static HPy me_impl(HPyContext *ctx, HPy self)
        {
            return HPy_Dup(ctx, self);
        }
        @EXPORT(f)
        @EXPORT(me)
    """)
    assert mod.f(21) == 42
    assert mod.f("ab") == "abab"
    assert mod.me() is mod
    with pytest.raises(TypeError):
        mod.f()
    with pytest.raises(TypeError):
        mod.f(1, 2)


def test_varargs(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_VARARGS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            HPy total = HPyLong_FromLong(ctx, 0);
            for (size_t i = 0; i < nargs; i++) {
                HPy t = HPy_Add(ctx, total, args[i]);
                HPy_Close(ctx, total);
                if (HPy_IsNull(t))
                    return HPy_NULL;
                total = t;
            }
            return total;
        }
        @EXPORT(f)
    """)
    assert mod.f() == 0
    assert mod.f(1, 2, 3, 4) == 10
    with pytest.raises(TypeError):
        mod.f(1, "x")
    with pytest.raises(TypeError):
        mod.f(a=1)


def test_keywords_receive_kwnames(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_KEYWORDS)
        static HPy f_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
        {
            HPy n = HPyLong_FromSize_t(ctx, nargs);
            HPy kw = HPy_IsNull(kwnames) ? HPy_Dup(ctx, ctx->h_None) : HPy_Dup(ctx, kwnames);
            HPy items[] = { n, kw };
            HPy result = HPyTuple_FromArray(ctx, items, 2);
            HPy_Close(ctx, n);
            HPy_Close(ctx, kw);
            return result;
        }
        @EXPORT(f)
    """)
    assert mod.f() == (0, None)
    assert mod.f(1, 2) == (2, None)
    assert mod.f(1, b=2, c=3) == (1, ("b", "c"))


def test_error_raised_by_method(make_module):
    mod = make_module("""
        HPyDef_METH(f, "f", HPyFunc_O)
        static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            if (!HPy_TypeCheck(ctx, arg, ctx->h_LongType))
                return HPyErr_SetString(ctx, ctx->h_ValueError, "need an int");
            return HPy_Dup(ctx, arg);
        }
        @EXPORT(f)
    """)
    assert mod.f(5) == 5
    with pytest.raises(ValueError, match="need an int"):
        mod.f("x")


def test_exec_slot_and_globals(make_module):
    mod = make_module("""
        HPyGlobal answer;

        HPyDef_SLOT(exec, HPy_mod_exec)
        static int exec_impl(HPyContext *ctx, HPy m)
        {
            HPy v = HPyLong_FromLong(ctx, 42);
            HPyGlobal_Store(ctx, &answer, v);
            int r = HPy_SetAttr_s(ctx, m, "value", v);
            HPy_Close(ctx, v);
            return r;
        }

        HPyDef_METH(get, "get", HPyFunc_NOARGS)
        static HPy get_impl(HPyContext *ctx, HPy self)
        {
            return HPyGlobal_Load(ctx, answer);
        }
        @EXPORT(exec)
        @EXPORT(get)
        @EXPORT_GLOBAL(answer)
    """)
    assert mod.value == 42
    assert mod.get() == 42


def test_exec_slot_failure_raises(make_module):
    with pytest.raises(KeyError, match="exec failed"):
        make_module("""
            HPyDef_SLOT(exec, HPy_mod_exec)
            static int exec_impl(HPyContext *ctx, HPy m)
            {
                HPyErr_SetString(ctx, ctx->h_KeyError, "exec failed");
                return -1;
            }
            @EXPORT(exec)
        """, name="failing_exec")

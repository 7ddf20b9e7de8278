/*
 * Convenience macros of the public API, the same in every ABI.
 */
#ifndef HPY_MACROS_H
#define HPY_MACROS_H

/* HPy_New(ctx, type, &data): create an instance of `type` and point `data`
   (of any object pointer type, e.g. PointObject *) at its C struct. A macro
   so that the caller's PointObject ** converts to void ** without a cast
   or a warning. */
#define HPy_New(ctx, cls, data) _HPy_New((ctx), (cls), (void **)(data))

/* Return True or False from a tp_richcompare implementation by comparing two
   C values with the operator `op` asks for. A macro because the values may
   be of any comparable type. */
#define HPy_RETURN_RICHCOMPARE(ctx, val1, val2, op)                           \
    do {                                                                      \
        bool _hpy_cmp;                                                        \
        switch (op) {                                                         \
        case HPy_LT: _hpy_cmp = (val1) < (val2); break;                       \
        case HPy_LE: _hpy_cmp = (val1) <= (val2); break;                      \
        case HPy_EQ: _hpy_cmp = (val1) == (val2); break;                      \
        case HPy_NE: _hpy_cmp = (val1) != (val2); break;                      \
        case HPy_GT: _hpy_cmp = (val1) > (val2); break;                       \
        case HPy_GE: _hpy_cmp = (val1) >= (val2); break;                      \
        default:                                                              \
            HPy_FatalError(ctx, "HPy_RETURN_RICHCOMPARE: invalid HPy_RichCmpOp"); \
        }                                                                     \
        return HPy_Dup(ctx, _hpy_cmp ? (ctx)->h_True : (ctx)->h_False);       \
    } while (0)

/* pid_t conversions and its HPyArg_Parse format unit. Only the cpython ABI
   knows SIZEOF_PID_T (from pyconfig.h); everywhere else we assume the
   POSIX-typical int-sized pid_t. */
#if !defined(SIZEOF_PID_T) || SIZEOF_PID_T == SIZEOF_INT
#  define _HPy_PARSE_PID "i"
#  define HPyLong_FromPid HPyLong_FromLong
#  define HPyLong_AsPid HPyLong_AsLong
#elif SIZEOF_PID_T == SIZEOF_LONG
#  define _HPy_PARSE_PID "l"
#  define HPyLong_FromPid HPyLong_FromLong
#  define HPyLong_AsPid HPyLong_AsLong
#elif defined(SIZEOF_LONG_LONG) && SIZEOF_PID_T == SIZEOF_LONG_LONG
#  define _HPy_PARSE_PID "L"
#  define HPyLong_FromPid HPyLong_FromLongLong
#  define HPyLong_AsPid HPyLong_AsLongLong
#else
#  error "hpy: pid_t has none of the sizes of int, long and long long"
#endif

/* Bracket code that runs without holding the interpreter (the GIL on
   CPython). The two macros open and close one C block, so they must be
   used as a pair in the same scope, and the code between them must not
   touch Python objects or call the API. */
#define HPy_BEGIN_LEAVE_PYTHON(context)                                       \
    {                                                                         \
        HPyThreadState _hpy_thread_state = HPy_LeavePythonExecution(context);

#define HPy_END_LEAVE_PYTHON(context)                                         \
        HPy_ReenterPythonExecution(context, _hpy_thread_state);               \
    }

#endif /* HPY_MACROS_H */

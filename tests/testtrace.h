/* testtrace: trace assertions shared by the trace suites. */
#ifndef EC_TESTTRACE_H
#define EC_TESTTRACE_H

#include "traces/format.h"
#include "traces/trace.h"

#include "testutil.h"

#include <check.h>
#include <string.h>

/* The trace at path, its format detected, looping; a load error fails the
 * test with its message. */
static inline ec_trace *tt_load(const char *path)
{
    ec_trace *t = NULL;
    ec_diag d = { 0 };
    tu_ok(ec_trace_load(path, "auto", EC_TRACE_LOOP, &t, &d), &d, path);
    return t;
}

/* a and b have the same length and segments, values equal bit for bit. */
static inline void tt_assert_same(const ec_trace *a, const ec_trace *b)
{
    ck_assert_uint_eq(ec_trace_segments(a), ec_trace_segments(b));
    ck_assert_int_eq(ec_trace_length_ns(a), ec_trace_length_ns(b));
    for (size_t i = 0; i < ec_trace_segments(a); i++) {
        int64_t sa, sb;
        double va, vb;
        ec_trace_segment(a, i, &sa, NULL, &va);
        ec_trace_segment(b, i, &sb, NULL, &vb);
        ck_assert_int_eq(sa, sb);
        ck_assert_msg(memcmp(&va, &vb, sizeof va) == 0, "segment %zu: %.17g != %.17g",
                      i, va, vb);
    }
}

#endif

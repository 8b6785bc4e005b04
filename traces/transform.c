/* transform: start, resample, scale, offset, clip, end (see transform.h). */
#include "traces/transform.h"

#include <math.h>
#include <stdlib.h>

#define NS_PER_S 1e9

/* Most segments a resampling may make. */
#define MAX_SEGMENTS EC_TRACE_MAX_MADE_SEGMENTS

void ec_trace_xform_init(ec_trace_xform *x, ec_trace_end end)
{
    *x = (ec_trace_xform){.scale = 1, .clip_min = -INFINITY, .clip_max = INFINITY,
                          .end = end};
}

int ec_trace_xform_is_identity(const ec_trace_xform *x)
{
    return x->start_s == 0 && x->resample_s == 0 && x->scale == 1 && x->offset == 0
           && x->clip_min == -INFINITY && x->clip_max == INFINITY;
}

/* Segments under construction. */
typedef struct segs {
    int64_t *start;  /* starts, ns */
    double *value;   /* values */
    size_t n;        /* used */
} segs;

static int segs_alloc(segs *s, size_t n)
{
    s->start = malloc(n * sizeof *s->start);
    s->value = malloc(n * sizeof *s->value);
    s->n = 0;
    return s->start && s->value ? EC_OK : EC_ENOMEM;
}

static void segs_free(segs *s)
{
    free(s->start);
    free(s->value);
}

/* Step 1 (the input's pieces from `from` on, then, for a loop, those before
 * it) and steps 3-5 on every value. */
static int rotate(const ec_trace *in, int64_t from, segs *s, int64_t *len)
{
    size_t n = ec_trace_segments(in);
    int64_t length = ec_trace_length_ns(in);
    int loop = ec_trace_end_policy(in) == EC_TRACE_LOOP;
    if (segs_alloc(s, n + 1))
        return EC_ENOMEM;
    for (int pass = 0; pass < 1 + loop; pass++) {
        for (size_t i = 0; i < n; i++) {
            int64_t a, b;
            double v;
            ec_trace_segment(in, i, &a, &b, &v);
            int64_t lo = pass == 0 ? (a > from ? a : from) : a;
            int64_t hi = pass == 0 ? b : (b < from ? b : from);
            if (lo >= hi)
                continue;
            s->start[s->n] = pass == 0 ? lo - from : lo + (length - from);
            s->value[s->n++] = v;
        }
    }
    *len = loop ? length : length - from;
    return EC_OK;
}

/* Time-weighted means of t over steps of step_ns. */
static int resample(const ec_trace *t, int64_t step_ns, segs *s, ec_diag *d)
{
    int64_t len = ec_trace_length_ns(t);
    int64_t steps = len / step_ns + (len % step_ns != 0);
    if (steps > MAX_SEGMENTS)
        return ec_diag_set(d, EC_ETRACE, NULL, 0, "resample: %lld steps; expected at "
                           "most %lld (a longer resample step)", (long long)steps,
                           (long long)MAX_SEGMENTS);
    if (segs_alloc(s, (size_t)steps))
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (int64_t k = 0; k < steps; k++) {
        int64_t a = k * step_ns, b = a + step_ns < len ? a + step_ns : len;
        s->start[s->n] = a;
        s->value[s->n++] = ec_trace_integral(t, a, b) / ((double)(b - a) / NS_PER_S);
    }
    return EC_OK;
}

static int check(const ec_trace_xform *x, ec_diag *d)
{
    const char *what = NULL;
    if (!(x->start_s >= 0 && x->start_s < 4.6e9))
        what = "start: expected a start time >= 0 s";
    else if (!(x->resample_s == 0 || (x->resample_s >= 1e-9 && x->resample_s < 4.6e9)))
        what = "resample: expected a step of at least 1 ns, or 0 for none";
    else if (!(isfinite(x->scale) && x->scale >= 0))
        what = "scale: expected a finite factor >= 0";
    else if (!isfinite(x->offset))
        what = "offset: expected a finite number";
    else if (isnan(x->clip_min) || isnan(x->clip_max) || x->clip_min > x->clip_max)
        what = "clip: expected clip_min <= clip_max";
    return what ? ec_diag_set(d, EC_ETRACE, NULL, 0, "%s", what) : EC_OK;
}

int ec_trace_transform(const ec_trace *in, const ec_trace_xform *x,
                       ec_trace **out, ec_diag *d)
{
    *out = NULL;
    int rc = check(x, d);
    if (rc)
        return rc;
    int64_t length = ec_trace_length_ns(in), len = 0;
    int64_t from = llround(x->start_s * NS_PER_S);
    if (ec_trace_end_policy(in) == EC_TRACE_LOOP)
        from %= length;
    segs s = {0};
    ec_trace *mid = NULL;
    if (from >= length) { /* hold, past the end: the last value */
        double last;
        ec_trace_segment(in, ec_trace_segments(in) - 1, NULL, NULL, &last);
        rc = ec_trace_new(&(int64_t){0}, &last, 1, EC_TRACE_CONSTANT_LENGTH_NS,
                          x->end, &mid, d);
    } else if ((rc = rotate(in, from, &s, &len)) != EC_OK) {
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    } else {
        rc = ec_trace_new(s.start, s.value, s.n, len, x->end, &mid, d);
    }
    segs_free(&s);
    s = (segs){0};
    if (rc)
        return rc;
    if (x->resample_s > 0) {
        rc = resample(mid, llround(x->resample_s * NS_PER_S), &s, d);
        len = ec_trace_length_ns(mid);
    } else if (segs_alloc(&s, ec_trace_segments(mid))) {
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    } else {
        len = ec_trace_length_ns(mid);
        for (size_t i = 0; i < ec_trace_segments(mid); i++, s.n++)
            ec_trace_segment(mid, i, &s.start[i], NULL, &s.value[i]);
    }
    ec_trace_free(mid);
    for (size_t i = 0; rc == EC_OK && i < s.n; i++) {
        double v = s.value[i] * x->scale + x->offset;
        v = fmin(fmax(v, x->clip_min), x->clip_max);
        if (!(v >= 0) || !isfinite(v))
            rc = ec_diag_set(d, EC_ETRACE, NULL, 0, "value %g at %.9g s after scale, "
                             "offset and clip; expected a finite value >= 0 (set "
                             "clip_min = 0)", v, (double)s.start[i] / NS_PER_S);
        s.value[i] = v;
    }
    if (rc == EC_OK)
        rc = ec_trace_new(s.start, s.value, s.n, len, x->end, out, d);
    segs_free(&s);
    return rc;
}

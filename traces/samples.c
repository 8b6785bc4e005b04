/* samples: (time, value) sample lists shared by the line- and column-based
 * formats (cooked, simgrid, csv), their checks and the trace builder (see
 * format.h). */
#include "traces/format.h"

#include "sim/base/text.h"

#include <math.h>
#include <stdlib.h>

/* Largest |time| accepted, seconds: differences of two times in ns must
 * fit in int64. */
#define MAX_S 4.6e9

int ec_trace_samples_push(ec_trace_samples *s, double t_s, double v, long line)
{
    /* three columns of one length: each grows from s->cap alike, and s->cap
     * moves only when all three have */
    size_t cap_t = s->cap, cap_v = s->cap, cap_line = s->cap;
    if (ec_grow(&s->t_s, &cap_t, s->n + 1, sizeof *s->t_s) ||
        ec_grow(&s->v, &cap_v, s->n + 1, sizeof *s->v) ||
        ec_grow(&s->line, &cap_line, s->n + 1, sizeof *s->line))
        return EC_ENOMEM;
    s->cap = cap_t;
    s->t_s[s->n] = t_s;
    s->v[s->n] = v;
    s->line[s->n] = line;
    s->n++;
    return EC_OK;
}

void ec_trace_samples_free(ec_trace_samples *s)
{
    free(s->t_s);
    free(s->v);
    free(s->line);
    *s = (ec_trace_samples){0};
}

const char *ec_trace_unit_name(const ec_trace_opts *o, const char *fmt_rate_unit)
{
    if (o->unit && *o->unit)
        return o->unit;
    return o->quantity == EC_TRACE_RATE && fmt_rate_unit ? fmt_rate_unit : "1";
}

int ec_trace_read_pairs(FILE *f, const char *path, const ec_trace_opts *o, double scale,
                        const char *unit, const char *expect,
                        int (*other)(void *ctx, char **tok, size_t ntok, const char *path,
                                     long line, ec_diag *d),
                        void *ctx, ec_trace_samples *s, ec_diag *d)
{
    ec_trace_lines r = {.f = f};
    const char *noun = ec_trace_noun(o->quantity);
    int rc, got;
    for (;;) {
        if ((rc = ec_trace_lines_read(&r, path, d, &got)) != EC_OK || !got)
            break;
        char *tok[3];
        size_t ntok = ec_trace_split(r.buf, tok, 3);
        if (ntok == 0)
            continue;
        rc = other ? other(ctx, tok, ntok, path, r.line, d) : -1;
        if (rc == EC_OK)
            continue;
        if (rc > 0)
            break;
        double t, v;
        if (ntok != 2)
            rc = ec_diag_set(d, EC_ETRACE, path, r.line, "found %zu fields; expected %s",
                             ntok, expect);
        else
            rc = ec_trace_sample_add(s, tok[0], tok[1], scale, noun, unit, path, r.line,
                                     &t, &v, d);
        if (rc != EC_OK)
            break;
    }
    ec_trace_lines_free(&r);
    return rc;
}

const char *ec_trace_noun(ec_trace_quantity q)
{
    return q == EC_TRACE_RATE ? "rate" : "value";
}

/* Check the time t (token tok, may be NULL) against the previous sample. */
static int check_time(const ec_trace_samples *s, double t, const char *tok,
                      const char *path, long line, ec_diag *d)
{
    if (!isfinite(t) || fabs(t) > MAX_S) {
        if (tok)
            return ec_diag_set(d, EC_ETRACE, path, line,
                               "time '%s' out of range; expected a finite time "
                               "within +-%g s", tok, MAX_S);
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "time %g s out of range; expected at most %g s", t, MAX_S);
    }
    if (s->n == 0)
        return EC_OK;
    double prev = s->t_s[s->n - 1];
    if (t <= prev)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "time %.12g not after previous time %.12g; "
                           "expected strictly increasing times", t, prev);
    if (llround(t * 1e9) <= llround(prev * 1e9))
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "time %.12g within 1 ns of previous time %.12g; "
                           "expected times at least 1 ns apart", t, prev);
    return EC_OK;
}

int ec_trace_sample_add(ec_trace_samples *s, const char *tok_t, const char *tok_v,
                        double scale, const char *noun, const char *unit,
                        const char *path, long line, double *t_s, double *v,
                        ec_diag *d)
{
    double x;
    if (tok_t && ec_trace_parse_double(tok_t, t_s) != 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "time '%s' is not a number; expected a time in seconds",
                           tok_t);
    int rc = check_time(s, *t_s, tok_t, path, line, d);
    if (rc)
        return rc;
    if (ec_trace_parse_double(tok_v, &x) != 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "%s '%s' is not a number; expected a %s in %s", noun,
                           tok_v, noun, unit);
    if (!isfinite(x) || !isfinite(x * scale))
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "%s '%s' is not finite; expected a finite %s >= 0 in %s",
                           noun, tok_v, noun, unit);
    if (x < 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "%s %s is negative; expected a %s >= 0 in %s", noun,
                           tok_v, noun, unit);
    *v = x * scale;
    if (ec_trace_samples_push(s, *t_s, *v, line) != EC_OK)
        return ec_diag_set(d, EC_ENOMEM, path, line, "out of memory");
    return EC_OK;
}

int ec_trace_samples_build(const ec_trace_samples *s, int backward, double end_s,
                           ec_trace_end end, ec_trace **out, ec_diag *d)
{
    size_t n = backward ? s->n - 1 : s->n;
    *out = NULL;
    if (n == 0)
        return ec_diag_set(d, EC_ETRACE, NULL, 0, "no samples; expected at least one");
    int64_t *start = malloc(n * sizeof *start);
    double *value = malloc(n * sizeof *value);
    int rc;
    int64_t t0 = llround(s->t_s[0] * 1e9);
    if (!start || !value) {
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    } else {
        for (size_t i = 0; i < n; i++) {
            start[i] = llround(s->t_s[i] * 1e9) - t0;
            value[i] = s->v[backward ? i + 1 : i];
        }
        int64_t last = backward ? llround(s->t_s[s->n - 1] * 1e9) : llround(end_s * 1e9);
        rc = ec_trace_new(start, value, n, last - t0, end, out, d);
    }
    free(start);
    free(value);
    return rc;
}

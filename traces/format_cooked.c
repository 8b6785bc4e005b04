/* format_cooked: Pensieve's "cooked" throughput traces.
 *
 * One sample a line: "time_s<whitespace>Mbit/s" (tabs or spaces); blank
 * lines and lines starting with '#' are ignored.  Times strictly increase.
 * Rate i holds over (t[i-1], t[i]] (the convention of the Norway HSDPA
 * data), so with the origin shifted to t[0]:
 *   segment i-1 starts at t[i-1] - t[0] and has value rate[i] * 1e6 bps,
 *   for i = 1..n-1, and the length is t[n-1] - t[0].
 * rate[0] is read and checked but holds over no interval.  At least two
 * samples are needed.  Seconds become ns with llround(t * 1e9).
 */
#include "traces/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest |time| accepted, seconds: differences of two times in ns must
 * fit in int64. */
#define COOKED_MAX_S 4.6e9

typedef struct samples {
    int64_t *ns;    /* sample times, ns (not yet shifted) */
    double *mbps;   /* sample rates, Mbit/s */
    size_t n, cap;  /* used and allocated entries */
} samples;

static int push(samples *s, int64_t ns, double mbps)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        int64_t *a = realloc(s->ns, cap * sizeof *a);
        if (!a)
            return EC_ENOMEM;
        s->ns = a;
        double *b = realloc(s->mbps, cap * sizeof *b);
        if (!b)
            return EC_ENOMEM;
        s->mbps = b;
        s->cap = cap;
    }
    s->ns[s->n] = ns;
    s->mbps[s->n] = mbps;
    s->n++;
    return EC_OK;
}

static int match_cooked(char **tok, size_t ntok)
{
    double a, b;
    return ntok == 2 && ec_trace_parse_double(tok[0], &a) == 0
           && ec_trace_parse_double(tok[1], &b) == 0 && isfinite(a)
           && isfinite(b);
}

static int sniff_cooked(const char *head, size_t len)
{
    return ec_trace_sniff_lines(head, len, match_cooked);
}

/* Check one line's fields; on success append the sample. */
static int parse_line(samples *s, char **tok, size_t ntok, double *prev_s,
                      const char *path, long line, ec_diag *d)
{
    double time_s, mbps;
    if (ntok != 2)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "found %zu fields; expected 2 fields: time_s Mbit/s",
                           ntok);
    if (ec_trace_parse_double(tok[0], &time_s) != 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "time '%s' is not a number; expected a time in seconds",
                           tok[0]);
    if (!isfinite(time_s) || fabs(time_s) > COOKED_MAX_S)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "time '%s' out of range; expected a finite time "
                           "within +-%g s", tok[0], COOKED_MAX_S);
    if (ec_trace_parse_double(tok[1], &mbps) != 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "rate '%s' is not a number; expected a rate in Mbit/s",
                           tok[1]);
    if (!isfinite(mbps) || !isfinite(mbps * 1e6))
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "rate '%s' is not finite; expected a finite rate "
                           ">= 0 in Mbit/s", tok[1]);
    if (mbps < 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "rate %s is negative; expected a rate >= 0 in Mbit/s",
                           tok[1]);
    int64_t ns = llround(time_s * 1e9);
    if (s->n > 0) {
        if (time_s <= *prev_s)
            return ec_diag_set(d, EC_ETRACE, path, line,
                               "time %.12g not after previous time %.12g; "
                               "expected strictly increasing times",
                               time_s, *prev_s);
        if (ns <= s->ns[s->n - 1])
            return ec_diag_set(d, EC_ETRACE, path, line,
                               "time %.12g within 1 ns of previous time %.12g; "
                               "expected times at least 1 ns apart",
                               time_s, *prev_s);
    }
    *prev_s = time_s;
    if (push(s, ns, mbps) != EC_OK)
        return ec_diag_set(d, EC_ENOMEM, path, line, "out of memory");
    return EC_OK;
}

/* Build the trace from the samples (n >= 2). */
static int build(const samples *s, ec_trace_end end, ec_trace **out, ec_diag *d)
{
    size_t n = s->n - 1;
    int64_t *start = malloc(n * sizeof *start);
    double *value = malloc(n * sizeof *value);
    int rc;
    if (!start || !value) {
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    } else {
        for (size_t i = 1; i < s->n; i++) {
            start[i - 1] = s->ns[i - 1] - s->ns[0];
            value[i - 1] = s->mbps[i] * 1e6;
        }
        rc = ec_trace_new(start, value, n, s->ns[s->n - 1] - s->ns[0], end,
                          out, d);
    }
    free(start);
    free(value);
    return rc;
}

static int load_cooked(FILE *f, const char *path, ec_trace_end end,
                       ec_trace **out, ec_diag *d)
{
    ec_trace_lines r = {.f = f};
    samples s = {0};
    double prev_s = 0.0;
    long first_line = 0;
    int rc = EC_OK, got;
    *out = NULL;
    for (;;) {
        if ((rc = ec_trace_lines_read(&r, path, d, &got)) != EC_OK || !got)
            break;
        char *tok[3];
        size_t ntok = ec_trace_split(r.buf, tok, 3);
        if (ntok == 0)
            continue;
        if (s.n == 0)
            first_line = r.line;
        rc = parse_line(&s, tok, ntok, &prev_s, path, r.line, d);
        if (rc != EC_OK)
            break;
    }
    if (rc == EC_OK) {
        if (s.n == 0)
            rc = ec_diag_set(d, EC_ETRACE, path, 0,
                             "empty trace; expected at least 2 samples");
        else if (s.n == 1)
            rc = ec_diag_set(d, EC_ETRACE, path, first_line,
                             "only one sample; expected at least 2 samples");
        else
            rc = build(&s, end, out, d);
    }
    ec_trace_lines_free(&r);
    free(s.ns);
    free(s.mbps);
    return rc;
}

const ec_trace_format ec_trace_format_cooked = {
    .name = "cooked",
    .description = "Pensieve cooked: \"time_s Mbit/s\" per line, "
                   "rate i holds over (t[i-1], t[i]]",
    .sniff = sniff_cooked,
    .load = load_cooked,
};

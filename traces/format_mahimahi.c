/* format_mahimahi: Mahimahi packet-delivery traces.
 *
 * One non-negative integer millisecond timestamp per line, non-decreasing;
 * each line is one opportunity to deliver a 1500-byte packet at that ms
 * (repeated values: several packets in that ms).  Blank lines and lines
 * starting with '#' are ignored.
 *
 * The trace repeats with period L = the last timestamp (ms, must be > 0),
 * as mm-link does, so timestamp 0 is the same instant as L.  An
 * opportunity at ms m (1 <= m <= L) delivers during ((m-1) ms, m ms]: the
 * bin starting at (m-1) ms has rate count * 1500 * 8 bits / 1 ms
 * = count * 12e6 bps; opportunities at 0 count in the bin of L.
 * Consecutive bins of equal rate merge into one segment.
 */
#include "traces/format.h"

#include "sim/base/text.h"

#include <stdlib.h>
#include <string.h>

#define NS_PER_MS INT64_C(1000000)
#define BPS_PER_PACKET_PER_MS 12e6 /* 1500 bytes * 8 bits per 1 ms */
#define MAX_MS (INT64_MAX / NS_PER_MS)

typedef struct run {
    int64_t ms;    /* timestamp, ms, >= 1 */
    int64_t count; /* packets at that timestamp, >= 1 */
} run;

typedef struct runs {
    run *r;        /* distinct timestamps in increasing order */
    size_t n, cap; /* used and allocated entries */
} runs;

/* Count one packet at ms (>= 1, not before the last run). */
static int add_packet(runs *rs, int64_t ms)
{
    if (rs->n > 0 && rs->r[rs->n - 1].ms == ms) {
        rs->r[rs->n - 1].count++;
        return EC_OK;
    }
    if (ec_grow(&rs->r, &rs->cap, rs->n + 1, sizeof *rs->r))
        return EC_ENOMEM;
    rs->r[rs->n++] = (run){.ms = ms, .count = 1};
    return EC_OK;
}

static int match_mahimahi(char **tok, size_t ntok)
{
    int64_t v;
    return ntok == 1 && ec_trace_parse_int64(tok[0], &v) == 0 && v >= 0;
}

static int sniff_mahimahi(const char *head, size_t len)
{
    return ec_trace_sniff_lines(head, len, match_mahimahi);
}

/* Check one line's timestamp against the previous one (*prev, -1 if none). */
static int parse_line(char **tok, size_t ntok, int64_t *prev, int64_t *ms,
                      const char *path, long line, ec_diag *d)
{
    static const char *expect =
        "expected one non-negative integer millisecond timestamp per line";
    if (ntok != 1)
        return ec_diag_set(d, EC_ETRACE, path, line, "found %zu fields; %s",
                           ntok, expect);
    if (ec_trace_parse_int64(tok[0], ms) != 0) {
        const char *digits = tok[0] + (tok[0][0] == '-' || tok[0][0] == '+');
        if (*digits && digits[strspn(digits, "0123456789")] == '\0') /* too many digits */
            return ec_diag_set(d, EC_ETRACE, path, line,
                               "timestamp %s out of range; expected at most %lld ms", tok[0],
                               (long long)MAX_MS);
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "'%s' is not an integer; %s", tok[0], expect);
    }
    if (*ms < 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "timestamp %lld is negative; %s", (long long)*ms,
                           expect);
    if (*ms > MAX_MS)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "timestamp %lld out of range; expected at most %lld ms",
                           (long long)*ms, (long long)MAX_MS);
    if (*ms < *prev)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "timestamp %lld before previous timestamp %lld; "
                           "expected non-decreasing timestamps",
                           (long long)*ms, (long long)*prev);
    *prev = *ms;
    return EC_OK;
}

/* Turn the per-ms counts (zeros: packets at timestamp 0) into merged
 * segments; rs->n >= 1 and the last run is at L > 0. */
static int build(runs *rs, int64_t zeros, ec_trace_end end, ec_trace **out,
                 ec_diag *d)
{
    rs->r[rs->n - 1].count += zeros; /* 0 is the same instant as L */
    size_t cap = 2 * rs->n + 1, n = 0;
    int64_t *start = malloc(cap * sizeof *start);
    double *value = malloc(cap * sizeof *value);
    int rc = EC_OK;
    if (!start || !value) {
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    int64_t cursor_ms = 0; /* end of the bins covered so far */
    for (size_t i = 0; i < rs->n; i++) {
        const run *r = &rs->r[i];
        if (r->ms - 1 > cursor_ms && (n == 0 || value[n - 1] != 0)) {
            start[n] = cursor_ms * NS_PER_MS; /* idle gap */
            value[n++] = 0.0;
        }
        double bps = (double)r->count * BPS_PER_PACKET_PER_MS;
        if (n == 0 || value[n - 1] != bps) {
            start[n] = (r->ms - 1) * NS_PER_MS;
            value[n++] = bps;
        }
        cursor_ms = r->ms;
    }
    rc = ec_trace_new(start, value, n, cursor_ms * NS_PER_MS, end, out, d);
done:
    free(start);
    free(value);
    return rc;
}

static int load_mahimahi(FILE *f, const char *path, const ec_trace_opts *o,
                         double scale, ec_trace **out, ec_diag *d)
{
    ec_trace_end end = o->end;
    (void)scale;
    ec_trace_lines r = {.f = f};
    runs rs = {0};
    int64_t prev = -1, zeros = 0;
    long last_line = 0;
    int rc = EC_OK, got;
    *out = NULL;
    for (;;) {
        if ((rc = ec_trace_lines_read(&r, path, d, &got)) != EC_OK || !got)
            break;
        char *tok[2];
        size_t ntok = ec_trace_split(r.buf, tok, 2);
        if (ntok == 0)
            continue;
        int64_t ms;
        rc = parse_line(tok, ntok, &prev, &ms, path, r.line, d);
        if (rc != EC_OK)
            break;
        last_line = r.line;
        if (ms == 0) {
            zeros++;
        } else if (add_packet(&rs, ms) != EC_OK) {
            rc = ec_diag_set(d, EC_ENOMEM, path, r.line, "out of memory");
            break;
        }
    }
    if (rc == EC_OK) {
        if (prev < 0)
            rc = ec_diag_set(d, EC_ETRACE, path, 0,
                             "empty trace; expected at least one timestamp");
        else if (rs.n == 0)
            rc = ec_diag_set(d, EC_ETRACE, path, last_line,
                             "last timestamp is 0; expected a positive last "
                             "timestamp (the loop period in ms)");
        else
            rc = build(&rs, zeros, end, out, d);
    }
    ec_trace_lines_free(&r);
    free(rs.r);
    return rc;
}

const ec_trace_format ec_trace_format_mahimahi = {
    .name = "mahimahi",
    .description = "Mahimahi: one ms timestamp per 1500-byte delivery "
                   "opportunity, loops with period = last timestamp",
    .rate_unit = NULL,
    .sniff = sniff_mahimahi,
    .load = load_mahimahi,
};

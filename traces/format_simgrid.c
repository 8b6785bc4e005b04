/* format_simgrid: SimGrid profiles (a link's bandwidth_file, a host's
 * speed_file).
 *
 * Lines "time_s value" (spaces or tabs); blank lines and '#' comments are
 * ignored.  One optional line "LOOPAFTER d" (SimGrid's older spelling
 * "PERIODICITY d" is read the same) makes the profile periodic: after the
 * last event the profile waits d seconds (d >= 0) and starts again at the
 * first.  Value i holds over [t[i], t[i+1]) (an event sets the value), so:
 *   with LOOPAFTER d: the period is t[n-1] - t[0] + d; if d == 0 the last
 *     event's value holds over no interval (it is read and checked);
 *   without: the last value lasts as long as the gap before it (a file of
 *     one sample lasts 1 s); with PREFIX.end = hold this is exactly SimGrid's
 *     meaning (the last value forever).
 * Times strictly increase and are shifted so the first reads as 0.  Values
 * of a bandwidth_file are bytes per second (SimGrid's unit), so a rate
 * trace defaults to unit B/s.  Detected only with a LOOPAFTER/PERIODICITY
 * line (otherwise the lines read as cooked): set the format explicitly.
 */
#include "traces/format.h"

#include <math.h>
#include <string.h>

static int is_loop_keyword(const char *tok)
{
    return strcmp(tok, "LOOPAFTER") == 0 || strcmp(tok, "PERIODICITY") == 0;
}

static int match_loop(char **tok, size_t ntok)
{
    return ntok >= 1 && is_loop_keyword(tok[0]);
}

static int sniff_simgrid(const char *head, size_t len)
{
    return ec_trace_sniff_lines(head, len, match_loop) > 0 ? 95 : 0;
}

/* Parse a LOOPAFTER line into *loop_s (>= 0), once per file. */
static int parse_loop(char **tok, size_t ntok, double *loop_s, const char *path,
                      long line, ec_diag *d)
{
    if (*loop_s >= 0)
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "second %s line; expected at most one", tok[0]);
    if (ntok != 2 || ec_trace_parse_double(tok[1], loop_s) != 0
        || !isfinite(*loop_s) || *loop_s < 0 || *loop_s > 4.6e9) {
        *loop_s = -1;
        return ec_diag_set(d, EC_ETRACE, path, line,
                           "bad %s line; expected '%s SECONDS' with a finite "
                           "delay >= 0", tok[0], tok[0]);
    }
    return EC_OK;
}

static int load_simgrid(FILE *f, const char *path, const ec_trace_opts *o,
                        double scale, ec_trace **out, ec_diag *d)
{
    ec_trace_lines r = {.f = f};
    ec_trace_samples s = {0};
    const char *noun = ec_trace_noun(o->quantity);
    const char *unit = o->unit && *o->unit ? o->unit
                       : o->quantity == EC_TRACE_RATE ? "B/s" : "1";
    double loop_s = -1;
    int rc = EC_OK, got;
    *out = NULL;
    for (;;) {
        if ((rc = ec_trace_lines_read(&r, path, d, &got)) != EC_OK || !got)
            break;
        char *tok[3];
        size_t ntok = ec_trace_split(r.buf, tok, 3);
        if (ntok == 0)
            continue;
        if (is_loop_keyword(tok[0])) {
            if ((rc = parse_loop(tok, ntok, &loop_s, path, r.line, d)))
                break;
            continue;
        }
        if (ntok != 2) {
            rc = ec_diag_set(d, EC_ETRACE, path, r.line,
                             "found %zu fields; expected 'time_s %s' or "
                             "'LOOPAFTER SECONDS'", ntok, noun);
            break;
        }
        double t, v;
        rc = ec_trace_sample_add(&s, tok[0], tok[1], scale, noun, unit, path, r.line,
                                 &t, &v, d);
        if (rc != EC_OK)
            break;
    }
    if (rc == EC_OK && s.n == 0)
        rc = ec_diag_set(d, EC_ETRACE, path, 0,
                         "empty trace; expected at least one 'time_s %s' line", noun);
    if (rc == EC_OK) {
        double last = s.t_s[s.n - 1], end_s;
        if (loop_s > 0)
            end_s = last + loop_s;
        else if (loop_s == 0 && s.n >= 2)
            end_s = last; /* the last event only closes the period */
        else if (loop_s == 0)
            end_s = last + 1; /* nothing to loop over: treat as 1 s */
        else
            end_s = s.n >= 2 ? last + (last - s.t_s[s.n - 2]) : last + 1;
        if (loop_s == 0 && s.n >= 2)
            s.n--; /* the closing event's value holds over no interval */
        rc = ec_trace_samples_build(&s, 0, end_s, o->end, out, d);
    }
    ec_trace_lines_free(&r);
    ec_trace_samples_free(&s);
    return rc;
}

const ec_trace_format ec_trace_format_simgrid = {
    .name = "simgrid",
    .description = "SimGrid profile (bandwidth_file): \"time_s value\" lines "
                   "(B/s for rates), optional LOOPAFTER d; value i holds over "
                   "[t[i], t[i+1])",
    .rate_unit = "B/s",
    .sniff = sniff_simgrid,
    .load = load_simgrid,
};

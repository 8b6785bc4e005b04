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

/* ec_trace_read_pairs hook: a LOOPAFTER line sets *(double *)ctx (>= 0),
 * once per file; other lines are not ours (-1). */
static int parse_loop(void *ctx, char **tok, size_t ntok, const char *path, long line,
                      ec_diag *d)
{
    double *loop_s = ctx;
    if (!is_loop_keyword(tok[0]))
        return -1;
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

/* The end of the period (see the top of this file); s->n >= 1. */
static double period_end(ec_trace_samples *s, double loop_s)
{
    double last = s->t_s[s->n - 1];
    if (loop_s > 0)
        return last + loop_s;
    if (loop_s == 0 && s->n >= 2) {
        s->n--; /* the closing event's value holds over no interval */
        return last;
    }
    if (s->n >= 2 && loop_s < 0)
        return last + (last - s->t_s[s->n - 2]);
    return last + 1;
}

static int load_simgrid(FILE *f, const char *path, const ec_trace_opts *o,
                        double scale, ec_trace **out, ec_diag *d)
{
    ec_trace_samples s = {0};
    const char *noun = ec_trace_noun(o->quantity);
    char expect[80];
    double loop_s = -1;
    snprintf(expect, sizeof expect, "'time_s %s' or 'LOOPAFTER SECONDS'", noun);
    *out = NULL;
    int rc = ec_trace_read_pairs(f, path, o, scale, ec_trace_unit_name(o, "B/s"), expect,
                                 parse_loop, &loop_s, &s, d);
    if (rc == EC_OK && s.n == 0)
        rc = ec_diag_set(d, EC_ETRACE, path, 0,
                         "empty trace; expected at least one 'time_s %s' line", noun);
    if (rc == EC_OK) {
        double end_s = period_end(&s, loop_s);
        rc = ec_trace_samples_build(&s, 0, end_s, o->end, out, d);
    }
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

/* format_cooked: Pensieve's "cooked" throughput traces.
 *
 * One sample a line: "time_s<whitespace>value" (tabs or spaces); blank
 * lines and lines starting with '#' are ignored.  Times strictly increase.
 * The value is a rate in Mbit/s by default (any unit of ec_trace_units may
 * be given), or a plain number for factor and probability traces.
 * Value i holds over (t[i-1], t[i]] (the convention of the Norway HSDPA
 * data), so with the origin shifted to t[0]:
 *   segment i-1 starts at t[i-1] - t[0] and has value v[i],
 *   for i = 1..n-1, and the length is t[n-1] - t[0].
 * v[0] is read and checked but holds over no interval.  At least two
 * samples are needed.  Seconds become ns with llround(t * 1e9).
 */
#include "traces/format.h"

#include <math.h>

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

static int load_cooked(FILE *f, const char *path, const ec_trace_opts *o,
                       double scale, ec_trace **out, ec_diag *d)
{
    ec_trace_samples s = {0};
    char expect[64];
    snprintf(expect, sizeof expect, "2 fields: time_s %s", ec_trace_noun(o->quantity));
    *out = NULL;
    int rc = ec_trace_read_pairs(f, path, o, scale, ec_trace_unit_name(o, "Mbps"), expect,
                                 NULL, NULL, &s, d);
    if (rc == EC_OK) {
        if (s.n == 0)
            rc = ec_diag_set(d, EC_ETRACE, path, 0,
                             "empty trace; expected at least 2 samples");
        else if (s.n == 1)
            rc = ec_diag_set(d, EC_ETRACE, path, s.line[0],
                             "only one sample; expected at least 2 samples");
        else
            rc = ec_trace_samples_build(&s, 1, 0, o->end, out, d);
    }
    ec_trace_samples_free(&s);
    return rc;
}

const ec_trace_format ec_trace_format_cooked = {
    .name = "cooked",
    .description = "Pensieve cooked: \"time_s value\" per line (Mbit/s for rates), "
                   "value i holds over (t[i-1], t[i]]",
    .rate_unit = "Mbps",
    .sniff = sniff_cooked,
    .load = load_cooked,
};

/* format_csv: comma-separated values with a header line (RFC 4180, quoted
 * fields allowed; parsed with libcsv).
 *
 * The first line that is not blank and not a '#' comment is the header;
 * its delimiter (',', ';' or tab, whichever it holds most of) is used for
 * the whole file.  Blank and '#' lines are skipped everywhere.  The value
 * column is opts->column: a header name (exact, else case-insensitive) or a
 * 1-based index; NULL picks the only column besides the time column.
 * Times:
 *   opts->interval_s > 0: no time column; row k (0-based) holds over
 *     [k * interval, (k+1) * interval) (datasets with one row per second);
 *   else the column named time_s, time, t, timestamp or seconds
 *     (case-insensitive) gives each row's time in seconds, strictly
 *     increasing; row i holds over [t[i], t[i+1]) and the last row as long
 *     as the gap before it; times are shifted so the first reads as 0.
 * Values are in opts->unit (rates default to Mbps).  Rows must have the
 * columns used; extra columns are ignored.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r, strcasecmp */
#include "traces/format.h"

#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 4096 /* columns per row kept (more is an error) */

typedef struct csv_state {
    const char *path;        /* for messages */
    const ec_trace_opts *o;  /* options */
    double scale;            /* file value -> stored value */
    const char *unit;        /* unit name for messages */
    ec_diag *d;
    int rc;                  /* first error, EC_OK if none */
    long line;               /* current line */
    char **field;            /* fields of the current row (copies) */
    size_t nf, cap;          /* fields in the row, allocated slots */
    char **header;           /* header names, NULL until read */
    size_t nh;               /* number of header names */
    long vcol, tcol;         /* value and time column (0-based), tcol -1: none */
    ec_trace_samples s;      /* rows read */
} csv_state;

static void clear_row(csv_state *st)
{
    for (size_t i = 0; i < st->nf; i++)
        free(st->field[i]);
    st->nf = 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
    csv_state *st = ctx;
    if (st->rc)
        return;
    if (st->nf == MAX_FIELDS) {
        st->rc = ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                             "more than %d columns; expected fewer", MAX_FIELDS);
        return;
    }
    if (ec_grow(&st->field, &st->cap, st->nf + 1, sizeof *st->field)) {
        st->rc = ec_diag_set(st->d, EC_ENOMEM, st->path, st->line, "out of memory");
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        st->rc = ec_diag_set(st->d, EC_ENOMEM, st->path, st->line, "out of memory");
        return;
    }
    memcpy(copy, data ? data : "", len);
    copy[len] = '\0';
    st->field[st->nf++] = copy;
}

/* The UTF-8 byte-order mark some spreadsheets put before the header. */
#define UTF8_BOM "\xef\xbb\xbf"

/* "a, b, c": the header names, for messages. */
static void header_list(const csv_state *st, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < st->nh && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s'%s'", i ? ", " : "", st->header[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* Index of the header named name (exact, else case-insensitive), or -1. */
static long find_header(const csv_state *st, const char *name)
{
    for (size_t i = 0; i < st->nh; i++)
        if (strcmp(st->header[i], name) == 0)
            return (long)i;
    for (size_t i = 0; i < st->nh; i++)
        if (strcasecmp(st->header[i], name) == 0)
            return (long)i;
    return -1;
}

static long find_time_column(const csv_state *st)
{
    static const char *const names[] = {"time_s", "time", "t", "timestamp", "seconds", NULL};
    for (size_t k = 0; names[k]; k++) {
        long i = find_header(st, names[k]);
        if (i >= 0)
            return i;
    }
    return -1;
}

/* Resolve the time and value columns once the header is known. */
static int resolve_columns(csv_state *st)
{
    char names[512];
    header_list(st, names, sizeof names);
    st->tcol = -1;
    if (st->o->interval_s <= 0) {
        st->tcol = find_time_column(st);
        if (st->tcol < 0)
            return ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                               "no time column (time_s, time, t, timestamp or "
                               "seconds) among %s; expected one, or set interval_s "
                               "for rows at a fixed interval", names);
    }
    const char *c = st->o->column;
    if (c && *c) {
        char *end;
        long idx = strtol(c, &end, 10);
        if (*end == '\0' && end != c) {
            if (idx < 1 || (size_t)idx > st->nh)
                return ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                                   "column %ld does not exist; expected 1..%zu (%s)",
                                   idx, st->nh, names);
            st->vcol = idx - 1;
        } else if ((st->vcol = find_header(st, c)) < 0) {
            ec_suggest sg = EC_SUGGEST_INIT(c);
            for (size_t i = 0; i < st->nh; i++)
                ec_suggest_add(&sg, st->header[i]);
            char hint[128];
            return ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                               "column '%s' does not exist; expected one of %s%s", c, names,
                               ec_suggest_hint(&sg, hint, sizeof hint));
        }
        return EC_OK;
    }
    size_t others = st->nh - (st->tcol >= 0);
    if (others != 1)
        return ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                           "%zu candidate value columns (%s); expected a column "
                           "chosen by name or index (PREFIX.column, --column)",
                           others, names);
    st->vcol = st->tcol == 0 ? 1 : 0;
    return EC_OK;
}

static void on_row(int c, void *ctx)
{
    csv_state *st = ctx;
    (void)c;
    if (st->rc) {
        clear_row(st);
        return;
    }
    if (!st->header) { /* take the row's strings as the header */
        if (st->nf > 0 && strncmp(st->field[0], UTF8_BOM, 3) == 0) /* spreadsheet export */
            memmove(st->field[0], st->field[0] + 3, strlen(st->field[0] + 3) + 1);
        st->header = st->field;
        st->nh = st->nf;
        st->field = NULL;
        st->nf = st->cap = 0;
        st->rc = resolve_columns(st);
        return;
    }
    size_t need = (size_t)(st->vcol > st->tcol ? st->vcol : st->tcol) + 1;
    if (st->nf < need) {
        st->rc = ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                             "found %zu fields; expected at least %zu (the header has %zu)",
                             st->nf, need, st->nh);
    } else {
        double t = st->o->interval_s * (double)st->s.n, v;
        if (st->tcol >= 0 && ec_trace_parse_double(st->field[st->tcol], &v) != 0) {
            /* a date or clock time: the rows' spacing must be given */
            st->rc = ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                                 "time '%s' is not a number; expected a time in seconds, or, "
                                 "for a column of dates or clock times, the rows' spacing "
                                 "(PREFIX.interval_s = SECONDS in a config, --interval S for "
                                 "trace info) with the value column (PREFIX.column)",
                                 st->field[st->tcol]);
            clear_row(st);
            return;
        }
        st->rc = ec_trace_sample_add(&st->s, st->tcol >= 0 ? st->field[st->tcol] : NULL,
                                     st->field[st->vcol], st->scale,
                                     ec_trace_noun(st->o->quantity), st->unit,
                                     st->path, st->line, &t, &v, st->d);
    }
    clear_row(st);
}

/* The delimiter of a header line: the most frequent of , ; and tab. */
static unsigned char pick_delim(const char *line)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted)
            comma += *p == ',', semi += *p == ';', tab += *p == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    return tab > comma ? '\t' : ',';
}

static int is_skipped(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == '\0' || *line == '#';
}

/* Build the trace from the rows read. */
static int finish(csv_state *st, ec_trace **out)
{
    const ec_trace_samples *s = &st->s;
    if (!st->header)
        return ec_diag_set(st->d, EC_ETRACE, st->path, 0,
                           "empty trace; expected a header line and rows");
    if (s->n == 0)
        return ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                           "no rows after the header; expected at least one");
    double end_s;
    if (st->tcol < 0)
        end_s = st->o->interval_s * (double)s->n;
    else if (s->n >= 2)
        end_s = 2 * s->t_s[s->n - 1] - s->t_s[s->n - 2];
    else
        return ec_diag_set(st->d, EC_ETRACE, st->path, s->line[0],
                           "only one row with a time column; expected at least 2 "
                           "rows, or interval_s");
    return ec_trace_samples_build(s, 0, end_s, st->o->end, out, st->d);
}

/* Feed the file to libcsv line by line, so errors know their line. */
static int feed(FILE *f, csv_state *st)
{
    ec_trace_lines r = {.f = f};
    struct csv_parser p;
    int rc = EC_OK, got, started = 0;
    if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
        return ec_diag_set(st->d, EC_ENOMEM, st->path, 0, "out of memory");
    while (!st->rc) {
        if ((rc = ec_trace_lines_read(&r, st->path, st->d, &got)) != EC_OK || !got)
            break;
        if (is_skipped(r.buf))
            continue;
        if (!started) {
            csv_set_delim(&p, pick_delim(r.buf));
            started = 1;
        }
        st->line = r.line;
        size_t len = strlen(r.buf);
        r.buf[len] = '\n'; /* the reader keeps room for it */
        if (csv_parse(&p, r.buf, len + 1, on_field, on_row, st) != len + 1 && !st->rc)
            st->rc = ec_diag_set(st->d, EC_ETRACE, st->path, r.line, "%s; expected "
                                 "RFC 4180 CSV", csv_strerror(csv_error(&p)));
    }
    if (rc == EC_OK && !st->rc && csv_fini(&p, on_field, on_row, st) != 0)
        st->rc = ec_diag_set(st->d, EC_ETRACE, st->path, st->line,
                             "unterminated quoted field; expected a closing '\"'");
    csv_free(&p);
    ec_trace_lines_free(&r);
    return rc ? rc : st->rc;
}

static int load_csv(FILE *f, const char *path, const ec_trace_opts *o, double scale,
                    ec_trace **out, ec_diag *d)
{
    csv_state st = {.path = path, .o = o, .scale = scale, .d = d, .tcol = -1};
    st.unit = ec_trace_unit_name(o, "Mbps");
    *out = NULL;
    int rc = feed(f, &st);
    if (rc == EC_OK)
        rc = finish(&st, out);
    clear_row(&st);
    free(st.field);
    for (size_t i = 0; i < st.nh; i++)
        free(st.header[i]);
    free(st.header);
    ec_trace_samples_free(&st.s);
    return rc;
}

/* Delimiters outside quotes in line. */
static size_t count_delim(const char *line, unsigned char delim)
{
    size_t n = 0;
    int quoted = 0;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && (unsigned char)*p == delim)
            n++;
    }
    return n;
}

/* A header: a first content line with a delimiter and a field that is not
 * a number, and (if there is one) a next content line with as many
 * delimiters. */
static int sniff_csv(const char *head, size_t len)
{
    char line[2][1024];
    int got = 0;
    size_t pos = 0;
    while (pos < len && got < 2) {
        size_t start = pos;
        while (pos < len && head[pos] != '\n')
            pos++;
        size_t n = pos - start;
        pos++;
        if (n >= sizeof line[0] || memchr(head + start, '\0', n))
            return 0;
        if (got == 0 && n >= 3 && memcmp(head + start, UTF8_BOM, 3) == 0) {
            start += 3; /* a spreadsheet's byte-order mark */
            n -= 3;
        }
        memcpy(line[got], head + start, n);
        line[got][n] = '\0';
        if (n > 0 && line[got][n - 1] == '\r')
            line[got][n - 1] = '\0';
        if (!is_skipped(line[got]))
            got++;
    }
    if (got < 1)
        return 0;
    unsigned char delim = pick_delim(line[0]);
    size_t nd = count_delim(line[0], delim);
    if (nd == 0 || (got == 2 && count_delim(line[1], delim) != nd))
        return 0;
    char *save, sep[2] = {(char)delim, '\0'};
    for (char *tok = strtok_r(line[0], sep, &save); tok; tok = strtok_r(NULL, sep, &save)) {
        double x;
        while (*tok == ' ' || *tok == '"')
            tok++;
        if (*tok && ec_trace_parse_double(tok, &x) != 0)
            return 95;
    }
    return 0;
}

const ec_trace_format ec_trace_format_csv = {
    .name = "csv",
    .description = "CSV with a header line: a value column by name or index "
                   "(Mbps for rates), a time column (s) or interval_s",
    .rate_unit = "Mbps",
    .sniff = sniff_csv,
    .load = load_csv,
};

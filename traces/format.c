/* format: registry, auto-detection, ec_trace_load() and the parsing helpers
 * shared by the format implementations (see format.h). */
#include "traces/format.h"

#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const ec_trace_format *const ec_trace_formats[] = {
    &ec_trace_format_cooked,
    &ec_trace_format_mahimahi,
    &ec_trace_format_simgrid,
    &ec_trace_format_csv,
    NULL,
};

const ec_trace_format *ec_trace_format_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; ec_trace_formats[i]; i++)
        if (strcmp(ec_trace_formats[i]->name, name) == 0)
            return ec_trace_formats[i];
    return NULL;
}

const ec_trace_format *ec_trace_format_detect(const char *head, size_t len)
{
    const ec_trace_format *best = NULL;
    int best_score = EC_TRACE_SNIFF_MIN - 1;
    for (size_t i = 0; ec_trace_formats[i]; i++) {
        int score = ec_trace_formats[i]->sniff(head, len);
        if (score > best_score) {
            best = ec_trace_formats[i];
            best_score = score;
        }
    }
    return best;
}

void ec_trace_format_names(char *buf, size_t size, const char *sep)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; ec_trace_formats[i] && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? sep : "",
                         ec_trace_formats[i]->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int match_any(char **tok, size_t ntok)
{
    (void)tok;
    return ntok > 0;
}

/* Read f's head, pick its format and rewind f. */
static int detect_file(FILE *f, const char *path, const ec_trace_format **fmt,
                       ec_diag *d)
{
    char head[EC_TRACE_SNIFF_BYTES];
    size_t len = fread(head, 1, sizeof head, f);
    if (ferror(f))
        return ec_diag_set(d, EC_EIO, path, 0, "read error: %s", strerror(errno));
    if (len == sizeof head) { /* more may follow: drop the partial last line */
        size_t cut = len;
        while (cut > 0 && head[cut - 1] != '\n')
            cut--;
        if (cut > 0)
            len = cut;
    }
    if (ec_trace_sniff_lines(head, len, match_any) == 0)
        return ec_diag_set(d, EC_ETRACE, path, 0,
                           "empty trace; expected at least 2 samples");
    *fmt = ec_trace_format_detect(head, len);
    if (!*fmt) {
        char names[128];
        ec_trace_format_names(names, sizeof names, ", ");
        return ec_diag_set(d, EC_ETRACE, path, 0,
                           "cannot detect trace format; expected one of %s "
                           "(or set PREFIX.format, --format)",
                           names);
    }
    if (fseek(f, 0, SEEK_SET) != 0)
        return ec_diag_set(d, EC_EIO, path, 0, "cannot rewind: %s",
                           strerror(errno));
    return EC_OK;
}

void ec_trace_opts_init(ec_trace_opts *opts)
{
    *opts = (ec_trace_opts){.format = "auto", .quantity = EC_TRACE_RATE,
                            .end = EC_TRACE_LOOP};
}

const char *ec_trace_format_hint(const char *name, char *buf, size_t n)
{
    ec_suggest sg = EC_SUGGEST_INIT(name);
    ec_suggest_add(&sg, "auto");
    for (size_t i = 0; ec_trace_formats[i]; i++)
        ec_suggest_add(&sg, ec_trace_formats[i]->name);
    return ec_suggest_hint(&sg, buf, n);
}

/* The format named name, or EC_ENOTFOUND with the list of names. */
static int find_named(const char *name, const char *path,
                      const ec_trace_format **fmt, ec_diag *d)
{
    *fmt = ec_trace_format_find(name);
    if (*fmt)
        return EC_OK;
    char names[128], hint[128];
    ec_trace_format_names(names, sizeof names, ", ");
    return ec_diag_set(d, EC_ENOTFOUND, path, 0, "unknown trace format '%s'; expected auto, %s%s",
                       name, names, ec_trace_format_hint(name, hint, sizeof hint));
}

static int is_auto(const char *format)
{
    return !format || strcmp(format, "auto") == 0;
}

/* Pick f's format (named or detected; f rewound). */
static int pick(FILE *f, const char *path, const char *format,
                const ec_trace_format **fmt, ec_diag *d)
{
    if (!is_auto(format))
        return find_named(format, path, fmt, d);
    return detect_file(f, path, fmt, d);
}

/* Open a trace file for reading; a directory or a missing file is an input
 * error (EC_ENOTFOUND) naming the path. */
static int open_trace(const char *path, FILE **f, ec_diag *d)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "is a directory; expected a trace file");
    if (!(*f = fopen(path, "r")))
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "cannot open: %s", strerror(errno));
    return EC_OK;
}

int ec_trace_format_of(const char *path, const char *opts_format,
                       const ec_trace_format **fmt, ec_diag *d)
{
    *fmt = NULL;
    if (!is_auto(opts_format))
        return find_named(opts_format, path, fmt, d);
    FILE *f;
    int rc = open_trace(path, &f, d);
    if (rc)
        return rc;
    rc = detect_file(f, path, fmt, d);
    fclose(f);
    return rc;
}

int ec_trace_load_opts(const char *path, const ec_trace_opts *opts,
                       ec_trace **out, ec_diag *d)
{
    *out = NULL;
    const ec_trace_format *fmt = NULL;
    int rc;
    if (!is_auto(opts->format) && (rc = find_named(opts->format, path, &fmt, d)))
        return rc;
    FILE *f;
    if ((rc = open_trace(path, &f, d)))
        return rc;
    double scale = 1;
    rc = pick(f, path, opts->format, &fmt, d);
    if (rc == EC_OK && !fmt->rate_unit) {
        if (opts->quantity != EC_TRACE_RATE)
            rc = ec_diag_set(d, EC_ETRACE, path, 0, "a %s trace is a link capacity; "
                             "expected a cooked, simgrid or csv trace for a plain "
                             "number", fmt->name);
        else if (opts->unit && *opts->unit)
            rc = ec_diag_set(d, EC_ETRACE, path, 0, "a %s trace takes no unit "
                             "(got '%s'); expected no unit", fmt->name, opts->unit);
    } else if (rc == EC_OK) {
        rc = ec_trace_unit_scale(opts, fmt->rate_unit, path, &scale, d);
    }
    if (rc == EC_OK)
        rc = fmt->load(f, path, opts, scale, out, d);
    fclose(f);
    return rc;
}

int ec_trace_load(const char *path, const char *format, ec_trace_end end,
                  ec_trace **out, ec_diag *d)
{
    ec_trace_opts o;
    ec_trace_opts_init(&o);
    o.format = format;
    o.end = end;
    return ec_trace_load_opts(path, &o, out, d);
}

/* --- units ------------------------------------------------------------- */

const ec_trace_unit ec_trace_units[] = {
    { "bps", EC_TRACE_RATE, 1 },      { "kbps", EC_TRACE_RATE, 1e3 },
    { "Mbps", EC_TRACE_RATE, 1e6 },   { "Gbps", EC_TRACE_RATE, 1e9 },
    { "B/s", EC_TRACE_RATE, 8 },      { "kB/s", EC_TRACE_RATE, 8e3 },
    { "MB/s", EC_TRACE_RATE, 8e6 },   { "1", EC_TRACE_NUMBER, 1 },
    { NULL, EC_TRACE_RATE, 0 },
};

const ec_trace_unit *ec_trace_unit_find(const char *name)
{
    if (!name)
        return NULL;
    for (const ec_trace_unit *u = ec_trace_units; u->name; u++)
        if (strcmp(u->name, name) == 0)
            return u;
    return NULL;
}

/* "bps, kbps, ..." for the units of quantity q. */
static void unit_names(ec_trace_quantity q, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const ec_trace_unit *u = ec_trace_units; u->name && used < size; u++) {
        if (u->quantity != q)
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", u->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int ec_trace_unit_scale(const ec_trace_opts *opts, const char *fmt_rate_unit,
                        const char *path, double *scale, ec_diag *d)
{
    const char *name = opts->unit && *opts->unit ? opts->unit
                       : opts->quantity == EC_TRACE_RATE ? fmt_rate_unit : "1";
    const ec_trace_unit *u = ec_trace_unit_find(name);
    char names[96];
    unit_names(opts->quantity, names, sizeof names);
    if (!u)
        return ec_diag_set(d, EC_ETRACE, path, 0, "unknown unit '%s'; expected %s",
                           name, names);
    if (u->quantity != opts->quantity)
        return ec_diag_set(d, EC_ETRACE, path, 0, "unit '%s' does not fit a %s trace; "
                           "expected %s", name,
                           opts->quantity == EC_TRACE_RATE ? "rate" : "plain-number",
                           names);
    *scale = u->scale;
    return EC_OK;
}

const char *ec_trace_display_unit(ec_trace_quantity q, double *scale)
{
    *scale = q == EC_TRACE_RATE ? 1e6 : 1;
    return q == EC_TRACE_RATE ? "Mbit/s" : "";
}

/* --- helpers ----------------------------------------------------------- */

int ec_trace_lines_next(ec_trace_lines *r, int *got)
{
    size_t len = 0;
    int c;
    *got = 0;
    while ((c = getc(r->f)) != EOF) {
        if (len + 2 > r->cap && ec_grow(&r->buf, &r->cap, len + 2, 1))
            return EC_ENOMEM; /* the test first: no call per byte */
        if (c == '\n')
            break;
        r->buf[len++] = c == '\0' ? '?' : (char)c; /* NUL: make it unparsable */
    }
    if (c == EOF) {
        if (ferror(r->f)) {
            r->err = errno;
            return EC_EIO;
        }
        if (len == 0)
            return EC_OK;
    }
    if (len > 0 && r->buf[len - 1] == '\r')
        len--;
    r->buf[len] = '\0';
    r->line++;
    *got = 1;
    return EC_OK;
}

int ec_trace_lines_read(ec_trace_lines *r, const char *path, ec_diag *d, int *got)
{
    int rc = ec_trace_lines_next(r, got);
    if (rc == EC_EIO)
        return ec_diag_set(d, rc, path, 0, "read error: %s", strerror(r->err));
    if (rc)
        return ec_diag_set(d, rc, path, 0, "out of memory");
    return EC_OK;
}

void ec_trace_lines_free(ec_trace_lines *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

size_t ec_trace_split(char *line, char **tok, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p && is_blank(*p))
            p++;
        if (!*p)
            break;
        if (n == 0 && *p == '#')
            return 0;
        if (n < max)
            tok[n] = p;
        n++;
        while (*p && !is_blank(*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

int ec_trace_parse_double(const char *tok, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(tok, &end);
    if (end == tok || *end != '\0')
        return -1;
    *out = v; /* overflow gives +-inf, which callers reject as not finite */
    return 0;
}

int ec_trace_parse_int64(const char *tok, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(tok, &end, 10);
    if (end == tok || *end != '\0' || errno == ERANGE)
        return -1;
    *out = (int64_t)v;
    return 0;
}

int ec_trace_sniff_lines(const char *head, size_t len,
                         int (*match)(char **tok, size_t ntok))
{
    char line[256];
    char *tok[4];
    size_t pos = 0;
    long content = 0, matched = 0;
    while (pos < len) {
        size_t start = pos;
        while (pos < len && head[pos] != '\n')
            pos++;
        size_t n = pos - start;
        pos++; /* skip '\n' */
        if (n >= sizeof line) { /* too long for a trace line: not a match */
            content++;
            continue;
        }
        memcpy(line, head + start, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) { /* binary data */
            content++;
            continue;
        }
        size_t ntok = ec_trace_split(line, tok, sizeof tok / sizeof tok[0]);
        if (ntok == 0)
            continue;
        content++;
        if (ntok <= sizeof tok / sizeof tok[0] && match(tok, ntok))
            matched++;
    }
    if (matched == 0)
        return 0;
    return (int)(90 * matched / content);
}

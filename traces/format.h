/* format: trace file formats (GSL "type" pattern) and the loader.
 *
 * Each format is a const ec_trace_format with a sniffer (for auto-detection)
 * and a loader.  ec_trace_formats[] lists them (cooked, mahimahi, simgrid,
 * csv); ec_trace_load_opts() opens a file, picks the format (by name or by
 * sniffing), converts the file's unit to the stored one (bit/s for rates,
 * plain numbers otherwise: ec_trace_opts.quantity) and loads it.
 *
 * Loader errors caused by the file are EC_ETRACE with a message
 * "FILE:LINE: what is wrong; expected what" (or "FILE: ..." for whole-file
 * problems); a file that cannot be opened is EC_ENOTFOUND.
 */
#ifndef EC_TRACES_FORMAT_H
#define EC_TRACES_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/base/diag.h"
#include "traces/trace.h"

/* What a trace's values measure; fixes the unit values are stored in. */
typedef enum ec_trace_quantity {
    EC_TRACE_RATE = 0,  /* a link capacity, stored in bit/s */
    EC_TRACE_NUMBER = 1 /* a plain number (slowdown factor, key-frame
                           probability), stored as read */
} ec_trace_quantity;

/* How to read a trace file.  Zero-initialised (or ec_trace_opts_init) means:
 * detect the format, the format's default column and unit, a rate trace
 * that loops. */
typedef struct ec_trace_opts {
    const char *format;  /* "auto" or NULL to detect, else a registered name */
    const char *column;  /* csv: value column, a header name or a 1-based
                            index; NULL = the only non-time column */
    const char *unit;    /* unit of the file's values (see ec_trace_units);
                            NULL = the format's default for the quantity */
    double interval_s;   /* csv: > 0 = rows are samples this many seconds
                            apart and no time column is read; 0 = a time
                            column (seconds) gives each row's time */
    ec_trace_quantity quantity; /* what the values are */
    ec_trace_end end;    /* policy after the trace's length */
} ec_trace_opts;

/* opts = detect the format, default column and unit, rate, loop. */
void ec_trace_opts_init(ec_trace_opts *opts);

/* A trace file format. */
typedef struct ec_trace_format {
    const char *name;        /* registry key: "cooked", "mahimahi", ... */
    const char *description; /* one line for --help and listings */
    const char *rate_unit;   /* unit of a rate file's values when opts->unit
                                is NULL ("Mbps"); NULL: the format fixes its
                                own unit (mahimahi) and takes no unit */
    /* Confidence 0..100 that head (the first len bytes of a file, cut at a
     * line end; not NUL-terminated) is in this format; 0 = surely not. */
    int (*sniff)(const char *head, size_t len);
    /* Read the whole of f (opened for reading; not closed) into a new trace
     * as opts says (opts->format is ignored).  scale converts a value read
     * from the file to the stored unit (bit/s or plain, from
     * ec_trace_unit_scale).  path is used in messages only.  Returns EC_OK
     * and sets *out, or an error code with *out = NULL and d filled. */
    int (*load)(FILE *f, const char *path, const ec_trace_opts *opts,
                double scale, ec_trace **out, ec_diag *d);
} ec_trace_format;

/* Pensieve "cooked" form: lines "time_s Mbit/s" (see format_cooked.c). */
extern const ec_trace_format ec_trace_format_cooked;

/* Mahimahi packet-delivery traces: one ms timestamp per line. */
extern const ec_trace_format ec_trace_format_mahimahi;

/* SimGrid profile (bandwidth_file): "time value" lines, optional LOOPAFTER. */
extern const ec_trace_format ec_trace_format_simgrid;

/* CSV with a header line (RFC 4180, libcsv): a value column by name or
 * index, and a time column or a fixed interval. */
extern const ec_trace_format ec_trace_format_csv;

/* NULL-terminated registry of every built-in format. */
extern const ec_trace_format *const ec_trace_formats[];

/* The format registered under name, or NULL if unknown. */
const ec_trace_format *ec_trace_format_find(const char *name);

/* The best-matching format for head (as for ->sniff), or NULL if none is
 * at least half-confident (score >= EC_TRACE_SNIFF_MIN). */
const ec_trace_format *ec_trace_format_detect(const char *head, size_t len);

/* Smallest sniff score ec_trace_format_detect() accepts. */
#define EC_TRACE_SNIFF_MIN 45

/* Bytes of a file's head read for auto-detection. */
#define EC_TRACE_SNIFF_BYTES 4096

/* Load the trace at path as opts says.  Errors: EC_ENOTFOUND ("FILE:
 * cannot open: ...", or an unknown format name), EC_ETRACE (bad content,
 * undetectable format, a unit that does not fit the quantity, a column that
 * does not exist), EC_EIO, EC_ENOMEM.  On failure *out = NULL. */
int ec_trace_load_opts(const char *path, const ec_trace_opts *opts,
                       ec_trace **out, ec_diag *d);

/* ec_trace_load_opts for a rate trace with the default column and unit:
 * format "auto" (or NULL) or a registered name; end the policy after the
 * trace's length. */
int ec_trace_load(const char *path, const char *format, ec_trace_end end,
                  ec_trace **out, ec_diag *d);

/* The format a file at path would be read as: opts_format if it names one,
 * else the detected one.  Errors as for ec_trace_load_opts. */
int ec_trace_format_of(const char *path, const char *opts_format,
                       const ec_trace_format **fmt, ec_diag *d);

/* "; did you mean 'F'?" for the format (or auto) closest to an unknown
 * format name, into buf (n bytes); "" if none is close. */
const char *ec_trace_format_hint(const char *name, char *buf, size_t n);

/* Names of the registered formats, "auto | cooked | ..." style joined with
 * sep, into buf (always NUL-terminated). */
void ec_trace_format_names(char *buf, size_t size, const char *sep);

/* One unit a trace file's values may be in. */
typedef struct ec_trace_unit {
    const char *name;           /* as written in configs: "Mbps", "kB/s", "1" */
    ec_trace_quantity quantity; /* the quantity it measures */
    double scale;               /* stored value per file value (bit/s per
                                   unit for rates, 1 for plain numbers) */
} ec_trace_unit;

/* NULL-name-terminated table: bps kbps Mbps Gbps B/s kB/s MB/s for rates
 * (k = 1e3, M = 1e6, G = 1e9; B = 8 bits), "1" for plain numbers. */
extern const ec_trace_unit ec_trace_units[];

/* The unit named name (exact match; "" or NULL: none), or NULL. */
const ec_trace_unit *ec_trace_unit_find(const char *name);

/* *scale = the stored value per file value for opts->unit (or, when it is
 * NULL, the format's default: fmt_rate_unit for rates, "1" for numbers).
 * EC_ETRACE "PATH: unknown unit 'x'; expected ..." or "PATH: unit 'x'
 * measures ...; expected ..." when the unit does not fit the quantity. */
int ec_trace_unit_scale(const ec_trace_opts *opts, const char *fmt_rate_unit,
                        const char *path, double *scale, ec_diag *d);

/* The unit a quantity is displayed in: "Mbit/s" (display scale 1e6) for
 * rates, "" (scale 1) for numbers. */
const char *ec_trace_display_unit(ec_trace_quantity q, double *scale);

/* --- helpers for format implementations ------------------------------- */

/* A growing list of (time, value) samples read from a file. */
typedef struct ec_trace_samples {
    double *t_s;    /* sample times, seconds, strictly increasing */
    double *v;      /* sample values, stored unit, finite, >= 0 */
    long *line;     /* 1-based file line of each sample */
    size_t n, cap;  /* used and allocated entries */
} ec_trace_samples;

/* Append one sample; EC_OK or EC_ENOMEM. */
int ec_trace_samples_push(ec_trace_samples *s, double t_s, double v, long line);

/* Free s's arrays (s itself is caller-owned) and zero it. */
void ec_trace_samples_free(ec_trace_samples *s);

/* Parse and check one sample: the time token tok_t (seconds; if NULL,
 * *t_s is already set and only checked) and the value token tok_v, then
 * append it.  The time must be finite, within +-4.6e9 s, strictly after the
 * previous sample's and at least 1 ns later; the value, multiplied by
 * scale, finite and >= 0.  noun names the value in messages ("rate",
 * "value") and unit its unit as written in the file.  On success *v is the
 * stored value.  EC_ETRACE "PATH:LINE: what; expected what", EC_ENOMEM. */
int ec_trace_sample_add(ec_trace_samples *s, const char *tok_t, const char *tok_v,
                        double scale, const char *noun, const char *unit,
                        const char *path, long line, double *t_s, double *v,
                        ec_diag *d);

/* Build a trace from s (n >= 1) with times shifted so t[0] reads as 0
 * (seconds become ns with llround(t * 1e9)).  Forward (backward == 0):
 * sample i holds over [t[i], t[i+1]) and the last one until end_s (an
 * absolute time > t[n-1]).  Backward (the cooked convention; n >= 2,
 * end_s ignored): sample i holds over (t[i-1], t[i]] and the trace ends at
 * t[n-1].  EC_ETRACE/EC_ENOMEM. */
int ec_trace_samples_build(const ec_trace_samples *s, int backward, double end_s,
                           ec_trace_end end, ec_trace **out, ec_diag *d);

/* Read f line by line into s (blank lines and '#' comments skipped).  Each
 * content line, split at white space, goes first to other (if not NULL),
 * which returns EC_OK if it took the line, -1 if not, or an error code;
 * else a line of two fields is a "time_s value" sample
 * (ec_trace_sample_add with scale and the unit name); else it is an error
 * "PATH:LINE: found N fields; expected EXPECT".  Returns EC_OK, EC_ETRACE,
 * EC_EIO or EC_ENOMEM. */
int ec_trace_read_pairs(FILE *f, const char *path, const ec_trace_opts *o, double scale,
                        const char *unit, const char *expect,
                        int (*other)(void *ctx, char **tok, size_t ntok, const char *path,
                                     long line, ec_diag *d),
                        void *ctx, ec_trace_samples *s, ec_diag *d);

/* The unit name of opts for messages: opts->unit, else the format's rate
 * unit for rates, else "1". */
const char *ec_trace_unit_name(const ec_trace_opts *o, const char *fmt_rate_unit);

/* The noun for values of a quantity in messages: "rate" or "value". */
const char *ec_trace_noun(ec_trace_quantity q);

/* Line reader state; zero-initialise, release with ec_trace_lines_free(). */
typedef struct ec_trace_lines {
    FILE *f;       /* the file being read */
    char *buf;     /* current line, NUL-terminated, without "\n" or "\r\n" */
    size_t cap;    /* allocated bytes of buf */
    long line;     /* 1-based number of the current line, 0 before the first */
    int err;       /* errno of the last read error, 0 if none */
} ec_trace_lines;

/* Read the next line of r->f into r->buf and count it in r->line.  Sets
 * *got to 1 if a line was read, 0 at end of file.  Returns EC_OK, EC_EIO
 * (read error) or EC_ENOMEM.  A final line without "\n" is still a line. */
int ec_trace_lines_next(ec_trace_lines *r, int *got);

/* ec_trace_lines_next, reporting a failure in d as "PATH: read error: ..."
 * or "PATH: out of memory". */
int ec_trace_lines_read(ec_trace_lines *r, const char *path, ec_diag *d, int *got);

/* Free r's buffer (r itself is caller-owned). */
void ec_trace_lines_free(ec_trace_lines *r);

/* Split line in place at spaces and tabs.  Stores up to max token pointers
 * in tok and returns the total number of tokens (which may exceed max).
 * A line whose first token starts with '#' counts as 0 tokens (comment). */
size_t ec_trace_split(char *line, char **tok, size_t max);

/* Parse a whole token as a double (strtod; no trailing garbage).
 * Returns 0 on success (the value may be inf or nan), -1 otherwise. */
int ec_trace_parse_double(const char *tok, double *out);

/* Parse a whole token as a decimal int64 (strtoll; no trailing garbage,
 * no overflow).  Returns 0 on success, -1 otherwise. */
int ec_trace_parse_int64(const char *tok, int64_t *out);

/* Sniffing helper: split each line of head (as in ec_trace_split) and
 * score 90 * (lines that `match` accepts) / (non-blank, non-comment lines);
 * 0 if no line matches. */
int ec_trace_sniff_lines(const char *head, size_t len,
                         int (*match)(char **tok, size_t ntok));

#endif

/* format: trace file formats (GSL "type" pattern) and the loader.
 *
 * Each format is a const ec_trace_format with a sniffer (for auto-detection)
 * and a loader.  ec_trace_formats[] lists them; ec_trace_load() opens a
 * file, picks the format (by name or by sniffing) and loads it.
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

#include "sim/diag.h"
#include "traces/trace.h"

/* A trace file format. */
typedef struct ec_trace_format {
    const char *name;        /* registry key: "cooked", "mahimahi" */
    const char *description; /* one line for --help and listings */
    /* Confidence 0..100 that head (the first len bytes of a file, cut at a
     * line end; not NUL-terminated) is in this format; 0 = surely not. */
    int (*sniff)(const char *head, size_t len);
    /* Read the whole of f (opened for reading; not closed) into a new trace
     * with end policy `end`.  path is used in messages only.  Returns EC_OK
     * and sets *out, or an error code with *out = NULL and d filled. */
    int (*load)(FILE *f, const char *path, ec_trace_end end, ec_trace **out,
                ec_diag *d);
} ec_trace_format;

/* Pensieve "cooked" form: lines "time_s Mbit/s" (see format_cooked.c). */
extern const ec_trace_format ec_trace_format_cooked;

/* Mahimahi packet-delivery traces: one ms timestamp per line. */
extern const ec_trace_format ec_trace_format_mahimahi;

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

/* Load the trace at path.  format is "auto" (or NULL) to detect it, or a
 * registered name (EC_ENOTFOUND if unknown).  end is the policy after the
 * trace's length.  Errors: EC_ENOTFOUND ("FILE: cannot open: ..."),
 * EC_ETRACE (bad content or undetectable format), EC_EIO, EC_ENOMEM.
 * On failure *out = NULL. */
int ec_trace_load(const char *path, const char *format, ec_trace_end end,
                  ec_trace **out, ec_diag *d);

/* --- helpers for format implementations ------------------------------- */

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

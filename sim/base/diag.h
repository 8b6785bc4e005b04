/* diag: edgecut's error codes and diagnostics.
 *
 * Every fallible function returns an int status: EC_OK (0) on success or one
 * of the codes below.  Functions that read user input (configs, traces,
 * profiles, the command line) also fill an ec_diag with a human-readable
 * message of the form "FILE:LINE: what is wrong; expected what".
 *
 * Results come back through out-parameters, never folded into the status
 * (no count, flag or negated code in it).  Only a function that cannot fail
 * returns a value: a predicate 1 or 0, a look-up a pointer or NULL, a count
 * or a time; a constructor whose one failure is memory may return its
 * object or NULL.
 */
#ifndef EC_DIAG_H
#define EC_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* Status codes.  Codes below EC_EINPUT_FIRST are runtime failures (exit 1);
 * codes from EC_EINPUT_FIRST on are caused by the user's input (exit 2). */
enum ec_status {
    EC_OK = 0,      /* success */
    EC_ENOMEM,      /* out of memory */
    EC_EIO,         /* an operating-system I/O call failed */
    EC_EDB,         /* the SQLite results store failed */
    EC_ERUNTIME,    /* any other runtime failure (gnuplot missing, ...) */
    EC_EINPUT_FIRST,
    EC_EUSAGE = EC_EINPUT_FIRST, /* bad command line */
    EC_ECONFIG,     /* bad experiment config */
    EC_ETRACE,      /* bad trace file or trace parameters */
    EC_EMODEL,      /* bad model, profile or device description */
    EC_ENOTFOUND,   /* a named thing (file, learner, model, key) does not exist */
    EC_ERANGE,      /* a value is out of its allowed range */
    EC_STATUS_COUNT
};

/* A diagnostic message attached to a failed call. */
typedef struct ec_diag {
    int code;       /* the status the failing call returned (EC_OK if none) */
    char msg[1024]; /* "FILE:LINE: text" or "text"; NUL-terminated, "" if none */
} ec_diag;

/* Short description of a status code; never NULL. */
const char *ec_strerror(int code);

/* Process exit status for a code: 0 for EC_OK, 2 for input errors, else 1. */
int ec_exit_status(int code);

/* Record an error in d (which may be NULL) and return code.
 * file may be NULL (no location); line <= 0 omits the line number.
 * The message is printf-formatted. */
int ec_diag_set(ec_diag *d, int code, const char *file, long line,
                const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record code with "FILE:LINE: key 'KEY': <fmt...>", or "--set KEY: <fmt...>"
 * when line <= 0 (the value came from the command line; file is then
 * ignored): how every error about a config value is worded.  The whole text
 * reaches ec_diag_set, which shortens a long one keeping head and tail.
 * Returns code. */
int ec_diag_vkey(ec_diag *d, int code, const char *file, long line, const char *key,
                 const char *fmt, va_list ap);

/* Reset d to "no error".  d may be NULL. */
void ec_diag_clear(ec_diag *d);

#endif

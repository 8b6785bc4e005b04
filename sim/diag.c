/* diag: status codes and diagnostics (see diag.h). */
#include "sim/diag.h"

#include <stdarg.h>
#include <stdio.h>

const char *ec_strerror(int code)
{
    switch (code) {
    case EC_OK: return "success";
    case EC_ENOMEM: return "out of memory";
    case EC_EIO: return "I/O error";
    case EC_EDB: return "results database error";
    case EC_ERUNTIME: return "runtime failure";
    case EC_EUSAGE: return "bad command line";
    case EC_ECONFIG: return "bad config";
    case EC_ETRACE: return "bad trace";
    case EC_EMODEL: return "bad model or profile";
    case EC_ENOTFOUND: return "not found";
    case EC_ERANGE: return "value out of range";
    default: return "unknown error";
    }
}

int ec_exit_status(int code)
{
    if (code == EC_OK)
        return 0;
    return code >= EC_EINPUT_FIRST && code < EC_STATUS_COUNT ? 2 : 1;
}

int ec_diag_set(ec_diag *d, int code, const char *file, long line,
                const char *fmt, ...)
{
    if (!d)
        return code;
    d->code = code;
    int n = 0;
    if (file && line > 0)
        n = snprintf(d->msg, sizeof d->msg, "%s:%ld: ", file, line);
    else if (file)
        n = snprintf(d->msg, sizeof d->msg, "%s: ", file);
    if (n < 0 || (size_t)n >= sizeof d->msg)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg + n, sizeof d->msg - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}

void ec_diag_clear(ec_diag *d)
{
    if (d) {
        d->code = EC_OK;
        d->msg[0] = '\0';
    }
}

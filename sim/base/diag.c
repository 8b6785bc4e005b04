/* diag: status codes and diagnostics (see diag.h). */
#include "sim/base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((len == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (len == 4 && s[0] == 0xF0 && s[1] < 0x90) ||
        (len == 4 && s[0] == 0xF4 && s[1] >= 0x90) || (len == 3 && s[0] == 0xED && s[1] >= 0xA0))
        return 0;  /* overlong, beyond U+10FFFF, or a surrogate */
    return len;
}

/* text (n bytes) into out (cap bytes, NUL-terminated) with every control
 * byte but newline and tab and every byte of invalid UTF-8 as \xNN: a
 * message quotes the user's input, which may be binary.  Returns the length
 * the whole text needs; out holds what fits, cut between characters, and
 * *taken (if not NULL) the bytes of text that went into it. */
static size_t escape(const char *text, size_t n, char *out, size_t cap, size_t *taken)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t used = 0, need = 0, took = 0;
    for (size_t i = 0; i < n;) {
        char buf[8];
        size_t len;
        if (s[i] >= 0x80 && (len = utf8_len(s + i, n - i)) > 0) {
            memcpy(buf, s + i, len);
            i += len;
        } else if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] >= 0x7F) {
            snprintf(buf, sizeof buf, "\\x%02x", s[i++]);
            len = 4;
        } else {
            buf[0] = (char)s[i++];
            len = 1;
        }
        if (used + len < cap && used == need) {
            memcpy(out + used, buf, len);
            used += len;
            took = i;
        }
        need += len;
    }
    if (cap)
        out[used] = '\0';
    if (taken)
        *taken = took;
    return need;
}

int ec_diag_set(ec_diag *d, int code, const char *file, long line,
                const char *fmt, ...)
{
    if (!d)
        return code;
    char loc[1024] = "";
    if (file && line > 0)
        snprintf(loc, sizeof loc, "%s:%ld: ", file, line);
    else if (file)
        snprintf(loc, sizeof loc, "%s: ", file);
    size_t nloc = strlen(loc);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? malloc(nloc + (size_t)n + 1) : NULL;
    if (!text) { /* no room to escape: the message as it fits */
        snprintf(d->msg, sizeof d->msg, "%s", loc);
        va_start(ap, fmt);
        vsnprintf(d->msg + strlen(d->msg), sizeof d->msg - strlen(d->msg), fmt, ap);
        va_end(ap);
        d->code = code;
        return code;
    }
    memcpy(text, loc, nloc);
    va_start(ap, fmt);
    vsnprintf(text + nloc, (size_t)n + 1, fmt, ap);  /* fmt's arguments may be d->msg */
    va_end(ap);
    size_t len = nloc + (size_t)n;
    d->code = code;
    if (escape(text, len, d->msg, sizeof d->msg, NULL) >= sizeof d->msg) {
        /* too long (a quoted line of 100 kB): its head and its tail, which
         * says what was expected, around the count of bytes left out */
        enum { TAIL = 300 };
        char tail[TAIL + 1], mid[64];
        size_t from = len > TAIL ? len - TAIL : 0, head;
        while (from < len && (((unsigned char)text[from] & 0xC0) == 0x80 ||
                              escape(text + from, len - from, tail, sizeof tail, NULL) > TAIL))
            from++;  /* not inside a character; at most TAIL bytes once escaped */
        int m = snprintf(mid, sizeof mid, " [... %zu bytes ...] ", from);
        escape(text, from, d->msg, sizeof d->msg - strlen(tail) - (size_t)m, &head);
        snprintf(mid, sizeof mid, " [... %zu bytes ...] ", from - head);
        strcat(strcat(d->msg, mid), tail);
    }
    free(text);
    return code;
}

int ec_diag_vkey(ec_diag *d, int code, const char *file, long line, const char *key,
                 const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char small[16], *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!msg)
        msg = small;
    vsnprintf(msg, msg == small ? sizeof small : (size_t)n + 1, fmt, again);
    va_end(again);
    int rc = line <= 0 ? ec_diag_set(d, code, NULL, 0, "--set %s: %s", key, msg)
                       : ec_diag_set(d, code, file, line, "key '%s': %s", key, msg);
    if (msg != small)
        free(msg);
    return rc;
}

void ec_diag_clear(ec_diag *d)
{
    if (d) {
        d->code = EC_OK;
        d->msg[0] = '\0';
    }
}

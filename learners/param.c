/* param: reading a learner's typed parameters through their specs (see
 * param.h). */
#include "learners/learner.h"
#include "learners/param.h"

#include "sim/base/text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ec_param_spec *ec_param_find(const ec_param_spec *specs, const char *key)
{
    for (const ec_param_spec *p = specs; p && p->key; p++)
        if (strcmp(p->key, key) == 0)
            return p;
    return NULL;
}

/* Where the getters look: a learner type's name and specs, the lookup, the
 * sizes that computed bounds need, and where errors go. */
typedef struct reader {
    const char *name;            /* the learner type's name: the parameters' prefix */
    const ec_param_spec *specs;  /* its specs */
    const ec_params *params;     /* the lookup; find may be NULL */
    size_t dim;                  /* context dimension (EC_PARAM_DIM) */
    size_t n_actions;            /* actions (EC_PARAM_HI_LAST) */
    ec_diag *d;                  /* errors */
} reader;

/* One parameter being read. */
typedef struct param {
    const ec_param_spec *spec;   /* its spec */
    ec_param_value v;            /* its value as given, or the default (file NULL, line 0) */
    int given;                   /* 1: set for this device; 0: the default */
    char dotted[128];            /* "NAME.KEY"; v.key points here for a default */
} param;

static reader of_setup(const ec_learner_setup *s)
{
    return (reader){ s->name, s->type ? s->type->params : NULL, &s->params, s->dim,
                     s->n_actions, s->diag };
}

static reader of_coord(const ec_coord_setup *s)
{
    const ec_learner_type *t = ec_learner_find(s->name);
    return (reader){ s->name, t ? t->params : NULL, &s->params, 0, 0, s->diag };
}

/* lookup's `want` beside an ec_param_type. */
enum { TEXT_OR_PATH = -1, ANY_TYPE = -2 };

/* The spec of key, which must be of type want (an ec_param_type,
 * TEXT_OR_PATH or ANY_TYPE), and its value into *p.  EC_ERUNTIME
 * "internal: ..." for a programming error. */
static int lookup(const reader *r, const char *key, int want, param *p)
{
    p->spec = ec_param_find(r->specs, key);
    int type = p->spec ? (int)p->spec->type : ANY_TYPE;
    if (!p->spec || (want >= 0 && type != want) ||
        (want == TEXT_OR_PATH && type != EC_PARAM_TEXT && type != EC_PARAM_PATH))
        return ec_diag_set(r->d, EC_ERUNTIME, NULL, 0, "internal: learner '%s' reads parameter "
                           "'%s', which its specs %s", r->name, key,
                           p->spec ? "give another type" : "do not declare");
    if ((size_t)snprintf(p->dotted, sizeof p->dotted, "%s.%s", r->name, key) >= sizeof p->dotted)
        return ec_diag_set(r->d, EC_ERUNTIME, NULL, 0, "internal: parameter name '%s.%s' is "
                           "too long", r->name, key);
    p->given = r->params && r->params->find && r->params->find(r->params->ctx, p->dotted, &p->v);
    if (!p->given)
        p->v = (ec_param_value){ p->spec->def, NULL, 0, p->dotted };
    return EC_OK;
}

/* The value of p does not fit its spec: EC_ECONFIG at its FILE:LINE (a
 * default that does not fit is a programming error, EC_ERUNTIME). */
static int bad(const reader *r, const param *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(const reader *r, const param *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc;
    if (p->given) {
        rc = ec_diag_vkey(r->d, EC_ECONFIG, p->v.file, p->v.line, p->v.key, fmt, ap);
    } else {
        char what[768];
        vsnprintf(what, sizeof what, fmt, ap);
        rc = ec_diag_set(r->d, EC_ERUNTIME, NULL, 0, "internal: the default of %s: %s",
                         p->dotted, what);
    }
    va_end(ap);
    return rc;
}

/* "[lo, hi]" with each end's bracket (an infinite end is open), into buf. */
static char *range_text(double lo, double hi, unsigned flags, int integer, char *buf, size_t n)
{
    char a[32], b[32];
    if (integer && isfinite(lo))
        snprintf(a, sizeof a, "%.0f", lo);
    else
        snprintf(a, sizeof a, "%g", lo);
    if (flags & EC_PARAM_HI_LAST)
        snprintf(b, sizeof b, "last action");
    else if (integer && isfinite(hi))
        snprintf(b, sizeof b, "%.0f", hi);
    else
        snprintf(b, sizeof b, "%g", hi);
    snprintf(buf, n, "%c%s, %s%c", (flags & EC_PARAM_LO_OPEN) || isinf(lo) ? '(' : '[', a, b,
             (flags & EC_PARAM_HI_OPEN) || isinf(hi) ? ')' : ']');
    return buf;
}

/* x within [lo, hi] as flags open its ends (and finite). */
static int in_range(double x, double lo, double hi, unsigned flags)
{
    return isfinite(x) && x >= lo && x <= hi && !((flags & EC_PARAM_LO_OPEN) && x == lo) &&
           !((flags & EC_PARAM_HI_OPEN) && x == hi);
}

static int read_real(const reader *r, const char *key, double *out)
{
    param p;
    int rc = lookup(r, key, EC_PARAM_REAL, &p);
    if (rc)
        return rc;
    const ec_param_spec *sp = p.spec;
    char *end;
    double x = strtod(p.v.text, &end);
    if (end == p.v.text || *end != '\0' || !in_range(x, sp->lo, sp->hi, sp->flags)) {
        char range[96];
        return bad(r, &p, "expected a number in %s, got '%s'",
                   range_text(sp->lo, sp->hi, sp->flags, 0, range, sizeof range), p.v.text);
    }
    *out = x;
    return EC_OK;
}

/* An INT within its spec's range and [lo, hi]. */
static int read_int(const reader *r, const char *key, double lo, double hi, long *out)
{
    param p;
    int rc = lookup(r, key, EC_PARAM_INT, &p);
    if (rc)
        return rc;
    const ec_param_spec *sp = p.spec;
    double top = sp->flags & EC_PARAM_HI_LAST ? (double)r->n_actions - 1 : sp->hi;
    lo = fmax(lo, sp->lo);
    hi = fmin(hi, top);
    char *end;
    errno = 0;
    long x = strtol(p.v.text, &end, 10);
    if (end == p.v.text || *end != '\0' || errno || (double)x < lo || (double)x > hi) {
        char range[96];
        return bad(r, &p, "expected an integer in %s, got '%s'",
                   range_text(lo, hi, 0, 1, range, sizeof range), p.v.text);
    }
    *out = x;
    return EC_OK;
}

/* The index of p's value among words (NULL-terminated). */
static int read_word(const reader *r, const param *p, const char *const *words, int *index)
{
    char list[256] = "";
    size_t n = 0;
    for (int i = 0; words && words[i]; i++) {
        if (!strcmp(words[i], p->v.text)) {
            *index = i;
            return EC_OK;
        }
        n += (size_t)snprintf(list + n, n < sizeof list ? sizeof list - n : 0, "%s%s",
                              i ? ", " : "", words[i]);
    }
    return bad(r, p, "expected one of %s, got '%s'", list, p->v.text);
}

static const char *const onoff[] = { "on", "off", NULL };

static int read_choice(const reader *r, const char *key, int type, int *index)
{
    param p;
    int rc = lookup(r, key, type, &p);
    return rc ? rc : read_word(r, &p, type == EC_PARAM_ONOFF ? onoff : p.spec->choices, index);
}

/* How many items a REALS spec takes, into lo..hi. */
static void items_of(const reader *r, const ec_param_spec *sp, size_t *lo, size_t *hi)
{
    *lo = sp->min_items == EC_PARAM_DIM ? r->dim : sp->min_items;
    *hi = sp->max_items == EC_PARAM_DIM ? r->dim : sp->max_items;
}

/* A REALS value into out (NULL: check only; else room for cap items), *n
 * items; *n = 0 when unset with the default "". */
static int read_reals(const reader *r, const char *key, double *out, size_t cap, size_t *n)
{
    param p;
    int rc = lookup(r, key, EC_PARAM_REALS, &p);
    *n = 0;
    if (rc || (!p.given && !*p.v.text))
        return rc;
    const ec_param_spec *sp = p.spec;
    size_t lo, hi;
    items_of(r, sp, &lo, &hi);
    if (out && cap < hi)
        return ec_diag_set(r->d, EC_ERUNTIME, NULL, 0, "internal: %s read into room for %zu "
                           "items, not %zu", p.dotted, cap, hi);
    int whole = (sp->flags & EC_PARAM_WHOLE) != 0, ok = 1;
    const char *at = p.v.text, *item;
    size_t len, count = 0;
    while (ok && ec_list_next(&at, &item, &len)) {
        char num[64], *end;
        ok = len > 0 && len < sizeof num && ++count <= hi;
        if (!ok)
            break;
        memcpy(num, item, len);
        num[len] = '\0';
        double x = strtod(num, &end);
        ok = *end == '\0' && in_range(x, sp->lo, sp->hi, sp->flags) && (!whole || x == floor(x));
        if (ok && out)
            out[count - 1] = x;
    }
    if (!ok || count < lo) {
        char many[48], range[96];
        if (lo == hi)
            snprintf(many, sizeof many, "%zu", lo);
        else
            snprintf(many, sizeof many, "%zu to %zu", lo, hi);
        return bad(r, &p, "expected %s comma-separated %s in %s, got '%s'", many,
                   whole ? (hi == 1 ? "integer" : "integers") : (hi == 1 ? "number" : "numbers"),
                   range_text(sp->lo, sp->hi, sp->flags, whole, range, sizeof range), p.v.text);
    }
    *n = count;
    return EC_OK;
}

int ec_learner_param_real(const ec_learner_setup *s, const char *key, double *out)
{
    reader r = of_setup(s);
    return read_real(&r, key, out);
}

int ec_learner_param_int(const ec_learner_setup *s, const char *key, long *out)
{
    reader r = of_setup(s);
    return read_int(&r, key, -INFINITY, INFINITY, out);
}

int ec_learner_param_int_within(const ec_learner_setup *s, const char *key, long lo, long hi,
                                long *out)
{
    reader r = of_setup(s);
    return read_int(&r, key, (double)lo, (double)hi, out);
}

int ec_learner_param_choice(const ec_learner_setup *s, const char *key, int *index)
{
    reader r = of_setup(s);
    return read_choice(&r, key, EC_PARAM_CHOICE, index);
}

int ec_learner_param_on(const ec_learner_setup *s, const char *key, int *on)
{
    reader r = of_setup(s);
    int index = 0, rc = read_choice(&r, key, EC_PARAM_ONOFF, &index);
    *on = index == 0;
    return rc;
}

int ec_learner_param_reals(const ec_learner_setup *s, const char *key, double *out, size_t cap,
                           size_t *n)
{
    reader r = of_setup(s);
    return read_reals(&r, key, out, cap, n);
}

int ec_learner_param_text(const ec_learner_setup *s, const char *key, const char **out)
{
    reader r = of_setup(s);
    param p;
    int rc = lookup(&r, key, TEXT_OR_PATH, &p);
    if (!rc)
        *out = p.v.text;
    return rc;
}

/* ---- path placeholders -------------------------------------------------- */

/* The placeholders, in ec_param_vars order. */
static const char *const placeholders[] = { "group", "device", "replicate", "seed", NULL };

/* The length of the placeholder "{word}" (word: lowercase letters) that
 * starts at p, or 0 when none does. */
static size_t placeholder_len(const char *p)
{
    if (*p != '{')
        return 0;
    size_t i = 1;
    while (p[i] >= 'a' && p[i] <= 'z')
        i++;
    return i > 1 && p[i] == '}' ? i + 1 : 0;
}

int ec_param_has_placeholder(const char *text)
{
    for (const char *p = text; *p; p++)
        if (placeholder_len(p))
            return 1;
    return 0;
}

int ec_param_expand(const char *text, const ec_param_vars *vars, char *out, size_t n,
                    const char **bad)
{
    size_t used = 0;
    int fits = 1;
    if (out && n)
        out[0] = '\0';
    for (const char *p = text; *p;) {
        size_t len = placeholder_len(p), piece_len = 1;
        const char *piece = p;
        char num[32];
        if (len) {
            int k = 0;
            while (placeholders[k] && (strlen(placeholders[k]) != len - 2 ||
                                       strncmp(placeholders[k], p + 1, len - 2)))
                k++;
            if (!placeholders[k]) {
                if (bad)
                    *bad = p;
                return EC_ENOTFOUND;
            }
            piece_len = len;
            if (vars) {
                if (k == 0)
                    piece = vars->group ? vars->group : "";
                else if (k == 1)
                    snprintf(num, sizeof num, "%ld", vars->device);
                else if (k == 2)
                    snprintf(num, sizeof num, "%ld", vars->replicate);
                else
                    snprintf(num, sizeof num, "%llu", vars->seed);
                if (k)
                    piece = num;
                piece_len = strlen(piece);
            }
        }
        p += len ? len : 1;
        if (!out)
            continue;
        if (used + piece_len >= n) {
            fits = 0;
            continue;
        }
        memcpy(out + used, piece, piece_len);
        used += piece_len;
        out[used] = '\0';
    }
    return fits ? EC_OK : EC_ERANGE;
}

/* The placeholders of PATH p's value, which must all be known: EC_OK or
 * EC_ECONFIG naming the first unknown one. */
static int check_placeholders(const reader *r, const param *p)
{
    const char *at = NULL;
    if (ec_param_expand(p->v.text, NULL, NULL, 0, &at) == EC_OK)
        return EC_OK;
    size_t len = placeholder_len(at);
    return bad(r, p, "unknown placeholder '%.*s' in '%s' (a path may hold {group}, {device}, "
               "{replicate} and {seed})", (int)len, at, p->v.text);
}

/* A learner's or coordinator's own complaint about key's value (see
 * ec_learner_param_error). */
static int complain(const reader *r, const char *key, const char *fmt, va_list ap)
{
    param p;
    int rc = lookup(r, key, ANY_TYPE, &p);
    if (!rc && p.given) {
        rc = ec_diag_vkey(r->d, EC_ECONFIG, p.v.file, p.v.line, p.v.key, fmt, ap);
    } else if (!rc) {
        char what[768];
        vsnprintf(what, sizeof what, fmt, ap);
        rc = ec_diag_set(r->d, EC_ECONFIG, NULL, 0, "key '%s': %s", p.dotted, what);
    }
    return rc;
}

int ec_learner_param_error(const ec_learner_setup *s, const char *key, const char *fmt, ...)
{
    reader r = of_setup(s);
    va_list ap;
    va_start(ap, fmt);
    int rc = complain(&r, key, fmt, ap);
    va_end(ap);
    return rc;
}

/* The coordinator's reader of device's own lookup. */
static reader of_coord_at(const ec_coord_setup *s, size_t device)
{
    reader r = of_coord(s);
    if (s->device_params && device < s->n_devices)
        r.params = &s->device_params[device];
    return r;
}

int ec_coord_param_real_at(const ec_coord_setup *s, size_t device, const char *key,
                           double *out)
{
    reader r = of_coord_at(s, device);
    return read_real(&r, key, out);
}

int ec_coord_param_choice_at(const ec_coord_setup *s, size_t device, const char *key,
                             int *index)
{
    reader r = of_coord_at(s, device);
    return read_choice(&r, key, EC_PARAM_CHOICE, index);
}

int ec_coord_param_error_at(const ec_coord_setup *s, size_t device, const char *key,
                            const char *fmt, ...)
{
    reader r = of_coord_at(s, device);
    va_list ap;
    va_start(ap, fmt);
    int rc = complain(&r, key, fmt, ap);
    va_end(ap);
    return rc;
}

int ec_coord_param_real(const ec_coord_setup *s, const char *key, double *out)
{
    reader r = of_coord(s);
    return read_real(&r, key, out);
}

int ec_coord_param_choice(const ec_coord_setup *s, const char *key, int *index)
{
    reader r = of_coord(s);
    return read_choice(&r, key, EC_PARAM_CHOICE, index);
}

int ec_learner_check(const ec_learner_type *t, const ec_learner_setup *setup)
{
    ec_learner_setup typed = *setup;
    typed.type = t;
    reader r = of_setup(&typed);
    for (const ec_param_spec *p = t->params; p && p->key; p++) {
        long i;
        double x;
        int k;
        size_t n;
        int rc = EC_OK;
        switch (p->type) {
        case EC_PARAM_REAL: rc = read_real(&r, p->key, &x); break;
        case EC_PARAM_INT: rc = read_int(&r, p->key, -INFINITY, INFINITY, &i); break;
        case EC_PARAM_CHOICE:
        case EC_PARAM_ONOFF: rc = read_choice(&r, p->key, (int)p->type, &k); break;
        case EC_PARAM_REALS: rc = read_reals(&r, p->key, NULL, 0, &n); break;
        case EC_PARAM_PATH: {
            param pp;
            if (!(rc = lookup(&r, p->key, EC_PARAM_PATH, &pp)))
                rc = check_placeholders(&r, &pp);
            break;
        }
        default: break;   /* TEXT takes any text */
        }
        if (rc)
            return rc;
    }
    return t->check ? t->check(&typed) : EC_OK;
}

const char *ec_param_type_name(ec_param_type type)
{
    switch (type) {
    case EC_PARAM_REAL: return "real";
    case EC_PARAM_INT: return "int";
    case EC_PARAM_CHOICE: return "choice";
    case EC_PARAM_ONOFF: return "on|off";
    case EC_PARAM_REALS: return "reals";
    case EC_PARAM_TEXT: return "text";
    case EC_PARAM_PATH: return "path";
    }
    return "?";
}

char *ec_param_accepts(const ec_param_spec *p, char *buf, size_t n)
{
    char range[96], many[48];
    const char *unit = p->unit && *p->unit ? p->unit : NULL;
    const char *const *words = p->type == EC_PARAM_ONOFF ? onoff : p->choices;
    size_t used = 0;
    buf[0] = '\0';
    switch (p->type) {
    case EC_PARAM_REAL:
    case EC_PARAM_INT:
        snprintf(buf, n, "%s%s%s", range_text(p->lo, p->hi, p->flags, p->type == EC_PARAM_INT,
                                               range, sizeof range), unit ? " " : "",
                 unit ? unit : "");
        break;
    case EC_PARAM_CHOICE:
    case EC_PARAM_ONOFF:
        for (size_t i = 0; words && words[i] && used < n; i++)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? " | " : "", words[i]);
        break;
    case EC_PARAM_REALS:
        if (p->min_items == EC_PARAM_DIM && p->max_items == EC_PARAM_DIM)
            snprintf(many, sizeof many, "d");
        else if (p->min_items == p->max_items)
            snprintf(many, sizeof many, "%zu", p->min_items);
        else
            snprintf(many, sizeof many, "%zu-%zu", p->min_items, p->max_items);
        snprintf(buf, n, "%s %s in %s%s%s", many,
                 p->flags & EC_PARAM_WHOLE ? "integers" : "numbers",
                 range_text(p->lo, p->hi, p->flags, (p->flags & EC_PARAM_WHOLE) != 0, range,
                            sizeof range), unit ? " " : "", unit ? unit : "");
        break;
    case EC_PARAM_TEXT:
        snprintf(buf, n, "text");
        break;
    case EC_PARAM_PATH:
        snprintf(buf, n, "a file it %s",
                 (p->path & EC_PATH_READS) && (p->path & EC_PATH_WRITES) ? "reads and writes"
                 : p->path & EC_PATH_WRITES                                ? "writes"
                                                                           : "reads");
        break;
    }
    return buf;
}

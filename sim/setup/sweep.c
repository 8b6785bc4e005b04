/* sweep: "${...}" sweep axes inside config values (see sweep.h). */
#include "sim/setup/sweep.h"

#include "sim/base/diag.h"
#include "sim/base/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ec_sweep {
    char *prefix;  /* text before "${" (the whole value when there is no axis) */
    char *suffix;  /* text after the closing '}' ("" without an axis) */
    size_t n;      /* number of axis values, 0 without an axis */
    size_t cap;    /* allocated entries of items */
    char **items;  /* n axis values, each trimmed and non-empty */
    char *name;    /* "${NAME=...}": the axis's name, else NULL */
    char *parallel;/* "${... ! NAME}": the axis it iterates in parallel with, else NULL */
};

/* Where the value being parsed comes from, for messages. */
typedef struct where {
    const char *file; /* the config file (ignored for a --set value) */
    long line;        /* its line, <= 0 for a --set value */
    const char *key;  /* the key whose value it is */
    ec_diag *d;       /* where the message goes (may be NULL) */
} where;

static int fail(const where *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: key 'KEY': ..." (EC_ECONFIG) or "--set KEY: ..." (EC_EUSAGE). */
static int fail(const where *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ec_diag_vkey(w->d, w->line > 0 ? EC_ECONFIG : EC_EUSAGE, w->file, w->line,
                          w->key, fmt, ap);
    va_end(ap);
    return rc;
}

char *ec_sweep_format_double(double x, char *buf, size_t size)
{
    if (x == 0)
        x = 0; /* turn -0 into 0 */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

/* Parse a whole string as a finite number (surrounding space allowed). */
static int parse_number(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    if (end == s || !isfinite(*out))
        return 0;
    while (isspace((unsigned char)*end))
        end++;
    return *end == '\0';
}

static int add_item(ec_sweep *s, char *item)
{
    if (!item || ec_grow(&s->items, &s->cap, s->n + 1, sizeof *s->items)) {
        free(item);
        return EC_ENOMEM;
    }
    s->items[s->n++] = item;
    return EC_OK;
}

/* Try body (NUL-terminated axis text) as "START..END [step STEP]".
 * Sets *is_range to 0 (and returns EC_OK) when START is not a number, so the
 * body is read as a list instead. */
static int parse_range(ec_sweep *s, char *body, int *is_range,
                       const where *w)
{
    *is_range = 0;
    char *dots = strstr(body, "..");
    if (!dots || strchr(body, ','))
        return EC_OK;
    double start, end, step = 1;
    *dots = '\0';
    int ok = parse_number(body, &start);
    *dots = '.';
    if (!ok)
        return EC_OK;
    *is_range = 1;

    const char *p = dots + 2;
    char *q;
    end = strtod(p, &q);
    ok = q != p && isfinite(end);
    p = q;
    while (ok && isspace((unsigned char)*p))
        p++;
    if (ok && strncmp(p, "step", 4) == 0 && isspace((unsigned char)p[4]))
        ok = parse_number(p + 5, &step);
    else if (ok && *p != '\0')
        ok = 0;
    if (!ok)
        return fail(w, "bad range '${%s}'; expected '${START..END}' "
                    "or '${START..END step STEP}'", body);
    if (step == 0)
        return fail(w, "range '${%s}' has step 0", body);
    double span = (end - start) / step;
    if (!(span > -1e-9))
        return fail(w, "range '${%s}' is empty (step has the "
                    "wrong sign)", body);
    if (!(span < EC_SWEEP_MAX_VALUES))
        return fail(w, "range '${%s}' has more than %d values",
                    body, EC_SWEEP_MAX_VALUES);
    /* span + 1e-9 > 0, so the cast rounds down */
    size_t n = (size_t)(span + 1e-9) + 1;
    for (size_t i = 0; i < n; i++) {
        double v = start + (double)i * step;
        double off = v > end ? v - end : end - v;
        if (i + 1 == n && off <= 1e-9 * (step > 0 ? step : -step))
            v = end;
        char buf[40];
        ec_sweep_format_double(v, buf, sizeof buf);
        int rc = add_item(s, ec_strndup(buf, strlen(buf)));
        if (rc)
            return rc;
    }
    return EC_OK;
}

/* Split body at commas into trimmed, non-empty items. */
static int parse_list(ec_sweep *s, const char *body, const where *w)
{
    const char *p = body, *item;
    size_t len;
    while (ec_list_next(&p, &item, &len)) {
        if (len == 0)
            return fail(w, "empty item in axis '${%s}'", body);
        int rc = add_item(s, ec_strndup(item, len));
        if (rc)
            return rc;
    }
    return EC_OK;
}

/* Length of the axis name at p: [A-Za-z_][A-Za-z0-9_.]*, 0 if none. */
static size_t name_len(const char *p)
{
    size_t n = 0;
    if (!isalpha((unsigned char)p[0]) && p[0] != '_')
        return 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.')
        n++;
    return n;
}

/* Take "NAME =" off the front and "! NAME" off the end of body (in place)
 * into s->name and s->parallel; *rest = what remains. */
static int parse_names(ec_sweep *s, char *body, char **rest, const where *w)
{
    char *p = body;
    while (isspace((unsigned char)*p))
        p++;
    size_t nl = name_len(p);
    const char *q = p + nl;
    while (nl && isspace((unsigned char)*q))
        q++;
    if (nl && *q == '=') {
        if (!(s->name = ec_strndup(p, nl)))
            return EC_ENOMEM;
        p = (char *)q + 1;
    }
    char *bang = strrchr(p, '!');
    if (bang) {
        char *r = bang + 1;
        while (isspace((unsigned char)*r))
            r++;
        size_t rl = name_len(r);
        const char *e = r + rl;
        while (isspace((unsigned char)*e))
            e++;
        if (!rl || *e)
            return fail(w, "bad parallel axis '! %s' in '${%s}'; expected '! NAME', "
                        "NAME an axis name or the key of an axis", r, body);
        if (!(s->parallel = ec_strndup(r, rl)))
            return EC_ENOMEM;
        *bang = '\0';
    }
    *rest = p;
    return EC_OK;
}

static int parse_axis(ec_sweep *s, const char *open, const char *close,
                      const where *w)
{
    char *whole = ec_strndup(open + 2, (size_t)(close - open - 2)), *body = NULL;
    if (!whole)
        return EC_ENOMEM;
    int is_range = 0, rc = parse_names(s, whole, &body, w);
    if (rc) {
        free(whole);
        return rc;
    }
    if (strstr(body, "${"))
        rc = fail(w, "nested '${' inside axis '${%s}'", body);
    else
        rc = parse_range(s, body, &is_range, w);
    if (rc == EC_OK && !is_range)
        rc = parse_list(s, body, w);
    free(whole);
    return rc;
}

int ec_sweep_parse(const char *text, const char *file, long line, const char *key,
                   ec_sweep **out, ec_diag *d)
{
    *out = NULL;
    const where wh = { file, line, key, d }, *w = &wh;
    ec_sweep *s = calloc(1, sizeof *s);
    if (!s)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    int rc = EC_OK;
    const char *open = strstr(text, "${");
    if (!open) {
        s->prefix = ec_strndup(text, strlen(text));
        s->suffix = ec_strndup("", 0);
        rc = s->prefix && s->suffix ? EC_OK : EC_ENOMEM;
    } else {
        /* the '}' that closes it: braces inside pair up, so an item may hold
         * a learner path's placeholders (${a-{device}.bin, b-{device}.bin}) */
        const char *close = open + 2;
        for (int depth = 0; *close && (*close != '}' || depth); close++)
            depth += (*close == '{') - (*close == '}');
        if (!*close)
            close = NULL;
        if (!close)
            rc = fail(w, "unbalanced '${' (missing '}')");
        else if (strstr(close + 1, "${"))
            rc = fail(w, "more than one '${...}' axis in one value");
        else
            rc = parse_axis(s, open, close, w);
        if (rc == EC_OK) {
            s->prefix = ec_strndup(text, (size_t)(open - text));
            s->suffix = ec_strndup(close + 1, strlen(close + 1));
            if (!s->prefix || !s->suffix)
                rc = EC_ENOMEM;
        }
    }
    if (rc) {
        if (rc == EC_ENOMEM)
            ec_diag_set(d, rc, NULL, 0, "out of memory");
        ec_sweep_free(s);
        return rc;
    }
    *out = s;
    return EC_OK;
}

void ec_sweep_free(ec_sweep *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->items[i]);
    free(s->items);
    free(s->prefix);
    free(s->suffix);
    free(s->name);
    free(s->parallel);
    free(s);
}

size_t ec_sweep_count(const ec_sweep *s)
{
    return s->n;
}

const char *ec_sweep_name(const ec_sweep *s)
{
    return s->name;
}

const char *ec_sweep_parallel(const ec_sweep *s)
{
    return s->parallel;
}

const char *ec_sweep_item(const ec_sweep *s, size_t i)
{
    return i < s->n ? s->items[i] : "";
}

size_t ec_sweep_render(const ec_sweep *s, size_t i, char *buf, size_t size)
{
    const char *mid = s->n > 0 ? ec_sweep_item(s, i) : "";
    int n = snprintf(buf, size, "%s%s%s", s->prefix, mid, s->suffix);
    return n < 0 ? 0 : (size_t)n;
}

/* ---- run lists --------------------------------------------------------- */

/* A chunk of string storage; run lists free their strings all at once. */
typedef struct block {
    struct block *next; /* older block */
    size_t used, cap;   /* bytes used and available in data */
    char data[];        /* the strings */
} block;

struct ec_runlist {
    ec_runcfg *runs;    /* the runs, run_number == index */
    size_t n, cap;      /* used and allocated runs */
    ec_cfgval *vals;    /* n_keys values per axis combination */
    ec_kv *itervars;    /* n_axes itervars per axis combination */
    block *mem;         /* all strings the runs point to */
};

static char *mem_alloc(ec_runlist *l, size_t size)
{
    if (!l->mem || l->mem->cap - l->mem->used < size) {
        size_t cap = size > 16384 ? size : 16384;
        block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = l->mem;
        b->used = 0;
        b->cap = cap;
        l->mem = b;
    }
    char *p = l->mem->data + l->mem->used;
    l->mem->used += size;
    return p;
}

static const char *mem_dup(ec_runlist *l, const char *s)
{
    size_t len = strlen(s);
    char *p = mem_alloc(l, len + 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

/* The value of k for axis item i, rendered into l's storage. */
static const char *mem_render(ec_runlist *l, const ec_sweep_key *k, size_t i)
{
    size_t len = ec_sweep_render(k->value, i, NULL, 0);
    char *p = mem_alloc(l, len + 1);
    if (p)
        ec_sweep_render(k->value, i, p, len + 1);
    return p;
}

/* text as a PATH value of k: joined to k->dir unless absolute or empty. */
static const char *mem_path(ec_runlist *l, const ec_sweep_key *k,
                            const char *text)
{
    if (!text || !ec_config_path_value(k->kind, text) || !k->dir[0] || !text[0] ||
        text[0] == '/')
        return text;
    size_t dl = strlen(k->dir), tl = strlen(text);
    int sep = k->dir[dl - 1] != '/';
    char *p = mem_alloc(l, dl + (size_t)sep + tl + 1);
    if (p)
        snprintf(p, dl + (size_t)sep + tl + 1, "%s%s%s", k->dir,
                 sep ? "/" : "", text);
    return p;
}

/* Parse a whole unsigned decimal 64-bit integer (digits only). */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)s[0]))
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return 0;
    *out = (uint64_t)v;
    return 1;
}

/* Read seed and repeat of one axis combination (vals in configOrder). */
static int seed_repeat(const ec_cfgval *vals, long seed_k, long repeat_k,
                       uint64_t *seed, long *repeat, ec_diag *d)
{
    *seed = 1;
    if (seed_k >= 0 && !parse_u64(vals[seed_k].text, seed))
        return ec_cfgval_error(&vals[seed_k], d, "expected an unsigned "
                               "64-bit integer, got '%s'", vals[seed_k].text);
    *repeat = 1;
    if (repeat_k < 0)
        return EC_OK;
    ec_runcfg one = { .n = 1, .vals = &vals[repeat_k] }; /* the repeat value alone */
    return ec_runcfg_int(&one, "repeat", 1, 1, EC_CONFIG_MAX_RUNS, repeat, d);
}

/* Fill the values shared by every combination; set *n_axes and axis[]. */
static int prototype(ec_runlist *l, const ec_sweep_key *keys, size_t n,
                     ec_cfgval *proto, size_t *axis, size_t *n_axes)
{
    const char *last_in = NULL, *last_out = NULL;
    *n_axes = 0;
    for (size_t k = 0; k < n; k++) {
        const ec_sweep_key *key = &keys[k];
        if (strcmp(key->file, EC_CONFIG_CMDLINE) == 0) {
            proto[k].file = EC_CONFIG_CMDLINE;
        } else {
            if (key->file != last_in) {
                last_in = key->file;
                last_out = mem_dup(l, key->file);
            }
            proto[k].file = last_out;
        }
        proto[k].key = mem_dup(l, key->key);
        proto[k].line = key->line;
        proto[k].kind = key->kind;
        if (ec_sweep_count(key->value) > 0) {
            axis[(*n_axes)++] = k;
            proto[k].text = proto[k].value = "";
        } else {
            proto[k].text = mem_render(l, key, 0);
            proto[k].value = mem_path(l, key, proto[k].text);
        }
        if (!proto[k].file || !proto[k].key || !proto[k].text ||
            !proto[k].value)
            return EC_ENOMEM;
    }
    return EC_OK;
}

/* The axes of a section: for each, its itervar name and the axis whose
 * digit it takes (itself, or the root of its parallel chain). */
typedef struct axes {
    size_t *key;          /* [n] index in keys of axis a (configOrder) */
    const char **name;    /* [n] itervar name: the axis's name, else its key */
    size_t *root;         /* [n] the independent axis whose value index it takes */
    size_t n;
} axes;

/* "FILE:LINE: key 'k': " or "--set k: " errors about key k. */
static int key_error(const ec_sweep_key *k, ec_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int key_error(const ec_sweep_key *k, ec_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ec_diag_vkey(d, EC_ECONFIG, k->file, k->line, k->key, fmt, ap);
    va_end(ap);
    return rc;
}

/* Name every axis, check names are unique, and link each parallel axis
 * to its root, checking it has as many values. */
static int resolve_axes(const ec_sweep_key *keys, axes *x, ec_diag *d)
{
    for (size_t a = 0; a < x->n; a++) {
        const ec_sweep *v = keys[x->key[a]].value;
        x->name[a] = ec_sweep_name(v) ? ec_sweep_name(v) : keys[x->key[a]].key;
        for (size_t b = 0; b < a; b++)
            if (strcmp(x->name[a], x->name[b]) == 0)
                return key_error(&keys[x->key[a]], d, "axis name '%s' is taken by the axis of "
                                 "key '%s'", x->name[a], keys[x->key[b]].key);
    }
    for (size_t a = 0; a < x->n; a++) {
        size_t r = a, steps = 0;
        while (ec_sweep_parallel(keys[x->key[r]].value)) {
            const char *want = ec_sweep_parallel(keys[x->key[r]].value);
            size_t b = 0;
            while (b < x->n && strcmp(x->name[b], want) != 0)
                b++;
            if (b == x->n) /* not a name: the key of a named axis? */
                for (b = 0; b < x->n && strcmp(keys[x->key[b]].key, want) != 0; b++)
                    ;
            if (b == x->n)
                return key_error(&keys[x->key[r]], d, "'! %s': no axis named '%s' and no axis "
                                 "of key '%s' in this section", want, want, want);
            if (++steps > x->n)
                return key_error(&keys[x->key[a]], d, "parallel axes form a cycle through "
                                 "'%s'", x->name[a]);
            r = b;
        }
        x->root[a] = r;
        size_t na = ec_sweep_count(keys[x->key[a]].value);
        size_t nr = ec_sweep_count(keys[x->key[r]].value);
        if (na != nr)
            return key_error(&keys[x->key[a]], d, "axis '%s' has %zu values but iterates in "
                             "parallel with axis '%s', which has %zu", x->name[a], na,
                             x->name[r], nr);
    }
    return EC_OK;
}

/* Fill combination ci's values and itervars; digits of ci in the order of
 * the independent axes, the last varying fastest; a parallel axis takes
 * its root's digit. */
static int combination(ec_runlist *l, const ec_sweep_key *keys, size_t ci,
                       const axes *x, size_t *digit, ec_cfgval *v, ec_kv *iv)
{
    for (size_t a = x->n; a-- > 0;) {
        if (x->root[a] != a)
            continue;
        size_t cnt = ec_sweep_count(keys[x->key[a]].value);
        digit[a] = ci % cnt;
        ci /= cnt;
    }
    for (size_t a = 0; a < x->n; a++) {
        const ec_sweep_key *key = &keys[x->key[a]];
        size_t dg = digit[x->root[a]];
        ec_cfgval *val = &v[x->key[a]];
        val->text = mem_render(l, key, dg);
        val->value = mem_path(l, key, val->text);
        iv[a].key = ec_sweep_name(key->value) ? mem_dup(l, x->name[a]) : val->key;
        iv[a].value = mem_dup(l, ec_sweep_item(key->value, dg));
        if (!val->text || !val->value || !iv[a].key || !iv[a].value)
            return EC_ENOMEM;
    }
    return EC_OK;
}

static long key_index(const ec_sweep_key *keys, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(keys[k].key, key) == 0)
            return (long)k;
    return -1;
}

/* Append repeat runs of one combination. */
static int add_runs(ec_runlist *l, const char *name, const char *file, const ec_cfgval *v,
                    size_t n, const ec_kv *iv, size_t n_axes, uint64_t seed,
                    long repeat)
{
    if (ec_grow(&l->runs, &l->cap, l->n + (size_t)repeat, sizeof *l->runs))
        return EC_ENOMEM;
    for (long rep = 0; rep < repeat; rep++) {
        l->runs[l->n] = (ec_runcfg){
            .config_name = name, .config_file = file, .run_number = (int)l->n,
            .replicate = (int)rep, .seed = seed + (uint64_t)rep,
            .n = n, .vals = v, .n_itervars = n_axes, .itervars = iv,
        };
        l->n++;
    }
    return EC_OK;
}

static int expand(ec_runlist *l, const char *config_name, const char *config_file,
                  const ec_sweep_key *keys, size_t n, axes *x, size_t *digit,
                  ec_diag *d)
{
    ec_cfgval *proto = calloc(n ? n : 1, sizeof *proto);
    const char *name = mem_dup(l, config_name);
    const char *file = mem_dup(l, config_file ? config_file : "");
    int rc = proto && name && file ? prototype(l, keys, n, proto, x->key, &x->n)
                                   : EC_ENOMEM;
    if (!rc)
        rc = resolve_axes(keys, x, d);
    size_t combos = 1, n_axes = x->n;
    for (size_t a = 0; !rc && a < n_axes; a++) {
        if (x->root[a] != a)
            continue;
        combos *= ec_sweep_count(keys[x->key[a]].value);
        if (combos > EC_CONFIG_MAX_RUNS)
            rc = ec_diag_set(d, EC_ERANGE, NULL, 0, "config '%s' expands to "
                             "more than %d runs", config_name,
                             EC_CONFIG_MAX_RUNS);
    }
    if (!rc && n && combos > (size_t)EC_CONFIG_MAX_VALUES / n)
        rc = ec_diag_set(d, EC_ERANGE, NULL, 0, "config '%s' expands to %zu axis combinations "
                         "of %zu keys: more than %ld values in all; expected fewer runs or "
                         "fewer keys", config_name, combos, n, EC_CONFIG_MAX_VALUES);
    if (!rc) {
        l->vals = calloc(combos * (n ? n : 1), sizeof *l->vals);
        l->itervars = calloc(combos * (n_axes ? n_axes : 1),
                             sizeof *l->itervars);
        if (!l->vals || !l->itervars)
            rc = EC_ENOMEM;
    }
    long seed_k = key_index(keys, n, "seed");
    long repeat_k = key_index(keys, n, "repeat");
    for (size_t ci = 0; !rc && ci < combos; ci++) {
        ec_cfgval *v = l->vals + ci * n;
        ec_kv *iv = l->itervars + ci * n_axes;
        if (n)
            memcpy(v, proto, n * sizeof *v);
        uint64_t seed;
        long repeat;
        rc = combination(l, keys, ci, x, digit, v, iv);
        if (!rc)
            rc = seed_repeat(v, seed_k, repeat_k, &seed, &repeat, d);
        if (!rc && l->n + (size_t)repeat > EC_CONFIG_MAX_RUNS)
            rc = ec_diag_set(d, EC_ERANGE, NULL, 0, "config '%s' expands to "
                             "more than %d runs", config_name,
                             EC_CONFIG_MAX_RUNS);
        if (!rc)
            rc = add_runs(l, name, file, v, n, iv, n_axes, seed, repeat);
    }
    free(proto);
    return rc;
}

int ec_sweep_expand(const char *config_name, const char *config_file,
                    const ec_sweep_key *keys, size_t n, ec_runlist **out, ec_diag *d)
{
    *out = NULL;
    ec_runlist *l = calloc(1, sizeof *l);
    size_t m = n ? n : 1;
    axes x = { .key = calloc(m, sizeof *x.key), .name = calloc(m, sizeof *x.name),
               .root = calloc(m, sizeof *x.root) };
    size_t *digit = calloc(m, sizeof *digit);
    int rc = l && x.key && x.name && x.root && digit
                 ? expand(l, config_name, config_file, keys, n, &x, digit, d) : EC_ENOMEM;
    free(x.key);
    free(x.name);
    free(x.root);
    free(digit);
    if (rc) {
        if (rc == EC_ENOMEM)
            ec_diag_set(d, rc, NULL, 0, "out of memory");
        ec_runlist_free(l);
        return rc;
    }
    *out = l;
    return EC_OK;
}

size_t ec_runlist_count(const ec_runlist *l)
{
    return l->n;
}

const ec_runcfg *ec_runlist_get(const ec_runlist *l, size_t i)
{
    return i < l->n ? &l->runs[i] : NULL;
}

void ec_runlist_free(ec_runlist *l)
{
    if (!l)
        return;
    while (l->mem) {
        block *b = l->mem;
        l->mem = b->next;
        free(b);
    }
    free(l->runs);
    free(l->vals);
    free(l->itervars);
    free(l);
}

/* warnings: runs whose results should not be trusted as they are: an
 * overloaded resource, replicates that do not differ (see summary.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/summary.h"

#include "sim/base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The n scalars of a run sorted by (module, name, index): scalar_of finds
 * a (module, name) by bisection instead of a scan (a run of N devices has
 * some 10·N scalars, and each resource's is looked up). */
typedef struct scalar_index {
    const ec_stored_scalar *s; /* the scalars, in stored order */
    size_t *by;                /* [n] indices into s, sorted by (module, name, index) */
    size_t n;
} scalar_index;

static const ec_stored_scalar *sort_base;

static int cmp_key(const ec_stored_scalar *x, size_t ix, const char *module, const char *name,
                   size_t i)
{
    int c = strcmp(x->module, module);
    if (!c)
        c = strcmp(x->name, name);
    return c ? c : (ix > i) - (ix < i);
}

static int cmp_scalar(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    return cmp_key(&sort_base[i], i, sort_base[j].module, sort_base[j].name, j);
}

/* The index over s[n]; EC_OK or EC_ENOMEM. */
static int index_scalars(scalar_index *x, const ec_stored_scalar *s, size_t n)
{
    x->s = s;
    x->n = n;
    if (!(x->by = malloc((n ? n : 1) * sizeof *x->by)))
        return EC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        x->by[i] = i;
    sort_base = s;
    qsort(x->by, n, sizeof *x->by, cmp_scalar);
    return EC_OK;
}

/* First position in x->by whose key is >= (module, name, i). */
static size_t lower_bound(const scalar_index *x, const char *module, const char *name, size_t i)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(&x->s[x->by[mid]], x->by[mid], module, name, i) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Scalar name of module into *v: 1 if found.  The one a scan from `from`
 * that wraps around would meet first (a module's scalars are stored
 * together): the first at or after `from`, else the first of all. */
static int scalar_of(const scalar_index *x, size_t from, const char *module, const char *name,
                     double *v)
{
    size_t k = lower_bound(x, module, name, from);
    if (k == x->n || strcmp(x->s[x->by[k]].module, module) || strcmp(x->s[x->by[k]].name, name))
        k = lower_bound(x, module, name, 0);
    if (k == x->n || strcmp(x->s[x->by[k]].module, module) || strcmp(x->s[x->by[k]].name, name))
        return 0;
    *v = x->s[x->by[k]].value;
    return 1;
}

/* A warning line for each overloaded resource of run (EC_OVERLOAD_*). */
static int overloads(ec_reader *rd, const ec_stored_run *run, FILE *out, size_t *count,
                     ec_diag *d)
{
    ec_stored_scalar *s;
    size_t n;
    double t, u, b;
    int code = ec_reader_scalars(rd, run->id, &s, &n, d);
    if (code)
        return code;
    scalar_index x;
    if (index_scalars(&x, s, n)) {
        ec_stored_scalars_free(s, n);
        return EC_ENOMEM;
    }
    int timed = scalar_of(&x, 0, "run", "simTime_s", &t);
    for (size_t i = 0; timed && i < n; i++) {
        if (strcmp(s[i].name, "backlog_s") ||
            !scalar_of(&x, i, s[i].module, "utilisation", &u))
            continue;
        b = s[i].value;
        if (!(b > EC_OVERLOAD_SHARE * t && b > EC_OVERLOAD_MIN_S && u >= EC_OVERLOAD_UTIL))
            continue;
        (*count)++;
        fprintf(out, "warning: %s: %s is overloaded: %.1f s of work queued when the last frame "
                     "arrived (utilisation %.2f, run %.1f s of simulated time); its arrivals come "
                     "faster than it serves, so delays grow with the run's length\n",
                run->name, s[i].module, b, u, t);
    }
    free(x.by);
    ec_stored_scalars_free(s, n);
    return EC_OK;
}

/* Run r's sweep point as stored: every itervar "k=v", ", "-separated;
 * malloc'd, NULL when out of memory. */
static char *point_of(const ec_stored_run *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    for (size_t i = 0; i < r->n_itervars; i++)
        fprintf(f, "%s%s=%s", i ? ", " : "", r->itervars[i].key, r->itervars[i].value);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* One set of runs of one config and sweep point with one fingerprint. */
typedef struct same {
    const ec_stored_run *first; /* its first run (config, fingerprint) */
    char *point;                /* its sweep point (point_of) */
    char *names;                /* its runs' names, ", "-separated */
    size_t n;                   /* its runs */
} same;

/* Add run r to the set it belongs to in *sets (made when new). */
static int add_same(same **sets, size_t *n, size_t *cap, const ec_stored_run *r)
{
    char *point = point_of(r);
    if (!point)
        return EC_ENOMEM;
    size_t i = 0;
    while (i < *n && (strcmp((*sets)[i].first->config, r->config) ||
                      strcmp((*sets)[i].point, point) ||
                      strcmp((*sets)[i].first->fingerprint, r->fingerprint)))
        i++;
    if (i == *n) {
        if (ec_grow((void **)sets, cap, *n + 1, sizeof **sets)) {
            free(point);
            return EC_ENOMEM;
        }
        (*sets)[(*n)++] = (same){ .first = r, .point = point, .names = strdup(r->name), .n = 1 };
        return (*sets)[i].names ? EC_OK : EC_ENOMEM;
    }
    free(point);
    same *s = &(*sets)[i];
    char *names = malloc(strlen(s->names) + strlen(r->name) + 3);
    if (!names)
        return EC_ENOMEM;
    sprintf(names, "%s, %s", s->names, r->name);
    free(s->names);
    s->names = names;
    s->n++;
    return EC_OK;
}

/* One looping trace: a ".loops" attribute and its value, and the runs that
 * have both. */
typedef struct looped {
    char *attr;      /* "uplink.loops", "group.tx2.device_load.loops", ... */
    double loops;    /* times the trace looped */
    char *names;     /* the runs, ", "-separated */
    size_t n;        /* how many */
} looped;

/* The attributes "PREFIX.loops" above EC_LOOPS_WARN of run into *sets. */
static int add_loops(ec_reader *rd, const ec_stored_run *run, looped **sets, size_t *n,
                     size_t *cap, ec_diag *d)
{
    ec_kv *kv;
    size_t m;
    int code = ec_reader_attrs(rd, run->id, &kv, &m, d);
    for (size_t i = 0; !code && i < m; i++) {
        size_t len = strlen(kv[i].key);
        double loops = strtod(kv[i].value, NULL);
        if (len < 7 || strcmp(kv[i].key + len - 6, ".loops") || !(loops > EC_LOOPS_WARN))
            continue;
        size_t k = 0;
        while (k < *n && (strcmp((*sets)[k].attr, kv[i].key) || (*sets)[k].loops != loops))
            k++;
        if (k == *n) {
            if (ec_grow(sets, cap, *n + 1, sizeof **sets)) {
                code = EC_ENOMEM;
                break;
            }
            (*sets)[(*n)++] = (looped){ .attr = ec_strdup(kv[i].key), .loops = loops,
                                        .names = ec_strdup("") };
            if (!(*sets)[k].attr || !(*sets)[k].names) {
                code = EC_ENOMEM;
                break;
            }
        }
        looped *l = &(*sets)[k];
        char *names = malloc(strlen(l->names) + strlen(run->name) + 3);
        if (!names) {
            code = EC_ENOMEM;
            break;
        }
        sprintf(names, "%s%s%s", l->names, l->n ? ", " : "", run->name);
        free(l->names);
        l->names = names;
        l->n++;
    }
    ec_kv_free(kv, m);
    return code;
}

/* A warning line for each looping trace of the runs. */
static int loop_warnings(ec_reader *rd, const ec_stored_run *runs, size_t k, FILE *out,
                         size_t *count, ec_diag *d)
{
    looped *sets = NULL;
    size_t n = 0, cap = 0;
    int code = EC_OK;
    for (size_t i = 0; !code && i < k; i++)
        code = add_loops(rd, &runs[i], &sets, &n, &cap, d);
    for (size_t i = 0; !code && i < n; i++) {
        const looped *l = &sets[i];
        size_t plen = strlen(l->attr) - 6;
        (*count)++;
        fprintf(out, "warning: the %.*s trace looped %.1f times in %s%s: the run replays the "
                     "same pattern over and over (a longer trace or a generated one, "
                     "%.*s.gen, does not), and replicates that differ only in %.*s.start_s "
                     "are rotations of one trace\n",
                (int)plen, l->attr, l->loops, l->n > 1 ? "the runs " : "", l->names, (int)plen,
                l->attr, (int)plen, l->attr);
    }
    for (size_t i = 0; i < n; i++) {
        free(sets[i].attr);
        free(sets[i].names);
    }
    free(sets);
    return code;
}

int ec_summary_warnings(ec_reader *rd, const char *const *run_names, size_t n, FILE *out,
                        size_t *n_warnings, ec_diag *d)
{
    *n_warnings = 0;
    ec_stored_run *runs = calloc(n ? n : 1, sizeof *runs);
    same *sets = NULL;
    size_t k = 0, n_sets = 0, cap = 0;
    int code = runs ? EC_OK : EC_ENOMEM;
    for (size_t i = 0; !code && i < n; i++) {
        int found;
        code = ec_reader_run(rd, run_names[i], &runs[k], &found, d);
        k += !code && found;
    }
    for (size_t i = 0; !code && i < k; i++)
        code = overloads(rd, &runs[i], out, n_warnings, d);
    for (size_t i = 0; !code && i < k; i++)
        code = add_same(&sets, &n_sets, &cap, &runs[i]);
    if (!code)
        code = loop_warnings(rd, runs, k, out, n_warnings, d);
    for (size_t i = 0; !code && i < n_sets; i++) {
        const same *s = &sets[i];
        if (s->n < 2)
            continue;
        (*n_warnings)++;
        fprintf(out, "warning: the %zu replicates %s of %s%s%s%s are identical (fingerprint "
                     "%s): a replicate must differ in something, e.g. a random trace start "
                     "(PREFIX.start_s = random) or a random learner\n",
                s->n, s->names, s->first->config, *s->point ? " (" : "", s->point,
                *s->point ? ")" : "", s->first->fingerprint);
    }
    if (code == EC_ENOMEM)
        ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n_sets; i++) {
        free(sets[i].point);
        free(sets[i].names);
    }
    free(sets);
    ec_stored_runs_free(runs, k);
    return code;
}

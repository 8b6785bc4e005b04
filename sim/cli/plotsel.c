/* plotsel: selecting and grouping runs for figures and reports (see
 * plotsel.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/plotsel.h"

#include "sim/base/suggest.h"
#include "sim/base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int oom(ec_diag *d)
{
    return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
}

/* Whether an itervar only tells replicates apart. */
static int replicate_var(const char *name)
{
    return !strcmp(name, "replicate") || !strcmp(name, "repetition") || !strcmp(name, "seed");
}

/* a and b as the same value: equal text, or equal numbers. */
static int same_value(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    return ea != a && eb != b && !*ea && !*eb && x == y;
}

/* Run r's value of sweep axis name (not a replicate's), or NULL. */
static const char *point_var(const ec_stored_run *r, const char *name)
{
    for (size_t i = 0; i < r->n_itervars; i++)
        if (!replicate_var(r->itervars[i].key) && strcmp(r->itervars[i].key, name) == 0)
            return r->itervars[i].value;
    return NULL;
}

/* Whether run r passes condition NAME=VALUE: an itervar, else `config`, else
 * a config key of the run. */
static int passes(ec_reader *rd, const ec_stored_run *r, const char *cond, int *ok, ec_diag *d)
{
    const char *eq = strchr(cond, '=');
    char *name = ec_strndup(cond, (size_t)(eq - cond));
    if (!name)
        return oom(d);
    const char *want = eq + 1, *have = strcmp(name, "config") == 0 ? r->config
                                                                 : point_var(r, name);
    int code = EC_OK;
    if (have) {
        *ok = same_value(have, want);
    } else {
        char *v;
        code = ec_reader_config(rd, r->id, name, &v, d);
        *ok = !code && v && same_value(v, want);
        free(v);
    }
    free(name);
    return code;
}

/* Whether run r is selected by f. */
static int selected(ec_reader *rd, const ec_stored_run *r, const ec_plot_filter *f, int *ok,
                    ec_diag *d)
{
    *ok = f->n_configs == 0;
    for (size_t i = 0; i < f->n_configs && !*ok; i++)
        *ok = strcmp(f->configs[i], r->config) == 0;
    int code = EC_OK;
    for (size_t i = 0; i < f->n_where && *ok && !code; i++)
        code = passes(rd, r, f->where[i], ok, d);
    return code;
}

/* Whether run r belongs to group g: the same config and sweep point. */
static int same_point(const ec_plot_group *g, const ec_stored_run *r)
{
    if (strcmp(g->config, r->config) != 0)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < r->n_itervars; i++) {
        if (replicate_var(r->itervars[i].key))
            continue;
        if (k == g->n_itervars || strcmp(g->itervars[k].key, r->itervars[i].key) ||
            strcmp(g->itervars[k].value, r->itervars[i].value))
            return 0;
        k++;
    }
    return k == g->n_itervars;
}

/* A new group for run r: its config and sweep point copied. */
static int new_group(ec_plot_group *g, const ec_stored_run *r)
{
    *g = (ec_plot_group){ .config = strdup(r->config) };
    int bad = !g->config;
    for (size_t i = 0; !bad && i < r->n_itervars; i++)
        if (!replicate_var(r->itervars[i].key))
            bad = ec_kv_append(&g->itervars, &g->n_itervars, r->itervars[i].key,
                               r->itervars[i].value) != EC_OK;
    return bad ? EC_ENOMEM : EC_OK;
}

/* Add run r to its group (made when new). */
static int add_run(ec_plot_groups *out, size_t *cap, const ec_stored_run *r)
{
    size_t i = 0;
    while (i < out->n && !same_point(&out->g[i], r))
        i++;
    if (i == out->n) {
        if (ec_grow((void **)&out->g, cap, out->n + 1, sizeof *out->g))
            return EC_ENOMEM;
        int code = new_group(&out->g[out->n++], r);
        if (code)
            return code;
    }
    ec_plot_group *g = &out->g[i];
    const ec_stored_run **runs = realloc(g->runs, (g->n_runs + 1) * sizeof *runs);
    if (!runs)
        return EC_ENOMEM;
    g->runs = runs;
    g->runs[g->n_runs++] = r;
    return EC_OK;
}

/* Whether itervar name takes more than one value over the groups. */
static int varies(const ec_plot_groups *gs, const char *name)
{
    const char *first = NULL;
    for (size_t i = 0; i < gs->n; i++) {
        const char *v = NULL;
        for (size_t k = 0; k < gs->g[i].n_itervars; k++)
            if (!strcmp(gs->g[i].itervars[k].key, name))
                v = gs->g[i].itervars[k].value;
        v = v ? v : "";
        if (i == 0)
            first = v;
        else if (strcmp(first, v) != 0)
            return 1;
    }
    return 0;
}

/* The label of group g among gs (plotsel.h), " (mean of N)" when
 * with_count and it has N > 1 runs; malloc'd, NULL when out of memory. */
static char *label_of(const ec_plot_groups *gs, const ec_plot_group *g, int with_count)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int parts = 0, all;
    size_t n_varying = 0;
    for (size_t k = 0; k < g->n_itervars; k++)
        n_varying += (size_t)varies(gs, g->itervars[k].key);
    all = n_varying == 0 && gs->n_configs == 1;  /* nothing tells it apart: say everything */
    if (gs->n_configs > 1 || all)
        fprintf(f, "%s", g->config);
    for (size_t k = 0; k < g->n_itervars; k++) {
        if (!all && !varies(gs, g->itervars[k].key))
            continue;
        fputs(parts++ ? ", " : (gs->n_configs > 1 || all) ? ": " : "", f);
        if (strcmp(g->itervars[k].key, "learner") == 0 && (n_varying == 1 || all))
            fputs(g->itervars[k].value, f);
        else
            fprintf(f, "%s=%s", g->itervars[k].key, g->itervars[k].value);
    }
    if (with_count && g->n_runs > 1)
        fprintf(f, " (mean of %zu)", g->n_runs);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

int ec_plot_labels(ec_plot_groups *gs, int with_count)
{
    gs->n_configs = 0;
    for (size_t i = 0; i < gs->n; i++) {
        size_t k = 0;
        while (k < i && strcmp(gs->g[k].config, gs->g[i].config))
            k++;
        gs->n_configs += k == i;
    }
    for (size_t i = 0; i < gs->n; i++) {
        char *l = label_of(gs, &gs->g[i], with_count), *nm = label_of(gs, &gs->g[i], 0);
        if (!l || !nm) {
            free(l);
            free(nm);
            return EC_ENOMEM;
        }
        free(gs->g[i].label);
        free(gs->g[i].name);
        gs->g[i].label = l;
        gs->g[i].name = nm;
    }
    return EC_OK;
}

void ec_plot_group_ids(const ec_plot_group *g, int64_t *ids)
{
    for (size_t i = 0; i < g->n_runs; i++)
        ids[i] = g->runs[i]->id;
}

/* ---- nothing selected: what there is -------------------------------- */

/* A set of names in first-seen order. */
typedef struct names {
    const char **v;
    size_t *count;   /* [n] how often each was added */
    size_t n, cap, cap_count;
} names;

/* Add name to ns (once; counting).  EC_OK or EC_ENOMEM. */
static int names_add(names *ns, const char *name)
{
    for (size_t i = 0; i < ns->n; i++)
        if (!strcmp(ns->v[i], name)) {
            ns->count[i]++;
            return EC_OK;
        }
    if (ec_grow((void **)&ns->v, &ns->cap, ns->n + 1, sizeof *ns->v) ||
        ec_grow((void **)&ns->count, &ns->cap_count, ns->n + 1, sizeof *ns->count))
        return EC_ENOMEM;
    ns->count[ns->n] = 1;
    ns->v[ns->n++] = name;
    return EC_OK;
}

static void names_free(names *ns)
{
    free(ns->v);
    free(ns->count);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "; -c 'X': did you mean 'Y'?" (or --where NAME) into hint for the first
 * config name of f, or name of a condition, that the database does not have
 * but has one close to; "" if none.  configs: the configs there are;
 * fields: the itervars and config keys there are, sorted. */
static void selection_hint(const ec_plot_filter *f, const names *configs, const names *fields,
                           char *hint, size_t n)
{
    hint[0] = '\0';
    for (int q = 0; q < 2 && !hint[0]; q++) {
        const names *known = q ? fields : configs;
        size_t m = q ? f->n_where : f->n_configs;
        for (size_t i = 0; i < m && !hint[0]; i++) {
            char bad[256];
            if (q)
                snprintf(bad, sizeof bad, "%.*s", (int)strcspn(f->where[i], "="), f->where[i]);
            else
                snprintf(bad, sizeof bad, "%s", f->configs[i]);
            ec_suggest sg = EC_SUGGEST_INIT(bad);
            int found = 0;
            for (size_t k = 0; k < known->n && !found; k++)
                if (!(found = !strcmp(known->v[k], bad)))
                    ec_suggest_add(&sg, known->v[k]);
            if (!found && sg.best)
                snprintf(hint, n, "; %s '%s': did you mean '%s'?", q ? "--where" : "-c", bad,
                         sg.best);
        }
    }
}

/* EC_ENOTFOUND listing what the database holds. */
static int nothing(ec_reader *rd, const ec_stored_run *all, size_t n_all,
                   const ec_plot_filter *f, ec_diag *d)
{
    const char *path = ec_reader_path(rd);
    if (!n_all)
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "no finished run (status 'done')");
    names configs = { 0 }, ivs = { 0 }, fields = { 0 };
    char **keys = NULL;
    size_t n_keys = 0;
    int code = ec_reader_config_keys(rd, &keys, &n_keys, d);
    for (size_t i = 0; !code && i < n_all; i++) {
        code = names_add(&configs, all[i].config);
        for (size_t k = 0; !code && k < all[i].n_itervars; k++)
            code = names_add(&ivs, all[i].itervars[k].key);
    }
    for (size_t i = 0; !code && i < ivs.n; i++)
        code = names_add(&fields, ivs.v[i]);
    for (size_t i = 0; !code && i < n_keys; i++)
        code = names_add(&fields, keys[i]);
    if (!code) {
        char cs[400] = "", is[400] = "", hint[600];
        size_t cl = 0, il = 0;
        /* configs in name order with their run counts */
        const char **sorted = malloc((configs.n ? configs.n : 1) * sizeof *sorted);
        if (!sorted) {
            code = EC_ENOMEM;
        } else {
            memcpy(sorted, configs.v, configs.n * sizeof *sorted);
            qsort(sorted, configs.n, sizeof *sorted, by_name);
            for (size_t i = 0; i < configs.n && cl < sizeof cs; i++) {
                size_t k = 0;
                while (strcmp(configs.v[k], sorted[i]))
                    k++;
                cl += (size_t)snprintf(cs + cl, sizeof cs - cl, "%s%s (%zu runs)", i ? ", " : "",
                                       sorted[i], configs.count[k]);
            }
            free(sorted);
        }
        for (size_t i = 0; i < ivs.n && il < sizeof is; i++)
            il += (size_t)snprintf(is + il, sizeof is - il, "%s%s", i ? "," : "", ivs.v[i]);
        if (fields.n)
            qsort(fields.v, fields.n, sizeof *fields.v, by_name);
        selection_hint(f, &configs, &fields, hint, sizeof hint);
        if (!code)
            code = ec_diag_set(d, EC_ENOTFOUND, path, 0, "no finished run matches the "
                               "selection; configs: %s; itervars: %s%s", cs,
                               is[0] ? is : "none", hint);
    }
    if (code == EC_ENOMEM)
        oom(d);
    ec_reader_names_free(keys, n_keys);
    names_free(&configs);
    names_free(&ivs);
    names_free(&fields);
    return code;
}

/* Runs in replicate order (then run number): a group's first run is its
 * first replicate, whatever order the runs were written in. */
static int by_replicate(const void *a, const void *b)
{
    const ec_stored_run *x = *(const ec_stored_run *const *)a;
    const ec_stored_run *y = *(const ec_stored_run *const *)b;
    if (x->replicate != y->replicate)
        return x->replicate < y->replicate ? -1 : 1;
    if (x->run_number != y->run_number)
        return x->run_number < y->run_number ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

int ec_plot_select(ec_reader *rd, const ec_plot_filter *f, ec_plot_groups *out, ec_diag *d)
{
    static const ec_plot_filter every = { 0 };
    *out = (ec_plot_groups){ 0 };
    f = f ? f : &every;
    for (size_t i = 0; i < f->n_where; i++)
        if (!strchr(f->where[i], '=') || f->where[i][0] == '=')
            return ec_diag_set(d, EC_EUSAGE, NULL, 0, "--where expects NAME=VALUE, got '%s'",
                               f->where[i]);
    size_t cap = 0;
    int code = ec_reader_runs(rd, &out->all, &out->n_all, d);
    for (size_t i = 0; !code && i < out->n_all; i++) {
        int ok;
        code = selected(rd, &out->all[i], f, &ok, d);
        if (!code && ok && add_run(out, &cap, &out->all[i]))
            code = oom(d);
    }
    for (size_t i = 0; !code && i < out->n; i++)
        qsort(out->g[i].runs, out->g[i].n_runs, sizeof *out->g[i].runs, by_replicate);
    if (!code && out->n == 0)
        code = nothing(rd, out->all, out->n_all, f, d);
    if (!code && ec_plot_labels(out, 1))
        code = oom(d);
    if (code)
        ec_plot_groups_free(out);
    return code;
}

void ec_plot_groups_free(ec_plot_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        ec_plot_group *g = &gs->g[i];
        free(g->config);
        ec_kv_free(g->itervars, g->n_itervars);
        free(g->runs);
        free(g->label);
        free(g->name);
    }
    free(gs->g);
    ec_stored_runs_free(gs->all, gs->n_all);
    *gs = (ec_plot_groups){ 0 };
}

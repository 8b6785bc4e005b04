/* plotsel: selecting and grouping runs for figures and reports (see
 * plotsel.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/plotsel.h"
#include "sim/store/store.h"
#include "sim/base/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One finished run as read. */
typedef struct prun {
    sqlite3_int64 id;
    char *config;
    ec_kv *iv;      /* its itervars but replicate, repetition, seed */
    size_t n_iv;
} prun;

static void prun_free(prun *r)
{
    for (size_t i = 0; i < r->n_iv; i++) {
        free((char *)r->iv[i].key);
        free((char *)r->iv[i].value);
    }
    free(r->iv);
    free(r->config);
}

static int oom(ec_diag *d)
{
    return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
}

/* Read the itervars of run r with st (?1 = runId). */
static int read_itervars(sqlite3_stmt *st, prun *r)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, r->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ec_kv *kv = realloc(r->iv, (r->n_iv + 1) * sizeof *kv);
        if (!kv)
            return SQLITE_NOMEM;
        r->iv = kv;
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        char *kc = strdup(k ? k : ""), *vc = strdup(v ? v : "");
        if (!kc || !vc) {
            free(kc);
            free(vc);
            return SQLITE_NOMEM;
        }
        r->iv[r->n_iv++] = (ec_kv){ kc, vc };
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
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

static const char *itervar(const prun *r, const char *name)
{
    for (size_t i = 0; i < r->n_iv; i++)
        if (strcmp(r->iv[i].key, name) == 0)
            return r->iv[i].value;
    return NULL;
}

/* Whether run r passes condition NAME=VALUE (cfg: ?1 runId, ?2 key). */
static int passes(sqlite3_stmt *cfg, const prun *r, const char *cond, int *ok)
{
    const char *eq = strchr(cond, '=');
    size_t nl = (size_t)(eq - cond);
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(nl < sizeof name ? nl : sizeof name - 1), cond);
    const char *want = eq + 1, *have = strcmp(name, "config") == 0 ? r->config : itervar(r, name);
    if (have) {
        *ok = same_value(have, want);
        return SQLITE_OK;
    }
    sqlite3_reset(cfg);
    sqlite3_bind_int64(cfg, 1, r->id);
    sqlite3_bind_text(cfg, 2, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(cfg);
    *ok = rc == SQLITE_ROW && same_value((const char *)sqlite3_column_text(cfg, 0), want);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Whether run r is selected by f. */
static int selected(sqlite3_stmt *cfg, const prun *r, const ec_plot_filter *f, int *ok)
{
    *ok = f->n_configs == 0;
    for (size_t i = 0; i < f->n_configs && !*ok; i++)
        *ok = strcmp(f->configs[i], r->config) == 0;
    int rc = SQLITE_OK;
    for (size_t i = 0; i < f->n_where && *ok && rc == SQLITE_OK; i++)
        rc = passes(cfg, r, f->where[i], ok);
    return rc;
}

/* Whether run r belongs to group g. */
static int same_point(const ec_plot_group *g, const prun *r)
{
    if (strcmp(g->config, r->config) != 0 || g->n_itervars != r->n_iv)
        return 0;
    for (size_t i = 0; i < r->n_iv; i++)
        if (strcmp(g->itervars[i].key, r->iv[i].key) || strcmp(g->itervars[i].value, r->iv[i].value))
            return 0;
    return 1;
}

/* Add run r to its group (made when new; r's strings move into it). */
static int add_run(ec_plot_groups *out, prun *r)
{
    size_t i = 0;
    while (i < out->n && !same_point(&out->g[i], r))
        i++;
    if (i == out->n) {
        ec_plot_group *g = realloc(out->g, (out->n + 1) * sizeof *g);
        if (!g)
            return EC_ENOMEM;
        out->g = g;
        g[out->n++] = (ec_plot_group){ .config = r->config, .itervars = r->iv,
                                        .n_itervars = r->n_iv };
        *r = (prun){ .id = r->id };
    }
    ec_plot_group *g = &out->g[i];
    sqlite3_int64 *ids = realloc(g->runs, (g->n_runs + 1) * sizeof *ids);
    if (!ids)
        return EC_ENOMEM;
    g->runs = ids;
    g->runs[g->n_runs++] = r->id;
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

/* The JSON id list of group g. */
static int ids_of(ec_plot_group *g)
{
    size_t len = 0;
    FILE *f = open_memstream(&g->ids, &len);
    if (!f)
        return EC_ENOMEM;
    fputc('[', f);
    for (size_t i = 0; i < g->n_runs; i++)
        fprintf(f, "%s%lld", i ? "," : "", (long long)g->runs[i]);
    fputc(']', f);
    return fclose(f) == 0 ? EC_OK : EC_ENOMEM;
}

/* "; -c 'X': did you mean 'Y'?" (or --where NAME) into hint for the first
 * config name of f, or name of a condition, that the database does not have
 * but has one close to; "" if none. */
static void selection_hint(sqlite3 *db, const ec_plot_filter *f, char *hint, size_t n)
{
    hint[0] = '\0';
    static const char *const sql[2] = {
        "SELECT DISTINCT configName FROM run WHERE status = 'done'",
        "SELECT DISTINCT itervarName FROM runItervar UNION SELECT DISTINCT configKey"
        " FROM runConfig",
    };
    for (int q = 0; q < 2 && !hint[0]; q++) {
        size_t m = q ? f->n_where : f->n_configs;
        for (size_t i = 0; i < m && !hint[0]; i++) {
            char bad[256];
            if (q)
                snprintf(bad, sizeof bad, "%.*s", (int)strcspn(f->where[i], "="), f->where[i]);
            else
                snprintf(bad, sizeof bad, "%s", f->configs[i]);
            sqlite3_stmt *st;
            if (sqlite3_prepare_v2(db, sql[q], -1, &st, NULL) != SQLITE_OK)
                return;
            ec_suggest sg = EC_SUGGEST_INIT(bad);
            char best[256] = "";
            int found = 0;
            while (!found && sqlite3_step(st) == SQLITE_ROW) {
                const char *name = (const char *)sqlite3_column_text(st, 0);
                if (!name)
                    continue;
                found = !strcmp(name, bad);
                if (!found && ec_suggest_add(&sg, name)) {
                    snprintf(best, sizeof best, "%s", name);
                    sg.best = best;
                }
            }
            sqlite3_finalize(st);
            if (!found && best[0])
                snprintf(hint, n, "; %s '%s': did you mean '%s'?", q ? "--where" : "-c", bad,
                         best);
        }
    }
}

/* EC_ENOTFOUND listing what the database holds. */
static int nothing(sqlite3 *db, const char *path, int any, const ec_plot_filter *f,
                   ec_diag *d)
{
    if (!any)
        return ec_diag_set(d, EC_ENOTFOUND, path, 0, "no finished run (status 'done')");
    char configs[400] = "", ivs[400] = "";
    sqlite3_stmt *st;
    static const char *const sql[2] = {
        "SELECT group_concat(c || ' (' || n || ' runs)', ', ') FROM (SELECT configName AS c,"
        " COUNT(*) AS n FROM run WHERE status = 'done' GROUP BY configName)",
        "SELECT group_concat(DISTINCT itervarName) FROM runItervar",
    };
    for (int q = 0; q < 2; q++)
        if (sqlite3_prepare_v2(db, sql[q], -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
                snprintf(q ? ivs : configs, sizeof configs, "%s", sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
        }
    char hint[600];
    selection_hint(db, f, hint, sizeof hint);
    return ec_diag_set(d, EC_ENOTFOUND, path, 0, "no finished run matches the selection; "
                       "configs: %s; itervars: %s%s", configs, ivs[0] ? ivs : "none", hint);
}

int ec_plot_select(sqlite3 *db, const char *db_path, const ec_plot_filter *f,
                   ec_plot_groups *out, ec_diag *d)
{
    static const ec_plot_filter all = { 0 };
    *out = (ec_plot_groups){ 0 };
    f = f ? f : &all;
    for (size_t i = 0; i < f->n_where; i++)
        if (!strchr(f->where[i], '=') || f->where[i][0] == '=')
            return ec_diag_set(d, EC_EUSAGE, NULL, 0, "--where expects NAME=VALUE, got '%s'",
                               f->where[i]);
    sqlite3_stmt *runs = NULL, *iv = NULL, *cfg = NULL;
    int code = EC_OK, any = 0, rc;
    if (sqlite3_prepare_v2(db, "SELECT runId, configName FROM run WHERE status = 'done'"
                           " ORDER BY runId", -1, &runs, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT itervarName, itervarValue FROM runItervar WHERE"
                           " runId = ?1 AND itervarName NOT IN ('replicate', 'repetition',"
                           " 'seed') ORDER BY rowid", -1, &iv, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT configValue FROM runConfig WHERE runId = ?1 AND"
                           " configKey = ?2", -1, &cfg, NULL) != SQLITE_OK) {
        code = ec_diag_set(d, ec_store_input_status(sqlite3_errcode(db)), db_path, 0,
                           "not an edgecut results database: %s", sqlite3_errmsg(db));
        goto done;
    }
    while (!code && (rc = sqlite3_step(runs)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(runs, 1);
        prun r = { .id = sqlite3_column_int64(runs, 0), .config = strdup(c ? c : "") };
        int ok = 0;
        any = 1;
        rc = r.config ? read_itervars(iv, &r) : SQLITE_NOMEM;
        if (rc == SQLITE_OK)
            rc = selected(cfg, &r, f, &ok);
        if (rc == SQLITE_NOMEM)
            code = oom(d);
        else if (rc != SQLITE_OK)
            code = ec_diag_set(d, EC_EDB, db_path, 0, "cannot read runs: %s", sqlite3_errmsg(db));
        else if (ok && add_run(out, &r))
            code = oom(d);
        prun_free(&r);
    }
    if (!code && rc != SQLITE_DONE)
        code = ec_diag_set(d, EC_EDB, db_path, 0, "cannot read runs: %s", sqlite3_errmsg(db));
    if (!code && out->n == 0)
        code = nothing(db, db_path, any, f, d);
    for (size_t i = 0; !code && i < out->n; i++)
        if (ids_of(&out->g[i]))
            code = oom(d);
    if (!code && ec_plot_labels(out, 1))
        code = oom(d);
done:
    sqlite3_finalize(runs);
    sqlite3_finalize(iv);
    sqlite3_finalize(cfg);
    if (code)
        ec_plot_groups_free(out);
    return code;
}

void ec_plot_groups_free(ec_plot_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        ec_plot_group *g = &gs->g[i];
        prun r = { .config = g->config, .iv = g->itervars, .n_iv = g->n_itervars };
        prun_free(&r);
        free(g->runs);
        free(g->ids);
        free(g->label);
        free(g->name);
    }
    free(gs->g);
    *gs = (ec_plot_groups){ 0 };
}

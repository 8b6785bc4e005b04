/* export: a results database as CSV files (see export.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/export.h"

#include "sim/base/text.h"
#include "sim/cli/cli_cmds.h"
#include "sim/cli/csvout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One export: the database, the selected runs and the itervar columns. */
typedef struct exporter {
    ec_reader *rd;
    ec_plot_groups gs;        /* the selection */
    const char **vars;        /* [n_vars] itervar names over the selected runs, first-seen order */
    size_t n_vars, cap_vars;
    FILE *f;                  /* the file being written */
    ec_diag *d;
} exporter;

/* Add the itervar names of run r to x->vars. */
static int add_vars(exporter *x, const ec_stored_run *r)
{
    for (size_t i = 0; i < r->n_itervars; i++) {
        size_t k = 0;
        while (k < x->n_vars && strcmp(x->vars[k], r->itervars[i].key))
            k++;
        if (k < x->n_vars)
            continue;
        if (ec_grow(&x->vars, &x->cap_vars, x->n_vars + 1, sizeof *x->vars))
            return EC_ENOMEM;
        x->vars[x->n_vars++] = r->itervars[i].key;
    }
    return EC_OK;
}

/* The columns every file starts with: "runId,runName,config,VAR..." */
static void head(exporter *x)
{
    fputs("runId,runName,config", x->f);
    for (size_t k = 0; k < x->n_vars; k++) {
        fputc(',', x->f);
        ec_csv_field(x->f, x->vars[k]);
    }
}

/* Run r's values of those columns. */
static void who(exporter *x, const ec_stored_run *r)
{
    fprintf(x->f, "%lld,", (long long)r->id);
    ec_csv_field(x->f, r->name);
    fputc(',', x->f);
    ec_csv_field(x->f, r->config);
    for (size_t k = 0; k < x->n_vars; k++) {
        fputc(',', x->f);
        for (size_t i = 0; i < r->n_itervars; i++)
            if (!strcmp(r->itervars[i].key, x->vars[k])) {
                ec_csv_field(x->f, r->itervars[i].value);
                break;
            }
    }
}

/* The run being written, for the row callbacks. */
typedef struct rows_of {
    exporter *x;
    const ec_stored_run *r;
    const char *module, *name;  /* vectors: the vector's */
} rows_of;

static int frame_row(void *ctx, const ec_frame_rec *f)
{
    rows_of *o = ctx;
    FILE *out = o->x->f;
    who(o->x, o->r);
    fprintf(out, ",%d,%lld,%lld,%d,%d,%d,%d,%d,%lld,%lld,%lld,%lld,%lld,", f->device,
            (long long)f->frame, (long long)f->t_ns, f->action, f->cut, f->exit, f->bits,
            f->keyframe, (long long)f->front_ns, (long long)f->up_ns, (long long)f->edge_ns,
            (long long)f->down_ns, (long long)f->delay_ns);
    ec_csv_int(out, f->best_ns, -1);
    fputc(',', out);
    ec_csv_int(out, f->regret_ns, -1);
    fputc(',', out);
    ec_csv_number(out, f->accuracy);
    fputc(',', out);
    ec_csv_number(out, f->energy_j);
    fputc('\n', out);
    return ferror(out) ? EC_EIO : EC_OK;
}

static int sample_row(void *ctx, int64_t t_ns, double value)
{
    rows_of *o = ctx;
    who(o->x, o->r);
    fputc(',', o->x->f);
    ec_csv_field(o->x->f, o->module);
    fputc(',', o->x->f);
    ec_csv_field(o->x->f, o->name);
    fprintf(o->x->f, ",%lld,", (long long)t_ns);
    ec_csv_number(o->x->f, value);
    fputc('\n', o->x->f);
    return ferror(o->x->f) ? EC_EIO : EC_OK;
}

/* The rows of one file for run r. */
static int runs_rows(exporter *x, const ec_stored_run *r)
{
    who(x, r);
    fprintf(x->f, ",%d,%d,%llu,", r->run_number, r->replicate, (unsigned long long)r->seed);
    ec_csv_field(x->f, r->fingerprint);
    fputc('\n', x->f);
    return EC_OK;
}

static int scalars_rows(exporter *x, const ec_stored_run *r)
{
    ec_stored_scalar *s;
    size_t n;
    int code = ec_reader_scalars(x->rd, r->id, &s, &n, x->d);
    for (size_t i = 0; !code && i < n; i++) {
        who(x, r);
        fputc(',', x->f);
        ec_csv_field(x->f, s[i].module);
        fputc(',', x->f);
        ec_csv_field(x->f, s[i].name);
        fputc(',', x->f);
        ec_csv_number(x->f, s[i].value);
        fputc('\n', x->f);
    }
    if (!code)
        ec_stored_scalars_free(s, n);
    return code;
}

static int frames_rows(exporter *x, const ec_stored_run *r)
{
    rows_of o = { x, r, NULL, NULL };
    return ec_reader_frames(x->rd, r->id, NULL, frame_row, &o, x->d);
}

static int vectors_rows(exporter *x, const ec_stored_run *r)
{
    ec_kv *v;
    size_t n;
    int code = ec_reader_vectors(x->rd, r->id, &v, &n, x->d);
    for (size_t i = 0; !code && i < n; i++) {
        rows_of o = { x, r, v[i].key, v[i].value };
        int found;
        code = ec_reader_vector(x->rd, r->id, v[i].key, v[i].value, sample_row, &o, &found,
                                x->d);
    }
    if (!code)
        ec_kv_free(v, n);
    return code;
}

/* One file: its name, the columns after the run's, its rows per run. */
static const struct file {
    const char *name;
    const char *columns;
    int (*rows)(exporter *x, const ec_stored_run *r);
} files[] = {
    { "runs.csv", "runNumber,replicate,seed,fingerprint", runs_rows },
    { "scalars.csv", "module,name,value", scalars_rows },
    { "frames.csv", "device,frame,t_ns,action,cut,exit,bits,keyframe,front_ns,up_ns,edge_ns,"
                    "down_ns,delay_ns,best_ns,regret_ns,accuracy,energy_j", frames_rows },
    { "vectors.csv", "module,name,t_ns,value", vectors_rows },
};

/* Write file fl into dir: to DIR/NAME.tmp, renamed when complete. */
static int write_file(exporter *x, const struct file *fl, const char *dir, FILE *note)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/%s", dir, fl->name);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(x->f = fopen(tmp, "w")))
        return ec_diag_set(x->d, EC_EIO, tmp, 0, "cannot write: %s", strerror(errno));
    head(x);
    fprintf(x->f, ",%s\n", fl->columns);
    int code = EC_OK;
    for (size_t i = 0; !code && i < x->gs.n; i++)
        for (size_t r = 0; !code && r < x->gs.g[i].n_runs; r++)
            code = fl->rows(x, x->gs.g[i].runs[r]);
    if (code == EC_EIO || ferror(x->f))
        code = ec_diag_set(x->d, EC_EIO, tmp, 0, "cannot write: %s", strerror(errno));
    if (fclose(x->f) != 0 && !code)
        code = ec_diag_set(x->d, EC_EIO, tmp, 0, "cannot write: %s", strerror(errno));
    x->f = NULL;
    if (!code && rename(tmp, path) != 0)
        code = ec_diag_set(x->d, EC_EIO, path, 0, "cannot write: %s", strerror(errno));
    if (code)
        remove(tmp);
    else if (note)
        fprintf(note, "%s\n", path);
    return code;
}

int ec_export(const char *db_path, const ec_plot_filter *f, const char *out_dir, FILE *note,
              ec_diag *d)
{
    exporter x = { .d = d };
    int code = ec_reader_open(db_path, &x.rd, d);
    if (!code)
        code = ec_plot_select(x.rd, f, &x.gs, d);
    for (size_t i = 0; !code && i < x.gs.n; i++)
        for (size_t r = 0; !code && r < x.gs.g[i].n_runs; r++)
            if (add_vars(&x, x.gs.g[i].runs[r]))
                code = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!code)
        code = ec_cli_mkdirs(out_dir, d);
    for (size_t k = 0; !code && k < sizeof files / sizeof files[0]; k++)
        code = write_file(&x, &files[k], out_dir, note);
    free(x.vars);
    ec_plot_groups_free(&x.gs);
    ec_reader_free(x.rd);
    return code;
}

/* profile_csv: users' per-layer latency CSVs and ANS-shaped per-cut tables
 * (see profile_csv.h). */
#include "models/profile_csv.h"

#include "models/device_text.h"
#include "sim/base/text.h"
#include "models/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(EC_CUT_X_DIM == EC_ANS_DIM, "a cut row holds the ANS features");

#define MAX_COLS 64

/* A CSV file being read: its text and a line cursor. */
typedef struct csv {
    const char *path;
    char *text;
    ec_text_lines it;
} csv;

/* The next data line split into fields (blank and '#' lines skipped); 0 at
 * the end of the file. */
static size_t csv_row(csv *c, char **fields)
{
    char *line;
    while ((line = ec_text_next(&c->it))) {
        char *p = line + strspn(line, " \t");
        if (*p && *p != '#')
            return ec_text_split_csv(p, fields, MAX_COLS);
    }
    return 0;
}

static int csv_open(csv *c, const char *path, ec_diag *d)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    int rc = ec_text_read(path, "a CSV file", &c->text, d);
    c->it.p = c->text;
    if (c->text && !strncmp(c->text, "\xEF\xBB\xBF", 3))
        c->it.p += 3; /* a UTF-8 byte order mark, as spreadsheets write it */
    return rc;
}

/* Read the file at path with rows(), which fills obj from its lines; the
 * path is copied into *file. */
static int csv_load(const char *path, void *obj, char **file,
                    int (*rows)(csv *c, void *obj, ec_diag *d), ec_diag *d)
{
    csv c;
    int rc = csv_open(&c, path, d);
    if (!rc && !(*file = ec_strdup(path)))
        rc = EC_ENOMEM;
    if (!rc)
        rc = rows(&c, obj, d);
    free(c.text);
    return rc;
}

/* EC_EMODEL at the current line of c. */
#define CSV_ERR(c, d, ...) ec_diag_set(d, EC_EMODEL, (c)->path, (c)->it.line, __VA_ARGS__)

/* A number in [0, hi] in field f of column col, else EC_EMODEL. */
static int csv_num(csv *c, const char *f, const char *col, int integer, double hi, double *v,
                   ec_diag *d)
{
    int bad = ec_text_number(f, v);
    const char *what = bad ? (ec_text_overflows(f) ? "out of range" : "not a number")
                       : *v < 0 ? "negative" : *v > hi ? "out of range"
                       : integer && *v != floor(*v) ? "not a whole number" : NULL;
    if (what)
        return CSV_ERR(c, d, "%s: '%s' is %s; expected %s in [0, %g]", col, f, what,
                       integer ? "an integer" : "a number", hi);
    return EC_OK;
}

static int count_check(csv *c, size_t nf, size_t want, ec_diag *d)
{
    if (nf != want)
        return CSV_ERR(c, d, "%s%zu columns; expected %zu as in the header",
                       nf > MAX_COLS ? "more than " : "", nf > MAX_COLS ? (size_t)MAX_COLS : nf,
                       want);
    return EC_OK;
}

void ec_layer_profile_free(ec_layer_profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_layers; i++)
        free(p->names[i]);
    free(p->names);
    free(p->ms);
    free(p->lines);
    free(p->file);
    free(p);
}

int ec_layer_profile_push(ec_layer_profile *p, double ms, const char *name, long line)
{
    /* three columns of one length: each grows from p->cap alike, and p->cap
     * moves only when all three have */
    size_t need = p->n_layers + 1, cap_ms = p->cap, cap_names = p->cap, cap_lines = p->cap;
    if (ec_grow(&p->ms, &cap_ms, need, sizeof *p->ms) ||
        ec_grow(&p->names, &cap_names, need, sizeof *p->names) ||
        ec_grow(&p->lines, &cap_lines, need, sizeof *p->lines))
        return EC_ENOMEM;
    p->cap = cap_ms;
    p->names[p->n_layers] = NULL;
    if (name && !(p->names[p->n_layers] = ec_strdup(name)))
        return EC_ENOMEM;
    p->ms[p->n_layers] = ms;
    p->lines[p->n_layers] = line;
    p->n_layers++;
    return EC_OK;
}

static int layer_rows(csv *c, void *obj, ec_diag *d)
{
    ec_layer_profile *p = obj;
    char *f[MAX_COLS];
    size_t nh = csv_row(c, f);
    if (nh == 0)
        return ec_diag_set(d, EC_EMODEL, c->path, c->it.line + 1,
                           "empty file; expected a header row with columns layer and ms");
    p->line = c->it.line;
    long li = -1, mi = -1;
    for (size_t i = 0; i < nh && i < MAX_COLS; i++) {
        if (strcmp(f[i], "layer") == 0)
            li = (long)i;
        else if (strcmp(f[i], "ms") == 0 || strcmp(f[i], "latency_ms") == 0)
            mi = (long)i;
    }
    if (nh > MAX_COLS || li < 0 || mi < 0)
        return CSV_ERR(c, d, "bad header; expected comma-separated column names "
                       "including 'layer' and 'ms' (or 'latency_ms')");
    size_t nf;
    int rc;
    while ((nf = csv_row(c, f))) {
        if ((rc = count_check(c, nf, nh, d)))
            return rc;
        const char *lf = f[li];
        double ms, idx;
        const char *name = NULL;
        if (!*lf)
            return CSV_ERR(c, d, "empty layer; expected its 0-based position %zu or its name",
                           p->n_layers);
        if (ec_text_number(lf, &idx) == 0) {
            if (idx != (double)p->n_layers)
                return CSV_ERR(c, d, "layer %s out of order; expected layer %zu (rows in "
                               "model order)", lf, p->n_layers);
        } else {
            name = lf;
        }
        if ((rc = csv_num(c, f[mi], "ms", 0, EC_MAX_MS, &ms, d)) ||
            (rc = ec_layer_profile_push(p, ms, name, c->it.line)))
            return rc;
    }
    if (p->n_layers == 0)
        return ec_diag_set(d, EC_EMODEL, c->path, c->it.line + 1,
                           "no layers; expected one row per layer after the header");
    return EC_OK;
}

int ec_layer_profile_load(const char *path, ec_layer_profile **out, ec_diag *d)
{
    ec_layer_profile *p = calloc(1, sizeof *p);
    int rc = p ? csv_load(path, p, &p->file, layer_rows, d) : EC_ENOMEM;
    if (rc) {
        ec_layer_profile_free(p);
        p = NULL;
    }
    *out = p;
    return rc;
}

/* --- per-cut tables --- */

static const char *const cut_cols[] = {
    "cut", "backend_conv_layers", "backend_fc_layers", "backend_act_layers",
    "backend_conv_macs", "backend_fc_macs", "backend_act_elems", "transfer_bits",
};
#define N_CUT_COLS 9

/* Column i (1..7) of the table -> index into x. */
static const int cut_x[N_CUT_COLS - 1] = {
    -1, EC_ANS_CONV_LAYERS, EC_ANS_FC_LAYERS, EC_ANS_ACT_LAYERS,
    EC_ANS_CONV_MACS, EC_ANS_FC_MACS, EC_ANS_ACT_ELEMS, EC_ANS_TRANSFER_BITS,
};

void ec_cut_table_free(ec_cut_table *t)
{
    if (!t)
        return;
    free(t->file);
    free(t->delay_column);
    free(t->cuts);
    free(t->lines);
    free(t);
}

static int cut_header(csv *c, ec_cut_table *t, ec_diag *d)
{
    char *f[MAX_COLS];
    size_t nh = csv_row(c, f);
    static const char want[] = "cut,backend_conv_layers,backend_fc_layers,backend_act_layers,"
                               "backend_conv_macs,backend_fc_macs,backend_act_elems,"
                               "transfer_bits,frontend_delay_<DEVICE>_s";
    if (nh == 0)
        return ec_diag_set(d, EC_EMODEL, c->path, c->it.line + 1,
                           "empty file; expected the header %s", want);
    if (nh != N_CUT_COLS)
        return CSV_ERR(c, d, "bad header: %zu columns; expected the %d columns %s", nh,
                       N_CUT_COLS, want);
    for (int i = 0; i < N_CUT_COLS - 1; i++)
        if (strcmp(f[i], cut_cols[i]))
            return CSV_ERR(c, d, "bad header: column %d is '%s'; expected '%s' (header %s)",
                           i + 1, f[i], cut_cols[i], want);
    const char *dc = f[N_CUT_COLS - 1];
    size_t n = strlen(dc);
    if (n <= strlen("frontend_delay__s") || strncmp(dc, "frontend_delay_", 15) ||
        strcmp(dc + n - 2, "_s"))
        return CSV_ERR(c, d, "bad header: column 9 is '%s'; expected "
                       "'frontend_delay_<DEVICE>_s' (seconds)", dc);
    t->line = c->it.line;
    return (t->delay_column = ec_strdup(f[N_CUT_COLS - 1])) ? EC_OK : EC_ENOMEM;
}

static int cut_rows(csv *c, void *obj, ec_diag *d)
{
    ec_cut_table *t = obj;
    int rc = cut_header(c, t, d);
    char *f[MAX_COLS];
    size_t nf;
    while (!rc && (nf = csv_row(c, f))) {
        ec_cut_row row;
        double v[N_CUT_COLS];
        memset(&row, 0, sizeof row);
        if ((rc = count_check(c, nf, N_CUT_COLS, d)))
            return rc;
        for (int i = 0; i < N_CUT_COLS && !rc; i++) {
            const char *col = i < N_CUT_COLS - 1 ? cut_cols[i] : t->delay_column;
            int integer = i <= 3;
            /* the delay in s, bits and features: in the clock's and int64's range */
            rc = csv_num(c, f[i], col, integer, i == N_CUT_COLS - 1 ? EC_MAX_MS / 1e3 : 1e18,
                         &v[i], d);
        }
        if (rc)
            return rc;
        if (v[0] != (double)t->n_cuts)
            return CSV_ERR(c, d, "cut %s out of order; expected cut %zu (cuts 0, 1, ... in "
                           "order)", f[0], t->n_cuts);
        for (int i = 1; i < N_CUT_COLS - 1; i++)
            row.x[cut_x[i]] = v[i];
        row.transfer_bits = v[7];
        row.front_s = v[8];
        size_t cap_cuts = t->cap, cap_lines = t->cap; /* two columns: see ec_layer_profile_push */
        if (ec_grow(&t->cuts, &cap_cuts, t->n_cuts + 1, sizeof *t->cuts) ||
            ec_grow(&t->lines, &cap_lines, t->n_cuts + 1, sizeof *t->lines))
            return EC_ENOMEM;
        t->cap = cap_cuts;
        t->cuts[t->n_cuts] = row;
        t->lines[t->n_cuts++] = c->it.line;
    }
    if (rc)
        return rc;
    if (t->n_cuts == 0)
        return ec_diag_set(d, EC_EMODEL, c->path, c->it.line + 1,
                           "no cuts; expected one row per cut after the header");
    if (t->cuts[t->n_cuts - 1].transfer_bits != 0)
        return ec_diag_set(d, EC_EMODEL, c->path, t->lines[t->n_cuts - 1],
                           "last cut %zu sends %.0f bits; expected 0 (the last cut runs "
                           "everything on the device)", t->n_cuts - 1,
                           t->cuts[t->n_cuts - 1].transfer_bits);
    return EC_OK;
}

int ec_cut_table_load(const char *path, ec_cut_table **out, ec_diag *d)
{
    ec_cut_table *t = calloc(1, sizeof *t);
    int rc = t ? csv_load(path, t, &t->file, cut_rows, d) : EC_ENOMEM;
    if (rc) {
        ec_cut_table_free(t);
        t = NULL;
    }
    *out = t;
    return rc;
}

/* summary: per-run result table from the database (see summary.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/summary.h"

#include "sim/cli/label.h"
#include "sim/cli/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_RUN, C_LABEL, C_MEAN, C_P95, C_REGRET, C_ENERGY, C_CUTS, N_COLS };

/* Headers and least widths of the columns (numbers are right-aligned). */
static const char *const header[N_COLS] = { "run", "label", "mean ms", "p95 ms", "regret s",
                                            "mJ/frame", "share of frames per cut (device 0)" };
static const int least[N_COLS] = { 14, 24, 9, 9, 11, 8, 0 };

/* One line of the table: its cells. */
typedef struct row {
    char *cell[N_COLS];
    size_t devices;   /* the run's devices */
} row;

int ec_summary_number(double v, int prec, char *buf, size_t n)
{
    if (isnan(v))
        return snprintf(buf, n, "-");
    int k = snprintf(buf, n, "%.*f", prec, v);
    if (k > EC_SUMMARY_WIDE) /* too wide for its column: three significant digits */
        k = snprintf(buf, n, "%.2e", v);
    return k;
}

static char *dup_num(double v, int prec)
{
    char buf[64];
    ec_summary_number(v, prec, buf, sizeof buf);
    return strdup(buf);
}

/* Read run name's row (device 0, or the world's 'run' figures) into r;
 * *found = 0 when it is not a finished run. */
static int read_row(ec_reader *rd, const char *name, row *r, int *found, ec_diag *d)
{
    char cuts[512] = "";
    double mean = NAN, p95 = NAN, regret = NAN, energy = NAN;
    size_t clen = 0, n = 0;
    ec_stored_run run;
    ec_stored_scalar *sc = NULL;
    int code = ec_reader_run(rd, name, &run, found, d);
    if (code || !*found)
        return code;
    if ((code = ec_reader_scalars(rd, run.id, &sc, &n, d))) {
        ec_stored_run_clear(&run);
        return code;
    }
    /* in the order stored: a world's 'run' figures come last and win */
    for (size_t i = 0; i < n; i++) {
        const char *k = sc[i].name;
        double v = sc[i].value;
        if (strcmp(sc[i].module, "device[0]") && strcmp(sc[i].module, "run"))
            continue;
        if (strcmp(k, "meanDelay_s") == 0)
            mean = v;
        else if (strcmp(k, "p95Delay_s") == 0)
            p95 = v;
        else if (strcmp(k, "meanEnergy_J") == 0)
            energy = v;
        else if (strncmp(k, "cutShare_", 9) == 0 && v >= 0.005 && clen < sizeof cuts)
            clen += (size_t)snprintf(cuts + clen, sizeof cuts - clen, "%s%s:%.2f",
                                     clen ? " " : "", k + 9, v);
    }
    ec_stored_scalars_free(sc, n);
    int has_regret;   /* per device: a world's regret is their sum */
    code = ec_stat_run_value(rd, run.id, "cumRegret_s", EC_STAT_PER_DEVICE, 1, &regret,
                             &has_regret, &r->devices, d);
    if (!code)
        code = ec_run_label(rd, &run, &r->cell[C_LABEL], d);
    ec_stored_run_clear(&run);
    if (code)
        return code;
    r->cell[C_RUN] = strdup(name);
    r->cell[C_MEAN] = dup_num(mean * 1e3, 1);
    r->cell[C_P95] = dup_num(p95 * 1e3, 1);
    r->cell[C_REGRET] = dup_num(regret, 3);
    r->cell[C_ENERGY] = dup_num(energy * 1e3, 1);
    r->cell[C_CUTS] = strdup(cuts);
    for (int c = 0; c < N_COLS; c++)
        if (!r->cell[c])
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    return EC_OK;
}

/* Print one line: text columns left-aligned, numbers right-aligned. */
static void print_line(FILE *out, const char *const cell[N_COLS], const int width[N_COLS])
{
    fprintf(out, "%-*s %-*s", width[C_RUN], cell[C_RUN], width[C_LABEL], cell[C_LABEL]);
    for (int c = C_MEAN; c <= C_ENERGY; c++)
        fprintf(out, " %*s", width[c], cell[c]);
    fprintf(out, "  %s\n", cell[C_CUTS]);
}

int ec_summary_print(ec_reader *rd, const char *const *run_names, size_t n, FILE *out,
                     ec_diag *d)
{
    row *rows = calloc(n ? n : 1, sizeof *rows);
    size_t k = 0;
    int rc = rows ? EC_OK : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n && rc == EC_OK; i++) {
        int found;
        rc = read_row(rd, run_names[i], &rows[k], &found, d);
        k += found;
    }
    const char *head[N_COLS];
    memcpy(head, header, sizeof head);
    for (size_t i = 0; rc == EC_OK && i < k; i++)
        if (rows[i].devices > 1)
            head[C_REGRET] = "regret s/dev";
    int width[N_COLS];
    for (int c = 0; c < N_COLS; c++) {
        width[c] = least[c] > (int)strlen(head[c]) ? least[c] : (int)strlen(head[c]);
        for (size_t i = 0; rc == EC_OK && i < k; i++)
            if ((int)strlen(rows[i].cell[c]) > width[c])
                width[c] = (int)strlen(rows[i].cell[c]);
    }
    if (rc == EC_OK) {
        print_line(out, head, width);
        for (size_t i = 0; i < k; i++)
            print_line(out, (const char *const *)rows[i].cell, width);
    }
    for (size_t i = 0; rows && i <= k && i < n; i++)
        for (int c = 0; c < N_COLS; c++)
            free(rows[i].cell[c]);
    free(rows);
    return rc;
}

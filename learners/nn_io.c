/* nn_io: save and load network parameters as text (see nn.h for the
 * format).  Numbers are written with %.17g, which strtod reads back to the
 * same double, so a round trip gives identical outputs. */
#define _POSIX_C_SOURCE 200809L
#include "learners/nn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NN_MAGIC "edgecut-nn"
#define NN_VERSION 1

/* Write the file into f; 0, or -1 on a write error. */
static int write_all(FILE *f, const ec_mlp *const *nets, size_t n_nets, const double *extra,
                     size_t n_extra)
{
    fprintf(f, "%s %d %zu %zu\n", NN_MAGIC, NN_VERSION, n_nets, n_extra);
    for (size_t k = 0; k < n_nets; k++) {
        fprintf(f, "mlp %zu", ec_mlp_layers(nets[k]));
        for (size_t l = 0; l <= ec_mlp_layers(nets[k]); l++)
            fprintf(f, " %zu", ec_mlp_width(nets[k], l));
        fputc('\n', f);
    }
    for (size_t k = 0; k < n_nets; k++) {
        const double *p = ec_mlp_params_const(nets[k]);
        for (size_t i = 0; i < ec_mlp_n_params(nets[k]); i++)
            fprintf(f, "%.17g\n", p[i]);
    }
    for (size_t i = 0; i < n_extra; i++)
        fprintf(f, "%.17g\n", extra[i]);
    return ferror(f) ? -1 : 0;
}

int ec_nn_save(const char *path, const ec_mlp *const *nets, size_t n_nets,
               const double *extra, size_t n_extra, ec_diag *d)
{
    /* into a file of this process's own beside it, then renamed over path:
     * a reader never sees half a file, and two processes writing one path
     * leave one whole file */
    size_t len = strlen(path) + 32;
    char *tmp = malloc(len);
    if (!tmp)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    snprintf(tmp, len, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int e = errno;
        free(tmp);
        return ec_diag_set(d, EC_EIO, path, 0, "cannot write the network file: %s",
                           strerror(e));
    }
    int bad = write_all(f, nets, n_nets, extra, n_extra);
    int e = errno;
    if (fclose(f) && !bad) {
        bad = 1;
        e = errno;
    }
    if (!bad && rename(tmp, path)) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        remove(tmp);
        free(tmp);
        return ec_diag_set(d, EC_EIO, path, 0, "cannot write the network file: %s",
                           strerror(e));
    }
    free(tmp);
    return EC_OK;
}

/* Read one number (%.17g text) into *x; 0 at end of file or on junk. */
static int read_number(FILE *f, double *x)
{
    char tok[64];
    if (fscanf(f, "%63s", tok) != 1)
        return 0;
    char *end;
    *x = strtod(tok, &end);
    return end != tok && *end == '\0';
}

/* Check the header and the shapes against nets. */
static int read_header(FILE *f, const char *path, ec_mlp *const *nets, size_t n_nets,
                       size_t n_extra, ec_diag *d)
{
    char magic[16];
    int version;
    size_t nn, ne;
    if (fscanf(f, "%15s %d %zu %zu", magic, &version, &nn, &ne) != 4 ||
        strcmp(magic, NN_MAGIC) != 0 || version != NN_VERSION)
        return ec_diag_set(d, EC_EMODEL, path, 1, "not an edgecut network file "
                           "(expected the header '%s %d NETS EXTRA')", NN_MAGIC, NN_VERSION);
    if (nn != n_nets || ne != n_extra)
        return ec_diag_set(d, EC_EMODEL, path, 1, "holds %zu networks and %zu scalars, "
                           "expected %zu and %zu", nn, ne, n_nets, n_extra);
    for (size_t k = 0; k < n_nets; k++) {
        size_t layers;
        if (fscanf(f, " mlp %zu", &layers) != 1 || layers != ec_mlp_layers(nets[k]))
            return ec_diag_set(d, EC_EMODEL, path, (long)k + 2, "network %zu: another "
                               "architecture (expected %zu layers)", k,
                               ec_mlp_layers(nets[k]));
        for (size_t l = 0; l <= layers; l++) {
            size_t w;
            if (fscanf(f, "%zu", &w) != 1 || w != ec_mlp_width(nets[k], l))
                return ec_diag_set(d, EC_EMODEL, path, (long)k + 2, "network %zu: another "
                                   "architecture (width %zu should be %zu)", k, l,
                                   ec_mlp_width(nets[k], l));
        }
    }
    return EC_OK;
}

int ec_nn_load(const char *path, ec_mlp *const *nets, size_t n_nets, double *extra,
               size_t n_extra, ec_diag *d)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return ec_diag_set(d, errno == ENOENT ? EC_ENOTFOUND : EC_EIO, path, 0,
                           "cannot read the network file: %s", strerror(errno));
    int rc = read_header(f, path, nets, n_nets, n_extra, d);
    size_t total = n_extra;
    for (size_t k = 0; k < n_nets; k++)
        total += ec_mlp_n_params(nets[k]);
    double *all = rc ? NULL : malloc((total ? total : 1) * sizeof *all);
    if (!rc && !all)
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < total; i++)
        if (!read_number(f, &all[i]))
            rc = ec_diag_set(d, EC_EMODEL, path, 0, "truncated or not a number at value "
                             "%zu of %zu", i + 1, total);
    double junk;
    if (!rc && read_number(f, &junk))
        rc = ec_diag_set(d, EC_EMODEL, path, 0, "more values than the %zu expected", total);
    if (!rc) {
        size_t at = 0;
        for (size_t k = 0; k < n_nets; k++) {
            size_t n = ec_mlp_n_params(nets[k]);
            memcpy(ec_mlp_params(nets[k]), all + at, n * sizeof *all);
            at += n;
        }
        if (n_extra)
            memcpy(extra, all + at, n_extra * sizeof *all);
    }
    free(all);
    fclose(f);
    return rc;
}

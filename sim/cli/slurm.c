/* slurm: a job-array script for a sweep (see slurm.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/slurm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ec_shell_word(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* The arguments of one task: "-c SECTION -r A-B" for runs[from..to]
 * (consecutive runs of one section). */
static void task_args(FILE *f, const ec_runcfg *const *runs, size_t from, size_t to)
{
    fprintf(f, "-c %s -r %d", runs[from]->config_name, runs[from]->run_number);
    size_t i = from;
    while (i < to) { /* ranges of consecutive run numbers */
        size_t j = i;
        while (j < to && runs[j + 1]->run_number == runs[j]->run_number + 1)
            j++;
        if (j > i)
            fprintf(f, "-%d", runs[j]->run_number);
        if (j < to)
            fprintf(f, ",%d", runs[j + 1]->run_number);
        i = j + 1;
    }
}

/* Split runs into tasks: at most batch runs each, one section each; the
 * first run of each task into first[] (room for n + 1); returns the count. */
static size_t split(const ec_runcfg *const *runs, size_t n, size_t batch, size_t *first)
{
    size_t t = 0;
    for (size_t i = 0; i < n; t++) {
        first[t] = i;
        size_t k = 1;
        while (i + k < n && k < batch &&
               strcmp(runs[i + k]->config_name, runs[i]->config_name) == 0)
            k++;
        i += k;
    }
    first[t] = n;
    return t;
}

int ec_slurm_write(const ec_runcfg *const *runs, size_t n, const ec_slurm_opts *o,
                   char *script, size_t n_script, char *shards, size_t n_shards, size_t *tasks,
                   ec_diag *d)
{
    size_t len = strlen(o->db);
    if (len > 3 && strcmp(o->db + len - 3, ".db") == 0)
        len -= 3;
    snprintf(script, n_script, "%.*s.slurm.sh", (int)len, o->db);
    snprintf(shards, n_shards, "%.*s.shards", (int)len, o->db);
    const char *stem = strrchr(shards, '/') ? strrchr(shards, '/') + 1 : shards;
    int stem_len = (int)(strlen(stem) - strlen(".shards"));
    if (mkdir(shards, 0777) != 0 && errno != EEXIST)
        return ec_diag_set(d, EC_EIO, shards, 0, "cannot create directory: %s", strerror(errno));
    size_t *first = malloc((n + 1) * sizeof *first);
    if (!first)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    *tasks = split(runs, n, o->batch, first);
    FILE *f = fopen(script, "w");
    if (!f) {
        free(first);
        return ec_diag_set(d, EC_EIO, script, 0, "cannot write: %s", strerror(errno));
    }
    fprintf(f, "#!/bin/bash\n"
               "# Written by `edgecut run --slurm`: %zu runs of %s in %zu array tasks, each\n"
               "# writing a shard; then: edgecut merge %s %s/task-*.db\n",
            n, o->config, *tasks, o->db, shards);
    fprintf(f, "#SBATCH --job-name=edgecut-%.*s\n#SBATCH --array=0-%zu\n"
               "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
               "#SBATCH --output=%s%s%s/task-%%a.log\n",
            stem_len, stem, *tasks - 1, shards[0] == '/' ? "" : o->workdir,
            shards[0] == '/' ? "" : "/", shards);
    char *opts = o->sbatch_opts ? strdup(o->sbatch_opts) : NULL;
    for (char *tok = opts ? strtok(opts, " \t\n") : NULL; tok; tok = strtok(NULL, " \t\n"))
        fprintf(f, "#SBATCH %s\n", tok);
    free(opts);
    fputs("set -euo pipefail\ncd ", f);
    ec_shell_word(f, o->workdir);
    fputs("\ntasks=(\n", f);
    for (size_t t = 0; t < *tasks; t++) {
        fputs("  '", f);
        task_args(f, runs, first[t], first[t + 1] - 1);
        fputs("'\n", f);
    }
    fputs(")\ni=${SLURM_ARRAY_TASK_ID:?not a Slurm array task}\n"
          "# shellcheck disable=SC2086  (the task's words split on purpose)\nexec ", f);
    ec_shell_word(f, o->edgecut);
    fputs(" run ", f);
    ec_shell_word(f, o->config);
    fputs(" ${tasks[$i]} --db ", f);
    ec_shell_word(f, shards);
    fputs("/task-\"$i\".db --quiet", f);
    for (size_t k = 0; k < o->n_sets; k++) {
        fputs(" --set ", f);
        ec_shell_word(f, o->sets[k]);
    }
    fputc('\n', f);
    free(first);
    if (ferror(f) | fclose(f))
        return ec_diag_set(d, EC_EIO, script, 0, "write failed");
    chmod(script, 0755);
    return EC_OK;
}

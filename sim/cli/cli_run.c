/* cli_run: `edgecut run` and `edgecut list` (see cli_cmds.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli/cli_cmds.h"

#include "sim/base/text.h"
#include "sim/setup/config.h"
#include "sim/setup/keys.h"
#include "sim/cli/progress.h"
#include "sim/cli/resume.h"
#include "sim/store/run.h"
#include "sim/cli/runner.h"
#include "sim/cli/slurm.h"
#include "sim/cli/summary.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SETS 256
#define MAX_SECTIONS 256

/* The runs of the sections asked for, in order: each section's runs in run
 * number order. */
typedef struct batch {
    ec_config *cfg;               /* the config file with --set applied */
    ec_runlist *lists[MAX_SECTIONS]; /* one per section */
    size_t n_lists;
    const ec_runcfg **runs;       /* [n] every selected run */
    size_t n;
} batch;

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n_lists; i++)
        ec_runlist_free(b->lists[i]);
    free(b->runs);
    ec_config_free(b->cfg);
}

/* Parse "0,2,5-7" or "3..9" into a selection mask over n runs: 0, -1 when
 * malformed, -2 when a number is n or more. */
static int parse_runs(const char *spec, size_t n, unsigned char *sel)
{
    const char *p = spec;
    if (!*p)
        return -1;  /* no run at all: a mistake, not an empty selection */
    while (*p) {
        char *end;
        errno = 0;
        long a = strtol(p, &end, 10), b;
        if (end == p || errno || a < 0)
            return -1;
        p = end;
        if (*p == '-' || (p[0] == '.' && p[1] == '.')) {
            p += *p == '-' ? 1 : 2;
            b = strtol(p, &end, 10);
            if (end == p || b < a)
                return -1;
            p = end;
        } else {
            b = a;
        }
        for (long i = a; i <= b; i++) {
            if ((size_t)i >= n)
                return -2;
            sel[i] = 1;
        }
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return 0;
}

/* Split the -c arguments (each a comma list) into names[]; returns the
 * count, -1 with too many, or -2 - i when argument i names none. */
static long split_sections(char **args, size_t n_args, char *names[MAX_SECTIONS])
{
    size_t n = 0;
    for (size_t i = 0; i < n_args; i++) {
        const char *p = args[i], *item;
        size_t len, named = 0;
        while (ec_list_next(&p, &item, &len)) {
            if (len == 0)
                continue;
            if (n == MAX_SECTIONS)
                return -1;
            names[n] = args[i] + (item - args[i]);
            names[n++][len] = '\0'; /* in place: p is past this item already */
            named++;
        }
        if (!named)
            return -2 - (long)i;
    }
    return (long)n;
}

/* Load CONFIG, apply --set, expand every section (NULL: General) and
 * select the runs of runs_spec (NULL: all) in each.  Usage errors of -r
 * are EC_EUSAGE with the message in d. */
static int load_batch(const char *path, char **sections, size_t n_sections, char **sets,
                      size_t n_sets, const char *runs_spec, batch *b, ec_diag *d)
{
    int rc = ec_config_load(path, &b->cfg, d);
    if (!rc)
        ec_config_set_key_names(b->cfg, ec_keys_suggest);
    for (size_t i = 0; !rc && i < n_sets; i++)
        rc = ec_config_set(b->cfg, sets[i], d);
    size_t want = n_sections ? n_sections : 1;
    for (size_t i = 0; !rc && i < want; i++) {
        const char *sec = n_sections ? sections[i] : NULL;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(sections[k], sec))
                rc = ec_diag_set(d, EC_EUSAGE, NULL, 0, "-c %s: given twice", sec);
        if (!rc)
            rc = ec_config_expand(b->cfg, sec, ec_keys_check, NULL, &b->lists[b->n_lists], d);
        if (!rc)
            b->n_lists++;
    }
    size_t total = 0;
    for (size_t i = 0; !rc && i < b->n_lists; i++)
        total += ec_runlist_count(b->lists[i]);
    if (!rc && !(b->runs = calloc(total ? total : 1, sizeof *b->runs)))
        rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < b->n_lists; i++) {
        size_t n = ec_runlist_count(b->lists[i]);
        unsigned char *sel = calloc(n, 1);
        if (!sel)
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        int prc = runs_spec ? parse_runs(runs_spec, n, sel) : (memset(sel, 1, n), 0);
        if (prc == -2)
            rc = ec_diag_set(d, EC_EUSAGE, NULL, 0, "-r %s: run number out of range: "
                             "config '%s' has %zu run%s (0 to %zu)", runs_spec,
                             ec_runlist_get(b->lists[i], 0)->config_name, n, n == 1 ? "" : "s",
                             n - 1);
        else if (prc)
            rc = ec_diag_set(d, EC_EUSAGE, NULL, 0, "-r expects run numbers like 0,3,5-9 "
                             "or 2..7, got '%s'", runs_spec);
        for (size_t k = 0; !rc && k < n; k++)
            if (sel[k])
                b->runs[b->n++] = ec_runlist_get(b->lists[i], k);
        free(sel);
    }
    return rc;
}

/* results/STEM.db for a config path CONFIG/.../STEM.ini */
static void default_db(const char *config, char *buf, size_t n)
{
    const char *base = strrchr(config, '/');
    base = base ? base + 1 : config;
    const char *dot = strrchr(base, '.');
    int len = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    snprintf(buf, n, "results/%.*s.db", len, base);
}

/* mkdir of the database's parent directory (one level) if missing. */
static void ensure_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    char *dir = dirname(copy);
    if (strcmp(dir, ".") != 0)
        mkdir(dir, 0777);
    free(copy);
}

/* The database path names a file edgecut can create: not a directory, in a
 * directory that exists or that ensure_parent can make (one level). */
static int check_db_path(const char *db, ec_diag *d)
{
    struct stat st;
    if (stat(db, &st) == 0)
        return S_ISDIR(st.st_mode) ? ec_diag_set(d, EC_ENOTFOUND, db, 0, "is a directory; "
                                                 "expected a results database file (--db)")
                                   : EC_OK;
    char *copy = strdup(db);
    if (!copy)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    char *dir = dirname(copy);
    int rc = EC_OK;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            rc = ec_diag_set(d, EC_ENOTFOUND, db, 0, "cannot create: '%s' is not a directory",
                             dir);
    } else {
        char *copy2 = strdup(dir);
        if (!copy2)
            rc = ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
        else if (stat(dirname(copy2), &st) != 0 || !S_ISDIR(st.st_mode))
            rc = ec_diag_set(d, EC_ENOTFOUND, db, 0, "cannot create: no directory '%s'", dir);
        free(copy2);
    }
    free(copy);
    return rc;
}

static const char run_help[] =
    "Usage: edgecut run CONFIG [options]\n"
    "Run every run of one or more config sections (a sweep expands to many\n"
    "runs) and write them to a SQLite database.  A run already finished there\n"
    "with the same identity (its expanded config, the hashes of its input\n"
    "files, its seed and the edgecut version) is skipped; one finished with\n"
    "another identity is an error naming what differs (--rerun replaces it).\n"
    "\n"
    "  -c, --config SECTION  the [Config SECTION] to run (default: General); give it\n"
    "                        several times or as a comma list to run several\n"
    "  -r, --runs RUNS       only these run numbers of each section: 0,3,5-9 or 2..7\n"
    "                        (see `edgecut list`)\n"
    "  -j, --jobs N          run in N worker processes (results are identical)\n"
    "      --db PATH         results database (default: results/CONFIGNAME.db)\n"
    "      --rerun           replace finished runs whose identity changed\n"
    "      --set KEY=VALUE   override KEY in every section; VALUE may be an axis ${a,b}\n"
    "      --slurm           run nothing: write a Slurm job-array script, DB.slurm.sh, whose\n"
    "                        tasks run the runs not in the database yet, each task writing\n"
    "                        a shard into DB.shards/, and say how to submit it and merge\n"
    "      --slurm-batch N   runs per array task (default 1; one section per task)\n"
    "      --slurm-opts OPTS more sbatch options for the script, e.g. \"--time=1:00:00\n"
    "                        --partition=short\" (one #SBATCH line each)\n"
    "  -q, --quiet           no progress and no summary table\n"
    "  -h, --help            this help\n"
    "\n"
    "Sweep axes in values: ${a, b, c}, ${0..14}, ${0..1 step 0.25}; named, the itervar\n"
    "NAME: ${NAME=a, b}; in parallel with the axis NAME (or of key NAME) instead of\n"
    "multiplying the runs: ${x, y ! NAME}.  repeat = N replicates, seeds seed + replicate.\n"
    "\n";

static const char list_help[] =
    "Usage: edgecut list CONFIG [options]\n"
    "Print the runs one or more config sections expand to, one line each:\n"
    "run number, run name, replicate, seed and the value of every sweep axis\n"
    "(its itervars).  Nothing is run.  The run numbers are those -r takes.\n"
    "\n"
    "  -c, --config SECTION  the [Config SECTION] to expand (default: General);\n"
    "                        several times or a comma list for several\n"
    "  -r, --runs RUNS       only these run numbers of each section: 0,3,5-9 or 2..7\n"
    "      --set KEY=VALUE   override KEY in every section; VALUE may be an axis ${a,b}\n"
    "  -h, --help            this help\n";

/* `edgecut list`: one line per run. */
static void print_list(const batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const ec_runcfg *r = b->runs[i];
        char name[256];
        ec_run_name(r, name, sizeof name);
        printf("%-5d %-20s rep=%d seed=%llu", r->run_number, name, r->replicate,
               (unsigned long long)r->seed);
        for (size_t k = 0; k < r->n_itervars; k++)
            printf(" %s=%s", r->itervars[k].key, r->itervars[k].value);
        putchar('\n');
    }
}

/* The summary table (unless quiet) and the warnings about the batch's runs
 * (after the table; on stderr when quiet). */
static int summarise(const batch *b, const char *db, int quiet, ec_diag *d)
{
    const char **names = calloc(b->n ? b->n : 1, sizeof *names);
    char (*bufs)[256] = calloc(b->n ? b->n : 1, sizeof *bufs);
    int rc = names && bufs ? EC_OK : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; !rc && i < b->n; i++) {
        ec_run_name(b->runs[i], bufs[i], sizeof bufs[i]);
        names[i] = bufs[i];
    }
    size_t warned;
    ec_reader *rd = NULL;
    if (!rc)
        rc = ec_reader_open(db, &rd, d);
    if (!rc && !quiet)
        rc = ec_summary_print(rd, names, b->n, stdout, d);
    fflush(stdout);
    if (!rc)
        rc = ec_summary_warnings(rd, names, b->n, quiet ? stderr : stdout, &warned, d);
    if (!rc && !quiet)
        printf("results: %s\n", db);
    ec_reader_free(rd);
    free(names);
    free(bufs);
    return rc;
}

/* How `edgecut run --slurm` was asked for. */
typedef struct slurm_args {
    int on;                 /* --slurm given */
    const char *opts;       /* --slurm-opts */
    long batch;             /* --slurm-batch, runs per task */
    const char *config;     /* the config path as given */
    char **sets;            /* the --set assignments */
    size_t n_sets;
} slurm_args;

/* Write the job-array script for the runs todo[0..n) and say how to submit
 * it and merge its shards. */
static int write_slurm(const ec_runcfg *const *todo, size_t n, const char *db,
                       const slurm_args *sa, ec_diag *d)
{
    if (n == 0) {
        printf("edgecut: every run is already in %s; no job to submit\n", db);
        return EC_OK;
    }
    char exe[4096], cfg[4096], cwd[4096], script[4200], shards[4200];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0 || !realpath(sa->config, cfg) || !getcwd(cwd, sizeof cwd))
        return ec_diag_set(d, EC_EIO, sa->config, 0, "cannot resolve the paths of edgecut and "
                           "the config: %s", strerror(errno));
    exe[k] = '\0';
    ensure_parent(db);
    ec_slurm_opts o = { .edgecut = exe, .config = cfg, .workdir = cwd, .db = db,
                        .sets = (const char *const *)sa->sets, .n_sets = sa->n_sets,
                        .sbatch_opts = sa->opts, .batch = (size_t)sa->batch };
    size_t tasks;
    int rc = ec_slurm_write(todo, n, &o, script, sizeof script, shards, sizeof shards, &tasks, d);
    if (rc)
        return rc;
    printf("edgecut: wrote %s: %zu runs in %zu array tasks (%ld run%s each at most), each "
           "writing a shard into %s/\n"
           "submit:  sbatch %s\n"
           "merge:   edgecut merge %s %s/task-*.db\n"
           "or both: sbatch --wait %s && edgecut merge %s %s/task-*.db\n",
           script, n, tasks, sa->batch, sa->batch == 1 ? "" : "s", shards, script, db, shards,
           script, db, shards);
    return EC_OK;
}

/* Run the batch into db: validate, resume check, the runner, the summary;
 * or with --slurm, the job-array script instead of the runner. */
static int run_batch(const batch *b, const char *db, int jobs, int quiet, int rerun,
                     const slurm_args *sa, ec_diag *d)
{
    int *state = calloc(b->n ? b->n : 1, sizeof *state);
    const ec_runcfg **todo = calloc(b->n ? b->n : 1, sizeof *todo);
    uint64_t *frames = calloc(b->n ? b->n : 1, sizeof *frames);
    size_t n_todo = 0;
    int rc = state && todo && frames ? EC_OK
                                     : ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!rc)
        rc = ec_run_validate(b->runs, b->n, frames, d);
    if (!rc)
        rc = check_db_path(db, d);
    if (!rc)
        rc = ec_resume_check(db, b->runs, b->n, rerun, state, d);
    for (size_t i = 0; !rc && i < b->n; i++) {
        char name[256];
        ec_run_name(b->runs[i], name, sizeof name);
        if (state[i] != EC_RESUME_SAME) {
            frames[n_todo] = frames[i];
            todo[n_todo++] = b->runs[i];
        }
        else if (!quiet)
            fprintf(stderr, "edgecut: %s already in %s (same config and inputs), skipped\n",
                    name, db);
    }
    if (!rc && sa->on) {
        rc = write_slurm(todo, n_todo, db, sa, d);
    } else if (!rc) {
        ensure_parent(db);
        size_t failed = 0;
        ec_run_opts o = { .db_path = db, .jobs = jobs, .frames = frames,
                          .progress = ec_progress_mode_for(stderr, quiet), .n_failed = &failed };
        rc = ec_run_all(todo, n_todo, &o, d);
        if (!rc || (failed && failed < n_todo)) { /* the table of the runs that finished */
            ec_diag sd;
            ec_diag_clear(&sd);
            int src = summarise(b, db, quiet, rc ? &sd : d);
            if (!rc)
                rc = src;
        }
    }
    free(state);
    free(todo);
    free(frames);
    return rc;
}

int ec_cmd_run(int argc, char **argv, int list_only)
{
    const char *cmd = list_only ? "list" : "run";
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "runs", required_argument, NULL, 'r' },
        { "jobs", required_argument, NULL, 'j' },   { "db", required_argument, NULL, 'D' },
        { "set", required_argument, NULL, 'S' },    { "quiet", no_argument, NULL, 'q' },
        { "rerun", no_argument, NULL, 'R' },        { "help", no_argument, NULL, 'h' },
        { "slurm", no_argument, NULL, 'L' },        { "slurm-opts", required_argument, NULL, 'O' },
        { "slurm-batch", required_argument, NULL, 'B' }, { NULL, 0, NULL, 0 },
    };
    slurm_args sa = { .batch = 1 };
    const char *runs_spec = NULL, *db = NULL;
    char *sets[MAX_SETS], *cargs[MAX_SECTIONS], *sections[MAX_SECTIONS];
    size_t n_sets = 0, n_cargs = 0;
    long jobs = 1;
    int quiet = 0, rerun = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, list_only ? "c:r:h" : "c:r:j:qh", opts, NULL)) != -1) {
        if (list_only && (c == 'j' || c == 'D' || c == 'q' || c == 'R' || c == 'L' ||
                          c == 'O' || c == 'B'))
            c = '?';
        switch (c) {
        case 'c':
            if (n_cargs == MAX_SECTIONS)
                return ec_cli_usage(cmd, "too many -c options (at most %s)", "256");
            cargs[n_cargs++] = optarg;
            break;
        case 'r': runs_spec = optarg; break;
        case 'j': {
            char *end;
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 1024)
                return ec_cli_usage(cmd, "-j expects a number of processes in [1, 1024], got '%s'", optarg);
            break;
        }
        case 'D':
            db = optarg;
            /* an empty name or SQLite's in-memory database would discard the results */
            if (!*db || !strcmp(db, ":memory:") || !strncmp(db, "file::memory:", 13))
                return ec_cli_usage(cmd, "--db '%s' would keep the results nowhere; expected a "
                                    "file path", db);
            break;
        case 'S':
            if (n_sets == MAX_SETS)
                return ec_cli_usage(cmd, "too many --set options (at most %s)", "256");
            sets[n_sets++] = optarg;
            break;
        case 'q': quiet = 1; break;
        case 'R': rerun = 1; break;
        case 'L': sa.on = 1; break;
        case 'O': sa.opts = optarg; break;
        case 'B': {
            char *end;
            sa.batch = strtol(optarg, &end, 10);
            if (*end || sa.batch < 1 || sa.batch > 1000000)
                return ec_cli_usage(cmd, "--slurm-batch expects a number of runs per task, got "
                                    "'%s'", optarg);
            break;
        }
        case 'h':
            fputs(list_only ? list_help : run_help, stdout);
            if (!list_only)
                ec_keys_print(stdout);
            return 0;
        default:
            return ec_cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ec_cli_usage(cmd, "expected exactly one CONFIG file%s",
                           optind < argc - 1 ? ", got several" : "");
    if ((sa.opts || sa.batch != 1) && !sa.on)
        return ec_cli_usage(cmd, "--slurm-opts and --slurm-batch go with --slurm%s", "");
    if (sa.on && (jobs != 1 || rerun))
        return ec_cli_usage(cmd, "--slurm runs each task alone: no -j, no --rerun (write to "
                            "another --db)%s", "");
    sa.config = argv[optind];
    sa.sets = sets;
    sa.n_sets = n_sets;
    long n_sections = split_sections(cargs, n_cargs, sections);
    if (n_sections < -1)
        return ec_cli_usage(cmd, "-c '%s': expected a config name or a comma list of them",
                            cargs[-2 - n_sections]);
    if (n_sections < 0)
        return ec_cli_usage(cmd, "too many sections (at most %s)", "256");
    const char *path = argv[optind];
    ec_diag d;
    ec_diag_clear(&d);
    batch b = { 0 };
    int rc = load_batch(path, sections, (size_t)n_sections, sets, n_sets, runs_spec, &b, &d);
    if (rc == EC_EUSAGE) {
        batch_free(&b);
        fprintf(stderr, "edgecut: %s: %s\nTry 'edgecut %s --help'.\n", cmd, d.msg, cmd);
        return 2;
    }
    char dbbuf[4096];
    if (!rc && list_only) {
        print_list(&b);
    } else if (!rc) {
        if (!db) {
            default_db(path, dbbuf, sizeof dbbuf);
            db = dbbuf;
        }
        rc = run_batch(&b, db, (int)jobs, quiet, rerun, &sa, &d);
    }
    batch_free(&b);
    return rc ? ec_cli_fail(rc, &d) : 0;
}

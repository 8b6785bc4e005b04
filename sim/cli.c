/* cli: command dispatch and option parsing (see cli.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli.h"
#include "sim/cli_cmds.h"

#include "learners/learner.h"
#include "sim/config.h"
#include "sim/keys.h"
#include "sim/plot.h"
#include "sim/run.h"
#include "sim/runner.h"
#include "sim/store.h"
#include "sim/summary.h"
#include "ec_version.h"

#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SETS 256

/* Print "edgecut: msg" for a failure and map it to an exit status. */
int ec_cli_fail(int code, const ec_diag *d)
{
    fprintf(stderr, "edgecut: %s\n", d && d->msg[0] ? d->msg : ec_strerror(code));
    return ec_exit_status(code);
}

int ec_cli_usage(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "edgecut: %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'edgecut %s --help'.\n", cmd);
    return 2;
}

static void print_main_help(FILE *out)
{
    fputs("edgecut: deterministic simulator of device-edge split DNN inference\n"
          "\n"
          "Usage: edgecut COMMAND [ARGS]\n"
          "\n"
          "Commands:\n"
          "  run CONFIG [-c SECTION] [-r RUNS] [-j N] [--db PATH] [--set KEY=VALUE]... [--quiet]\n"
          "                      run the experiment(s) a config describes\n"
          "  list CONFIG [-c SECTION] [--set KEY=VALUE]...\n"
          "                      the runs a sweep expands to, one line each\n"
          "  merge OUT.db IN.db...  join result shards into one database\n"
          "  plot DB [--out DIR] [--format png|pdf|svg] [FIGURE...]\n"
          "                      draw figures from a results database (gnuplot)\n"
          "  learners            the built-in learners and their parameters\n"
          "  models              the built-in models\n"
          "  devices             the built-in device types\n"
          "  model show NAME [--device D] [--edge E] [--csv]\n"
          "                      the cut table of a model\n"
          "  trace info FILE [--format F] [--column C] [--unit U] [--interval S]\n"
          "                      format, duration, mean/min/max and zero share of a trace\n"
          "  trace plot FILE [--out F.png] [...]  draw a trace (gnuplot)\n"
          "  trace gen [NAME] [--param K=V]... [--seed N] [-o FILE]\n"
          "                      a synthetic trace (constant, step, markov, ar1, walk, ...)\n"
          "\n"
          "Options: --help (also after a command), --version\n"
          "Exit status: 0 success, 1 runtime failure, 2 usage/config/input error.\n",
          out);
}

/* Parse "0,2,5-7" or "3..9" into a selection mask over n runs. */
static int parse_runs(const char *spec, size_t n, unsigned char *sel)
{
    const char *p = spec;
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

/* Load CONFIG, apply --set, expand SECTION. */
static int load_runs(const char *path, const char *section, char **sets, size_t n_sets,
                     ec_config **cfg, ec_runlist **runs, ec_diag *d)
{
    int rc = ec_config_load(path, cfg, d);
    for (size_t i = 0; !rc && i < n_sets; i++)
        rc = ec_config_set(*cfg, sets[i], d);
    if (!rc)
        rc = ec_config_expand(*cfg, section, ec_keys_check, NULL, runs, d);
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

static const char run_help[] =
    "Usage: edgecut run CONFIG [options]\n"
    "Run every run of a config section (a sweep expands to many runs) and\n"
    "write them to a SQLite database; runs already finished there are skipped.\n"
    "\n"
    "  -c, --config SECTION  the [Config SECTION] to run (default: General)\n"
    "  -r, --runs RUNS       only these run numbers: 0,3,5-9 or 2..7 (see `edgecut list`)\n"
    "  -j, --jobs N          run in N worker processes (results are identical)\n"
    "      --db PATH         results database (default: results/CONFIGNAME.db)\n"
    "      --set KEY=VALUE   override KEY in every section; VALUE may be an axis ${a,b}\n"
    "  -q, --quiet           no progress lines and no summary table\n"
    "  -h, --help            this help\n"
    "\n";

static int cmd_run(int argc, char **argv, int list_only)
{
    const char *cmd = list_only ? "list" : "run";
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "runs", required_argument, NULL, 'r' },
        { "jobs", required_argument, NULL, 'j' },   { "db", required_argument, NULL, 'D' },
        { "set", required_argument, NULL, 'S' },    { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 },
    };
    const char *section = NULL, *runs_spec = NULL, *db = NULL;
    char *sets[MAX_SETS];
    size_t n_sets = 0;
    long jobs = 1;
    int quiet = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:r:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': section = optarg; break;
        case 'r': runs_spec = optarg; break;
        case 'j': {
            char *end;
            jobs = strtol(optarg, &end, 10);
            if (*end || jobs < 1 || jobs > 1024)
                return ec_cli_usage(cmd, "-j expects a number of processes in [1, 1024], got '%s'", optarg);
            break;
        }
        case 'D': db = optarg; break;
        case 'S':
            if (n_sets == MAX_SETS)
                return ec_cli_usage(cmd, "too many --set options (at most %s)", "256");
            sets[n_sets++] = optarg;
            break;
        case 'q': quiet = 1; break;
        case 'h':
            fputs(run_help, stdout);
            ec_keys_print(stdout);
            return 0;
        default:
            return ec_cli_usage(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return ec_cli_usage(cmd, "expected exactly one CONFIG file%s",
                           optind < argc - 1 ? ", got several" : "");
    const char *path = argv[optind];
    ec_diag d;
    ec_diag_clear(&d);
    ec_config *cfg = NULL;
    ec_runlist *runs = NULL;
    int rc = load_runs(path, section, sets, n_sets, &cfg, &runs, &d);
    size_t n = rc ? 0 : ec_runlist_count(runs);
    unsigned char *sel = calloc(n ? n : 1, 1);
    if (!rc && !sel)
        rc = EC_ENOMEM;
    if (!rc && runs_spec) {
        int prc = parse_runs(runs_spec, n, sel);
        if (prc) {
            char msg[64];
            snprintf(msg, sizeof msg, "%zu", n);
            ec_runlist_free(runs);
            ec_config_free(cfg);
            free(sel);
            return prc == -2 ? ec_cli_usage(cmd, "-r: run number out of range: the config has %s runs", msg)
                             : ec_cli_usage(cmd, "-r expects run numbers like 0,3,5-9, got '%s'", runs_spec);
        }
    } else if (!rc) {
        memset(sel, 1, n);
    }
    if (!rc && list_only) {
        for (size_t i = 0; i < n; i++) {
            if (!sel[i])
                continue;
            const ec_runcfg *r = ec_runlist_get(runs, i);
            char name[256];
            ec_run_name(r, name, sizeof name);
            printf("%-5d %-20s rep=%d seed=%llu", r->run_number, name, r->replicate,
                   (unsigned long long)r->seed);
            for (size_t k = 0; k < r->n_itervars; k++)
                printf(" %s=%s", r->itervars[k].key, r->itervars[k].value);
            putchar('\n');
        }
    }
    char dbbuf[4096];
    if (!rc && !list_only) {
        if (!db) {
            default_db(path, dbbuf, sizeof dbbuf);
            db = dbbuf;
        }
        ensure_parent(db);
        rc = ec_run_validate(runs, sel, &d);
        if (!rc) {
            ec_run_opts o = { .db_path = db, .jobs = (int)jobs, .quiet = quiet, .selected = sel };
            rc = ec_run_all(runs, &o, &d);
        }
        if (!rc && !quiet) {
            const char **names = calloc(n ? n : 1, sizeof *names);
            char (*bufs)[256] = calloc(n ? n : 1, sizeof *bufs);
            size_t k = 0;
            if (names && bufs) {
                for (size_t i = 0; i < n; i++)
                    if (sel[i]) {
                        ec_run_name(ec_runlist_get(runs, i), bufs[k], sizeof bufs[k]);
                        names[k] = bufs[k];
                        k++;
                    }
                rc = ec_summary_print(db, names, k, stdout, &d);
                printf("results: %s\n", db);
            }
            free(names);
            free(bufs);
        }
    }
    free(sel);
    ec_runlist_free(runs);
    ec_config_free(cfg);
    return rc ? ec_cli_fail(rc, &d) : 0;
}

static int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    const char *out = NULL, *format = "png";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'f')
            format = optarg;
        else if (c == 'h') {
            printf("Usage: edgecut plot DB [--out DIR] [--format png|pdf|svg] [FIGURE...]\n"
                   "Draws figures from a results database with gnuplot into DIR\n"
                   "(default: the database path without .db).  Figures:");
            for (const char *const *f = ec_plot_figure_names(); *f; f++)
                printf(" %s", *f);
            printf(" (default: all)\n");
            return 0;
        } else
            return ec_cli_usage("plot", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind >= argc)
        return ec_cli_usage("plot", "expected a results DB%s", "");
    if (strcmp(format, "png") && strcmp(format, "pdf") && strcmp(format, "svg"))
        return ec_cli_usage("plot", "--format expects png, pdf or svg, got '%s'", format);
    const char *db = argv[optind];
    char outbuf[4096];
    if (!out) {
        size_t len = strlen(db);
        if (len > 3 && strcmp(db + len - 3, ".db") == 0)
            len -= 3;
        snprintf(outbuf, sizeof outbuf, "%.*s", (int)len, db);
        out = outbuf;
    }
    struct stat sb;
    if (stat(db, &sb) != 0) {
        ec_diag d;
        return ec_cli_fail(ec_diag_set(&d, EC_ENOTFOUND, db, 0, "cannot open: %s", strerror(errno)), &d);
    }
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_plot(db, out, format, (const char *const *)argv + optind + 1,
                     (size_t)(argc - optind - 1), &d);
    if (rc)
        return ec_cli_fail(rc, &d);
    printf("figures: %s/\n", out);
    return 0;
}

static int cmd_merge(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("Usage: edgecut merge OUT.db IN.db...\n"
             "Copies every run of the inputs into OUT.db (created if missing);\n"
             "runs already finished in OUT.db are kept and not duplicated.");
        return 0;
    }
    if (argc < 3)
        return ec_cli_usage("merge", "expected OUT.db and at least one IN.db%s", "");
    ec_diag d;
    ec_diag_clear(&d);
    int rc = ec_store_merge(argv[1], (const char *const *)argv + 2, (size_t)(argc - 2), &d);
    return rc ? ec_cli_fail(rc, &d) : 0;
}

int ec_cli_main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL failures are returned, never abort */
    if (argc < 2) {
        print_main_help(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        print_main_help(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("edgecut %s (%s)\n", EC_VERSION, EC_GIT_COMMIT);
        return 0;
    }
    int sub_help = argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "list") == 0)
        return cmd_run(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "plot") == 0)
        return cmd_plot(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "learners") == 0 || strcmp(cmd, "models") == 0 ||
        strcmp(cmd, "devices") == 0) {
        if (sub_help) {
            printf("Usage: edgecut %s\nLists the built-in %s.\n", cmd, cmd);
            return 0;
        }
        if (argc != 2)
            return ec_cli_usage(cmd, "takes no arguments, got '%s'", argv[2]);
        return cmd[0] == 'l' ? ec_cmd_learners() : cmd[0] == 'm' ? ec_cmd_models() : ec_cmd_devices();
    }
    if (strcmp(cmd, "model") == 0) {
        if (argc >= 3 && strcmp(argv[2], "show") == 0)
            return ec_cmd_model_show(argc - 2, argv + 2);
        return ec_cli_usage("model", "expected 'model show NAME', got '%s'", argc >= 3 ? argv[2] : "");
    }
    if (strcmp(cmd, "trace") == 0) {
        if (argc >= 3 && strcmp(argv[2], "info") == 0)
            return ec_cmd_trace_info(argc - 2, argv + 2);
        if (argc >= 3 && strcmp(argv[2], "gen") == 0)
            return ec_cmd_trace_gen(argc - 2, argv + 2);
        if (argc >= 3 && strcmp(argv[2], "plot") == 0)
            return ec_cmd_trace_plot(argc - 2, argv + 2);
        return ec_cli_usage("trace", "expected 'trace info FILE', 'trace plot FILE' or "
                            "'trace gen', got '%s'",
                            argc >= 3 ? argv[2] : "");
    }
    fprintf(stderr, "edgecut: unknown command '%s'\nTry 'edgecut --help'.\n", cmd);
    return 2;
}

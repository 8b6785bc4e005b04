/* cli: command dispatch and option parsing (see cli.h). */
#define _GNU_SOURCE /* getopt_long */
#include "sim/cli/cli.h"
#include "sim/cli/cli_cmds.h"

#include "learners/learner.h"
#include "sim/store/store.h"
#include "sim/base/suggest.h"
#include "ec_version.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
          "  run CONFIG [-c SECTION]... [-r RUNS] [-j N] [--db PATH] [--rerun]\n"
          "             [--set KEY=VALUE]... [--quiet] [--slurm [--slurm-batch N] [--slurm-opts O]]\n"
          "                      run the experiment(s) a config describes\n"
          "  list CONFIG [-c SECTION]... [-r RUNS] [--set KEY=VALUE]...\n"
          "                      the runs a sweep expands to, one line each\n"
          "  merge OUT.db IN.db...  join result shards into one database\n"
          "  plot DB [-c CONFIG]... [--where NAME=VALUE]... [--out DIR] [--format F]\n"
          "          [--x NAME] [--list] [FIGURE...]\n"
          "                      draw figures from a results database (gnuplot)\n"
          "  report DB [-c CONFIG]... [--where NAME=VALUE]... [--format text|csv|markdown]\n"
          "            [--ci t|bootstrap]\n"
          "                      mean and 95 % CI over replicates per config and sweep point\n"
          "  export DB [-c CONFIG]... [--where NAME=VALUE]... [--out DIR]\n"
          "                      runs, scalars, frames and vectors as CSV files\n"
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

static int cmd_merge(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("Usage: edgecut merge OUT.db IN.db...\n"
             "Copies every finished run of the inputs into OUT.db (created if missing)\n"
             "and says how many runs it took from each.  A run already in OUT.db (or in\n"
             "an earlier input) with the same identity is a duplicate and skipped; one\n"
             "with another identity (config, input files, seed or version) is a\n"
             "conflict: nothing is merged and the keys that differ are named.  Every\n"
             "input is checked before anything is written; a failed merge leaves no\n"
             "OUT.db when there was none.");
        return 0;
    }
    if (argc < 3)
        return ec_cli_usage("merge", "expected OUT.db and at least one IN.db%s", "");
    ec_diag d;
    ec_diag_clear(&d);
    size_t n = (size_t)(argc - 2);
    ec_merge_stats *st = calloc(n, sizeof *st);
    if (!st)
        return ec_cli_fail(ec_diag_set(&d, EC_ENOMEM, NULL, 0, "out of memory"), &d);
    int rc = ec_store_merge_stats(argv[1], (const char *const *)argv + 2, n, st, &d);
    size_t total = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        printf("%s: %zu runs merged", argv[i + 2], st[i].merged);
        if (st[i].duplicates)
            printf(", %zu already there (skipped)", st[i].duplicates);
        if (st[i].unfinished)
            printf(", %zu unfinished (skipped)", st[i].unfinished);
        putchar('\n');
        total += st[i].merged;
    }
    if (!rc)
        printf("%s: %zu runs merged from %zu databases\n", argv[1], total, n);
    free(st);
    return rc ? ec_cli_fail(rc, &d) : 0;
}


/* The usage error of command cmd given no subcommand or an unknown one
 * (sub, NULL if none): what it expects, and the closest of subs[] (NULL
 * terminated) as a hint. */
static int unknown_sub(const char *cmd, const char *expected, const char *const *subs,
                       const char *sub)
{
    char msg[256], hint[128] = "";
    if (sub) {
        ec_suggest sg = EC_SUGGEST_INIT(sub);
        for (size_t i = 0; subs[i]; i++)
            ec_suggest_add(&sg, subs[i]);
        ec_suggest_hint(&sg, hint, sizeof hint);
    }
    snprintf(msg, sizeof msg, "expected %s, %s%s", expected, sub ? "got '%s'" : "got nothing",
             hint);
    return ec_cli_usage(cmd, msg, sub ? sub : "");
}
int ec_cli_main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL failures are returned, never abort */
    /* past a file-size limit (ulimit -f) a write fails with EFBIG, which the
     * store reports like a full disk, instead of the process being killed */
    signal(SIGXFSZ, SIG_IGN);
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
        return ec_cmd_run(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "list") == 0)
        return ec_cmd_run(argc - 1, argv + 1, 1);
    if (strcmp(cmd, "plot") == 0)
        return ec_cmd_plot(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return ec_cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0)
        return ec_cmd_export(argc - 1, argv + 1);
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
        return unknown_sub("model", "'model show NAME'", (const char *const[]){ "show", NULL },
                           argc >= 3 ? argv[2] : NULL);
    }
    if (strcmp(cmd, "trace") == 0) {
        if (argc >= 3 && strcmp(argv[2], "info") == 0)
            return ec_cmd_trace_info(argc - 2, argv + 2);
        if (argc >= 3 && strcmp(argv[2], "gen") == 0)
            return ec_cmd_trace_gen(argc - 2, argv + 2);
        if (argc >= 3 && strcmp(argv[2], "plot") == 0)
            return ec_cmd_trace_plot(argc - 2, argv + 2);
        return unknown_sub("trace", "'trace info FILE', 'trace plot FILE' or 'trace gen'",
                           (const char *const[]){ "info", "plot", "gen", NULL },
                           argc >= 3 ? argv[2] : NULL);
    }
    static const char *const commands[] = { "run",   "list",   "plot",    "report", "export", "merge",
                                            "learners", "models", "devices", "model", "trace",
                                            "help" };
    ec_suggest sg = EC_SUGGEST_INIT(cmd);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        ec_suggest_add(&sg, commands[i]);
    char hint[128];
    fprintf(stderr, "edgecut: unknown command '%s'%s\nTry 'edgecut --help'.\n", cmd,
            ec_suggest_hint(&sg, hint, sizeof hint));
    return 2;
}

int ec_cli_mkdirs(const char *dir, ec_diag *d)
{
    if (!*dir)
        return ec_diag_set(d, EC_EUSAGE, NULL, 0, "empty output directory");
    char *p = strdup(dir);
    if (!p)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    for (char *s = p + 1;; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                ec_diag_set(d, EC_EIO, p, 0, "cannot create directory: %s", strerror(errno));
                free(p);
                return EC_EIO;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ec_diag_set(d, EC_EIO, dir, 0, "not a directory");
    return EC_OK;
}

/* cli_cmds: the `edgecut` subcommands that list and inspect what is built
 * in (models, devices, learners, traces), and the helpers all commands share.
 * Each ec_cmd_* takes the arguments after the command word(s) (argv[0] is
 * the last command word) and returns the process exit status. */
#ifndef EC_CLI_CMDS_H
#define EC_CLI_CMDS_H

#include "sim/base/diag.h"

/* Print "edgecut: MESSAGE" for a failed call; returns its exit status. */
int ec_cli_fail(int code, const ec_diag *d);
/* Print "edgecut: CMD: FMT(arg)" and a --help hint; returns 2. */
int ec_cli_usage(const char *cmd, const char *fmt, const char *arg);

/* mkdir -p dir.  Errors: EC_EUSAGE (an empty name), EC_EIO (cannot make
 * it, or it is not a directory), EC_ENOMEM. */
int ec_cli_mkdirs(const char *dir, ec_diag *d);

/* `run CONFIG [options]` (list_only 0) or `list CONFIG [options]` (1). */
int ec_cmd_run(int argc, char **argv, int list_only);
/* `plot DB [options] [FIGURE...]`: figures of a results database. */
int ec_cmd_plot(int argc, char **argv);
/* `report DB [options]`: mean +- 95 % CI per config and sweep point. */
int ec_cmd_report(int argc, char **argv);
/* `export DB [options]`: the results as CSV files. */
int ec_cmd_export(int argc, char **argv);
int ec_cmd_learners(void);
int ec_cmd_models(void);
int ec_cmd_devices(void);
int ec_cmd_model_show(int argc, char **argv);
/* `trace info FILE [options]`: format, segments, duration, mean, min, max,
 * zero share. */
int ec_cmd_trace_info(int argc, char **argv);
/* `trace plot FILE [--out F] [options]`: draw the trace with gnuplot. */
int ec_cmd_trace_plot(int argc, char **argv);
/* `trace gen [NAME] [options]`: a generated trace in cooked format. */
int ec_cmd_trace_gen(int argc, char **argv);

#endif

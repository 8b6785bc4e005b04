/* cli: the `edgecut` command line (README.md, "Commands"). */
#ifndef EC_CLI_H
#define EC_CLI_H

/* Run the command line; returns the process exit status (0 ok, 1 runtime
 * failure, 2 usage/config/input error).  Errors go to stderr as
 * "edgecut: FILE:LINE: what is wrong". */
int ec_cli_main(int argc, char **argv);

#endif

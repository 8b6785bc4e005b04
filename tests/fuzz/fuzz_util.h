/* fuzz_util: what every libFuzzer harness of tests/fuzz/ shares: the
 * parsers of edgecut read paths, so each input is written to one temporary
 * file per process (made at the first call, rewritten for every input,
 * removed at exit) and the parser reads that. */
#ifndef EC_FUZZ_UTIL_H
#define EC_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The temporary file of this process, "" until ec_fuzz_write made it. */
static char ec_fuzz_path[4096];

static void ec_fuzz_cleanup(void)
{
    if (ec_fuzz_path[0])
        unlink(ec_fuzz_path);
}

/* Write data[0..size) to a temporary file in dir (NULL: $TMPDIR or /tmp)
 * whose name ends in suffix (may be ""), the same file on every call of
 * the process, and return its path; abort if the file cannot be written
 * (the harness would test nothing). */
static inline const char *ec_fuzz_write(const char *dir, const char *suffix, const uint8_t *data,
                                 size_t size)
{
    if (!ec_fuzz_path[0]) {
        if (!dir)
            dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
        int n = snprintf(ec_fuzz_path, sizeof ec_fuzz_path, "%s/edgecut-fuzz-XXXXXX%s", dir,
                         suffix);
        if (n < 0 || (size_t)n >= sizeof ec_fuzz_path)
            abort();
        int fd = mkstemps(ec_fuzz_path, (int)strlen(suffix));
        if (fd < 0) {
            perror(ec_fuzz_path);
            abort();
        }
        close(fd);
        atexit(ec_fuzz_cleanup);
    }
    FILE *f = fopen(ec_fuzz_path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
        perror(ec_fuzz_path);
        abort();
    }
    return ec_fuzz_path;
}

/* With EC_FUZZ_VERBOSE set in the environment, print what the parser said
 * about the input (to see what a reproduced input does); else nothing. */
static inline void ec_fuzz_note(const char *what, int rc, const char *msg)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = getenv("EC_FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "%s: %s\n", what, rc ? msg : "ok");
}

#endif

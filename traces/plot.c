/* plot: one trace through gnuplot (see plot.h). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, posix_spawnp */
#include "traces/plot.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The gnuplot terminal for out_path's extension, or NULL. */
static const char *terminal(const char *out_path)
{
    const char *dot = strrchr(out_path, '.');
    if (!dot)
        return NULL;
    if (strcmp(dot, ".png") == 0)
        return "pngcairo size 900,420";
    if (strcmp(dot, ".pdf") == 0)
        return "pdfcairo size 6in,2.8in";
    if (strcmp(dot, ".svg") == 0)
        return "svg size 900,420";
    return NULL;
}

/* s as a single-quoted gnuplot string into f. */
static void quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc((unsigned char)*s < ' ' ? ' ' : *s, f);
    }
    fputc('\'', f);
}

static int write_files(const ec_trace *t, double scale, const char *title,
                       const char *ylabel, const char *term, const char *out_path,
                       const char *data, const char *script, ec_diag *d)
{
    FILE *f = fopen(data, "w");
    if (!f)
        return ec_diag_set(d, EC_EIO, data, 0, "cannot write: %s", strerror(errno));
    for (size_t i = 0; i < ec_trace_segments(t); i++) {
        int64_t a, b;
        double v;
        ec_trace_segment(t, i, &a, &b, &v);
        fprintf(f, "%.9f %.9g\n%.9f %.9g\n", (double)a / 1e9, v / scale, (double)b / 1e9,
                v / scale);
    }
    int bad = fclose(f) != 0;
    f = fopen(script, "w");
    if (bad || !f)
        return ec_diag_set(d, EC_EIO, script, 0, "cannot write: %s", strerror(errno));
    fprintf(f, "set terminal %s\nset output ", term);
    quoted(f, out_path);
    fprintf(f, "\nset title ");
    quoted(f, title);
    fprintf(f, " noenhanced\nset xlabel 'time (s)'\nset ylabel ");
    quoted(f, ylabel);
    fprintf(f, "\nset grid\nset key off\nset yrange [0:*]\nplot ");
    quoted(f, data);
    fprintf(f, " using 1:2 with lines lw 1.5 lc rgb '#1f5fa8'\n");
    return fclose(f) == 0 ? EC_OK : ec_diag_set(d, EC_EIO, script, 0, "write failed");
}

static int run(const char *script, ec_diag *d)
{
    const char *env = getenv("EC_GNUPLOT");
    const char *exe = env && *env ? env : "gnuplot";
    char *argv[] = { (char *)exe, (char *)script, NULL };
    pid_t pid;
    fflush(NULL);
    int e = posix_spawnp(&pid, exe, NULL, NULL, argv, environ);
    if (e != 0)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "cannot run %s: %s; install gnuplot "
                           "(apt-get install gnuplot-nox) or set EC_GNUPLOT", exe, strerror(e));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "waiting for %s: %s", exe,
                               strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "%s failed (status %d); its "
                           "message is above", exe, status);
    return EC_OK;
}

int ec_trace_plot(const ec_trace *t, double display_scale, const char *title,
                  const char *ylabel, const char *out_path, ec_diag *d)
{
    const char *term = terminal(out_path);
    if (!term)
        return ec_diag_set(d, EC_EUSAGE, out_path, 0, "unknown figure type; expected "
                           "a name ending in .png, .pdf or .svg");
    const char *tmp = getenv("TMPDIR");
    char dir[512], data[600], script[600];
    snprintf(dir, sizeof dir, "%s/edgecut-trace.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return ec_diag_set(d, EC_EIO, dir, 0, "cannot create temporary directory: %s",
                           strerror(errno));
    snprintf(data, sizeof data, "%s/trace.dat", dir);
    snprintf(script, sizeof script, "%s/trace.gp", dir);
    int rc = write_files(t, display_scale, title, ylabel, term, out_path, data, script, d);
    if (rc == EC_OK)
        rc = run(script, d);
    remove(data);
    remove(script);
    rmdir(dir);
    return rc;
}

/* gnuplot: finding and running gnuplot on a script in a temporary
 * directory (see gnuplot.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/gnuplot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define GNUPLOT_INSTALL "install gnuplot (apt-get install gnuplot-nox)"

struct ec_gnuplot {
    char *exe;          /* the gnuplot executable */
    char dir[512];      /* the job's directory */
    char script[600];   /* its script's path */
    FILE *gp;           /* the script while it is written */
};

static int is_exe(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Search PATH (or take a path with a slash) for an executable; malloc'd,
 * NULL when there is none. */
static char *find_exe(const char *name)
{
    if (strchr(name, '/'))
        return is_exe(name) ? strdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (1) {
        size_t len = strcspn(path, ":");
        char *cand = malloc(len + strlen(name) + 3);
        if (!cand)
            return NULL;
        if (len == 0)
            sprintf(cand, "./%s", name);
        else
            sprintf(cand, "%.*s/%s", (int)len, path, name);
        if (is_exe(cand))
            return cand;
        free(cand);
        if (!path[len])
            return NULL;
        path += len + 1;
    }
}

int ec_gnuplot_new(const char *name, ec_gnuplot **out, ec_diag *d)
{
    *out = NULL;
    const char *env = getenv("EC_GNUPLOT");
    int named = env && *env;
    ec_gnuplot *g = calloc(1, sizeof *g);
    if (!g)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    if (!(g->exe = find_exe(named ? env : "gnuplot"))) {
        free(g);
        if (named)
            return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "gnuplot not found (EC_GNUPLOT=%s); "
                               GNUPLOT_INSTALL, env);
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "gnuplot not found; " GNUPLOT_INSTALL);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(g->dir, sizeof g->dir, "%s/edgecut-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    if (!mkdtemp(g->dir)) {
        int rc = ec_diag_set(d, EC_EIO, g->dir, 0, "cannot create temporary directory: %s",
                             strerror(errno));
        g->dir[0] = '\0';
        ec_gnuplot_free(g);
        return rc;
    }
    snprintf(g->script, sizeof g->script, "%s/script.gp", g->dir);
    if (!(g->gp = fopen(g->script, "w"))) {
        int rc = ec_diag_set(d, EC_EIO, g->script, 0, "cannot write: %s", strerror(errno));
        ec_gnuplot_free(g);
        return rc;
    }
    *out = g;
    return EC_OK;
}

FILE *ec_gnuplot_script(ec_gnuplot *g)
{
    return g->gp;
}

int ec_gnuplot_data(ec_gnuplot *g, const char *name, char *path, size_t n, FILE **f,
                    ec_diag *d)
{
    snprintf(path, n, "%s/%s", g->dir, name);
    if (!(*f = fopen(path, "w")))
        return ec_diag_set(d, EC_EIO, path, 0, "cannot write: %s", strerror(errno));
    return EC_OK;
}

int ec_gnuplot_close(FILE *f, const char *path, ec_diag *d)
{
    if (ferror(f) | fclose(f))
        return ec_diag_set(d, EC_EIO, path, 0, "write failed");
    return EC_OK;
}

/* The last non-empty line of file path (gnuplot's error) into buf. */
static void last_line(const char *path, char *buf, size_t n)
{
    char line[512];
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[strspn(line, " \t^")])
            snprintf(buf, n, "%s", line);
    }
    if (f)
        fclose(f);
}

int ec_gnuplot_run(ec_gnuplot *g, ec_diag *d)
{
    int rc = ec_gnuplot_close(g->gp, g->script, d);
    g->gp = NULL;
    if (rc)
        return rc;
    char err_path[600];
    snprintf(err_path, sizeof err_path, "%s/gnuplot.out", g->dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "cannot start %s: %s", g->exe,
                           strerror(errno));
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in >= 0)
            dup2(in, 0);
        if (err >= 0) {
            dup2(err, 1);
            dup2(err, 2);
        }
        execl(g->exe, g->exe, g->script, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "waiting for %s: %s", g->exe,
                               strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return EC_OK;
    char last[512];
    last_line(err_path, last, sizeof last);
    if (WIFEXITED(status))
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "%s failed (exit %d)%s%s", g->exe,
                           WEXITSTATUS(status), *last ? ": " : "", last);
    return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "%s killed by signal %d", g->exe,
                       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void ec_gnuplot_free(ec_gnuplot *g)
{
    if (!g)
        return;
    if (g->gp)
        fclose(g->gp);
    DIR *dp = g->dir[0] ? opendir(g->dir) : NULL;
    if (dp) {
        struct dirent *e;
        char f[1024];
        while ((e = readdir(dp))) {
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
                snprintf(f, sizeof f, "%s/%s", g->dir, e->d_name) < (int)sizeof f)
                unlink(f);
        }
        closedir(dp);
        rmdir(g->dir);
    }
    free(g->exe);
    free(g);
}

void ec_gnuplot_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("''", f);
        else
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
    fputc('\'', f);
}

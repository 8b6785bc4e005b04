/* gnuplot: finding and running gnuplot on a script in a temporary
 * directory (see gnuplot.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/gnuplot.h"

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
    int keep;           /* 1: dir is the caller's; files are kept, gnuplot runs in dir */
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

/* Find gnuplot for a new job *out (exe set, no directory yet). */
static int find_gnuplot(ec_gnuplot **out, ec_diag *d)
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
    *out = g;
    return EC_OK;
}

int ec_gnuplot_new(const char *name, ec_gnuplot **out, ec_diag *d)
{
    *out = NULL;
    ec_gnuplot *g;
    int rc = find_gnuplot(&g, d);
    if (rc)
        return rc;
    const char *tmp = getenv("TMPDIR");
    snprintf(g->dir, sizeof g->dir, "%s/edgecut-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    if (!mkdtemp(g->dir)) {
        rc = ec_diag_set(d, EC_EIO, g->dir, 0, "cannot create temporary directory: %s",
                         strerror(errno));
        g->dir[0] = '\0';
        ec_gnuplot_free(g);
        return rc;
    }
    snprintf(g->script, sizeof g->script, "%s/script.gp", g->dir);
    if (!(g->gp = fopen(g->script, "w"))) {
        rc = ec_diag_set(d, EC_EIO, g->script, 0, "cannot write: %s", strerror(errno));
        ec_gnuplot_free(g);
        return rc;
    }
    *out = g;
    return EC_OK;
}

int ec_gnuplot_new_in(const char *dir, const char *name, ec_gnuplot **out, ec_diag *d)
{
    *out = NULL;
    ec_gnuplot *g;
    int rc = find_gnuplot(&g, d);
    if (rc)
        return rc;
    g->keep = 1;
    snprintf(g->dir, sizeof g->dir, "%s", dir);
    snprintf(g->script, sizeof g->script, "%s/%s.gp", dir, name);
    if (!(g->gp = fopen(g->script, "w"))) {
        rc = ec_diag_set(d, EC_EIO, g->script, 0, "cannot write: %s", strerror(errno));
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
    char full[1200];
    snprintf(full, sizeof full, "%s/%s", g->dir, name);
    snprintf(path, n, "%s", g->keep ? name : full); /* kept jobs run in their directory */
    if (!(*f = fopen(full, "w")))
        return ec_diag_set(d, EC_EIO, full, 0, "cannot write: %s", strerror(errno));
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

static int failed(const ec_gnuplot *g, int status, const char *err_path, ec_diag *d);

int ec_gnuplot_run(ec_gnuplot *g, ec_diag *d)
{
    return ec_gnuplot_run_e(g, NULL, d);
}

int ec_gnuplot_run_e(ec_gnuplot *g, const char *expr, ec_diag *d)
{
    if (g->gp) {
        int rc = ec_gnuplot_close(g->gp, g->script, d);
        g->gp = NULL;
        if (rc)
            return rc;
    }
    char err_path[600];
    int err = -1;
    if (g->keep) { /* gnuplot's output goes to a temporary file, not beside the figures */
        const char *tmp = getenv("TMPDIR");
        snprintf(err_path, sizeof err_path, "%s/edgecut-gnuplot.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        err = mkstemp(err_path);
        if (err < 0)
            return ec_diag_set(d, EC_EIO, err_path, 0, "cannot create: %s", strerror(errno));
    } else {
        snprintf(err_path, sizeof err_path, "%s/gnuplot.out", g->dir);
    }
    const char *script = g->keep ? strrchr(g->script, '/') + 1 : g->script;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        if (err >= 0) {
            close(err);
            unlink(err_path);
        }
        return ec_diag_set(d, EC_ERUNTIME, NULL, 0, "cannot start %s: %s", g->exe,
                           strerror(errno));
    }
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        if (err < 0)
            err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in >= 0)
            dup2(in, 0);
        if (err >= 0) {
            dup2(err, 1);
            dup2(err, 2);
        }
        if (g->keep && chdir(g->dir) != 0)
            _exit(126);
        if (expr)
            execl(g->exe, g->exe, "-e", expr, script, (char *)NULL);
        else
            execl(g->exe, g->exe, script, (char *)NULL);
        _exit(127);
    }
    if (err >= 0)
        close(err);
    int status, rc = EC_OK;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            rc = ec_diag_set(d, EC_ERUNTIME, NULL, 0, "waiting for %s: %s", g->exe,
                             strerror(errno));
            break;
        }
    if (!rc && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        rc = failed(g, status, err_path, d);
    if (g->keep)
        unlink(err_path);
    return rc;
}

/* EC_ERUNTIME for a gnuplot that did not succeed: its exit status or
 * signal and the last line it wrote (in err_path). */
static int failed(const ec_gnuplot *g, int status, const char *err_path, ec_diag *d)
{
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
    DIR *dp = g->dir[0] && !g->keep ? opendir(g->dir) : NULL;
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

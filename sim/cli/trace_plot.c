/* trace_plot: one trace through gnuplot (see trace_plot.h). */
#include "sim/cli/trace_plot.h"

#include "sim/cli/gnuplot.h"

#include <stdio.h>
#include <string.h>

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

/* The trace's segments as steps into data file trace.dat, and the script. */
static int write_files(ec_gnuplot *g, const ec_trace *t, double scale, const char *title,
                       const char *ylabel, const char *term, const char *out_path, ec_diag *d)
{
    char data[600];
    FILE *f;
    int rc = ec_gnuplot_data(g, "trace.dat", data, sizeof data, &f, d);
    if (rc)
        return rc;
    for (size_t i = 0; i < ec_trace_segments(t); i++) {
        int64_t a, b;
        double v;
        ec_trace_segment(t, i, &a, &b, &v);
        fprintf(f, "%.9f %.9g\n%.9f %.9g\n", (double)a / 1e9, v / scale, (double)b / 1e9,
                v / scale);
    }
    if ((rc = ec_gnuplot_close(f, data, d)))
        return rc;
    f = ec_gnuplot_script(g);
    fprintf(f, "set terminal %s\nset output ", term);
    ec_gnuplot_str(f, out_path);
    fprintf(f, "\nset title ");
    ec_gnuplot_str(f, title);
    fprintf(f, " noenhanced\nset xlabel 'time (s)'\nset ylabel ");
    ec_gnuplot_str(f, ylabel);
    fprintf(f, "\nset grid\nset key off\nset yrange [0:*]\nplot ");
    ec_gnuplot_str(f, data);
    fprintf(f, " using 1:2 with lines lw 1.5 lc rgb '#1f5fa8'\n");
    return EC_OK;
}

int ec_trace_plot(const ec_trace *t, double display_scale, const char *title,
                  const char *ylabel, const char *out_path, ec_diag *d)
{
    const char *term = terminal(out_path);
    if (!term)
        return ec_diag_set(d, EC_EUSAGE, out_path, 0, "unknown figure type; expected "
                           "a name ending in .png, .pdf or .svg");
    ec_gnuplot *g;
    int rc = ec_gnuplot_new("trace", &g, d);
    if (rc == EC_OK)
        rc = write_files(g, t, display_scale, title, ylabel, term, out_path, d);
    if (rc == EC_OK)
        rc = ec_gnuplot_run(g, d);
    ec_gnuplot_free(g);
    return rc;
}

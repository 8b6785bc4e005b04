/* progress: a sweep's progress on stderr (see progress.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 24
#define REDRAW_S 0.2 /* least time between two redraws of the bar */

struct ec_progress {
    int mode;
    FILE *out;
    const char *const *names;
    const uint64_t *frames;  /* [n] expected frames per run */
    size_t n;
    uint64_t *done;          /* [n] frames done per run */
    unsigned char *state;    /* [n] 0 waiting, 1 running, 2 ended */
    size_t ended;            /* runs ended */
    uint64_t total;          /* expected frames of all runs */
    double t0, drawn;        /* start and last redraw, s */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int ec_progress_mode_for(FILE *out, int quiet)
{
    if (quiet)
        return EC_PROGRESS_OFF;
    const char *e = getenv("EDGECUT_PROGRESS");
    if (e && !strcmp(e, "bar"))
        return EC_PROGRESS_BAR;
    if (e && !strcmp(e, "lines"))
        return EC_PROGRESS_LINES;
    if (e && !strcmp(e, "off"))
        return EC_PROGRESS_OFF;
    return isatty(fileno(out)) ? EC_PROGRESS_BAR : EC_PROGRESS_LINES;
}

ec_progress *ec_progress_new(int mode, FILE *out, const char *const *names,
                             const uint64_t *frames, size_t n)
{
    ec_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->done = calloc(n ? n : 1, sizeof *p->done);
    p->state = calloc(n ? n : 1, 1);
    if (!p->done || !p->state) {
        ec_progress_free(p);
        return NULL;
    }
    *p = (ec_progress){ .mode = mode, .out = out, .names = names, .frames = frames, .n = n,
                        .done = p->done, .state = p->state, .t0 = now_s() };
    for (size_t i = 0; frames && i < n; i++)
        p->total += frames[i];
    return p;
}

/* 1234567 as "1.23M", 12345 as "12.3k". */
static void si(double v, char *buf, size_t n)
{
    if (v >= 1e9)
        snprintf(buf, n, "%.3gG", v / 1e9);
    else if (v >= 1e6)
        snprintf(buf, n, "%.3gM", v / 1e6);
    else if (v >= 1e3)
        snprintf(buf, n, "%.3gk", v / 1e3);
    else
        snprintf(buf, n, "%.0f", v);
}

/* Seconds as "1:02:03" or "2:03". */
static void hms(double s, char *buf, size_t n)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void draw(ec_progress *p, int force)
{
    double t = now_s();
    if (!force && t - p->drawn < REDRAW_S)
        return;
    p->drawn = t;
    uint64_t done = 0;
    size_t running = 0, one = 0;
    for (size_t i = 0; i < p->n; i++) {
        done += p->done[i];
        if (p->state[i] == 1) {
            running++;
            one = i;
        }
    }
    double share = p->total ? (double)done / (double)p->total
                            : p->n ? (double)p->ended / (double)p->n : 1;
    if (share > 1)
        share = 1;
    char bar[BAR_WIDTH + 1], rate[32], eta[32] = "-", cur[160] = "";
    int fill = (int)(share * BAR_WIDTH);
    for (int k = 0; k < BAR_WIDTH; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double el = t - p->t0;
    si(el > 0 ? (double)done / el : 0, rate, sizeof rate);
    if (share > 0 && share < 1 && el > 0.5)
        hms(el * (1 - share) / share, eta, sizeof eta);
    else if (share >= 1)
        hms(0, eta, sizeof eta);
    if (running == 1) {
        char a[32], b[32];
        si((double)p->done[one], a, sizeof a);
        si(p->frames ? (double)p->frames[one] : 0, b, sizeof b);
        snprintf(cur, sizeof cur, "  %s: %s/%s frames", p->names[one], a, b);
    }
    fprintf(p->out, "\r[%s] %zu/%zu runs  %s frames/s  ETA %s%s\033[K", bar, p->ended, p->n,
            rate, eta, cur);
    fflush(p->out);
}

void ec_progress_frames(ec_progress *p, size_t i, uint64_t done)
{
    if (!p || i >= p->n)
        return;
    p->state[i] = p->state[i] ? p->state[i] : 1;
    p->done[i] = done;
    if (p->mode == EC_PROGRESS_BAR)
        draw(p, 0);
}

void ec_progress_run_end(ec_progress *p, size_t i, double secs, int ok)
{
    if (!p || i >= p->n || p->state[i] == 2)
        return;
    p->state[i] = 2;
    p->ended++;
    if (ok && p->frames)
        p->done[i] = p->frames[i];
    if (p->mode == EC_PROGRESS_LINES)
        fprintf(p->out, "edgecut: %s %s in %.2f s (%zu/%zu runs)\n", p->names[i],
                ok ? "done" : "failed", secs, p->ended, p->n);
    else if (p->mode == EC_PROGRESS_BAR)
        draw(p, 1);
}

void ec_progress_free(ec_progress *p)
{
    if (!p)
        return;
    if (p->mode == EC_PROGRESS_BAR && p->drawn > 0)
        fputc('\n', p->out); /* end the bar's line */
    free(p->done);
    free(p->state);
    free(p);
}

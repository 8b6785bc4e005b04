/* progress: how far a sweep is, on stderr.  On a terminal a bar redrawn in
 * place: runs done / total, frames per second and the estimated time left
 * (from the frames the runs will simulate), and while a single run is in
 * progress its frames done; elsewhere one plain line per finished run; with
 * --quiet nothing.  Part of the edgecut program. */
#ifndef EC_PROGRESS_H
#define EC_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How progress is shown. */
enum ec_progress_mode {
    EC_PROGRESS_OFF = 0,   /* nothing */
    EC_PROGRESS_LINES = 1, /* "edgecut: NAME done in S s (K/N runs)" per run */
    EC_PROGRESS_BAR = 2    /* a bar redrawn in place (a terminal) */
};

/* The mode for stream out: EDGECUT_PROGRESS=bar|lines|off when set, else a
 * bar on a terminal and lines elsewhere; off when quiet. */
int ec_progress_mode_for(FILE *out, int quiet);

/* A progress display (opaque). */
typedef struct ec_progress ec_progress;

/* A display in mode `mode` on out for runs whose names and frame counts
 * (all devices; 0 when unknown) are names[i] and frames[i], i < n; NULL when
 * out of memory (then nothing is shown).  The arrays must outlive it. */
ec_progress *ec_progress_new(int mode, FILE *out, const char *const *names,
                             const uint64_t *frames, size_t n);

/* Run i has finished `done` frames so far. */
void ec_progress_frames(ec_progress *p, size_t i, uint64_t done);

/* Run i ended after secs seconds of wall-clock time, finished (ok = 1) or
 * failed (0). */
void ec_progress_run_end(ec_progress *p, size_t i, double secs, int ok);

/* End the display (the bar's line is ended) and free p; p may be NULL. */
void ec_progress_free(ec_progress *p);

#endif

/* suggest: "did you mean" hints (see suggest.h). */
#include "sim/base/suggest.h"

#include <stdio.h>
#include <string.h>

size_t ec_edit_distance(const char *a, const char *b)
{
    /* rows i - 2, i - 1 and i of the distance table over prefixes */
    size_t la = strlen(a), lb = strlen(b), prev2[64], prev[64], row[64];
    if (la > 63 || lb > 63)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            row[j] = best;
        }
        memcpy(prev2, prev, (lb + 1) * sizeof *prev);
        memcpy(prev, row, (lb + 1) * sizeof *row);
    }
    return prev[lb];
}

int ec_suggest_add(ec_suggest *s, const char *cand)
{
    size_t d = ec_edit_distance(s->bad, cand);
    if (d == 0 || d > 2 || d * 3 > strlen(s->bad) || d >= s->dist)
        return 0;
    s->best = cand;
    s->dist = d;
    return 1;
}

const char *ec_suggest_hint(const ec_suggest *s, char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    if (s->best)
        snprintf(buf, n, "; did you mean '%.64s'?", s->best);
    return buf;
}

/* label: a run's label (see label.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim/cli/label.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ec_run_label(ec_reader *rd, const ec_stored_run *run, char **out, ec_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    size_t shown = 0, learner = 0;
    for (size_t i = 0; i < run->n_itervars; i++) {
        const ec_kv *iv = &run->itervars[i];
        if (!strcmp(iv->key, "replicate") || !strcmp(iv->key, "repetition") ||
            !strcmp(iv->key, "seed"))
            continue;
        fprintf(f, "%s%s=%s", shown++ ? ", " : "", iv->key, iv->value);
        learner += !strcmp(iv->key, "learner");
    }
    if (fclose(f) != 0) {
        free(text);
        return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    if (shown == 1 && learner) /* just the learner's name */
        memmove(text, text + 8, strlen(text + 8) + 1);
    if (!shown) {
        free(text);
        int code = ec_reader_config(rd, run->id, "learner", &text, d);
        if (code)
            return code;
        if (!text && !(text = strdup(run->name)))
            return ec_diag_set(d, EC_ENOMEM, NULL, 0, "out of memory");
    }
    *out = text;
    return EC_OK;
}

/* embedded: the shipped model and device files, compiled into the library
 * (by models/embed.py) so that `model = vgg16` works wherever the binary
 * runs.  Users' own files are read from disk by path instead. */
#ifndef EC_EMBEDDED_H
#define EC_EMBEDDED_H

#include <stddef.h>

/* One embedded text file. */
typedef struct ec_embedded {
    const char *path; /* path relative to the source root, "models/vgg16.model" */
    const char *text; /* the file's bytes, NUL-terminated */
    size_t len;       /* bytes of text, without the NUL */
} ec_embedded;

/* The shipped model files (models/NAME.model), NULL-path-terminated, sorted by path. */
extern const ec_embedded ec_embedded_models[];

/* The shipped device files (models/devices/NAME.device), likewise. */
extern const ec_embedded ec_embedded_devices[];

#endif

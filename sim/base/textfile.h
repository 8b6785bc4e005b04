/* textfile: reading a whole input file (a config, a model, a device file, a
 * profile) into memory, with the errors every such input shares. */
#ifndef EC_TEXTFILE_H
#define EC_TEXTFILE_H

#include "sim/base/diag.h"

#include <stddef.h>

/* Largest file read: a longer one, or an endless one (/dev/zero), is an
 * input error instead of a machine out of memory. */
#define EC_TEXTFILE_MAX_BYTES (64 << 20)

/* Read the file at path into *text (NUL-terminated, free()) and its length
 * in bytes into *len (may be NULL); what names the kind of file in
 * messages ("a config file").  Errors, each naming path:
 * EC_ENOTFOUND "is a directory; expected WHAT" or "cannot open: REASON";
 * code "file larger than 64 MiB; expected WHAT"; EC_EIO "cannot read:
 * REASON"; EC_ENOMEM. */
int ec_textfile_read(const char *path, const char *what, int code, char **text, size_t *len,
                     ec_diag *d);

/* The 1-based line of the first NUL byte in text[0..len), 0 if none (a
 * binary file, whose text would end there and mislead later messages). */
long ec_textfile_nul_line(const char *text, size_t len);

#endif

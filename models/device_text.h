/* device_text: small text helpers shared by the device-side parsers
 * (device_file.c, profile_csv.c); not installed. */
#ifndef EC_DEVICE_TEXT_H
#define EC_DEVICE_TEXT_H

#include "sim/base/diag.h"

#include <stddef.h>

/* Read the whole file at path, NUL-terminated, into *text (free()); what
 * names the kind of file in messages ("a device file").  The errors of
 * ec_textfile_read (sim/base/textfile.h; a file too large is EC_EMODEL), and
 * EC_EMODEL "PATH:LINE: NUL byte in the file; expected WHAT". */
int ec_text_read(const char *path, const char *what, char **text, ec_diag *d);

/* Cursor over the lines of a mutable text. */
typedef struct ec_text_lines {
    char *p;     /* next unread byte, NULL at the end */
    long line;   /* 1-based number of the line last returned */
} ec_text_lines;

/* The next line (its '\n' and a trailing '\r' cut off, NUL-terminated in
 * place), NULL at the end. */
char *ec_text_next(ec_text_lines *it);

/* Split a line in place at commas into at most max fields, each trimmed of
 * white space; returns the number of fields (max + 1 if there were more). */
size_t ec_text_split_csv(char *line, char **fields, size_t max);

/* Split a line in place at white space into at most max tokens; returns the
 * number of tokens (max + 1 if there were more). */
size_t ec_text_split_ws(char *line, char **tok, size_t max);

/* Cut a '#' comment (at the start or after white space) off line and trim
 * white space at both ends; returns the trimmed start. */
char *ec_text_strip(char *line);

/* Parse all of s as a finite number into *v; 0 on success, -1 otherwise. */
int ec_text_number(const char *s, double *v);

/* 1 if s is written as a number but too large for a double ("1e400"), so
 * that ec_text_number rejects it for its size, not its form; else 0. */
int ec_text_overflows(const char *s);

/* malloc'd "FILE:LINE", NULL if out of memory. */
char *ec_text_where(const char *file, long line);

#endif

/* text: small helpers every part uses for strings, comma lists and arrays
 * that grow. */
#ifndef EC_TEXT_H
#define EC_TEXT_H

#include <stddef.h>

/* A malloc'd copy of s[0..len) with a NUL after it; NULL when out of memory. */
char *ec_strndup(const char *s, size_t len);

/* A malloc'd copy of the string s; NULL when s is NULL or memory is out
 * (strdup for code built without POSIX). */
char *ec_strdup(const char *s);

/* ec_strndup of s[0..len) without its leading and trailing white space
 * (isspace). */
char *ec_strndup_trim(const char *s, size_t len);

/* The items of a comma-separated list, one at a time, without copying:
 *     const char *p = text, *item; size_t len;
 *     while (ec_list_next(&p, &item, &len)) ... item[0..len) ...
 * Each item is what lies between two commas (or an end), without leading
 * and trailing white space; an empty item (",,", a trailing ",", and so
 * an empty or all-white-space text, which is one empty item) has len 0 and
 * is the caller's to refuse or skip.  Returns 1 with *item and *len set,
 * or 0 when the list is done (*p is then NULL). */
int ec_list_next(const char **p, const char **item, size_t *len);

/* The number of items ec_list_next gives for text (>= 1). */
size_t ec_list_count(const char *text);

/* Make room for at least `need` elements of `size` (> 0) bytes in a
 * malloc'd array, doubling its capacity (from 4 when it has none).  arrp is
 * the address of the array's pointer (a T ** for an array of T, NULL at
 * first) and *cap its allocated elements (0 at first).  Returns EC_OK (0),
 * *arrp and *cap unchanged when need <= *cap; or EC_ENOMEM with *arrp and
 * *cap unchanged when the allocation fails or need * size does not fit a
 * size_t.  Typical use:
 *     if (ec_grow(&a->items, &a->cap, a->n + 1, sizeof *a->items)) ...
 *     a->items[a->n++] = item;
 */
int ec_grow(void *arrp, size_t *cap, size_t need, size_t size);

#endif

/* csvout: writing CSV (RFC 4180) for `edgecut report` and `edgecut export`.
 * Part of the edgecut program. */
#ifndef EC_CSVOUT_H
#define EC_CSVOUT_H

#include <stdint.h>
#include <stdio.h>

/* Field s, quoted when it holds a comma, a quote or a line break (a quote
 * inside doubled). */
void ec_csv_field(FILE *out, const char *s);

/* Number v with 10 significant digits ("%.10g"); nothing (an empty field)
 * for NaN. */
void ec_csv_number(FILE *out, double v);

/* Integer v; nothing when v == missing (e.g. -1 for a regret not
 * evaluated). */
void ec_csv_int(FILE *out, int64_t v, int64_t missing);

#endif

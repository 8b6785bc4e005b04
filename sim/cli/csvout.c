/* csvout: CSV fields (see csvout.h). */
#include "sim/cli/csvout.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void ec_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void ec_csv_number(FILE *out, double v)
{
    if (!isnan(v))
        fprintf(out, "%.10g", v);
}

void ec_csv_int(FILE *out, int64_t v, int64_t missing)
{
    if (v != missing)
        fprintf(out, "%" PRId64, v);
}

/* main: the edgecut executable; everything else lives in libedgecut. */
#include "sim/cli/cli.h"

int main(int argc, char **argv)
{
    return ec_cli_main(argc, argv);
}

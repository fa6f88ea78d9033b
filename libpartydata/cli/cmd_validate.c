/* cmd_validate.c: commands of a module not yet built into this tree. */
#include "cli.h"
int pd_cli_validate(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }

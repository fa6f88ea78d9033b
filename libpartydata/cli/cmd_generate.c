/* cmd_generate.c: commands of a module not yet built into this tree. */
#include "cli.h"
int pd_cli_generate(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_score(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }

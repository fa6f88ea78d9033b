/* cmd_store.c: commands of a module not yet built into this tree. */
#include "cli.h"
int pd_cli_init(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_import(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_export(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_show(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_history(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_stats(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }
int pd_cli_check(int argc, char **argv) { (void)argc; fprintf(stderr, "partydata %s: not available in this build\n", argv[0]); return PD_EXIT_INTERNAL; }

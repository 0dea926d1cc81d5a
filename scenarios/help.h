/* help.h - help text generated from the command table: `mcbench help`, the TUI's help
 * overlay, the reference documentation and shell completion all come from here. */
#ifndef SCN_HELP_H
#define SCN_HELP_H

#include <stdio.h>

#include "cmd.h"

/* One verb: its usage lines, help paragraph and examples. */
void scn_help_verb(FILE *out, const scn_entry *e);
/* The same, its paragraphs wrapped at width columns (a pop-up's). */
void scn_help_verb_width(FILE *out, const scn_entry *e, int width);
/* Every verb with its one-line summary. */
void scn_help_index(FILE *out);
/* The whole language reference as Markdown (docs/scenario-language.md). */
void scn_help_markdown(FILE *out);
/* The same as a section-5 man page (docs/mcbench.5). */
void scn_help_man5(FILE *out);
/* A bash completion script for mcbench, its subcommands and the verbs. */
void scn_help_bash_completion(FILE *out);

#endif

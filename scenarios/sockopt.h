/* sockopt.h - the socket options the language knows: the core's option table
 * (mcb_options()) followed by the rows the session keeps itself (echo), as one list.
 * `set` checks, completes, documents and applies options from it; reports and the TUI
 * show every row of it. No code outside a table compares option names.
 */
#ifndef SCN_SOCKOPT_H
#define SCN_SOCKOPT_H

#include <mcb.h>

#define SCN_MAX_OPTIONS (MCB_MAX_OPTIONS + 4)

size_t scn_option_count(void);
/* Row i: the core's rows first, then the session's; NULL past the end. */
const mcb_option *scn_option_at(size_t i);
const mcb_option *scn_option_find(const char *name);
/* The closest option name to a misspelling, or NULL. */
const char *scn_option_suggest(const char *name);

/* Every row's value for a socket, by position (invalid where it does not apply). */
void scn_option_values(mcb_socket *sock, mcb_optval out[SCN_MAX_OPTIONS]);

#endif

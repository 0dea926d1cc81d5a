/* record.h - `record FILE`: saves the operator's commands as a replayable scenario, with
 * `wait` lines for the time between them and `expect error` after commands that failed,
 * so `mcbench run` replays the session with the same results.
 *
 * The file follows the rules of scenarios/outfile.h: an existing file is refused unless
 * the operator said overwrite, a symbolic link is never followed, and every write and
 * the close are checked; the first failure is returned so the front end can say so. */
#ifndef UI_RECORD_H
#define UI_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "outfile.h"
#include "session.h"

typedef struct ui_record {
  scn_outfile out;
  bool active;
  uint64_t last_ns; /* when the previous command was recorded */
  unsigned lines;
} ui_record;

/* Starts recording into path, written with the header. 0, or a negative code with the
 * reason in why (UV_EEXIST for an existing file without overwrite, UV_ELOOP for a
 * symbolic link...). A recording already running is closed first. private_net: the
 * session runs in mcbench's private namespace, so the header says to replay it with
 * `mcbench run --private` (its interface names exist only there). */
int ui_record_start(ui_record *r, const char *path, bool overwrite, bool private_net, char *why,
                    size_t size);
/* Appends one command (and the wait before it). 0, or the first write error, with the
 * reason in why; the recording stays active until ui_record_stop. */
int ui_record_command(ui_record *r, const char *text, uint64_t now_ns, char *why, size_t size);
/* Appends `expect error CODE` after a failed command; same results. */
int ui_record_error(ui_record *r, int code, char *why, size_t size);
/* Flushes and closes: 0, or the first error of any write or of the close, with the
 * reason in why. Does nothing (returns 0) when not recording. */
int ui_record_stop(ui_record *r, char *why, size_t size);
bool ui_record_active(const ui_record *r);
/* The file of the current or the last recording. */
const char *ui_record_path(const ui_record *r);

/* record-setup.c: the commands that recreate the session's open sockets (open, options,
 * bind, joins), one a line, for a recording that begins after they were made; returns
 * the length written (cut at size). */
size_t ui_record_setup(const scn_session *s, char *out, size_t size);
/* `set NAME OPTION toggle` as the state it produces ("set tx loopback off"): true and
 * the line in out, or false when NAME or OPTION is not an on/off option of a socket. */
bool ui_record_toggle(const scn_session *s, const char *name, const char *option, char *out,
                      size_t size);

#endif

/* stream-task.h - a send stream running on the loop: `send ... rate|every|for|burst` in
 * the background, and `send ... probe count N` (or with impairments) in the foreground.
 * The plan (deadlines, sizes, impairments) is stream.h's; this runs it as a session task
 * with the core's batched send, and keeps the socket's stream record up to date. */
#ifndef SCN_STREAM_TASK_H
#define SCN_STREAM_TASK_H

#include "command-api.h"
#include "stream.h"

typedef struct scn_stream_spec {
  scn_stream_cfg cfg;
  bool probe;             /* probe header + fill; otherwise `payload` as is */
  const uint8_t *payload; /* copied */
  size_t len;
  double rate_pps;         /* as requested (0: unpaced), for the record */
  const mcb_addr *first;   /* destinations: first, first + 1, ... round robin */
  const char *lookup_host; /* or a host name, resolved without blocking first */
  int lookup_port;
  uint64_t ndest;        /* >= 1 */
  const char *dest_text; /* as written */
  bool foreground;       /* the command waits for the stream to end */
} scn_stream_spec;

/* Starts the stream on ss for the running command `cmd`; writes its id. 0, or a negative
 * code with the reason in why. A foreground stream resumes the parked command `cmd` when
 * it ends (park it with scn_wait before starting). */
int scn_stream_start(scn_session *s, const scn_command *cmd, scn_sock *ss,
                     const scn_stream_spec *spec, unsigned *id, const char **why);
/* Ends the streams of `sock`: stream `id`, or every one when id is 0; returns how many. */
size_t scn_streams_stop(scn_session *s, mcb_socket *sock, unsigned id);
/* A seed for a stream that was given none (recorded, so the run can be replayed). */
uint64_t scn_stream_random_seed(void);

#endif

/* cmd-stop.c - `stop NAME [STREAM]`: ends a socket's send streams, one or all. */
#include "command-api.h"
#include "stream-task.h"
#include "values.h"

static scn_status exec_stop(scn_session *s, scn_command *cmd)
{
  const scn_token *num = scn_arg(cmd, "STREAM");
  scn_sock *ss = scn_target(s);
  int64_t id = 0;
  const char *why;
  size_t n;
  if (num != NULL) scn_parse_int(num->text, 1, 65535, &id, &why);
  n = scn_streams_stop(s, ss->sock, (unsigned)id);
  if (n == 0 && num != NULL)
    return scn_fail(s, cmd, num, UV_ENOENT, "stop %s %s: no such stream is running", ss->name,
                    num->text);
  if (n == 0) scn_note(s, cmd, "%s: no stream is running", ss->name);
  return SCN_DONE;
}

static const char *const forms[] = {"NAME [STREAM]", NULL};

const scn_entry scn_cmd_stop = {
    .name = "stop",
    .forms = forms,
    .summary = "stop a socket's send streams",
    .help = "Ends stream STREAM of NAME (the number 'send' gave it: 1, 2, ...), or every "
            "stream of NAME. What a stream sent stays in the socket's state (sent, achieved "
            "rate, injected faults); stopping a stream that is not running fails with ENOENT, "
            "stopping all when none runs does nothing.",
    .example = "stop tx\nstop tx 2",
    .target = SCN_TARGET_SOCKET,
    .exec = exec_stop,
};

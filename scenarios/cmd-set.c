/* cmd-set.c - `set NAME OPTION VALUE`: any option of the table (sockopt.h). The grammar
 * has already checked that OPTION is a settable row and VALUE fits its type; the range
 * is the core's to check, so `expect error EINVAL` can test it. */
#include "session.h"
#include "sockopt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static scn_status exec_set(scn_session *s, scn_command *cmd)
{
  scn_status st = SCN_ERROR;
  scn_sock *ss = scn_need_sock(s, cmd, &st);
  const scn_token *name = scn_arg(cmd, "OPTION"), *val = scn_arg(cmd, "VALUE");
  const mcb_option *opt = scn_option_find(name->text);
  char shown[48];
  mcb_optval now;
  bool hex, adjusted;
  int rc;

  if (ss == NULL) return st;
  if ((rc = mcb_option_set(ss->sock, opt, val->text)) != 0)
    return scn_fail_core(s, cmd, rc == UV_EBADF ? scn_arg(cmd, "NAME") : val, rc);
  mcb_option_get(ss->sock, opt, &now);
  mcb_option_format(opt, &now, shown, sizeof shown);
  /* The kernel may adjust what it was given (rcvbuf doubles): say so. */
  hex = strncmp(val->text, "0x", 2) == 0 || strncmp(val->text, "0X", 2) == 0;
  adjusted = opt->type == MCB_OPT_INT && strtol(val->text, NULL, hex ? 16 : 10) != now.num;
  scn_note(s, cmd, "%s %s %s%s", ss->name, opt->name, shown, adjusted ? " (kernel value)" : "");
  return SCN_DONE;
}

static const char *const forms[] = {
    "NAME OPTION VALUE",
    NULL,
};

const scn_entry scn_cmd_set = {
    .name = "set",
    .forms = forms,
    .summary = "set a socket option",
    .help = "Sets OPTION of socket NAME to VALUE; the options and what each takes are listed "
            "below. Booleans take on, off or toggle; numbers are decimal or 0x hex. Out-of-range "
            "values fail with EINVAL and change nothing. Read-only options cannot be set; the "
            "sockets pane and the reports show them with the others.",
    .example = "set tx mcast-ttl 4\nset tx loopback off\nset tx broadcast on\nset tx mcast-if "
               "mcb0\nset srv echo on",
    .exec = exec_set,
};

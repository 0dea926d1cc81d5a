/* cmd-default.c - `default VAR VALUE`: a variable unless -D gave it. */
#include "command-api.h"

static void check_default(scn_checker *ck, scn_command *cmd)
{
  const scn_token *var = scn_arg(cmd, "VAR"), *val = scn_arg(cmd, "VALUE");
  if (scn_vars_set(ck->vars, var->text, val->text, false) != 0)
    scn_diags_at(ck->diags, cmd, val, "cannot set %s: too many variables or value too long",
                 var->text);
}

static scn_status exec_default(scn_session *s, scn_command *cmd)
{
  return SCN_DONE; /* its work was done at check time, where ${VAR} is substituted */
}

static const char *const forms[] = {"VAR VALUE", NULL};

const scn_entry scn_cmd_default = {
    .name = "default",
    .forms = forms,
    .summary = "give a variable a value unless -D set it",
    .help = "Sets ${VAR} for the lines after it, unless the command line gave -D VAR=VALUE. "
            "Variables are substituted in words and \"strings\".",
    .example = "default GROUP 239.1.1.1\ndefault PORT 5000\nsend tx ${GROUP}:${PORT} \"hi\"",
    .check = check_default,
    .exec = exec_default,
};

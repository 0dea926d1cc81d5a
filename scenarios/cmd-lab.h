/* cmd-lab.h - the parts of the `lab` verb (cmd-lab.c) that print (cmd-lab-show.c) and
 * run programs (cmd-lab-exec.c). */
#ifndef SCN_CMD_LAB_H
#define SCN_CMD_LAB_H

#include "command-api.h"

scn_status scn__lab_show(scn_session *s, scn_command *cmd, mcb_lab *lab);
scn_status scn__lab_trace(scn_session *s, scn_command *cmd, mcb_lab *lab);
/* cmd-lab-exec.c: `lab exec`, its check-time part and its run. */
void scn__lab_exec_check(scn_checker *ck, scn_command *cmd);
scn_status scn__lab_exec(scn_session *s, scn_command *cmd, mcb_lab *lab);

#endif

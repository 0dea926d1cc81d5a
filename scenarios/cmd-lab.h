/* cmd-lab.h - the parts of the `lab` verb (cmd-lab.c) that print (cmd-lab-show.c). */
#ifndef SCN_CMD_LAB_H
#define SCN_CMD_LAB_H

#include "command-api.h"

scn_status scn__lab_show(scn_session *s, scn_command *cmd, mcb_lab *lab);
scn_status scn__lab_trace(scn_session *s, scn_command *cmd, mcb_lab *lab);
/* cmd-lab-set.c: `lab set NODE igmp|mld VERSION`. */
scn_status scn__lab_set(scn_session *s, scn_command *cmd, mcb_lab *lab);

#endif

/* cmd-lab.h - the parts of the `lab` verb (cmd-lab.c) that print (cmd-lab-show.c) and
 * that check and explain routes (cmd-lab-route.c). */
#ifndef SCN_CMD_LAB_H
#define SCN_CMD_LAB_H

#include "command-api.h"

scn_status scn__lab_show(scn_session *s, scn_command *cmd, mcb_lab *lab);
scn_status scn__lab_trace(scn_session *s, scn_command *cmd, mcb_lab *lab);

/* cmd-lab-route.c: what check time knows of a route's group and source, and the notes a
 * route earns once made (an IPv6 route over a thresholded link). */
void scn__lab_check_route(scn_checker *ck, scn_command *cmd);
void scn__lab_route_notes(scn_session *s, scn_command *cmd, mcb_lab *lab);

#endif

/* cmd-lab.h - the parts of the `lab` verb (cmd-lab.c): what prints (cmd-lab-show.c),
 * routes' rules and notes (cmd-lab-route.c), link impairments (cmd-lab-link.c),
 * captures (cmd-lab-capture.c) and programs run in nodes (cmd-lab-exec.c). */
#ifndef SCN_CMD_LAB_H
#define SCN_CMD_LAB_H

#include "command-api.h"

scn_status scn__lab_show(scn_session *s, scn_command *cmd, mcb_lab *lab);
scn_status scn__lab_trace(scn_session *s, scn_command *cmd, mcb_lab *lab);
/* cmd-lab-exec.c: `lab exec`, its check-time part and its run. */
void scn__lab_exec_check(scn_checker *ck, scn_command *cmd);
scn_status scn__lab_exec(scn_session *s, scn_command *cmd, mcb_lab *lab);

/* cmd-lab-route.c: what check time knows of a route's group and source, and the notes a
 * route earns once made (an IPv6 route over a thresholded link). */
void scn__lab_check_route(scn_checker *ck, scn_command *cmd);
void scn__lab_route_notes(scn_session *s, scn_command *cmd, mcb_lab *lab);

/* cmd-lab-link.c: `lab link`'s impairments, checked, read and said back. */
void scn__lab_check_link(scn_checker *ck, scn_command *cmd);
void scn__lab_link_opts(const scn_command *cmd, mcb_lab_link_opts *opts);
/* ", ttl-threshold 6, loss 5%, rate 2Mbps": what is set on the link, "" for none. */
void scn__lab_format_impairments(const mcb_lab_link_info *li, char *buf, size_t size);
/* "  impairments: h1-h2 duplicated 40 | h2-h1 duplicated 0" under a link of lab show,
 * when it has any. */
void scn__lab_show_impair_counters(scn_session *s, scn_command *cmd, mcb_lab *lab, size_t i,
                                   const mcb_lab_link_info *li);

/* cmd-lab-capture.c: `lab capture LINK FILE` and `lab capture LINK stop`. */
scn_status scn__lab_capture(scn_session *s, scn_command *cmd, mcb_lab *lab);
/* cmd-lab-set.c: `lab set NODE igmp|mld VERSION`. */
scn_status scn__lab_set(scn_session *s, scn_command *cmd, mcb_lab *lab);

#endif

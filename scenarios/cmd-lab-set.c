/* cmd-lab-set.c - `lab set NODE igmp 1|2|3` and `lab set NODE mld 1|2`: the IGMP or MLD
 * version a lab node's interfaces report in (the core writes force_igmp_version or
 * force_mld_version inside the node); `lab show` says it. */
#include "cmd-lab.h"

#include <string.h>

scn_status scn__lab_set(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const char *node = scn_arg(cmd, "NODE")->text;
  bool mld = scn_arg(cmd, "mld") != NULL;
  const char *v = scn_arg_word(cmd, mld ? "1|2" : "1|2|3");
  int version = v != NULL ? v[0] - '0' : 0, rc;
  rc = mld ? mcb_lab_set_mld_version(lab, node, version)
           : mcb_lab_set_igmp_version(lab, node, version);
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  scn_note(s, cmd, "lab: %s reports in %s%d on every interface", node, mld ? "MLDv" : "IGMPv",
           version);
  return SCN_DONE;
}

/* cmd-lab-set.c - `lab set NODE igmp 1|2|3|default` and `lab set NODE mld 1|2|default`:
 * the IGMP or MLD version a lab node's interfaces report in (the core writes
 * force_igmp_version or force_mld_version inside the node; default writes 0, the
 * kernel's choice); `lab show` says a forced one. */
#include "cmd-lab.h"

#include <string.h>

scn_status scn__lab_set(scn_session *s, scn_command *cmd, mcb_lab *lab)
{
  const char *node = scn_arg(cmd, "NODE")->text;
  bool mld = scn_arg(cmd, "mld") != NULL;
  const char *v = scn_arg_word(cmd, mld ? "1|2|default" : "1|2|3|default");
  int version = v != NULL && strcmp(v, "default") != 0 ? v[0] - '0' : 0, rc;
  rc = mld ? mcb_lab_set_mld_version(lab, node, version)
           : mcb_lab_set_igmp_version(lab, node, version);
  if (rc != 0) return scn_fail(s, cmd, NULL, rc, "lab %s", mcb_lab_last_error(lab));
  if (version == 0)
    scn_note(s, cmd,
             "lab: %s reports in the kernel's choice of %s version again (%s, or an older "
             "querier's)",
             node, mld ? "MLD" : "IGMP", mld ? "MLDv2" : "IGMPv3");
  else
    scn_note(s, cmd, "lab: %s reports in %s%d on every interface", node, mld ? "MLDv" : "IGMPv",
             version);
  return SCN_DONE;
}

/* lab-set.c - per-node settings of the lab: the IGMP and MLD version a node's
 * interfaces use (force_igmp_version, force_mld_version), written inside the node, after
 * the switch into it was verified, for "all", "default" and every interface it has, so
 * a class can compare v2 and v3 reports on the wire. */
#include "lab.h"

#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <unistd.h>

static int write_value(const char *path, int value)
{
  char text[8];
  int fd = open(path, O_WRONLY | O_CLOEXEC), n = snprintf(text, sizeof text, "%d", value);
  ssize_t w;
  if (fd < 0) return -errno;
  w = write(fd, text, (size_t)n);
  close(fd);
  return w == n ? 0 : UV_EIO;
}

/* Writes conf/{all,default,IFACE}/key under /proc/sys/net/<dir>; the thread is inside. */
static int write_all(const char *dir, const char *key, int value)
{
  struct if_nameindex *ifs = if_nameindex(), *i;
  char path[160];
  int rc;
  snprintf(path, sizeof path, "/proc/sys/net/%s/conf/all/%s", dir, key);
  if ((rc = write_value(path, value)) != 0) goto out;
  snprintf(path, sizeof path, "/proc/sys/net/%s/conf/default/%s", dir, key);
  if ((rc = write_value(path, value)) != 0) goto out;
  for (i = ifs; i != NULL && i->if_index != 0; i++) {
    snprintf(path, sizeof path, "/proc/sys/net/%s/conf/%s/%s", dir, i->if_name, key);
    if ((rc = write_value(path, value)) != 0 && rc != UV_ENOENT) goto out;
    rc = 0; /* an interface without that protocol has no such row */
  }
out:
  if (ifs != NULL) if_freenameindex(ifs);
  return rc;
}

static int set_version(mcb_lab *lab, const char *node, bool mld, int version)
{
  const char *what = mld ? "MLD" : "IGMP";
  int i = mcb__lab_find(lab, node), rc, back;
  if (i < 0) return mcb__lab_fail(lab, UV_ENOENT, "set %s %s: no such node", node, what);
  if (version < 0 || version > (mld ? 2 : 3))
    return mcb__lab_fail(lab, UV_EINVAL, "set %s %s: the version is %s", node, what,
                         mld ? "1 or 2" : "1, 2 or 3");
  if (lab->nodes[i].kind == MCB_LAB_SWITCH)
    return mcb__lab_fail(lab, UV_EINVAL, "set %s %s: a switch sends no reports", node, what);
  if ((rc = mcb__lab_switch(lab, i)) == 0)
    rc =
        write_all(mld ? "ipv6" : "ipv4", mld ? "force_mld_version" : "force_igmp_version", version);
  back = mcb__lab_switch(lab, -1);
  if (rc == 0) rc = back;
  if (rc != 0) return mcb__lab_fail(lab, rc, "set %s %s version %d", node, what, version);
  if (mld)
    lab->nodes[i].mld_version = version;
  else
    lab->nodes[i].igmp_version = version;
  return 0;
}

int mcb_lab_set_igmp_version(mcb_lab *lab, const char *node, int version)
{
  return set_version(lab, node, false, version);
}

int mcb_lab_set_mld_version(mcb_lab *lab, const char *node, int version)
{
  return set_version(lab, node, true, version);
}

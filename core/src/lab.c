/* lab.c - the virtual lab's nodes: one network namespace per node, held by a file
 * descriptor, created on the calling thread (unshare, keep /proc/thread-self/ns/net,
 * setns home), and entered/left with setns. Every switch into a node is verified
 * (the thread's namespace must be the node's) before anything is written there, so
 * the lab's sysctls and devices can never land in the home namespace. */
#include "lab.h"
#include "rtnl.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#define SELF_NS "/proc/thread-self/ns/net"

mcb_lab *mcb__private_lab;

int mcb__lab_fail(mcb_lab *lab, int code, const char *fmt, ...)
{
  va_list ap;
  size_t n;
  va_start(ap, fmt);
  vsnprintf(lab->error, sizeof lab->error, fmt, ap);
  va_end(ap);
  n = strlen(lab->error);
  snprintf(lab->error + n, sizeof lab->error - n, ": %s (%s)", mcb_strerror(code),
           mcb_err_name(code));
  return code;
}

const char *mcb_lab_kind_name(mcb_lab_kind kind)
{
  switch (kind) {
  case MCB_LAB_HOST:
    return "host";
  case MCB_LAB_ROUTER:
    return "router";
  case MCB_LAB_SWITCH:
    return "switch";
  }
  return "?";
}

int mcb_lab_check_name(const char *name, const char **why)
{
  size_t n = name != NULL ? strlen(name) : 0;
  const char *reason = NULL;
  if (n == 0 || n >= MCB_LAB_NAME_MAX)
    reason = "a node name has 1 to 7 characters (interface names are NODE-NODE)";
  else if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
    reason = "a node name starts with a letter";
  else
    for (size_t i = 0; i < n && reason == NULL; i++)
      if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
            (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
        reason = "a node name has only letters, digits and '_'";
  if (why != NULL) *why = reason;
  return reason != NULL ? UV_EINVAL : 0;
}

int mcb__lab_find(const mcb_lab *lab, const char *name)
{
  for (size_t i = 0; i < lab->nnodes; i++)
    if (strcmp(lab->nodes[i].name, name) == 0) return (int)i;
  return -1;
}

int mcb__lab_segment(mcb_lab *lab)
{
  int n = lab->next_segment++;
  if (n == 99) n = lab->next_segment++; /* 10.99.0.0/24 is the default link's */
  return n <= 254 ? n : UV_ENOBUFS;
}

/* True when the thread's network namespace is the one `fd` refers to. */
static bool in_namespace(int fd)
{
  struct stat mine, want;
  if (stat(SELF_NS, &mine) != 0 || fstat(fd, &want) != 0) return false;
  return mine.st_dev == want.st_dev && mine.st_ino == want.st_ino;
}

int mcb__lab_switch(mcb_lab *lab, int node)
{
  int fd = node < 0 ? lab->home : lab->nodes[node].nsfd;
  if (node == lab->inside) return in_namespace(fd) ? 0 : UV_EIO;
  if (setns(fd, CLONE_NEWNET) != 0) return -errno;
  lab->inside = node;
  return in_namespace(fd) ? 0 : UV_EIO;
}

int mcb_lab_new(mcb_lab **out)
{
  mcb_lab *lab = calloc(1, sizeof *lab);
  if (lab == NULL) return UV_ENOMEM;
  lab->home = open(SELF_NS, O_RDONLY | O_CLOEXEC);
  if (lab->home < 0) {
    int rc = -errno;
    free(lab);
    return rc;
  }
  lab->inside = -1;
  lab->next_segment = 1;
  *out = lab;
  return 0;
}

void mcb_lab_free(mcb_lab *lab)
{
  if (lab == NULL) return;
  if (lab->inside >= 0) (void)mcb__lab_switch(lab, -1);
  mcb_lab_unwatch(lab); /* its handles close on the loop, without the lab */
  mcb__lab_log_free(lab->log);
  mcb__fwd_free(lab->fwd);
  for (size_t i = 0; i < lab->nnodes; i++) {
    if (lab->nodes[i].mrt_fd >= 0) close(lab->nodes[i].mrt_fd);
    if (lab->nodes[i].mrt6_fd >= 0) close(lab->nodes[i].mrt6_fd);
    close(lab->nodes[i].nsfd);
  }
  close(lab->home);
  free(lab);
}

const char *mcb_lab_last_error(const mcb_lab *lab)
{
  return lab->error;
}

static int write_sysctl(const char *path, const char *value)
{
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  ssize_t n;
  if (fd < 0) return -errno;
  n = write(fd, value, strlen(value));
  close(fd);
  return n == (ssize_t)strlen(value) ? 0 : UV_EIO;
}

/* Settings every node gets, written while the thread is verified to be inside it.
 * Interfaces made later inherit the "default" rows. Best effort: a kernel without one
 * of them still makes a working lab, only slower to report. */
static void tune_node(void)
{
  static const char *const rows[][2] = {
      {"/proc/sys/net/ipv6/conf/all/accept_dad", "0"},
      {"/proc/sys/net/ipv6/conf/default/accept_dad", "0"},
      {"/proc/sys/net/ipv4/conf/all/rp_filter", "0"},
      {"/proc/sys/net/ipv4/conf/default/rp_filter", "0"},
      {"/proc/sys/net/ipv4/conf/all/igmpv2_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv4/conf/default/igmpv2_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv4/conf/all/igmpv3_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv4/conf/default/igmpv3_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv6/conf/all/mldv1_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv6/conf/default/mldv1_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv6/conf/all/mldv2_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv6/conf/default/mldv2_unsolicited_report_interval", "100"},
      {"/proc/sys/net/ipv4/igmp_max_memberships", "1024"},
      {"/proc/sys/net/ipv4/igmp_max_msf", "1024"},
      {"/proc/sys/net/ipv6/mld_max_msf", "1024"},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    (void)write_sysctl(rows[i][0], rows[i][1]);
}

static int make_router(mcb_lab *lab, mcb__lab_node *n)
{
  int rc;
  if ((rc = write_sysctl("/proc/sys/net/ipv4/conf/all/forwarding", "1")) != 0)
    return mcb__lab_fail(lab, rc, "router %s: enable IPv4 forwarding", n->name);
  if ((rc = write_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "1")) != 0)
    return mcb__lab_fail(lab, rc, "router %s: enable IPv6 forwarding", n->name);
  return 0;
}

/* The switch's bridge, named after the node, holding .1 of its segment. */
static int make_switch(mcb_lab *lab, mcb__lab_node *n)
{
  mcb__nl nl = {.fd = -1};
  struct in_addr a, b;
  struct in6_addr a6;
  const char *step = "open rtnetlink";
  int rc;

  if ((rc = mcb__lab_segment(lab)) < 0)
    return mcb__lab_fail(lab, rc, "switch %s: no segment left", n->name);
  n->segment = rc;
  n->next_host = 2;
  a.s_addr = htonl(0x0a000001u | (uint32_t)n->segment << 8);
  b.s_addr = htonl(0x0a0000ffu | (uint32_t)n->segment << 8);
  memset(&a6, 0, sizeof a6);
  a6.s6_addr[0] = 0xfd;
  a6.s6_addr[7] = (uint8_t)n->segment;
  a6.s6_addr[15] = 1;
  /* clang-format off */
  if ((rc = mcb__nl_open(&nl)) != 0) goto out;
  step = "create bridge";
  if ((rc = mcb__nl_add_bridge(&nl, n->name, !(n->flags & MCB_LAB_NO_SNOOPING))) != 0) goto out;
  step = "find bridge";
  if ((n->bridge = if_nametoindex(n->name)) == 0) { rc = UV_ENODEV; goto out; }
  step = "address bridge";
  if ((rc = mcb__nl_add_addr(&nl, n->bridge, AF_INET, &a, 24, &b)) != 0) goto out;
  step = "set bridge up";
  if ((rc = mcb__nl_link_up(&nl, n->bridge)) != 0) goto out;
  step = "IPv6 address bridge";
  if ((rc = mcb__nl_add_addr(&nl, n->bridge, AF_INET6, &a6, 64, NULL)) != 0) goto out;
  /* The response interval was made short at creation; only now may the querier start,
   * or its first query would use the 10 s default. */
  step = "make the bridge querier";
  if ((n->flags & MCB_LAB_QUERIER) && (rc = mcb__nl_bridge_querier(&nl, n->bridge, true)) != 0) goto out;
  /* clang-format on */
out:
  mcb__nl_close(&nl);
  return rc != 0 ? mcb__lab_fail(lab, rc, "switch %s: %s", n->name, step) : 0;
}

static int new_namespace(mcb_lab *lab, const char *name, int *out)
{
  int fd, rc = 0;
  if (lab->inside >= 0 && (rc = mcb__lab_switch(lab, -1)) != 0)
    return mcb__lab_fail(lab, rc, "node %s: return home", name);
  if (unshare(CLONE_NEWNET) != 0)
    return mcb__lab_fail(lab, -errno,
                         errno == EPERM ? "node %s: cannot create a namespace here (run mcbench "
                                          "with --private)"
                                        : "node %s: unshare",
                         name);
  fd = open(SELF_NS, O_RDONLY | O_CLOEXEC);
  if (fd < 0) rc = -errno;
  /* The thread is in the new namespace now; take it home whatever happened. */
  if (setns(lab->home, CLONE_NEWNET) != 0 && rc == 0) rc = -errno;
  if (rc != 0) {
    if (fd >= 0) close(fd);
    return mcb__lab_fail(lab, rc, "node %s: keep its namespace", name);
  }
  *out = fd;
  return 0;
}

int mcb_lab_add_node(mcb_lab *lab, const char *name, mcb_lab_kind kind, unsigned flags)
{
  mcb__lab_node *n;
  mcb__nl nl = {.fd = -1};
  const char *why;
  int rc, fd = -1;

  if (mcb_lab_check_name(name, &why) != 0)
    return mcb__lab_fail(lab, UV_EINVAL, "node '%s': %s", name ? name : "", why);
  if (kind < MCB_LAB_HOST || kind > MCB_LAB_SWITCH)
    return mcb__lab_fail(lab, UV_EINVAL, "node %s: unknown kind", name);
  if (mcb__lab_find(lab, name) >= 0)
    return mcb__lab_fail(lab, UV_EEXIST, "node %s: the name is taken", name);
  if (lab->nnodes >= MCB_LAB_MAX_NODES)
    return mcb__lab_fail(lab, UV_ENOBUFS, "node %s: the lab has %d nodes already", name,
                         MCB_LAB_MAX_NODES);
  if (flags & MCB_LAB_HERE) {
    /* The private namespace itself becomes a host; never any other namespace. */
    if (kind != MCB_LAB_HOST || lab->inside >= 0 || !mcb__in_private_home())
      return mcb__lab_fail(lab, UV_EPERM,
                           "node %s: only mcbench's private namespace can be a host "
                           "in place",
                           name);
    if ((fd = open(SELF_NS, O_RDONLY | O_CLOEXEC)) < 0)
      return mcb__lab_fail(lab, -errno, "node %s: keep its namespace", name);
  } else if ((rc = new_namespace(lab, name, &fd)) != 0) {
    return rc;
  }
  n = &lab->nodes[lab->nnodes];
  memset(n, 0, sizeof *n);
  snprintf(n->name, sizeof n->name, "%s", name);
  n->kind = kind;
  n->flags =
      flags & (kind == MCB_LAB_SWITCH ? MCB_LAB_QUERIER | MCB_LAB_NO_SNOOPING : MCB_LAB_HERE);
  n->nsfd = fd;
  n->mrt_fd = n->mrt6_fd = -1;
  lab->nnodes++;
  if ((rc = mcb__lab_switch(lab, (int)lab->nnodes - 1)) != 0) {
    mcb__lab_fail(lab, rc, "node %s: enter its namespace", name);
    goto fail;
  }
  tune_node();
  if ((rc = mcb__nl_open(&nl)) == 0) rc = mcb__nl_link_up(&nl, if_nametoindex("lo"));
  mcb__nl_close(&nl);
  if (rc != 0) {
    mcb__lab_fail(lab, rc, "node %s: set lo up", name);
    goto fail;
  }
  if (kind == MCB_LAB_ROUTER && (rc = make_router(lab, n)) != 0) goto fail;
  if (kind == MCB_LAB_SWITCH && (rc = make_switch(lab, n)) != 0) goto fail;
  if ((rc = mcb__lab_switch(lab, -1)) != 0)
    return mcb__lab_fail(lab, rc, "node %s: return home", name);
  return 0;
fail:
  (void)mcb__lab_switch(lab, -1);
  close(n->nsfd);
  lab->nnodes--;
  return rc;
}

int mcb_lab_adopt_private(mcb_lab *lab)
{
  const mcb_lab *p = mcb__private_lab;
  if (p == NULL || p == lab) return 0;
  if (lab->nnodes != 0) return mcb__lab_fail(lab, UV_EBUSY, "adopt the default lab: not empty");
  for (size_t i = 0; i < p->nnodes; i++) {
    mcb__lab_node *n = &lab->nodes[i];
    *n = p->nodes[i];
    n->mrt_fd = n->mrt6_fd = -1; /* hosts only */
    if ((n->nsfd = fcntl(p->nodes[i].nsfd, F_DUPFD_CLOEXEC, 0)) < 0) {
      int rc = mcb__lab_fail(lab, -errno, "adopt the default lab: keep %s", p->nodes[i].name);
      for (size_t k = 0; k < i; k++) close(lab->nodes[k].nsfd);
      return rc;
    }
  }
  lab->nnodes = p->nnodes;
  memcpy(lab->links, p->links, p->nlinks * sizeof *p->links);
  lab->nlinks = p->nlinks;
  lab->next_segment = p->next_segment;
  return 0;
}

int mcb_lab_enter(mcb_lab *lab, const char *node)
{
  int i = mcb__lab_find(lab, node), rc;
  if (i < 0) return mcb__lab_fail(lab, UV_ENOENT, "enter %s: no such node", node);
  if ((rc = mcb__lab_switch(lab, i)) != 0) {
    (void)mcb__lab_switch(lab, -1);
    return mcb__lab_fail(lab, rc, "enter %s", node);
  }
  return 0;
}

int mcb_lab_leave(mcb_lab *lab)
{
  int rc = mcb__lab_switch(lab, -1);
  return rc != 0 ? mcb__lab_fail(lab, rc, "return to the lab's home namespace") : 0;
}

int mcb_lab_node_fd(const mcb_lab *lab, const char *node)
{
  int i = mcb__lab_find(lab, node);
  return i < 0 ? -1 : lab->nodes[i].nsfd;
}

size_t mcb_lab_node_count(const mcb_lab *lab)
{
  return lab->nnodes;
}

int mcb_lab_node_at(const mcb_lab *lab, size_t i, mcb_lab_node_info *out)
{
  if (i >= lab->nnodes) return UV_EINVAL;
  memset(out, 0, sizeof *out);
  snprintf(out->name, sizeof out->name, "%s", lab->nodes[i].name);
  out->kind = lab->nodes[i].kind;
  out->flags = lab->nodes[i].flags;
  out->segment = lab->nodes[i].segment;
  out->own_forwarder = lab->nodes[i].no_mrt;
  out->own_forwarder6 = lab->nodes[i].no_mrt6;
  out->igmp_version = lab->nodes[i].igmp_version;
  out->mld_version = lab->nodes[i].mld_version;
  return 0;
}

/* test-labswitch.c - a lab switch's events (lab-switch-watch.c) from kernel messages the
 * test builds: group table notifications (RTM_NEWMDB, RTM_DELMDB) and the bridge's
 * querier state (an RTM_NEWLINK answer), read from a datagram socketpair as the watcher
 * reads its rtnetlink socket. A refresh of an entry is no second add; a removal says
 * why; messages whose lengths do not hold together, other ports and the groups every
 * interface joins are ignored. No network. */
#include "testlib.h"

#include "lab.h"

#include <arpa/inet.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BRIDGE 5
#define PORT   7 /* s1-h2, the switch's end of its link to h2 */

typedef struct msg {
  char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
  struct nlmsghdr *h;
} msg;

static void *start(msg *m, unsigned short type, size_t body)
{
  memset(m, 0, sizeof *m);
  m->h = (struct nlmsghdr *)m->buf;
  m->h->nlmsg_type = type;
  m->h->nlmsg_len = NLMSG_LENGTH(body);
  return NLMSG_DATA(m->h);
}

static struct rtattr *put(msg *m, unsigned short type, const void *data, size_t len)
{
  struct rtattr *a = (struct rtattr *)(m->buf + NLMSG_ALIGN(m->h->nlmsg_len));
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(len);
  if (data != NULL) memcpy(RTA_DATA(a), data, len);
  m->h->nlmsg_len = NLMSG_ALIGN(m->h->nlmsg_len) + RTA_ALIGN(a->rta_len);
  return a;
}

static void end(msg *m, struct rtattr *nest)
{
  nest->rta_len = (unsigned short)(m->buf + m->h->nlmsg_len - (char *)nest);
}

/* RTM_NEWMDB or RTM_DELMDB of one entry: group on port ifindex. */
static void mdb(msg *m, unsigned short type, int ifindex, const char *group)
{
  struct br_port_msg *bpm = start(m, type, sizeof *bpm);
  struct br_mdb_entry e = {.ifindex = (unsigned)ifindex, .state = MDB_TEMPORARY};
  struct rtattr *a, *b;
  bpm->family = AF_BRIDGE;
  bpm->ifindex = BRIDGE;
  if (strchr(group, ':') != NULL) {
    e.addr.proto = htons(0x86dd);
    assert_int_equal(inet_pton(AF_INET6, group, &e.addr.u.ip6), 1);
  } else {
    e.addr.proto = htons(0x0800);
    assert_int_equal(inet_pton(AF_INET, group, &e.addr.u.ip4), 1);
  }
  a = put(m, MDBA_MDB, NULL, 0);
  b = put(m, MDBA_MDB_ENTRY, NULL, 0);
  put(m, MDBA_MDB_ENTRY_INFO, &e, sizeof e);
  end(m, b);
  end(m, a);
}

/* The bridge's link: querier state with an IPv4 querier at addr heard on port (timer
 * running), or none at all (addr NULL). */
static void link_msg(msg *m, const char *addr, uint32_t port, uint64_t timer)
{
  struct ifinfomsg *ifi = start(m, RTM_NEWLINK, sizeof *ifi);
  struct rtattr *info, *data, *qs;
  struct in_addr a;
  ifi->ifi_index = BRIDGE;
  info = put(m, IFLA_LINKINFO, NULL, 0);
  put(m, IFLA_INFO_KIND, "bridge", 7);
  data = put(m, IFLA_INFO_DATA, NULL, 0);
  qs = put(m, IFLA_BR_MCAST_QUERIER_STATE | NLA_F_NESTED, NULL, 0);
  if (addr != NULL) {
    assert_int_equal(inet_pton(AF_INET, addr, &a), 1);
    put(m, BRIDGE_QUERIER_IP_ADDRESS, &a, 4);
    if (port) put(m, BRIDGE_QUERIER_IP_PORT, &port, 4);
    put(m, BRIDGE_QUERIER_IP_OTHER_TIMER, &timer, 8);
  }
  end(m, qs);
  end(m, data);
  end(m, info);
}

typedef struct fixture {
  mcb_lab *lab;
  int fd[2];
  mcb__sw_watch st;
} fixture;

/* A lab by hand: switch s1 (node 0, bridge 5) linked to host h2 (node 1). */
static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  mcb_lab *lab;
  if (f == NULL || mcb_lab_new(&lab) != 0) return -1;
  for (int i = 0; i < 2; i++) {
    mcb__lab_node *n = &lab->nodes[i];
    snprintf(n->name, sizeof n->name, "%s", i ? "h2" : "s1");
    n->kind = i ? MCB_LAB_HOST : MCB_LAB_SWITCH;
    n->nsfd = n->mrt_fd = n->mrt6_fd = -1;
  }
  lab->nodes[0].bridge = BRIDGE;
  lab->nnodes = 2;
  lab->links[0].end[0] = (mcb__lab_end){.node = 1, .ifname = "h2-s1", .ifindex = 2, .vif = -1};
  lab->links[0].end[1] = (mcb__lab_end){.node = 0, .ifname = "s1-h2", .ifindex = PORT, .vif = -1};
  lab->nlinks = 1;
  lab->log = mcb__lab_log_new();
  if (lab->log == NULL || socketpair(AF_UNIX, SOCK_DGRAM, 0, f->fd) != 0) return -1;
  snprintf(f->st.querier[0], sizeof f->st.querier[0], "none");
  snprintf(f->st.querier[1], sizeof f->st.querier[1], "none");
  f->lab = lab;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  mcb_lab_free(f->lab);
  close(f->fd[0]);
  close(f->fd[1]);
  free(f);
  return 0;
}

/* Sends len bytes of m (all of it when len is 0) and reads: the events added. */
static size_t feed(fixture *f, const msg *m, size_t len)
{
  assert_true(send(f->fd[1], m->buf, len ? len : m->h->nlmsg_len, 0) >= 0);
  return mcb__sw_read(f->lab, 0, f->fd[0], &f->st, 32);
}

static void last_text(const fixture *f, const char *want)
{
  mcb_lab_event ev;
  char text[256];
  assert_int_equal(mcb_lab_event_get(f->lab, mcb_lab_event_next(f->lab) - 1, &ev), 0);
  assert_string_equal(mcb_lab_event_format(&ev, text, sizeof text), want);
}

static void table_changes(void **state)
{
  fixture *f = *state;
  mcb_lab_event leave = {.action = MCB_LAB_EV_LEAVE, .family = AF_INET, .node = "h2"};
  struct timespec ts;
  msg m;
  mdb(&m, RTM_NEWMDB, PORT, "239.1.1.1");
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 adds 239.1.1.1 on port s1-h2");
  assert_int_equal(feed(f, &m, 0), 0); /* the entry notified again: no news */
  mdb(&m, RTM_DELMDB, PORT, "239.1.1.1");
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 removes 239.1.1.1 on port s1-h2 (timed out)");
  /* h2's leave logged just before: the removal is its consequence */
  mdb(&m, RTM_NEWMDB, PORT, "ff05::1");
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 adds ff05::1 on port s1-h2");
  clock_gettime(CLOCK_REALTIME, &ts);
  leave.family = AF_INET6;
  leave.real_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  snprintf(leave.group, sizeof leave.group, "ff05::1");
  mcb__lab_log_add(f->lab->log, &leave);
  mdb(&m, RTM_DELMDB, PORT, "ff05::1");
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 removes ff05::1 on port s1-h2 (after h2's leave)");
}

static void ignored(void **state)
{
  fixture *f = *state;
  msg m;
  mdb(&m, RTM_NEWMDB, PORT, "ff02::1:ff00:2"); /* solicited-node: every interface's */
  assert_int_equal(feed(f, &m, 0), 0);
  mdb(&m, RTM_NEWMDB, BRIDGE, "239.1.1.2"); /* the bridge's own membership */
  assert_int_equal(feed(f, &m, 0), 0);
  mdb(&m, RTM_NEWMDB, 99, "239.1.1.2"); /* no port of the lab's */
  assert_int_equal(feed(f, &m, 0), 0);
  /* lengths that do not hold together: the message longer than what was read, an
   * attribute longer than its message, an entry shorter than struct br_mdb_entry */
  mdb(&m, RTM_NEWMDB, PORT, "239.1.1.2");
  assert_int_equal(feed(f, &m, m.h->nlmsg_len - 4), 0);
  ((struct rtattr *)(m.buf + NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct br_port_msg)))))->rta_len += 64;
  assert_int_equal(feed(f, &m, 0), 0);
  mdb(&m, RTM_NEWMDB, PORT, "239.1.1.2");
  {
    struct rtattr *a =
        (struct rtattr *)(m.buf + NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct br_port_msg))));
    struct rtattr *b = RTA_DATA(a), *c = RTA_DATA(b);
    c->rta_len = (unsigned short)RTA_LENGTH(8);
    b->rta_len = (unsigned short)RTA_LENGTH(RTA_ALIGN(c->rta_len));
    a->rta_len = (unsigned short)RTA_LENGTH(b->rta_len);
    m.h->nlmsg_len = (uint32_t)((char *)a - m.buf) + a->rta_len;
  }
  assert_int_equal(feed(f, &m, 0), 0);
  m.h->nlmsg_len = NLMSG_LENGTH(2); /* shorter than its header's body */
  assert_int_equal(feed(f, &m, 0), 0);
  assert_int_equal(mcb_lab_event_next(f->lab), 1);
}

static void querier_changes(void **state)
{
  fixture *f = *state;
  msg m;
  link_msg(&m, "10.0.1.5", PORT, 1500);
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 hears another querier 10.0.1.5 (IGMP) on port s1-h2");
  assert_int_equal(feed(f, &m, 0), 0); /* the same: no news */
  link_msg(&m, NULL, 0, 0);
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 hears no querier (IGMP)");
  link_msg(&m, "0.0.0.0", 0, 0); /* configured, no other querier: the switch queries */
  assert_int_equal(feed(f, &m, 0), 1);
  last_text(f, "s1 became querier (IGMP)");
  /* another bridge's answer is not this switch's */
  link_msg(&m, "10.0.1.5", PORT, 1500);
  ((struct ifinfomsg *)NLMSG_DATA(m.h))->ifi_index = BRIDGE + 1;
  assert_int_equal(feed(f, &m, 0), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(table_changes, setup, teardown),
      cmocka_unit_test_setup_teardown(ignored, setup, teardown),
      cmocka_unit_test_setup_teardown(querier_changes, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test-membership.c - joining and dropping groups, any-source, source-specific and in
 * exclude mode: the socket's table, the kernel's (/proc/net/igmp, /proc/net/mcfilter,
 * mcfilter6), and one clear error for each bad input, after which the socket still works. */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether /proc shows group (hex, as the kernel prints it) joined on device. */
static bool kernel_has(const char *proc, const char *dev, const char *hex)
{
  FILE *f = fopen(proc, "r");
  char line[256], cur[32] = "";
  bool found = false;
  if (f == NULL) return false;
  while (fgets(line, sizeof line, f)) {
    char name[32];
    if (sscanf(line, "%*d %31s", name) == 1 && line[0] != '\t')
      snprintf(cur, sizeof cur, "%s", name);
    if (strstr(line, hex) && (strcmp(proc, "/proc/net/igmp") != 0 || strcmp(cur, dev) == 0) &&
        (strcmp(proc, "/proc/net/mcfilter") != 0 || strstr(line, dev)))
      found = true;
  }
  fclose(f);
  return found;
}

/* The kernel's source filter of `group` on `dev` for `source` (hex, as /proc/net/mcfilter
 * or mcfilter6 prints them): true when found, with its include and exclude counts. */
static bool mcfilter(const char *proc, const char *dev, const char *group, const char *source,
                     unsigned long *inc, unsigned long *exc)
{
  FILE *f = fopen(proc, "r");
  char line[256], d[32], g[64], src[64];
  bool found = false;
  if (f == NULL) return false;
  while (!found && fgets(line, sizeof line, f))
    found = sscanf(line, "%*d %31s %63s %63s %lu %lu", d, g, src, inc, exc) == 5 &&
            strcmp(d, dev) == 0 && strcmp(g, group) == 0 && strcmp(src, source) == 0;
  fclose(f);
  return found;
}

static void write_sysctl(const char *path, const char *value)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  assert_true(fputs(value, f) >= 0);
  assert_int_equal(fclose(f), 0);
}

static void asm_join_and_drop(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  const mcb_membership *m;
  char g[MCB_ADDRSTRLEN];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, 0);
  assert_int_equal(mcb_join(s, "239.1.1.1", "mcb0", NULL, 0), 0);
  assert_int_equal(mcb_join(s, "239.1.1.2", MCB_LAB_ADDR1, NULL, 0), 0); /* by address */
  assert_int_equal(mcb_join(s, "239.1.1.3", NULL, NULL, 0), 0);          /* kernel's choice */
  assert_int_equal(mcb_membership_count(s), 3);
  m = mcb_membership_at(s, 1);
  assert_string_equal(mcb_addr_format_host(&m->group, g, sizeof g), "239.1.1.2");
  assert_string_equal(m->ifname, "mcb1");
  assert_int_equal(m->nsources, 0);
  assert_string_equal(mcb_membership_at(s, 2)->ifname, "");
  assert_true(kernel_has("/proc/net/igmp", "mcb0", "010101EF"));
  assert_true(kernel_has("/proc/net/igmp", "mcb1", "020101EF"));
  assert_int_equal(mcb_join(s, "239.1.1.1", "mcb0", NULL, 0), UV_EADDRINUSE);
  assert_string_equal(mcb_last_error(t.bench),
                      "join 239.1.1.1 on mcb0: already joined (EADDRINUSE)");
  /* drop may omit the interface when the group was joined on one only */
  assert_int_equal(mcb_drop(s, "239.1.1.1", NULL, NULL, 0), 0);
  assert_false(kernel_has("/proc/net/igmp", "mcb0", "010101EF"));
  assert_int_equal(mcb_membership_count(s), 2);
  assert_string_equal(mcb_addr_format_host(&mcb_membership_at(s, 0)->group, g, sizeof g),
                      "239.1.1.2"); /* order kept */
  assert_int_equal(mcb_drop(s, "239.1.1.1", NULL, NULL, 0), UV_EADDRNOTAVAIL);
  assert_string_equal(mcb_last_error(t.bench), "drop 239.1.1.1: group not joined (EADDRNOTAVAIL)");
  mcbt_bench_done(&t);
}

static void ssm_sources(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  const char *two[] = {"10.99.0.1", "10.99.0.2"}, *third[] = {"10.0.0.3"};
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join(s, "232.1.1.1", "mcb0", two, 2), 0);
  assert_int_equal(mcb_join(s, "232.1.1.1", "mcb0", third, 1), 0); /* adds a source */
  assert_int_equal(mcb_membership_at(s, 0)->nsources, 3);
  assert_true(kernel_has("/proc/net/mcfilter", "mcb0", "0x0a630001"));
  assert_int_equal(mcb_join(s, "232.1.1.1", "mcb0", third, 1), UV_EADDRINUSE);
  assert_int_equal(mcb_join(s, "232.1.1.1", "mcb0", NULL, 0), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench),
                      "join 232.1.1.1 on mcb0: already joined source-specifically; drop it first "
                      "(EINVAL)");
  assert_int_equal(mcb_drop(s, "232.1.1.1", "mcb0", third, 1), 0);
  assert_int_equal(mcb_membership_at(s, 0)->nsources, 2);
  assert_int_equal(mcb_drop(s, "232.1.1.1", "mcb0", third, 1), UV_EADDRNOTAVAIL);
  assert_string_equal(mcb_last_error(t.bench),
                      "drop 232.1.1.1 on mcb0 from 10.0.0.3: source not joined (EADDRNOTAVAIL)");
  assert_int_equal(mcb_drop(s, "232.1.1.1", "mcb0", NULL, 0), 0); /* the whole group */
  assert_int_equal(mcb_membership_count(s), 0);
  assert_false(kernel_has("/proc/net/mcfilter", "mcb0", "0x0a630001"));
  /* ASM then SSM on one group is refused, not silently mixed */
  assert_int_equal(mcb_join(s, "239.5.5.5", NULL, NULL, 0), 0);
  assert_int_equal(mcb_join(s, "239.5.5.5", NULL, two, 1), UV_EINVAL);
  mcbt_bench_done(&t);
}

static void bad_inputs(void **state)
{
  mcbt_bench t;
  mcb_socket *s, *u, *v6only;
  const char *src_mc[] = {"239.9.9.9"}, *src_v6[] = {"fe80::1"}, *bad[] = {"nope"};
  const char *many[17];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join(s, "10.0.0.1", NULL, NULL, 0), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench), "join 10.0.0.1: not a multicast address (EINVAL)");
  assert_int_equal(mcb_join(s, "ff02::1234", NULL, NULL, 0), UV_EAFNOSUPPORT);
  assert_string_equal(mcb_last_error(t.bench),
                      "join ff02::1234: IPv6 group on a udp4 socket (EAFNOSUPPORT)");
  assert_int_equal(mcb_join(s, "239.1.1.1", "nosuch0", NULL, 0), UV_ENODEV);
  assert_string_equal(mcb_last_error(t.bench),
                      "join 239.1.1.1 on nosuch0: no such device (ENODEV)");
  assert_int_equal(mcb_join(s, "group.example", NULL, NULL, 0), UV_EINVAL);
  assert_int_equal(mcb_join(s, "232.1.1.1", NULL, src_mc, 1), UV_EINVAL);
  assert_int_equal(mcb_join(s, "232.1.1.1", NULL, src_v6, 1), UV_EINVAL);
  assert_int_equal(mcb_join(s, "232.1.1.1", NULL, bad, 1), UV_EINVAL);
  for (int i = 0; i < 17; i++) many[i] = "10.0.0.1";
  assert_int_equal(mcb_join(s, "232.1.1.1", NULL, many, 17), UV_EINVAL);
  assert_int_equal(mcb_membership_count(s), 0);                 /* nothing half-done */
  assert_int_equal(mcb_join(s, "239.1.1.1", NULL, NULL, 0), 0); /* still works */

  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &u), 0);
  assert_int_equal(mcb_join(u, "239.1.1.1", NULL, NULL, 0), UV_ENOTSUP);
  /* udp6: IPv6 groups, and IPv4 ones unless v6only */
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &s), 0);
  assert_int_equal(mcb_bind(s, NULL, 0), 0);
  assert_int_equal(mcb_join(s, "ff02::1234", "mcb1", NULL, 0), 0);
  assert_int_equal(mcb_join(s, "ff02::1235%mcb0", NULL, NULL, 0), 0); /* scope names it */
  assert_string_equal(mcb_membership_at(s, 1)->ifname, "mcb0");
  assert_int_equal(mcb_join(s, "239.1.1.1", NULL, NULL, 0), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, MCB_V6ONLY, &v6only), 0);
  assert_int_equal(mcb_join(v6only, "239.1.1.1", NULL, NULL, 0), UV_EAFNOSUPPORT);
  mcbt_bench_done(&t);
}

/* As Node and the kernel: 0.0.0.0, :: and default mean the kernel's choice (index 0); an
 * interface given by an address no local interface holds is EADDRNOTAVAIL, not ENODEV. */
static void default_and_foreign_interfaces(void **state)
{
  mcbt_bench t;
  mcb_socket *s, *s6;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, 0);
  assert_int_equal(mcb_join(s, "239.4.4.1", "0.0.0.0", NULL, 0), 0);
  assert_int_equal(mcb_join(s, "239.4.4.2", "default", NULL, 0), 0);
  assert_int_equal(mcb_join(s, "239.4.4.3", "::", NULL, 0), 0);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(mcb_membership_at(s, i)->ifindex, 0);
    assert_string_equal(mcb_membership_at(s, i)->ifname, "");
  }
  assert_int_equal(mcb_join(s, "239.4.4.1", "default", NULL, 0), UV_EADDRINUSE); /* the same */
  assert_int_equal(mcb_drop(s, "239.4.4.1", "0.0.0.0", NULL, 0), 0);
  assert_int_equal(mcb_join(s, "239.4.4.4", "224.0.0.2", NULL, 0), UV_EADDRNOTAVAIL);
  assert_string_equal(mcb_last_error(t.bench), "join 239.4.4.4 on 224.0.0.2: no local interface "
                                               "has this address (EADDRNOTAVAIL)");
  assert_int_equal(mcb_join(s, "239.4.4.4", "10.1.2.3", NULL, 0), UV_EADDRNOTAVAIL);
  assert_int_equal(mcb_join(s, "239.4.4.4", "nosuch0", NULL, 0), UV_ENODEV);
  assert_int_equal(mcb_membership_count(s), 2);
  s6 = mcbt_open_bound(&t, MCB_UDP6, MCB_REUSE, NULL, 0);
  assert_int_equal(mcb_join(s6, "ff02::4:1", "::", NULL, 0), 0);
  assert_int_equal(mcb_join(s6, "ff02::4:2", MCB_LAB_ADDR6_1, NULL, 0), 0); /* mcb1's address */
  assert_string_equal(mcb_membership_at(s6, 1)->ifname, "mcb1");
  assert_int_equal(mcb_join(s6, "ff02::4:3", "fd00:1::1", NULL, 0), UV_EADDRNOTAVAIL);
  mcbt_bench_done(&t);
}

/* Exclude mode: the group joined, then each source blocked (the kernel's filter says EXC);
 * unblocking the last one leaves an any-source membership. */
static void exclude_mode(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  const mcb_membership *m;
  const char *b2[] = {"10.99.0.2"}, *b3[] = {"10.99.0.3"}, *both[] = {"10.99.0.2", "10.99.0.3"};
  unsigned long inc, exc;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join_except(s, "239.6.6.6", "mcb0", b2, 1), 0);
  m = mcb_membership_at(s, 0);
  assert_true(m->exclude);
  assert_int_equal(m->nsources, 1);
  assert_true(kernel_has("/proc/net/igmp", "mcb0", "060606EF"));
  assert_true(mcfilter("/proc/net/mcfilter", "mcb0", "0xef060606", "0x0a630002", &inc, &exc));
  assert_int_equal(inc, 0);
  assert_int_equal(exc, 1);
  assert_int_equal(mcb_join_except(s, "239.6.6.6", "mcb0", b3, 1), 0); /* adds one */
  assert_int_equal(mcb_membership_at(s, 0)->nsources, 2);
  assert_true(mcfilter("/proc/net/mcfilter", "mcb0", "0xef060606", "0x0a630003", &inc, &exc));
  assert_int_equal(mcb_join_except(s, "239.6.6.6", "mcb0", b3, 1), UV_EADDRINUSE);
  assert_string_equal(mcb_last_error(t.bench), "join 239.6.6.6 on mcb0 except 10.99.0.3: source "
                                               "already excluded (EADDRINUSE)");
  assert_int_equal(mcb_join(s, "239.6.6.6", "mcb0", NULL, 0), UV_EADDRINUSE);
  assert_int_equal(mcb_join(s, "239.6.6.6", "mcb0", b3, 1), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench),
                      "join 239.6.6.6 on mcb0 from 10.99.0.3: already joined in exclude mode (any "
                      "source except 10.99.0.2,10.99.0.3); the kernel refuses to mix include and "
                      "exclude mode on one group: drop it first (EINVAL)");
  assert_int_equal(mcb_drop(s, "239.6.6.6", "mcb0", b3, 1), UV_EADDRNOTAVAIL);
  assert_int_equal(mcb_drop_except(s, "239.6.6.6", NULL, b3, 1), 0); /* one interface: may omit */
  assert_false(mcfilter("/proc/net/mcfilter", "mcb0", "0xef060606", "0x0a630003", &inc, &exc));
  assert_int_equal(mcb_drop_except(s, "239.6.6.6", "mcb0", b3, 1), UV_EADDRNOTAVAIL);
  assert_string_equal(mcb_last_error(t.bench),
                      "drop 239.6.6.6 on mcb0 except 10.99.0.3: source not excluded "
                      "(EADDRNOTAVAIL)");
  assert_int_equal(mcb_drop_except(s, "239.6.6.6", "mcb0", b2, 1), 0); /* the last one */
  m = mcb_membership_at(s, 0);
  assert_false(m->exclude); /* any source again, still joined */
  assert_int_equal(m->nsources, 0);
  assert_true(kernel_has("/proc/net/igmp", "mcb0", "060606EF"));
  assert_false(mcfilter("/proc/net/mcfilter", "mcb0", "0xef060606", "0x0a630002", &inc, &exc));
  assert_int_equal(mcb_drop_except(s, "239.6.6.6", "mcb0", b2, 1), UV_EADDRNOTAVAIL);
  /* an any-source membership takes exclusions; drop leaves the whole group */
  assert_int_equal(mcb_join_except(s, "239.6.6.6", "mcb0", both, 2), 0);
  assert_int_equal(mcb_membership_at(s, 0)->nsources, 2);
  assert_int_equal(mcb_drop(s, "239.6.6.6", NULL, NULL, 0), 0);
  assert_int_equal(mcb_membership_count(s), 0);
  assert_false(kernel_has("/proc/net/igmp", "mcb0", "060606EF"));
  mcbt_bench_done(&t);
}

/* One group is in one mode: include then exclude is refused with the reason, as the kernel
 * refuses it (EINVAL, checked here on the descriptor itself). */
static void exclude_and_include_do_not_mix(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  const char *a[] = {"10.99.0.1"}, *b[] = {"10.99.0.2"};
  struct group_source_req gsr;
  struct sockaddr_in *g = (struct sockaddr_in *)&gsr.gsr_group;
  struct sockaddr_in *src = (struct sockaddr_in *)&gsr.gsr_source;
  int fd;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join(s, "232.6.6.6", "mcb0", a, 1), 0);
  assert_int_equal(mcb_join_except(s, "232.6.6.6", "mcb0", b, 1), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench),
                      "join 232.6.6.6 on mcb0 except 10.99.0.2: already joined source-specifically "
                      "(include mode, from 10.99.0.1); the kernel refuses to mix include and "
                      "exclude mode on one group: drop it first (EINVAL)");
  assert_int_equal(mcb_drop_except(s, "232.6.6.6", "mcb0", a, 1), UV_EADDRNOTAVAIL);
  memset(&gsr, 0, sizeof gsr);
  gsr.gsr_interface = if_nametoindex("mcb0");
  g->sin_family = src->sin_family = AF_INET;
  assert_int_equal(inet_pton(AF_INET, "232.6.6.6", &g->sin_addr), 1);
  assert_int_equal(inet_pton(AF_INET, "10.99.0.2", &src->sin_addr), 1);
  assert_int_equal(mcb_fileno(s, &fd), 0);
  assert_int_equal(setsockopt(fd, IPPROTO_IP, MCAST_BLOCK_SOURCE, &gsr, sizeof gsr), -1);
  assert_int_equal(errno, EINVAL);
  assert_int_equal(mcb_membership_at(s, 0)->nsources, 1); /* unchanged */
  mcbt_bench_done(&t);
}

/* Bad requests change nothing; a kernel refusal past a block leaves the kernel as it was. */
static void exclude_bad_inputs_and_limits(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  const char *twice[] = {"10.99.0.2", "10.99.0.2"},
             *five[] = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"};
  const char *many[17];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP4, 0, NULL, 0);
  assert_int_equal(mcb_join_except(s, "239.6.6.7", NULL, NULL, 0), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench),
                      "join 239.6.6.7: exclude mode needs at least one source (EINVAL)");
  assert_int_equal(mcb_join_except(s, "239.6.6.7", NULL, twice, 2), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench), "join 239.6.6.7 except 10.99.0.2,10.99.0.2: a "
                                               "source is listed twice (EINVAL)");
  for (int i = 0; i < 17; i++) many[i] = "10.0.0.1";
  assert_int_equal(mcb_join_except(s, "239.6.6.7", NULL, many, 17), UV_EINVAL);
  assert_int_equal(mcb_membership_count(s), 0);
  /* the kernel's own limit: the fourth block fails, the join is undone */
  write_sysctl("/proc/sys/net/ipv4/igmp_max_msf", "3");
  assert_int_equal(mcb_join_except(s, "239.6.6.7", "mcb0", five, 5), UV_ENOBUFS);
  write_sysctl("/proc/sys/net/ipv4/igmp_max_msf", "1024");
  assert_int_equal(mcb_membership_count(s), 0);
  assert_false(kernel_has("/proc/net/igmp", "mcb0", "070606EF"));
  assert_int_equal(mcb_join_except(s, "239.6.6.7", "mcb0", five, 5), 0); /* now it fits */
  assert_int_equal(mcb_membership_at(s, 0)->nsources, 5);
  mcbt_bench_done(&t);
}

/* udp6: MLDv2 exclude mode, in /proc/net/mcfilter6. */
static void exclude_mode_ipv6(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  const char *b[] = {MCB_LAB_ADDR6_0};
  unsigned long inc, exc;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  s = mcbt_open_bound(&t, MCB_UDP6, 0, NULL, 0);
  assert_int_equal(mcb_join_except(s, "ff05::6", "mcb1", b, 1), 0);
  assert_true(mcfilter("/proc/net/mcfilter6", "mcb1", "ff050000000000000000000000000006",
                       "fd000099000000000000000000000001", &inc, &exc));
  assert_int_equal(inc, 0);
  assert_int_equal(exc, 1);
  assert_int_equal(mcb_drop_except(s, "ff05::6", "mcb1", b, 1), 0);
  assert_false(mcfilter("/proc/net/mcfilter6", "mcb1", "ff050000000000000000000000000006",
                        "fd000099000000000000000000000001", &inc, &exc));
  assert_int_equal(mcb_membership_count(s), 1);
  mcbt_bench_done(&t);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(asm_join_and_drop),
      cmocka_unit_test(ssm_sources),
      cmocka_unit_test(bad_inputs),
      cmocka_unit_test(default_and_foreign_interfaces),
      cmocka_unit_test(exclude_mode),
      cmocka_unit_test(exclude_and_include_do_not_mix),
      cmocka_unit_test(exclude_bad_inputs_and_limits),
      cmocka_unit_test(exclude_mode_ipv6),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

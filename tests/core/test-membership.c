/* test-membership.c - joining and dropping groups, any-source and source-specific: the
 * socket's table, the kernel's (/proc/net/igmp, /proc/net/mcfilter), and one clear
 * error for each bad input, after which the socket still works. */
#include "testlib.h"

#include <stdio.h>
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

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(asm_join_and_drop),
      cmocka_unit_test(ssm_sources),
      cmocka_unit_test(bad_inputs),
      cmocka_unit_test(default_and_foreign_interfaces),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

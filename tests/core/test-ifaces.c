/* test-ifaces.c - the interface list: the /proc/net/igmp and igmp6 parsers on kernel
 * text, and the live list inside a private namespace (lo is there, up, with 127.0.0.1,
 * and 224.0.0.1 joined on it by the kernel). */
#include <string.h>

#include "testlib.h"

static const char igmp[] = "Idx\tDevice    :  Count Querier\tGroup    Users Timer\tReporter\n"
                           "1\tlo        :     1      V3\n"
                           "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
                           "3\tmcb0      :     2      V3\n"
                           "\t\t\t\t010101EF     1 0:00000000\t\t0\n"
                           "\t\t\t\t010000E0     1 0:00000000\t\t0\n";
static const char igmp6[] =
    "1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
    "3    mcb0            ff020000000000000000000000001234     1 00000004 0\n"
    "9    gone            ff020000000000000000000000000001     1 0000000C 0\n";

static void parses_the_groups_of_each_interface(void **state)
{
  mcb_iface ifs[2] = {{.index = 1, .name = "lo"}, {.index = 3, .name = "mcb0"}};
  char a[MCB_ADDRSTRLEN];
  (void)state;
  mcb_iface_parse_igmp(igmp, ifs, 2);
  mcb_iface_parse_igmp6(igmp6, ifs, 2);
  assert_int_equal(ifs[0].ngroups, 2);
  assert_string_equal(mcb_addr_format_host(&ifs[0].groups[0], a, sizeof a), "224.0.0.1");
  assert_string_equal(mcb_addr_format_host(&ifs[0].groups[1], a, sizeof a), "ff02::1");
  assert_int_equal(ifs[1].ngroups, 3);
  assert_string_equal(mcb_addr_format_host(&ifs[1].groups[0], a, sizeof a), "239.1.1.1");
  assert_string_equal(mcb_addr_format_host(&ifs[1].groups[1], a, sizeof a), "224.0.0.1");
  assert_string_equal(mcb_addr_format_host(&ifs[1].groups[2], a, sizeof a), "ff02::1234");
}

static void lists_the_namespace(void **state)
{
  mcb_iface ifs[8];
  size_t n = 0;
  char a[MCB_ADDRSTRLEN];
  bool lo = false;
  (void)state;
  MCBT_NEED_NET();
  assert_int_equal(mcb_iface_list(ifs, 8, &n), 0);
  for (size_t i = 0; i < n; i++) {
    if (strcmp(ifs[i].name, "lo") != 0) continue;
    lo = true;
    assert_true(ifs[i].flags & IFF_UP);
    assert_true(ifs[i].naddrs >= 1);
    assert_string_equal(mcb_addr_format_host(&ifs[i].addrs[0], a, sizeof a), "127.0.0.1");
  }
  assert_true(lo);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parses_the_groups_of_each_interface),
      cmocka_unit_test(lists_the_namespace),
  };
  mcbt_private_network();
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test-smoke.c - temporary smoke test */
#include "testlib.h"
#include <string.h>

static void join_receive(void **state)
{
  mcbt_bench t;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  mcb_socket *rx = mcbt_open_bound(&t, MCB_UDP4, MCB_REUSE, NULL, 0);
  int port = mcbt_port(rx);
  assert_int_equal(mcb_join(rx, "239.1.1.1", NULL, NULL, 0), 0);
  mcb_socket *tx;
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &tx), 0);
  assert_int_equal(mcb_set_multicast_ttl(tx, 7), 0);
  char dest[64];
  snprintf(dest, sizeof dest, "239.1.1.1:%d", port);
  assert_int_equal(mcbt_send_sync(&t, tx, "hello", 5, dest), 0);
  assert_int_equal(mcbt_wait_msgs(&t, rx, 1, 2000), 1);
  char b[MCB_ADDRSTRLEN];
  printf("dst %s ttl %d len %zu\n", mcb_addr_format(&t.msgs[0].dst, b, sizeof b), t.msgs[0].ttl,
         t.msgs[0].len);
  assert_int_equal(t.msgs[0].ttl, 7);
  assert_int_equal(mcbt_send_sync(&t, tx, "x", 1, "nowhere.invalid:5000") < 0, 1);
  mcbt_bench_done(&t);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {cmocka_unit_test(join_receive)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

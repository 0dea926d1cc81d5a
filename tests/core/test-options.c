/* test-options.c - every socket option: set, read back, refuse out-of-range values with
 * EINVAL (changing nothing), refuse IP options on unix sockets with ENOTSUP, and keep
 * the socket working after each refusal. */
#include "testlib.h"

#include <net/if.h>
#include <stdio.h>
#include <string.h>

static mcb_socket_info info_of(const mcb_socket *s)
{
  mcb_socket_info i;
  assert_int_equal(mcb_socket_info_get(s, &i), 0);
  return i;
}

static void ttls(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_set_ttl(s, 1), 0);
  assert_int_equal(mcb_set_ttl(s, 255), 0);
  assert_int_equal(info_of(s).ttl, 255);
  assert_int_equal(mcb_set_ttl(s, 0), UV_EINVAL);
  assert_int_equal(mcb_set_ttl(s, 256), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench), "set ttl 256: TTL must be 1..255 (EINVAL)");
  assert_int_equal(info_of(s).ttl, 255); /* unchanged */
  assert_int_equal(mcb_set_multicast_ttl(s, 0), 0);
  assert_int_equal(mcb_set_multicast_ttl(s, 255), 0);
  assert_int_equal(mcb_set_multicast_ttl(s, -1), UV_EINVAL);
  assert_int_equal(mcb_set_multicast_ttl(s, 256), UV_EINVAL);
  assert_int_equal(info_of(s).mcast_ttl, 255);
  /* the same on udp6 (hop limits) */
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &s), 0);
  assert_int_equal(mcb_set_ttl(s, 33), 0);
  assert_int_equal(mcb_set_multicast_ttl(s, 44), 0);
  assert_int_equal(info_of(s).ttl, 33);
  assert_int_equal(info_of(s).mcast_ttl, 44);
  mcbt_bench_done(&t);
}

static void flags(void **state)
{
  mcbt_bench t;
  mcb_socket *s;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_set_broadcast(s, true), 0);
  assert_true(info_of(s).broadcast);
  assert_int_equal(mcb_set_broadcast(s, false), 0);
  assert_false(info_of(s).broadcast);
  assert_int_equal(mcb_set_multicast_loopback(s, false), 0);
  assert_false(info_of(s).mcast_loop);
  assert_int_equal(mcb_set_multicast_loopback(s, true), 0);
  assert_true(info_of(s).mcast_loop);
  size_t changed = t.changed;
  assert_int_equal(mcb_set_rcvbuf(s, 65536), 0);
  assert_true(info_of(s).rcvbuf >= 65536); /* the kernel doubles it */
  assert_int_equal(mcb_set_rcvbuf(s, 0), UV_EINVAL);
  assert_true(t.changed > changed); /* a front end hears of every change */
  mcbt_bench_done(&t);
}

static void multicast_interface(void **state)
{
  mcbt_bench t;
  mcb_socket *s, *s6;
  char idx[16];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_set_multicast_interface(s, "mcb0"), 0);
  assert_string_equal(info_of(s).mcast_if, "mcb0");
  assert_int_equal(mcb_set_multicast_interface(s, MCB_LAB_ADDR1), 0); /* by address */
  assert_string_equal(info_of(s).mcast_if, "mcb1");
  snprintf(idx, sizeof idx, "%u", if_nametoindex("mcb0"));
  assert_int_equal(mcb_set_multicast_interface(s, idx), 0); /* by index */
  assert_string_equal(info_of(s).mcast_if, "mcb0");
  assert_int_equal(mcb_set_multicast_interface(s, "nosuch0"), UV_ENODEV);
  assert_string_equal(mcb_last_error(t.bench), "set mcast-if nosuch0: no such device (ENODEV)");
  assert_string_equal(info_of(s).mcast_if, "mcb0"); /* unchanged */
  assert_int_equal(mcb_set_multicast_interface(s, "10.123.123.123"), UV_EADDRNOTAVAIL);
  assert_int_equal(mcb_set_multicast_interface(s, NULL), 0);
  assert_int_equal(info_of(s).mcast_ifindex, 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &s6), 0);
  assert_int_equal(mcb_set_multicast_interface(s6, "mcb1"), 0);
  assert_string_equal(info_of(s6).mcast_if, "mcb1");
  assert_int_equal(mcb_set_multicast_interface(s6, MCB_LAB_ADDR0), UV_EINVAL);
  mcbt_bench_done(&t);
}

static void unix_sockets_have_no_ip_options(void **state)
{
  mcbt_bench t;
  mcb_socket *u;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &u), 0);
  assert_int_equal(mcb_set_ttl(u, 4), UV_ENOTSUP);
  assert_string_equal(mcb_last_error(t.bench), "set ttl: not an IP socket (ENOTSUP)");
  assert_int_equal(mcb_set_multicast_ttl(u, 4), UV_ENOTSUP);
  assert_int_equal(mcb_set_broadcast(u, true), UV_ENOTSUP);
  assert_int_equal(mcb_set_multicast_loopback(u, true), UV_ENOTSUP);
  assert_int_equal(mcb_set_multicast_interface(u, "lo"), UV_ENOTSUP);
  assert_int_equal(mcb_set_rcvbuf(u, 100000), 0);             /* a socket option, not an IP one */
  assert_int_equal(mcb_bind_path(u, "@mcb-test-options"), 0); /* still usable */
  mcbt_bench_done(&t);
}

/* Every row of the table, on every family: it reads where it applies (and nowhere else),
 * a settable row takes the ends of its range and reads them back, refuses one past them
 * with EINVAL and keeps its value, and a read-only row refuses to be set. */
static void every_row_behaves(void **state)
{
  static const mcb_family fams[] = {MCB_UDP4, MCB_UDP6, MCB_UNIX};
  mcbt_bench t;
  mcb_socket *s;
  mcb_optval v, before;
  char text[32];
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_true(mcb_option_count() >= 6 && mcb_option_count() <= MCB_MAX_OPTIONS);
  for (const mcb_option *const *r = mcb_options(); *r; r++) {
    const mcb_option *o = *r;
    assert_ptr_equal(mcb_option_find(o->name), o);
    for (size_t f = 0; f < 3; f++) {
      assert_int_equal(mcb_open(t.bench, fams[f], 0, &s), 0);
      bool applies = mcb_option_applies(o, fams[f]);
      assert_int_equal(mcb_option_get(s, o, &v), applies ? 0 : UV_ENOTSUP);
      assert_int_equal(v.valid, applies);
      if (!applies) {
        assert_int_equal(mcb_option_set(s, o, "1"), UV_ENOTSUP);
      } else if (o->flags & MCB_OPT_READONLY) {
        assert_int_equal(mcb_option_set_value(s, o, &v), UV_EPERM);
      } else if (o->type == MCB_OPT_INT) {
        snprintf(text, sizeof text, "%d", o->max);
        assert_int_equal(mcb_option_set(s, o, text), 0);
        mcb_option_get(s, o, &before);
        if (o->unit == NULL) assert_int_equal(before.num, o->max); /* bytes: the kernel's */
        snprintf(text, sizeof text, "%d", o->min);
        assert_int_equal(mcb_option_set(s, o, text), 0);
        mcb_option_get(s, o, &before);
        snprintf(text, sizeof text, "%lld", (long long)o->min - 1);
        assert_int_equal(mcb_option_set(s, o, text), UV_EINVAL);
        assert_non_null(strstr(mcb_last_error(t.bench), o->noun));
        mcb_option_get(s, o, &v);
        assert_int_equal(v.num, before.num);
      } else if (o->type == MCB_OPT_BOOL) {
        mcb_option_get(s, o, &before);
        assert_int_equal(mcb_option_set(s, o, "toggle"), 0);
        mcb_option_get(s, o, &v);
        assert_int_equal(v.num, !before.num);
        assert_int_equal(mcb_option_set(s, o, "maybe"), UV_EINVAL);
      }
      mcb_socket_info info;
      mcb_socket_info_get(s, &info);
      mcb_option_get(s, o, &v);
      assert_int_equal(info.options[mcb_option_index(o)].valid, v.valid);
      assert_int_equal(info.options[mcb_option_index(o)].num, v.num);
    }
  }
  mcbt_bench_done(&t);
}

/* 0.0.0.0, :: and default mean the default interface; an address that no interface
 * holds is EADDRNOTAVAIL, as the kernel says. */
static void default_and_foreign_interfaces(void **state)
{
  mcbt_bench t;
  mcb_socket *s, *s6;
  MCBT_NEED_NET();
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &s6), 0);
  const char *defaults[] = {"0.0.0.0", "::", "default", ""};
  for (size_t i = 0; i < 4; i++) {
    assert_int_equal(mcb_set_multicast_interface(s, "mcb0"), 0);
    assert_int_equal(mcb_set_multicast_interface(s, defaults[i]), 0);
    assert_int_equal(info_of(s).mcast_ifindex, 0);
    assert_int_equal(mcb_set_multicast_interface(s6, "mcb1"), 0);
    assert_int_equal(mcb_set_multicast_interface(s6, defaults[i]), 0);
    assert_int_equal(info_of(s6).mcast_ifindex, 0);
  }
  assert_int_equal(mcb_set_multicast_interface(s, "224.0.0.2"), UV_EADDRNOTAVAIL);
  assert_string_equal(
      mcb_last_error(t.bench),
      "set mcast-if 224.0.0.2: no local interface has this address (EADDRNOTAVAIL)");
  assert_int_equal(mcb_set_multicast_interface(s6, "fd00:99::2"), 0); /* mcb1's address */
  assert_string_equal(info_of(s6).mcast_if, "mcb1");
  assert_int_equal(mcb_set_multicast_interface(s6, "fd00:1::1"), UV_EADDRNOTAVAIL);
  assert_int_equal(mcb_set_multicast_interface(s6, "::%mcb0"), 0); /* Node's form */
  assert_string_equal(info_of(s6).mcast_if, "mcb0");
  mcbt_bench_done(&t);
}

/* tos is one row: IP_TOS on udp4, IPV6_TCLASS on udp6, hex accepted and shown. */
static void type_of_service(void **state)
{
  const mcb_option *tos = mcb_option_find("tos");
  mcbt_bench t;
  mcb_socket *s, *s6;
  mcb_optval v;
  char shown[16];
  MCBT_NEED_NET();
  assert_non_null(tos);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_option_get(s, tos, &v), 0);
  assert_int_equal(v.num, 0);
  assert_int_equal(mcb_option_set(s, tos, "0x10"), 0);
  assert_int_equal(mcb_option_get(s, tos, &v), 0);
  assert_int_equal(v.num, 0x10); /* read back from the kernel */
  assert_string_equal(mcb_option_format(tos, &v, shown, sizeof shown), "0x10");
  assert_int_equal(info_of(s).options[mcb_option_index(tos)].num, 0x10);
  assert_int_equal(mcb_option_set(s, tos, "0x100"), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench), "set tos 0x100: TOS must be 0..255 (EINVAL)");
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &s6), 0);
  assert_int_equal(mcb_option_set(s6, tos, "184"), 0);
  assert_int_equal(mcb_option_get(s6, tos, &v), 0);
  assert_int_equal(v.num, 0xb8);
  mcbt_bench_done(&t);
}

/* sndbuf is one row: SO_SNDBUF on every family, the kernel's (doubled) value shown. */
static void send_buffer(void **state)
{
  const mcb_option *sndbuf = mcb_option_find("sndbuf");
  mcbt_bench t;
  mcb_socket *s, *u;
  mcb_optval v;
  MCBT_NEED_NET();
  assert_non_null(sndbuf);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s), 0);
  assert_int_equal(mcb_option_set(s, sndbuf, "65536"), 0);
  assert_int_equal(mcb_option_get(s, sndbuf, &v), 0);
  assert_int_equal(v.num, 2 * 65536); /* what the kernel reports */
  assert_int_equal(mcb_option_set(s, sndbuf, "0"), UV_EINVAL);
  assert_string_equal(mcb_last_error(t.bench),
                      "set sndbuf 0: send buffer must be 1..1073741824 bytes (EINVAL)");
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &u), 0);
  assert_int_equal(mcb_option_set(u, sndbuf, "0x10000"), 0);
  assert_int_equal(mcb_option_get(u, sndbuf, &v), 0);
  assert_int_equal(v.num, 2 * 65536);
  mcbt_bench_done(&t);
}

/* v6only is read-only: it shows IPV6_V6ONLY as open set it, on udp6 sockets only. */
static void v6only_is_shown(void **state)
{
  const mcb_option *o = mcb_option_find("v6only");
  mcbt_bench t;
  mcb_socket *dual, *only, *v4;
  mcb_optval v;
  MCBT_NEED_NET();
  assert_non_null(o);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &dual), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, MCB_V6ONLY, &only), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &v4), 0);
  assert_int_equal(mcb_option_get(dual, o, &v), 0);
  assert_false(v.num);
  assert_int_equal(mcb_option_get(only, o, &v), 0);
  assert_true(v.num);
  assert_int_equal(mcb_option_get(v4, o, &v), UV_ENOTSUP);
  assert_int_equal(mcb_option_set(only, o, "off"), UV_EPERM);
  assert_string_equal(mcb_last_error(t.bench), "set v6only: read-only option (EPERM)");
  assert_int_equal(mcb_option_get(only, o, &v), 0);
  assert_true(v.num); /* unchanged */
  mcbt_bench_done(&t);
}

/* mcast-all is read-only and off on every IP socket (open turns it off). */
static void mcast_all_stays_off(void **state)
{
  const mcb_option *o = mcb_option_find("mcast-all");
  mcbt_bench t;
  mcb_socket *s4, *s6, *u;
  mcb_optval v;
  MCBT_NEED_NET();
  assert_non_null(o);
  mcbt_bench_init(&t);
  assert_int_equal(mcb_open(t.bench, MCB_UDP4, 0, &s4), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UDP6, 0, &s6), 0);
  assert_int_equal(mcb_open(t.bench, MCB_UNIX, 0, &u), 0);
  assert_int_equal(mcb_option_get(s4, o, &v), 0);
  assert_false(v.num);
  assert_int_equal(mcb_option_get(s6, o, &v), 0);
  assert_false(v.num);
  assert_int_equal(mcb_option_get(u, o, &v), UV_ENOTSUP);
  assert_int_equal(mcb_option_set(s4, o, "on"), UV_EPERM);
  assert_int_equal(mcb_join(s4, "239.6.6.6", "mcb0", NULL, 0), 0);
  assert_int_equal(mcb_option_get(s4, o, &v), 0);
  assert_false(v.num); /* joining does not turn it on */
  mcbt_bench_done(&t);
}

int main(void)
{
  mcbt_private_network();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ttls),
      cmocka_unit_test(flags),
      cmocka_unit_test(multicast_interface),
      cmocka_unit_test(unix_sockets_have_no_ip_options),
      cmocka_unit_test(every_row_behaves),
      cmocka_unit_test(default_and_foreign_interfaces),
      cmocka_unit_test(type_of_service),
      cmocka_unit_test(send_buffer),
      cmocka_unit_test(v6only_is_shown),
      cmocka_unit_test(mcast_all_stays_off),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

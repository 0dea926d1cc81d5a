/* test-addr.c - address parsing, formatting and comparison: numeric only (never a name
 * lookup), IPv6 scopes, unix paths including abstract names. No network needed. */
#include "testlib.h"

#include <string.h>
#include <sys/un.h>

static const char *fmt(const mcb_addr *a)
{
  static char buf[MCB_ADDRSTRLEN];
  return mcb_addr_format(a, buf, sizeof buf);
}

static void parses_endpoints(void **state)
{
  mcb_addr a;
  assert_int_equal(mcb_addr_parse("239.1.1.1:5000", 0, &a), 0);
  assert_string_equal(fmt(&a), "239.1.1.1:5000");
  assert_int_equal(mcb_addr_family(&a), MCB_UDP4);
  assert_true(mcb_addr_is_multicast(&a));
  assert_int_equal(mcb_addr_parse("[ff02::1]:5000", 0, &a), 0);
  assert_string_equal(fmt(&a), "[ff02::1]:5000");
  assert_int_equal(mcb_addr_parse("[ff02::1%1]:5000", 0, &a), 0); /* index 1 is lo */
  assert_string_equal(fmt(&a), "[ff02::1%lo]:5000");
  assert_int_equal(mcb_addr_parse("[ff02::1%lo]:7", 0, &a), 0);
  assert_int_equal(a.u.in6.sin6_scope_id, 1);
  assert_int_equal(mcb_addr_parse(":5000", MCB_UDP4, &a), 0);
  assert_string_equal(fmt(&a), "0.0.0.0:5000");
  assert_int_equal(mcb_addr_parse(":5000", MCB_UDP6, &a), 0);
  assert_string_equal(fmt(&a), "[::]:5000");
  assert_int_equal(mcb_addr_parse("/tmp/x.sock", 0, &a), 0);
  assert_string_equal(fmt(&a), "/tmp/x.sock");
  assert_int_equal(mcb_addr_family(&a), MCB_UNIX);
  assert_int_equal(mcb_addr_parse("@abstract", 0, &a), 0);
  assert_string_equal(fmt(&a), "@abstract");
}

static void rejects_bad_endpoints(void **state)
{
  mcb_addr a;
  assert_int_equal(mcb_addr_parse("", 0, &a), UV_EINVAL);
  assert_int_equal(mcb_addr_parse("239.1.1.1", 0, &a), UV_EINVAL);       /* no port */
  assert_int_equal(mcb_addr_parse("239.1.1.1:70000", 0, &a), UV_EINVAL); /* port */
  assert_int_equal(mcb_addr_parse("239.1.1.1:50x", 0, &a), UV_EINVAL);
  assert_int_equal(mcb_addr_parse("ff02::1:5000", 0, &a), UV_EINVAL); /* needs [] */
  assert_int_equal(mcb_addr_parse("[ff02::1]5000", 0, &a), UV_EINVAL);
  assert_int_equal(mcb_addr_parse("[239.1.1.1]:5000", 0, &a), UV_EINVAL);
  assert_int_equal(mcb_addr_parse("localhost:5000", 0, &a), UV_EINVAL); /* no lookups */
  assert_int_equal(mcb_addr_parse(":5000", 0, &a), UV_EINVAL);          /* no family */
  assert_int_equal(mcb_addr_parse("[ff02::1%nosuch0]:1", 0, &a), UV_ENODEV);
  char longpath[200];
  memset(longpath, 'a', sizeof longpath);
  longpath[0] = '/';
  longpath[sizeof longpath - 1] = '\0';
  assert_int_equal(mcb_addr_parse(longpath, 0, &a), UV_ENAMETOOLONG);
}

static void hosts_and_equality(void **state)
{
  mcb_addr a, b;
  char buf[MCB_ADDRSTRLEN];
  assert_int_equal(mcb_addr_parse_host("10.0.0.1", &a), 0);
  assert_false(mcb_addr_is_multicast(&a));
  assert_int_equal(mcb_addr_parse_host("fe80::1%lo", &a), 0);
  assert_string_equal(mcb_addr_format_host(&a, buf, sizeof buf), "fe80::1%lo");
  assert_int_equal(mcb_addr_parse_host("not-an-address", &a), UV_EINVAL);
  assert_int_equal(mcb_addr_parse("1.2.3.4:5", 0, &a), 0);
  assert_int_equal(mcb_addr_parse("1.2.3.4:5", 0, &b), 0);
  assert_true(mcb_addr_equal(&a, &b));
  assert_int_equal(mcb_addr_parse("1.2.3.4:6", 0, &b), 0);
  assert_false(mcb_addr_equal(&a, &b));
  assert_int_equal(mcb_addr_port(&b), 6);
  /* a unix path with or without its terminating NUL in the length is the same path */
  assert_int_equal(mcb_addr_parse("/tmp/p", 0, &a), 0);
  b = a;
  b.len--;
  assert_true(mcb_addr_equal(&a, &b));
}

/* The one splitter shared by the core, the sender and the language. */
static void splits_host_and_port(void **state)
{
  mcb_hostport hp;
  const char *why = NULL;
  (void)state;
  assert_int_equal(mcb_addr_split("239.1.1.1:5000", &hp, &why), 0);
  assert_string_equal(hp.host, "239.1.1.1");
  assert_int_equal(hp.port, 5000);
  assert_false(hp.bracketed);
  assert_int_equal(mcb_addr_split("[ff02::1%mcb0]:0", &hp, &why), 0);
  assert_string_equal(hp.host, "ff02::1%mcb0");
  assert_int_equal(hp.port, 0);
  assert_true(hp.bracketed);
  assert_int_equal(mcb_addr_split(":65535", &hp, &why), 0);
  assert_string_equal(hp.host, "");
  assert_int_equal(mcb_addr_split("name.example:53", &hp, NULL), 0);
  assert_string_equal(hp.host, "name.example");
  assert_int_equal(mcb_addr_split("ff02::1:5000", &hp, &why), UV_EINVAL);
  assert_non_null(strstr(why, "brackets"));
  assert_int_equal(mcb_addr_split("[::1", &hp, &why), UV_EINVAL);
  assert_non_null(strstr(why, "']'"));
  assert_int_equal(mcb_addr_split("1.2.3.4:65536", &hp, &why), UV_EINVAL);
  assert_string_equal(why, "port must be 0..65535");
  assert_int_equal(mcb_addr_split("1.2.3.4:", &hp, &why), UV_EINVAL);
  assert_int_equal(mcb_addr_split("1.2.3.4:5x", &hp, &why), UV_EINVAL);
  assert_int_equal(mcb_addr_split("nohost", &hp, &why), UV_EINVAL);
  assert_true(mcb_addr_is_hostname("localhost"));
  assert_false(mcb_addr_is_hostname("bad host"));
  assert_false(mcb_addr_is_hostname(""));
}

static void families_and_errors(void **state)
{
  mcb_family f;
  assert_int_equal(mcb_family_parse("unix_dgram", &f), 0); /* Node v0.4's name */
  assert_int_equal(f, MCB_UNIX);
  assert_int_equal(mcb_family_parse("tcp", &f), UV_EINVAL);
  assert_string_equal(mcb_family_name(MCB_UDP6), "udp6");
  assert_string_equal(mcb_err_name(UV_ENODEV), "ENODEV");
  assert_string_equal(mcb_strerror(UV_ENODEV), "no such device");
  assert_string_equal(mcb_err_name(UV_EAI_NONAME), "EAI_NONAME");
}

/* A unix address from raw bytes of sun_path (abstract when it starts with a NUL). */
static mcb_addr unix_addr(const char *bytes, size_t n)
{
  mcb_addr a;
  memset(&a, 0, sizeof a);
  a.u.un.sun_family = AF_UNIX;
  memcpy(a.u.un.sun_path, bytes, n);
  a.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
  return a;
}

static bool printable(const char *s)
{
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f) return false;
  return true;
}

/* Unix names as peers send them: abstract names with embedded NULs, control bytes, a
 * real path starting with '@'. Each formats to printable ASCII, and different names
 * never format alike (they used to: "@a\0b" showed as "@a"). */
static void unix_names_are_escaped_and_distinct(void **state)
{
  static const struct {
    const char *bytes;
    size_t n;
    const char *text;
  } cases[] = {
      {"\0a", 2, "@a"},
      {"\0a\0b", 4, "@a\\0b"},
      {"\0a\0", 3, "@a\\0"},
      {"\0a\\0b", 5, "@a\\\\0b"},
      {"\0\033]0;x\a\xc2\x9b", 9, "@\\x1b]0;x\\x07\\xc2\\x9b"},
      {"\0", 1, "@"},
      {"@a", 3, "./@a"},
      {"/tmp/\033[2J\x7f", 11, "/tmp/\\x1b[2J\\x7f"},
      {"/tmp/a\0junk", 12, "/tmp/a"}, /* a path ends at its NUL, as the kernel reads it */
  };
  char seen[sizeof cases / sizeof cases[0]][MCB_ADDRSTRLEN];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mcb_addr a = unix_addr(cases[i].bytes, cases[i].n);
    mcb_addr_format(&a, seen[i], sizeof seen[i]);
    assert_string_equal(seen[i], cases[i].text);
    assert_true(printable(seen[i]));
    for (size_t k = 0; k < i; k++)
      if (strcmp(seen[i], seen[k]) == 0) fail_msg("'%s' formats like case %zu", seen[i], k);
  }
  /* the longest abstract name, every byte escaped, fits MCB_ADDRSTRLEN whole */
  char worst[sizeof(struct sockaddr_un) - offsetof(struct sockaddr_un, sun_path)];
  char out[MCB_ADDRSTRLEN];
  memset(worst, 0x1b, sizeof worst);
  worst[0] = '\0';
  mcb_addr w = unix_addr(worst, sizeof worst);
  mcb_addr_format(&w, out, sizeof out);
  assert_int_equal(strlen(out), 1 + 4 * (sizeof worst - 1));
  /* a short buffer truncates on a whole escape */
  mcb_addr_format(&w, out, 7);
  assert_string_equal(out, "@\\x1b");
  /* and the parser still reads what the format shows for plain names */
  mcb_addr b;
  assert_int_equal(mcb_addr_parse("./@a", 0, &b), 0);
  assert_string_equal(fmt(&b), "./@a");
  assert_int_equal(mcb_addr_parse("@a", 0, &b), 0);
  assert_string_equal(fmt(&b), "@a");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parses_endpoints),
      cmocka_unit_test(rejects_bad_endpoints),
      cmocka_unit_test(hosts_and_equality),
      cmocka_unit_test(families_and_errors),
      cmocka_unit_test(unix_names_are_escaped_and_distinct),
      cmocka_unit_test(splits_host_and_port),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

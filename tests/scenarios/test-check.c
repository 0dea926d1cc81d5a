/* test-check.c - check time, table-driven: each bad input gets exactly one error with its
 * exact text and column; good inputs (including values only the system can refuse, such
 * as TTL 256 or a unicast "group") pass; a file's errors are all reported, in order; and
 * the compiler-style rendering with its caret. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "grammar.h"

typedef struct checked {
  scn_vars vars;
  scn_checker ck;
  scn_diags diags;
  scn_commands cmds;
  scn_source *src;
} checked;

static checked *check(const char *text)
{
  checked *c = calloc(1, sizeof *c);
  c->ck.vars = &c->vars;
  c->ck.diags = &c->diags;
  scn_checker_default_nodes(&c->ck); /* as every run has them: local and peer */
  assert_int_equal(scn_source_new("t.mcb", text, strlen(text), &c->src), 0);
  scn_compile(c->src, &c->ck, &c->cmds);
  return c;
}

static void done(checked *c)
{
  scn_commands_free(&c->cmds);
  scn_source_free(c->src);
  free(c);
}

static const struct bad {
  const char *text;
  unsigned col;
  const char *message;
} bad[] = {
    {"bind rx :5000", 6, "unknown socket 'rx' (no 'open rx' before this line)"},
    {"open rx tcp", 9, "unexpected 'tcp'; expected 'udp4', 'udp6', 'unix', 'unix_dgram'"},
    {"open rx udp4 reuse reuse", 20, "'reuse' given twice"},
    {"open 9rx udp4", 6, "'9rx' is not a valid socket name (letters, digits, _ - ., up to 31)"},
    {"open rx udp4; bind rx 1.2.3.4", 23,
     "bad bind address '1.2.3.4': expected ADDRESS:PORT (e.g. 239.1.1.1:5000) or a unix path"},
    {"open rx udp4; bind rx local!host:5000", 23,
     "bad bind address 'local!host:5000': not an address or host name"},
    {"open rx udp4; send rx 239.1.1.1:5000", 37,
     "missing PAYLOAD; usage: send NAME DEST PAYLOAD [count N] [every DUR] [rate RATE "
     "pps|kbps|Mbps] [for DUR] [burst N] [size SIZE] [drop PCT] [dup PCT] [reorder PCT] "
     "[jitter DUR] [seed N]"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe rate 10", 51,
     "'rate 10' needs a unit: expected 'pps', 'kbps', 'Mbps'; usage: send NAME DEST PAYLOAD "
     "[count N] [every DUR] [rate RATE pps|kbps|Mbps] [for DUR] [burst N] [size SIZE] [drop "
     "PCT] [dup PCT] [reorder PCT] [jitter DUR] [seed N]"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe rate 10 bps", 52,
     "unknown unit 'bps' after 'rate 10': expected 'pps', 'kbps', 'Mbps'"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe rate 0 pps", 49,
     "'0': expected a positive rate such as 1000 or 2.5"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe rate 10 pps every 1s", 62,
     "give 'rate' or 'every', not both ('every DUR' is a rate of 1/DUR)"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe burst 4", 50,
     "'burst N' sends N datagrams per deadline: it needs 'rate' or 'every'"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe jitter 1ms", 51,
     "'jitter' moves each datagram's deadline: it needs 'rate' or 'every'"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe size 1400..64", 49,
     "'1400..64': a range of lengths goes from the smaller to the larger (64..1400) (at most "
     "65507 bytes)"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe drop 5x", 49,
     "'5x': expected a percentage such as 5%, 0.5% or 100%"},
    {"open rx udp4; send rx 239.1.1.1:5000 probe drop 101%", 49, "'101%': a percentage is 0..100"},
    {"open rx udp4; send rx 239.1.1.200..239.1.1.1:5000 probe", 23,
     "bad destination '239.1.1.200..239.1.1.1:5000': a range goes from the lower address to "
     "the higher"},
    {"open rx udp4; send rx 239.1.1.1..ff05::1:5000 probe", 23,
     "bad destination '239.1.1.1..ff05::1:5000': expected FIRST..LAST:PORT "
     "(239.1.1.1..239.1.1.200:5000 or [ff05::1]..[ff05::20]:5000)"},
    {"open rx udp4; join rx 239.1.0.0..239.2.0.0", 23,
     "bad range '239.1.0.0..239.2.0.0': a range holds at most 65536 addresses"},
    {"open rx udp4; stop rx 0", 23, "'0' is not a stream number (1, 2, ... as 'send' numbered it)"},
    {"open rx udp4; send rx 239.1.1.1:5000 \"x\" count -1", 48,
     "'-1': number out of range (expected 0..2147483647)"},
    {"open rx udp4; send rx 239.1.1.1:5000 \"x\" cout 3", 42,
     "unexpected 'cout'; did you mean 'count'? (expected 'count', 'every', 'rate', 'for', "
     "'burst', 'size', 'drop', 'dup', 'reorder', 'jitter', 'seed')"},
    {"open rx udp4; send rx 239.1.1.1:5000 size:x", 38, "size: takes a byte count, 0..1048576"},
    {"open rx udp4; join rx 239.1.1.1 on", 35,
     "missing IFACE after 'on'; usage: join NAME GROUPS [on IFACE] [from SOURCES] [except "
     "SOURCES]"},
    {"open rx udp4; join rx 239.1.1.1 except", 39,
     "missing SOURCES after 'except'; usage: join NAME GROUPS [on IFACE] [from SOURCES] [except "
     "SOURCES]"},
    {"open rx udp4; join rx 239.1.1.1 except 10.0.0.1,", 40, "expected SOURCE[,SOURCE...]"},
    {"open rx udp4; join rx 239.1.1.1 except host", 40,
     "source 'host' is not a numeric IP address"},
    {"open rx udp4; join rx 239.1.1.1 from 10.0.0.1 except 10.0.0.2", 54,
     "from and except do not mix: a membership receives only some sources (from, include mode) "
     "or every source but some (except, exclude mode)"},
    {"open rx udp4; drop rx 239.1.1.1 except 10.0.0.2 from 10.0.0.1", 40,
     "from and except do not mix: a membership receives only some sources (from, include mode) "
     "or every source but some (except, exclude mode)"},
    {"open rx udp4; join rx 239.1.1.1..239.1.1.9 except 10.0.0.2", 51,
     "except takes one group, not a range"},
    {"open rx udp4; join rx 239.1.1.1 except 10.0.0.1 except 10.0.0.2", 49, "'except' given twice"},
    {"open rx udp4; join rx 232.1.1.1 from 10.0.0.1,,10.0.0.2", 38, "expected SOURCE[,SOURCE...]"},
    {"open rx udp4; join rx 232.1.1.1 from host", 38, "source 'host' is not a numeric IP address"},
    {"open rx udp4; join rx group.example", 23,
     "'group.example' is not a numeric IP address (e.g. 239.1.1.1 or ff02::1)"},
    {"open rx udp4; set rx", 21, "missing OPTION; usage: set NAME OPTION VALUE"},
    {"open rx udp4; set rx ttl", 25, "missing VALUE; usage: set NAME OPTION VALUE"},
    {"open rx udp4; set rx loopback maybe", 31, "'maybe': expected on, off or toggle"},
    {"open rx udp4; set rx ttl many", 26,
     "'many': expected a whole number (decimal, or hex as 0x10)"},
    {"open rx udp4; set rx ttl 0x", 26, "'0x': expected a whole number (decimal, or hex as 0x10)"},
    {"open rx udp4; set rx mcast-if a/b", 31,
     "'a/b': expected an interface name, index or local address, or default"},
    {"open rx udp4; set rx frobnicate 1", 22,
     "unknown socket option 'frobnicate' (mcbench help set lists them)"},
    {"open rx udp4; expect rx received 3", 34, "'3' is not a comparison: use == != < <= > >="},
    {"open rx udp4; expect rx received == 3 within", 45,
     "missing DUR after 'within'; usage: expect NAME received|bytes OP N [from ADDR] [to GROUP] "
     "[within DUR]"},
    {"open rx udp4; expect rx received == 3 from somehost", 44,
     "bad address 'somehost': expected ADDRESS, ADDRESS:PORT, [IPV6]:PORT or a unix path"},
    {"open rx udp4; expect rx recieved == 3", 25,
     /* the list grows with every figure expect learns: only its start is pinned */
     "unexpected 'recieved'; did you mean 'received'? (expected 'received', 'bytes', 'sent', "
     "..."},
    {"open rx udp4; expect rx none for 1s for 2s", 37, "'for' given twice"},
    {"open rx udp4; expect rx loss < 5x", 32,
     "'5x': expected a percentage such as 5%, 0.5% or 100%"},
    {"open rx udp4; expect rx loss < 101%", 32, "'101%': a percentage is 0..100"},
    {"open rx udp4; expect rx kernel-drops == 0 from 10.0.0.1", 43,
     "unexpected 'from'; expected 'within'"},
    {"expect error", 13, "missing CODE; usage: expect error CODE"},
    {"expect error 13", 14, "unknown error code '13' (e.g. EACCES, EINVAL, ENODEV)"},
    {"wait", 5, "missing DUR; usage: wait DUR"},
    {"wait 1s 2s", 9, "unexpected '2s'; usage: wait DUR"},
    {"default 1X 3", 9, "'1X' is not a variable name (letters, digits and _)"},
    {"pause one two", 11, "unexpected 'two'; usage: pause [TEXT]"},
    {"help nosuchverb", 6, "unknown command 'nosuchverb' (try 'help')"},
    {"frobnicate", 1, "unknown command 'frobnicate' (try 'help')"},
    {"s", 1,
     "ambiguous command 's': could be send, stop, set, say, select, scroll, sort, speed, step"},
    {"quit now", 6, "unexpected 'now'; expected 'force'"},
    {"lab host h1; lab router h1", 25, "duplicate node name 'h1' (declared before)"},
    {"lab host h1; lab link h1 h1", 26, "link to itself: 'h1' cannot link to 'h1'"},
    {"lab host h1; lab link h1 r9", 26,
     "unknown node 'r9' (no 'lab host|router|switch r9' before this line)"},
    {"lab host toolongname", 10,
     "'toolongname' is not a node name: a node name has 1 to 7 characters (interface names are "
     "NODE-NODE)"},
    {"lab switch s1 querier maybe", 23, "querier takes on or off, not 'maybe'"},
    {"lab switch s1 snooping maybe", 24, "snooping takes on or off, not 'maybe'"},
    {"lab switch s1 querier on snooping off", 23,
     "a querier needs snooping: with snooping off the bridge floods every group whatever the "
     "reports say"},
    {"lab host h1; expect lab h1 s9 received >= 1", 28,
     "unknown node 's9' (no 'lab host|router|switch s9' before this line)"},
    {"lab host h1; lab switch s1; expect lab h1 s1 dropped >= 1", 46,
     "unexpected 'dropped'; expected 'received', 'sent'"},
    {"lab host h1; lab router r1; lab link h1 r1 ttl-threshold 300", 58,
     "a TTL threshold is 0..255"},
    {"lab host h1; lab router r1; lab route r1 239.1.1.1 from h1 to h1,h9", 63,
     "unknown node 'h9' (no 'lab host|router|switch h9' before this line)"},
    {"lab host h1; lab host h2; lab link h1 h2 loss 5x", 47,
     "'5x': expected a percentage such as 5%, 0.5% or 100%"},
    {"lab host h1; lab host h2; lab link h1 h2 loss 101%", 47, "'101%': a percentage is 0..100"},
    {"open rx udp4 on h1", 17,
     "unknown node 'h1' (no 'lab host|router|switch h1' before this line)"},
    {"lab host h1; lab router r1; lab route r1 ff02::1:3 from h1 to h1", 42,
     "'ff02::1:3' is link-scoped (scope 2): routers never forward it; route a group of scope 3 "
     "or more, e.g. ff05::1:3"},
    {"lab host h1; lab router r1; lab route r1 ff11::1 from h1 to h1", 42,
     "'ff11::1' is link-scoped (scope 1): routers never forward it; route a group of scope 3 "
     "or more, e.g. ff05::1:3"},
    {"lab host h1; lab router r1; lab route r1 224.0.0.251 from h1 to h1", 42,
     "'224.0.0.251' is link-local (224.0.0.0/24): routers never forward it"},
    {"lab host h1; lab router r1; lab route r1 ff05::1 source 10.0.1.1 from h1 to h1", 57,
     "source '10.0.1.1' is not of the group's family (IPv6)"},
    {"lab host h1; lab exec h1", 25,
     "missing '-- CMD...'; usage: lab exec NODE [within DUR] [status N] [bg] -- CMD..."},
    {"lab host h1; lab exec h1 --", 28,
     "missing CMD... after '--'; usage: lab exec NODE [within DUR] [status N] [bg] -- CMD..."},
    {"lab exec h9 -- true", 10,
     "unknown node 'h9' (no 'lab host|router|switch h9' before this line)"},
    {"lab host h1; lab exec h1 status 256 -- true", 33, "an exit status is 0..255"},
    {"lab host h1; lab exec h1 -- printf \"a\\0b\"", 36,
     "a program's argument cannot hold a NUL byte"},
    {"lab set h9 igmp 2", 9, "unknown node 'h9' (no 'lab host|router|switch h9' before this line)"},
    {"lab host h1; lab set h1 mld 3", 29, "unexpected '3'; did you mean '1'? (expected '1', '2')"},
    {"expect lab igmp join 239.1.1.1 from h9", 37,
     "unknown node 'h9' (no 'lab host|router|switch h9' before this line)"},
    {"expect lab igmp joins", 17,
     "unexpected 'joins'; did you mean 'join'? (expected 'join', 'leave', 'report', 'query')"},
    {"expect lab mld join version 3", 29, "MLD has versions 1 to 2"},
    {"expect lab igmp query from peer version 4", 41, "IGMP has versions 1 to 3"},
    {"expect lab igmp leave ff05::1", 23,
     "an IGMP group is IPv4 (239.1.1.1), an MLD group IPv6 (ff05::1)"},
    {"expect lab no-route ff05::1", 21, "routers report missing routes of IPv4 groups only"},
    {"expect lab no-route 239.1.1.1 at r9", 34,
     "unknown node 'r9' (no 'lab host|router|switch r9' before this line)"},
};

static void bad_inputs(void **state)
{
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    checked *c = check(bad[i].text);
    if (c->diags.n != 1) fail_msg("'%s': %zu errors", bad[i].text, c->diags.n);
    size_t n = strlen(bad[i].message);
    bool prefix = n > 3 && strcmp(bad[i].message + n - 3, "...") == 0; /* "...": a prefix */
    if (strncmp(c->diags.items[0].message, bad[i].message, prefix ? n - 3 : n + 1) != 0 ||
        c->diags.items[0].col != bad[i].col)
      fail_msg("'%s':\n  got  %u: %s\n  want %u: %s", bad[i].text, c->diags.items[0].col,
               c->diags.items[0].message, bad[i].col, bad[i].message);
    done(c);
  }
}

static void good_inputs(void **state)
{
  static const char *const good[] = {
      "open rx udp4 reuse v6only", /* v6only on udp4 is refused by the core at run time */
      "open rx unix_dgram; bind rx /tmp/x.sock; send rx @abstract \"hi\"",
      "open rx udp4; set rx ttl 256; set rx mcast-ttl -1; set rx rcvbuf 0",
      "open rx udp4; join rx 10.0.0.1; join rx ff02::1 on nosuch0",
      "open rx udp4; join rx 232.1.1.1 on mcb0 from 10.99.0.1,10.99.0.2",
      "open rx udp4; drop rx 232.1.1.1 from 10.99.0.1",
      "open rx udp4; join rx 239.1.1.1 on mcb0 except 10.99.0.1,10.99.0.2",
      "open rx udp6; join rx ff05::1 except fd00:99::1; drop rx ff05::1 except fd00:99::1",
      "open rx udp4; send rx host.example:9 size:0 count 0",
      "open rx udp4; send rx [ff02::1%mcb0]:5000 hex:00ff count 3 every 500us",
      "open rx udp4; send rx 239.1.1.1:5000 \"x\" every 10ms; stop rx; stop rx 1",
      "open rx udp4; send rx 239.1.1.1:5000 probe; send rx 239.1.1.1:5000 probe count 10",
      "open rx udp4; send rx 239.1.1.1:5000 probe rate 1000 pps for 10s burst 10 size 64..1400",
      "open rx udp4; send rx 239.1.1.1:5000 probe rate 2.5 Mbps size 1200 jitter 2ms seed 42",
      "open rx udp4; send rx 239.1.1.1:5000 hex:00 rate 64 kbps drop 5% dup 0.5% reorder 2%",
      "open rx udp4; send rx 239.1.1.1:5000 \"hello\" size 3..1400 rate 10 pps",
      "open rx udp4; send rx 239.1.1.1..239.1.1.200:5000 probe every 1ms count 1000",
      "open rx udp6; send rx [ff05::1]..[ff05::20]:5000 probe rate 100 pps",
      "open rx udp4; join rx 239.1.1.1..239.1.1.200; drop rx 239.1.1.1..239.1.1.200",
      "open rx udp6; join rx ff05::1..ff05::20 on mcb0",
      "open rx udp4; expect rx bytes >= 10 to 239.1.1.1 from 10.0.0.1:5 within 2m",
      "open rx udp4; expect rx none to 239.1.1.1 for 100ms",
      "open rx udp4; expect rx none for 100ms from 10.0.0.1",
      "open rx udp4; expect rx ttl != 1 from [fe80::1]:5; expect rx payload \"x\" within 1s",
      "open rx udp4; set rx echo on; set rx broadcast toggle; set rx mcast-if default",
      "open rx udp4; set rx ttl 0x40; set rx mcast-if 0.0.0.0; set rx mcast-if ::",
      "open rx udp4; close rx; close rx; reset rx",
      "expect error EAI_NONAME; expect error ECANCELED",
      "say hello; say \"two words\"; pause; pause \"x\"; wait 0s",
      "default X 1; default X 2; help; help sen; help send",
      "lab host h1; lab router r1; lab switch s1 querier off; lab link h1 r1; lab link r1 s1 "
      "ttl-threshold 6; lab route r1 239.1.1.1 source 10.0.1.1 from h1 to s1,h1; lab show; "
      "lab show r1; open rx udp4 reuse on h1; lab host h2; lab link h1 h2 loss 0.5%; open p udp4 "
      "on peer; open l udp4 on local; lab trace 239.1.1.1 from h1 to h2",
      "lab host h1; lab router r1; lab route r1 ff05::1:3 source fd00:0:0:1::1 from h1 to h1; "
      "lab route r1 ff0e::1 from h1 to h1; lab trace ff05::1:3 from h1 to h1",
      "lab switch s1 snooping off; lab switch s2 querier on snooping on; lab host h1; lab link h1 "
      "s1; expect lab h1 s1 received >= 0; expect lab s1 h1 sent < 10",
      "lab host h1; lab exec h1 -- true; lab exec h1 bg within 2s status 3 -- sh -c \"exit 3\"; "
      "lab exec local -- mcbench doctor 239.1.1.1:5000 --wait 0",
      "lab host h1; lab set h1 igmp 2; lab set peer mld 1; expect lab igmp join 239.1.1.1 from h1 "
      "version 2 within 2s; expect lab mld query ff05::1; expect lab igmp leave 239.1.1.1; expect "
      "lab igmp report from peer; lab router r1; expect lab no-route 239.1.1.1 at r1 within 1s; "
      "expect lab no-route",
      "open rx udp4; view hex; freeze toggle; select rx; move up; focus next; record /tmp/r.mcb; "
      "record stop",
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    checked *c = check(good[i]);
    if (c->diags.n) fail_msg("'%s': %s", good[i], c->diags.items[0].message);
    done(c);
  }
}

/* Every word after `--` is the program's, keywords of the verb included. */
static void lab_exec_takes_every_word_after_dashes(void **state)
{
  checked *c = check("lab host h1; lab exec h1 within 2s -- sh -c x bg status 3 --");
  const scn_command *cmd = &c->cmds.v[1];
  assert_int_equal(c->diags.n, 0);
  assert_non_null(scn_arg(cmd, "within"));
  assert_null(scn_arg(cmd, "bg"));
  assert_null(scn_arg(cmd, "status"));
  assert_string_equal(scn_arg(cmd, "--")->text, "sh");
  assert_int_equal(cmd->argc - (size_t)(scn_arg(cmd, "--") - cmd->argv), 7);
  done(c);
}

static void every_error_of_a_file_in_order(void **state)
{
  checked *c = check("open rx udp4\n"
                     "sned rx 1.2.3.4:5 x\n"
                     "join rx 239.1.1.1\n"
                     "wait 5\n"
                     "expect tx received == 1\n"
                     "se rx 1.2.3.4:5 x\n");
  assert_int_equal(c->diags.n, 4);
  assert_int_equal(c->diags.items[0].line, 2);
  assert_int_equal(c->diags.items[1].line, 4);
  assert_int_equal(c->diags.items[2].line, 5);
  assert_int_equal(c->diags.items[3].line, 6);
  assert_string_equal(c->diags.items[0].message, "unknown command 'sned'; did you mean 'send'?");
  assert_string_equal(c->diags.items[3].message,
                      "ambiguous command 'se': could be send, set, select");
  assert_int_equal(c->cmds.n, 2); /* the good ones are still compiled */
  done(c);
}

static void names_must_be_opened_first(void **state)
{
  checked *c = check("bind rx :1\nopen rx udp4\nbind rx :1\n");
  assert_int_equal(c->diags.n, 1);
  assert_int_equal(c->diags.items[0].line, 1);
  done(c);
}

static void defaults_and_fixed_variables(void **state)
{
  checked *c = calloc(1, sizeof *c);
  const char *text = "default G 239.1.1.1\nopen rx udp4\njoin rx ${G}\njoin rx ${P}\n";
  c->ck.vars = &c->vars;
  c->ck.diags = &c->diags;
  scn_vars_set(&c->vars, "P", "239.2.2.2", true);
  scn_vars_set(&c->vars, "G", "239.9.9.9", true); /* -D wins over default */
  assert_int_equal(scn_source_new("t.mcb", text, strlen(text), &c->src), 0);
  scn_compile(c->src, &c->ck, &c->cmds);
  assert_int_equal(c->diags.n, 0);
  assert_string_equal(c->cmds.v[2].argv[2].text, "239.9.9.9");
  assert_string_equal(c->cmds.v[3].argv[2].text, "239.2.2.2");
  done(c);
}

static void rendering_with_a_caret(void **state)
{
  checked *c = check("open rx udp4\nset rx\tbrodcast on\n");
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  assert_int_equal(c->diags.n, 1);
  scn_diag_print(f, &c->diags.items[0]);
  fclose(f);
  assert_string_equal(out, "t.mcb:2:8: error: unknown socket option 'brodcast'; did you mean "
                           "'broadcast'?\n"
                           "    set rx brodcast on\n"
                           "           ^~~~~~~~\n");
  free(out);
  done(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bad_inputs),
      cmocka_unit_test(good_inputs),
      cmocka_unit_test(every_error_of_a_file_in_order),
      cmocka_unit_test(lab_exec_takes_every_word_after_dashes),
      cmocka_unit_test(names_must_be_opened_first),
      cmocka_unit_test(defaults_and_fixed_variables),
      cmocka_unit_test(rendering_with_a_caret),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* sockopt.c - the session's own option rows (echo lives in the scenario session, not in
 * the kernel) appended to the core's table; see sockopt.h. */
#include "sockopt.h"

#include <stdio.h>
#include <string.h>

#include "session.h"
#include "values.h"

/* A socket's scn_sock is its data pointer (set by `open`). */
static int echo_set(mcb_socket *sock, const mcb_option *opt, const mcb_optval *v)
{
  scn_sock *ss = mcb_socket_data(sock);
  if (ss == NULL) return UV_ENOTSUP;
  ss->echo = v->num != 0;
  return 0;
}

static int echo_get(const mcb_socket *sock, const mcb_option *opt, mcb_optval *out)
{
  const scn_sock *ss = mcb_socket_data(sock);
  out->valid = ss != NULL;
  out->num = ss != NULL && ss->echo;
  return ss != NULL ? 0 : UV_ENOTSUP;
}

static const mcb_option opt_echo = {
    .name = "echo",
    .key = "echo",
    .noun = "echo",
    .families = MCB_FAM_ALL,
    .type = MCB_OPT_BOOL,
    .help = "reply to each datagram's sender with the same payload (kept by the session); a "
            "probe goes back marked as an echo reply (its sender measures the round trip) and "
            "an echo reply is never reflected",
    .set = echo_set,
    .get = echo_get,
};

static const mcb_option *const session_rows[] = {&opt_echo, NULL};

size_t scn_option_count(void)
{
  return mcb_option_count() + sizeof session_rows / sizeof session_rows[0] - 1;
}

const mcb_option *scn_option_at(size_t i)
{
  size_t n = mcb_option_count();
  if (i < n) return mcb_options()[i];
  return i - n < sizeof session_rows / sizeof session_rows[0] ? session_rows[i - n] : NULL;
}

const mcb_option *scn_option_find(const char *name)
{
  const mcb_option *o;
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++)
    if (strcmp(o->name, name) == 0) return o;
  return NULL;
}

const char *scn_option_suggest(const char *name)
{
  const mcb_option *o, *best = NULL;
  unsigned d, bestd = 3;
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++)
    if ((d = scn_edit_distance(name, o->name)) < bestd) bestd = d, best = o;
  return best ? best->name : NULL;
}

void scn_option_values(mcb_socket *sock, mcb_optval out[SCN_MAX_OPTIONS])
{
  const mcb_option *o;
  for (size_t i = 0; i < SCN_MAX_OPTIONS; i++) {
    memset(&out[i], 0, sizeof out[i]);
    /* only rows that apply: a refused get would replace the bench's last error */
    if ((o = scn_option_at(i)) != NULL && mcb_option_applies(o, mcb_socket_family(sock)))
      (void)mcb_option_get(sock, o, &out[i]);
  }
}

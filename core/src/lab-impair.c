/* lab-impair.c - link impairments of the virtual lab through nftables (Debian's
 * libnftables): loss is a rule on the netdev ingress hook of each end of a link,
 * dropping a random share of what arrives, so each direction loses that share once;
 * duplication is a rule on the egress hook of each end, sending a random share of what
 * leaves twice (`dup to` the same device, each copied packet marked so that its copy,
 * which passes the hook again, is not copied again). Each rule counts what it did (`lab show`). The
 * rules are written and read inside the node (the library's netlink socket is made there); without
 * libnftables at build time, they fail with UV_ENOTSUP. */
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef MCB_HAVE_NFTABLES
#include <nftables/libnftables.h>

/* Runs nft commands; on failure `why` gets the library's words, on success `out` (when
 * not NULL) what it printed. */
static int run_out(const char *cmd, char *why, size_t size, char *out, size_t outsize)
{
  struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  int rc;
  if (ctx == NULL) return UV_ENOMEM;
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  rc = nft_run_cmd_from_buffer(ctx, cmd);
  if (rc != 0) snprintf(why, size, "%s", nft_ctx_get_error_buffer(ctx));
  if (rc == 0 && out != NULL) snprintf(out, outsize, "%s", nft_ctx_get_output_buffer(ctx));
  nft_ctx_free(ctx);
  return rc != 0 ? UV_EINVAL : 0;
}

static int run(const char *cmd, char *why, size_t size)
{
  return run_out(cmd, why, size, NULL, 0);
}

int mcb__lab_nft_counter(unsigned ifindex, const char *chain, uint64_t *packets)
{
  char cmd[128], out[1024], why[200];
  const char *at;
  int rc;
  snprintf(cmd, sizeof cmd, "list chain netdev mcblab %s%u", chain, ifindex);
  if ((rc = run_out(cmd, why, sizeof why, out, sizeof out)) != 0) return rc;
  if ((at = strstr(out, "counter packets ")) == NULL) return UV_EPROTO;
  *packets = strtoull(at + strlen("counter packets "), NULL, 10);
  return 0;
}

int mcb__lab_set_loss(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  char cmd[512];
  /* One chain per interface, named by its index (the table is the node's own). */
  snprintf(cmd, sizeof cmd,
           "table netdev mcblab {\n"
           "  chain loss%u {\n"
           "    type filter hook ingress device \"%s\" priority 0; policy accept;\n"
           "    numgen random mod 1000000 < %u counter drop\n"
           "  }\n"
           "}\n",
           ifindex, ifname, ppm);
  return run(cmd, why, size);
}

/* The copy `dup` sends goes through the egress hook again (it would be copied again,
 * and its copies too, a quarter more at 20%): the original is marked before it is
 * copied, so the copy carries the mark and passes. The mark is cleared when the packet
 * crosses into the other node's namespace. */
#define DUP_MARK "0x6d636264" /* "mcbd" */

int mcb__lab_set_dup(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           "table netdev mcblab {\n"
           "  chain dup%u {\n"
           "    type filter hook egress device \"%s\" priority 0; policy accept;\n"
           "    meta mark " DUP_MARK " accept\n"
           "    numgen random mod 1000000 < %u meta mark set " DUP_MARK " counter dup to \"%s\"\n"
           "  }\n"
           "}\n",
           ifindex, ifname, ppm, ifname);
  return run(cmd, why, size);
}

#else

static int without(char *why, size_t size)
{
  snprintf(why, size, "mcbench was built without libnftables");
  return UV_ENOTSUP;
}

int mcb__lab_set_loss(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  (void)ifindex, (void)ifname, (void)ppm;
  return without(why, size);
}

int mcb__lab_set_dup(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  (void)ifindex, (void)ifname, (void)ppm;
  return without(why, size);
}

int mcb__lab_nft_counter(unsigned ifindex, const char *chain, uint64_t *packets)
{
  (void)ifindex, (void)chain, (void)packets;
  return UV_ENOTSUP;
}

#endif

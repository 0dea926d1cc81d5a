/* lab-impair.c - link impairments of the virtual lab through nftables (Debian's
 * libnftables): loss is a rule on the netdev ingress hook of each end of a link,
 * dropping a random share of what arrives, so each direction loses that share once;
 * duplication is a rule on the egress hook of each end, sending a random share of what
 * leaves twice (`dup to` the same device; the copy skips the egress hook, so it is
 * never copied again). The rules are written inside the node (the library's netlink
 * socket is made there); without libnftables at build time, they fail with UV_ENOTSUP. */
#include "lab.h"

#include <stdio.h>

#ifdef MCB_HAVE_NFTABLES
#include <nftables/libnftables.h>

static int run(const char *cmd, char *why, size_t size)
{
  struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  int rc;
  if (ctx == NULL) return UV_ENOMEM;
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  rc = nft_run_cmd_from_buffer(ctx, cmd);
  if (rc != 0) snprintf(why, size, "%s", nft_ctx_get_error_buffer(ctx));
  nft_ctx_free(ctx);
  return rc != 0 ? UV_EINVAL : 0;
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

int mcb__lab_set_dup(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           "table netdev mcblab {\n"
           "  chain dup%u {\n"
           "    type filter hook egress device \"%s\" priority 0; policy accept;\n"
           "    numgen random mod 1000000 < %u counter dup to \"%s\"\n"
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

#endif

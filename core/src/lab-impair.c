/* lab-impair.c - link impairments of the virtual lab through nftables (Debian's
 * libnftables): loss is a rule on the netdev ingress hook of each end of a link,
 * dropping a random share of what arrives, so each direction loses that share once.
 * The rules are written inside the node (the library's netlink socket is made there);
 * without libnftables at build time, impairments fail with UV_ENOTSUP. */
#include "lab.h"

#include <stdio.h>

#ifdef MCB_HAVE_NFTABLES
#include <nftables/libnftables.h>

int mcb__lab_set_loss(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  char cmd[512];
  struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  int rc;
  if (ctx == NULL) return UV_ENOMEM;
  nft_ctx_buffer_output(ctx);
  nft_ctx_buffer_error(ctx);
  /* One chain per interface, named by its index (the table is the node's own). */
  snprintf(cmd, sizeof cmd,
           "table netdev mcblab {\n"
           "  chain loss%u {\n"
           "    type filter hook ingress device \"%s\" priority 0; policy accept;\n"
           "    numgen random mod 1000000 < %u counter drop\n"
           "  }\n"
           "}\n",
           ifindex, ifname, ppm);
  rc = nft_run_cmd_from_buffer(ctx, cmd);
  if (rc != 0) snprintf(why, size, "%s", nft_ctx_get_error_buffer(ctx));
  nft_ctx_free(ctx);
  return rc != 0 ? UV_EINVAL : 0;
}

#else

int mcb__lab_set_loss(unsigned ifindex, const char *ifname, unsigned ppm, char *why, size_t size)
{
  (void)ifindex, (void)ifname, (void)ppm;
  snprintf(why, size, "mcbench was built without libnftables");
  return UV_ENOTSUP;
}

#endif

/* lab-capture.c - `lab capture`: one end of a lab link recorded as pcapng (see mcb.h).
 *
 * A packet socket made inside the node and bound to the interface (ETH_P_ALL, so both
 * directions), non-blocking, watched by a uv_poll_t on the loop. Each wakeup reads a
 * bounded batch, encodes it (pcapng.c) into one buffer and hands that to the caller's
 * write function, so the file grows by whole blocks. The caps are checked before each
 * packet: the file never holds more than asked, and always ends on a whole block. */
#include "lab.h"
#include "pcapng.h"

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define BATCH          64           /* packets per wakeup: a flood cannot starve the loop */
#define OUT_SIZE       (256u << 10) /* the batch's blocks, written in one call */
#define BLOCK_OVERHEAD 64           /* an EPB's header, padding, flags option and trailer */
#define ISB_SIZE       64           /* the statistics block at the end: kept free under the cap */

struct mcb_capture {
  uv_poll_t poll;
  int fd;
  bool stopped, halted;
  mcb_capture_opts opts;
  mcb_capture_stats st;
  uint8_t pkt[MCB_CAPTURE_SNAPLEN];
  uint8_t out[OUT_SIZE];
  size_t outlen;
};

int mcb_lab_link_end(mcb_lab *lab, const char *a, const char *b, char node[MCB_LAB_NAME_MAX],
                     char ifname[IF_NAMESIZE])
{
  int ia, ib;
  if (a == NULL) return mcb__lab_fail(lab, UV_EINVAL, "capture: no link named");
  ia = b != NULL ? mcb__lab_find(lab, a) : -1;
  ib = b != NULL ? mcb__lab_find(lab, b) : -1;
  for (size_t i = 0; i < lab->nlinks; i++)
    for (int e = 0; e < 2; e++) {
      const mcb__lab_end *end = &lab->links[i].end[e];
      bool hit = b == NULL ? strcmp(end->ifname, a) == 0
                           : ia >= 0 && end->node == ia && lab->links[i].end[!e].node == ib;
      if (!hit) continue;
      snprintf(node, MCB_LAB_NAME_MAX, "%s", lab->nodes[end->node].name);
      snprintf(ifname, IF_NAMESIZE, "%s", end->ifname);
      return 0;
    }
  if (b == NULL)
    return mcb__lab_fail(lab, UV_ENOENT,
                         "capture %s: no lab link has an interface of that name (lab show names "
                         "them; the default link's ends are mcb0 and mcb1)",
                         a);
  return mcb__lab_fail(lab, UV_ENOENT, "capture %s %s: %s", a, b,
                       ia < 0   ? "no such node"
                       : ib < 0 ? "no such other node"
                                : "they are not linked");
}

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Hands the batch to the caller; the first failure halts the capture. */
static int flush_out(mcb_capture *c)
{
  int rc = 0;
  if (c->outlen > 0 && c->st.error == 0 &&
      (rc = c->opts.write(c->out, c->outlen, c->opts.arg)) != 0)
    c->st.error = rc;
  c->outlen = 0;
  return c->st.error;
}

/* Adds an encoded block to the batch (flushing first when it is full). */
static int append(mcb_capture *c, size_t (*encode)(mcb_capture *, uint8_t *, size_t, void *),
                  void *arg)
{
  size_t n = encode(c, c->out + c->outlen, OUT_SIZE - c->outlen, arg);
  if (n == 0) {
    int rc = flush_out(c);
    if (rc != 0) return rc;
    if ((n = encode(c, c->out, OUT_SIZE, arg)) == 0) return UV_ENOBUFS;
  }
  c->outlen += n;
  c->st.bytes += n;
  return 0;
}

typedef struct packet {
  uint32_t caplen, origlen, flags;
  uint64_t ts;
} packet;

static size_t enc_epb(mcb_capture *c, uint8_t *buf, size_t size, void *arg)
{
  const packet *p = arg;
  return mcb__pcapng_epb(buf, size, 0, p->ts, c->pkt, p->caplen, p->origlen, p->flags);
}

static size_t enc_header(mcb_capture *c, uint8_t *buf, size_t size, void *arg)
{
  char appl[64];
  size_t n, m;
  (void)c;
  snprintf(appl, sizeof appl, "mcbench %s", mcb_version());
  n = mcb__pcapng_shb(buf, size, appl);
  m = n ? mcb__pcapng_idb(buf + n, size - n, MCB__LINKTYPE_ETHERNET, MCB_CAPTURE_SNAPLEN, arg) : 0;
  return n && m ? n + m : 0;
}

static size_t enc_isb(mcb_capture *c, uint8_t *buf, size_t size, void *arg)
{
  (void)arg;
  return mcb__pcapng_isb(buf, size, 0, now_ns(), c->st.packets, c->st.kernel_drops);
}

/* The kernel's receive time of the packet (SO_TIMESTAMPNS), or now. */
static uint64_t stamp(struct msghdr *m)
{
  for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h != NULL; h = CMSG_NXTHDR(m, h))
    if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SO_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(h), sizeof ts);
      return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    }
  return now_ns();
}

/* Reads one packet into c->pkt: 1, 0 when none is queued, or a negative code. */
static int read_one(mcb_capture *c, packet *p)
{
  struct sockaddr_ll from;
  char ctl[CMSG_SPACE(sizeof(struct timespec))];
  struct iovec iov = {c->pkt, sizeof c->pkt};
  struct msghdr m = {.msg_name = &from,
                     .msg_namelen = sizeof from,
                     .msg_iov = &iov,
                     .msg_iovlen = 1,
                     .msg_control = ctl,
                     .msg_controllen = sizeof ctl};
  ssize_t n;
  do n = recvmsg(c->fd, &m, MSG_TRUNC | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
  p->origlen = (uint32_t)n;
  p->caplen = (size_t)n > sizeof c->pkt ? (uint32_t)sizeof c->pkt : (uint32_t)n;
  p->flags = from.sll_pkttype == PACKET_OUTGOING ? MCB__PCAPNG_OUTBOUND : MCB__PCAPNG_INBOUND;
  p->ts = stamp(&m);
  return 1;
}

static void kernel_drops(mcb_capture *c)
{
  struct tpacket_stats ks;
  socklen_t len = sizeof ks;
  /* The kernel resets its counters at each read: add them up. */
  if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &ks, &len) == 0)
    c->st.kernel_drops += ks.tp_drops;
}

/* Reads up to `max` packets and writes them; 1 when the capture must halt (cap or
 * error), else 0. */
static int drain(mcb_capture *c, int max)
{
  packet p = {0};
  int rc = 0;
  for (int i = 0; i < max && rc == 0; i++) {
    if (c->st.packets >= c->opts.max_packets) {
      c->st.capped = true;
      break;
    }
    if ((rc = read_one(c, &p)) <= 0) break;
    if (c->st.bytes + p.caplen + BLOCK_OVERHEAD + ISB_SIZE > c->opts.max_bytes) {
      c->st.capped = true;
      break;
    }
    if ((rc = append(c, enc_epb, &p)) == 0) c->st.packets++;
  }
  if (rc < 0 && c->st.error == 0) c->st.error = rc;
  flush_out(c);
  return c->st.capped || c->st.error != 0;
}

static void on_readable(uv_poll_t *h, int status, int events)
{
  mcb_capture *c = h->data;
  (void)events;
  if (c->stopped || c->halted) return;
  if (status < 0 && c->st.error == 0) c->st.error = status;
  if (status < 0 || drain(c, BATCH)) {
    c->halted = true;
    uv_poll_stop(&c->poll);
    /* The owner may stop (and so free) the capture from here: touch nothing after. */
    if (c->opts.on_halt) c->opts.on_halt(c, c->st.error, c->opts.arg);
  }
}

/* The packet socket, made inside the node and bound there to the interface. */
static int open_socket(mcb_lab *lab, int node, const char *ifname, int *out)
{
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
  int fd = -1, on = 1, rcvbuf = 4 << 20, rc;
  if ((rc = mcb__lab_switch(lab, node)) != 0) goto out;
  /* Protocol 0 until bound: nothing from other interfaces is queued meanwhile. */
  if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
    rc = -errno;
    goto out;
  }
  /* A deep queue, so a busy loop loses nothing: beyond rmem_max when allowed (root). */
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  (void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0)
    rc = UV_ENODEV;
  else if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0)
    rc = -errno;
out:
  if (mcb__lab_switch(lab, -1) != 0 && rc == 0) rc = UV_EIO;
  if (rc != 0 && fd >= 0) close(fd);
  if (rc == 0) *out = fd;
  return rc;
}

static void on_closed(uv_handle_t *h)
{
  mcb_capture *c = h->data;
  close(c->fd);
  free(c);
}

int mcb_lab_capture(mcb_lab *lab, uv_loop_t *loop, const char *node, const char *ifname,
                    const mcb_capture_opts *opts, mcb_capture **out)
{
  int i, rc;
  mcb_capture *c;
  *out = NULL;
  if (node == NULL || ifname == NULL || loop == NULL || opts == NULL || opts->write == NULL)
    return mcb__lab_fail(lab, UV_EINVAL, "capture: a node, an interface and a write function");
  if ((i = mcb__lab_find(lab, node)) < 0)
    return mcb__lab_fail(lab, UV_ENOENT, "capture %s: no such node", node);
  if ((c = calloc(1, sizeof *c)) == NULL)
    return mcb__lab_fail(lab, UV_ENOMEM, "capture %s", ifname);
  c->opts = *opts;
  if (c->opts.max_packets == 0) c->opts.max_packets = MCB_CAPTURE_MAX_PACKETS;
  if (c->opts.max_bytes == 0) c->opts.max_bytes = MCB_CAPTURE_MAX_BYTES;
  if ((rc = open_socket(lab, i, ifname, &c->fd)) != 0) {
    free(c);
    return mcb__lab_fail(lab, rc, "capture %s in %s: packet socket", ifname, node);
  }
  if ((rc = append(c, enc_header, (void *)ifname)) == 0) rc = flush_out(c);
  if (rc == 0) rc = uv_poll_init(loop, &c->poll, c->fd);
  if (rc != 0) {
    close(c->fd);
    free(c);
    return mcb__lab_fail(lab, rc, "capture %s in %s", ifname, node);
  }
  c->poll.data = c;
  if ((rc = uv_poll_start(&c->poll, UV_READABLE, on_readable)) != 0) {
    c->stopped = true;
    uv_close((uv_handle_t *)&c->poll, on_closed); /* closes the socket, frees c */
    return mcb__lab_fail(lab, rc, "capture %s in %s", ifname, node);
  }
  *out = c;
  return 0;
}

void mcb_capture_stats_get(const mcb_capture *c, mcb_capture_stats *out)
{
  *out = c->st;
}

int mcb_capture_stop(mcb_capture *c, mcb_capture_stats *stats)
{
  if (!c->halted)
    drain(c, (int)(c->opts.max_packets < INT32_MAX ? c->opts.max_packets : INT32_MAX));
  c->stopped = true;
  kernel_drops(c);
  if (c->st.error == 0 && append(c, enc_isb, NULL) == 0) flush_out(c);
  if (stats != NULL) *stats = c->st;
  uv_close((uv_handle_t *)&c->poll, on_closed);
  return c->st.error;
}

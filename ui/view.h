/* view.h - the view-model: what the screen shows, independent of curses and of sockets.
 *
 * Every string in a view is already safe to display (escaped by the model); payload
 * bytes stay raw in ui_msg and are escaped by the pane that shows them.
 * Renderers read sockets, peers and messages through a ui_model, so the same panes can
 * draw a live session (model-session.c) or fixed data in tests (golden files). Views
 * are plain values filled on demand for what is visible; payload pointers stay valid
 * only during one render.
 */
#ifndef UI_VIEW_H
#define UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_ADDR_MAX 128
#define UI_NAME_MAX 32
#define UI_MAX_OPTS 40 /* at least SCN_MAX_OPTIONS */
#define UI_OPT_MAX  24

typedef struct ui_sock_view {
  char name[UI_NAME_MAX];
  char family[8];         /* udp4, udp6, unix */
  char state[20];         /* open, bound, bound (implicit), closing */
  char host[UI_NAME_MAX]; /* the lab host it lives in ("peer", "h2"), "" outside a lab */
  char local[UI_ADDR_MAX];
  char groups[256]; /* "239.1.1.1@mcb0, 232.1.1.1<10.99.0.1>, 239.1.1.2 except 10.0.1.2" or "" */
  size_t ngroups;
  bool ip;
  /* Each socket option, by its row in scn_option_at() (the option table), formatted as
   * `set` takes it ("64", "on", "mcb0"); "" where it does not apply. */
  char opts[UI_MAX_OPTS][UI_OPT_MAX];
  uint64_t rx_msgs, rx_bytes, tx_msgs, tx_bytes, rx_errors, tx_errors, evicted;
  char send_errors[96]; /* failed sends by code: "ENETUNREACH 3, EACCES 1", or "" */
  size_t peers;
  uint64_t kernel_drops; /* datagrams the kernel dropped: the receive buffer was full */
  /* its send streams: "#1 239.1.1.1:5000 running 1000 pps, achieved 998, sent 4990", or "" */
  char streams[320];
  /* The sockets pane's HOST column once a lab exists: `host`, or the default host's name
   * ("local") for a socket opened without `on`; "" outside a lab (no column). */
  char lab_host[UI_NAME_MAX];
} ui_sock_view;

#define UI_SPARK 30 /* seconds of per-second history in a peer's sparkline */

typedef struct ui_peer_view {
  uint64_t id;
  char src[UI_ADDR_MAX];
  char dst[UI_ADDR_MAX];
  uint64_t msgs, bytes;
  double rate_msgs, rate_bytes;
  int last_ttl;
  int64_t last_real_ns;
  uint64_t last_seen_ns; /* monotonic, for sorting by last seen */
  /* What the payloads tell (probes, iperf 2, mcjoin): valid when `sequenced`/`has_delay`. */
  char kind[8]; /* "plain", "probe", "iperf2", "mcjoin" */
  bool sequenced;
  uint64_t expected, lost, dups, reordered, invalid;
  double loss_pct;
  bool has_delay;
  double delay_ns, jitter_ns; /* mean one-way delay, RFC 3550 jitter */
  bool has_rtt;
  double rtt_ns;            /* mean round trip of our probes echoed back by this peer */
  uint32_t spark[UI_SPARK]; /* datagrams per second, oldest first; the last: this second */
  /* Filled by the peer area, not the model: the socket the peer belongs to. */
  size_t sock;
  char sock_name[UI_NAME_MAX]; /* "" unless the area shows several sockets' peers */
} ui_peer_view;

typedef struct ui_msg {
  uint64_t seq;
  int64_t real_ns;
  size_t wire_len; /* bytes on the wire */
  size_t len;      /* bytes available in data */
  bool truncated;
  int ttl;
  const uint8_t *data;
  char ifname[24]; /* the arrival interface ("mcb0"), safe to show; "" when unknown */
} ui_msg;

/* An interface of the host (or namespace) and the groups joined on it, from the kernel. */
typedef struct ui_iface_view {
  unsigned index;
  char name[24];
  char flags[48];   /* "UP,MULTICAST,LOOPBACK" */
  char addrs[256];  /* "10.99.0.1, fd00:99::1" */
  char groups[512]; /* "239.1.1.1, 224.0.0.1, ff02::1" */
} ui_iface_view;

/* The virtual lab as the topology pane draws it: what `lab show` reads (nodes, links,
 * the groups each node joined) plus each link's packet counters, every string escaped.
 * Counters are read inside the nodes by the core (mcb_lab_link_counters), never from a
 * socket callback: the front end asks for a snapshot at most once a second. */
#define UI_TOPO_NODES 32 /* MCB_LAB_MAX_NODES */
#define UI_TOPO_LINKS 64 /* MCB_LAB_MAX_LINKS */

typedef enum ui_node_kind { UI_NODE_HOST, UI_NODE_ROUTER, UI_NODE_SWITCH } ui_node_kind;

typedef struct ui_topo_node {
  char name[UI_NAME_MAX];
  ui_node_kind kind;
  bool home;        /* the default host: sockets opened without `on` live here */
  char note[48];    /* "querier on", "mcbench forwards", or "" */
  char groups[256]; /* "239.1.1.1@h2-r2, ff05::1@h2-r2": joined, or a switch's group table */
  size_t ngroups;
  char sockets[96]; /* mcbench's sockets that live on this node: "far, near", or "" */
} ui_topo_node;

typedef struct ui_topo_link {
  size_t a, b; /* node indexes */
  char ifname_a[24], ifname_b[24];
  char opts[48];           /* "ttl-threshold 6, loss 5%", or "" */
  bool counted;            /* the counters below could be read */
  uint64_t a_to_b, b_to_a; /* packets sent into the link by a's end, by b's end */
} ui_topo_link;

typedef struct ui_topo_view {
  bool lab; /* false: no lab (the pane says how to make one) */
  size_t nnodes, nlinks;
  ui_topo_node nodes[UI_TOPO_NODES];
  ui_topo_link links[UI_TOPO_LINKS];
} ui_topo_view;

typedef struct ui_model {
  void *arg;
  size_t (*socket_count)(void *arg);
  bool (*socket)(void *arg, size_t i, ui_sock_view *out);
  /* Peers of socket i (unsorted); returns how many were written. */
  size_t (*peers)(void *arg, size_t i, ui_peer_view *out, size_t max);
  /* Messages of a peer, newest first, with seq <= max_seq; returns how many. */
  size_t (*messages)(void *arg, size_t i, uint64_t peer_id, uint64_t max_seq, ui_msg *out,
                     size_t max);
  /* The interfaces of the host socket `sock` lives in (its lab host, else mcbench's own),
   * read when the ifaces view shows (NULL: none to show); host gets the lab host's name
   * or "". */
  size_t (*ifaces)(void *arg, const char *sock, char *host, size_t hostsize, ui_iface_view *out,
                   size_t max);
  /* The lab's nodes, links, groups and counters, read now (the caller throttles it);
   * out->lab false when there is none. NULL: the model has no lab. */
  void (*topology)(void *arg, ui_topo_view *out);
} ui_model;

#endif

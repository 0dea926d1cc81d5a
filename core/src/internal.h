/* internal.h - structures shared by the core's source files; not installed.
 *
 * Public functions (mcb_*) validate their arguments and record errors; the internal
 * helpers (mcb__*) do the work and trust their input.
 */
#ifndef MCB_INTERNAL_H
#define MCB_INTERNAL_H

#include "mcb.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/types.h>

/* Intrusive doubly linked list. */
typedef struct mcb__link {
  struct mcb__link *prev, *next;
} mcb__link;

static inline void mcb__list_init(mcb__link *head)
{
  head->prev = head->next = head;
}
static inline bool mcb__list_empty(const mcb__link *head)
{
  return head->next == head;
}
static inline void mcb__list_insert_head(mcb__link *head, mcb__link *l)
{
  l->next = head->next;
  l->prev = head;
  head->next->prev = l;
  head->next = l;
}
static inline void mcb__list_insert_tail(mcb__link *head, mcb__link *l)
{
  l->prev = head->prev;
  l->next = head;
  head->prev->next = l;
  head->prev = l;
}
static inline void mcb__list_remove(mcb__link *l)
{
  l->prev->next = l->next;
  l->next->prev = l->prev;
  l->prev = l->next = l;
}
#define MCB__STR_(x)                     #x
#define MCB__STR(x)                      MCB__STR_(x)
#define MCB__CONTAINER(ptr, type, field) ((type *)((char *)(ptr)-offsetof(type, field)))

/* ---- peers.c ---- */

typedef struct mcb__peer_table {
  mcb_peer **buckets;
  size_t nbuckets; /* power of two */
  size_t count;
  mcb__link lru; /* most recently seen first */
} mcb__peer_table;

/* ---- send.c ---- */

typedef struct mcb__send_req mcb__send_req;

struct mcb_socket {
  mcb__link link; /* in bench->sockets */
  mcb_bench *bench;
  void *data;
  mcb_family family;
  unsigned flags;
  mcb_state state;
  int fd;
  uv_poll_t poll;
  int poll_events;
  unsigned refs; /* poll handle + pending name lookups; MCB_EV_CLOSE at zero */
  bool bound;
  bool unlink_on_close;
  dev_t path_dev;
  ino_t path_ino;
  mcb_addr local;
  /* Option values by row of mcb_options(), read at open and after each change. */
  mcb_optval opts[MCB_MAX_OPTIONS];
  bool broadcast; /* the broadcast row's value, for send.c's messages */
  mcb_membership *groups;
  size_t ngroups, groups_cap;
  size_t groups_waiting; /* memberships still waiting for their first datagram */
  mcb__link sendq;       /* resolved, waiting for the socket to be writable */
  size_t sendq_bytes;    /* payload bytes queued or resolving */
  mcb__link resolving;   /* waiting for uv_getaddrinfo */
  mcb_counters counters;
  mcb__peer_table peers;
  uint64_t kdrops_base;   /* SK_MEMINFO_DROPS at the last reset */
  uv_timer_t kdrops_tick; /* reads the drop counter when no datagram comes (recv.c) */
};

struct mcb_bench {
  uv_loop_t *loop;
  mcb_limits limits;
  mcb__link sockets;
  size_t nsockets_open;
  size_t nsockets_closing;
  struct {
    mcb_observer_cb cb;
    void *arg;
  } observers[MCB_MAX_OBSERVERS];
  size_t nobservers;
  uint64_t next_peer_id;
  uint64_t hash_key[2];
  void (*close_done)(mcb_bench *, void *);
  void *close_arg;
  bool closing;
  /* One receive batch shared by all sockets: the loop reads one socket at a time. */
  struct mcb__rxbatch *rx;
  int last_code;
  char last_error[MCB_MSG_MAX];
};

/* error.c: records "what: why (ENAME)" as the bench's last error and returns code.
 * `why` NULL means mcb_strerror(code). */
int mcb__fail(mcb_bench *b, int code, const char *why, const char *what_fmt, ...)
    __attribute__((format(printf, 4, 5)));
void mcb__render(char *buf, size_t size, int code, const char *why, const char *what);

/* membership.c: a datagram to a multicast destination arrived; stamps the first arrival
 * of the memberships it answers. Only called while groups_waiting > 0. */
void mcb__membership_arrival(mcb_socket *s, const mcb_message *m);

/* bench.c */
void mcb__emit(mcb_bench *b, const mcb_event *ev);
void mcb__socket_released(mcb_socket *s); /* a closed socket left the bench's count */

/* socket.c */
bool mcb__usable(mcb_socket *s, const char *what); /* false (error recorded) if closed */
int mcb__sock_domain(mcb_family f);
void mcb__update_poll(mcb_socket *s);
/* An int socket option's value, or fallback when it cannot be read. */
int mcb__getint(int fd, int level, int name, int fallback);
void mcb__unref(mcb_socket *s);
void mcb__emit_simple(mcb_socket *s, mcb_event_type type);
/* After a send from an unbound udp socket: cache the port the kernel gave it. */
void mcb__learn_local(mcb_socket *s);

/* recv.c */
int mcb__rx_new(mcb_bench *b);
void mcb__rx_free(mcb_bench *b);
int mcb__rx_enable(mcb_socket *s); /* ask the kernel for the control messages */
void mcb__on_readable(mcb_socket *s);

/* send.c */
void mcb__on_writable(mcb_socket *s);
void mcb__send_cancel_lookups(mcb_socket *s); /* at close */
void mcb__send_cancel_queued(mcb_socket *s);  /* once the poll handle is closed */
/* Makes an address usable on this socket: IPv4 on dual-stack udp6 becomes IPv4-mapped. */
int mcb__fit_family(const mcb_socket *s, mcb_addr *a);

/* peers.c */
int mcb__peers_init(mcb__peer_table *t, const mcb_limits *l);
void mcb__peers_free(mcb__peer_table *t);
void mcb__peers_clear(mcb__peer_table *t);
const mcb_peer *mcb__peers_record(mcb_socket *s, const mcb_message *m);

/* recv.c: the kernel's drop counter of the socket's receive queue (SO_MEMINFO), kept in
 * counters.rx_kernel_drops: read after each wakeup's read batches, every
 * MCB__KDROPS_TICK_MS by the socket's timer (MCB_EV_CHANGED when it rose), at reset and
 * at close. mcb__kdrops_raw() is the kernel's figure now (last_raw once closed). */
#define MCB__KDROPS_TICK_MS 1000
uint64_t mcb__kdrops_raw(const mcb_socket *s, uint64_t last_raw);
bool mcb__kdrops_refresh(mcb_socket *s); /* true when the count changed */
int mcb__kdrops_start(mcb_socket *s);    /* at open: the timer (one more ref) */
void mcb__kdrops_stop(mcb_socket *s);    /* at close: a last read, the timer closed */

/* analysis.c: per-peer traffic analysis (mcb.h "Per-peer analysis"). A peer owns one
 * lazily allocated mcb__analysis; reset keeps the memory for a recycled peer slot. */
typedef struct mcb__analysis mcb__analysis;
/* False when mcb_payload_detect could not find a sequence number in the payload: iperf 2
 * needs 18 bytes with a non-zero id and seconds; a shorter probe or mcjoin text still goes
 * on (to be counted invalid). Zeros and short payloads fail here in a few instructions,
 * inline on the hot path. */
static inline bool mcb__maybe_structured(const uint8_t *p, size_t len)
{
  uint32_t w0, w1;
  if (len < 18) return len >= 4 && (p[0] == 0x8d || p[0] == 'S'); /* malformed: invalid */
  memcpy(&w0, p, 4);
  memcpy(&w1, p + 4, 4);
  return w0 != 0 && w1 != 0; /* a probe's or mcjoin's first 8 bytes are never 0 either */
}
/* Accounts one datagram that passed mcb__maybe_structured: detects its payload and, when
 * it carries a sequence number or a send time, allocates *an (once) and updates it. */
void mcb__analysis_add(mcb__analysis **an, const mcb_message *m);
void mcb__analysis_plain(mcb__analysis *an); /* one that did not */
void mcb__analysis_reset(mcb__analysis *an);
void mcb__analysis_free(mcb__analysis *an);
void mcb__analysis_get(const mcb__analysis *an, uint64_t now_ns, mcb_peer_analysis *out);
size_t mcb__analysis_streams(const mcb__analysis *an);
const mcb_stream_stats *mcb__analysis_stream(const mcb__analysis *an, size_t index);
const mcb_delaystats *mcb__analysis_delay(const mcb__analysis *an);

/* siphash.c */
uint64_t mcb__siphash(const uint64_t key[2], const void *data, size_t len);

/* iface.c: resolves "eth0", "3", a local address or default (NULL, "", "default",
 * "0.0.0.0", "::": index 0) to an index. UV_ENODEV: no such interface; UV_EADDRNOTAVAIL:
 * no interface has that address; UV_EINVAL: an IPv4 address for IPv6 (or the reverse). */
int mcb__iface_index(const char *iface, mcb_family family, unsigned *out);
/* The reason to show with one of those codes. */
const char *mcb__iface_why(int code, mcb_family family);

/* options.c */
const mcb_sockopt *mcb__opt_kernel(const mcb_option *o, mcb_family f); /* NULL: none */
int mcb__opt_kernel_set(mcb_socket *s, const mcb_option *o, int value);
void mcb__opt_read_all(mcb_socket *s); /* at open */
void mcb__opt_info(const mcb_socket *s, mcb_socket_info *out);

/* addr.c */
/* Equal when mcb__addr_key() would be: the identifying fields compared in place, since
 * the receive path asks this for every datagram. */
static inline bool mcb__addr_same(const mcb_addr *a, const mcb_addr *b)
{
  if (a->u.sa.sa_family != b->u.sa.sa_family) return false;
  if (a->u.sa.sa_family == AF_INET)
    return a->u.in4.sin_port == b->u.in4.sin_port &&
           a->u.in4.sin_addr.s_addr == b->u.in4.sin_addr.s_addr;
  if (a->u.sa.sa_family == AF_INET6)
    return a->u.in6.sin6_port == b->u.in6.sin6_port &&
           a->u.in6.sin6_scope_id == b->u.in6.sin6_scope_id &&
           memcmp(&a->u.in6.sin6_addr, &b->u.in6.sin6_addr, sizeof a->u.in6.sin6_addr) == 0;
  return mcb_addr_equal(a, b);
}
int mcb__addr_unix(const char *path, mcb_addr *out); /* "@name" is abstract */
socklen_t mcb__addr_len(const struct sockaddr *sa);
/* Bytes of an address that identify it (family, port, address, scope or path). */
size_t mcb__addr_key(const mcb_addr *a, uint8_t *buf, size_t size);

#endif /* MCB_INTERNAL_H */

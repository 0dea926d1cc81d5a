/* mcb.h - the mcbench datagram core: the one public header of libmcbcore.
 *
 * A bench owns datagram sockets (udp4, udp6, unix) on one libuv loop. It mirrors the
 * Node.js dgram API (open/bind/send/close/address, TTL, loopback, membership) and adds
 * what a test bench needs: per-datagram destination, TTL and timestamp, source-specific
 * joins, readable option state and bounded per-peer statistics.
 *
 * Conventions (as in libuv): every call returns 0 or a negative error code (libuv's
 * UV_E* codes, i.e. negative errno, plus UV_EAI_* for name resolution). After a failed
 * call, mcb_last_error() renders what failed, on what and why. Events reach observers
 * registered on the bench; event data is valid only during the callback. Observers and
 * completion callbacks may call any mcb function, including closing the socket.
 */
#ifndef MCB_H
#define MCB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <uv.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; mcb_version() is the library's. While the major version
 * is 0, the library's SONAME changes with every minor version. */
#define MCB_VERSION_MAJOR 0
#define MCB_VERSION_MINOR 1
#define MCB_VERSION_PATCH 0

const char *mcb_version(void);

/* ---- Errors --------------------------------------------------------------------- */

/* Short name of a code ("ENODEV") and its description ("no such device"). */
const char *mcb_err_name(int code);
const char *mcb_strerror(int code);

/* ---- Addresses ------------------------------------------------------------------ */

typedef enum mcb_family { MCB_UDP4 = 1, MCB_UDP6 = 2, MCB_UNIX = 3 } mcb_family;

/* "udp4", "udp6", "unix". */
const char *mcb_family_name(mcb_family family);
/* Accepts udp4, udp6, unix and unix_dgram (the Node v0.4 name). */
int mcb_family_parse(const char *text, mcb_family *out);

/* A socket address of any family: IPv4, IPv6 (with scope id) or a unix path. */
typedef struct mcb_addr {
  union {
    struct sockaddr sa;
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
    struct sockaddr_un un;
    struct sockaddr_storage ss;
  } u;
  socklen_t len;
} mcb_addr;

/* Big enough for any formatted address: "[v6%ifname]:port", or a unix name with every
 * byte escaped as \xNN (mcb_addr_format never lets a control byte through). */
#define MCB_ADDRSTRLEN 448

/* Parses an endpoint without any name lookup: "1.2.3.4:5000", "[ff02::1%mcb0]:5000",
 * "[::]:5000", ":5000" (wildcard of `family`), or a unix path (must contain a '/').
 * `family` selects the wildcard for ":PORT" and may be 0 when none is allowed. */
int mcb_addr_parse(const char *text, mcb_family family, mcb_addr *out);
/* The one HOST:PORT splitter of mcbench (core, sender and language share it). Splits
 * "239.1.1.1:5000", "[ff02::1%mcb0]:5000", "[::]:0", ":5000" or "name.example:5000"
 * without any lookup: `host` gets HOST without brackets ("" for ":PORT"), `port` 0..65535
 * (callers that need a destination reject 0). On UV_EINVAL, *why (may be NULL) says what
 * is wrong, in words a user can act on. */
typedef struct mcb_hostport {
  char host[MCB_ADDRSTRLEN];
  int port;
  bool bracketed; /* written as [IPV6]:PORT */
} mcb_hostport;
int mcb_addr_split(const char *text, mcb_hostport *out, const char **why);
/* True for a syntactically valid host name (letters, digits, '-', '.', '_'; 1..253). */
bool mcb_addr_is_hostname(const char *text);
/* Parses a numeric host without port: "239.1.1.1", "ff02::1", "fe80::1%mcb0". */
int mcb_addr_parse_host(const char *text, mcb_addr *out);
/* "239.1.1.1:5000", "[ff02::1%mcb0]:5000", "/tmp/s.sock", "(unnamed)". Returns buf.
 * Unix names are escaped to printable ASCII: an abstract name as "@name" with its
 * embedded NULs as \0, other control and non-ASCII bytes as \xNN, a backslash as \\,
 * and a path that starts with '@' as "./@...": two names never look the same. */
const char *mcb_addr_format(const mcb_addr *addr, char *buf, size_t size);
/* As mcb_addr_format without the port: "239.1.1.1", "ff02::1%mcb0". */
const char *mcb_addr_format_host(const mcb_addr *addr, char *buf, size_t size);
int mcb_addr_port(const mcb_addr *addr);
bool mcb_addr_is_multicast(const mcb_addr *addr);
bool mcb_addr_equal(const mcb_addr *a, const mcb_addr *b);
/* The family a socket needs to use this address (MCB_UDP4 for IPv4, ...), or 0. */
mcb_family mcb_addr_family(const mcb_addr *addr);

/* Interface name of an index, or the decimal index when the name is unknown. */
const char *mcb_ifname(unsigned ifindex, char buf[IF_NAMESIZE + 8]);

/* ---- Bench ---------------------------------------------------------------------- */

typedef struct mcb_bench mcb_bench;
typedef struct mcb_socket mcb_socket;
typedef struct mcb_peer mcb_peer;

/* Bounds that keep memory fixed whatever the traffic. */
typedef struct mcb_limits {
  size_t max_sockets;      /* open sockets per bench */
  size_t max_peers;        /* per socket; the least recently seen peer is evicted */
  size_t history;          /* latest datagrams kept per peer */
  size_t payload_cap;      /* bytes of payload kept per history entry */
  unsigned rx_batch;       /* datagrams read per wakeup (recvmmsg vector length) */
  size_t send_queue_bytes; /* payload bytes waiting to be sent, per socket */
  uint64_t rate_window_ns; /* sliding window of the rate estimate */
  size_t max_groups;       /* memberships per socket (0: MCB_MAX_GROUPS); the kernel has its
                              own limit too (net.ipv4.igmp_max_memberships) */
} mcb_limits;

void mcb_limits_default(mcb_limits *limits);

/* Creates a bench on `loop`. `limits` may be NULL for the defaults. */
int mcb_bench_new(uv_loop_t *loop, const mcb_limits *limits, mcb_bench **out);
uv_loop_t *mcb_bench_loop(const mcb_bench *bench);

/* Closes every socket; `done` runs once all have closed (immediately, before this call
 * returns, when none was open). The bench and all its sockets are freed after `done`
 * returns. Observers hear nothing of the teardown; pending sends still complete with
 * UV_ECANCELED through their own callbacks. */
void mcb_bench_close(mcb_bench *bench, void (*done)(mcb_bench *bench, void *arg), void *arg);

/* The message for the last failed call on this bench, for example
 * "join 239.1.1.1 on eth9: no such device (ENODEV)". Every call on a bench or one of its
 * sockets that returns an error records it; calls that take neither (mcb_addr_parse,
 * mcb_bench_new, mcb_family_parse) only return their code. */
const char *mcb_last_error(const mcb_bench *bench);
int mcb_last_error_code(const mcb_bench *bench);

/* Room for one message (an error, a note) with its context: what failed, on what, why.
 * Every error-text buffer in mcbench has this size. mcb_msgf() formats like snprintf;
 * text that does not fit is cut and ends with "...", never cut silently (nor inside a
 * UTF-8 sequence). It returns true when it had to cut. */
#define MCB_MSG_MAX 1024
bool mcb_msgf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool mcb_vmsgf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* ---- Events --------------------------------------------------------------------- */

typedef enum mcb_event_type {
  MCB_EV_LISTENING, /* bind succeeded */
  MCB_EV_MESSAGE,   /* a datagram arrived: ev->msg */
  MCB_EV_SENT,      /* a send completed, successfully or not: ev->sent */
  MCB_EV_ERROR,     /* an asynchronous receive error: ev->error, ev->message */
  MCB_EV_CLOSE,     /* the socket is closed; no event follows for it */
  MCB_EV_CHANGED,   /* an option, membership or binding changed (state for a front end) */
  MCB_EV_SENT_BATCH /* mcb_send_now() handed datagrams to the kernel: ev->sent sums them */
} mcb_event_type;

typedef struct mcb_message {
  const mcb_addr *src;  /* sender */
  const mcb_addr *dst;  /* the address it was sent to (group or unicast), our port */
  unsigned ifindex;     /* receiving interface, 0 when unknown (unix) */
  int ttl;              /* IPv4 TTL or IPv6 hop limit on arrival, -1 when unknown */
  int64_t realtime_ns;  /* kernel receive timestamp, CLOCK_REALTIME */
  uint64_t mono_ns;     /* uv_hrtime() when read: the clock of statistics */
  const uint8_t *data;  /* payload (possibly truncated); may be NULL when len == 0 */
  size_t len;           /* bytes in data */
  size_t wire_len;      /* bytes the datagram carried */
  bool truncated;       /* wire_len > len */
  const mcb_peer *peer; /* its peer entry (already updated) */
  bool has_cred;        /* unix: the sender's credentials (SO_PASSCRED) are known */
  int pid, uid, gid;    /* unix: the sending process, as the kernel vouches for it */
} mcb_message;

typedef struct mcb_send_result {
  int status;            /* 0 or negative code */
  size_t bytes;          /* bytes handed to the kernel */
  const mcb_addr *dest;  /* resolved destination, NULL when resolution failed */
  const char *dest_text; /* destination as given */
  const char *message;   /* rendered error, "" on success */
} mcb_send_result;

typedef struct mcb_event {
  mcb_event_type type;
  mcb_socket *sock;
  const mcb_message *msg;      /* MCB_EV_MESSAGE */
  const mcb_send_result *sent; /* MCB_EV_SENT */
  int error;                   /* MCB_EV_ERROR */
  const char *message;         /* MCB_EV_ERROR: rendered text */
} mcb_event;

typedef void (*mcb_observer_cb)(const mcb_event *ev, void *arg);

#define MCB_MAX_OBSERVERS 8
/* Observers see the events of every socket of the bench, in registration order. */
int mcb_observe(mcb_bench *bench, mcb_observer_cb cb, void *arg);
int mcb_unobserve(mcb_bench *bench, mcb_observer_cb cb, void *arg);

/* ---- Sockets -------------------------------------------------------------------- */

enum mcb_open_flags {
  MCB_REUSE = 1 << 0,  /* SO_REUSEADDR + SO_REUSEPORT: share a port between sockets */
  MCB_V6ONLY = 1 << 1, /* udp6: IPV6_V6ONLY, no IPv4-mapped traffic */
};

typedef enum mcb_state {
  MCB_STATE_OPEN,    /* has a descriptor, not bound (may still send) */
  MCB_STATE_BOUND,   /* bound to an address or path */
  MCB_STATE_CLOSING, /* mcb_close() called, the close event is pending */
  MCB_STATE_CLOSED
} mcb_state;

const char *mcb_state_name(mcb_state state);

/* Creates the OS socket at once, so options can be set before bind (as Node v0.4 did).
 * The socket receives from the start: a udp socket that sends without bind is bound by
 * the kernel and hears replies. */
int mcb_open(mcb_bench *bench, mcb_family family, unsigned flags, mcb_socket **out);

/* Closes the descriptor now; MCB_EV_CLOSE follows once pending sends have completed
 * with UV_ECANCELED. The handle stays readable (state, counters, peers) until
 * mcb_socket_free() or mcb_bench_close(); any other call on it fails with UV_EBADF. */
int mcb_close(mcb_socket *sock);
/* Frees a closed socket. UV_EBUSY while it is not closed yet. */
int mcb_socket_free(mcb_socket *sock);

/* The socket's descriptor, as uv_fileno(): for what the core does not wrap (a benchmark's
 * SO_RCVBUFFORCE, a diagnostic getsockopt). Reading or closing it behind the core's back
 * breaks the socket. UV_EBADF once closed. */
int mcb_fileno(const mcb_socket *sock, int *fd);

void mcb_socket_set_data(mcb_socket *sock, void *data);
void *mcb_socket_data(const mcb_socket *sock);
mcb_bench *mcb_socket_bench(const mcb_socket *sock);
mcb_family mcb_socket_family(const mcb_socket *sock);

/* Bind to a numeric address (NULL: the wildcard) and port (0: any free port). */
int mcb_bind(mcb_socket *sock, const char *host, int port);
/* Bind a unix socket to a path. A stale socket file is replaced, any other file is not;
 * the path is unlinked on close. */
int mcb_bind_path(mcb_socket *sock, const char *path);
int mcb_bind_addr(mcb_socket *sock, const mcb_addr *addr);

/* The local address: udp address and port (the kernel's port after an implicit bind),
 * or the unix path. */
int mcb_address(const mcb_socket *sock, mcb_addr *out);

/* ---- Sending -------------------------------------------------------------------- */

typedef void (*mcb_send_cb)(mcb_socket *sock, const mcb_send_result *result, void *arg);

/* Sends a copy of buf to `dest`: "239.1.1.1:5000", "[ff02::1%mcb0]:5000",
 * "host.name:5000" (resolved with uv_getaddrinfo, never blocking the loop) or a unix
 * path. Returns 0 when accepted; `cb` (may be NULL) then runs exactly once, later, with
 * the byte count or the error (UV_EACCES, UV_EAI_NONAME, UV_ECANCELED on close...).
 * An error returned here means nothing was queued and `cb` will not run. */
int mcb_send(mcb_socket *sock, const void *buf, size_t len, const char *dest, mcb_send_cb cb,
             void *arg);
int mcb_send_addr(mcb_socket *sock, const void *buf, size_t len, const mcb_addr *dest,
                  mcb_send_cb cb, void *arg);

/* The fast path for streams: datagrams described by gather buffers (a per-datagram
 * header and a shared body, say) and already resolved destinations, handed to the kernel
 * at once with sendmmsg, without copy, queue or callback. */
typedef struct mcb_dgram {
  const struct iovec *iov; /* MCB_DGRAM_MAX_IOV at most */
  size_t iovcnt;
  const mcb_addr *dest; /* as mcb_send_dest() returns it */
} mcb_dgram;
#define MCB_DGRAM_MAX_IOV 4
#define MCB_SEND_BATCH    64 /* datagrams per sendmmsg call */

/* Sends v[0..n) in order, in sendmmsg calls of MCB_SEND_BATCH. Returns how many the
 * kernel took (1..n), or, when the first one was not taken, a negative code: UV_EAGAIN
 * when the socket's buffer is full or mcb_send() datagrams still wait in its queue (so
 * order is kept), UV_ENOBUFS when the device's queue is full (both: backpressure, try
 * again later), otherwise that datagram's own error (nothing later was tried: the caller
 * skips it or gives up). Counts tx_msgs/tx_bytes (tx_errors for the other errors); emits one
 * MCB_EV_SENT_BATCH per call that sent something (bytes: their sum), never MCB_EV_SENT. UV_EBADF
 * when the socket is closed. */
int mcb_send_now(mcb_socket *sock, const mcb_dgram *v, size_t n);
/* Resolves a numeric destination ("239.1.1.1:5000", "[ff02::1%mcb0]:5000") or a unix
 * path, without any lookup, into an address this socket can send to (IPv4 becomes
 * IPv4-mapped on a dual-stack udp6 socket). UV_EINVAL for a host name or bad syntax,
 * UV_EAFNOSUPPORT when the family does not fit the socket. */
int mcb_send_dest(const mcb_socket *sock, const char *dest, mcb_addr *out);
/* The same for an address already parsed (a range's member). */
int mcb_send_fit(const mcb_socket *sock, const mcb_addr *in, mcb_addr *out);

/* ---- Options -------------------------------------------------------------------- */

/* Socket options are rows of one table (core/src/options-table.c): each row names the
 * option as the scenario language spells it, the families it applies to, the kernel's
 * level/optname per family, its value type and range, and how it is shown. Setters,
 * getters, mcb_socket_info, the `set` command, help, completion, reports and the TUI
 * all read the table, so a new option is one row.
 *
 * Out-of-range values fail with UV_EINVAL and change nothing. An option that does not
 * apply to a socket's family fails with UV_ENOTSUP ("not an IP socket" for unix). */

typedef enum mcb_opt_type {
  MCB_OPT_BOOL, /* on, off or toggle */
  MCB_OPT_INT,  /* a whole number in min..max, decimal or 0x hex */
  MCB_OPT_IFACE /* an interface: name, index, local address, or default (0.0.0.0, ::) */
} mcb_opt_type;

enum mcb_opt_flags {
  MCB_OPT_READONLY = 1 << 0, /* shown, never set */
  MCB_OPT_HEX = 1 << 1,      /* shown as 0x%02x */
  MCB_OPT_CACHED = 1 << 2,   /* the kernel cannot report it: the last value set is shown */
};

/* The families a row applies to. */
#define MCB_FAM(f)  (1u << (f))
#define MCB_FAM_IP  (MCB_FAM(MCB_UDP4) | MCB_FAM(MCB_UDP6))
#define MCB_FAM_ALL (MCB_FAM_IP | MCB_FAM(MCB_UNIX))

/* A kernel option: level and name for setsockopt(); name 0 means none. */
typedef struct mcb_sockopt {
  int level, name;
} mcb_sockopt;

/* An option's value. `valid` is false when the option does not apply to the socket. */
typedef struct mcb_optval {
  bool valid;
  int num; /* BOOL: 0 or 1; INT: the value; IFACE: the interface index (0: default) */
} mcb_optval;

typedef struct mcb_option mcb_option;
struct mcb_option {
  const char *name;   /* as the language spells it: "mcast-ttl" */
  const char *key;    /* in reports (JSON): "mcast_ttl" */
  const char *noun;   /* in errors: "multicast TTL must be 0..255" */
  unsigned families;  /* MCB_FAM(...) bits */
  mcb_opt_type type;  /* how values are written and shown */
  unsigned flags;     /* mcb_opt_flags */
  int min, max;       /* MCB_OPT_INT: the accepted range */
  const char *unit;   /* after the range in errors and help ("bytes"), or NULL */
  mcb_sockopt any;    /* a socket-level option, the same on every family, or: */
  mcb_sockopt udp4;   /* the kernel option on udp4 sockets */
  mcb_sockopt udp6;   /* ... on udp6 sockets */
  mcb_sockopt dual;   /* the IPv4 companion also set on dual-stack udp6 sockets */
  int fallback;       /* shown when the kernel's value cannot be read */
  const char *column; /* header of its column in the sockets table; NULL: the detail line */
  int width;          /* of that column; negative aligns left */
  const char *help;   /* one sentence for `help set` */
  /* Rows whose effect is not one setsockopt bring their own; NULL: the kernel options
   * above. `set` returns 0 or a negative code and records no error (the caller does);
   * `get` reads the current value. Rows outside the core's table (an application's own
   * options, such as the scenario session's `echo`) must provide both. */
  int (*set)(mcb_socket *sock, const mcb_option *opt, const mcb_optval *value);
  int (*get)(const mcb_socket *sock, const mcb_option *opt, mcb_optval *out);
};

#define MCB_MAX_OPTIONS 32

/* The core's table, NULL-terminated, in the order help and screens list it. */
const mcb_option *const *mcb_options(void);
size_t mcb_option_count(void);
/* Position of a row in mcb_options() (the index of mcb_socket_info.options), or -1. */
int mcb_option_index(const mcb_option *opt);
/* The row named `name` ("mcast-ttl"), or NULL. */
const mcb_option *mcb_option_find(const char *name);
bool mcb_option_applies(const mcb_option *opt, mcb_family family);

/* Checks a value's text against a row without a socket (for a parser): on|off|toggle, a
 * number (range not checked), an interface. UV_EINVAL with the reason in `why`. */
int mcb_option_check_text(const mcb_option *opt, const char *text, const char **why);
/* Sets an option from its text: "on", "toggle", "64", "0x10", "mcb0", "default". */
int mcb_option_set(mcb_socket *sock, const mcb_option *opt, const char *value);
int mcb_option_set_value(mcb_socket *sock, const mcb_option *opt, const mcb_optval *value);
/* The option's current value (no system call for the core's rows: the value is cached
 * at open and after each change). UV_ENOTSUP when it does not apply (out->valid false). */
int mcb_option_get(const mcb_socket *sock, const mcb_option *opt, mcb_optval *out);
/* "on", "64", "0x10", "mcb0", "default", or "-" when not valid. Returns buf. */
const char *mcb_option_format(const mcb_option *opt, const mcb_optval *value, char *buf,
                              size_t size);
/* What the value may be, for help: "on|off|toggle", "1..255", "0..255 (0x hex)". */
const char *mcb_option_syntax(const mcb_option *opt, char *buf, size_t size);

/* The seed's setters: thin wrappers over the table. */
int mcb_set_broadcast(mcb_socket *sock, bool on);
int mcb_set_ttl(mcb_socket *sock, int ttl);           /* 1..255 */
int mcb_set_multicast_ttl(mcb_socket *sock, int ttl); /* 0..255 */
int mcb_set_multicast_loopback(mcb_socket *sock, bool on);
/* Interface name, address of a local interface or index; NULL, "", "default",
 * "0.0.0.0" or "::" restore the default. An address that no interface holds fails with
 * UV_EADDRNOTAVAIL. */
int mcb_set_multicast_interface(mcb_socket *sock, const char *iface);
int mcb_set_rcvbuf(mcb_socket *sock, int bytes); /* 1..(1 << 30); the kernel may double it */

typedef struct mcb_counters {
  uint64_t rx_msgs, rx_bytes, rx_truncated, rx_errors;
  uint64_t tx_msgs, tx_bytes, tx_errors;
  uint64_t peers_evicted;
  /* Datagrams the kernel dropped because the receive buffer was full (SO_MEMINFO's
   * SK_MEMINFO_DROPS since the socket opened or was reset), read after each wakeup's read
   * batches and every second (MCB_EV_CHANGED when it rose), so within 1 s of a drop. */
  uint64_t rx_kernel_drops;
} mcb_counters;

/* Everything a front end shows about a socket. */
typedef struct mcb_socket_info {
  mcb_family family;
  mcb_state state;
  unsigned flags; /* mcb_open_flags */
  bool bound;     /* explicitly bound (implicit kernel binds show in `local` only) */
  mcb_addr local; /* as mcb_address() */
  bool broadcast;
  bool mcast_loop;
  int ttl;
  int mcast_ttl;
  int rcvbuf;
  unsigned mcast_ifindex; /* 0: chosen by the kernel */
  char mcast_if[IF_NAMESIZE + 8];
  mcb_optval options[MCB_MAX_OPTIONS]; /* every row, by its position in mcb_options() */
  size_t groups;                       /* memberships */
  size_t peers;                        /* entries in the peer table */
  mcb_counters counters;
} mcb_socket_info;

int mcb_socket_info_get(const mcb_socket *sock, mcb_socket_info *out);

/* ---- Membership ----------------------------------------------------------------- */

#define MCB_MAX_GROUPS  4096 /* the default of mcb_limits.max_groups */
#define MCB_MAX_SOURCES 16

typedef struct mcb_membership {
  mcb_addr group;
  unsigned ifindex;             /* 0: chosen by the kernel */
  char ifname[IF_NAMESIZE + 8]; /* "" when the kernel chose */
  size_t nsources;              /* 0: any-source (ASM) */
  mcb_addr sources[MCB_MAX_SOURCES];
  uint64_t joined_ns; /* uv_hrtime() when joined */
  uint64_t first_ns;  /* uv_hrtime() of the first datagram of the group (from one of its
                         sources, on its interface) after the join; 0 before. The join
                         latency is first_ns - joined_ns, what mcfirst measures. */
  bool exclude;       /* exclude mode (mcb_join_except): `sources` are the ones NOT received,
                         every other source is; false with sources: include mode (SSM) */
} mcb_membership;

/* Joins `group` (numeric) on `iface` (name, index or local address; NULL, "default",
 * "0.0.0.0" or "::": the kernel chooses) from any source, or, with sources,
 * source-specifically (SSM). Joining more sources of an SSM group adds them. Errors:
 * UV_EINVAL not a multicast address, UV_EAFNOSUPPORT group family does not fit the
 * socket, UV_ENODEV unknown interface, UV_EADDRNOTAVAIL no local interface has that
 * address, UV_EADDRINUSE already joined. */
int mcb_join(mcb_socket *sock, const char *group, const char *iface, const char *const *sources,
             size_t nsources);
/* Leaves a group, or only the listed sources of an SSM group. UV_EADDRNOTAVAIL when the
 * group (or a source) was never joined. */
int mcb_drop(mcb_socket *sock, const char *group, const char *iface, const char *const *sources,
             size_t nsources);
size_t mcb_membership_count(const mcb_socket *sock);
const mcb_membership *mcb_membership_at(const mcb_socket *sock, size_t index);
/* Exclude mode (IGMPv3/MLDv2 EXCLUDE, RFC 3678's MCAST_BLOCK_SOURCE): receives `group` from
 * any source but the listed ones (1..MCB_MAX_SOURCES). Joins the group from any source first
 * when the socket has not joined it (on failure the kernel is left as it was); on an
 * any-source or exclude-mode membership it adds the sources to those excluded. Errors as
 * mcb_join, and: UV_EINVAL when the group is joined source-specifically (include mode: the
 * kernel refuses to mix the modes on one group), UV_EADDRINUSE for a source already
 * excluded, UV_ENOBUFS past MCB_MAX_SOURCES or the kernel's net.ipv4.igmp_max_msf
 * (net.ipv6.mld_max_msf). */
int mcb_join_except(mcb_socket *sock, const char *group, const char *iface,
                    const char *const *sources, size_t nsources);
/* Receives the listed excluded sources again (MCAST_UNBLOCK_SOURCE); the group stays joined,
 * from any source once none is excluded. UV_EADDRNOTAVAIL when the group is not joined or
 * a source is not excluded. */
int mcb_drop_except(mcb_socket *sock, const char *group, const char *iface,
                    const char *const *sources, size_t nsources);
/* The interface index `iface` names for a group of `family`, as mcb_join and mcast-if
 * resolve it (0: the kernel chooses). UV_ENODEV unknown interface, UV_EADDRNOTAVAIL no
 * local interface has that address, UV_EINVAL an address of the other family. Lets a
 * caller tell whether a failed join was the interface's fault. */
int mcb_iface_index(const char *iface, mcb_family family, unsigned *out);

/* ---- Peers ---------------------------------------------------------------------- */

/* One entry of the bounded table of (source, destination) pairs seen by a socket.
 * Entries may be evicted whenever datagrams are read: do not keep pointers across loop
 * iterations; keep the addresses and use mcb_peer_find(). */
typedef struct mcb_peer_stats {
  mcb_addr src, dst;
  uint64_t id; /* unique per bench, never reused */
  uint64_t msgs, bytes;
  uint64_t first_seen_ns, last_seen_ns; /* monotonic (uv_hrtime) */
  int64_t first_seen_real_ns, last_seen_real_ns;
  double rate_msgs, rate_bytes; /* per second over the sliding window */
  int last_ttl;
  unsigned last_ifindex;
  bool has_cred;     /* unix: pid, uid and gid of the last datagram's sender */
  int pid, uid, gid; /* (a process that exits and another that reuses the name differ) */
} mcb_peer_stats;

typedef struct mcb_record {
  uint64_t seq; /* 1 for the peer's first datagram */
  int64_t realtime_ns;
  uint64_t mono_ns;
  size_t wire_len; /* bytes the datagram carried */
  size_t len;      /* bytes stored in data (at most payload_cap) */
  bool truncated;  /* the datagram itself was truncated on receipt */
  int ttl;
  unsigned ifindex;
  const uint8_t *data;
} mcb_record;

size_t mcb_peer_count(const mcb_socket *sock);
/* Iterates from the most recently seen peer: pass NULL for the first. */
const mcb_peer *mcb_peer_next(const mcb_socket *sock, const mcb_peer *prev);
const mcb_peer *mcb_peer_find(const mcb_socket *sock, const mcb_addr *src, const mcb_addr *dst);
/* Rates are evaluated at `now_ns` (uv_hrtime()). */
void mcb_peer_stats_get(const mcb_peer *peer, uint64_t now_ns, mcb_peer_stats *out);
size_t mcb_peer_history_len(const mcb_peer *peer);
/* index 0 is the newest record. NULL when out of range. */
const mcb_record *mcb_peer_history(const mcb_peer *peer, size_t index);

/* Zeroes the socket's counters and forgets its peers. */
int mcb_socket_reset(mcb_socket *sock);

/* ---- Kernel facts, for diagnosis ------------------------------------------------ */

/* What the kernel says about one interface, read through rtnetlink in the caller's
 * network namespace. flags are IFF_* (UP, RUNNING, MULTICAST, PROMISC, ALLMULTI,
 * LOOPBACK, POINTOPOINT); kind is the link kind ("veth", "bridge", "wireguard", ...),
 * empty for a physical device; operstate is IF_OPER_*. */
typedef struct mcb_link_info {
  unsigned index;
  char name[IF_NAMESIZE];
  char kind[32];
  unsigned flags;
  unsigned mtu;
  unsigned promiscuity; /* how many asked for promiscuous mode */
  unsigned operstate;
} mcb_link_info;

/* The interface named `name` (when not NULL) or of index `index`. UV_ENODEV when there
 * is none. Returns 0 or a negative code; records no bench error (there is no bench). */
int mcb_link_query(const char *name, unsigned index, mcb_link_info *out);

/* The route the kernel would pick to send to dst (from src when not NULL, out of oif
 * when not 0): type is RTN_* (UNICAST, MULTICAST, LOCAL, BROADCAST, UNREACHABLE, ...),
 * oif the interface it leaves by (0 when none), gateway and prefsrc zeroed (family 0)
 * when absent. Errors as the kernel gives them: UV_ENETUNREACH with no route, UV_EACCES
 * through a prohibit route, UV_EHOSTUNREACH through an unreachable one. */
typedef struct mcb_route_info {
  int type;
  unsigned table;
  unsigned oif;
  int prefix_len; /* of the routing entry that matched (0: the default route), -1 unknown */
  struct sockaddr_storage gateway, prefsrc;
} mcb_route_info;

int mcb_route_query(const struct sockaddr *dst, const struct sockaddr *src, unsigned oif,
                    mcb_route_info *out);

/* The interfaces of the caller's network namespace, for a view of the host: index,
 * name, IFF_* flags, addresses (getifaddrs) and the multicast groups the host joined on
 * each, whoever joined them (/proc/net/igmp and igmp6). Up to max interfaces, each with
 * at most MCB_IFACE_MAX_ADDRS addresses and MCB_IFACE_MAX_GROUPS groups; *count says how
 * many were written. 0, or a negative code when getifaddrs fails (a missing /proc file
 * only leaves the groups empty). */
#define MCB_IFACE_MAX_ADDRS  8
#define MCB_IFACE_MAX_GROUPS 16
typedef struct mcb_iface {
  unsigned index;
  char name[IF_NAMESIZE];
  unsigned flags;
  size_t naddrs, ngroups;
  mcb_addr addrs[MCB_IFACE_MAX_ADDRS];
  mcb_addr groups[MCB_IFACE_MAX_GROUPS];
} mcb_iface;

int mcb_iface_list(mcb_iface *out, size_t max, size_t *count);
/* The parsers mcb_iface_list uses: the groups of /proc/net/igmp (igmp6) text added to
 * the interfaces of ifs with the same index. Return 0. */
int mcb_iface_parse_igmp(const char *text, mcb_iface *ifs, size_t n);
int mcb_iface_parse_igmp6(const char *text, mcb_iface *ifs, size_t n);

/* ---- Private network ------------------------------------------------------------ */

/* Moves the calling process into a new network namespace (inside a new user namespace
 * when not root), so nothing it sends reaches the real network. It holds lo (up,
 * multicast, 224.0.0.0/4 routed to it) and a veth pair mcb0 (10.99.0.1/24,
 * fd00:99::1/64) and mcb1 (10.99.0.2/24, fd00:99::2/64), up, with multicast and
 * IPv6 link-local addresses. Call it before any thread exists. On failure, writes
 * the reason to errbuf. */
int mcb_private_network(char *errbuf, size_t size);
/* `--private` as a small lab: enters a private network namespace as above (the process's
 * own, which becomes host "local"), and links it to a second namespace, host "peer":
 * mcb0 (10.99.0.1/24, fd00:99::1/64) in local, mcb1 (10.99.0.2/24, fd00:99::2/64) in
 * peer, with each host's multicast routes (224.0.0.0/4, ff00::/8) through that link, not
 * lo; lo keeps unicast. The process holds the peer's namespace until it exits. Call it
 * before any thread exists. */
int mcb_private_lab(char *errbuf, size_t size);

#define MCB_LAB_IF0     "mcb0"
#define MCB_LAB_IF1     "mcb1"
#define MCB_LAB_ADDR0   "10.99.0.1"
#define MCB_LAB_ADDR1   "10.99.0.2"
#define MCB_LAB_BCAST   "10.99.0.255"
#define MCB_LAB_ADDR6_0 "fd00:99::1"
#define MCB_LAB_ADDR6_1 "fd00:99::2"

/* ---- Virtual lab: hosts, routers and switches in namespaces ----------------------- */

/* A lab is a set of nodes, each a network namespace the process holds by a file
 * descriptor (no `ip netns` names, no daemons): when the lab is freed or the process
 * exits, the whole lab disappears. Nodes are joined by veth links made with rtnetlink.
 * Call every lab function on one thread (the loop's): entering a node switches only
 * the calling thread, and a socket created there stays in the node after leaving.
 * Build a lab inside a private network (mcb_private_network), so even the namespace
 * the lab comes home to is not the machine's.
 *
 * Addressing (docs/lab.md): every segment gets a number n (1..254, never 99) in the
 * order it appears: a link between two hosts/routers is a segment, a switch with all
 * its ports is one segment (numbered when the switch is declared). Segment n is
 * 10.0.n.0/24 and fd00:0:0:n::/64; its nodes get .1, .2, ... (::1, ::2) in the order
 * they join it, a switch's bridge taking .1. The default link (MCB_LAB_DEFAULT) is
 * 10.99.0.0/24 and fd00:99::/64 as above. IPv6 addresses are nodad. A host's first
 * link carries its default route (through a router on that segment, when there is one)
 * and its multicast routes (224.0.0.0/4, ff00::/8). Routers forward and hold a
 * multicast routing socket with one VIF per link; switches are bridges with IGMP/MLD
 * snooping. Inside every node, IGMP/MLD unsolicited reports are fast (100 ms) and the
 * membership limits are raised. */

typedef struct mcb_lab mcb_lab;

typedef enum mcb_lab_kind { MCB_LAB_HOST = 1, MCB_LAB_ROUTER = 2, MCB_LAB_SWITCH = 3 } mcb_lab_kind;

#define MCB_LAB_NAME_MAX   8 /* node names: 1..7 of [a-z0-9_], starting with a letter */
#define MCB_LAB_MAX_NODES  32
#define MCB_LAB_MAX_LINKS  64
#define MCB_LAB_MAX_ROUTES 64
#define MCB_LAB_MAX_OUT    8 /* outgoing neighbours of one route */

enum mcb_lab_node_flags {
  MCB_LAB_QUERIER = 1 << 0,     /* switch: the bridge is the IGMP/MLD querier */
  MCB_LAB_HERE = 1 << 1,        /* host: the calling thread's namespace itself, allowed only
                                   when that is mcbench's private one (mcb_private_lab) */
  MCB_LAB_NO_SNOOPING = 1 << 2, /* switch: IGMP/MLD snooping off, the bridge floods every
                                   group to every port (a hub, for multicast) */
};

#define MCB_LAB_LOCAL "local" /* the hosts of mcb_private_lab */
#define MCB_LAB_PEER  "peer"

enum mcb_lab_link_flags {
  MCB_LAB_DEFAULT = 1 << 0, /* the default link: 10.99.0.0/24 and fd00:99::/64 */
};

/* Optional settings of a link; NULL or zeroes for the defaults. */
typedef struct mcb_lab_link_opts {
  const char *ifname_a, *ifname_b; /* default "A-B" in A and "B-A" in B */
  int ttl_threshold;               /* routers' VIF threshold on this link, 0: 1 */
  unsigned loss_ppm;               /* per million datagrams dropped in each direction
                                      (nftables; UV_ENOTSUP when built without it) */
  unsigned flags;                  /* mcb_lab_link_flags */
  /* More impairments, each in each direction (docs/lab.md). dup: nftables, as loss.
   * rate: a token bucket (tbf qdisc). delay, jitter, reorder: netem, which fails with
   * UV_ENOTSUP naming sch_netem on a kernel without it; jitter and reorder need delay. */
  unsigned dup_ppm;     /* per million datagrams sent twice */
  uint64_t rate_bps;    /* bits per second, 0: unlimited */
  uint64_t delay_ns;    /* added to every datagram */
  uint64_t jitter_ns;   /* delay varies by up to this much either way */
  unsigned reorder_ppm; /* per million datagrams sent at once, ahead of delayed ones */
} mcb_lab_link_opts;

const char *mcb_lab_kind_name(mcb_lab_kind kind); /* "host", "router", "switch" */
/* UV_EINVAL with *why set when `name` cannot name a node. */
int mcb_lab_check_name(const char *name, const char **why);

/* A lab whose home is the calling thread's network namespace. */
int mcb_lab_new(mcb_lab **out);
/* Closes every namespace and routing socket: the nodes vanish once no socket created
 * in them is left open. Leaves a node first when the thread is inside one. */
void mcb_lab_free(mcb_lab *lab);
/* Copies the default lab's nodes (local, peer) and link into an empty lab, when the
 * process made one with mcb_private_lab(); 0 and nothing done otherwise. Nodes added
 * later are the new lab's own: freeing it leaves local and peer as they were. */
int mcb_lab_adopt_private(mcb_lab *lab);
/* What the last failed call did and why: "link h1 r1: create veth: File exists". */
const char *mcb_lab_last_error(const mcb_lab *lab);

/* Creates a node: UV_EEXIST for a name in use, UV_ENOBUFS when the lab is full. */
int mcb_lab_add_node(mcb_lab *lab, const char *name, mcb_lab_kind kind, unsigned flags);
/* Joins two nodes with a veth link, addressed and up. UV_EINVAL for a link to itself,
 * UV_ENOENT for an unknown node, UV_EEXIST when they are already linked, UV_ENOTSUP
 * for switch to switch. */
int mcb_lab_link(mcb_lab *lab, const char *a, const char *b, const mcb_lab_link_opts *opts);
/* A static multicast forwarding entry on `router`: `group` (IPv4 or IPv6) coming from
 * the neighbour `from` goes out to the neighbours `to`. `source` NULL makes a (*,G) entry
 * (the kernel then also wants the incoming VIF in the list; the router sees to it).
 * IPv6 entries use MRT6 (MIFs, no thresholds: a hop limit above 1 crosses any link).
 * Link-scope groups (224.0.0.0/24, ff02::/16 and IPv6 scopes up to 2) are never routed:
 * UV_EINVAL. On a kernel built without CONFIG_IP_MROUTE (CONFIG_IPV6_MROUTE) the lab
 * forwards by itself, the same way (TTL or hop limit lowered by one, thresholds, source
 * kept), with a packet socket per router link read by one thread of the lab's. */
int mcb_lab_route(mcb_lab *lab, const char *router, const char *group, const char *source,
                  const char *from, const char *const *to, size_t nto);

/* Moves the calling thread into the node's namespace (sockets opened now are the
 * node's) and back home. Enter always pairs with leave. */
int mcb_lab_enter(mcb_lab *lab, const char *node);
int mcb_lab_leave(mcb_lab *lab);
/* The node's namespace descriptor (owned by the lab), or -1. */
int mcb_lab_node_fd(const mcb_lab *lab, const char *node);

/* What `lab show` prints. Indexes run from 0 to the count. */
typedef struct mcb_lab_node_info {
  char name[MCB_LAB_NAME_MAX];
  mcb_lab_kind kind;
  unsigned flags;
  int segment;        /* switch: its segment number */
  bool own_forwarder; /* router: mcbench forwards its multicast (no CONFIG_IP_MROUTE) */
  /* router: mcbench forwards its IPv6 multicast (no CONFIG_IPV6_MROUTE) */
  bool own_forwarder6;
  int igmp_version, mld_version; /* forced by mcb_lab_set_*_version; 0: the kernel's */
} mcb_lab_node_info;

typedef struct mcb_lab_link_info {
  char a[MCB_LAB_NAME_MAX], b[MCB_LAB_NAME_MAX];
  char ifname_a[IF_NAMESIZE], ifname_b[IF_NAMESIZE];
  char addr_a[INET_ADDRSTRLEN], addr_b[INET_ADDRSTRLEN]; /* "" at a switch's end */
  char addr6_a[INET6_ADDRSTRLEN], addr6_b[INET6_ADDRSTRLEN];
  int segment, ttl_threshold;
  unsigned loss_ppm;
  unsigned dup_ppm, reorder_ppm; /* the impairments of mcb_lab_link_opts */
  uint64_t rate_bps, delay_ns, jitter_ns;
} mcb_lab_link_info;

typedef struct mcb_lab_route_info {
  char router[MCB_LAB_NAME_MAX];
  char group[INET6_ADDRSTRLEN], source[INET6_ADDRSTRLEN]; /* source "*" for (*,G) */
  char from[MCB_LAB_NAME_MAX];
  char to[MCB_LAB_MAX_OUT][MCB_LAB_NAME_MAX];
  size_t nto;
  uint64_t packets, bytes, wrong_if; /* the kernel's counters of the entry */
} mcb_lab_route_info;

/* One hop of mcb_lab_trace(): a node on the way and what it does with the group. */
typedef struct mcb_lab_hop {
  char node[MCB_LAB_NAME_MAX];
  mcb_lab_kind kind;
  char next[MCB_LAB_NAME_MAX]; /* where the group goes from here, "" at the end */
  bool routed;                 /* a router's entry was found: the fields below are valid */
  char entry[96];              /* "(*,239.1.1.1)", "(10.0.1.1,239.1.1.1)", "(*,ff05::1:3)" */
  char from[MCB_LAB_NAME_MAX]; /* the neighbour the entry expects the group from */
  uint64_t packets, wrong_if;  /* the entry's counters */
  int threshold;               /* of the link to `next`: forwarded when the TTL is above;
                                  always 1 for IPv6 (hop limit above 1: no thresholds) */
  char stop[96];               /* why the path ends here; "" when it goes on or arrived */
} mcb_lab_hop;

/* The path `group` takes from host `source` (sending by its first link, from its address
 * there) to host `dest`, hop by hop, read from the routers' entries and counters, as
 * mtrace would: *n hops (at most max), the last one either `dest` or where it stops and
 * why (no route, wrong incoming interface, no way on). */
int mcb_lab_trace(mcb_lab *lab, const char *group, const char *source, const char *dest,
                  mcb_lab_hop *hops, size_t max, size_t *n);

/* A group a node's interface joined, or a switch port the snooping learnt it on. */
typedef struct mcb_lab_group {
  char ifname[IF_NAMESIZE];
  char group[INET6_ADDRSTRLEN];
} mcb_lab_group;

#define MCB_LAB_MAX_GROUPS 64

/* The groups of a node, read inside it: for a host or router the kernel's IGMP and MLD
 * memberships (lo, all-hosts and solicited-node groups left out), for a switch its
 * bridge's group table (port and group). *n of them, at most max. */
int mcb_lab_groups(mcb_lab *lab, const char *node, mcb_lab_group *out, size_t max, size_t *n);
/* Packets received and sent by each end's interface of link i (end 0 is a, 1 is b). */
int mcb_lab_link_counters(mcb_lab *lab, size_t i, uint64_t rx[2], uint64_t tx[2]);

size_t mcb_lab_node_count(const mcb_lab *lab);
size_t mcb_lab_link_count(const mcb_lab *lab);
size_t mcb_lab_route_count(const mcb_lab *lab);
int mcb_lab_node_at(const mcb_lab *lab, size_t i, mcb_lab_node_info *out);
int mcb_lab_link_at(const mcb_lab *lab, size_t i, mcb_lab_link_info *out);
/* Reads the entry's counters from its router. */
int mcb_lab_route_at(mcb_lab *lab, size_t i, mcb_lab_route_info *out);

/* What the impairments of a link did at one end (mcb_lab_link_impairs). */
typedef struct mcb_lab_impair_counters {
  uint64_t lost;          /* arriving datagrams its loss rule dropped */
  uint64_t duplicated;    /* copies its dup rule sent */
  uint64_t queue_dropped; /* packets its rate limit (tbf) or netem dropped */
} mcb_lab_impair_counters;
/* Reads them inside the nodes of link i, for end 0 (a) and 1 (b); zero where the link
 * has no such impairment. */
int mcb_lab_link_impairs(mcb_lab *lab, size_t i, mcb_lab_impair_counters out[2]);

/* ---- Lab capture: one end of a link recorded as pcapng ----------------------------- */

/* A packet socket inside the node, bound to one interface, sees what leaves and what
 * arrives there (before the far end's impairments act on it). Its packets become a
 * pcapng file (a section, the interface with its link type and snap length, then one
 * enhanced packet block per packet with its kernel timestamp in nanoseconds and its
 * direction) that Wireshark and tshark read. The capture reads on the loop (a bounded
 * batch per wakeup) and hands the file's bytes to the caller's write function, once per
 * batch; it stops by itself at its packet or byte cap, or at the first failed write. */
typedef struct mcb_capture mcb_capture;

#define MCB_CAPTURE_SNAPLEN     65535u
#define MCB_CAPTURE_MAX_PACKETS 100000u
#define MCB_CAPTURE_MAX_BYTES   (64u << 20)

/* Writes all `len` bytes: 0, or a negative code (the capture then stops). */
typedef int (*mcb_capture_write_fn)(const void *data, size_t len, void *arg);

typedef struct mcb_capture_stats {
  uint64_t packets;      /* written to the file */
  uint64_t bytes;        /* of the file so far */
  uint64_t kernel_drops; /* packets the kernel could not queue for the capture */
  bool capped;           /* it reached max_packets or max_bytes and stopped recording */
  int error;             /* the first failed read or write, 0 */
} mcb_capture_stats;

typedef struct mcb_capture_opts {
  uint64_t max_packets; /* 0: MCB_CAPTURE_MAX_PACKETS */
  uint64_t max_bytes;   /* of the file, 0: MCB_CAPTURE_MAX_BYTES */
  mcb_capture_write_fn write;
  /* Called once when the capture stops recording by itself (the cap: 0 and capped set;
   * a failed read or write: its code); it may call mcb_capture_stop(). NULL: none. */
  void (*on_halt)(mcb_capture *c, int status, void *arg);
  void *arg;
} mcb_capture_opts;

/* The node and interface of a link end named as `lab show` names links: `a` alone is an
 * interface of the lab ("h1-r1", "mcb0"), `a` and `b` two linked nodes (a's end).
 * UV_ENOENT (with mcb_lab_last_error) when there is no such link. */
int mcb_lab_link_end(mcb_lab *lab, const char *a, const char *b, char node[MCB_LAB_NAME_MAX],
                     char ifname[IF_NAMESIZE]);
/* Starts recording interface `ifname` of `node`: writes the file's header blocks at
 * once, then packets as they come. */
int mcb_lab_capture(mcb_lab *lab, uv_loop_t *loop, const char *node, const char *ifname,
                    const mcb_capture_opts *opts, mcb_capture **out);
void mcb_capture_stats_get(const mcb_capture *c, mcb_capture_stats *out);
/* Writes what the kernel still holds for it (within the caps) and a statistics block,
 * stops, and frees the capture once its handle has closed: do not use `c` after it.
 * Returns the first error of its life (0: the file is complete); *stats (may be NULL)
 * gets the final figures. */
int mcb_capture_stop(mcb_capture *c, mcb_capture_stats *stats);
/* Runs a program inside node `node` (`lab exec`): the calling (loop) thread enters the
 * node, uv_spawn starts this very binary (/proc/self/exe) in its hidden wrapper mode
 * (MCB_LAB_EXEC_ARG), and the thread comes home at once; the child keeps the node's
 * namespace. The wrapper is in a session of its own (kill(-proc->pid, SIGKILL) ends the
 * whole group), dies with mcbench even by kill -9 (PR_SET_PDEATHSIG, checked against a
 * parent that died first) and, where it may, runs the program as the first process of
 * a PID namespace of its own (with its own /proc, in a private mount namespace), so the
 * kernel kills every descendant when the program ends or the wrapper dies. argv[0]
 * "mcbench" runs this binary; other names are looked up in PATH. Its standard output
 * and error both go to `out` (uv_pipe_init'ed by the caller), standard input is
 * /dev/null. On failure `out` must still be closed, and `proc` too when uv_spawn
 * initialised it (pass it zeroed: then its loop is set). */
int mcb_lab_spawn(mcb_lab *lab, const char *node, uv_loop_t *loop, uv_process_t *proc,
                  uv_pipe_t *out, char *const *argv, uv_exit_cb on_exit);
/* The wrapper: `mcbench MCB_LAB_EXEC_ARG PARENT_PID CMD ARGS...`. main() hands it its
 * arguments before anything else; it returns only the exit status of a refusal. */
#define MCB_LAB_EXEC_ARG "--mcb-lab-exec-child"
int mcb_lab_exec_child(int argc, char **argv);
/* The version of IGMP (1..3) and MLD (1..2) a lab node's interfaces are forced to use
 * (the force_igmp_version / force_mld_version sysctls, written inside the node for "all",
 * "default" and each interface); 0 gives the kernel's choice back. */
int mcb_lab_set_igmp_version(mcb_lab *lab, const char *node, int version);
int mcb_lab_set_mld_version(mcb_lab *lab, const char *node, int version);

/* ---- The lab's IGMP/MLD watcher and event log -------------------------------------- */

/* IGMP and MLD messages as they cross a lab link. The bytes come from the wire and are
 * untrusted: every length and count is checked against the packet. */
typedef enum mcb_igmp_type {
  MCB_IGMP_QUERY = 1,
  MCB_IGMP_REPORT = 2, /* v1/v2 membership report, MLDv1 report, IGMPv3/MLDv2 report */
  MCB_IGMP_LEAVE = 3,  /* IGMPv2 leave, MLDv1 done */
} mcb_igmp_type;

/* IGMPv3 / MLDv2 group record types (RFC 3376 4.2.12, RFC 3810 5.2.12). */
enum mcb_igmp_record_type {
  MCB_IGMP_IS_IN = 1,
  MCB_IGMP_IS_EX = 2,
  MCB_IGMP_TO_IN = 3,
  MCB_IGMP_TO_EX = 4,
  MCB_IGMP_ALLOW = 5,
  MCB_IGMP_BLOCK = 6,
};

#define MCB_IGMP_MAX_RECORDS 8 /* group records kept of one report */
#define MCB_IGMP_MAX_SOURCES 4 /* sources kept of one record or query */

typedef struct mcb_igmp_record {
  uint8_t type;      /* mcb_igmp_record_type; 0 in v1/v2 messages and queries */
  uint8_t group[16]; /* IPv4: the first 4 bytes; all zero: a general query */
  uint16_t nsources; /* as the packet says (all of them were within it) */
  uint8_t sources[MCB_IGMP_MAX_SOURCES][16]; /* the first min(nsources, MAX) */
} mcb_igmp_record;

typedef struct mcb_igmp_msg {
  int family;  /* AF_INET: IGMP; AF_INET6: MLD */
  int version; /* IGMP 1, 2, 3; MLD 1, 2 */
  mcb_igmp_type type;
  uint8_t src[16], dst[16]; /* the IP header's addresses (IPv4: first 4 bytes) */
  unsigned max_resp_ms;     /* queries: the maximum response time */
  uint16_t nrecords;        /* as the packet says; 1 for every other message */
  mcb_igmp_record records[MCB_IGMP_MAX_RECORDS]; /* the first min(nrecords, MAX) */
} mcb_igmp_msg;

/* Decodes one IPv4 or IPv6 packet (from its IP header on, as a packet socket of type
 * SOCK_DGRAM reads it) carrying IGMP, or MLD behind the hop-by-hop options header.
 * UV_EINVAL (and *out zeroed) for anything else, a truncated packet or a count that
 * does not fit. */
int mcb_igmp_decode(const uint8_t *pkt, size_t len, mcb_igmp_msg *out);

/* What the watcher saw, as the event log keeps it. A v3/v2 report becomes one event per
 * group record: a change towards a group (TO_EX, ALLOW, TO_IN with sources, v1/v2
 * reports) is a join, TO_IN without sources, BLOCK, v2 leave and MLD done a leave, a
 * current-state record (IS_IN, IS_EX: the answer to a query) a report. */
typedef enum mcb_lab_action {
  MCB_LAB_EV_JOIN = 1,
  MCB_LAB_EV_LEAVE = 2,
  MCB_LAB_EV_REPORT = 3,
  MCB_LAB_EV_QUERY = 4,
  MCB_LAB_EV_NOROUTE = 5, /* a router's kernel had no forwarding entry for (S,G) (the
                             upcall of its multicast routing socket; one per (S,G) and
                             router every 5 s at most) */
  MCB_LAB_EV_WRONGIF = 6, /* a router got (S,G) on another link than its entry's incoming
                             one (the lab's forwarder, or the kernel's assert upcall);
                             as rate-limited as no-route */
  /* A switch's bridge (node: the switch, link: the port): its group table got (lost) the
   * group on the port; filter says why a removal happened: "after h2's leave" (that
   * host's leave was logged within 10 s before) or "timed out". */
  MCB_LAB_EV_ADD = 7,
  MCB_LAB_EV_REMOVE = 8,
  /* Its querier changed (family: IGMP or MLD): filter "self" (it queries), "other"
   * (it hears another querier: source, and link its port) or "none". */
  MCB_LAB_EV_QUERIER = 9,
} mcb_lab_action;
#define MCB_LAB_EV_LAST_MEMBERSHIP MCB_LAB_EV_QUERY /* the IGMP/MLD actions end here */
#define MCB_LAB_EV_LAST            MCB_LAB_EV_QUERIER

/* "join", "leave", "report", "query", "no-route", "wrong-if", "adds", "removes",
 * "querier"; NULL out of range. */
const char *mcb_lab_action_name(mcb_lab_action action);

typedef struct mcb_lab_event {
  uint64_t seq;    /* 1, 2, ... in the order seen */
  int64_t real_ns; /* CLOCK_REALTIME when read */
  mcb_lab_action action;
  int family, version; /* AF_INET IGMPv1..3, AF_INET6 MLDv1..2; a router's: the group's, 0 */
  char node[MCB_LAB_NAME_MAX];   /* the node that sent it, "" when not known */
  char link[IF_NAMESIZE];        /* the interface it was seen on (in its node) */
  char source[INET6_ADDRSTRLEN]; /* the sender's address */
  char group[INET6_ADDRSTRLEN];  /* "" for a general query */
  char filter[128];              /* v3 records: "exclude {}" (any source), "include {10.0.1.2}", and
                                    the changes "allow {10.0.1.2}" (sources added), "block {...}" */
  char expected_link[IF_NAMESIZE]; /* wrong-if: the interface the router's entry expects */
} mcb_lab_event;

#define MCB_LAB_EVENTS 1024 /* the event log keeps the newest ones */

/* True for a switch's own events (adds, removes, querier). */
bool mcb_lab_action_of_switch(mcb_lab_action action);

/* "h2 reports join 239.1.1.1 (IGMPv3, allow {10.0.1.2}) on h2-r1"; returns buf. */
char *mcb_lab_event_format(const mcb_lab_event *ev, char *buf, size_t size);

/* Starts watching every link of the lab, and each one linked later: a read-only packet
 * socket made inside the node at one end (not a switch's), with a BPF filter that lets
 * only IGMP and MLD through, read on `loop` (uv_poll); and each router's multicast
 * routing socket, for the kernel's "no forwarding entry" upcalls. What it sees goes to the lab's
 * event log; `cb` (may be NULL) is then called, on the loop, to say new events are
 * there: it should only note that. Once per lab. */
int mcb_lab_watch(mcb_lab *lab, uv_loop_t *loop, void (*cb)(void *arg), void *arg);
/* Stops watching: the handles close on the loop (run it to let them finish). The events
 * stay readable. mcb_lab_free does it too. */
void mcb_lab_unwatch(mcb_lab *lab);
/* The sequence number the next event will get (1 before any). */
uint64_t mcb_lab_event_next(const mcb_lab *lab);
/* Event `seq`: UV_ENOENT when it is not there yet or was pushed out of the log. */
int mcb_lab_event_get(const mcb_lab *lab, uint64_t seq, mcb_lab_event *out);
/* Events pushed out of the log, oldest first, since the lab began. */
uint64_t mcb_lab_events_dropped(const mcb_lab *lab);

/* ---- Traffic analysis: probes, peer payloads, statistics -------------------------- */

/* Building blocks for per-datagram analysis on the receive path: pure functions on
 * caller-owned structs of fixed size (no allocation, no clock reads, no locks), cheap
 * enough to run for every datagram. Structs are public so they can be embedded; their
 * counters are read-only for the caller. Times are nanoseconds: send and arrival
 * timestamps are CLOCK_REALTIME (as SO_TIMESTAMPNS), per-second buckets use a monotonic
 * clock (uv_hrtime). The probe payload is documented in docs/probe-format.md. */

/* mcbench's probe header: big-endian, MCB_PROBE_HDR_LEN bytes, then the fill pattern
 * (byte k of the datagram is k & 0xff) up to the datagram's length. */
#define MCB_PROBE_MAGIC   0x8D4D4342u /* "\x8d" "MCB": cannot start valid UTF-8 text */
#define MCB_PROBE_VERSION 1
#define MCB_PROBE_HDR_LEN 32    /* also the smallest probe datagram */
#define MCB_PROBE_ECHO    0x01u /* flags: this datagram is an echo reply */
#define MCB_PROBE_FLAGS   0x01u /* every flag version 1 defines; others must be 0 */

typedef struct mcb_probe {
  uint8_t version;  /* MCB_PROBE_VERSION (the encoder writes it whatever this says) */
  uint8_t flags;    /* MCB_PROBE_ECHO */
  uint16_t stream;  /* stream number on the sending socket */
  uint32_t sender;  /* sender id */
  uint32_t nonce;   /* random per run of the sender: a new nonce is a restart */
  uint64_t seq;     /* sequence number within the run */
  uint64_t send_ns; /* CLOCK_REALTIME when sent */
} mcb_probe;

/* Writes a probe of `len` bytes (header and fill) into buf (of `size` bytes). Returns
 * len, or UV_EMSGSIZE when len < MCB_PROBE_HDR_LEN, len > size or len > INT_MAX,
 * UV_EINVAL when flags has bits outside MCB_PROBE_FLAGS. */
int mcb_probe_encode(const mcb_probe *probe, void *buf, size_t size, size_t len);
/* Rewrites only the header of a probe already in buf (len >= MCB_PROBE_HDR_LEN), for
 * senders that reuse a filled buffer. Same checks as mcb_probe_encode. */
int mcb_probe_encode_header(const mcb_probe *probe, void *buf, size_t len);

#define MCB_PROBE_CHECK_FILL 0x01u /* mcb_probe_decode: verify the fill pattern too */
/* Decodes and validates a datagram of `len` bytes. Returns 0, or: UV_EINVAL wrong magic
 * (not a probe), UV_EMSGSIZE shorter than the header, UV_EPROTONOSUPPORT unknown
 * version, UV_ENOTSUP reserved flag bits set, UV_EPROTO fill pattern mismatch (only with
 * MCB_PROBE_CHECK_FILL). On error *out is zeroed: nothing in it may be trusted. */
int mcb_probe_decode(const void *buf, size_t len, unsigned check, mcb_probe *out);

/* Which format a payload has, with what it carries. */
typedef enum mcb_payload_kind {
  MCB_PAYLOAD_PLAIN = 0, /* anything else: counts and rates only */
  MCB_PAYLOAD_PROBE,     /* mcbench probe */
  MCB_PAYLOAD_IPERF2,    /* iperf 2 UDP client datagram */
  MCB_PAYLOAD_MCJOIN     /* mcjoin text: "Sender PID P, MC group G ... count: N, ..." */
} mcb_payload_kind;

typedef struct mcb_payload_info {
  mcb_payload_kind kind;
  int error;       /* 0, or why a payload of this kind is malformed (count it invalid) */
  bool has_seq;    /* seq is valid */
  bool has_time;   /* send_ns is valid */
  bool has_nonce;  /* nonce identifies the sender's run (probe nonce, mcjoin PID) */
  bool end_of_run; /* iperf 2's final datagrams (negative id): the sender is done */
  bool echo;       /* a probe marked as an echo reply */
  uint16_t stream; /* probe only */
  uint32_t sender; /* probe only */
  uint32_t nonce;
  uint64_t seq;
  uint64_t send_ns; /* CLOCK_REALTIME */
} mcb_payload_info;

/* "plain", "probe", "iperf2", "mcjoin". */
const char *mcb_payload_kind_name(mcb_payload_kind kind);
/* Recognises the payload (docs/probe-format.md lists the rules; plain text is never
 * taken for iperf 2 or a probe) and decodes its sequence number and send time. `check`
 * is passed to mcb_probe_decode. Returns 0 (also for plain payloads), or the negative
 * code also stored in out->error when the payload has a known format but is malformed. */
int mcb_payload_detect(const void *buf, size_t len, unsigned check, mcb_payload_info *out);

/* Sequence statistics of one stream in a fixed window of MCB_SEQ_WINDOW sequence
 * numbers. A datagram ahead of the highest seen opens a gap (counted lost); one inside
 * the window fills its gap (reordered, no longer lost) or is a duplicate; one older than
 * the window is late (its gap stays lost). Sequence numbers are compared modulo 2^64.
 * A new run starts at a new nonce, after mcb_seqstats_end_run(), or, for streams without
 * a nonce, when a datagram older than the window is at or before the run's first
 * sequence number (the sender went back to its beginning), and for any stream when a
 * datagram is more than MCB_SEQ_MAX_JUMP away from the highest (a hostile or garbled
 * number cannot poison the run). Always true:
 * received == expected - lost + duplicates + late. */
#define MCB_SEQ_WINDOW   1024
#define MCB_SEQ_MAX_JUMP ((uint64_t)1 << 31)

typedef enum mcb_seq_class {
  MCB_SEQ_FIRST = 0, /* first datagram of a run (after the stream's start or a restart) */
  MCB_SEQ_NEXT,      /* the next expected sequence number */
  MCB_SEQ_GAP,       /* ahead of the next expected one: the ones between are lost */
  MCB_SEQ_REORDERED, /* fills a gap inside the window */
  MCB_SEQ_DUPLICATE, /* seen already (inside the window) */
  MCB_SEQ_LATE,      /* older than the window: not matched against gaps */
  MCB_SEQ_RESTART    /* a new run of the sender */
} mcb_seq_class;

typedef struct mcb_seqstats {
  /* all runs */
  uint64_t received; /* datagrams with a sequence number, duplicates and late included */
  uint64_t expected; /* sum over runs of (highest - first + 1) */
  uint64_t lost;     /* sequence numbers in those spans never received in the window */
  uint64_t duplicates, reordered, late;
  uint64_t invalid; /* malformed datagrams (mcb_seqstats_invalid) */
  uint64_t runs;    /* runs started (restarts = runs - 1) */
  /* the current run */
  uint64_t run_first, run_highest, run_expected, run_lost;
  uint32_t run_nonce;
  bool run_has_nonce;
  bool active;                          /* a run is open */
  uint64_t window[MCB_SEQ_WINDOW / 64]; /* private: bit (seq % WINDOW) = received */
} mcb_seqstats;

void mcb_seqstats_init(mcb_seqstats *st);
/* Accounts one datagram of sequence number `seq` (with the sender's run nonce when
 * has_nonce) and says what it was. */
mcb_seq_class mcb_seqstats_add(mcb_seqstats *st, uint64_t seq, bool has_nonce, uint32_t nonce);
/* Accounts a detected payload: a malformed one as invalid, an end-of-run marker closes
 * the run, one without a sequence number is ignored. Returns the class, or -1 when the
 * datagram carried no sequence number. */
int mcb_seqstats_add_payload(mcb_seqstats *st, const mcb_payload_info *info);
void mcb_seqstats_invalid(mcb_seqstats *st);
/* The sender said it is done: the next datagram starts a new run. */
void mcb_seqstats_end_run(mcb_seqstats *st);
/* lost / expected in percent, over all runs or the current run only; 0 when empty. */
double mcb_seqstats_loss_pct(const mcb_seqstats *st, bool run_only);

/* Interarrival jitter as RFC 3550 section 6.4.1: with transit = arrival - send,
 * D = transit(i) - transit(i-1), J += (|D| - J) / 16. The clocks need not agree: a
 * constant offset cancels. */
typedef struct mcb_jitter {
  double jitter_ns;
  int64_t last_transit_ns; /* private */
  bool have_last;          /* private */
} mcb_jitter;

void mcb_jitter_init(mcb_jitter *j);
void mcb_jitter_add(mcb_jitter *j, uint64_t send_ns, uint64_t arrival_ns);

/* Delay statistics (one-way delay, or round-trip time) in fixed memory: exact count,
 * min, max and mean, and a log-bucketed histogram (8 buckets per power of two, exact
 * below 8 ns, up to 2^37 ns = 137 s) for percentiles. A percentile is the midpoint of
 * its bucket clamped to [min, max]: within 6.25% of the true value (beyond 2^37 ns, the
 * maximum). Negative delays
 * (clocks out of step) count in min/mean and in the lowest bucket. */
#define MCB_DELAY_BUCKETS 280

typedef struct mcb_delaystats {
  uint64_t count;
  uint64_t negative;      /* delays below 0 */
  int64_t min_ns, max_ns; /* meaningful when count > 0 */
  double sum_ns;
  uint64_t hist[MCB_DELAY_BUCKETS]; /* private */
} mcb_delaystats;

void mcb_delaystats_init(mcb_delaystats *d);
void mcb_delaystats_add(mcb_delaystats *d, int64_t delay_ns);
double mcb_delaystats_mean_ns(const mcb_delaystats *d);
/* The per-mille quantile (990 = p99, 500 = median) in ns; 0 when empty. */
int64_t mcb_delaystats_quantile_ns(const mcb_delaystats *d, unsigned permille);

/* Datagrams and bytes per second over the last MCB_PERSEC_SLOTS seconds (whole seconds
 * of the monotonic clock), for sparklines and a sliding-window rate. */
#define MCB_PERSEC_SLOTS 60

typedef struct mcb_persec {
  uint64_t sec;    /* private: the second of the newest slot */
  uint64_t end_ns; /* private: when that second ends */
  unsigned head;   /* private: index of the newest slot */
  bool started;    /* private */
  uint64_t msgs[MCB_PERSEC_SLOTS], bytes[MCB_PERSEC_SLOTS]; /* private */
} mcb_persec;

void mcb_persec_init(mcb_persec *r);
/* Accounts one datagram of `bytes` at now_ns (monotonic, never going back). */
void mcb_persec_add(mcb_persec *r, uint64_t now_ns, uint64_t bytes);
/* The counts of the second `ago` seconds before the one holding now_ns (0: the current,
 * partial second). Zero for seconds out of the ring. */
void mcb_persec_get(const mcb_persec *r, uint64_t now_ns, unsigned ago, uint64_t *msgs,
                    uint64_t *bytes);
/* Rates over the `window_s` seconds (1..MCB_PERSEC_SLOTS-1) ending at now_ns: the current
 * partial second, the whole seconds before it and the matching share of the oldest. */
void mcb_persec_rate(const mcb_persec *r, uint64_t now_ns, unsigned window_s, double *pps,
                     double *bytes_per_s);

/* ---- Per-peer analysis on the receive path ----------------------------------------- */

/* Every datagram a socket reads is recognised (mcb_payload_detect, after a pre-check of its
 * first bytes that lets plain payloads through almost for free) and accounted in its peer:
 * per-second counts for everyone; for payloads with a sequence number (probe, iperf 2,
 * mcjoin) sequence statistics per stream, one-way delay and RFC 3550 jitter, allocated
 * the first time such a datagram arrives and reused when the peer's slot is recycled.
 * A peer (source, destination) may carry several streams: a probe's stream is (sender
 * id, stream id, echo flag), iperf 2 and mcjoin have one each. MCB_PEER_STREAMS are kept;
 * a further stream takes the slot of the least recently seen one, whose counts stay in
 * the peer's totals. Echo replies to our own probes (MCB_PROBE_ECHO) measure the round
 * trip: their delay goes to the RTT statistics, never to the one-way delay. */
#define MCB_PEER_STREAMS 4

typedef struct mcb_stream_stats {
  mcb_payload_kind kind;
  bool echo;       /* probe echo replies (round trip) */
  uint16_t stream; /* probe only */
  uint32_t sender; /* probe only */
  uint64_t last_seen_ns;
  mcb_seqstats seq;
} mcb_stream_stats;

typedef struct mcb_peer_analysis {
  mcb_payload_kind kind; /* of the latest datagram */
  unsigned kinds_seen;   /* bit (1 << kind) for every kind received */
  bool sequenced;        /* a datagram carried a sequence number: the figures below count */
  size_t streams;        /* streams tracked now (at most MCB_PEER_STREAMS) */
  uint64_t streams_evicted;
  /* over every stream, evicted ones included (mcb_seqstats' meaning) */
  uint64_t received, expected, lost, duplicates, reordered, late, runs;
  uint64_t invalid;       /* malformed probes or peer payloads, never trusted */
  double loss_pct;        /* lost / expected, over the whole run */
  double loss_pct_last_s; /* over the last whole second that had datagrams (-1: none yet) */
  /* one-way delay: arrival (SO_TIMESTAMPNS) - send time; needs synchronised clocks */
  uint64_t delay_count, delay_negative;
  int64_t delay_min_ns, delay_max_ns, delay_p50_ns, delay_p99_ns;
  double delay_avg_ns;
  double jitter_ns; /* RFC 3550 interarrival jitter */
  /* round trip of echo replies to our probes */
  uint64_t rtt_count;
  int64_t rtt_min_ns, rtt_max_ns, rtt_p99_ns;
  double rtt_avg_ns;
} mcb_peer_analysis;

/* The peer's analysis figures, evaluated at now_ns (uv_hrtime()). */
void mcb_peer_analysis_get(const mcb_peer *peer, uint64_t now_ns, mcb_peer_analysis *out);
/* The streams of a peer, most recently seen first; NULL when out of range. */
size_t mcb_peer_stream_count(const mcb_peer *peer);
const mcb_stream_stats *mcb_peer_stream(const mcb_peer *peer, size_t index);
/* The peer's per-second datagram and byte counts (for sparklines: mcb_persec_get). */
const mcb_persec *mcb_peer_persec(const mcb_peer *peer);
/* The full delay statistics (percentiles), NULL when the peer carried no send time. */
const mcb_delaystats *mcb_peer_delay(const mcb_peer *peer);

#ifdef __cplusplus
}
#endif
#endif /* MCB_H */

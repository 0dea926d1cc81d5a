/* internal.h - what the doctor's check files share; not for callers. */
#ifndef DOC_INTERNAL_H
#define DOC_INTERNAL_H

#include "doctor.h"

/* One check: a row of the table in doctor.c. */
typedef struct doc_check {
  const char *id;
  bool receiver, sender; /* which diagnoses run it */
  void (*run)(doc_diagnosis *d, doc_result *r);
} doc_check;

/* Result building (doctor.c). printf-style, cut with "..." at DOC_TEXT_MAX. */
void doc_set(doc_result *r, doc_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void doc_evidence(doc_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_fix(doc_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
doc_result *doc_find(doc_diagnosis *d, const char *id);

/* Address helpers. */
bool doc_is_v6(const doc_diagnosis *d);
const char *doc_host(const mcb_addr *a, char *out, size_t size); /* "239.1.1.1" */
const char *doc_errname(int code);                               /* "ENODEV" */

/* /proc and sysctl readers (proc.c): pure parsers on text, plus file reading. Each
 * returns 0 or a negative code (UV_ENOENT when the file or entry is absent). */
int doc_read_file(const char *path, char *buf, size_t size);
/* The whole of a /proc file in the diagnosis' scratch buffer (valid until the next
 * call), or NULL when it cannot be read. */
const char *doc_proc(doc_diagnosis *d, const char *path);
int doc_sysctl(const char *path, long *value);
/* "Udp: InDatagrams ... IgnoredMulti" header/value pairs (/proc/net/snmp, netstat). */
int doc_proc_counter(const char *text, const char *section, const char *name, uint64_t *value);
/* "Udp6IgnoredMulti   12" lines (/proc/net/snmp6). */
int doc_proc_counter6(const char *text, const char *name, uint64_t *value);

/* /proc/net/igmp: is group (network order) joined on ifindex (0: any), by how many, and
 * which querier version the interface has seen ("V1", "V2", "V3": 1..3, 0 unknown). */
typedef struct doc_igmp {
  bool joined;
  unsigned users;
  int querier_version;
  char device[IF_NAMESIZE];
} doc_igmp;
int doc_proc_igmp(const char *text, unsigned ifindex, uint32_t group_be, doc_igmp *out);
/* /proc/net/igmp6: joined on ifindex (0: any). */
int doc_proc_igmp6(const char *text, unsigned ifindex, const struct in6_addr *group, doc_igmp *out);
/* /proc/net/mcfilter: source filter entries of group on ifindex: how many INCLUDE and
 * EXCLUDE sources, and whether `source` (network order, 0: none) is among the included. */
typedef struct doc_mcfilter {
  unsigned include, exclude;
  bool source_included, source_excluded;
} doc_mcfilter;
int doc_proc_mcfilter(const char *text, unsigned ifindex, uint32_t group_be, uint32_t source_be,
                      doc_mcfilter *out);

/* /proc/net/udp and udp6: the sockets bound to `port`. */
#define DOC_UDP_MAX 16
typedef struct doc_udp_sock {
  struct sockaddr_storage local;
  uint64_t drops;
  uint64_t rx_queue;
  unsigned long inode;
} doc_udp_sock;
/* Fills up to max sockets; returns how many matched (may exceed max) or a negative code. */
int doc_proc_udp(const char *text, int family, int port, doc_udp_sock *out, int max);

/* The checks (checks-*.c). */
void doc_check_args(doc_diagnosis *d, doc_result *r);
void doc_check_iface(doc_diagnosis *d, doc_result *r);
void doc_check_route(doc_diagnosis *d, doc_result *r);
void doc_check_rp_filter(doc_diagnosis *d, doc_result *r);
void doc_check_limits(doc_diagnosis *d, doc_result *r);
void doc_check_igmp_version(doc_diagnosis *d, doc_result *r);
void doc_check_membership(doc_diagnosis *d, doc_result *r);
void doc_check_socket_bind(doc_diagnosis *d, doc_result *r);
void doc_check_crosstalk(doc_diagnosis *d, doc_result *r);
void doc_check_rcvbuf(doc_diagnosis *d, doc_result *r);
void doc_check_environment(doc_diagnosis *d, doc_result *r);
void doc_check_sender(doc_diagnosis *d, doc_result *r);
void doc_check_firewall(doc_diagnosis *d, doc_result *r);

/* The phases that wait on the loop (watch.c, selftest.c, querier.c): each starts, and
 * calls doc_phase_done exactly once when it has finished, possibly before it returns.
 * doc_*_cancel stops one early (nothing when it is not running). */
void doc_watch_start(doc_diagnosis *d, doc_result *r);
void doc_watch_cancel(doc_diagnosis *d);
void doc_self_test_start(doc_diagnosis *d, doc_result *r);
void doc_self_test_cancel(doc_diagnosis *d);
void doc_querier_start(doc_diagnosis *d, doc_result *r);
void doc_querier_cancel(doc_diagnosis *d);
void doc_phase_done(doc_diagnosis *d);

#endif

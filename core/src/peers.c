/* peers.c - the bounded per-socket table of (source, destination) peers.
 *
 * A keyed hash finds a peer in O(1); an LRU list orders peers by last datagram, and at
 * the cap the least recently seen is evicted and its memory reused, so a flood from a
 * million spoofed sources costs no allocation and no growth. Each peer keeps counters,
 * a bucketed sliding-window rate, per-second counts, a ring of its latest datagrams
 * (payload capped) and, for payloads with a sequence number, its analysis (analysis.c).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define RATE_BUCKETS 10

struct mcb_peer {
  mcb_peer *hnext;
  mcb__link lru;
  uint64_t hash;
  mcb_addr src, dst;
  uint64_t id, msgs, bytes, seq;
  uint64_t first_ns, last_ns;
  int64_t first_real, last_real;
  int last_ttl;
  unsigned last_ifindex;
  bool has_cred;
  int pid, uid, gid;
  /* rate: bucket i counts the datagrams of time slice (epoch % RATE_BUCKETS); until
   * epoch_end_ns the current slice's bucket is `slot` (no division per datagram) */
  uint64_t width_ns, epoch, epoch_end_ns;
  unsigned slot;
  uint64_t rate_msgs[RATE_BUCKETS], rate_bytes[RATE_BUCKETS];
  /* history ring: `hist_len` records ending at `hist_head` (the newest) */
  size_t hist_cap, hist_len, hist_head, payload_cap;
  mcb_record *recs;
  uint8_t *payload;
  mcb_persec persec; /* per-second counts, for sparklines */
  mcb__analysis *an; /* allocated at the first datagram with a sequence number or time */
};

int mcb__peers_init(mcb__peer_table *t, const mcb_limits *l)
{
  size_t n = 16;
  while (n < l->max_peers * 2) n <<= 1;
  t->buckets = calloc(n, sizeof *t->buckets);
  if (t->buckets == NULL) return UV_ENOMEM;
  t->nbuckets = n;
  t->count = 0;
  mcb__list_init(&t->lru);
  return 0;
}

void mcb__peers_clear(mcb__peer_table *t)
{
  while (!mcb__list_empty(&t->lru)) {
    mcb_peer *p = MCB__CONTAINER(t->lru.next, mcb_peer, lru);
    mcb__list_remove(&p->lru);
    mcb__analysis_free(p->an);
    free(p);
  }
  if (t->buckets != NULL) memset(t->buckets, 0, t->nbuckets * sizeof *t->buckets);
  t->count = 0;
}

void mcb__peers_free(mcb__peer_table *t)
{
  if (t->buckets == NULL) return;
  mcb__peers_clear(t);
  free(t->buckets);
  t->buckets = NULL;
}

static uint64_t hash_pair(const mcb_bench *b, const mcb_addr *src, const mcb_addr *dst)
{
  if (src->u.sa.sa_family == AF_INET && dst->u.sa.sa_family == AF_INET) {
    /* The common case hashes the fields in place, without building a key buffer. */
    uint64_t k[2] = {(uint64_t)src->u.in4.sin_addr.s_addr << 32 |
                         (uint64_t)src->u.in4.sin_port << 16 | AF_INET,
                     (uint64_t)dst->u.in4.sin_addr.s_addr << 32 | dst->u.in4.sin_port};
    return mcb__siphash(b->hash_key, k, sizeof k);
  }
  uint8_t key[2 * sizeof(mcb_addr)];
  size_t n = mcb__addr_key(src, key, sizeof key / 2);
  n += mcb__addr_key(dst, key + n, sizeof key - n);
  return mcb__siphash(b->hash_key, key, n);
}

static mcb_peer *lookup(const mcb__peer_table *t, uint64_t h, const mcb_addr *src,
                        const mcb_addr *dst)
{
  for (mcb_peer *p = t->buckets[h & (t->nbuckets - 1)]; p != NULL; p = p->hnext)
    if (p->hash == h && mcb__addr_same(&p->src, src) && mcb__addr_same(&p->dst, dst)) return p;
  return NULL;
}

static void unhash(mcb__peer_table *t, mcb_peer *victim)
{
  mcb_peer **pp = &t->buckets[victim->hash & (t->nbuckets - 1)];
  while (*pp != victim) pp = &(*pp)->hnext;
  *pp = victim->hnext;
}

/* A new entry, or the least recently seen one recycled when the table is full. */
static mcb_peer *make_room(mcb_socket *s)
{
  mcb__peer_table *t = &s->peers;
  const mcb_limits *l = &s->bench->limits;
  mcb_peer *p;
  mcb__analysis *an = NULL;

  if (t->count >= l->max_peers) {
    p = MCB__CONTAINER(t->lru.prev, mcb_peer, lru);
    unhash(t, p);
    mcb__list_remove(&p->lru);
    s->counters.peers_evicted++;
    if ((an = p->an) != NULL) mcb__analysis_reset(an); /* the slot keeps its memory */
  } else {
    size_t recs = l->history * sizeof(mcb_record);
    p = malloc(sizeof *p + recs + l->history * l->payload_cap);
    if (p == NULL) return NULL;
    t->count++;
  }
  memset(p, 0, sizeof *p);
  p->an = an;
  p->recs = (mcb_record *)(p + 1);
  p->payload = (uint8_t *)p->recs + l->history * sizeof(mcb_record);
  p->hist_cap = l->history;
  p->payload_cap = l->payload_cap;
  p->width_ns = l->rate_window_ns / RATE_BUCKETS;
  return p;
}

/* Moves the window to the slice of `now` (clearing the slices skipped), once per slice. */
static void rate_advance(mcb_peer *p, uint64_t now)
{
  uint64_t e = now / p->width_ns;
  if (e > p->epoch) {
    uint64_t gap = e - p->epoch;
    for (uint64_t i = 1; i <= gap && i <= RATE_BUCKETS; i++) {
      p->rate_msgs[(p->epoch + i) % RATE_BUCKETS] = 0;
      p->rate_bytes[(p->epoch + i) % RATE_BUCKETS] = 0;
    }
    p->epoch = e;
  }
  p->slot = (unsigned)(p->epoch % RATE_BUCKETS);
  p->epoch_end_ns = (p->epoch + 1) * p->width_ns;
}

static void rate_add(mcb_peer *p, uint64_t now, size_t bytes)
{
  /* A datagram stamped before the current slice (clock read earlier in the batch) counts
   * in the current slice: close enough, and never corrupts the ring. */
  if (now >= p->epoch_end_ns) rate_advance(p, now);
  p->rate_msgs[p->slot]++;
  p->rate_bytes[p->slot] += bytes;
}

static void history_add(mcb_peer *p, const mcb_message *m)
{
  mcb_record *r;
  uint8_t *slot;
  if (p->hist_len > 0 && ++p->hist_head == p->hist_cap) p->hist_head = 0;
  if (p->hist_len < p->hist_cap) p->hist_len++;
  r = &p->recs[p->hist_head];
  slot = p->payload + p->hist_head * p->payload_cap;
  r->seq = p->seq;
  r->realtime_ns = m->realtime_ns;
  r->mono_ns = m->mono_ns;
  r->wire_len = m->wire_len;
  r->len = m->len < p->payload_cap ? m->len : p->payload_cap;
  r->truncated = m->truncated;
  r->ttl = m->ttl;
  r->ifindex = m->ifindex;
  if (r->len > 0) memcpy(slot, m->data, r->len);
  r->data = slot;
}

/* Floods come in runs from one sender: the most recent peer is tried before hashing. */
static mcb_peer *most_recent(const mcb__peer_table *t, const mcb_message *m)
{
  mcb_peer *p;
  if (mcb__list_empty(&t->lru)) return NULL;
  p = MCB__CONTAINER(t->lru.next, mcb_peer, lru);
  return mcb__addr_same(&p->src, m->src) && mcb__addr_same(&p->dst, m->dst) ? p : NULL;
}

const mcb_peer *mcb__peers_record(mcb_socket *s, const mcb_message *m)
{
  mcb__peer_table *t = &s->peers;
  mcb_peer *p = most_recent(t, m);
  uint64_t h;

  if (p != NULL) goto count;
  h = hash_pair(s->bench, m->src, m->dst);
  p = lookup(t, h, m->src, m->dst);
  if (p == NULL) {
    if ((p = make_room(s)) == NULL) return NULL; /* out of memory: counted, not tracked */
    p->hash = h;
    p->src = *m->src;
    p->dst = *m->dst;
    p->id = s->bench->next_peer_id++;
    p->first_ns = m->mono_ns;
    p->first_real = m->realtime_ns;
    p->epoch = m->mono_ns / p->width_ns;
    rate_advance(p, m->mono_ns);
    p->hnext = t->buckets[h & (t->nbuckets - 1)];
    t->buckets[h & (t->nbuckets - 1)] = p;
  } else {
    mcb__list_remove(&p->lru);
  }
  mcb__list_insert_head(&t->lru, &p->lru);
count:
  p->msgs++;
  p->seq++;
  p->bytes += m->wire_len;
  p->last_ns = m->mono_ns;
  p->last_real = m->realtime_ns;
  p->last_ttl = m->ttl;
  p->last_ifindex = m->ifindex;
  if (m->has_cred) {
    p->has_cred = true;
    p->pid = m->pid;
    p->uid = m->uid;
    p->gid = m->gid;
  }
  rate_add(p, m->mono_ns, m->wire_len);
  if (m->mono_ns < p->persec.end_ns) { /* inside the current second: mcb_persec_add inline */
    p->persec.msgs[p->persec.head]++;
    p->persec.bytes[p->persec.head] += m->wire_len;
  } else {
    mcb_persec_add(&p->persec, m->mono_ns, m->wire_len);
  }
  if (mcb__maybe_structured(m->data, m->len))
    mcb__analysis_add(&p->an, m);
  else if (p->an != NULL)
    mcb__analysis_plain(p->an);
  history_add(p, m);
  return p;
}

size_t mcb_peer_count(const mcb_socket *s)
{
  return s->peers.count;
}

const mcb_peer *mcb_peer_next(const mcb_socket *s, const mcb_peer *prev)
{
  const mcb__link *l = prev ? prev->lru.next : s->peers.lru.next;
  return l == &s->peers.lru ? NULL : MCB__CONTAINER(l, mcb_peer, lru);
}

const mcb_peer *mcb_peer_find(const mcb_socket *s, const mcb_addr *src, const mcb_addr *dst)
{
  return lookup(&s->peers, hash_pair(s->bench, src, dst), src, dst);
}

void mcb_peer_stats_get(const mcb_peer *p, uint64_t now, mcb_peer_stats *out)
{
  uint64_t now_epoch = now / p->width_ns, msgs = 0, bytes = 0;
  double window;

  memset(out, 0, sizeof *out);
  out->src = p->src;
  out->dst = p->dst;
  out->id = p->id;
  out->msgs = p->msgs;
  out->bytes = p->bytes;
  out->first_seen_ns = p->first_ns;
  out->last_seen_ns = p->last_ns;
  out->first_seen_real_ns = p->first_real;
  out->last_seen_real_ns = p->last_real;
  out->last_ttl = p->last_ttl;
  out->last_ifindex = p->last_ifindex;
  out->has_cred = p->has_cred;
  out->pid = p->pid;
  out->uid = p->uid;
  out->gid = p->gid;
  /* Slices still inside the window: the current one (partial) and the RATE_BUCKETS-1
   * before it. */
  for (uint64_t i = 0; i < RATE_BUCKETS; i++) {
    if (p->epoch < i) break;
    uint64_t e = p->epoch - i;
    if (e > now_epoch || now_epoch - e >= RATE_BUCKETS) continue;
    msgs += p->rate_msgs[e % RATE_BUCKETS];
    bytes += p->rate_bytes[e % RATE_BUCKETS];
  }
  window = (double)((RATE_BUCKETS - 1) * p->width_ns + (now % p->width_ns)) / 1e9;
  out->rate_msgs = (double)msgs / window;
  out->rate_bytes = (double)bytes / window;
}

size_t mcb_peer_history_len(const mcb_peer *p)
{
  return p->hist_len;
}

const mcb_record *mcb_peer_history(const mcb_peer *p, size_t index)
{
  if (index >= p->hist_len) return NULL;
  return &p->recs[(p->hist_head + p->hist_cap - index) % p->hist_cap];
}

void mcb_peer_analysis_get(const mcb_peer *p, uint64_t now, mcb_peer_analysis *out)
{
  mcb__analysis_get(p->an, now, out);
}

size_t mcb_peer_stream_count(const mcb_peer *p)
{
  return mcb__analysis_streams(p->an);
}

const mcb_stream_stats *mcb_peer_stream(const mcb_peer *p, size_t index)
{
  return mcb__analysis_stream(p->an, index);
}

const mcb_persec *mcb_peer_persec(const mcb_peer *p)
{
  return &p->persec;
}

const mcb_delaystats *mcb_peer_delay(const mcb_peer *p)
{
  return mcb__analysis_delay(p->an);
}

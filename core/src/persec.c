/* persec.c - a ring of per-second datagram and byte counts over the last
 * MCB_PERSEC_SLOTS seconds of the monotonic clock, for sparklines and sliding-window
 * rates. Adding a datagram inside the current second is two additions and a compare;
 * the division that finds the second happens once per second.
 */
#include <mcb.h>
#include <string.h>

#define NS 1000000000u

void mcb_persec_init(mcb_persec *r)
{
  memset(r, 0, sizeof *r);
}

/* Moves the ring to second `sec`, zeroing the seconds skipped (at most all slots). */
static void advance(mcb_persec *r, uint64_t sec)
{
  uint64_t steps = r->started ? sec - r->sec : MCB_PERSEC_SLOTS;
  if (steps > MCB_PERSEC_SLOTS) steps = MCB_PERSEC_SLOTS;
  for (uint64_t i = 0; i < steps; i++) {
    r->head = (r->head + 1) % MCB_PERSEC_SLOTS;
    r->msgs[r->head] = 0;
    r->bytes[r->head] = 0;
  }
  r->sec = sec;
  r->end_ns = (sec + 1) * NS;
  r->started = true;
}

void mcb_persec_add(mcb_persec *r, uint64_t now_ns, uint64_t bytes)
{
  if (now_ns >= r->end_ns || !r->started) {
    uint64_t sec = now_ns / NS;
    if (!r->started || sec > r->sec) advance(r, sec);
  }
  r->msgs[r->head]++;
  r->bytes[r->head] += bytes;
}

void mcb_persec_get(const mcb_persec *r, uint64_t now_ns, unsigned ago, uint64_t *msgs,
                    uint64_t *bytes)
{
  uint64_t now_sec = now_ns / NS;
  *msgs = *bytes = 0;
  if (!r->started || now_sec < r->sec) return;
  /* How many seconds before the newest slot the asked one is. */
  uint64_t back = (now_sec - r->sec) + ago;
  if (now_sec - r->sec > MCB_PERSEC_SLOTS || back >= MCB_PERSEC_SLOTS) return;
  unsigned i = (unsigned)((r->head + MCB_PERSEC_SLOTS - back) % MCB_PERSEC_SLOTS);
  *msgs = r->msgs[i];
  *bytes = r->bytes[i];
}

void mcb_persec_rate(const mcb_persec *r, uint64_t now_ns, unsigned window_s, double *pps,
                     double *bytes_per_s)
{
  uint64_t m, b;
  double frac = (double)(now_ns % NS) / NS; /* share of the current second elapsed */
  double sm = 0, sb = 0;
  if (window_s < 1) window_s = 1;
  if (window_s > MCB_PERSEC_SLOTS - 1) window_s = MCB_PERSEC_SLOTS - 1;
  for (unsigned ago = 0; ago < window_s; ago++) {
    mcb_persec_get(r, now_ns, ago, &m, &b);
    sm += (double)m;
    sb += (double)b;
  }
  /* The oldest second only partly inside the window, weighted by its share. */
  mcb_persec_get(r, now_ns, window_s, &m, &b);
  sm += (double)m * (1.0 - frac);
  sb += (double)b * (1.0 - frac);
  *pps = sm / window_s;
  *bytes_per_s = sb / window_s;
}

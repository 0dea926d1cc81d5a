/* delaystats.c - interarrival jitter (RFC 3550 section 6.4.1) and delay statistics
 * (min, max, mean, percentiles) in fixed memory.
 *
 * The histogram is log-bucketed: values below 8 ns have a bucket each; above, every
 * power of two [2^e, 2^(e+1)) is split into 8 buckets of width 2^(e-3), so a bucket is at
 * most 1/8 of its values wide and its midpoint is within 1/16 (6.25%) of any of them.
 * Finding a bucket is a count-leading-zeros and two shifts; no division per datagram.
 */
#include <mcb.h>
#include <string.h>

#define SUB_BITS 3 /* 8 buckets per power of two */
#define SUB      (1 << SUB_BITS)
#define TOP_EXP  36 /* the last power of two kept: values up to 2^37 - 1 ns */

_Static_assert(SUB + (TOP_EXP - SUB_BITS + 1) * SUB == MCB_DELAY_BUCKETS, "bucket count");

void mcb_jitter_init(mcb_jitter *j)
{
  memset(j, 0, sizeof *j);
}

void mcb_jitter_add(mcb_jitter *j, uint64_t send_ns, uint64_t arrival_ns)
{
  int64_t transit = (int64_t)(arrival_ns - send_ns);
  if (j->have_last) {
    uint64_t d = (uint64_t)transit - (uint64_t)j->last_transit_ns;
    uint64_t ad = (int64_t)d < 0 ? 0 - d : d;                   /* |D| */
    j->jitter_ns += ((double)ad - j->jitter_ns) * (1.0 / 16.0); /* exact: a power of two */
  }
  j->last_transit_ns = transit;
  j->have_last = true;
}

void mcb_delaystats_init(mcb_delaystats *d)
{
  memset(d, 0, sizeof *d);
  d->min_ns = INT64_MAX; /* so that the first value replaces both without a branch */
  d->max_ns = INT64_MIN;
}

static inline unsigned bucket_of(uint64_t v)
{
  if (v < SUB) return (unsigned)v;
  unsigned e = 63u - (unsigned)__builtin_clzll(v);
  if (e > TOP_EXP) return MCB_DELAY_BUCKETS - 1;
  unsigned sub = (unsigned)(v >> (e - SUB_BITS)) & (SUB - 1);
  return SUB + (e - SUB_BITS) * SUB + sub;
}

/* The smallest value of bucket i and its width. */
static void bucket_range(unsigned i, uint64_t *low, uint64_t *width)
{
  if (i < SUB) {
    *low = i;
    *width = 1;
    return;
  }
  unsigned e = (i - SUB) / SUB + SUB_BITS, sub = (i - SUB) % SUB;
  *width = (uint64_t)1 << (e - SUB_BITS);
  *low = ((uint64_t)1 << e) + sub * *width;
}

void mcb_delaystats_add(mcb_delaystats *d, int64_t delay_ns)
{
  d->min_ns = delay_ns < d->min_ns ? delay_ns : d->min_ns;
  d->max_ns = delay_ns > d->max_ns ? delay_ns : d->max_ns;
  d->count++;
  d->sum_ns += (double)delay_ns;
  d->negative += delay_ns < 0;
  d->hist[bucket_of(delay_ns < 0 ? 0 : (uint64_t)delay_ns)]++;
}

double mcb_delaystats_mean_ns(const mcb_delaystats *d)
{
  return d->count == 0 ? 0.0 : d->sum_ns / (double)d->count;
}

int64_t mcb_delaystats_quantile_ns(const mcb_delaystats *d, unsigned permille)
{
  if (d->count == 0) return 0;
  if (permille > 1000) permille = 1000;
  /* The rank-th smallest value, rank = ceil(count * permille / 1000), at least 1. */
  uint64_t rank = d->count / 1000 * permille + (d->count % 1000 * permille + 999) / 1000;
  if (rank <= 1) return d->min_ns; /* the extremes are known exactly */
  if (rank >= d->count) return d->max_ns;
  uint64_t seen = 0;
  unsigned i = 0;
  for (; i < MCB_DELAY_BUCKETS - 1; i++) {
    seen += d->hist[i];
    if (seen >= rank) break;
  }
  if (i == MCB_DELAY_BUCKETS - 1) return d->max_ns; /* beyond 2^37 ns: only max is known */
  uint64_t low, width;
  bucket_range(i, &low, &width);
  int64_t v = (int64_t)(low + width / 2);
  if (v < d->min_ns) v = d->min_ns;
  if (v > d->max_ns) v = d->max_ns;
  return v;
}

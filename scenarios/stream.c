/* stream.c - a send stream's plan: deadlines, sizes and seeded impairments (stream.h). */
#include "stream.h"

#include <string.h>

uint64_t scn_rand_next(uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t scn_stream_planned(const scn_stream_cfg *c)
{
  uint64_t n = c->count;
  if (c->for_ns > 0 && c->interval_ns > 0) {
    uint64_t deadlines = (c->for_ns + c->interval_ns - 1) / c->interval_ns;
    uint64_t by_time = deadlines * (c->burst ? c->burst : 1);
    if (n == 0 || by_time < n) n = by_time;
  }
  return n;
}

uint64_t scn_stream_deadline(const scn_stream_cfg *c, uint64_t i)
{
  return (i / (c->burst ? c->burst : 1)) * c->interval_ns;
}

void scn_stream_gen_init(scn_stream_gen *g, const scn_stream_cfg *cfg)
{
  memset(g, 0, sizeof *g);
  g->cfg = *cfg;
  if (g->cfg.burst == 0) g->cfg.burst = 1;
  if (g->cfg.size_max < g->cfg.size_min) g->cfg.size_max = g->cfg.size_min;
  g->planned = scn_stream_planned(&g->cfg);
  g->random = g->cfg.size_max != g->cfg.size_min || g->cfg.drop_ppm || g->cfg.dup_ppm ||
              g->cfg.reorder_ppm || g->cfg.jitter_ns;
  g->rng = cfg->seed;
}

static bool chance(scn_stream_gen *g, uint32_t ppm)
{
  return scn_rand_next(&g->rng) % SCN_PPM < ppm;
}

/* The five draws of sequence number g->next, always all of them, in a fixed order. */
static void draw(scn_stream_gen *g)
{
  const scn_stream_cfg *c = &g->cfg;
  uint64_t span = c->size_max - c->size_min + 1, jit = c->jitter_ns + 1, due;
  if (!g->random) { /* nothing is left to chance: no draw (the fast path at high rates) */
    g->len = (uint32_t)c->size_min;
    g->drop = g->reorder = g->dup = false;
    g->due_ns = scn_stream_deadline(c, g->next);
    g->drawn = true;
    return;
  }
  g->len = (uint32_t)(c->size_min + scn_rand_next(&g->rng) % span);
  g->drop = chance(g, c->drop_ppm);
  g->reorder = chance(g, c->reorder_ppm) && g->next > 0;
  g->dup = chance(g, c->dup_ppm);
  due = scn_stream_deadline(c, g->next) + scn_rand_next(&g->rng) % jit;
  /* jitter delays, it never reorders: a datagram waits for the one before it */
  g->due_ns = due > g->last_due_ns ? due : g->last_due_ns;
  g->drawn = true;
}

bool scn_stream_peek(scn_stream_gen *g, uint64_t *due_ns)
{
  if (g->planned != 0 && g->next >= g->planned) return false;
  if (!g->drawn) draw(g);
  *due_ns = g->due_ns;
  return true;
}

size_t scn_stream_take(scn_stream_gen *g, scn_wire out[SCN_WIRE_MAX])
{
  scn_wire w;
  size_t n = 0;
  if (!g->drawn) draw(g);
  w = (scn_wire){.seq = g->next, .len = g->len};
  g->next++;
  g->drawn = false;
  g->last_due_ns = g->due_ns;
  if (g->drop) {
    g->dropped++;
    return 0;
  }
  if (g->reorder && !g->held) {
    g->held = true;
    g->held_dup = g->dup;
    g->hold = w;
    return 0;
  }
  out[n++] = w;
  if (g->dup) {
    out[n++] = w;
    g->duplicated++;
  }
  if (g->held) {
    out[n++] = g->hold;
    if (g->held_dup) {
      out[n++] = g->hold;
      g->duplicated++;
    }
    g->held = false;
    g->reordered++;
  }
  return n;
}

size_t scn_stream_flush(scn_stream_gen *g, scn_wire out[SCN_WIRE_MAX])
{
  size_t n = 0;
  if (!g->held) return 0;
  out[n++] = g->hold;
  if (g->held_dup) {
    out[n++] = g->hold;
    g->duplicated++;
  }
  g->held = false;
  return n;
}

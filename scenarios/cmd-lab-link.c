/* cmd-lab-link.c - the impairments of `lab link`: loss and dup (nftables), rate (a token
 * bucket), delay, jitter and reorder (netem): read from the command, checked where the
 * text alone shows a mistake, and written back as `lab show` and the link's note say
 * them ("loss 5%, dup 1%, rate 2Mbps"). */
#include "cmd-lab.h"
#include "values.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE_MIN 8000.0 /* bit/s: a token bucket below 1 kB/s is not a link */
#define RATE_MAX 100e9

/* The rate clause in bit/s; false (and *why) when it is out of range. */
static bool parse_rate(const scn_command *cmd, uint64_t *bps, const char **why)
{
  const scn_token *t = scn_arg(cmd, "rate");
  const char *unit = scn_arg_word(cmd, "kbps|Mbps");
  char *end;
  double v;
  *bps = 0;
  if (t == NULL) return true;
  errno = 0;
  v = strtod(t->text, &end);
  v *= unit != NULL && strcmp(unit, "Mbps") == 0 ? 1e6 : 1e3;
  if (errno != 0 || *end != '\0' || !(v >= RATE_MIN) || v > RATE_MAX) {
    *why = "a link's rate is 8 kbps to 100000 Mbps";
    return false;
  }
  *bps = (uint64_t)v;
  return true;
}

void scn__lab_check_link(scn_checker *ck, scn_command *cmd)
{
  const scn_token *t = scn_arg(cmd, "rate");
  uint64_t bps;
  const char *why = NULL;
  if (!parse_rate(cmd, &bps, &why)) scn_diags_at(ck->diags, cmd, t, "%s", why);
  if (scn_arg(cmd, "delay") == NULL) {
    if ((t = scn_arg(cmd, "jitter")) != NULL)
      scn_diags_at(ck->diags, cmd, t, "jitter varies a delay: give delay DUR too");
    if ((t = scn_arg(cmd, "reorder")) != NULL)
      scn_diags_at(ck->diags, cmd, t,
                   "reorder sends a share at once while the rest waits: give delay DUR too");
  }
}

void scn__lab_link_opts(const scn_command *cmd, mcb_lab_link_opts *o)
{
  static const char *const ppm_words[] = {"loss", "dup", "reorder"};
  unsigned *ppm[] = {&o->loss_ppm, &o->dup_ppm, &o->reorder_ppm};
  const scn_token *t;
  const char *why;
  /* Each value was checked by the grammar and scn__lab_check_link. */
  for (size_t i = 0; i < sizeof ppm / sizeof ppm[0]; i++) {
    uint32_t v = 0;
    if ((t = scn_arg(cmd, ppm_words[i])) != NULL) scn_parse_ppm(t->text, &v, &why);
    *ppm[i] = v;
  }
  if ((t = scn_arg(cmd, "delay")) != NULL) scn_parse_duration(t->text, &o->delay_ns, &why);
  if ((t = scn_arg(cmd, "jitter")) != NULL) scn_parse_duration(t->text, &o->jitter_ns, &why);
  (void)parse_rate(cmd, &o->rate_bps, &why);
}

/* "5%", "0.5%", "0.0001%" */
static void format_ppm(unsigned ppm, char *buf, size_t size)
{
  char frac[8];
  snprintf(frac, sizeof frac, ".%04u", ppm % 10000);
  for (size_t z = strlen(frac); z > 0 && (frac[z - 1] == '0' || frac[z - 1] == '.'); z--)
    frac[z - 1] = '\0';
  snprintf(buf, size, "%u%s%%", ppm / 10000, frac);
}

/* "2Mbps", "64kbps", "1.5Mbps" */
static void format_rate(uint64_t bps, char *buf, size_t size)
{
  if (bps >= 1000000)
    snprintf(buf, size, "%.6gMbps", (double)bps / 1e6);
  else
    snprintf(buf, size, "%.6gkbps", (double)bps / 1e3);
}

void scn__lab_format_impairments(const mcb_lab_link_info *li, char *buf, size_t size)
{
  char v[32];
  size_t n = 0;
  buf[0] = '\0';
#define ADD(...) (n < size ? n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__) : 0)
  if (li->ttl_threshold > 1) ADD(", ttl-threshold %d", li->ttl_threshold);
  if (li->loss_ppm > 0) format_ppm(li->loss_ppm, v, sizeof v), ADD(", loss %s", v);
  if (li->dup_ppm > 0) format_ppm(li->dup_ppm, v, sizeof v), ADD(", dup %s", v);
  if (li->rate_bps > 0) format_rate(li->rate_bps, v, sizeof v), ADD(", rate %s", v);
  if (li->delay_ns > 0) scn_format_duration(li->delay_ns, v, sizeof v), ADD(", delay %s", v);
  if (li->jitter_ns > 0) scn_format_duration(li->jitter_ns, v, sizeof v), ADD(", jitter %s", v);
  if (li->reorder_ppm > 0) format_ppm(li->reorder_ppm, v, sizeof v), ADD(", reorder %s", v);
#undef ADD
}

/* "lost 3, duplicated 40, dropped by the queue 190" for one end. */
static void format_counters(const mcb_lab_link_info *li, const mcb_lab_impair_counters *c,
                            char *buf, size_t size)
{
  size_t n = 0;
  buf[0] = '\0';
#define ADD(...) (n < size ? n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__) : 0)
  if (li->loss_ppm > 0) ADD("%slost %llu", n ? ", " : "", (unsigned long long)c->lost);
  if (li->dup_ppm > 0) ADD("%sduplicated %llu", n ? ", " : "", (unsigned long long)c->duplicated);
  if (li->rate_bps > 0 || li->delay_ns > 0 || li->reorder_ppm > 0)
    ADD("%sdropped by the %s %llu", n ? ", " : "", li->delay_ns > 0 ? "netem queue" : "rate limit",
        (unsigned long long)c->queue_dropped);
#undef ADD
}

void scn__lab_show_impair_counters(scn_session *s, scn_command *cmd, mcb_lab *lab, size_t i,
                                   const mcb_lab_link_info *li)
{
  mcb_lab_impair_counters c[2];
  char a[128], b[128];
  if (li->loss_ppm == 0 && li->dup_ppm == 0 && li->rate_bps == 0 && li->delay_ns == 0 &&
      li->reorder_ppm == 0)
    return;
  if (mcb_lab_link_impairs(lab, i, c) != 0) return;
  format_counters(li, &c[0], a, sizeof a);
  format_counters(li, &c[1], b, sizeof b);
  scn_note(s, cmd, "  impairments: %s %s | %s %s\n", li->ifname_a, a, li->ifname_b, b);
}

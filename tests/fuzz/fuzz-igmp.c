/* fuzz-igmp.c - libFuzzer target for the lab watcher's IGMP/MLD decoder
 * (mcb_igmp_decode), which reads packets from the wire, and the events and sentences
 * made of what it accepts (lab-events.c).
 *
 * It checks, beyond memory safety (ASan/UBSan): a refused packet leaves nothing behind
 * (the message is all zero); an accepted one has a known family, version and type, its
 * records within their bounds and of a known type; its events are at most its records,
 * each with an action that has a name, and every sentence is terminated text within its
 * buffer. Seeds in tests/fuzz/corpus/igmp are the packets of tests/core/test-igmp.c.
 */
#include <mcb.h>

#include <stdlib.h>
#include <string.h>

#include "lab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const mcb_igmp_msg *m)
{
  size_t kept = m->nrecords < MCB_IGMP_MAX_RECORDS ? m->nrecords : MCB_IGMP_MAX_RECORDS;
  mcb_lab_event ev[MCB_IGMP_MAX_RECORDS];
  char text[256];
  size_t n;
  if (m->family != AF_INET && m->family != AF_INET6) abort();
  if (m->version < 1 || m->version > (m->family == AF_INET ? 3 : 2)) abort();
  if (m->type < MCB_IGMP_QUERY || m->type > MCB_IGMP_LEAVE) abort();
  for (size_t i = 0; i < kept; i++)
    if (m->records[i].type > MCB_IGMP_BLOCK) abort();
  n = mcb__lab_events_of(m, ev, MCB_IGMP_MAX_RECORDS);
  if (n > (kept > 0 ? kept : 1)) abort();
  for (size_t i = 0; i < n; i++) {
    if (mcb_lab_action_name(ev[i].action) == NULL) abort();
    memcpy(ev[i].link, "h1-r1", 6);
    mcb_lab_event_format(&ev[i], text, sizeof text);
    if (memchr(text, '\0', sizeof text) == NULL) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const mcb_igmp_msg zero;
  mcb_igmp_msg m;
  if (mcb_igmp_decode(data, size, &m) != 0) {
    if (memcmp(&m, &zero, sizeof m) != 0) abort();
    return 0;
  }
  check_accepted(&m);
  return 0;
}

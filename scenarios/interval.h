/* interval.h - periodic per-peer traffic figures while a scenario runs (`run --interval`). */
#ifndef SCN_INTERVAL_H
#define SCN_INTERVAL_H

#include <uv.h>

#include "report.h"

typedef struct scn_interval_clock scn_interval_clock;

/* Every period_ns, samples every peer of s's sockets and reports what arrived since the
 * previous sample (scn_reports_interval, scn_file_report_add_interval). */
int scn_interval_start(uv_loop_t *loop, uint64_t period_ns, const scn_session *s, scn_reports *rs,
                       scn_file_report *rep, scn_interval_clock **out);
/* Reports the last, partial interval and closes the timer (freed once the loop runs). */
void scn_interval_stop(scn_interval_clock *c);

#endif

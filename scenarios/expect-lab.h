/* expect-lab.h - `expect lab igmp|mld join|leave|report|query ...`: the lab's event log
 * asserted (expect-lab.c), for cmd-expect.c. */
#ifndef SCN_EXPECT_LAB_H
#define SCN_EXPECT_LAB_H

#include "command-api.h"

/* The actions as the grammar spells them, from the core's names: "join|leave|report|query". */
const char *scn_expect_lab_actions(void);

/* True when an event after the session's cursor matches the expectation (protocol,
 * action, and GROUP, `from NODE`, `version N` when given); a match moves the cursor to
 * it. Writes what was expected and what was seen. */
bool scn_expect_lab(scn_session *s, const scn_command *cmd, char *expected, char *actual,
                    size_t size);

/* expect-switch.c: `expect lab NODE adds|removes [GROUP] [on OTHER]` and `expect
 * lab NODE querier self|other|none`, judged like scn_expect_lab. */
bool scn_expect_switch(scn_session *s, const scn_command *cmd, char *expected, char *actual,
                       size_t size);

#endif

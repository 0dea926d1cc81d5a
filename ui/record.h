/* record.h - `record FILE`: saves the operator's commands as a replayable scenario, with
 * `wait` lines for the time between them and `expect error` after commands that failed,
 * so `mcbench run` replays the session with the same results. */
#ifndef UI_RECORD_H
#define UI_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct ui_record {
  FILE *f;
  uint64_t last_ns; /* when the previous command was recorded */
  unsigned lines;
} ui_record;

/* 0, or a negative code with the reason in why. */
int ui_record_start(ui_record *r, const char *path, char *why, size_t size);
void ui_record_command(ui_record *r, const char *text, uint64_t now_ns);
void ui_record_error(ui_record *r, int code);
void ui_record_stop(ui_record *r);
bool ui_record_active(const ui_record *r);

#endif

/* json.h - the one JSON string writer of the reports (ASCII out: anything else, and every
 * control byte, is a \u escape, so a report never carries raw untrusted bytes). */
#ifndef SCN_JSON_H
#define SCN_JSON_H

#include <stdio.h>

void scn_json_str(FILE *f, const char *s);

#endif

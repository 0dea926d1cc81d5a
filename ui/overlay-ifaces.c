/* overlay-ifaces.c - the ifaces view (i, or `ifaces on`): every interface of the host
 * or namespace mcbench runs in, with its index, flags and addresses, and the groups the
 * host joined on it (whichever program joined them), read from the kernel at each
 * frame, so a join or a drop shows at once. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IFACES 32

void ui_overlay_ifaces(const ui_state *st, const ui_model *src, ui_canvas *c)
{
  int w = c->w - 4, h = c->h - 4, x = 2, y = 2, row = 0, skip = st->ifaces_scroll;
  ui_iface_view *v = calloc(MAX_IFACES, sizeof *v);
  char title[128], line[700], host[UI_NAME_MAX] = "";
  size_t n =
      v && src->ifaces ? src->ifaces(src->arg, st->selected, host, sizeof host, v, MAX_IFACES) : 0;
  ui_canvas_fill(c, x, y, w, h, ' ', UI_R_NORMAL);
  snprintf(title, sizeof title, "interfaces%s%s: %zu (i or Esc closes, Up/Down scroll)",
           host[0] ? " of lab host " : "", host, n);
  ui_canvas_box(c, x, y, w, h, title, UI_R_SELECTED | UI_BOLD);
  if (n == 0) ui_canvas_text(c, x + 2, y + 1, w - 4, "none could be read", UI_R_DIM);
  /* two lines an interface: what it is, then the groups joined on it */
  for (size_t i = 0; i < n && row < h - 2; i++) {
    for (int sub = 0; sub < 2 && row < h - 2; sub++) {
      if (skip-- > 0) continue;
      if (sub == 0) {
        snprintf(line, sizeof line, "%u %s  %s  %s", v[i].index, v[i].name,
                 v[i].flags[0] ? v[i].flags : "DOWN", v[i].addrs[0] ? v[i].addrs : "no address");
        ui_canvas_cut(c, x + 1, y + 1 + row++, w - 2, line,
                      strstr(v[i].flags, "UP") ? UI_R_NORMAL | UI_BOLD : UI_R_DIM, ui_ellipsis(st));
      } else {
        snprintf(line, sizeof line, "    joined: %s", v[i].groups[0] ? v[i].groups : "none");
        ui_canvas_cut(c, x + 1, y + 1 + row++, w - 2, line, UI_R_DIM, ui_ellipsis(st));
      }
    }
  }
  free(v);
}

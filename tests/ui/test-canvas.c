/* test-canvas.c - the canvas clips every write, keeps double-width characters whole and
 * dumps exactly what was drawn (the basis of the golden-file tests). */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "canvas.h"

static char *dump(const ui_canvas *c)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ui_canvas_dump(c, f);
  fclose(f);
  return buf;
}

static void text_and_clipping(void **state)
{
  ui_canvas c;
  assert_int_equal(ui_canvas_init(&c, 10, 3), 0);
  assert_int_equal(ui_canvas_text(&c, 0, 0, 10, "hello", 0), 5);
  assert_int_equal(ui_canvas_text(&c, 7, 1, 10, "overflow", 0), 3); /* clipped at the edge */
  ui_canvas_text(&c, -3, 2, 10, "abcdef", 0);                       /* off the left edge */
  ui_canvas_put(&c, 100, 100, 'x', 0);                              /* ignored */
  char *d = dump(&c);
  assert_string_equal(d, "hello\n       ove\ndef\n");
  free(d);
  ui_canvas_free(&c);
}

static void wide_characters(void **state)
{
  ui_canvas c;
  assert_int_equal(ui_canvas_init(&c, 5, 1), 0);
  /* two double-width characters need 4 columns; the third does not fit in 5 */
  assert_int_equal(ui_canvas_text(&c, 0, 0, 5, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0), 5);
  assert_int_equal(c.cells[1].ch, 0); /* right half of the first */
  char *d = dump(&c);
  assert_string_equal(d, "\xe6\x97\xa5\xe6\x9c\xac\n");
  free(d);
  ui_canvas_free(&c);
}

static void box_and_title(void **state)
{
  ui_canvas c;
  assert_int_equal(ui_canvas_init(&c, 12, 3), 0);
  ui_canvas_box(&c, 0, 0, 12, 3, "peers", UI_R_BORDER);
  char *d = dump(&c);
  assert_string_equal(d,
                      "\xe2\x94\x8c peers \xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x90\n"
                      "\xe2\x94\x82          \xe2\x94\x82\n"
                      "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80"
                      "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x98\n");
  free(d);
  ui_canvas_free(&c);
}

static void stray_bytes_never_drawn(void **state)
{
  ui_canvas c;
  assert_int_equal(ui_canvas_init(&c, 6, 1), 0);
  ui_canvas_text(&c, 0, 0, 6,
                 "a\xff"
                 "b\x1b",
                 0); /* callers escape; the canvas still guards */
  char *d = dump(&c);
  assert_string_equal(d, "a?b?\n");
  free(d);
  ui_canvas_free(&c);
}

int main(void)
{
  setlocale(LC_CTYPE, "C.UTF-8");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(text_and_clipping),
      cmocka_unit_test(wide_characters),
      cmocka_unit_test(box_and_title),
      cmocka_unit_test(stray_bytes_never_drawn),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

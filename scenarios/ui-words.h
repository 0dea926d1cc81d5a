/* ui-words.h - the front end's vocabulary, defined once.
 *
 * Each list below names the words one front-end verb accepts (focus targets, view modes,
 * sort keys, directions, paces). cmd-ui.c builds the verbs' grammar forms from these
 * lists, and the front end (ui/) gets its enums and name tables from the same lists, so
 * a word added here is checked, completed, documented and handled without a second
 * spelling. A row is X(GROUP, ID, "word", "label"): the label is how a screen names it.
 *
 * Also the front-end verbs' entries, for the front end's verb -> handler table.
 */
#ifndef SCN_UI_WORDS_H
#define SCN_UI_WORDS_H

#include "cmd.h"

/* Words that other forms borrow ("sort next", "view toggle"). */
#define SCN_UI_WORD_NEXT   "next"
#define SCN_UI_WORD_PREV   "prev"
#define SCN_UI_WORD_TOGGLE "toggle"

/* clang-format off */
#define SCN_UI_CYCLES(X, SEP) \
  X(CYCLE, NEXT, SCN_UI_WORD_NEXT, "next") SEP \
  X(CYCLE, PREV, SCN_UI_WORD_PREV, "previous")
#define SCN_UI_FOCUSES(X, SEP) \
  X(FOCUS, SOCKETS, "sockets", "sockets pane") SEP \
  X(FOCUS, PEERS, "peers", "peer panes")
#define SCN_UI_VIEWS(X, SEP) \
  X(VIEW, TEXT, "text", "text") SEP \
  X(VIEW, HEX, "hex", "hex dump")
#define SCN_UI_SORTS(X, SEP) \
  X(SORT, RATE, "rate", "rate") SEP \
  X(SORT, COUNT, "count", "count") SEP \
  X(SORT, LAST, "last", "last seen") SEP \
  X(SORT, ADDRESS, "address", "address")
#define SCN_UI_MOVES(X, SEP) \
  X(MOVE, UP, "up", "up") SEP \
  X(MOVE, DOWN, "down", "down") SEP \
  X(MOVE, LEFT, "left", "left") SEP \
  X(MOVE, RIGHT, "right", "right")
#define SCN_UI_SCROLLS(X, SEP) \
  X(SCROLL, UP, "up", "a line back") SEP \
  X(SCROLL, DOWN, "down", "a line forward") SEP \
  X(SCROLL, PAGEUP, "pageup", "a page back") SEP \
  X(SCROLL, PAGEDOWN, "pagedown", "a page forward") SEP \
  X(SCROLL, TOP, "top", "oldest") SEP \
  X(SCROLL, BOTTOM, "bottom", "newest")
#define SCN_UI_SPEEDS(X, SEP) \
  X(SPEED, FASTER, "faster", "faster") SEP \
  X(SPEED, SLOWER, "slower", "slower")
#define SCN_UI_SWITCHES(X, SEP) \
  X(SWITCH, ON, "on", "on") SEP \
  X(SWITCH, OFF, "off", "off") SEP \
  X(SWITCH, TOGGLE, SCN_UI_WORD_TOGGLE, "toggle")
/* clang-format on */

/* Helpers for the lists: SCN_UI_SORTS(SCN_UI_ENUM, SCN_UI_COMMA) lists the enumerators,
 * SCN_UI_SORTS(SCN_UI_WORD, "|") is the grammar alternative "rate|count|last|address". */
#define SCN_UI_ENUM(g, id, word, label)  SCN_UI_##g##_##id
#define SCN_UI_WORD(g, id, word, label)  word
#define SCN_UI_LABEL(g, id, word, label) label
#define SCN_UI_COMMA                     ,
#define SCN_UI_NOTHING

/* The enums; SCN_UI_N_* counts each list. */
#define SCN_UI_COUNT_ONE(g, id, word, label) +1
typedef enum scn_ui_cycle_dir { SCN_UI_CYCLES(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_cycle_dir;
typedef enum scn_ui_focus_target { SCN_UI_FOCUSES(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_focus_target;
typedef enum scn_ui_view_mode { SCN_UI_VIEWS(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_view_mode;
typedef enum scn_ui_sort_key { SCN_UI_SORTS(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_sort_key;
typedef enum scn_ui_move_dir { SCN_UI_MOVES(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_move_dir;
typedef enum scn_ui_scroll_dir { SCN_UI_SCROLLS(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_scroll_dir;
typedef enum scn_ui_speed_step { SCN_UI_SPEEDS(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_speed_step;
typedef enum scn_ui_switch_value { SCN_UI_SWITCHES(SCN_UI_ENUM, SCN_UI_COMMA) } scn_ui_switch_value;
enum {
  SCN_UI_N_CYCLE = SCN_UI_CYCLES(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_FOCUS = SCN_UI_FOCUSES(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_VIEW = SCN_UI_VIEWS(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_SORT = SCN_UI_SORTS(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_MOVE = SCN_UI_MOVES(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_SCROLL = SCN_UI_SCROLLS(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_SPEED = SCN_UI_SPEEDS(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
  SCN_UI_N_SWITCH = SCN_UI_SWITCHES(SCN_UI_COUNT_ONE, SCN_UI_NOTHING),
};

/* Name tables, each SCN_UI_N_* long, in the order of the enums. */
extern const char *const scn_ui_cycle_words[],
    *const scn_ui_focus_words[], *const scn_ui_view_words[],
                                     *const scn_ui_sort_words[],
                                         *const scn_ui_sort_labels[],
                                             *const scn_ui_move_words[],
                                                 *const scn_ui_scroll_words[],
                                                     *const scn_ui_speed_words[],
                                                         *const scn_ui_switch_words[];

/* The index of word in a name table of n words, or -1. */
int scn_ui_word_index(const char *const *words, int n, const char *word);

/* The front-end verbs (cmd-ui.c), and `help`, which the front end shows as an overlay. */
extern const scn_entry scn_ui_select, scn_ui_move, scn_ui_focus, scn_ui_view, scn_ui_freeze,
    scn_ui_clear, scn_ui_scroll, scn_ui_sort, scn_ui_prompt, scn_ui_record, scn_ui_speed,
    scn_ui_step, scn_ui_resume, scn_ui_quit, scn_cmd_help, scn_ui_watch, scn_ui_log, scn_ui_ifaces,
    scn_ui_doctor;
/* The topology pane's verb (one declaration a verb from here on, so additions merge). */
extern const scn_entry scn_ui_topology;

#endif

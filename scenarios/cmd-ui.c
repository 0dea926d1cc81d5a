/* cmd-ui.c - the front end's verbs: views, selection, recording, play control.
 *
 * They live in the one command table, so every key binding is a command that can also be
 * typed or scripted. Their exec hands them to the session's front end; headless runs
 * have none, so these verbs do nothing there.
 */
#include "session.h"
#include "ui-words.h"

#include <string.h>

/* The vocabulary's name tables (ui-words.h), read by the front end's handlers. */
#define WORDS(list)                                                                                \
  {                                                                                                \
    list(SCN_UI_WORD, SCN_UI_COMMA)                                                                \
  }
const char *const scn_ui_cycle_words[] = WORDS(SCN_UI_CYCLES);
const char *const scn_ui_focus_words[] = WORDS(SCN_UI_FOCUSES);
const char *const scn_ui_view_words[] = WORDS(SCN_UI_VIEWS);
const char *const scn_ui_sort_words[] = WORDS(SCN_UI_SORTS);
const char *const scn_ui_sort_labels[] = {SCN_UI_SORTS(SCN_UI_LABEL, SCN_UI_COMMA)};
const char *const scn_ui_move_words[] = WORDS(SCN_UI_MOVES);
const char *const scn_ui_scroll_words[] = WORDS(SCN_UI_SCROLLS);
const char *const scn_ui_speed_words[] = WORDS(SCN_UI_SPEEDS);
const char *const scn_ui_switch_words[] = WORDS(SCN_UI_SWITCHES);
#undef WORDS

int scn_ui_word_index(const char *const *words, int n, const char *word)
{
  for (int i = 0; i < n; i++)
    if (strcmp(words[i], word) == 0) return i;
  return -1;
}

static scn_status exec_frontend(scn_session *s, scn_command *cmd)
{
  const scn_reporter *r = scn_reporter_of(s);
  char why[MCB_MSG_MAX] = "not available here";
  int rc;
  if (r->frontend == NULL) return SCN_DONE;
  if ((rc = r->frontend(r->arg, cmd, why, sizeof why)) != 0)
    return scn_fail(s, cmd, cmd->argc > 1 ? &cmd->argv[1] : NULL, rc, "%s: %s", cmd->argv[0].text,
                    why);
  return SCN_DONE;
}

#define UI_ENTRY(id, verb, formlist, sum, text, ex)                                                \
  static const char *const id##_forms[] = formlist;                                                \
  const scn_entry scn_ui_##id = {.name = verb,                                                     \
                                 .forms = id##_forms,                                              \
                                 .summary = sum,                                                   \
                                 .help = text,                                                     \
                                 .example = ex,                                                    \
                                 .flags = SCN_F_INTERACTIVE | SCN_F_IMMEDIATE,                     \
                                 .exec = exec_frontend}
/* "a|b|c" from a vocabulary list of ui-words.h */
#define ALT(list) list(SCN_UI_WORD, "|")
#define FORMS(...)                                                                                 \
  {                                                                                                \
    __VA_ARGS__, NULL                                                                              \
  }

UI_ENTRY(select, "select", FORMS(ALT(SCN_UI_CYCLES), "NAME"), "select a socket in the sockets pane",
         "Selects the socket NAME, or the next or previous one; its peers fill the message "
         "panes.",
         "select rx\nselect next");
UI_ENTRY(move, "move", FORMS(ALT(SCN_UI_MOVES)), "move the selection",
         "In the sockets pane, up and down select the previous or next socket; among the peer "
         "panes (or the peer list) all four move between peers (the arrow keys and hjkl, in every "
         "pane).",
         "move down");
UI_ENTRY(focus, "focus", FORMS(ALT(SCN_UI_CYCLES) "|" ALT(SCN_UI_FOCUSES)),
         "move the keyboard focus",
         "Moves the focus between the sockets pane and the peer panes (Tab, Shift-Tab).",
         "focus peers");
UI_ENTRY(view, "view", FORMS(ALT(SCN_UI_VIEWS) "|" SCN_UI_WORD_TOGGLE),
         "show payloads as text or as a hex dump",
         "Switches the message panes between escaped text and a hex dump.", "view hex");
UI_ENTRY(freeze, "freeze", FORMS(ALT(SCN_UI_SWITCHES)), "freeze the selected pane",
         "Stops the selected pane from scrolling while traffic goes on being counted.",
         "freeze toggle");
UI_ENTRY(clear, "clear", FORMS(""), "clear the selected pane's messages",
         "Empties the selected pane's scrollback; counters are kept (see reset).", "clear");
UI_ENTRY(scroll, "scroll", FORMS(ALT(SCN_UI_SCROLLS)), "scroll the selected pane",
         "Scrolls the selected pane's scrollback.", "scroll pageup");
UI_ENTRY(sort, "sort", FORMS(ALT(SCN_UI_SORTS) "|" SCN_UI_WORD_NEXT), "order the peer list",
         "Orders the peer list (shown when peers outnumber the panes that fit) by rate, "
         "message count, last seen or address.",
         "sort rate");
UI_ENTRY(prompt, "prompt", FORMS("[TEXT]"), "open the command line, pre-filled",
         "Opens the ':' command line with TEXT already typed; keys that need an argument use "
         "it, so pressing J on socket rx shows 'join rx '.",
         "prompt \"join rx \"");
UI_ENTRY(record, "record", FORMS("stop|off", "FILE [overwrite]"),
         "record typed commands as a scenario",
         "record FILE saves every command typed from now on, with wait lines for the time "
         "between them, as a scenario that mcbench run replays; record stop (or off) ends it. "
         "An existing FILE is kept unless overwrite is given; a symbolic link is never "
         "followed, and a failed write is reported at once.",
         "record /tmp/session.mcb\nrecord /tmp/session.mcb overwrite\nrecord stop");
UI_ENTRY(speed, "speed", FORMS(ALT(SCN_UI_SPEEDS)), "change the pace of a played scenario",
         "In mcbench play, shortens or lengthens the delay between commands (+ and -).",
         "speed faster");
UI_ENTRY(step, "step", FORMS(""), "run the next command of a played scenario",
         "In mcbench play, switches to stepping and runs one command (n).", "step");
UI_ENTRY(resume, "continue", FORMS(""), "end a pause, or leave stepping",
         "In mcbench play, ends a pause (Space or Enter) and leaves stepping mode.", "continue");
UI_ENTRY(quit, "quit", FORMS("[force]"), "leave mcbench",
         "Quits; asks first while sockets are open, unless force is given.", "quit\nquit force");
UI_ENTRY(watch, "watch", FORMS("all|selected|" SCN_UI_WORD_TOGGLE, "NAME"),
         "choose whose peers the pane area shows",
         "watch all shows the peers of every socket that has received, so a class watches the "
         "receivers while the sender changes; watch NAME pins the area to socket NAME whatever "
         "is selected (p pins the selected socket, and p again follows the selection); watch "
         "selected follows the selection (the default); watch toggle switches between all and "
         "selected (w). mcbench play starts on all.",
         "watch all\nwatch rx\nwatch selected");
UI_ENTRY(log, "log", FORMS(ALT(SCN_UI_SWITCHES)), "show the event log",
         "Shows (on), hides (off) or toggles (E) the event log: the last 100 status messages, "
         "errors and results with their times, failed commands of a played scenario included.",
         "log on");
UI_ENTRY(doctor, "doctor", FORMS("ADDR [on IFACE] [from ADDR] [wait DUR] [probe]", "off"),
         "explain why multicast does not arrive, in an overlay",
         "Runs mcbench doctor's checks for a receiver of ADDR (GROUP or GROUP:PORT), on "
         "interface IFACE, from source ADDR: the interface, route, reverse-path filter, IGMP "
         "version and limits, who joined and who listens on the port, the firewall; wait DUR "
         "watches the kernel's drop counters meanwhile (default 0: none), probe sends one "
         "datagram with TTL 0 to prove the local path. The results (PASS, WARN, FAIL with "
         "evidence and the fix) show in an overlay when done; Esc closes it, doctor off "
         "stops a diagnosis. It reads the namespace mcbench runs in (see docs/doctor.md).",
         "doctor 239.1.1.1:5000 on mcb0\ndoctor 239.1.1.1:5000 from 10.99.0.1 wait 3s");
UI_ENTRY(ifaces, "ifaces", FORMS(ALT(SCN_UI_SWITCHES)), "show the interfaces and their groups",
         "Shows (on), hides (off) or toggles (i) the interfaces of the host or namespace "
         "mcbench runs in: index, flags (UP, MULTICAST...), addresses, and the groups the host "
         "joined on each (whichever program joined them), read from the kernel and refreshed "
         "live.",
         "ifaces on");
UI_ENTRY(topology, "topology", FORMS(ALT(SCN_UI_SWITCHES)), "show the lab as a map",
         "Shows (on), hides (off) or toggles (m) the topology pane: the virtual lab's hosts, "
         "routers and switches as a tree drawn from the default host, each link with the "
         "packets sent into it each way (read inside the nodes about once a second), the "
         "sockets that live on each host and the groups it joined (a switch: its snooping "
         "table). It takes the peer area, or its top when the terminal is tall enough for "
         "both. lab show typed at the : line opens it too; without a lab it says how to make "
         "one.",
         "topology on");

/* fuzz-compile.c - libFuzzer target for what `mcbench check` runs on a scenario file:
 * source -> lexer -> grammar -> typed values -> each verb's check (scn_compile), then
 * the diagnostics as check prints them (scn_report_diag, scn_diag_format).
 *
 * The input is the scenario text. Leading lines "#-D NAME=VALUE" (comments to the
 * language) also set NAME as `mcbench -D` would, so ${VAR} substitution with fixed
 * variables is reached. Beyond memory safety (ASan/UBSan), it checks:
 * - checking never opens a socket or resolves a name (socket, connect, bind, sendto,
 *   sendmsg and getaddrinfo are replaced here by functions that abort);
 * - every diagnostic, as printed, is terminal-safe (fuzz-ctl.h: newlines only), and so
 *   is its one-line form for a status bar;
 * - a command that checks re-lexes, from its scn_command_text form (what the TUI
 *   records), to the same arguments byte for byte;
 * - Tab completion (scn_grammar_complete) at each word of a checked command offers only
 *   distinct, bounded words that start with what was typed.
 */
#include "cmd.h"
#include "fuzz-ctl.h"
#include "lexer.h"
#include "report.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check time must stay off the network: these win over libc's at link time. */
int socket(int domain, int type, int protocol)
{
  abort();
}
int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
  abort();
}
int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
  abort();
}
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
               socklen_t len)
{
  abort();
}
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
  abort();
}
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
  abort();
}

/* "#-D NAME=VALUE" lines at the top set fixed variables, as -D does. */
static void set_defines(const char *text, scn_vars *vars)
{
  while (strncmp(text, "#-D ", 4) == 0) {
    const char *eol = strchr(text, '\n'), *eq;
    char line[SCN_NAME_MAX + SCN_VAR_VALUE_MAX + 8];
    size_t n = eol ? (size_t)(eol - text) : strlen(text);
    if (n - 4 < sizeof line) {
      memcpy(line, text + 4, n - 4);
      line[n - 4] = '\0';
      if ((eq = strchr(line, '=')) != NULL) {
        line[eq - line] = '\0';
        (void)scn_vars_set(vars, line, eq + 1, true);
      }
    }
    if (eol == NULL) break;
    text = eol + 1;
  }
}

static void check_diag(const scn_diag *d)
{
  char *text = NULL, line[512];
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (f == NULL) return;
  scn_report_diag(f, d);
  scn_diag_print(f, d);
  if (fclose(f) != 0) abort();
  if (fuzz_ctl_find(text, len, "\n") != len) abort();
  free(text);
  scn_diag_format(d, line, sizeof line);
  if (fuzz_ctl_find(line, strlen(line), "") != strlen(line)) abort();
}

/* What the TUI records for a command lexes back to the same arguments. */
static void check_requote(const scn_command *cmd)
{
  static char text[8 * SCN_MAX_LINE];
  scn_source *src;
  scn_diags *diags = calloc(1, sizeof *diags);
  scn_lexer lx;
  scn_command again;
  scn_command_text(cmd, text, sizeof text);
  size_t n = strlen(text);
  if (diags == NULL || n + 1 >= sizeof text || n >= SCN_MAX_LINE ||
      scn_source_new("requote", text, n, &src) != 0) {
    free(diags);
    return;
  }
  scn_lexer_init(&lx, src, NULL, NULL, diags);
  if (scn_lexer_next(&lx, &again) != 1 || diags->n != 0) abort();
  if (again.argc != cmd->argc) abort();
  for (size_t i = 0; i < cmd->argc; i++)
    if (again.argv[i].len != cmd->argv[i].len ||
        memcmp(again.argv[i].text, cmd->argv[i].text, cmd->argv[i].len) != 0)
      abort();
  scn_command_free(&again);
  if (scn_lexer_next(&lx, &again) != 0) abort(); /* one line, one command */
  scn_source_free(src);
  free(diags);
}

/* Completion at each position of cmd, with the word there as the typed prefix. */
static void check_complete(const scn_checker *ck, const scn_command *cmd)
{
  const char *argv[SCN_MAX_ARGS + 1];
  char words[64][SCN_NAME_MAX];
  const char *ph;
  for (size_t i = 0; i < cmd->argc && i < SCN_MAX_ARGS; i++) argv[i] = cmd->argv[i].text;
  for (size_t k = 1; k <= cmd->argc && k <= SCN_MAX_ARGS; k++) {
    const char *prefix = k < cmd->argc ? cmd->argv[k].text : "";
    size_t n = scn_grammar_complete(ck, cmd->entry, argv, k, prefix, words, 64, &ph);
    if (n > 64) abort();
    for (size_t i = 0; i < n; i++) {
      if (strnlen(words[i], SCN_NAME_MAX) == SCN_NAME_MAX) abort();
      if (strncmp(words[i], prefix, strlen(prefix)) != 0) abort();
      for (size_t j = 0; j < i; j++)
        if (strcmp(words[i], words[j]) == 0) abort();
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  scn_source *src;
  scn_diags *diags = calloc(1, sizeof *diags);
  scn_checker *ck = calloc(1, sizeof *ck);
  scn_vars *vars = calloc(1, sizeof *vars);
  scn_commands cmds;

  if (diags == NULL || ck == NULL || vars == NULL ||
      scn_source_new("fuzz.mcb", (const char *)data, size, &src) != 0)
    goto out;
  set_defines(src->text, vars);
  ck->vars = vars;
  ck->diags = diags;
  scn_compile(src, ck, &cmds);
  if (diags->n > SCN_MAX_DIAGS) abort();
  for (size_t i = 0; i < diags->n; i++) check_diag(&diags->items[i]);
  for (size_t i = 0; i < cmds.n; i++) {
    if (cmds.v[i].entry == NULL || cmds.v[i].argc == 0) abort();
    check_requote(&cmds.v[i]);
    check_complete(ck, &cmds.v[i]);
  }
  scn_commands_free(&cmds);
  scn_source_free(src);
out:
  free(diags), free(ck), free(vars);
  return 0;
}

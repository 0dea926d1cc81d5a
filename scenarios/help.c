/* help.c - renders the command table as help text (see help.h). */
#include "help.h"

#include "grammar.h"
#include "sockopt.h"

#include <stdbool.h>
#include <string.h>

/* Wraps a paragraph at `width` columns with `indent` spaces. */
static void wrap(FILE *out, const char *text, int indent, int width)
{
  int col = 0;
  const char *p = text;
  while (*p) {
    const char *sp = strchr(p, ' ');
    int len = sp ? (int)(sp - p) : (int)strlen(p);
    if (col > 0 && col + 1 + len > width) {
      fputc('\n', out);
      col = 0;
    }
    if (col == 0)
      col = fprintf(out, "%*s", indent, "");
    else
      col += fprintf(out, " ");
    col += fprintf(out, "%.*s", len, p);
    p += len;
    while (*p == ' ') p++;
  }
  if (col > 0) fputc('\n', out);
}

/* "udp", "udp6", "any": the families an option applies to. */
static const char *families(const mcb_option *o)
{
  if ((o->families & MCB_FAM_ALL) == MCB_FAM_ALL) return "any socket";
  if ((o->families & MCB_FAM_ALL) == MCB_FAM_IP) return "udp4, udp6";
  for (int f = MCB_UDP4; f <= MCB_UNIX; f++)
    if (o->families == MCB_FAM(f)) return mcb_family_name((mcb_family)f);
  return "some sockets";
}

static bool takes_option(const scn_entry *e)
{
  for (size_t f = 0; e->forms[f]; f++)
    if (strstr(e->forms[f], "OPTION")) return true;
  return false;
}

typedef enum style { TEXT, MARKDOWN, MAN } style;
static void roff(FILE *out, const char *text);

/* A Markdown table cell: a '|' would end it. */
static void md_cell(FILE *out, const char *text)
{
  for (; *text; text++) fputs(*text == '|' ? "\\|" : (char[2]){*text, '\0'}, out);
}

/* The rows of the option table, for a verb that takes OPTION. */
static void options_list(FILE *out, const scn_entry *e, style how, int width)
{
  const mcb_option *o;
  char syn[64], line[160];
  if (!takes_option(e)) return;
  if (how == TEXT) fprintf(out, "\noptions:\n");
  if (how == MARKDOWN)
    fprintf(out, "| option | value | sockets | what it does |\n| --- | --- | --- | --- |\n");
  if (how == MAN) fputs(".RS\n", out);
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++) {
    mcb_option_syntax(o, syn, sizeof syn);
    if (how == TEXT) {
      fprintf(out, "  %-10s %s (%s)\n", o->name, syn, families(o));
      wrap(out, o->help, 6, width);
    } else if (how == MARKDOWN) {
      fprintf(out, "| `%s` | ", o->name);
      md_cell(out, syn);
      fprintf(out, " | %s | ", families(o));
      md_cell(out, o->help);
      fputs(" |\n", out);
    } else {
      snprintf(line, sizeof line, "%s (%s): ", syn, families(o));
      fputs(".TP\n.B ", out);
      roff(out, o->name);
      fputc('\n', out);
      roff(out, line);
      roff(out, o->help);
      fputc('\n', out);
    }
  }
  if (how == MARKDOWN) fputc('\n', out);
  if (how == MAN) fputs(".RE\n", out);
}

void scn_help_verb(FILE *out, const scn_entry *e)
{
  scn_help_verb_width(out, e, 78);
}

void scn_help_verb_width(FILE *out, const scn_entry *e, int width)
{
  char usage[256];
  if (e == NULL) return; /* an unknown word: the caller reports it (escaped) */
  for (size_t f = 0; e->forms[f]; f++) {
    scn_entry_usage(e, f, usage, sizeof usage);
    fprintf(out, "%s %s\n", f == 0 ? "usage:" : "      ", usage);
  }
  if (e->alias) fprintf(out, "alias: %s\n", e->alias);
  fputc('\n', out);
  wrap(out, e->help, 2, width);
  options_list(out, e, TEXT, width);
  if (e->example && *e->example) {
    fprintf(out, "\nexample%s:\n", strchr(e->example, '\n') ? "s" : "");
    for (const char *p = e->example; *p;) {
      const char *nl = strchr(p, '\n');
      int len = nl ? (int)(nl - p) : (int)strlen(p);
      fprintf(out, "  %.*s\n", len, p);
      p += len + (nl ? 1 : 0);
    }
  }
}

void scn_help_index(FILE *out)
{
  const scn_entry *const *t = scn_table();
  fprintf(out, "scenario commands (mcbench help VERB for details):\n");
  for (size_t i = 0; t[i]; i++)
    if (!(t[i]->flags & SCN_F_INTERACTIVE)) fprintf(out, "  %-8s %s\n", t[i]->name, t[i]->summary);
  fprintf(out, "\ninteractive commands (the TUI's ':' line and keys; ignored headless):\n");
  for (size_t i = 0; t[i]; i++)
    if (t[i]->flags & SCN_F_INTERACTIVE) fprintf(out, "  %-8s %s\n", t[i]->name, t[i]->summary);
}

/* ---- the reference, in Markdown and roff ---- */

static const char *const syntax_md =
    "A scenario is a text file of commands, one per line. The same language is typed at the\n"
    "TUI's `:` prompt, given to `mcbench run -e`, and bound to the TUI's keys.\n\n"
    "- `#` starts a comment (at the start of a word); blank lines are ignored.\n"
    "- `;` separates several commands on one line.\n"
    "- Words are separated by spaces. `\"double quoted strings\"` may hold spaces and the C\n"
    "  escapes `\\n \\t \\r \\0 \\a \\b \\e \\f \\v \\\\ \\\" \\$` and `\\xHH`.\n"
    "- `${VAR}` is replaced by the variable's value, in words and strings. `default VAR VALUE`\n"
    "  sets it unless `-D VAR=VALUE` was given on the command line.\n"
    "- Commands run in order, one at a time, and never block: a plain `send` completes (the\n"
    "  datagram is handed to the kernel, or its error is known) before the next command\n"
    "  starts; `send ... every DUR` runs in the background.\n"
    "- A command that fails stops the scenario with `file:line:col: error: ...`, unless the\n"
    "  next command is `expect error CODE`, which then checks the failure.\n"
    "- `mcbench check` and `mcbench run` report every syntax and argument error of a file\n"
    "  (unknown commands and keywords, malformed numbers, durations and addresses, socket\n"
    "  names never opened) before anything runs. Values the system refuses (a TTL of 256, a\n"
    "  unicast address as a group, a port in use) are run-time errors with the system's\n"
    "  error code, so `expect error` can test them.\n";

static void md_examples(FILE *out, const char *ex)
{
  fprintf(out, "```\n%s\n```\n\n", ex);
}

void scn_help_markdown(FILE *out)
{
  const scn_entry *const *t = scn_table();
  char usage[256];
  fprintf(out, "# The mcbench scenario language\n\n"
               "<!-- Generated from the command table by `mcbench help --markdown`; do not "
               "edit.\n     A test fails when this file and the table disagree. -->\n\n");
  fprintf(out, "## Syntax\n\n%s\n", syntax_md);
  fprintf(out, "## Values\n\n| placeholder | accepts |\n| --- | --- |\n");
  for (const char *const *p = scn_placeholders(); *p; p++)
    fprintf(out, "| `%s` | %s |\n", *p, scn_placeholder_help(*p));
  fprintf(out, "\nIn usage lines, `a|b` means one of the words, `[...]` is optional, and the\n"
               "optional parts may come in any order.\n\n");
  for (int interactive = 0; interactive <= 1; interactive++) {
    fprintf(out, interactive ? "## Interactive commands\n\nThese drive the TUI (its `:` line "
                               "and key bindings); `mcbench run` ignores them.\n\n"
                             : "## Commands\n\n");
    for (size_t i = 0; t[i]; i++) {
      if (!!(t[i]->flags & SCN_F_INTERACTIVE) != interactive) continue;
      fprintf(out, "### %s\n\n", t[i]->name);
      for (size_t f = 0; t[i]->forms[f]; f++) {
        scn_entry_usage(t[i], f, usage, sizeof usage);
        fprintf(out, "    %s\n", usage);
      }
      fprintf(out, "\n%s\n\n", t[i]->help);
      options_list(out, t[i], MARKDOWN, 78);
      md_examples(out, t[i]->example);
    }
  }
  fprintf(out, "## Running\n\n"
               "    mcbench run [-D VAR=VALUE]... [--timeout DUR] [--tap | --junit FILE | "
               "--json FILE] FILE...\n"
               "    mcbench run -e 'COMMANDS'\n"
               "    mcbench check FILE...\n\n"
               "Exit status: 0 when every expectation passed, 1 when any failed (or a command "
               "failed), 2 for usage, parse or setup errors. `--private` runs everything inside "
               "a private two-host lab: this host `local` (mcb0, 10.99.0.1) linked to `peer` "
               "(mcb1, 10.99.0.2); any `lab` verb implies it (docs/lab.md).\n");
}

/* roff needs backslashes doubled and leading dots or quotes escaped. */
static void roff(FILE *out, const char *text)
{
  bool bol = true;
  for (const char *p = text; *p; p++) {
    if (bol && (*p == '.' || *p == '\'')) fputs("\\&", out);
    if (*p == '\\')
      fputs("\\e", out);
    else if (*p == '`')
      continue; /* Markdown code marks mean nothing in roff */
    else if (*p == '-')
      fputs("\\-", out);
    else
      fputc(*p, out);
    bol = *p == '\n';
  }
}

void scn_help_man5(FILE *out)
{
  const scn_entry *const *t = scn_table();
  char usage[256];
  fprintf(out,
          ".\\\" Generated from the command table by `mcbench help --man`; do not edit.\n"
          ".TH MCBENCH 5 \"\" \"mcbench %s\" \"File Formats\"\n"
          ".SH NAME\nmcbench \\- scenario files for the mcbench datagram test bench\n"
          ".SH SYNTAX\n",
          MCB_VERSION_STRING);
  for (const char *p = syntax_md; *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)len, p);
    if (strncmp(line, "- ", 2) == 0) fputs(".IP \\(bu 2\n", out);
    roff(out, strncmp(line, "- ", 2) == 0 || strncmp(line, "  ", 2) == 0 ? line + 2 : line);
    fputc('\n', out);
    p += len + (nl ? 1 : 0);
  }
  fputs(".SH VALUES\n", out);
  for (const char *const *p = scn_placeholders(); *p; p++) {
    fprintf(out, ".TP\n.B %s\n", *p);
    roff(out, scn_placeholder_help(*p));
    fputc('\n', out);
  }
  for (int interactive = 0; interactive <= 1; interactive++) {
    fputs(interactive ? ".SH INTERACTIVE COMMANDS\n" : ".SH COMMANDS\n", out);
    for (size_t i = 0; t[i]; i++) {
      if (!!(t[i]->flags & SCN_F_INTERACTIVE) != interactive) continue;
      fputs(".TP\n", out);
      for (size_t f = 0; t[i]->forms[f]; f++) {
        scn_entry_usage(t[i], f, usage, sizeof usage);
        fputs(f ? ".br\n.B " : ".B ", out);
        roff(out, usage);
        fputc('\n', out);
      }
      roff(out, t[i]->help);
      fputc('\n', out);
      options_list(out, t[i], MAN, 78);
      fputs(".RS\n.nf\n", out);
      roff(out, t[i]->example);
      fputs("\n.fi\n.RE\n", out);
    }
  }
  fputs(".SH SEE ALSO\n.BR mcbench (1)\n", out);
}

/* Inside `-e '...'`: the first word completes a verb, and `set NAME ` an option name
 * (the rows that can be set). The word is the quoted text after its opening quote, which
 * is what readline replaces. */
static const char bash_exec[] = "_mcbench_exec() {\n"
                                "  local line=${cur#[\\\"\\']} o\n"
                                "  local -a w\n"
                                "  read -ra w <<< \"$line\"\n"
                                "  case $line in *' ') w+=('') ;; esac\n"
                                "  if [ ${#w[@]} -le 1 ]; then\n"
                                "    COMPREPLY=($(compgen -W \"$verbs\" -- \"${w[0]-}\"))\n"
                                "  elif [ \"${w[0]-}\" = set ] && [ ${#w[@]} -eq 3 ]; then\n"
                                "    for o in $(compgen -W \"$options\" -- \"${w[2]-}\"); do\n"
                                "      COMPREPLY+=(\"set ${w[1]} $o\")\n"
                                "    done\n"
                                "  fi\n"
                                "}\n";

void scn_help_bash_completion(FILE *out)
{
  const scn_entry *const *t = scn_table();
  const mcb_option *o;
  bool first = true;
  fputs("# bash completion for mcbench; generated by `mcbench help --bash-completion`.\n", out);
  fputs(bash_exec, out);
  fputs("_mcbench() {\n"
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
        "  local verbs=\"",
        out);
  for (size_t i = 0; t[i]; i++) fprintf(out, "%s%s", i ? " " : "", t[i]->name);
  fputs("\"\n  local options=\"", out);
  for (size_t i = 0; (o = scn_option_at(i)) != NULL; i++) {
    if (o->flags & MCB_OPT_READONLY) continue;
    fprintf(out, "%s%s", first ? "" : " ", o->name);
    first = false;
  }
  fputs("\"\n"
        "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
        "    COMPREPLY=($(compgen -W \"run check play help --private --help --version "
        "--no-color\" -- \"$cur\"))\n"
        "    return\n"
        "  fi\n"
        "  case ${COMP_WORDS[1]} in\n"
        "  help) COMPREPLY=($(compgen -W \"$verbs --markdown --man --bash-completion\" -- "
        "\"$cur\")) ;;\n"
        "  run|check|play)\n"
        "    case $prev in\n"
        "    -e|--exec) _mcbench_exec ;;\n"
        "    -D|--define|-t|--timeout) return ;;\n"
        "    --junit|--json) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
        "    *) COMPREPLY=($(compgen -W \"-e -D --timeout --tap --junit --json --private "
        "--verbose\" -- \"$cur\") $(compgen -f -X '!*.mcb' -- \"$cur\") $(compgen -d -- "
        "\"$cur\")) ;;\n"
        "    esac ;;\n"
        "  esac\n"
        "}\n"
        "complete -F _mcbench mcbench\n",
        out);
}

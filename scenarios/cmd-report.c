/* cmd-report.c - `report`: a socket's traffic statistics now, as lines (one per peer and
 * the socket's kernel drops), or written to FILE by a report writer (json or csv: the
 * same documents `mcbench run --json/--csv` writes, holding this one socket). FILE is
 * replaced atomically and never followed through a symbolic link (outfile.h).
 *
 * It reaches the runner's report machinery (report.h) besides command-api.h: a report of
 * one socket is a run report with one file and one socket.
 */
#include "command-api.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keeps only the socket named `name` in the snapshot. */
static void keep_only(scn_file_report *rep, const char *name)
{
  size_t k = 0;
  for (size_t i = 0; i < rep->nsockets; i++) {
    scn_sock_report *sr = &rep->sockets[i];
    if (strcmp(sr->name, name) == 0 && k == 0) {
      if (i != k) rep->sockets[k] = *sr;
      k++;
    } else {
      free(sr->groups);
      free(sr->peers);
      free(sr->analysis);
      free(sr->streams);
    }
  }
  rep->nsockets = k;
}

/* The socket's line, then one line per peer, in notes of whole lines (a note holds 4 KiB). */
static void print(scn_session *s, const scn_command *cmd, const scn_sock_report *sr)
{
  char text[3600], line[600];
  size_t n =
      (size_t)snprintf(text, sizeof text, "%s: received %llu, kernel dropped %llu, %zu peer%s",
                       sr->name, (unsigned long long)sr->info.counters.rx_msgs,
                       (unsigned long long)sr->info.counters.rx_kernel_drops, sr->npeers,
                       sr->npeers == 1 ? "" : "s");
  for (size_t i = 0; i < sr->npeers; i++) {
    size_t l;
    scn_peer_format(sr->name, &sr->peers[i], &sr->analysis[i], line, sizeof line);
    l = strlen(line);
    if (n + 1 + l >= sizeof text) {
      scn_note(s, cmd, "%s", text);
      n = 0;
      text[0] = '\0';
    }
    n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", n ? "\n" : "", line);
  }
  scn_note(s, cmd, "%s", text);
}

static const scn_report_writer *writer_for(const scn_command *cmd, const char *path)
{
  const char *fmt = scn_arg_word(cmd, "json|csv"), *dot = strrchr(path, '.');
  if (fmt == NULL) fmt = dot != NULL && strcmp(dot, ".csv") == 0 ? "csv" : "json";
  return scn_report_writer_by_option(fmt);
}

static scn_status exec_report(scn_session *s, scn_command *cmd)
{
  const scn_sock *ss = scn_target(s);
  const scn_token *file = scn_arg(cmd, "FILE");
  scn_file_report rep;
  scn_status st = SCN_DONE;

  scn_file_report_init(&rep, cmd->src->name);
  if (scn_file_report_snapshot(&rep, s) != 0) {
    scn_file_report_free(&rep);
    return scn_fail(s, cmd, NULL, UV_ENOMEM, "report %s: out of memory", ss->name);
  }
  keep_only(&rep, ss->name);
  if (rep.nsockets == 0) { /* cannot happen: the target exists */
    scn_file_report_free(&rep);
    return scn_fail(s, cmd, NULL, UV_ENOENT, "report %s: no such socket", ss->name);
  }
  if (file == NULL) {
    print(s, cmd, &rep.sockets[0]);
  } else {
    const scn_report_writer *w = writer_for(cmd, file->text);
    scn_report_out o = {.w = w, .path = file->text};
    scn_run_totals t = {.files = 1};
    char err[300];
    int rc = w->end(&o, &rep, 1, &t, err, sizeof err);
    if (rc != 0)
      st = scn_fail(s, cmd, file, rc, "report %s: %s", ss->name, err);
    else
      scn_note(s, cmd, "%s: %s report written to %s", ss->name, w->name, file->text);
  }
  scn_file_report_free(&rep);
  return st;
}

static const char *const forms[] = {
    "NAME",
    "NAME FILE json|csv",
    "NAME FILE",
    NULL,
};

const scn_entry scn_cmd_report = {
    .name = "report",
    .forms = forms,
    .summary = "show or write a socket's traffic statistics",
    .help = "Without FILE, prints one line per peer of NAME: what its payloads told (probe, "
            "iperf2, mcjoin or plain), received, rate, lost of expected with the loss in "
            "percent, duplicates, reordered, late, runs, one-way delay min/avg/max/p99, "
            "jitter and round-trip time, and the datagrams the kernel dropped because the "
            "receive buffer was full. With FILE, writes them as json or csv (by the word, or "
            "by the file's extension: .csv is csv, anything else json), the same documents "
            "mcbench run --json and --csv write; FILE is replaced atomically and never "
            "followed through a symbolic link.",
    .example = "report rx\nreport rx rx.json\nreport rx rx-stats.txt csv",
    .target = SCN_TARGET_SOCKET,
    .exec = exec_report,
};

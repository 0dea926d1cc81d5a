/* report-csv.c - the CSV writer (`run --csv FILE`): one row per peer of every socket when
 * its scenario ended ("peer"), one per socket with its kernel drops ("socket"), and the
 * `--interval` series ("interval"), all with the same columns so a spreadsheet or
 * `csvkit` reads it as one table. Written once at the end (outfile.h: a temporary beside
 * FILE, renamed into place). Fields with a comma, a quote or any byte outside printable
 * ASCII are quoted, and such bytes written as \xNN: nothing raw from the network. */
#include "outfile.h"
#include "report.h"

#include <string.h>

static const char header[] =
    "record,file,socket,source,destination,kind,start_s,end_s,received,bytes,expected,lost,"
    "loss_pct,duplicates,reordered,late,runs,invalid,rate_pps,rate_bps,delay_min_ms,"
    "delay_avg_ms,delay_max_ms,delay_p99_ms,jitter_ms,rtt_avg_ms,kernel_drops\n";

static void field(FILE *f, const char *s)
{
  bool quote = false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p == ',' || *p == '"' || *p < 0x20 || *p >= 0x7f) quote = true;
  if (!quote) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"')
      fputs("\"\"", f);
    else if (*p < 0x20 || *p >= 0x7f)
      fprintf(f, "\\x%02x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

/* record, file, socket, source, destination, kind */
static void head(FILE *f, const char *record, const char *file, const char *sock,
                 const mcb_addr *src, const mcb_addr *dst, const char *kind)
{
  char a[MCB_ADDRSTRLEN];
  fprintf(f, "%s,", record);
  field(f, file);
  fputc(',', f);
  field(f, sock);
  fputc(',', f);
  if (src) field(f, mcb_addr_format(src, a, sizeof a));
  fputc(',', f);
  if (dst) field(f, mcb_addr_format(dst, a, sizeof a));
  fprintf(f, ",%s,", kind);
}

static void ms(FILE *f, double ns, bool valid)
{
  if (valid) fprintf(f, "%.6f", ns / 1e6);
  fputc(',', f);
}

static void peer_row(FILE *f, const scn_file_report *r, const scn_sock_report *s, size_t i)
{
  const mcb_peer_stats *p = &s->peers[i];
  const mcb_peer_analysis *a = &s->analysis[i];
  bool d = a->delay_count > 0;
  head(f, "peer", r->file, s->name, &p->src, &p->dst, mcb_payload_kind_name(a->kind));
  fprintf(f, ",%.3f,%llu,%llu,", (double)r->elapsed_ns / 1e9, (unsigned long long)p->msgs,
          (unsigned long long)p->bytes);
  if (a->sequenced)
    fprintf(f, "%llu,%llu,%.4f,%llu,%llu,%llu,%llu,", (unsigned long long)a->expected,
            (unsigned long long)a->lost, a->loss_pct, (unsigned long long)a->duplicates,
            (unsigned long long)a->reordered, (unsigned long long)a->late,
            (unsigned long long)a->runs);
  else
    fputs(",,,,,,,", f);
  fprintf(f, "%llu,%.3f,%.3f,", (unsigned long long)a->invalid, p->rate_msgs, p->rate_bytes * 8);
  ms(f, (double)a->delay_min_ns, d);
  ms(f, a->delay_avg_ns, d);
  ms(f, (double)a->delay_max_ns, d);
  ms(f, (double)a->delay_p99_ns, d);
  ms(f, a->jitter_ns, d);
  ms(f, a->rtt_avg_ns, a->rtt_count > 0);
  fputc('\n', f);
}

static void socket_row(FILE *f, const scn_file_report *r, const scn_sock_report *s)
{
  const mcb_counters *c = &s->info.counters;
  head(f, "socket", r->file, s->name, &s->info.local, NULL, "");
  fprintf(f, ",%.3f,%llu,%llu,,,,,,,,,,,,,,,,,%llu\n", (double)r->elapsed_ns / 1e9,
          (unsigned long long)c->rx_msgs, (unsigned long long)c->rx_bytes,
          (unsigned long long)c->rx_kernel_drops);
}

static void interval_row(FILE *f, const scn_file_report *r, const scn_interval *iv)
{
  head(f, "interval", r->file, iv->socket, &iv->src, &iv->dst, mcb_payload_kind_name(iv->kind));
  fprintf(f, "%.3f,%.3f,%llu,%llu,", (double)iv->start_ns / 1e9, (double)iv->end_ns / 1e9,
          (unsigned long long)iv->received, (unsigned long long)iv->bytes);
  if (iv->sequenced)
    fprintf(f, "%llu,%llu,%.4f,", (unsigned long long)iv->expected, (unsigned long long)iv->lost,
            iv->loss_pct);
  else
    fputs(",,,", f);
  fprintf(f, ",,,,,%.3f,%.3f,,,,,", iv->rate_pps, iv->rate_bps);
  ms(f, iv->jitter_ns, iv->jitter_ns > 0);
  fputs(",\n", f);
}

static int csv_end(scn_report_out *o, const scn_file_report *files, size_t n,
                   const scn_run_totals *t, char *err, size_t errsize)
{
  FILE *f;
  int rc = scn_outfile_open(&o->file, o->path, err, errsize);
  if (rc != 0) return rc;
  f = o->file.f;
  fputs(header, f);
  for (size_t k = 0; k < n; k++) {
    const scn_file_report *r = &files[k];
    for (size_t i = 0; i < r->nintervals; i++) interval_row(f, r, &r->intervals[i]);
    for (size_t s = 0; s < r->nsockets; s++) {
      socket_row(f, r, &r->sockets[s]);
      for (size_t i = 0; i < r->sockets[s].npeers && r->sockets[s].analysis; i++)
        peer_row(f, r, &r->sockets[s], i);
    }
  }
  return scn_outfile_commit(&o->file, err, errsize);
}

const scn_report_writer scn_report_csv = {
    .name = "csv",
    .option = "csv",
    .arg = "FILE",
    .help = "also write traffic statistics as CSV to FILE",
    .statistics = true,
    .end = csv_end,
};

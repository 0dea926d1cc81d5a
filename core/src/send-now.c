/* send-now.c - the send fast path for streams: already resolved destinations and gather
 * buffers handed to the kernel in sendmmsg batches, without copy, queue or callback.
 *
 * mcb_send() copies each payload into a queue and reports each datagram through a
 * callback, which is right for single sends but costs an allocation and an event per
 * datagram. A paced stream at 100k datagrams a second needs neither: it keeps its own
 * buffers, rewrites a header per datagram and counts the outcome itself. Order with the
 * queue is kept by refusing (UV_EAGAIN) while queued datagrams wait.
 */
#include "internal.h"

#include <stdio.h>

int mcb_send_fit(const mcb_socket *s, const mcb_addr *in, mcb_addr *out)
{
  *out = *in;
  if (s->family == MCB_UNIX) return in->u.sa.sa_family == AF_UNIX ? 0 : UV_EAFNOSUPPORT;
  if (in->u.sa.sa_family == AF_UNIX) return UV_EAFNOSUPPORT;
  return mcb__fit_family(s, out);
}

int mcb_send_dest(const mcb_socket *s, const char *dest, mcb_addr *out)
{
  mcb_addr a;
  int rc;
  if (dest == NULL || *dest == '\0') return UV_EINVAL;
  if (s->family == MCB_UNIX) {
    if ((rc = mcb__addr_unix(dest, &a)) != 0) return rc;
  } else if ((rc = mcb_addr_parse(dest, 0, &a)) != 0) {
    return rc;
  } else if (a.u.sa.sa_family != AF_UNIX && mcb_addr_port(&a) == 0) {
    return UV_EINVAL;
  }
  return mcb_send_fit(s, &a, out);
}

int mcb_send_now(mcb_socket *s, const mcb_dgram *v, size_t n)
{
  struct mmsghdr msgs[MCB_SEND_BATCH];
  size_t done = 0, bytes = 0;

  if (!mcb__usable(s, "send")) return UV_EBADF;
  if (!mcb__list_empty(&s->sendq)) return UV_EAGAIN;
  while (done < n) {
    size_t k = n - done < MCB_SEND_BATCH ? n - done : MCB_SEND_BATCH;
    int got;
    memset(msgs, 0, k * sizeof msgs[0]);
    for (size_t i = 0; i < k; i++) {
      const mcb_dgram *d = &v[done + i];
      msgs[i].msg_hdr.msg_name = (void *)&d->dest->u.sa;
      msgs[i].msg_hdr.msg_namelen = d->dest->len;
      msgs[i].msg_hdr.msg_iov = (struct iovec *)d->iov;
      msgs[i].msg_hdr.msg_iovlen = d->iovcnt;
    }
    do got = sendmmsg(s->fd, msgs, (unsigned)k, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
      int code = errno == EWOULDBLOCK ? UV_EAGAIN : -errno;
      if (done > 0) break; /* the caller learns the code on its next call */
      if (code != UV_EAGAIN && code != UV_ENOBUFS) {
        char what[MCB_ADDRSTRLEN + 16], text[MCB_ADDRSTRLEN];
        s->counters.tx_errors++;
        snprintf(what, sizeof what, "send to %s", mcb_addr_format(v[0].dest, text, sizeof text));
        return mcb__fail(s->bench, code, NULL, "%s", what);
      }
      return code;
    }
    for (int i = 0; i < got; i++) {
      bytes += msgs[i].msg_len;
      s->counters.tx_bytes += msgs[i].msg_len;
    }
    s->counters.tx_msgs += (uint64_t)got;
    done += (size_t)got;
    if ((size_t)got < k) break; /* the next one failed or would block: say so next time */
  }
  if (done > 0) {
    mcb_send_result res = {.bytes = bytes, .dest = v[0].dest, .dest_text = "", .message = ""};
    mcb_event ev = {.type = MCB_EV_SENT_BATCH, .sock = s, .sent = &res};
    if (!s->bound) mcb__learn_local(s);
    mcb__emit(s->bench, &ev); /* observers may close the socket: nothing follows */
  }
  return (int)done;
}

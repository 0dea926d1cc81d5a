/* test-netns.c - the rtnetlink client under the private namespace: each request has its
 * own sequence number, only the reply with that number and our port id answers it
 * (stale replies and other sockets' replies are skipped), and a signal interrupting the
 * wait is not taken for success. A socketpair plays the kernel; no network needed. */
#include "testlib.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rtnl.h"

#define OUR_PID 4242

typedef struct fake {
  mcb__nl nl; /* the client's end */
  int kernel; /* the fake kernel's end */
} fake;

static void fake_open(fake *f)
{
  int sv[2];
  struct timeval timeout = {5, 0};
  assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv), 0);
  assert_int_equal(setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), 0);
  f->nl.fd = sv[0];
  f->nl.seq = 0;
  f->nl.pid = OUR_PID;
  f->kernel = sv[1];
}

static void fake_close(fake *f)
{
  mcb__nl_close(&f->nl);
  close(f->kernel);
}

/* The kernel's acknowledgement (error 0) or error for request `seq` of port `pid`. */
static void kernel_ack(int fd, uint32_t seq, uint32_t pid, int error)
{
  struct {
    struct nlmsghdr h;
    struct nlmsgerr e;
  } m;
  memset(&m, 0, sizeof m);
  m.h.nlmsg_len = sizeof m;
  m.h.nlmsg_type = NLMSG_ERROR;
  m.h.nlmsg_seq = seq;
  m.h.nlmsg_pid = pid;
  m.e.error = error;
  assert_int_equal(send(fd, &m, sizeof m, 0), (ssize_t)sizeof m);
}

/* A request the fake kernel receives: its sequence number. */
static uint32_t kernel_read_seq(int fd)
{
  char buf[1024];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  assert_true(n >= (ssize_t)sizeof(struct nlmsghdr));
  return ((struct nlmsghdr *)buf)->nlmsg_seq;
}

static void request(mcb__nlreq *r)
{
  struct ifinfomsg *ifi = mcb__nl_start(r, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
}

static void requests_are_numbered(void **state)
{
  fake f;
  mcb__nlreq r;
  fake_open(&f);
  for (uint32_t i = 1; i <= 3; i++) {
    kernel_ack(f.kernel, i, OUR_PID, 0);
    request(&r);
    assert_int_equal(mcb__nl_talk(&f.nl, &r, NULL, 0), 0);
    assert_int_equal(kernel_read_seq(f.kernel), i);
  }
  fake_close(&f);
}

/* A late acknowledgement of request 1, and a reply for another socket, wait in the
 * queue: request 2 must be answered by its own reply, the error. */
static void stale_and_foreign_replies_are_skipped(void **state)
{
  fake f;
  mcb__nlreq r;
  fake_open(&f);
  f.nl.seq = 1; /* request 1 was sent before */
  kernel_ack(f.kernel, 1, OUR_PID, 0);
  kernel_ack(f.kernel, 2, OUR_PID + 1, 0);
  kernel_ack(f.kernel, 2, OUR_PID, -EEXIST);
  request(&r);
  assert_int_equal(mcb__nl_talk(&f.nl, &r, NULL, 0), UV_EEXIST);
  assert_int_equal(kernel_read_seq(f.kernel), 2);
  /* nothing left over for the next request to misread */
  kernel_ack(f.kernel, 3, OUR_PID, -ENODEV);
  request(&r);
  assert_int_equal(mcb__nl_talk(&f.nl, &r, NULL, 0), UV_ENODEV);
  fake_close(&f);
}

/* The answer of a get request comes before its acknowledgement; both must match. */
static void answers_are_copied(void **state)
{
  fake f;
  mcb__nlreq r;
  struct {
    struct nlmsghdr h;
    struct rtmsg rt;
  } m, got;
  fake_open(&f);
  memset(&m, 0, sizeof m);
  m.h.nlmsg_len = sizeof m;
  m.h.nlmsg_type = RTM_NEWROUTE;
  m.h.nlmsg_seq = 7; /* stale: another request's answer */
  m.h.nlmsg_pid = OUR_PID;
  m.rt.rtm_type = RTN_UNICAST;
  assert_int_equal(send(f.kernel, &m, sizeof m, 0), (ssize_t)sizeof m);
  m.h.nlmsg_seq = 1;
  m.rt.rtm_type = RTN_BROADCAST;
  assert_int_equal(send(f.kernel, &m, sizeof m, 0), (ssize_t)sizeof m);
  kernel_ack(f.kernel, 1, OUR_PID, 0);
  mcb__nl_start(&r, RTM_GETROUTE, 0, sizeof(struct rtmsg));
  memset(&got, 0, sizeof got);
  assert_int_equal(mcb__nl_talk(&f.nl, &r, &got.h, sizeof got), 0);
  assert_int_equal(got.h.nlmsg_type, RTM_NEWROUTE);
  assert_int_equal(got.rt.rtm_type, RTN_BROADCAST);
  fake_close(&f);
}

static void on_alarm(int sig)
{
  (void)sig;
}

/* A signal arrives while the client waits; the reply (an error) comes later. The
 * interrupted wait used to count as success. */
static void interrupted_wait_is_resumed(void **state)
{
  fake f;
  mcb__nlreq r;
  struct sigaction sa, old;
  struct itimerval tick = {.it_value = {0, 20000}};
  pid_t child;
  int status;

  fake_open(&f);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm; /* no SA_RESTART: recv() fails with EINTR */
  sigemptyset(&sa.sa_mask);
  assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
  child = fork();
  assert_true(child >= 0);
  if (child == 0) { /* the slow kernel */
    struct timespec later = {0, 200 * 1000000};
    nanosleep(&later, NULL);
    kernel_ack(f.kernel, 1, OUR_PID, -EPERM);
    _exit(0);
  }
  assert_int_equal(setitimer(ITIMER_REAL, &tick, NULL), 0);
  request(&r);
  assert_int_equal(mcb__nl_talk(&f.nl, &r, NULL, 0), UV_EPERM);
  assert_int_equal(waitpid(child, &status, 0), child);
  assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
  fake_close(&f);
}

/* No reply at all: a bounded wait, then a timeout, never a hang. */
static void silence_times_out(void **state)
{
  fake f;
  mcb__nlreq r;
  struct timeval shorter = {0, 100000};
  fake_open(&f);
  assert_int_equal(setsockopt(f.nl.fd, SOL_SOCKET, SO_RCVTIMEO, &shorter, sizeof shorter), 0);
  request(&r);
  assert_int_equal(mcb__nl_talk(&f.nl, &r, NULL, 0), UV_ETIMEDOUT);
  fake_close(&f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(requests_are_numbered),
      cmocka_unit_test(stale_and_foreign_replies_are_skipped),
      cmocka_unit_test(answers_are_copied),
      cmocka_unit_test(interrupted_wait_is_resumed),
      cmocka_unit_test(silence_times_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

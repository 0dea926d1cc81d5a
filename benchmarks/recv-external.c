/* recv-external.c - recv-capacity's receivers that are other programs: iperf 2's server
 * (`iperf -s -u -B GROUP`), a Node.js dgram script (node-recv.js), `mcbench run` and
 * `mcbench play` drawing on a pseudo-terminal of 120x40 (the peer panes on watch all).
 *
 * Each runs inside recv-capacity's private namespace, pinned to CPU 0, joined to a group
 * on lo. We take a duplicate of its receiving socket (pidfd_getfd), so that we can give
 * it the same 512 MiB queue as the others (SO_RCVBUFFORCE: net.core.rmem_max is not per
 * namespace, so it is left alone) and watch the queue (SO_MEMINFO). A measurement stops
 * the program (SIGSTOP), fills its queue through the group, resumes it (SIGCONT) and
 * times until the queue is empty, which is when the program has read the last datagram.
 * The programs die with recv-capacity (PR_SET_PDEATHSIG) and with its namespace.
 */
#include "recv-external.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sock_diag.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GROUP     "239.255.77.1"
#define BASE_PORT 7700
/* The senders' ports: iperf 2's multicast server connects its socket to the first
 * sender it hears ("single client traffic mode"), so every fill comes from the same. */
#define SRC_PORT  7800
#define QUEUE     (512 << 20)
#define DRAIN_MAX 60000000000ull /* a drain that takes longer is abandoned (ns) */

typedef struct ext {
  pid_t pid;
  int sock;   /* our duplicate of its receiving socket */
  int master; /* the pseudo-terminal (mcbench play), else -1 */
  bool failed;
  char scenario[64]; /* mcbench play's scenario file */
} ext;

static ext procs[EXT_COUNT];
static const char *const names[EXT_COUNT] = {"bare program", "iperf2", "node", "mcbench run",
                                             "mcbench play"};

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_us(long us)
{
  struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
  nanosleep(&ts, NULL);
}

const char *ext_name(int which)
{
  return names[which];
}

static bool in_path(const char *prog)
{
  char buf[4096];
  const char *path = getenv("PATH");
  while (path != NULL && *path != '\0') {
    size_t n = strcspn(path, ":");
    snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
    if (access(buf, X_OK) == 0) return true;
    path += n + (path[n] == ':');
  }
  return false;
}

const char *ext_unavailable(int which)
{
  if (which == EXT_IPERF2 && !in_path("iperf")) return "iperf (Debian package iperf) not found";
  if (which == EXT_NODE && !in_path("node")) return "node (Debian package nodejs) not found";
  if (which == EXT_NODE && access(MCB_NODE_SCRIPT, R_OK) != 0) return MCB_NODE_SCRIPT " missing";
  if (which >= EXT_MCBENCH_RUN && access(MCB_MCBENCH, X_OK) != 0) return MCB_MCBENCH " missing";
  return NULL;
}

const char *ext_unsupported(int which, int senders)
{
  if (which == EXT_IPERF2 && senders > 1)
    return "iperf 2's multicast server hears one sender per group (it connects its socket to "
           "the first)";
  return NULL;
}

/* Reads and discards what the TUI drew, so it never blocks on a full terminal. */
static void pump(ext *e)
{
  char buf[65536];
  while (e->master >= 0 && read(e->master, buf, sizeof buf) > 0) continue;
}

static void argv_of(int which, ext *e, char *port, char *script, char **av)
{
  int i = 0;
  if (which == EXT_IPERF2) {
    const char *a[] = {"iperf", "-s", "-u", "-B", GROUP, "-p", port, NULL};
    memcpy(av, a, sizeof a);
    return;
  }
  if (which == EXT_BARE) {
    const char *a[] = {"/proc/self/exe", "--bare-receiver", port, NULL};
    memcpy(av, a, sizeof a);
    return;
  }
  if (which == EXT_NODE) {
    const char *a[] = {"node", MCB_NODE_SCRIPT, GROUP, port, NULL};
    memcpy(av, a, sizeof a);
    return;
  }
  av[i++] = (char *)MCB_MCBENCH;
  if (which == EXT_MCBENCH_RUN) {
    av[i++] = (char *)"run";
    av[i++] = (char *)"--timeout"; /* longer than any bench run; it is killed at the end */
    av[i++] = (char *)"20m";
    av[i++] = (char *)"-e";
    av[i++] = script;
  } else {
    av[i++] = (char *)"play";
    av[i++] = e->scenario;
  }
  av[i] = NULL;
}

static int spawn(int which, ext *e, int port)
{
  char portbuf[16], script[256], *av[12];
  FILE *f;
  snprintf(portbuf, sizeof portbuf, "%d", port);
  snprintf(script, sizeof script, "open rx udp4 reuse; bind rx :%d; join rx %s on lo; wait 1190s",
           port, GROUP);
  if (which == EXT_MCBENCH_PLAY) { /* the TUI stays after the scenario ends */
    int fd;
    snprintf(e->scenario, sizeof e->scenario, "/tmp/mcb-bench-play-XXXXXX");
    if ((fd = mkstemp(e->scenario)) < 0 || (f = fdopen(fd, "w")) == NULL) return -errno;
    fprintf(f, "open rx udp4 reuse\nbind rx :%d\njoin rx %s on lo\n", port, GROUP);
    fclose(f);
  }
  argv_of(which, e, portbuf, script, av);
  if (which == EXT_MCBENCH_PLAY) {
    struct winsize ws = {.ws_row = 40, .ws_col = 120};
    e->pid = forkpty(&e->master, NULL, NULL, &ws);
  } else {
    e->pid = fork();
  }
  if (e->pid < 0) return -errno;
  if (e->pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    bench_pin(0);
    if (which != EXT_MCBENCH_PLAY) {
      int null = open("/dev/null", O_RDWR);
      dup2(null, 0), dup2(null, 1), dup2(null, 2);
    } else {
      setenv("TERM", "xterm-256color", 1);
    }
    execvp(av[0], av);
    _exit(127);
  }
  if (e->master >= 0) fcntl(e->master, F_SETFL, O_NONBLOCK);
  return 0;
}

/* The inode of the UDP socket on `port` in our namespace's /proc/net/udp, or 0. */
static unsigned long udp_inode(int port)
{
  char line[512];
  unsigned long inode = 0;
  unsigned lport;
  FILE *f = fopen("/proc/net/udp", "r");
  if (f == NULL) return 0;
  while (inode == 0 && fgets(line, sizeof line, f) != NULL) {
    unsigned long ino;
    if (sscanf(line, " %*d: %*x:%x %*x:%*x %*x %*x:%*x %*x:%*x %*x %*u %*u %lu", &lport, &ino) ==
            2 &&
        (int)lport == port)
      inode = ino;
  }
  fclose(f);
  return inode;
}

/* A duplicate of the program's descriptor for socket `inode`, or -1. */
static int grab_socket(pid_t pid, unsigned long inode)
{
  char dir[64], path[320], link[64], want[64];
  struct dirent *d;
  int fd = -1, pidfd;
  DIR *dp;
  snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
  snprintf(want, sizeof want, "socket:[%lu]", inode);
  if ((dp = opendir(dir)) == NULL) return -1;
  while (fd < 0 && (d = readdir(dp)) != NULL) {
    ssize_t n;
    snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
    if ((n = readlink(path, link, sizeof link - 1)) <= 0) continue;
    link[n] = '\0';
    if (strcmp(link, want) != 0) continue;
    if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) break;
    fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(d->d_name), 0);
    close(pidfd);
  }
  closedir(dp);
  return fd;
}

static void meminfo(int fd, uint32_t *rmem, uint32_t *drops)
{
  uint32_t mem[SK_MEMINFO_VARS] = {0};
  socklen_t len = sizeof mem;
  getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len);
  *rmem = mem[SK_MEMINFO_RMEM_ALLOC];
  if (drops) *drops = mem[SK_MEMINFO_DROPS];
}

/* Waits until the queue is empty (true) or `max_ns` passed. */
static bool wait_empty(ext *e, uint64_t max_ns)
{
  uint64_t t0 = now_ns();
  uint32_t rmem;
  for (;;) {
    meminfo(e->sock, &rmem, NULL);
    if (rmem == 0) return true;
    if (now_ns() - t0 > max_ns) return false;
    pump(e);
    sleep_us(20);
  }
}

/* Stops the program; false when it is gone (then reaped, so never signalled again). */
static bool stop(ext *e)
{
  int st;
  kill(e->pid, SIGSTOP);
  if (waitpid(e->pid, &st, WUNTRACED) == e->pid && WIFSTOPPED(st)) return true;
  e->pid = -1;
  return false;
}

static struct sockaddr_in group_to(int port)
{
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, GROUP, &to.sin_addr);
  return to;
}

/* Until one datagram sent to the group reaches the socket and the program reads it: the
 * program has joined, and a first datagram's setup (iperf's report) is behind us. */
static int warm_up(ext *e, int port)
{
  struct sockaddr_in to = group_to(port);
  for (int tries = 0; tries < 50; tries++) {
    uint32_t rmem = 0;
    if (!stop(e)) return -ESRCH;
    bench_fill(e->sock, &to, 1, 1, 64, false, SRC_PORT);
    for (int i = 0; i < 100 && rmem == 0; i++, sleep_us(1000)) meminfo(e->sock, &rmem, NULL);
    kill(e->pid, SIGCONT);
    if (rmem > 0) return wait_empty(e, 5000000000ull) ? 0 : -ETIMEDOUT;
    pump(e);
    sleep_us(200000);
  }
  return -ETIMEDOUT;
}

/* Takes (again, when it changed) the program's socket on `port`, with the same 512 MiB
 * queue as every receiver. */
static int take_socket(ext *e, int port)
{
  unsigned long inode = udp_inode(port);
  int size = QUEUE, fd;
  struct stat st;
  if (inode == 0) return -ENOENT;
  if (e->sock >= 0 && fstat(e->sock, &st) == 0 && st.st_ino == inode) return 0;
  if ((fd = grab_socket(e->pid, inode)) < 0) return -ENOENT;
  if (e->sock >= 0) close(e->sock);
  e->sock = fd;
  return setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) == 0 ? 0 : -errno;
}

static int start(int which, ext *e)
{
  int port = BASE_PORT + which, rc = -ENOENT;
  e->master = -1;
  e->sock = -1;
  if ((rc = spawn(which, e, port)) != 0) return rc;
  for (int i = 0; i < 200 && (rc = take_socket(e, port)) == -ENOENT; i++) /* 10 s to bind */
    pump(e), sleep_us(50000);
  return rc != 0 ? rc : warm_up(e, port);
}

/* The CPU time of all the program's threads (/proc/PID/task/TID/schedstat, in ns). */
static uint64_t proc_cpu_ns(pid_t pid)
{
  char path[320];
  struct dirent *d;
  uint64_t sum = 0;
  DIR *dp;
  snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
  if ((dp = opendir(path)) == NULL) return 0;
  while ((d = readdir(dp)) != NULL) {
    unsigned long long ns;
    FILE *f;
    if (d->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", (int)pid, d->d_name);
    if ((f = fopen(path, "r")) == NULL) continue;
    if (fscanf(f, "%llu", &ns) == 1) sum += ns;
    fclose(f);
  }
  closedir(dp);
  return sum;
}

double ext_measure(int which, long count, int senders, int size, double *cpu)
{
  ext *e = &procs[which];
  struct sockaddr_in to = group_to(BASE_PORT + which);
  uint32_t drops_before, rmem;
  uint64_t t0, t1, c0;
  long queued;
  if (e->failed) return 0;
  bench_pin(1); /* while it starts */
  if (e->pid == 0 && start(which, e) != 0) {
    fprintf(stderr, "recv-capacity: %s did not start or did not receive\n", names[which]);
    e->failed = true;
    return 0;
  }
  if (!stop(e)) {
    fprintf(stderr, "recv-capacity: %s exited\n", names[which]);
    e->failed = true;
    return 0;
  }
  if (take_socket(e, BASE_PORT + which) != 0) {
    fprintf(stderr, "recv-capacity: %s: no socket listening\n", names[which]);
    kill(e->pid, SIGCONT);
    return 0;
  }
  meminfo(e->sock, &rmem, &drops_before);
  /* Filled from the CPU that drains, as for the others: a datagram freed on another CPU
   * than the one that allocated it is handed back to that one (deferred skb free). */
  bench_pin(0);
  queued = bench_fill(e->sock, &to, count, senders, size, false, SRC_PORT) + (long)drops_before;
  bench_pin(1); /* the program has CPU 0 to itself; we watch from CPU 1 */
  c0 = proc_cpu_ns(e->pid);
  t0 = now_ns();
  kill(e->pid, SIGCONT);
  bool done = wait_empty(e, DRAIN_MAX);
  t1 = now_ns();
  if (!done) {
    fprintf(stderr, "recv-capacity: %s did not drain its queue\n", names[which]);
    return 0;
  }
  *cpu = (double)queued * 1e9 / (double)(proc_cpu_ns(e->pid) - c0);
  return (double)queued * 1e9 / (double)(t1 - t0);
}

void ext_stop_all(void)
{
  for (int i = 0; i < EXT_COUNT; i++) {
    ext *e = &procs[i];
    int st;
    if (e->pid > 0) {
      kill(e->pid, SIGCONT);
      kill(e->pid, SIGTERM);
      for (int t = 0; t < 100 && waitpid(e->pid, &st, WNOHANG) == 0; t++) pump(e), sleep_us(10000);
      if (waitpid(e->pid, &st, WNOHANG) == 0) { /* still there after 1 s */
        kill(e->pid, SIGKILL);
        waitpid(e->pid, &st, 0);
      }
    }
    if (e->pid != 0 && e->sock >= 0) close(e->sock);
    if (e->pid != 0 && e->master >= 0) close(e->master);
    if (e->scenario[0] != '\0') unlink(e->scenario);
    e->pid = 0;
    e->sock = e->master = -1;
  }
}

int ext_bare_main(int port)
{
  static struct mmsghdr msgs[64];
  static struct iovec iov[64];
  static uint8_t bufs[64][2048];
  static struct sockaddr_storage srcs[64]; /* as the bare loop: the source of each */
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  struct ip_mreq mr;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;
  unsigned long got = 0;
  inet_pton(AF_INET, GROUP, &mr.imr_multiaddr);
  inet_pton(AF_INET, "127.0.0.1", &mr.imr_interface);
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
    return 1;
  for (;;) { /* ends with SIGTERM */
    for (int i = 0; i < 64; i++) {
      iov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
      msgs[i].msg_hdr = (struct msghdr){
          .msg_name = &srcs[i], .msg_namelen = sizeof srcs[i], .msg_iov = &iov[i], .msg_iovlen = 1};
    }
    int n = recvmmsg(fd, msgs, 64, MSG_WAITFORONE, NULL);
    if (n > 0) got += (unsigned long)n;
  }
}

/* lab-exec.c - `lab exec`: a program started inside a lab node, bounded by the lab.
 *
 * uv_spawn runs no code of ours between fork and exec, so the child is this binary
 * again in a hidden wrapper mode (mcb_lab_exec_child) that arranges, before the
 * program runs, that it cannot outlive mcbench: PR_SET_PDEATHSIG kills the wrapper when
 * mcbench dies (even by kill -9), and the program runs as the first process of a new
 * PID namespace, whose end makes the kernel kill every process in it. The namespace the
 * program sees is the node's: the loop thread enters the node around uv_spawn only, and
 * a child keeps the namespace of the thread that forked it. */
#include "lab.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define SELF_EXE      "/proc/self/exe"
#define MAX_EXEC_ARGS 64

int mcb_lab_spawn(mcb_lab *lab, const char *node, uv_loop_t *loop, uv_process_t *proc,
                  uv_pipe_t *out, char *const *argv, uv_exit_cb on_exit)
{
  char *args[MAX_EXEC_ARGS + 4], parent[24];
  uv_stdio_container_t stdio[2];
  uv_process_options_t o;
  size_t n = 0;
  int rc, lrc;

  if (argv == NULL || argv[0] == NULL)
    return mcb__lab_fail(lab, UV_EINVAL, "exec on %s: no program", node);
  snprintf(parent, sizeof parent, "%ld", (long)getpid());
  args[n++] = "mcbench";
  args[n++] = MCB_LAB_EXEC_ARG;
  args[n++] = parent;
  for (size_t i = 0; argv[i] != NULL; i++) {
    if (i >= MAX_EXEC_ARGS)
      return mcb__lab_fail(lab, UV_E2BIG, "exec on %s: more than %d arguments", node,
                           MAX_EXEC_ARGS);
    args[n++] = argv[i];
  }
  args[n] = NULL;
  memset(&o, 0, sizeof o);
  memset(stdio, 0, sizeof stdio);
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
  stdio[1].data.stream = (uv_stream_t *)out;
  o.file = SELF_EXE;
  o.args = args;
  o.exit_cb = on_exit;
  o.stdio = stdio;
  o.stdio_count = 2;             /* the wrapper makes its standard error a copy of its output */
  o.flags = UV_PROCESS_DETACHED; /* setsid: a process group to kill as one */
  if ((rc = mcb_lab_enter(lab, node)) != 0) return rc;
  rc = uv_spawn(loop, proc, &o);
  lrc = mcb_lab_leave(lab); /* the child has its copy of the node's namespace */
  if (rc != 0) return mcb__lab_fail(lab, rc, "exec on %s: start %s", node, argv[0]);
  return lrc;
}

/* The program: this binary for "mcbench", otherwise looked up in PATH. Only returns
 * when exec failed; the message goes to the pipe, where `lab exec` shows it. */
static void run_program(char **argv)
{
  if (strcmp(argv[0], "mcbench") == 0)
    execv(SELF_EXE, argv);
  else
    execvp(argv[0], argv);
  printf("lab exec: cannot run %s: %s\n", argv[0], strerror(errno));
  fflush(stdout);
}

/* The first process of the new PID namespace gets a /proc of its namespace, in a mount
 * namespace of its own (best effort; the wrapper keeps the old one, where it is): with the old one,
 * the thread and process ids a program reads in /proc/self would be another namespace's
 * (sanitizers, debuggers and `ps` use them with system calls). */
static void own_proc(void)
{
  if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return;
  (void)mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* True when the process that holds `fd`'s other end (the parent) is gone: the pipe's
 * write end is closed only by its death. */
static bool parent_gone(int fd)
{
  struct pollfd p = {.fd = fd, .events = POLLIN};
  return poll(&p, 1, 0) != 0;
}

/* Waits for the program and ends the same way: its exit status, or its signal. */
static int wait_and_mirror(pid_t child)
{
  int st;
  while (waitpid(child, &st, 0) < 0)
    if (errno != EINTR) return 127;
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) {
    signal(WTERMSIG(st), SIG_DFL);
    prctl(PR_SET_DUMPABLE, 0); /* no core file for a signal passed on */
    kill(getpid(), WTERMSIG(st));
    return 128 + WTERMSIG(st);
  }
  return 127;
}

int mcb_lab_exec_child(int argc, char **argv)
{
  pid_t parent, child;
  int link[2];

  if (argc < 4) return 127;
  parent = (pid_t)strtol(argv[2], NULL, 10);
  /* Die with mcbench; if it died before this line, nothing would send the signal. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) return 127;
  if (dup2(STDOUT_FILENO, STDERR_FILENO) < 0) return 127;
  /* Without a PID namespace (not allowed here) the program runs in the wrapper's place:
   * it keeps the death signal, and its process group is still killed as one. */
  if (unshare(CLONE_NEWPID) != 0 || pipe(link) != 0) {
    run_program(argv + 3);
    return 127;
  }
  fflush(stdout);
  child = fork();
  if (child < 0) {
    printf("lab exec: fork: %s\n", strerror(errno));
    return 127;
  }
  if (child == 0) { /* PID 1 of its namespace: when it ends, everything in it ends */
    close(link[1]);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || parent_gone(link[0])) _exit(127);
    close(link[0]);
    own_proc();
    run_program(argv + 3);
    _exit(127);
  }
  close(link[0]); /* link[1] stays open while the wrapper lives */
  /* _exit: after its first process, the PID namespace takes no new process, and exit
   * handlers (a sanitizer's leak check) may want one */
  _exit(wait_and_mirror(child));
}

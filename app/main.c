/* main.c - mcbench's entry point: wiring only; cli.c does the work. */
#include "cli.h"

int main(int argc, char **argv)
{
  return cli_main(argc, argv);
}

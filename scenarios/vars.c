/* vars.c - ${VAR} variables and the socket names known at check time. */
#include "grammar.h"

#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "mcb.h"
#include "values.h"

int scn_vars_set(scn_vars *vars, const char *name, const char *value, bool fixed)
{
  size_t i;
  if (strlen(name) >= SCN_NAME_MAX) return UV_ENAMETOOLONG;
  if (!scn_is_identifier(name) || strchr(name, '-') || strchr(name, '.')) return UV_EINVAL;
  if (strlen(value) >= SCN_VAR_VALUE_MAX) return UV_E2BIG;
  for (i = 0; i < vars->n; i++)
    if (strcmp(vars->v[i].name, name) == 0) break;
  if (i == vars->n) {
    if (vars->n == SCN_MAX_VARS) return UV_ENOBUFS;
    vars->n++;
    snprintf(vars->v[i].name, sizeof vars->v[i].name, "%s", name);
  } else if (vars->v[i].fixed && !fixed) {
    return 0;
  }
  snprintf(vars->v[i].value, sizeof vars->v[i].value, "%s", value);
  vars->v[i].fixed = fixed;
  return 0;
}

void scn_vars_explain(int rc, char *buf, size_t size)
{
  switch (rc) {
  case UV_ENAMETOOLONG:
    mcb_msgf(buf, size, "the name is too long (at most %d characters)", SCN_NAME_MAX - 1);
    break;
  case UV_EINVAL:
    mcb_msgf(buf, size, "the name must be letters, digits and _, not starting with a digit");
    break;
  case UV_E2BIG:
    mcb_msgf(buf, size, "the value is too long (at most %d bytes)", SCN_VAR_VALUE_MAX - 1);
    break;
  case UV_ENOBUFS:
    mcb_msgf(buf, size, "too many variables (at most %d)", SCN_MAX_VARS);
    break;
  default:
    mcb_msgf(buf, size, "%s", uv_strerror(rc));
  }
}

const char *scn_vars_get(const scn_vars *vars, const char *name)
{
  for (size_t i = 0; i < vars->n; i++)
    if (strcmp(vars->v[i].name, name) == 0) return vars->v[i].value;
  return NULL;
}

bool scn_vars_lookup(void *vars, const char *name, const char **value)
{
  *value = scn_vars_get(vars, name);
  return *value != NULL;
}

bool scn_checker_has_name(const scn_checker *ck, const char *name)
{
  for (size_t i = 0; i < ck->nnames; i++)
    if (strcmp(ck->names[i], name) == 0) return true;
  return false;
}

void scn_checker_add_name(scn_checker *ck, const char *name)
{
  if (scn_checker_has_name(ck, name) || ck->nnames == SCN_MAX_NAMES) return;
  snprintf(ck->names[ck->nnames++], SCN_NAME_MAX, "%s", name);
}

bool scn_checker_has_node(const scn_checker *ck, const char *name)
{
  for (size_t i = 0; i < ck->nnodes; i++)
    if (strcmp(ck->nodes[i], name) == 0) return true;
  return false;
}

void scn_checker_add_node(scn_checker *ck, const char *name)
{
  if (scn_checker_has_node(ck, name) || ck->nnodes == SCN_MAX_NODES) return;
  snprintf(ck->nodes[ck->nnodes++], SCN_NAME_MAX, "%s", name);
}

void scn_checker_default_nodes(scn_checker *ck)
{
  scn_checker_add_node(ck, MCB_LAB_LOCAL);
  scn_checker_add_node(ck, MCB_LAB_PEER);
}

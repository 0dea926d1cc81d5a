/* vars.c - ${VAR} variables and the socket names known at check time. */
#include "grammar.h"

#include <stdio.h>
#include <string.h>

#include "values.h"

int scn_vars_set(scn_vars *vars, const char *name, const char *value, bool fixed)
{
  size_t i;
  if (!scn_is_identifier(name) || strchr(name, '-') || strchr(name, '.')) return -22;
  if (strlen(value) >= SCN_VAR_VALUE_MAX) return -22;
  for (i = 0; i < vars->n; i++)
    if (strcmp(vars->v[i].name, name) == 0) break;
  if (i == vars->n) {
    if (vars->n == SCN_MAX_VARS) return -105; /* ENOBUFS */
    vars->n++;
    snprintf(vars->v[i].name, sizeof vars->v[i].name, "%s", name);
  } else if (vars->v[i].fixed && !fixed) {
    return 0;
  }
  snprintf(vars->v[i].value, sizeof vars->v[i].value, "%s", value);
  vars->v[i].fixed = fixed;
  return 0;
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

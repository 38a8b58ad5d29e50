/* repo.h — placeholder until the module lands. */
#ifndef LINKGATE_REPO_H
#define LINKGATE_REPO_H
#include "linkgate/common.h"
#endif

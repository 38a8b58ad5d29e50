/* commit.h — placeholder until the module lands. */
#ifndef LINKGATE_COMMIT_H
#define LINKGATE_COMMIT_H
#include "linkgate/common.h"
#endif

/* walk.h — placeholder until the module lands. */
#ifndef LINKGATE_WALK_H
#define LINKGATE_WALK_H
#include "linkgate/common.h"
#endif

/* hook.h — placeholder until the module lands. */
#ifndef LINKGATE_HOOK_H
#define LINKGATE_HOOK_H
#include "linkgate/common.h"
#endif

/* sandbox.h — placeholder until the module lands. */
#ifndef LINKGATE_SANDBOX_H
#define LINKGATE_SANDBOX_H
#include "linkgate/common.h"
#endif

/* golex.h — placeholder until the module lands. */
#ifndef LINKGATE_GOLEX_H
#define LINKGATE_GOLEX_H
#include "linkgate/common.h"
#endif

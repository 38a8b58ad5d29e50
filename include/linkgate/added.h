/* added.h — placeholder until the module lands. */
#ifndef LINKGATE_ADDED_H
#define LINKGATE_ADDED_H
#include "linkgate/common.h"
#endif

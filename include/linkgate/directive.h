/* directive.h — placeholder until the module lands. */
#ifndef LINKGATE_DIRECTIVE_H
#define LINKGATE_DIRECTIVE_H
#include "linkgate/common.h"
#endif

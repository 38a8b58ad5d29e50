/* install.h — placeholder until the module lands. */
#ifndef LINKGATE_INSTALL_H
#define LINKGATE_INSTALL_H
#include "linkgate/common.h"
#endif

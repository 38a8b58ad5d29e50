/* repo.c — placeholder until the module lands. */
#include "linkgate/common.h"

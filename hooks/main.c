/* main.c — placeholder entry point. */
#include "linkgate/common.h"
int main(void)
{
	return 0;
}

#include "pd_internal.h"

int pd_version_number(void)
{
    return PD_VERSION_NUMBER;
}

const char *pd_version_string(void)
{
    return PD_VERSION;
}

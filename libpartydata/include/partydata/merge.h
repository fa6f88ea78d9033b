/*
 * merge.h: (the merge module's header; written by that module)
 */
#ifndef PARTYDATA_MERGE_H
#define PARTYDATA_MERGE_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

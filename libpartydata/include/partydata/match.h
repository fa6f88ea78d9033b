/*
 * match.h: (the match module's header; written by that module)
 */
#ifndef PARTYDATA_MATCH_H
#define PARTYDATA_MATCH_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

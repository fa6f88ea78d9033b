/*
 * normalize.h: (the normalize module's header; written by that module)
 */
#ifndef PARTYDATA_NORMALIZE_H
#define PARTYDATA_NORMALIZE_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

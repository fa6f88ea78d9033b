/*
 * generate.h: (the generate module's header; written by that module)
 */
#ifndef PARTYDATA_GENERATE_H
#define PARTYDATA_GENERATE_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

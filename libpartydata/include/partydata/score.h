/*
 * score.h: (the score module's header; written by that module)
 */
#ifndef PARTYDATA_SCORE_H
#define PARTYDATA_SCORE_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

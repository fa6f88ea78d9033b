/*
 * refdata.h: (the refdata module's header; written by that module)
 */
#ifndef PARTYDATA_REFDATA_H
#define PARTYDATA_REFDATA_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

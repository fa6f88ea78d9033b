/*
 * validate.h: (the validate module's header; written by that module)
 */
#ifndef PARTYDATA_VALIDATE_H
#define PARTYDATA_VALIDATE_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

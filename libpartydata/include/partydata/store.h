/*
 * store.h: (the store module's header; written by that module)
 */
#ifndef PARTYDATA_STORE_H
#define PARTYDATA_STORE_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

/*
 * codec.h: (the codec module's header; written by that module)
 */
#ifndef PARTYDATA_CODEC_H
#define PARTYDATA_CODEC_H

#include "common.h"

PD_BEGIN_DECL

PD_END_DECL

#endif

/*
 * partydata.h: the whole public API of libpartydata, one header per module.
 */
#ifndef PARTYDATA_H
#define PARTYDATA_H

#include "common.h"
#include "errors.h"
#include "partydata/version.h"
#include "id.h"
#include "record.h"
#include "finding.h"
#include "classification.h"
#include "codec.h"
#include "refdata.h"
#include "normalize.h"
#include "validate.h"
#include "store.h"
#include "generate.h"
#include "score.h"
#include "match.h"
#include "merge.h"

#endif

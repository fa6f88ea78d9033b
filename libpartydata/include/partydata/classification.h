/*
 * classification.h: data-classification levels of fields (design §7).
 *
 * The levels come from the `(classification)` option on fields of partydata.proto
 * (PERSONAL, SENSITIVE). Exports and changesets not entitled to a level use
 * pd_record_strip() to leave those fields out.
 */
#ifndef PARTYDATA_CLASSIFICATION_H
#define PARTYDATA_CLASSIFICATION_H

#include "common.h"
#include "record.h"

PD_BEGIN_DECL

typedef enum pd_classification {
    PD_CLASS_NONE = 0,      /**< not personal data */
    PD_CLASS_PERSONAL = 1,  /**< personal data */
    PD_CLASS_SENSITIVE = 2  /**< sensitive personal data */
} pd_classification;

/**
 * The classification of a field path: the highest level of any field along it
 * ("events[2].discipline_form" is SENSITIVE because discipline_form is).
 *
 * @param[out] out  the level
 * @param kind      the kind of record the path starts from
 * @param path      a field path, with or without indexes ("events[].reason" too)
 * @return 0, or PD_EINVALID for an unknown kind or a path not in the schema
 */
PD_EXTERN(int) pd_field_classification(pd_classification *out, pd_kind kind, const char *path);

/**
 * Clear every field of r classified above `max` (recursively, in nested messages
 * and every element of repeated fields).
 *
 * @param r    the record, changed in place
 * @param max  the highest level to keep (PD_CLASS_NONE keeps only unclassified data)
 * @param[out] cleared  if not NULL, receives the number of fields cleared
 * @return 0, or PD_EINVALID for a NULL record
 */
PD_EXTERN(int) pd_record_strip(pd_record *r, pd_classification max, size_t *cleared);

/** "none", "personal", "sensitive" (static); "?" for another value. */
PD_EXTERN(const char *) pd_classification_name(pd_classification c);

PD_END_DECL

#endif

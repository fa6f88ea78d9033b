/* classification_table.h: the generated table of classified fields (private). */
#ifndef PD_CLASSIFICATION_TABLE_H
#define PD_CLASSIFICATION_TABLE_H

#include "partydata/classification.h"

typedef struct pd_classification_entry {
    const char *message; /* short message name, e.g. "Member" */
    const char *field;   /* field name */
    pd_classification level;
} pd_classification_entry;

/* terminated by an entry with message == NULL */
extern const pd_classification_entry pd_classification__table[];

#endif

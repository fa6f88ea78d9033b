/* classification.i: levels of fields; pd_record_strip (after record.i: needs pd_record). */
%apply int *OUTPUT { pd_classification *out };
%apply unsigned long *OUTPUT { size_t *cleared };
typedef enum pd_classification { PD_CLASS_NONE = 0, PD_CLASS_PERSONAL = 1, PD_CLASS_SENSITIVE = 2 } pd_classification;
pd_rc pd_field_classification(pd_classification *out, pd_kind kind, const char *path);
pd_rc pd_record_strip(pd_record *r, pd_classification max, size_t *cleared);
const char *pd_classification_name(pd_classification c);

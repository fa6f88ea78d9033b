/* fuzz_jsonl.c: libFuzzer target for the JSON Lines reader (protobuf JSON mapping). */
#include "common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    fuzz_read_all(data, size, PD_FORMAT_JSONL, NULL);
    pd_record *r = NULL; /* bare entity, unknown keys ignored */
    if (pd_record_from_json(&r, (const char *)data, size, PD_KIND_MEMBER,
                            PD_JSON_IGNORE_UNKNOWN) == 0) {
        fuzz_roundtrips(r);
        pd_record_free(r);
    }
    return 0;
}

/* fuzz_pb.c: libFuzzer target for the protobuf length-delimited stream reader. */
#include "common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    fuzz_read_all(data, size, PD_FORMAT_PB, NULL);
    pd_record *r = NULL; /* the single-record decoder on the whole input */
    if (pd_record_from_pb(&r, data, size) == 0) {
        fuzz_roundtrips(r);
        pd_record_free(r);
    }
    return 0;
}

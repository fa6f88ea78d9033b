/* fuzz_csv.c: libFuzzer target for the CSV reader; good rows must also survive a
 * CSV write and re-read unchanged. */
#include "common.h"

static void csv_again(const pd_record *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp)
        return;
    pd_writer_options wo = PD_WRITER_OPTIONS_INIT;
    wo.format = PD_FORMAT_CSV;
    pd_writer *w = NULL;
    int rc = pd_writer_open_file(&w, fp, &wo);
    FUZZ_CHECK(rc == 0);
    rc = pd_writer_write(w, r);
    FUZZ_CHECK(rc == 0 || rc == PD_ELIMIT);
    FUZZ_CHECK(pd_writer_close(w) == 0);
    fclose(fp);
    if (rc == 0) {
        pd_reader_options ro = PD_READER_OPTIONS_INIT;
        ro.format = PD_FORMAT_CSV;
        pd_reader *rd = NULL;
        FUZZ_CHECK(pd_reader_open_memory(&rd, buf, len, &ro) == 0);
        pd_record *r2 = NULL;
        FUZZ_CHECK(pd_reader_next(&r2, rd) == 0);
        unsigned char *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        FUZZ_CHECK(pd_record_to_pb(&a, &na, r) == 0 && pd_record_to_pb(&b, &nb, r2) == 0);
        FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
        pd_free(a);
        pd_free(b);
        pd_record_free(r2);
        pd_reader_free(rd);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    fuzz_read_all(data, size, PD_FORMAT_CSV, csv_again);
    return 0;
}

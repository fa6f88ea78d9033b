/* common.h: what the codec fuzz targets share: read every record of the input
 * with a reader, and check round trips of the good ones (a failed check traps). */
#ifndef PD_FUZZ_COMMON_H
#define PD_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"

#define FUZZ_CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* pb -> record -> pb is stable; JSON -> record -> JSON is stable. */
static void fuzz_roundtrips(const pd_record *r)
{
    unsigned char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    pd_record *r2 = NULL;
    FUZZ_CHECK(pd_record_to_pb(&a, &na, r) == 0);
    FUZZ_CHECK(pd_record_from_pb(&r2, a, na) == 0);
    FUZZ_CHECK(pd_record_to_pb(&b, &nb, r2) == 0);
    FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
    pd_record_free(r2);
    pd_free(a);
    pd_free(b);
    char *j1 = NULL, *j2 = NULL;
    FUZZ_CHECK(pd_record_to_json(&j1, r, 0) == 0);
    FUZZ_CHECK(pd_record_from_json(&r2, j1, strlen(j1), PD_KIND_NONE, 0) == 0);
    FUZZ_CHECK(pd_record_to_json(&j2, r2, 0) == 0);
    FUZZ_CHECK(strcmp(j1, j2) == 0);
    pd_record_free(r2);
    pd_free(j1);
    pd_free(j2);
}

/* Read all records; ok + bad must equal the reader's record count. */
static void fuzz_read_all(const unsigned char *data, size_t size, pd_format f,
                          void (*each)(const pd_record *))
{
    pd_reader_options o = PD_READER_OPTIONS_INIT;
    o.format = f;
    o.max_record_bytes = 1 << 16;
    pd_reader *rd = NULL;
    if (pd_reader_open_memory(&rd, data, size, &o) < 0)
        return;
    long ok = 0, bad = 0;
    for (;;) {
        pd_record *r = NULL;
        int rc = pd_reader_next(&r, rd);
        if (rc == PD_ITEROVER)
            break;
        FUZZ_CHECK(rc != PD_EIO);
        if (rc == PD_ENOMEM)
            break;
        if (rc < 0) {
            FUZZ_CHECK(r == NULL);
            FUZZ_CHECK(pd_error_last()->code == rc);
            bad++;
            continue;
        }
        ok++;
        fuzz_roundtrips(r);
        if (each)
            each(r);
        pd_record_free(r);
    }
    FUZZ_CHECK(ok + bad == pd_reader_record_index(rd));
    pd_reader_free(rd);
}

#endif

/*
 * ex_static.c: the smallest program using libpartydata, linked statically through
 * `pkg-config --static --libs partydata` by tests/static-link.sh.
 */
#include <stdio.h>

#include <partydata/partydata.h>

int main(void)
{
    pd_member *m = NULL;
    char id[PD_UUID_STRLEN];
    pd_uuid uid;

    if (pd_member_new(&m) < 0) {
        fprintf(stderr, "pd_member_new: %s\n", pd_error_last()->message);
        return 1;
    }
    if (pd_member_set_full_name(m, "Nguyễn Văn An") < 0 || pd_member_id(&uid, m) < 0) {
        fprintf(stderr, "error: %s\n", pd_error_last()->message);
        pd_member_free(m);
        return 1;
    }
    printf("libpartydata %s: member %s, %s\n", pd_version_string(), pd_uuid_format(id, &uid),
           pd_member_full_name(m));
    pd_member_free(m);
    return PD_VERSION_NUMBER == pd_version_number() ? 0 : 1;
}

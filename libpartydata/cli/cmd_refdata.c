/*
 * cmd_refdata.c: `partydata refdata ...`: print the compiled-in reference tables and
 * look names up.
 */
#include <string.h>

#include "cli.h"
#include "partydata/normalize.h"
#include "partydata/refdata.h"

static void refdata_help(FILE *fp)
{
    fprintf(fp,
        "usage: partydata refdata provinces [--as-of DATE]\n"
        "       partydata refdata communes [--as-of DATE] [--province CODE]\n"
        "       partydata refdata ethnic [--list 1979|2008]\n"
        "       partydata refdata religions\n"
        "       partydata refdata labels [ENUM]\n"
        "       partydata refdata lookup NAME\n"
        "       partydata refdata convert OLD_COMMUNE_CODE\n"
        "\n"
        "Print the reference tables compiled into the library, tab-separated (code,\n"
        "name, type, ...). --as-of DATE (dd/mm/yyyy or ISO) picks the administrative\n"
        "units in force that day (default: today's units, i.e. the 2025 list) and their\n"
        "type that day. `lookup` finds provinces, communes, ethnic groups and religions\n"
        "by name (case, accents and tone placement ignored) and shows the 2025\n"
        "successors of old communes. `convert` prints the 2025 successors of a\n"
        "pre-2025 commune code.\n"
        "\n"
        "exit codes: 0 found, 1 nothing found, 2 usage\n");
}

static int parse_as_of(pd_date *d, const char *s)
{
    if (pd_normalize_date_parse(d, s) != 0)
        return pd_cli_usage("refdata", "bad date '%s'", s);
    if (pd_refdata_gen_as_of(d) == PD_ADMIN_GEN_ANY)
        return pd_cli_usage("refdata", "'%s' does not say whether it is before 1 July 2025", s);
    return 0;
}

static void print_successors(const char *old_code)
{
    const pd_conversion *cv;
    size_t n, i;
    if (pd_refdata_commune_successors(&cv, &n, old_code) != 0)
        return;
    for (i = 0; i < n; i++)
        printf("  -> %s\t%s\t%s%s\n", cv[i].new_code, cv[i].new_full_name, cv[i].legal_basis,
               cv[i].partial ? "\t(part: split commune)" : "");
}

static int cmd_lookup(const char *name)
{
    const pd_province *p;
    const pd_commune *buf;
    const pd_ethnic_group *g;
    const pd_religion *r;
    int found = 0, rc, gi;
    pd_admin_gen gens[2] = {PD_ADMIN_GEN_2025, PD_ADMIN_GEN_PRE2025};
    for (gi = 0; gi < 2; gi++) {
        const char *gname = gens[gi] == PD_ADMIN_GEN_2025 ? "2025" : "pre-2025";
        rc = pd_refdata_province_by_name(&p, gens[gi], name);
        if (rc == 0 || rc == PD_ECONFLICT) {
            printf("province (%s)\t%s\t%s\t%s%s\n", gname, p->code, p->full_name, p->type,
                   rc ? "\t(ambiguous)" : "");
            if (p->successor_code)
                printf("  -> %s (2025 province)\n", p->successor_code);
            found = 1;
        }
        rc = pd_refdata_commune_by_name(&buf, gens[gi], NULL, name);
        if (rc == 0 || rc == PD_ECONFLICT) {
            size_t i, np = rc == 0 ? 1 : pd_refdata_province_count(gens[gi]);
            for (i = 0; i < np; i++) {
                const pd_commune *c = buf;
                int r2 = 0;
                if (rc != 0) {
                    r2 = pd_refdata_commune_by_name(&c, gens[gi], pd_refdata_province_at(gens[gi], i)->code,
                                                    name);
                    if (r2 != 0 && r2 != PD_ECONFLICT)
                        continue;
                }
                printf("commune (%s)\t%s\t%s\t%s\tprovince %s%s%s%s%s\n", gname, c->code, c->full_name,
                       c->type, c->province_code, c->district_name ? "\t" : "",
                       c->district_name ? c->district_name : "", c->valid ? "" : "\t(stale code)",
                       r2 ? "\t(and others in this province)" : "");
                if (gens[gi] == PD_ADMIN_GEN_PRE2025)
                    print_successors(c->code);
                found = 1;
            }
        }
    }
    rc = pd_refdata_ethnic_by_name(&g, name);
    if (rc == 0) {
        printf("ethnic group\t2008:%s\t1979:%s\t%s\n", g->code_2008, g->code_1979, g->name);
        found = 1;
    } else if (rc == PD_ECONFLICT) {
        pd_strarray c = {NULL, 0};
        size_t i;
        printf("ethnic group\tambiguous, never mapped automatically:");
        if (pd_refdata_ethnic_candidates(&c, name) == 0)
            for (i = 0; i < c.count; i++) {
                const pd_ethnic_group *x;
                if (pd_refdata_ethnic_by_code(&x, PD_ETHNIC_LIST_2008, c.strings[i]) == 0)
                    printf(" %s (2008:%s)", x->name, x->code_2008);
            }
        printf("\n");
        pd_strarray_dispose(&c);
        found = 1;
    }
    if (pd_refdata_religion_by_name(&r, name) == 0) {
        printf("religion\t%s\t%s\n", r->code, r->name);
        found = 1;
    }
    if (!found)
        fprintf(stderr, "partydata refdata: nothing named '%s'\n", name);
    return found ? PD_EXIT_OK : PD_EXIT_DATA;
}

int pd_cli_refdata(int argc, char **argv)
{
    const char *what, *province = NULL, *list = NULL;
    pd_date as_of = {0, 0, 0};
    int have_date = 0, a;
    size_t i;
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        refdata_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? PD_EXIT_USAGE : PD_EXIT_OK;
    }
    what = argv[1];
    if (!strcmp(what, "lookup")) {
        if (argc != 3)
            return pd_cli_usage("refdata", "lookup needs one NAME");
        return cmd_lookup(argv[2]);
    }
    if (!strcmp(what, "convert")) {
        const pd_conversion *cv;
        size_t n;
        if (argc != 3)
            return pd_cli_usage("refdata", "convert needs one code");
        if (pd_refdata_commune_successors(&cv, &n, argv[2]) != 0) {
            fprintf(stderr, "partydata refdata: no old commune %s\n", argv[2]);
            return PD_EXIT_DATA;
        }
        for (i = 0; i < n; i++)
            printf("%s\t%s\t%s\t%s\t%s\t%s\n", cv[i].old_code, cv[i].new_code, cv[i].new_full_name,
                   cv[i].new_province_code, cv[i].partial ? "partial" : "whole", cv[i].legal_basis);
        return PD_EXIT_OK;
    }
    for (a = 2; a < argc; a++) {
        if ((!strcmp(argv[a], "--as-of") || !strcmp(argv[a], "--province") || !strcmp(argv[a], "--list")) &&
            a + 1 >= argc)
            return pd_cli_usage("refdata", "%s needs a value", argv[a]);
        if (!strcmp(argv[a], "--as-of")) {
            int rc = parse_as_of(&as_of, argv[++a]);
            if (rc)
                return rc;
            have_date = 1;
        } else if (!strcmp(argv[a], "--province"))
            province = argv[++a];
        else if (!strcmp(argv[a], "--list"))
            list = argv[++a];
        else if (!strcmp(what, "labels") && argv[a][0] != '-')
            province = argv[a]; /* enum filter */
        else
            return pd_cli_usage("refdata", "unknown argument '%s'", argv[a]);
    }
    if (!strcmp(what, "provinces") || !strcmp(what, "communes")) {
        pd_admin_gen g = have_date ? pd_refdata_gen_as_of(&as_of) : PD_ADMIN_GEN_2025;
        int prov = what[0] == 'p';
        size_t n = prov ? pd_refdata_province_count(g) : pd_refdata_commune_count(g);
        for (i = 0; i < n; i++) {
            if (prov) {
                const pd_province *p = pd_refdata_province_at(g, i);
                const char *t = have_date ? pd_refdata_province_type_as_of(p, &as_of) : p->type;
                printf("%s\t%s\t%s\t%s\n", p->code, p->name, t ? t : p->type,
                       g == PD_ADMIN_GEN_2025 ? p->formed_from : (p->cccd_code ? p->cccd_code : ""));
            } else {
                const pd_commune *c = pd_refdata_commune_at(g, i);
                const char *t = have_date ? pd_refdata_commune_type_as_of(c, &as_of) : c->type;
                if (province && strcmp(province, c->province_code) != 0)
                    continue;
                if (!c->valid)
                    continue;
                printf("%s\t%s\t%s\t%s%s%s\n", c->code, c->name, t ? t : c->type, c->province_code,
                       c->district_code ? "\t" : "", c->district_code ? c->district_code : "");
            }
        }
        return PD_EXIT_OK;
    }
    if (!strcmp(what, "ethnic")) {
        pd_ethnic_list l = PD_ETHNIC_LIST_2008;
        if (list && !strcmp(list, "1979"))
            l = PD_ETHNIC_LIST_1979;
        else if (list && strcmp(list, "2008") != 0)
            return pd_cli_usage("refdata", "--list is 1979 or 2008");
        for (int code = 1; code <= 54; code++) {
            char cs[4];
            const pd_ethnic_group *g;
            snprintf(cs, sizeof cs, "%02d", code);
            if (pd_refdata_ethnic_by_code(&g, l, cs) == 0)
                printf("%s\t%s\t%s\n", cs, l == PD_ETHNIC_LIST_1979 ? g->name_1979 : g->name, g->aliases);
        }
        return PD_EXIT_OK;
    }
    if (!strcmp(what, "religions")) {
        for (i = 0; i < pd_refdata_religion_count(); i++) {
            const pd_religion *r = pd_refdata_religion_at(i);
            printf("%s\t%s\t%s\n", r->code, r->name, r->aliases);
        }
        return PD_EXIT_OK;
    }
    if (!strcmp(what, "labels")) {
        for (i = 0; i < pd_refdata_label_count(); i++) {
            const pd_label *l = pd_refdata_label_at(i);
            if (province && strcmp(province, l->enum_type) != 0)
                continue;
            printf("%s\t%d\t%s\t%s\t%s\n", l->enum_type, l->value, l->name, l->vi, l->en);
        }
        return PD_EXIT_OK;
    }
    return pd_cli_usage("refdata", "unknown table '%s' (see --help)", what);
}

/*
 * classification.c: levels of fields, from the table generated out of the .proto.
 *
 * Records are walked through their protobuf-c descriptors, so a newly classified
 * field needs no code here.
 */
#include <protobuf-c/protobuf-c.h>

#include "classification_table.h"
#include "pd_internal.h"

static const ProtobufCMessageDescriptor *kind_descriptor(pd_kind kind)
{
    switch (kind) {
    case PD_KIND_MEMBER: return &pd__pb__member__descriptor;
    case PD_KIND_ORG: return &pd__pb__organization__descriptor;
    case PD_KIND_MEMBERSHIP: return &pd__pb__membership__descriptor;
    case PD_KIND_EVENT: return &pd__pb__event__descriptor;
    case PD_KIND_RESIDENCE_LINK: return &pd__pb__residence_link__descriptor;
    default: return NULL;
    }
}

static pd_classification field_level(const ProtobufCMessageDescriptor *d,
                                     const ProtobufCFieldDescriptor *f)
{
    for (const pd_classification_entry *e = pd_classification__table; e->message; e++)
        if (!strcmp(e->message, d->short_name) && !strcmp(e->field, f->name))
            return e->level;
    return PD_CLASS_NONE;
}

int pd_field_classification(pd_classification *out, pd_kind kind, const char *path)
{
    const ProtobufCMessageDescriptor *d = kind_descriptor(kind);
    if (!out || !path || !d)
        return pd_error__set(PD_EINVALID, "pd_field_classification: bad kind or NULL path");
    pd_classification level = PD_CLASS_NONE;
    const char *p = path;
    while (*p) {
        size_t n = strcspn(p, ".[");
        char name[128];
        if (n == 0 || n >= sizeof(name) || !d)
            goto bad;
        memcpy(name, p, n);
        name[n] = '\0';
        const ProtobufCFieldDescriptor *f = protobuf_c_message_descriptor_get_field_by_name(d, name);
        if (!f)
            goto bad;
        pd_classification l = field_level(d, f);
        if (l > level)
            level = l;
        p += n;
        if (*p == '[') {
            const char *close = strchr(p, ']');
            if (!close || f->label != PROTOBUF_C_LABEL_REPEATED)
                goto bad;
            p = close + 1;
        }
        d = f->type == PROTOBUF_C_TYPE_MESSAGE ? f->descriptor : NULL;
        if (*p == '.')
            p++;
        else if (*p)
            goto bad;
    }
    *out = level;
    return 0;
bad:
    pd_error__set(PD_EINVALID, "'%s' is not a field path of %s", path, pd_kind_name(kind));
    pd_error__set_path(path);
    return PD_EINVALID;
}

static int strip_message(ProtobufCMessage *m, pd_classification max, const char *prefix,
                         pd_record *root, size_t *cleared);

static int strip_field(ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
                       pd_classification max, const char *prefix, pd_record *root,
                       size_t *cleared)
{
    char path[512];
    snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", f->name);
    if (field_level(m->descriptor, f) > max) {
        int has = pd_record_has(root, path);
        if (has > 0) {
            int rc = pd_record_clear(root, path);
            if (rc < 0)
                return rc;
            (*cleared)++;
        }
        return 0;
    }
    if (f->type != PROTOBUF_C_TYPE_MESSAGE)
        return 0;
    char *base = (char *)m + f->offset;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t count = *(size_t *)((char *)m + f->quantifier_offset);
        ProtobufCMessage **items = *(ProtobufCMessage ***)base;
        for (size_t i = 0; i < count; i++) {
            char ipath[560];
            snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
            int rc = strip_message(items[i], max, ipath, root, cleared);
            if (rc < 0)
                return rc;
        }
        return 0;
    }
    ProtobufCMessage *sub = *(ProtobufCMessage **)base;
    return sub ? strip_message(sub, max, path, root, cleared) : 0;
}

static int strip_message(ProtobufCMessage *m, pd_classification max, const char *prefix,
                         pd_record *root, size_t *cleared)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    for (unsigned i = 0; i < d->n_fields; i++) {
        int rc = strip_field(m, &d->fields[i], max, prefix, root, cleared);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int pd_record_strip(pd_record *r, pd_classification max, size_t *cleared)
{
    size_t n = 0;
    if (!r)
        return pd_error__set(PD_EINVALID, "pd_record_strip: NULL record");
    int rc = strip_message(PD_MSG(r), max, "", r, &n);
    if (cleared)
        *cleared = n;
    return rc;
}

const char *pd_classification_name(pd_classification c)
{
    switch (c) {
    case PD_CLASS_NONE: return "none";
    case PD_CLASS_PERSONAL: return "personal";
    case PD_CLASS_SENSITIVE: return "sensitive";
    default: return "?";
    }
}

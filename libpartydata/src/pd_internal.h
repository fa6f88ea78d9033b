/*
 * pd_internal.h: what the library's own source files share. Not API.
 *
 * Record handles are the protobuf-c messages themselves: a `pd_member *` points at a
 * PdPb__Member built with malloc (protobuf-c's default allocator), so
 * protobuf_c_message_free_unpacked(msg, NULL) frees it whole and the descriptors
 * drive reflection. Every string, bytes buffer, sub-message and repeated array in
 * such a message must therefore be malloc'ed and owned by it.
 */
#ifndef PD_INTERNAL_H
#define PD_INTERNAL_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "partydata/partydata.h"
#include "partydata.pb-c.h"

#define PD_MSG(x) ((ProtobufCMessage *)(x))
#define PD_CMSG(x) ((const ProtobufCMessage *)(x))

/* error.c: set the thread's last error; every setter returns `code` so that a
 * failure is reported where it is found: `return pd_error__set(PD_EINVALID, ...)` */
int pd_error__set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pd_error__vset(int code, const char *fmt, va_list ap);
int pd_error__oom(void);
void pd_error__set_path(const char *path);
void pd_error__set_rule(const char *rule);
void pd_error__set_position(const char *source, long line, long column, long record,
                            long long offset);
void pd_error__set_store_code(int store_code);

/* util: checked string helpers (NULL on out of memory, error set) */
char *pd__strdup(const char *s);
char *pd__strndup(const char *s, size_t n);
char *pd__asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pd__strarray_push(pd_strarray *a, const char *s);

#endif

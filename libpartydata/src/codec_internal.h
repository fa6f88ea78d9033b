/*
 * codec_internal.h: what codec.c, codec_json.c and codec_csv.c share. Not API.
 */
#ifndef PD_CODEC_INTERNAL_H
#define PD_CODEC_INTERNAL_H

#include <stdio.h>

#include <jansson.h>

#include "pd_internal.h"

/* Longest field path the codecs build (longer ones are cut). */
#define PD_CODEC_PATH_MAX 256

/* A field path under construction: push a component, pop back to a saved length. */
typedef struct pd_codec_path {
    char buf[PD_CODEC_PATH_MAX];
    size_t len;
} pd_codec_path;

size_t pd_codec__path_push(pd_codec_path *p, const char *name, long index);
void pd_codec__path_pop(pd_codec_path *p, size_t saved);

/* descriptors and kinds */
pd_kind pd_codec__kind_of(const ProtobufCMessageDescriptor *d);
const ProtobufCMessageDescriptor *pd_codec__descriptor(pd_kind kind);
ProtobufCMessage *pd_codec__msg_new(const ProtobufCMessageDescriptor *d);
size_t pd_codec__elem_size(ProtobufCType t);
/* Is a non-repeated field present in m? */
int pd_codec__has(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd);
/* Mark a non-repeated field present (has_ flag or oneof case). */
void pd_codec__mark(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd);
/* Free the value of a non-repeated string/bytes/message field and unset it. */
void pd_codec__clear_field(ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd);

/* UTF-8 check: 0 valid, 1 invalid UTF-8, 2 NUL byte */
int pd_codec__utf8_check(const unsigned char *s, size_t n);

/* base64: encode (standard, padded) into a new NUL-terminated string; decode
 * standard or URL-safe, padded or not. Return 0, -1 for bad input, PD_ENOMEM. */
int pd_codec__b64_encode(char **out, const unsigned char *data, size_t len);
int pd_codec__b64_decode(unsigned char **out, size_t *outlen, const char *s, size_t n);

/* UUID-valued bytes fields ("id", "*_id", "*_ids") cross CSV as UUID text. */
int pd_codec__is_id_field(const ProtobufCFieldDescriptor *fd);

/* JSON (codec_json.c). Errors are set without a position; *column (may be NULL) gets
 * the 1-based column of a syntax error, else 0. */
json_t *pd_codec__json_encode(const ProtobufCMessage *entity, unsigned flags);
int pd_codec__json_decode(ProtobufCMessage **out, const char *json, size_t len, pd_kind kind,
                          unsigned flags, long *column);

/* CSV (codec_csv.c): reader and writer state */
typedef struct pd_csv_reader pd_csv_reader;
typedef struct pd_csv_writer pd_csv_writer;
/* Reader input: the CSV reader pulls lines from the stream reader. */
struct pd_reader;
int pd_codec__read_line(const unsigned char **line, size_t *len, struct pd_reader *rd);
long pd_codec__reader_line(const struct pd_reader *rd);
long long pd_codec__reader_line_offset(const struct pd_reader *rd);
/* Start a record: index + 1, its offset. */
void pd_codec__reader_begin(struct pd_reader *rd, long long offset);
void pd_codec__reader_uncount(struct pd_reader *rd);
size_t pd_codec__reader_max(const struct pd_reader *rd);
int pd_codec__reader_at_position(struct pd_reader *rd, int rc, long line, const char *path);
void pd_codec__reader_set_raw(struct pd_reader *rd, const unsigned char *raw, size_t len);
int pd_codec__reader_keep_raw(struct pd_reader *rd, const unsigned char *raw, size_t len);

int pd_codec__csv_reader_new(pd_csv_reader **out, struct pd_reader *rd);
int pd_codec__csv_next(ProtobufCMessage **out, pd_csv_reader *cr, struct pd_reader *rd);
void pd_codec__csv_reader_free(pd_csv_reader *cr);
int pd_codec__csv_writer_new(pd_csv_writer **out, FILE *fp);
int pd_codec__csv_write(pd_csv_writer *cw, FILE *fp, const ProtobufCMessage *m);
void pd_codec__csv_writer_free(pd_csv_writer *cw);

#endif

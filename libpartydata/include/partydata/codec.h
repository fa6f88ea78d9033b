/*
 * codec.h: records to and from bytes: the protobuf length-delimited stream, JSON
 * Lines (protobuf JSON mapping) and CSV of members.
 *
 * Streams hold `Record` envelopes (partydata.proto): one entity per record.
 *  - protobuf: each record is a base-128 varint length followed by the serialized
 *    envelope (Java's writeDelimitedTo, Python's _VarintBytes(len) + SerializeToString()).
 *  - JSON Lines: one envelope object per line, {"member": {...}}, in the protobuf JSON
 *    mapping: lowerCamelCase names on output (both spellings accepted on input), enums
 *    by value name (numbers accepted), 64-bit integers as strings (numbers accepted),
 *    bytes in standard base64 (URL-safe accepted). Unknown protobuf fields cannot be
 *    carried by JSON and are dropped when writing JSON.
 *  - CSV (RFC 4180): members only; the header row holds flattened field paths
 *    ("full_name", "birth_date.year", "id_numbers[0].number", ...); repeated fields
 *    up to PD_CSV_MAX_REPEAT elements. Values are as pd_record_get() gives them.
 *
 * Readers are streaming (memory constant in the input size, bounded by
 * max_record_bytes). A bad record makes pd_reader_next() return a negative code with
 * its position in pd_error_last() (source, line, record index, byte offset, field
 * path); the next call goes on with the following record, so a caller can count
 * read = ok + rejected. Only PD_EIO (and PD_ENOMEM) are fatal.
 */
#ifndef PARTYDATA_CODEC_H
#define PARTYDATA_CODEC_H

#include <stdio.h>

#include "common.h"
#include "record.h"

PD_BEGIN_DECL

/** Stream formats. */
typedef enum pd_format {
    PD_FORMAT_AUTO = 0,  /**< from the file extension (.pb, .jsonl/.json/.ndjson, .csv) */
    PD_FORMAT_PB = 1,    /**< protobuf length-delimited stream of Record */
    PD_FORMAT_JSONL = 2, /**< JSON Lines, one Record object per line */
    PD_FORMAT_CSV = 3    /**< CSV of members, header row of field paths */
} pd_format;

/** JSON decoding flag: skip unknown keys instead of failing. */
#define PD_JSON_IGNORE_UNKNOWN 1u
/** JSON flag: the bare entity object, without the Record envelope. */
#define PD_JSON_BARE 2u

/** Default bound on one record (protobuf length, JSON line, CSV row): 64 MiB. */
#define PD_CODEC_DEFAULT_MAX_RECORD (64u * 1024u * 1024u)
/** Deepest JSON nesting accepted (objects and arrays). */
#define PD_JSON_MAX_DEPTH 64
/** Repeated fields of a member get this many CSV column groups. */
#define PD_CSV_MAX_REPEAT 3

/**
 * The format a file name implies: ".pb" → PD_FORMAT_PB, ".jsonl", ".ndjson" and
 * ".json" → PD_FORMAT_JSONL, ".csv" → PD_FORMAT_CSV (case-insensitive).
 * @return the format, or PD_FORMAT_AUTO if the extension says nothing
 */
PD_EXTERN(pd_format) pd_format_from_path(const char *path);

/**
 * Parse a format name: "pb" (or "protobuf"), "jsonl" (or "json"), "csv", "auto".
 * @return 0 or PD_EINVALID
 */
PD_EXTERN(int) pd_format_parse(pd_format *out, const char *name);

/** The name of a format ("pb", "jsonl", "csv", "auto"); static. */
PD_EXTERN(const char *) pd_format_name(pd_format f);

/* ---- single records ---------------------------------------------------------- */

/**
 * Serialize a record as a Record envelope (without the length prefix). Unknown fields
 * the record carries are written back.
 * @param[out] out  the bytes; free with pd_free()
 * @param[out] len  their length
 * @return 0, PD_EINVALID (NULL or kindless record), PD_ENOMEM
 */
PD_EXTERN(int) pd_record_to_pb(unsigned char **out, size_t *len, const pd_record *r);

/**
 * Parse a serialized Record envelope. Strings are checked: invalid UTF-8 or a NUL
 * byte fails with the field path.
 * @param[out] out  the record; free with pd_record_free()
 * @return 0; PD_EPARSE (not a Record, no entity set, bad UTF-8: path in
 *         pd_error_last()); PD_ENOMEM
 */
PD_EXTERN(int) pd_record_from_pb(pd_record **out, const unsigned char *data, size_t len);

/**
 * A record as one line of JSON (no newline) in the protobuf JSON mapping:
 * {"member":{...}}, or the bare entity object with PD_JSON_BARE.
 * @param[out] out  NUL-terminated UTF-8; free with pd_free()
 * @param flags  PD_JSON_BARE or 0
 * @return 0, PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_record_to_json(char **out, const pd_record *r, unsigned flags);

/**
 * Parse one JSON object in the protobuf JSON mapping.
 * @param[out] out  the record; free with pd_record_free()
 * @param json  the text (need not be NUL-terminated)
 * @param len   its length in bytes
 * @param kind  PD_KIND_NONE: a Record envelope ({"member":{...}}); otherwise the bare
 *              entity object of that kind
 * @param flags PD_JSON_IGNORE_UNKNOWN
 * @return 0; PD_EPARSE (syntax error with column, unknown key, wrong JSON type,
 *         number out of range, bad enum name, bad base64, invalid UTF-8, NUL, nesting
 *         deeper than PD_JSON_MAX_DEPTH; the field path in pd_error_last());
 *         PD_EINVALID (bad kind); PD_ENOMEM
 */
PD_EXTERN(int) pd_record_from_json(pd_record **out, const char *json, size_t len,
                                   pd_kind kind, unsigned flags);

/* ---- readers ------------------------------------------------------------------- */

typedef struct pd_reader pd_reader;
typedef struct pd_writer pd_writer;

typedef struct pd_reader_options {
    unsigned int version;    /**< PD_READER_OPTIONS_VERSION */
    pd_format format;        /**< PD_FORMAT_AUTO: from the path's extension, else sniffed
                                  (JSONL if the input starts like {"key":, else PB) */
    unsigned flags;          /**< PD_JSON_IGNORE_UNKNOWN */
    size_t max_record_bytes; /**< bound on one record; 0 = PD_CODEC_DEFAULT_MAX_RECORD */
    const char *name;        /**< source name in errors; NULL = the path (or "<memory>") */
} pd_reader_options;
#define PD_READER_OPTIONS_VERSION 1
#define PD_READER_OPTIONS_INIT { PD_READER_OPTIONS_VERSION, PD_FORMAT_AUTO, 0, 0, NULL }

/** Fill opts with the defaults. @return 0 or PD_EINVALID for an unknown version */
PD_EXTERN(int) pd_reader_options_init(pd_reader_options *opts, unsigned int version);

/**
 * Open a file for reading records.
 * @param[out] out  the reader; free with pd_reader_free()
 * @param path  a file name, or "-" for standard input (format sniffed unless given)
 * @param opts  NULL for the defaults
 * @return 0; PD_ENOTFOUND (no such file); PD_EIO; PD_EINVALID (bad options);
 *         PD_EPARSE (CSV whose header names an unknown field); PD_ENOMEM
 */
PD_EXTERN(int) pd_reader_open(pd_reader **out, const char *path, const pd_reader_options *opts);

/**
 * Read records from an open stream (not closed by the reader). opts->name names
 * the source in errors; PD_FORMAT_AUTO sniffs the first bytes.
 * @return as pd_reader_open()
 */
PD_EXTERN(int) pd_reader_open_file(pd_reader **out, FILE *fp, const pd_reader_options *opts);

/**
 * Read records from memory. The data is borrowed and must outlive the reader.
 * @param opts  NULL or PD_FORMAT_AUTO: sniffed from the first bytes
 * @return as pd_reader_open()
 */
PD_EXTERN(int) pd_reader_open_memory(pd_reader **out, const void *data, size_t len,
                                     const pd_reader_options *opts);

/**
 * The next record.
 * @param[out] out  the record, owned by the caller (free with pd_record_free())
 * @return 0; PD_ITEROVER at the end; PD_EPARSE or PD_ELIMIT for a bad record (position
 *         in pd_error_last(); calling again goes on with the next record); PD_EIO or
 *         PD_ENOMEM (fatal: later calls return the same code)
 */
PD_EXTERN(int) pd_reader_next(pd_record **out, pd_reader *rd);

/**
 * The bytes of the last record read, good or bad (a protobuf envelope without its
 * length prefix, a JSON line without its newline, a CSV row as it appeared), for
 * reject files. For a record larger than max_record_bytes, only its first bytes.
 * @param[out] len  the length (may be NULL)
 * @return a buffer borrowed until the next pd_reader_next() or pd_reader_free();
 *         NULL before the first record
 */
PD_EXTERN(const unsigned char *) pd_reader_raw(const pd_reader *rd, size_t *len);

/** @return the 1-based index of the last record read (0 before the first) */
PD_EXTERN(long) pd_reader_record_index(const pd_reader *rd);

/** @return the byte offset in the input where the last record began */
PD_EXTERN(long long) pd_reader_offset(const pd_reader *rd);

/** @return the reader's format (after guessing) */
PD_EXTERN(pd_format) pd_reader_format(const pd_reader *rd);

/** Close the file (unless given by the caller) and free the reader. NULL is a no-op. */
PD_EXTERN(void) pd_reader_free(pd_reader *rd);

/* ---- writers --------------------------------------------------------------------- */

typedef struct pd_writer_options {
    unsigned int version; /**< PD_WRITER_OPTIONS_VERSION */
    pd_format format;     /**< PD_FORMAT_AUTO: from the path's extension (PB if none) */
    unsigned flags;       /**< none yet: 0 */
} pd_writer_options;
#define PD_WRITER_OPTIONS_VERSION 1
#define PD_WRITER_OPTIONS_INIT { PD_WRITER_OPTIONS_VERSION, PD_FORMAT_AUTO, 0 }

/** Fill opts with the defaults. @return 0 or PD_EINVALID for an unknown version */
PD_EXTERN(int) pd_writer_options_init(pd_writer_options *opts, unsigned int version);

/**
 * Create (truncate) a file for writing records.
 * @param[out] out  the writer; close with pd_writer_close()
 * @param path  a file name or "-" for standard output
 * @return 0, PD_EIO, PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_writer_open(pd_writer **out, const char *path, const pd_writer_options *opts);

/**
 * Write records to an open stream (flushed, not closed, by pd_writer_close()).
 * PD_FORMAT_AUTO means PB.
 * @return 0, PD_EINVALID, PD_ENOMEM
 */
PD_EXTERN(int) pd_writer_open_file(pd_writer **out, FILE *fp, const pd_writer_options *opts);

/**
 * Write one record.
 * @return 0; PD_EINVALID (NULL or kindless record, or a non-member to a CSV writer);
 *         PD_ELIMIT (CSV: a member with more repeated elements than PD_CSV_MAX_REPEAT,
 *         or a field CSV cannot hold; nothing is written, the path is in
 *         pd_error_last()); PD_EIO (fatal: later writes fail too); PD_ENOMEM
 */
PD_EXTERN(int) pd_writer_write(pd_writer *w, const pd_record *r);

/** @return the number of records written so far */
PD_EXTERN(long) pd_writer_count(const pd_writer *w);

/**
 * Flush, close the file (unless given by the caller) and free the writer.
 * NULL is a no-op returning 0.
 * @return 0, or PD_EIO if any write or the close failed
 */
PD_EXTERN(int) pd_writer_close(pd_writer *w);

/* ---- CSV columns ----------------------------------------------------------------- */

/**
 * The CSV header: every flattened column path of a member, in schema order
 * ("id", "full_name", "birth_date.year", "id_numbers[0].type", ...).
 * @param[out] out  release with pd_strarray_dispose()
 * @return 0 or PD_ENOMEM
 */
PD_EXTERN(int) pd_csv_columns(pd_strarray *out);

PD_END_DECL

#endif

/*
 * id.c: version-7 UUIDs.
 *
 * Time-ordered keys keep B-tree inserts local (design §3: 225 k vs 63 k rows/s).
 * Monotonicity needs the previous id, the one piece of process-wide state besides
 * the thread-local error; a mutex guards it.
 */
#include <pthread.h>
#include <time.h>
#include <uuid/uuid.h>

#include "pd_internal.h"

static pthread_mutex_t last_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char last_id[16];

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Add one to the 74 random bits, skipping the version and variant bits. */
static void increment(unsigned char *u)
{
    for (int i = 15; i >= 6; i--) {
        if (i == 8) { /* variant: 2 bits fixed, 6 bits counted */
            if ((u[8] & 0x3f) != 0x3f) { u[8]++; return; }
            u[8] &= 0xc0;
            continue;
        }
        if (i == 6) { /* version nibble fixed, low nibble counted */
            if ((u[6] & 0x0f) != 0x0f) { u[6]++; return; }
            u[6] &= 0xf0;
            continue;
        }
        if (++u[i] != 0)
            return;
    }
    /* 74 bits wrapped within one millisecond: borrow the next millisecond */
    for (int i = 5; i >= 0; i--)
        if (++u[i] != 0)
            break;
}

int pd_uuid_new(pd_uuid *out)
{
    if (!out)
        return pd_error__set(PD_EINVALID, "pd_uuid_new: out is NULL");
    uuid_t rnd;
    uuid_generate_random(rnd);
    unsigned char *u = out->bytes;
    uint64_t ms = now_ms();
    for (int i = 0; i < 6; i++)
        u[i] = (unsigned char)(ms >> (40 - 8 * i));
    memcpy(u + 6, rnd + 6, 10);
    u[6] = (unsigned char)(0x70 | (u[6] & 0x0f));
    u[8] = (unsigned char)(0x80 | (u[8] & 0x3f));

    pthread_mutex_lock(&last_lock);
    if (memcmp(u, last_id, 16) <= 0) {
        memcpy(u, last_id, 16);
        increment(u);
    }
    memcpy(last_id, u, 16);
    pthread_mutex_unlock(&last_lock);
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int pd_uuid_parse(pd_uuid *out, const char *text)
{
    if (!out || !text)
        return pd_error__set(PD_EINVALID, "pd_uuid_parse: NULL argument");
    memset(out, 0, sizeof(*out));
    size_t len = strlen(text);
    int hyphens = (len == 36);
    if (len != 36 && len != 32)
        return pd_error__set(PD_EPARSE, "not a UUID: expected 36 characters, got %zu", len);
    const char *p = text;
    for (int i = 0; i < 16; i++) {
        if (hyphens && (i == 4 || i == 6 || i == 8 || i == 10)) {
            if (*p != '-')
                return pd_error__set(PD_EPARSE, "not a UUID: '-' expected at %ld",
                                     (long)(p - text) + 1);
            p++;
        }
        int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
        if (hi < 0 || lo < 0) {
            memset(out, 0, sizeof(*out));
            return pd_error__set(PD_EPARSE, "not a UUID: bad hex digit at %ld",
                                 (long)(p - text) + 1);
        }
        out->bytes[i] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    return 0;
}

char *pd_uuid_format(char *buf, const pd_uuid *id)
{
    static const char hex[] = "0123456789abcdef";
    char *p = buf;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[id->bytes[i] >> 4];
        *p++ = hex[id->bytes[i] & 15];
    }
    *p = '\0';
    return buf;
}

int pd_uuid_is_nil(const pd_uuid *id)
{
    for (int i = 0; i < 16; i++)
        if (id->bytes[i])
            return 0;
    return 1;
}

int pd_uuid_cmp(const pd_uuid *a, const pd_uuid *b)
{
    return memcmp(a->bytes, b->bytes, 16);
}

int64_t pd_uuid_time_ms(const pd_uuid *id)
{
    if ((id->bytes[6] >> 4) != 7)
        return -1;
    int64_t ms = 0;
    for (int i = 0; i < 6; i++)
        ms = ms << 8 | id->bytes[i];
    return ms;
}

#ifndef TRACKGATE_CMPG123_SHIM_H
#define TRACKGATE_CMPG123_SHIM_H

#include <stddef.h>
#include <sys/types.h>
#include <mpg123.h>

/* libmpg123 renames its off_t functions with macros when large-file support is
   configured (mpg123_length -> mpg123_length_64); Swift cannot follow function
   macros, so the calls TrackGate makes go through these inline helpers. */

/* A decoding handle for one file descriptor: quiet (libmpg123 otherwise prints
   resync notes and errors on standard error), gapless (encoder delay and padding
   from the LAME tag are removed), 32-bit float output at the stream's own rate
   and channel count. Returns NULL with *error set on failure; the descriptor stays
   the caller's. */
static inline mpg123_handle *tg_mp3_open(int fd, int *error) {
    mpg123_handle *h = mpg123_new(NULL, error);
    if (!h) return NULL;
    mpg123_param(h, MPG123_ADD_FLAGS, MPG123_QUIET | MPG123_GAPLESS | MPG123_FORCE_FLOAT, 0.0);
    mpg123_param(h, MPG123_REMOVE_FLAGS, MPG123_AUTO_RESAMPLE, 0.0);
    int rc = mpg123_open_fd(h, fd);
    if (rc != MPG123_OK) {
        *error = mpg123_errcode(h);
        if (*error == MPG123_OK) *error = rc;
        mpg123_delete(h);
        return NULL;
    }
    return h;
}

/* Format of the stream, read from its first frame. */
static inline int tg_mp3_format(mpg123_handle *h, long *rate, int *channels) {
    int encoding = 0;
    int rc = mpg123_getformat(h, rate, channels, &encoding);
    if (rc != MPG123_OK) return rc;
    /* Fix the output format so it cannot change under the reader. */
    mpg123_format_none(h);
    return mpg123_format(h, *rate, *channels, MPG123_ENC_FLOAT_32);
}

/* Total samples per channel: from the stream's Xing/Info/LAME or VBRI header when
   it has one, otherwise (with `scan`) counted by reading every frame header. -1
   when unknown. */
static inline long long tg_mp3_length(mpg123_handle *h, int scan) {
    if (scan && mpg123_scan(h) != MPG123_OK) return -1;
    off_t n = mpg123_length(h);
    return (long long)n;
}

static inline int tg_mp3_read(mpg123_handle *h, void *out, size_t bytes, size_t *done) {
    return mpg123_read(h, (unsigned char *)out, bytes, done);
}

/* The text of an ID3v2 field (TIT2, TPE1, ...) or ID3v1 fallback, as UTF-8; NULL when absent. */
static inline const char *tg_mp3_text(mpg123_string *s) {
    return (s && s->fill > 0 && s->p) ? s->p : NULL;
}

/* MPEG audio layer (1, 2 or 3) of the current frame, 0 when unknown. */
static inline int tg_mp3_layer(mpg123_handle *h) {
    struct mpg123_frameinfo info;
    return mpg123_info(h, &info) == MPG123_OK ? info.layer : 0;
}

#endif

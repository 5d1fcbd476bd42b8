#ifndef TRACKGATE_CSNDFILE_SHIM_H
#define TRACKGATE_CSNDFILE_SHIM_H

#include <sndfile.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <unistd.h>

/* The bext struct holds fixed-size char arrays, which Swift imports as unwieldy
   tuples. These helpers move whole strings in and out so the Swift side deals
   only in String. Fields are copied without a terminator when full, as EBU
   Tech 3285 allows (fixed-width ASCII fields). */

static inline void tg_copy_field(char *dst, size_t cap, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n > cap) n = cap;
    memset(dst, 0, cap);
    if (n) memcpy(dst, src, n);
}

static inline void tg_read_field(char *dst, size_t cap_dst, const char *src, size_t cap_src) {
    size_t n = 0;
    while (n < cap_src && src[n] != 0) n++;
    if (n >= cap_dst) n = cap_dst - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

typedef struct {
    const char *description;      /* up to 256 bytes */
    const char *originator;       /* up to 32 */
    const char *originator_reference; /* up to 32 */
    const char *origination_date; /* yyyy-mm-dd */
    const char *origination_time; /* hh:mm:ss */
    uint64_t time_reference;      /* samples since midnight */
    int has_loudness;             /* bext version 2 fields present */
    int16_t loudness_value;       /* LUFS x 100 */
    int16_t loudness_range;       /* LU x 100 */
    int16_t max_true_peak_level;  /* dBTP x 100 */
    int16_t max_momentary_loudness;
    int16_t max_shortterm_loudness;
    const char *coding_history;   /* up to 256 */
} tg_bext;

static inline int tg_set_bext(SNDFILE *file, const tg_bext *b) {
    SF_BROADCAST_INFO info;
    memset(&info, 0, sizeof info);
    tg_copy_field(info.description, sizeof info.description, b->description);
    tg_copy_field(info.originator, sizeof info.originator, b->originator);
    tg_copy_field(info.originator_reference, sizeof info.originator_reference, b->originator_reference);
    tg_copy_field(info.origination_date, sizeof info.origination_date, b->origination_date);
    tg_copy_field(info.origination_time, sizeof info.origination_time, b->origination_time);
    info.time_reference_low = (uint32_t)(b->time_reference & 0xffffffffu);
    info.time_reference_high = (uint32_t)(b->time_reference >> 32);
    info.version = b->has_loudness ? 2 : 1;
    if (b->has_loudness) {
        info.loudness_value = b->loudness_value;
        info.loudness_range = b->loudness_range;
        info.max_true_peak_level = b->max_true_peak_level;
        info.max_momentary_loudness = b->max_momentary_loudness;
        info.max_shortterm_loudness = b->max_shortterm_loudness;
    }
    tg_copy_field(info.coding_history, sizeof info.coding_history, b->coding_history);
    size_t hist = strlen(info.coding_history) < sizeof info.coding_history
        ? strlen(info.coding_history) : sizeof info.coding_history;
    info.coding_history_size = (uint32_t)hist;
    return sf_command(file, SFC_SET_BROADCAST_INFO, &info, sizeof info) == SF_TRUE;
}

/* Output buffers for tg_get_bext, sized for the widest field plus a terminator. */
typedef struct {
    char description[257];
    char originator[33];
    char originator_reference[33];
    char origination_date[11];
    char origination_time[9];
    uint64_t time_reference;
    int version;
    int16_t loudness_value;
    int16_t loudness_range;
    int16_t max_true_peak_level;
    int16_t max_momentary_loudness;
    int16_t max_shortterm_loudness;
    char coding_history[257];
} tg_bext_out;

static inline int tg_get_bext(SNDFILE *file, tg_bext_out *out) {
    SF_BROADCAST_INFO info;
    memset(&info, 0, sizeof info);
    memset(out, 0, sizeof *out);
    if (sf_command(file, SFC_GET_BROADCAST_INFO, &info, sizeof info) != SF_TRUE) return 0;
    tg_read_field(out->description, sizeof out->description, info.description, sizeof info.description);
    tg_read_field(out->originator, sizeof out->originator, info.originator, sizeof info.originator);
    tg_read_field(out->originator_reference, sizeof out->originator_reference,
                  info.originator_reference, sizeof info.originator_reference);
    tg_read_field(out->origination_date, sizeof out->origination_date,
                  info.origination_date, sizeof info.origination_date);
    tg_read_field(out->origination_time, sizeof out->origination_time,
                  info.origination_time, sizeof info.origination_time);
    out->time_reference = ((uint64_t)info.time_reference_high << 32) | info.time_reference_low;
    out->version = info.version;
    out->loudness_value = info.loudness_value;
    out->loudness_range = info.loudness_range;
    out->max_true_peak_level = info.max_true_peak_level;
    out->max_momentary_loudness = info.max_momentary_loudness;
    out->max_shortterm_loudness = info.max_shortterm_loudness;
    size_t hist = info.coding_history_size < sizeof info.coding_history
        ? info.coding_history_size : sizeof info.coding_history;
    tg_read_field(out->coding_history, sizeof out->coding_history, info.coding_history, hist);
    return 1;
}

/* Cue points in a WAV `cue ` chunk, at frame positions in the data chunk.
   libsndfile holds up to 100 in its fixed SF_CUES struct; it stores positions
   only (no `LIST/adtl` labels), so names are left empty. */
enum { TG_MAX_CUES = 100 };

static inline int tg_set_cues(SNDFILE *file, const uint32_t *positions, int count) {
    SF_CUES cues;
    memset(&cues, 0, sizeof cues);
    if (count < 0) count = 0;
    if (count > TG_MAX_CUES) count = TG_MAX_CUES;
    cues.cue_count = (uint32_t)count;
    for (int i = 0; i < count; i++) {
        SF_CUE_POINT *p = &cues.cue_points[i];
        p->indx = i + 1;
        p->position = positions[i];
        p->fcc_chunk = 0x61746164; /* 'data', little-endian */
        p->sample_offset = positions[i];
    }
    return sf_command(file, SFC_SET_CUE, &cues, sizeof cues) == SF_TRUE;
}

/* Returns the number of cue points (0 when there is no cue chunk), up to `capacity`. */
static inline int tg_get_cues(SNDFILE *file, uint32_t *positions, int capacity) {
    uint32_t count = 0;
    if (sf_command(file, SFC_GET_CUE_COUNT, &count, sizeof count) != SF_TRUE || count == 0) return 0;
    SF_CUES cues;
    memset(&cues, 0, sizeof cues);
    if (sf_command(file, SFC_GET_CUE, &cues, sizeof cues) != SF_TRUE) return 0;
    int n = (int)cues.cue_count;
    if (n > TG_MAX_CUES) n = TG_MAX_CUES;
    if (n > capacity) n = capacity;
    for (int i = 0; i < n; i++) positions[i] = cues.cue_points[i].sample_offset;
    return n;
}


/* ---- Reading through one descriptor, with header fields overridden ----

   libsndfile takes a WAV whose `data` size is 0 (a streaming writer that could
   not seek back) as holding no audio, and one whose size is 0xFFFFFFFF as running
   to the end of the file, trailing chunks included. TrackGate works out the true
   extent itself and lets libsndfile read the file through these callbacks, which
   serve the file's own bytes except for up to four small patched fields. The file
   is opened once: the same descriptor serves the probe and the decoder. */

enum { TG_MAX_PATCHES = 4 };

typedef struct {
    int fd;
    sf_count_t length;
    sf_count_t position;
    int patch_count;
    sf_count_t patch_offset[TG_MAX_PATCHES];
    int patch_size[TG_MAX_PATCHES];
    unsigned char patch_bytes[TG_MAX_PATCHES][8];
} tg_source;

static sf_count_t tg_source_length(void *user) { return ((tg_source *)user)->length; }

static sf_count_t tg_source_seek(sf_count_t offset, int whence, void *user) {
    tg_source *s = (tg_source *)user;
    sf_count_t base = whence == SEEK_CUR ? s->position : whence == SEEK_END ? s->length : 0;
    sf_count_t target = base + offset;
    if (target < 0) return -1;
    s->position = target;
    return target;
}

static sf_count_t tg_source_read(void *ptr, sf_count_t count, void *user) {
    tg_source *s = (tg_source *)user;
    unsigned char *out = (unsigned char *)ptr;
    sf_count_t done = 0;
    while (done < count) {
        ssize_t got = pread(s->fd, out + done, (size_t)(count - done), (off_t)(s->position + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        done += got;
    }
    for (int i = 0; i < s->patch_count; i++) {
        sf_count_t start = s->patch_offset[i], end = start + s->patch_size[i];
        for (sf_count_t at = start; at < end; at++) {
            if (at >= s->position && at < s->position + done) out[at - s->position] = s->patch_bytes[i][at - start];
        }
    }
    s->position += done;
    return done;
}

static sf_count_t tg_source_write(const void *ptr, sf_count_t count, void *user) {
    (void)ptr; (void)count; (void)user;
    return 0;
}

static sf_count_t tg_source_tell(void *user) { return ((tg_source *)user)->position; }

/* Opens `source` for reading; libsndfile keeps a pointer to it until sf_close. */
static inline SNDFILE *tg_open_source(tg_source *source, SF_INFO *info) {
    static SF_VIRTUAL_IO io = {
        tg_source_length, tg_source_seek, tg_source_read, tg_source_write, tg_source_tell
    };
    source->position = 0;
    return sf_open_virtual(&io, SFM_READ, info, source);
}

#endif

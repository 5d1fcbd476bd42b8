#ifndef TRACKGATE_CFFMPEG_SHIM_H
#define TRACKGATE_CFFMPEG_SHIM_H

/* Decoding through FFmpeg's libraries (libavformat, libavcodec, libswresample)
   for what libsndfile cannot read: AAC and ALAC in MP4/M4A, raw ADTS AAC,
   audio in Matroska/WebM. One `tg_av_reader` is one open stream on a file
   descriptor the caller owns; it reads with pread, so it never moves the
   descriptor's offset. Output is 32-bit float, interleaved, at the stream's
   own rate and channel count. The libraries are quiet: their log lines are
   kept (the last one per thread) for error messages, never printed. */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

/* The last line logged on this thread (a function's static: Swift emits the
   header's functions, not its file-scope variables). */
static inline char *tg_av_log_line(void) {
    static _Thread_local char line[256];
    return line;
}

/* Keeps the last error-level line the libraries log on this thread. */
static inline void tg_av_log(void *avcl, int level, const char *fmt, va_list args) {
    (void)avcl;
    /* The level's low byte; higher bits carry flags. */
    if ((level & 0xff) > AV_LOG_ERROR) return;
    char *line = tg_av_log_line();
    vsnprintf(line, 256, fmt, args);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' ')) line[--n] = 0;
}

static inline const char *tg_av_last_message(void) { return tg_av_log_line(); }
static inline void tg_av_clear_message(void) { tg_av_log_line()[0] = 0; }

static inline void tg_av_install_log(void) { av_log_set_callback(tg_av_log); }

/* The libraries' log goes to tg_av_log, installed once for the process: they
   would otherwise print to standard error. */
static inline void tg_av_quiet(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, tg_av_install_log);
}

typedef struct tg_av_reader {
    int fd;
    int64_t size;
    int64_t offset;
    AVIOContext *io;
    AVFormatContext *format;
    AVCodecContext *codec;
    SwrContext *resampler;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    int channels;
    int rate;
    int flushing;
    int finished;
    /* The sample format and layout the converter was set up for. */
    int converter_format;
    AVChannelLayout converter_layout;
    /* Converted frames not yet handed out: interleaved floats. */
    float *pending;
    int pending_capacity;
    int pending_start;
    int pending_count;
} tg_av_reader;

static inline int tg_av_read_packet(void *opaque, uint8_t *buffer, int size) {
    tg_av_reader *r = (tg_av_reader *)opaque;
    if (r->offset >= r->size) return AVERROR_EOF;
    ssize_t got;
    do { got = pread(r->fd, buffer, (size_t)size, (off_t)r->offset); } while (got < 0 && errno == EINTR);
    if (got < 0) return AVERROR(errno);
    if (got == 0) return AVERROR_EOF;
    r->offset += got;
    return (int)got;
}

static inline int64_t tg_av_seek(void *opaque, int64_t offset, int whence) {
    tg_av_reader *r = (tg_av_reader *)opaque;
    int64_t target;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return r->size;
    case SEEK_SET: target = offset; break;
    case SEEK_CUR: target = r->offset + offset; break;
    case SEEK_END: target = r->size + offset; break;
    default: return AVERROR(EINVAL);
    }
    if (target < 0) return AVERROR(EINVAL);
    r->offset = target;
    return target;
}

static inline void tg_av_close(tg_av_reader *r) {
    if (!r) return;
    swr_free(&r->resampler);
    av_channel_layout_uninit(&r->converter_layout);
    av_frame_free(&r->frame);
    av_packet_free(&r->packet);
    avcodec_free_context(&r->codec);
    avformat_close_input(&r->format);
    if (r->io) {
        av_freep(&r->io->buffer);
        avio_context_free(&r->io);
    }
    av_free(r->pending);
    av_free(r);
}

/* Stages at which opening can fail, for the caller's sentence. */
enum {
    TG_AV_OK = 0,
    TG_AV_NO_MEMORY = 1,
    TG_AV_NOT_OPENED = 2,     /* the container cannot be parsed */
    TG_AV_NO_STREAM_INFO = 3, /* the streams cannot be described */
    TG_AV_NO_AUDIO = 4,       /* no audio stream */
    TG_AV_NO_DECODER = 5,     /* this build has no decoder for the codec */
    TG_AV_DECODER_FAILED = 6  /* the decoder refused the stream's parameters */
};

/* Opens the best audio stream of the file on `fd` (`size` bytes). On failure
   returns one of the stages above with *code set to FFmpeg's error code. */
static inline int tg_av_open(int fd, int64_t size, tg_av_reader **out, int *code) {
    *out = NULL;
    *code = 0;
    tg_av_quiet();
    tg_av_clear_message();
    tg_av_reader *r = (tg_av_reader *)av_mallocz(sizeof *r);
    if (!r) return TG_AV_NO_MEMORY;
    r->fd = fd;
    r->size = size;
    r->stream = -1;
    const int buffer_size = 65536;
    uint8_t *buffer = (uint8_t *)av_malloc(buffer_size);
    if (!buffer) { tg_av_close(r); return TG_AV_NO_MEMORY; }
    r->io = avio_alloc_context(buffer, buffer_size, 0, r, tg_av_read_packet, NULL, tg_av_seek);
    if (!r->io) { av_free(buffer); tg_av_close(r); return TG_AV_NO_MEMORY; }
    r->format = avformat_alloc_context();
    if (!r->format) { tg_av_close(r); return TG_AV_NO_MEMORY; }
    r->format->pb = r->io;
    r->format->flags |= AVFMT_FLAG_CUSTOM_IO;
    int rc = avformat_open_input(&r->format, NULL, NULL, NULL);
    if (rc < 0) { *code = rc; tg_av_close(r); return TG_AV_NOT_OPENED; }
    rc = avformat_find_stream_info(r->format, NULL);
    if (rc < 0) { *code = rc; tg_av_close(r); return TG_AV_NO_STREAM_INFO; }
    const AVCodec *decoder = NULL;
    rc = av_find_best_stream(r->format, AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
    if (rc == AVERROR_STREAM_NOT_FOUND) { *code = rc; tg_av_close(r); return TG_AV_NO_AUDIO; }
    if (rc < 0 || !decoder) { *code = rc; tg_av_close(r); return TG_AV_NO_DECODER; }
    r->stream = rc;
    for (unsigned i = 0; i < r->format->nb_streams; i++) {
        if ((int)i != r->stream) r->format->streams[i]->discard = AVDISCARD_ALL;
    }
    AVStream *st = r->format->streams[r->stream];
    r->codec = avcodec_alloc_context3(decoder);
    if (!r->codec) { tg_av_close(r); return TG_AV_NO_MEMORY; }
    rc = avcodec_parameters_to_context(r->codec, st->codecpar);
    if (rc >= 0) rc = avcodec_open2(r->codec, decoder, NULL);
    if (rc < 0) { *code = rc; tg_av_close(r); return TG_AV_DECODER_FAILED; }
    r->channels = r->codec->ch_layout.nb_channels;
    r->rate = r->codec->sample_rate;
    r->packet = av_packet_alloc();
    r->frame = av_frame_alloc();
    if (!r->packet || !r->frame) { tg_av_close(r); return TG_AV_NO_MEMORY; }
    *out = r;
    return TG_AV_OK;
}

static inline int tg_av_channels(const tg_av_reader *r) { return r->channels; }
static inline int tg_av_rate(const tg_av_reader *r) { return r->rate; }

static inline const char *tg_av_codec_name(const tg_av_reader *r) { return avcodec_get_name(r->codec->codec_id); }
static inline const char *tg_av_container_name(const tg_av_reader *r) { return r->format->iformat->name; }

/* The stream's length in samples, as its container announces it (an MP4's
   edit list or media header; Matroska's duration), or -1 when it says none. */
static inline int64_t tg_av_announced_frames(const tg_av_reader *r) {
    const AVStream *st = r->format->streams[r->stream];
    if (st->duration != AV_NOPTS_VALUE && st->duration > 0 && st->time_base.num > 0 && st->time_base.den > 0) {
        return av_rescale_q(st->duration, st->time_base, (AVRational){1, r->rate});
    }
    return -1;
}

/* A tag of the container or of the audio stream ("title", "artist", ...), or NULL. */
static inline const char *tg_av_tag(const tg_av_reader *r, const char *key) {
    const AVDictionaryEntry *e = av_dict_get(r->format->metadata, key, NULL, 0);
    if (!e) e = av_dict_get(r->format->streams[r->stream]->metadata, key, NULL, 0);
    return e ? e->value : NULL;
}

/* Converts the decoded frame into the pending buffer. The output keeps the
   stream's opening channel count and rate; a frame in another sample format or
   layout with the same count sets the converter up again. */
static inline int tg_av_convert(tg_av_reader *r) {
    AVFrame *f = r->frame;
    if (f->ch_layout.nb_channels != r->channels || f->sample_rate != r->rate) return AVERROR_INVALIDDATA;
    if (r->resampler && (f->format != r->converter_format
                         || av_channel_layout_compare(&f->ch_layout, &r->converter_layout) != 0)) {
        swr_free(&r->resampler);
    }
    if (!r->resampler) {
        av_channel_layout_uninit(&r->converter_layout);
        int copied = av_channel_layout_copy(&r->converter_layout, &f->ch_layout);
        if (copied < 0) return copied;
        r->converter_format = f->format;
        int rc = swr_alloc_set_opts2(&r->resampler, &f->ch_layout, AV_SAMPLE_FMT_FLT, r->rate,
                                     &f->ch_layout, (enum AVSampleFormat)f->format, r->rate, 0, NULL);
        if (rc < 0) return rc;
        rc = swr_init(r->resampler);
        if (rc < 0) return rc;
    }
    int room = f->nb_samples + 16;
    if (room > r->pending_capacity) {
        av_free(r->pending);
        r->pending = (float *)av_malloc_array((size_t)room * (size_t)r->channels, sizeof(float));
        if (!r->pending) { r->pending_capacity = 0; return AVERROR(ENOMEM); }
        r->pending_capacity = room;
    }
    uint8_t *outputs[1] = { (uint8_t *)r->pending };
    int got = swr_convert(r->resampler, outputs, room, (const uint8_t **)f->extended_data, f->nb_samples);
    if (got < 0) return got;
    r->pending_start = 0;
    r->pending_count = got;
    return 0;
}

/* Decodes the next frame into the pending buffer. Returns 0 with frames
   pending, AVERROR_EOF at the end of the stream, or another error. *damaged is
   set when the container could not deliver the rest of the stream (a read
   error, or a packet cut short): the caller decides from the stream's
   announced length whether that is truncation. */
static inline int tg_av_next(tg_av_reader *r, int *damaged) {
    for (;;) {
        int rc = avcodec_receive_frame(r->codec, r->frame);
        if (rc == 0) {
            rc = tg_av_convert(r);
            av_frame_unref(r->frame);
            if (rc < 0) return rc;
            if (r->pending_count > 0) return 0;
            continue;
        }
        if (rc == AVERROR_EOF) { r->finished = 1; return AVERROR_EOF; }
        if (rc != AVERROR(EAGAIN)) return rc;
        if (r->flushing) { r->finished = 1; return AVERROR_EOF; }
        for (;;) {
            rc = av_read_frame(r->format, r->packet);
            if (rc < 0) {
                if (rc != AVERROR_EOF) *damaged = 1;
                r->flushing = 1;
                rc = avcodec_send_packet(r->codec, NULL);
                break;
            }
            if (r->packet->stream_index != r->stream) { av_packet_unref(r->packet); continue; }
            if (r->packet->flags & AV_PKT_FLAG_CORRUPT) *damaged = 1;
            /* The file's last bytes: a packet that will not decode there was cut. */
            int last = r->packet->pos >= 0 && r->packet->pos + r->packet->size >= r->size;
            rc = avcodec_send_packet(r->codec, r->packet);
            if (rc == AVERROR_INVALIDDATA && last) *damaged = 1;
            av_packet_unref(r->packet);
            break;
        }
        if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) return rc;
    }
}

/* Up to `frames` frames into `out` (interleaved), the count in *got. Returns 0,
   or FFmpeg's error code when the stream cannot be decoded further. */
static inline int tg_av_read(tg_av_reader *r, float *out, int frames, int *got, int *damaged) {
    *got = 0;
    tg_av_clear_message();
    while (*got < frames) {
        if (r->pending_count == 0) {
            if (r->finished) return 0;
            int rc = tg_av_next(r, damaged);
            if (rc == AVERROR_EOF) return 0;
            if (rc < 0) return rc;
        }
        int n = r->pending_count < frames - *got ? r->pending_count : frames - *got;
        memcpy(out + (size_t)*got * (size_t)r->channels, r->pending + (size_t)r->pending_start * (size_t)r->channels,
               (size_t)n * (size_t)r->channels * sizeof(float));
        r->pending_start += n;
        r->pending_count -= n;
        *got += n;
    }
    return 0;
}

/* FFmpeg's sentence for an error code. */
static inline void tg_av_error_text(int code, char *text, size_t size) {
    if (av_strerror(code, text, size) < 0) snprintf(text, size, "error %d", code);
}

#endif

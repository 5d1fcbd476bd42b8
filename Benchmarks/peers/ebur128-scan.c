/* The libebur128 peer of side-by-side.sh: what a program built on libebur128
 * does to measure a batch. Each file is decoded by libsndfile (sf_readf_float,
 * interleaved, as libebur128 takes it) and fed to one ebur128 state with modes
 * I, LRA and TRUE_PEAK; one line per file: integrated LUFS, LRA LU, true peak
 * dBTP, path. Files are shared among -j threads, each taking the next one.
 *
 *   cc -O2 -o ebur128-scan ebur128-scan.c -lebur128 -lsndfile -lpthread -lm
 *   ebur128-scan [-j N] FILE...
 */
#include <ebur128.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char **files;
static int file_count;
static atomic_int next_file;
static atomic_int failures;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

enum { BLOCK_FRAMES = 16384 };

static int scan(const char *path, double *integrated, double *range, double *true_peak) {
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *file = sf_open(path, SFM_READ, &info);
    if (!file) return -1;
    ebur128_state *state = ebur128_init((unsigned)info.channels, (unsigned long)info.samplerate,
                                        EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
    float *block = malloc(sizeof(float) * BLOCK_FRAMES * (size_t)info.channels);
    int status = state && block ? 0 : -1;
    sf_count_t got;
    while (status == 0 && (got = sf_readf_float(file, block, BLOCK_FRAMES)) > 0)
        if (ebur128_add_frames_float(state, block, (size_t)got) != EBUR128_SUCCESS) status = -1;
    if (status == 0) {
        double peak = 0, channel_peak;
        for (int c = 0; c < info.channels; c++)
            if (ebur128_true_peak(state, (unsigned)c, &channel_peak) == EBUR128_SUCCESS && channel_peak > peak)
                peak = channel_peak;
        if (ebur128_loudness_global(state, integrated) != EBUR128_SUCCESS
            || ebur128_loudness_range(state, range) != EBUR128_SUCCESS)
            status = -1;
        *true_peak = 20 * log10(peak);
    }
    free(block);
    if (state) ebur128_destroy(&state);
    sf_close(file);
    return status;
}

static void *worker(void *unused) {
    (void)unused;
    int index;
    while ((index = atomic_fetch_add(&next_file, 1)) < file_count) {
        double integrated = 0, range = 0, true_peak = 0;
        int status = scan(files[index], &integrated, &range, &true_peak);
        pthread_mutex_lock(&print_lock);
        if (status == 0) printf("%.2f %.2f %.2f %s\n", integrated, range, true_peak, files[index]);
        else fprintf(stderr, "ebur128-scan: %s: cannot measure\n", files[index]);
        pthread_mutex_unlock(&print_lock);
        if (status != 0) atomic_fetch_add(&failures, 1);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int jobs = 1, first = 1;
    if (argc > 2 && strcmp(argv[1], "-j") == 0) { jobs = atoi(argv[2]); first = 3; }
    if (jobs < 1 || first >= argc) {
        fprintf(stderr, "usage: ebur128-scan [-j N] FILE...\n");
        return 64;
    }
    files = argv + first;
    file_count = argc - first;
    pthread_t threads[64];
    if (jobs > 64) jobs = 64;
    for (int t = 0; t < jobs; t++) pthread_create(&threads[t], NULL, worker, NULL);
    for (int t = 0; t < jobs; t++) pthread_join(threads[t], NULL);
    return atomic_load(&failures) ? 1 : 0;
}

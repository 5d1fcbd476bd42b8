#ifndef TRACKGATE_CSOXR_SHIM_H
#define TRACKGATE_CSOXR_SHIM_H
#include <soxr.h>

/* soxr's input and output types are `void const *` / `void *`; for split
   (planar) channels they point at an array of channel pointers. These helpers
   keep that cast on the C side. */
static inline soxr_error_t tg_soxr_process_split(soxr_t s, float const *const *in, size_t ilen, size_t *idone,
                                                 float *const *out, size_t olen, size_t *odone) {
    return soxr_process(s, in ? (soxr_in_t)in : NULL, ilen, idone, (soxr_out_t)out, olen, odone);
}
#endif

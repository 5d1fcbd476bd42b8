#ifndef TRACKGATE_CSAMPLERATE_SHIM_H
#define TRACKGATE_CSAMPLERATE_SHIM_H
/* libsamplerate (Secret Rabbit Code): the streaming src_process API is used as is. */
#include <samplerate.h>
#endif

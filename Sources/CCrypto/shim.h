#ifndef TRACKGATE_CCRYPTO_SHIM_H
#define TRACKGATE_CCRYPTO_SHIM_H
/* OpenSSL's libcrypto, for SHA-256 only: its assembly uses the CPU's SHA
   instructions, so hashing a track costs a fraction of decoding it. */
#include <openssl/evp.h>
#endif

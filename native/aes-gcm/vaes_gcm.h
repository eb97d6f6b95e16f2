// AES-256-GCM on 512-bit registers (VAES and VPCLMULQDQ: vaes_gcm.c), the engine aes_gcm.c uses instead of
// OpenSSL on a CPU that has them.
#ifndef DFS_VAULT_VAES_GCM_H
#define DFS_VAULT_VAES_GCM_H

#include <stddef.h>
#include "addon-support.h"

// One slice of a stripe to open (either engine's openInto takes them in order, as one stream).
struct gcm_part {
  unsigned char *data;
  size_t length;
};

// The code exists only where GCC or Clang (new enough: addon-support.h) compile for x86-64: vaes_gcm.c gives each
// function its own target, so the file builds for baseline x86-64 and runs only where vaes_gcm_supported() said
// yes. Elsewhere OpenSSL does it all, or, in the build without OpenSSL, node:crypto in JavaScript.
#ifdef DFS_X86_64_WIDE
#define VAES_GCM_BUILT 1

// True when this CPU has AVX-512 F, BW and VL, VAES, VPCLMULQDQ, AES-NI and PCLMULQDQ, and the OS saves the
// 512-bit registers. Nothing else in this header may be called otherwise.
int vaes_gcm_supported(void);

// Encrypts `data` (up to 2^31 - 1 bytes) in place under `key` and the 12-byte `nonce`, authenticating `aad`
// too, and writes the 16-byte tag: the bytes and tag OpenSSL's AES-256-GCM gives.
void vaes_gcm_seal(const unsigned char *key, const unsigned char *nonce, const unsigned char *aad, size_t aad_length,
                   unsigned char *data, size_t length, unsigned char *tag);

// Decrypts `count` parts, in order, into `out` (as long as they are together; a part may be `out`'s own bytes at
// the same place, not otherwise overlap it) and checks `tag`: true when it verified. When it did not, `out` holds
// unverified plaintext: the caller must clear it. Past GCM's limit (2^36 - 32 bytes) nothing is decrypted: false.
int vaes_gcm_open(const unsigned char *key, const unsigned char *nonce, const unsigned char *aad, size_t aad_length,
                  const struct gcm_part *parts, size_t count, const unsigned char *tag, unsigned char *out);
#endif

#endif

// AES-256-GCM over the vault's own memory: sealing a stripe in place (PUT) and opening one received in
// slices into one buffer (GET).
//
// node:crypto cannot encrypt or decrypt into a given buffer: every update returns a fresh one, which PUT
// then copied back over its stripe and GET wrote out. Those allocations cost about as much CPU as the AES
// itself. This addon calls the same OpenSSL that node:crypto uses (Node exports its symbols to addons) and
// gives the same bytes and tags (the tests compare the two; the loader runs a self-test).
//
// OpenSSL 3.0, which Node 20 bundles, has no AES-GCM for 512-bit registers; on a CPU with VAES and VPCLMULQDQ
// the addon uses its own (vaes_gcm.c), which gives the same bytes at about twice the speed. It chooses when it
// loads, and says which in its `engine` export: 'vaes-avx512' or 'openssl'.
//
// binding.gyp builds this file twice: with DFS_AES_GCM_OPENSSL for Node (dfs_vault_aes_gcm), and without it for
// Electron (dfs_vault_aes_gcm_vaes), which does not export the OpenSSL it links: that build has the VAES engine
// only, and exports nothing on a CPU without it.
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>
#ifdef DFS_AES_GCM_OPENSSL
#include <openssl/evp.h>
#endif
#include "addon-support.h"
#include "vaes_gcm.h"

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16

// Throws a JavaScript TypeError and returns NULL (for `return fail(...)` from a callback).
static napi_value fail(napi_env env, const char *message) { return dfs_fail(env, "ERR_DFS_AES_GCM", message); }

// Which code seals and opens. Chosen once per load of the addon (choose_engine) and given to each function as
// its data, so two loads in one process may differ (the tests load the addon twice to compare the engines).
enum engine { ENGINE_NONE, ENGINE_OPENSSL, ENGINE_VAES };

// Reads exactly `expected` arguments into `argv`, and the function's engine, or throws `usage` and answers false.
static int read_arguments(napi_env env, napi_callback_info info, size_t expected, napi_value *argv, enum engine *engine, const char *usage) {
  size_t count = expected;
  void *data = NULL;
  if (napi_get_cb_info(env, info, &count, argv, NULL, &data) == napi_ok && count == expected) {
    *engine = (enum engine)(uintptr_t)data;
    return 1;
  }
  fail(env, usage);
  return 0;
}

// Where a stripe is sealed: its key, nonce and associated data (the first three arguments of both functions).
struct place {
  unsigned char *key, *nonce, *aad;
  size_t aad_length;
};

// Reads `argv[0..2]` into `place`; answers what is wrong with them, or NULL.
static const char *read_place(napi_env env, const napi_value *argv, struct place *place) {
  size_t key_length, nonce_length;
  if (!dfs_bytes_of(env, argv[0], &place->key, &key_length) || key_length != KEY_BYTES) return "The key must be 32 bytes.";
  if (!dfs_bytes_of(env, argv[1], &place->nonce, &nonce_length) || nonce_length != NONCE_BYTES) return "The nonce must be 12 bytes.";
  if (!dfs_bytes_of(env, argv[2], &place->aad, &place->aad_length)) return "The associated data must be a Uint8Array.";
  if (place->aad_length > INT_MAX) return "The associated data must be at most 2 GiB - 1 bytes.";
  return NULL;
}

#ifdef DFS_AES_GCM_OPENSSL
// Sets `context` up to encrypt (1) or decrypt (0) at `place`, associated data included; false if OpenSSL refuses.
static int start_gcm(EVP_CIPHER_CTX *context, const struct place *place, int encrypt) {
  int written = 0;
  return EVP_CipherInit_ex(context, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
         EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
         EVP_CipherInit_ex(context, NULL, NULL, place->key, place->nonce, encrypt) == 1 &&
         (place->aad_length == 0 || EVP_CipherUpdate(context, NULL, &written, place->aad, (int)place->aad_length) == 1);
}

// Seals `data` in place through OpenSSL; answers why it could not, or NULL.
static const char *seal_with_openssl(const struct place *place, unsigned char *data, size_t data_length, unsigned char *tag) {
  EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
  if (context == NULL) return "OpenSSL could not allocate a cipher context.";
  int written = 0;
  int ok = start_gcm(context, place, 1) &&
           (data_length == 0 || (EVP_EncryptUpdate(context, data, &written, data, (int)data_length) == 1 && (size_t)written == data_length)) &&
           EVP_EncryptFinal_ex(context, data + data_length, &written) == 1 && written == 0 &&
           EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
  // Frees the key schedule too; OpenSSL clears it first.
  EVP_CIPHER_CTX_free(context);
  return ok ? NULL : "OpenSSL refused to seal the stripe.";
}

#endif

// Seals `data` in place with `engine`; answers why it could not, or NULL.
static const char *seal(enum engine engine, const struct place *place, unsigned char *data, size_t data_length, unsigned char *tag) {
#ifdef VAES_GCM_BUILT
  if (engine == ENGINE_VAES) {
    vaes_gcm_seal(place->key, place->nonce, place->aad, place->aad_length, data, data_length, tag);
    return NULL;
  }
#endif
#ifdef DFS_AES_GCM_OPENSSL
  if (engine == ENGINE_OPENSSL) return seal_with_openssl(place, data, data_length, tag);
#endif
  (void)engine, (void)place, (void)data, (void)data_length, (void)tag;
  return "This build of the addon has no engine for this CPU.";
}

// sealInPlace(key: 32 bytes, nonce: 12 bytes, aad, data, tag: 16 bytes): encrypts `data` in place and writes
// the tag into `tag`. Throws on wrong argument types or sizes, or if OpenSSL refuses; `data` is then unusable.
static napi_value seal_in_place(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  enum engine engine;
  if (!read_arguments(env, info, 5, argv, &engine, "sealInPlace takes (key, nonce, aad, data, tag).")) return NULL;
  struct place place;
  unsigned char *data, *tag;
  size_t data_length, tag_length;
  const char *wrong = read_place(env, argv, &place);
  if (wrong != NULL) return fail(env, wrong);
  if (!dfs_bytes_of(env, argv[3], &data, &data_length) || data_length > INT_MAX) return fail(env, "The data must be a Uint8Array of at most 2 GiB.");
  if (!dfs_bytes_of(env, argv[4], &tag, &tag_length) || tag_length != TAG_BYTES) return fail(env, "The tag must be 16 bytes.");
  const char *refused = seal(engine, &place, data, data_length, tag);
  if (refused != NULL) return fail(env, refused);
  return NULL;
}

// The most slices one stripe may arrive in (a 1 MiB stripe comes in about 20).
#define MAX_PARTS 65536

#ifdef DFS_AES_GCM_OPENSSL
// Decrypts `count` parts (struct gcm_part: vaes_gcm.h, which both engines read) into `out`, one after the other.
// False if OpenSSL refuses.
static int decrypt_parts(EVP_CIPHER_CTX *context, const struct gcm_part *parts, uint32_t count, unsigned char *out) {
  size_t at = 0;
  for (uint32_t i = 0; i < count; i++) {
    int written = 0;
    if (parts[i].length == 0) continue;
    if (EVP_DecryptUpdate(context, out + at, &written, parts[i].data, (int)parts[i].length) != 1 || (size_t)written != parts[i].length) return 0;
    at += parts[i].length;
  }
  return 1;
}

// Opens `count` parts into `out` through OpenSSL, setting `verified`; answers why it could not try, or NULL.
static const char *open_with_openssl(const struct place *place, const struct gcm_part *parts, uint32_t count, unsigned char *tag,
                                     unsigned char *out, size_t out_length, int *verified) {
  EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
  if (context == NULL) return "OpenSSL could not allocate a cipher context.";
  if (!start_gcm(context, place, 0)) {
    EVP_CIPHER_CTX_free(context);
    return "OpenSSL refused to open the stripe.";
  }
  int written = 0;
  *verified = decrypt_parts(context, parts, count, out) &&
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) == 1 &&
              EVP_DecryptFinal_ex(context, out + out_length, &written) == 1 && written == 0;
  EVP_CIPHER_CTX_free(context);
  return NULL;
}

#endif

// Opens `count` parts into `out` with `engine`, setting `verified`; answers why it could not try, or NULL. On
// false the caller clears `out`.
static const char *open_parts(enum engine engine, const struct place *place, const struct gcm_part *parts, uint32_t count,
                              unsigned char *tag, unsigned char *out, size_t out_length, int *verified) {
#ifdef VAES_GCM_BUILT
  if (engine == ENGINE_VAES) {
    *verified = vaes_gcm_open(place->key, place->nonce, place->aad, place->aad_length, parts, count, tag, out);
    return NULL;
  }
#endif
#ifdef DFS_AES_GCM_OPENSSL
  if (engine == ENGINE_OPENSSL) return open_with_openssl(place, parts, count, tag, out, out_length, verified);
#endif
  (void)engine, (void)place, (void)parts, (void)count, (void)tag, (void)out, (void)out_length, (void)verified;
  return "This build of the addon has no engine for this CPU.";
}

// openInto(key: 32 bytes, nonce: 12 bytes, aad, parts: Uint8Array[], tag: 16 bytes, out): decrypts the
// parts, in order, into `out` (exactly as long as they are together) and checks the tag. Returns true when
// the tag verified; false, with `out` zeroed, when it did not (altered, wrong key or place). Throws for
// arguments of the wrong type or size.
static napi_value open_into(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  enum engine engine;
  if (!read_arguments(env, info, 6, argv, &engine, "openInto takes (key, nonce, aad, parts, tag, out).")) return NULL;
  bool is_array = false;
  uint32_t count = 0;
  if (napi_is_array(env, argv[3], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[3], &count) != napi_ok) {
    return fail(env, "The parts must be an array of Uint8Arrays.");
  }
  if (count > MAX_PARTS) return fail(env, "A stripe cannot come in more than 65536 parts.");
  napi_value *values = malloc(sizeof(napi_value) * (count > 0 ? count : 1));
  struct gcm_part *parts = malloc(sizeof(struct gcm_part) * (count > 0 ? count : 1));
  if (values == NULL || parts == NULL) {
    free(values);
    free(parts);
    return fail(env, "Out of memory.");
  }
  napi_value result = NULL;
  // From here on, no JavaScript runs until the function returns (see dfs_read_elements).
  if (!dfs_read_elements(env, argv[3], count, values)) goto done;
  struct place place;
  unsigned char *tag, *out;
  size_t tag_length, out_length, total = 0;
  const char *wrong = read_place(env, argv, &place);
  if (wrong != NULL) {
    fail(env, wrong);
    goto done;
  }
  if (!dfs_bytes_of(env, argv[4], &tag, &tag_length) || tag_length != TAG_BYTES) {
    fail(env, "The tag must be 16 bytes.");
    goto done;
  }
  if (!dfs_bytes_of(env, argv[5], &out, &out_length)) {
    fail(env, "The output must be a Uint8Array.");
    goto done;
  }
  for (uint32_t i = 0; i < count; i++) {
    if (!dfs_bytes_of(env, values[i], &parts[i].data, &parts[i].length) || parts[i].length > INT_MAX || parts[i].length > out_length - total) {
      fail(env, "The parts must be Uint8Arrays exactly as long as the output together.");
      goto done;
    }
    total += parts[i].length;
  }
  if (total != out_length) {
    fail(env, "The parts must be Uint8Arrays exactly as long as the output together.");
    goto done;
  }

  int verified = 0;
  const char *refused = open_parts(engine, &place, parts, count, tag, out, out_length, &verified);
  if (refused != NULL) {
    fail(env, refused);
    goto done;
  }
  // Nothing unverified leaves: the caller sees zeros, never plaintext of a stripe that did not open.
  if (!verified) dfs_wipe(out, out_length);
  napi_get_boolean(env, verified, &result);
done:
  free(values);
  free(parts);
  return result;
}

// The engine for this load. The VAES code where the CPU and OS allow it (vaes_gcm_supported), else OpenSSL (none in
// the build without it). DFS_VAULT_AES_GCM_ENGINE=openssl in the environment when the addon loads forces OpenSSL
// even there: the tests run both engines on one machine that way, and it rules the newer code out should that ever
// be wanted. Any other value, or none, leaves the choice to the addon. The build without OpenSSL ignores it: the
// loader (native-aes-gcm.ts) does not load that build at all when it is set, so the desktop app uses node:crypto.
static enum engine choose_engine(void) {
#ifdef DFS_AES_GCM_OPENSSL
  if (dfs_env_is("DFS_VAULT_AES_GCM_ENGINE", "openssl")) return ENGINE_OPENSSL;
#endif
#ifdef VAES_GCM_BUILT
  if (vaes_gcm_supported()) return ENGINE_VAES;
#endif
#ifdef DFS_AES_GCM_OPENSSL
  return ENGINE_OPENSSL;
#else
  return ENGINE_NONE;
#endif
}

NAPI_MODULE_INIT() {
  enum engine engine = choose_engine();
  // No engine (the build without OpenSSL, on a CPU without VAES or built without the VAES code): no functions, and
  // `unavailable` says which, for the loader's reason.
  if (engine == ENGINE_NONE) {
#ifdef VAES_GCM_BUILT
    const char *why = "this CPU cannot run the VAES engine (AVX-512 F, BW and VL, VAES, VPCLMULQDQ)";
#else
    const char *why = "this build has no VAES engine (it needs GCC or Clang 10 or later, for x86-64)";
#endif
    return dfs_export_string(env, exports, "unavailable", why) ? exports : NULL;
  }
  void *data = (void *)(uintptr_t)engine;
  if (!dfs_export_function(env, exports, "sealInPlace", seal_in_place, data) || !dfs_export_function(env, exports, "openInto", open_into, data) ||
      !dfs_export_string(env, exports, "engine", engine == ENGINE_VAES ? "vaes-avx512" : "openssl")) {
    return NULL;
  }
  return exports;
}

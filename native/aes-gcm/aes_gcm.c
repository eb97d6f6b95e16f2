// AES-256-GCM sealing in place, for the vault's PUT path.
//
// node:crypto cannot encrypt into a given buffer: every update returns a fresh buffer, which the vault then
// copies back over its stripe. That allocation and copy cost about as much CPU as the AES itself. This addon
// calls the same OpenSSL that node:crypto uses (Node exports its symbols to addons), over the caller's own
// memory, and returns the same ciphertext and tag byte for byte (the tests compare the two).
//
// It only seals. Opening stays in node:crypto, where a stripe's plaintext is never handed out before its tag
// has verified.
#include <limits.h>
#include <node_api.h>
#include <openssl/evp.h>

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16

// Throws a JavaScript TypeError and returns NULL (for `return fail(...)` from a callback).
static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_DFS_AES_GCM", message);
  return NULL;
}

// The bytes of a Uint8Array (a Buffer is one), or false when `value` is not one.
static int bytes_of(napi_env env, napi_value value, unsigned char **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  void *start = NULL;
  if (napi_get_typedarray_info(env, value, &type, length, &start, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  // An empty view may have no memory behind it; OpenSSL is never given its pointer with a length above 0.
  static unsigned char empty;
  *data = start != NULL ? start : &empty;
  return 1;
}

// sealInPlace(key: 32 bytes, nonce: 12 bytes, aad, data, tag: 16 bytes): encrypts `data` in place and writes
// the tag into `tag`. Throws on wrong argument types or sizes, or if OpenSSL refuses; `data` is then unusable.
static napi_value seal_in_place(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) {
    return fail(env, "sealInPlace takes (key, nonce, aad, data, tag).");
  }
  unsigned char *key, *nonce, *aad, *data, *tag;
  size_t key_length, nonce_length, aad_length, data_length, tag_length;
  if (!bytes_of(env, argv[0], &key, &key_length) || key_length != KEY_BYTES) return fail(env, "The key must be 32 bytes.");
  if (!bytes_of(env, argv[1], &nonce, &nonce_length) || nonce_length != NONCE_BYTES) return fail(env, "The nonce must be 12 bytes.");
  if (!bytes_of(env, argv[2], &aad, &aad_length) || aad_length > INT_MAX) return fail(env, "The associated data must be a Uint8Array.");
  if (!bytes_of(env, argv[3], &data, &data_length) || data_length > INT_MAX) return fail(env, "The data must be a Uint8Array of at most 2 GiB.");
  if (!bytes_of(env, argv[4], &tag, &tag_length) || tag_length != TAG_BYTES) return fail(env, "The tag must be 16 bytes.");

  EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
  if (context == NULL) return fail(env, "OpenSSL could not allocate a cipher context.");
  int written = 0;
  int ok = EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), NULL, NULL, NULL) == 1 &&
           EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) == 1 &&
           EVP_EncryptInit_ex(context, NULL, NULL, key, nonce) == 1 &&
           (aad_length == 0 || EVP_EncryptUpdate(context, NULL, &written, aad, (int)aad_length) == 1) &&
           (data_length == 0 || (EVP_EncryptUpdate(context, data, &written, data, (int)data_length) == 1 && (size_t)written == data_length)) &&
           EVP_EncryptFinal_ex(context, data + data_length, &written) == 1 && written == 0 &&
           EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) == 1;
  // Frees the key schedule too; OpenSSL clears it first.
  EVP_CIPHER_CTX_free(context);
  if (!ok) return fail(env, "OpenSSL refused to seal the stripe.");
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value function;
  if (napi_create_function(env, "sealInPlace", NAPI_AUTO_LENGTH, seal_in_place, NULL, &function) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "sealInPlace", function) != napi_ok) return NULL;
  return exports;
}

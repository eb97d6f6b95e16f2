// What the three addons (aes-gcm, crc32, gf256) share: which vector code a build may contain, whether the OS
// keeps 512-bit registers, the environment overrides the tests use, and reading arguments from JavaScript.
#ifndef DFS_VAULT_ADDON_SUPPORT_H
#define DFS_VAULT_ADDON_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>

// x86-64 code built by GCC or Clang: the only builds with vector code (each function carries its own target,
// so the file still compiles for baseline x86-64 and runs the code only where the CPU was asked first).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DFS_X86_64 1
#include <cpuid.h>
// ... and a compiler that knows every AVX-512, VAES, VPCLMULQDQ and GFNI intrinsic the wide code uses
// (_mm512_zextsi128_si512 came last, in GCC 10). An older one builds the addons without that code.
#if (defined(__clang__) && __clang_major__ >= 10) || (!defined(__clang__) && __GNUC__ >= 10)
#define DFS_X86_64_WIDE 1
#endif

// True when the OS saves the 512-bit and mask registers across context switches (XCR0 bits 1, 2 and 5..7), without
// which their contents would be lost. GCC's __builtin_cpu_supports checks this before it reports AVX-512 (libgcc
// reads XCR0), but other compilers' runtimes have not always: so every wide path asks here too.
static inline bool dfs_os_saves_zmm(void) {
  unsigned int eax, ebx, ecx, edx, xcr0_low, xcr0_high;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_OSXSAVE)) return false;
  __asm__ __volatile__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
  (void)xcr0_high;
  return (xcr0_low & 0xe6) == 0xe6;
}
#endif

// True when environment variable `name` is exactly `value`: the tests' way to make an addon, when it loads, run
// the code another CPU would (DFS_VAULT_AES_GCM_ENGINE=openssl, DFS_VAULT_CRC32_FOLD=128, DFS_VAULT_GF256_KERNEL=avx2).
static inline bool dfs_env_is(const char *name, const char *value) {
  const char *set = getenv(name);
  return set != NULL && strcmp(set, value) == 0;
}

// Clears `length` bytes at `start` (key material, unverified plaintext) in a way the compiler may not drop as a
// dead store: the empty assembly is told it reads the memory.
static inline void dfs_wipe(void *start, size_t length) {
  if (length == 0) return;
#if defined(__GNUC__) || defined(__clang__)
  memset(start, 0, length);
  __asm__ __volatile__("" : : "r"(start) : "memory");
#else
  volatile unsigned char *bytes = start;
  while (length-- > 0) *bytes++ = 0;
#endif
}

// Throws a JavaScript TypeError with `code` and returns NULL (for `return fail(...)` from a callback).
static inline napi_value dfs_fail(napi_env env, const char *code, const char *message) {
  napi_throw_type_error(env, code, message);
  return NULL;
}

// The bytes of a Uint8Array (a Buffer is one), or false when `value` is not one. An empty view may have no memory
// behind it (a detached buffer has none): its pointer is then a static byte, never read or written at length 0.
static inline bool dfs_bytes_of(napi_env env, napi_value value, unsigned char **data, size_t *length) {
  static unsigned char empty;
  bool is_typed = false;
  napi_typedarray_type type;
  void *start = NULL;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  if (napi_get_typedarray_info(env, value, &type, length, &start, NULL, NULL) != napi_ok || type != napi_uint8_array) return false;
  *data = start != NULL ? start : &empty;
  return true;
}

// Reads every element of `array` (`count` of them) into `elements`. Reading an element may run JavaScript (a getter),
// which could detach or free any buffer: so callers read them all before taking any pointer into a buffer, and call
// nothing that runs JavaScript after.
static inline bool dfs_read_elements(napi_env env, napi_value array, uint32_t count, napi_value *elements) {
  for (uint32_t i = 0; i < count; i++) {
    if (napi_get_element(env, array, i, &elements[i]) != napi_ok) return false;
  }
  return true;
}

// Adds `function` to `exports` as `name`, with `data` (which loop or engine it runs) for napi_get_cb_info; false if
// N-API refuses.
static inline bool dfs_export_function(napi_env env, napi_value exports, const char *name, napi_callback function, void *data) {
  napi_value value;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, function, data, &value) == napi_ok && napi_set_named_property(env, exports, name, value) == napi_ok;
}

// Adds the read-only string `value` to `exports` as `name` (which code the functions run, for the loader to report);
// false if N-API refuses.
static inline bool dfs_export_string(napi_env env, napi_value exports, const char *name, const char *value) {
  napi_property_descriptor property = {name, NULL, NULL, NULL, NULL, NULL, napi_enumerable, NULL};
  return napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &property.value) == napi_ok && napi_define_properties(env, exports, 1, &property) == napi_ok;
}

#endif

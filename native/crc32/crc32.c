// CRC-32 (zlib's: reflected polynomial 0xEDB88320) of the chunks a PUT stores, by carry-less
// multiplication (PCLMULQDQ), folding 64 bytes at a time as in Intel's "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ Instruction" (the method and constants Chromium's zlib uses); where the CPU
// has AVX-512 and VPCLMULQDQ, the bulk first folds 256 bytes at a time in four 512-bit registers.
//
// Node's zlib.crc32 runs zlib's table code (about 4.5 GB/s here): the largest cost of a PUT in the client
// after its socket writes. The 128-bit fold runs at 11–12 GB/s and gives the same values (the tests compare
// the two at every length around the fold's steps; the loader runs a self-test). On a CPU without PCLMULQDQ
// and SSE4.1, or one that is not x86-64, the addon exports no function and the vault uses zlib.
#include <stdint.h>
#include <node_api.h>
#include "addon-support.h"

#ifdef DFS_X86_64
#include <immintrin.h>

// The register (not inverted) after `length` more bytes, bit by bit: only for what the fold leaves (under
// 16 bytes) or does not take (under 64), so no table, and no state shared between threads.
static uint32_t update_bitwise(uint32_t crc, const unsigned char *data, size_t length) {
  while (length-- > 0) {
    crc ^= *data++;
    for (int bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return crc;
}

// Folds one 128-bit lane forward by `constants` and adds `next`.
__attribute__((target("pclmul,sse4.1"))) static inline __m128i fold(__m128i lane, __m128i constants, __m128i next) {
  __m128i low = _mm_clmulepi64_si128(lane, constants, 0x00);
  __m128i high = _mm_clmulepi64_si128(lane, constants, 0x11);
  return _mm_xor_si128(_mm_xor_si128(high, low), next);
}

// The four 128-bit lanes after the first 64 bytes, the register added to the first.
struct lanes {
  __m128i x1, x2, x3, x4;
};

// x^(4*128+32) and x^(4*128-32) mod P, bit-reflected and shifted (the paper's k1, k2): a fold of 512 bits.
#define FOLD_512_LOW 0x0154442bd4
#define FOLD_512_HIGH 0x01c6e41596

// Folds `length` bytes (a multiple of 16, at least 64; 64 of them already in `lanes`) into the register.
__attribute__((target("pclmul,sse4.1"))) static uint32_t finish_folding(struct lanes lanes, const unsigned char *data, size_t length) {
  // The same for 128 bits (k3, k4) and for 64 (k5); then the Barrett constants: P itself and floor(x^64 / P).
  const __m128i k1k2 = _mm_set_epi64x(FOLD_512_HIGH, FOLD_512_LOW);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
  __m128i x1 = lanes.x1, x2 = lanes.x2, x3 = lanes.x3, x4 = lanes.x4;
  // Four lanes, 64 bytes a step.
  for (; length >= 64; data += 64, length -= 64) {
    x1 = fold(x1, k1k2, _mm_loadu_si128((const __m128i *)data));
    x2 = fold(x2, k1k2, _mm_loadu_si128((const __m128i *)(data + 16)));
    x3 = fold(x3, k1k2, _mm_loadu_si128((const __m128i *)(data + 32)));
    x4 = fold(x4, k1k2, _mm_loadu_si128((const __m128i *)(data + 48)));
  }
  // Into one lane, then 16 bytes a step.
  x1 = fold(x1, k3k4, x2);
  x1 = fold(x1, k3k4, x3);
  x1 = fold(x1, k3k4, x4);
  for (; length >= 16; data += 16, length -= 16) x1 = fold(x1, k3k4, _mm_loadu_si128((const __m128i *)data));

  // 128 bits to 64, then Barrett reduction to 32.
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k3k4, 0x10));
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, low32), k5, 0x00), _mm_srli_si128(x1, 4));
  __m128i quotient = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), poly, 0x10);
  __m128i product = _mm_clmulepi64_si128(_mm_and_si128(quotient, low32), poly, 0x00);
  return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x1, product), 1);
}

// The register (not inverted) after `length` bytes, a multiple of 16 and at least 64.
__attribute__((target("pclmul,sse4.1"))) static uint32_t update_folding(uint32_t crc, const unsigned char *data, size_t length) {
  struct lanes lanes = {
      _mm_xor_si128(_mm_loadu_si128((const __m128i *)data), _mm_cvtsi32_si128((int)crc)),
      _mm_loadu_si128((const __m128i *)(data + 16)),
      _mm_loadu_si128((const __m128i *)(data + 32)),
      _mm_loadu_si128((const __m128i *)(data + 48)),
  };
  return finish_folding(lanes, data + 64, length - 64);
}

#ifdef DFS_X86_64_WIDE
// Folds one 512-bit register (four 128-bit lanes) forward by `constants` and adds `next`.
__attribute__((target("avx512f,vpclmulqdq"))) static inline __m512i fold_wide(__m512i lanes, __m512i constants, __m512i next) {
  __m512i low = _mm512_clmulepi64_epi128(lanes, constants, 0x00);
  __m512i high = _mm512_clmulepi64_epi128(lanes, constants, 0x11);
  return _mm512_ternarylogic_epi64(low, high, next, 0x96);
}

// As update_folding, but 256 bytes a step in four 512-bit registers while at least 256 bytes remain, then
// those folded into one register, whose four lanes are where the 128-bit fold would stand at that point.
__attribute__((target("avx512f,vpclmulqdq,pclmul,sse4.1"))) static uint32_t update_folding_wide(uint32_t crc, const unsigned char *data, size_t length) {
  if (length < 512) return update_folding(crc, data, length);
  // A fold of 2048 bits: x^(2048+32) and x^(2048-32) mod P, bit-reflected and shifted, in each lane.
  const __m512i by2048 = _mm512_broadcast_i32x4(_mm_set_epi64x(0x01322d1430, 0x011542778a));
  const __m512i by512 = _mm512_broadcast_i32x4(_mm_set_epi64x(FOLD_512_HIGH, FOLD_512_LOW));
  __m512i z1 = _mm512_xor_si512(_mm512_loadu_si512(data), _mm512_zextsi128_si512(_mm_cvtsi32_si128((int)crc)));
  __m512i z2 = _mm512_loadu_si512(data + 64);
  __m512i z3 = _mm512_loadu_si512(data + 128);
  __m512i z4 = _mm512_loadu_si512(data + 192);
  data += 256;
  length -= 256;
  for (; length >= 256; data += 256, length -= 256) {
    z1 = fold_wide(z1, by2048, _mm512_loadu_si512(data));
    z2 = fold_wide(z2, by2048, _mm512_loadu_si512(data + 64));
    z3 = fold_wide(z3, by2048, _mm512_loadu_si512(data + 128));
    z4 = fold_wide(z4, by2048, _mm512_loadu_si512(data + 192));
  }
  z1 = fold_wide(z1, by512, z2);
  z1 = fold_wide(z1, by512, z3);
  z1 = fold_wide(z1, by512, z4);
  struct lanes lanes = {
      _mm512_extracti32x4_epi32(z1, 0),
      _mm512_extracti32x4_epi32(z1, 1),
      _mm512_extracti32x4_epi32(z1, 2),
      _mm512_extracti32x4_epi32(z1, 3),
  };
  return finish_folding(lanes, data, length);
}
#endif

// A bulk fold: update_folding, or update_folding_wide where the CPU has AVX-512 and VPCLMULQDQ. Chosen when the
// addon loads and given to its function as data, so two loads in one process may differ.
typedef uint32_t bulk_fold(uint32_t crc, const unsigned char *data, size_t length);

static uint32_t crc32_of(bulk_fold *fold, uint32_t seed, const unsigned char *data, size_t length) {
  uint32_t crc = ~seed;
  if (length >= 64) {
    size_t folded = length & ~(size_t)15;
    crc = fold(crc, data, folded);
    data += folded;
    length -= folded;
  }
  return ~update_bitwise(crc, data, length);
}

// crc32(data: Uint8Array, seed: number): number, as zlib.crc32(data, seed), by the function's bulk fold.
static napi_value crc32_function(napi_env env, napi_callback_info info) {
  size_t count = 2;
  napi_value argv[2];
  void *fold = NULL;
  if (napi_get_cb_info(env, info, &count, argv, NULL, &fold) != napi_ok || count != 2) return dfs_fail(env, "ERR_DFS_CRC32", "crc32 takes (data: Uint8Array, seed: number).");
  unsigned char *data;
  size_t length = 0;
  if (!dfs_bytes_of(env, argv[0], &data, &length)) return dfs_fail(env, "ERR_DFS_CRC32", "The data must be a Uint8Array.");
  double seed_value = -1;
  if (napi_get_value_double(env, argv[1], &seed_value) != napi_ok || !(seed_value >= 0 && seed_value <= 4294967295.0) || seed_value != (double)(uint32_t)seed_value) {
    return dfs_fail(env, "ERR_DFS_CRC32", "The seed must be a whole number from 0 to 2^32 - 1.");
  }
  uint32_t seed = (uint32_t)seed_value;
  // An empty view may have no memory behind it; its CRC is the seed, and its pointer is never read.
  uint32_t crc = length == 0 ? seed : crc32_of((bulk_fold *)fold, seed, data, length);
  napi_value result;
  napi_create_uint32(env, crc, &result);
  return result;
}

// The bulk fold for this load, and its name: the 512-bit one where the CPU (and the OS) can run it, unless
// DFS_VAULT_CRC32_FOLD=128 asks for the 128-bit one, so the tests cover both on such a CPU.
static bulk_fold *choose_fold(const char **name) {
#ifdef DFS_X86_64_WIDE
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("vpclmulqdq") && dfs_os_saves_zmm() && !dfs_env_is("DFS_VAULT_CRC32_FOLD", "128")) {
    *name = "vpclmulqdq-avx512";
    return update_folding_wide;
  }
#endif
  *name = "pclmulqdq";
  return update_folding;
}
#endif

NAPI_MODULE_INIT() {
#ifdef DFS_X86_64
  __builtin_cpu_init();
  if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
    const char *fold_name;
    bulk_fold *fold = choose_fold(&fold_name);
    if (!dfs_export_function(env, exports, "crc32", crc32_function, (void *)fold) || !dfs_export_string(env, exports, "fold", fold_name)) return NULL;
  }
#else
  (void)env;
#endif
  return exports;
}

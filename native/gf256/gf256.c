// Sums of GF(2^8) multiples of byte regions, the erasure code's one bulk operation (outs[i] = Σ_j
// rows[i][j]·sources[j]), by GFNI's affine transform: multiplying a byte by a constant c is linear over
// GF(2), so it is one 8×8 bit matrix, and GF2P8AFFINEQB applies such a matrix to 32 or 64 bytes at once,
// in any field (GF2P8MULB would fix the AES polynomial; ours is 0x11D, as in gf-field.ts).
//
// The wasm SIMD kernels, the fallback, can only reach their own memory, so every byte is copied in and out
// of it; with the nibble lookups that cost about 0.24 s of CPU per GiB a PUT stores, the client's largest
// cost after sealing. Here the regions are read and written where they lie. The loader checks the results
// against gfMul at load; on a CPU without GFNI and AVX2 (or AVX-512BW), one that is not x86-64, or a build
// by an older compiler, the addon exports no function and the wasm kernels stay.
#include <stdint.h>
#include <node_api.h>
#include "addon-support.h"

#ifdef DFS_X86_64_WIDE
#include <immintrin.h>
#include <pthread.h>

// The field's reducing polynomial, x^8 + x^4 + x^3 + x^2 + 1 (gf-field.ts, GF_POLY).
#define GF_POLY 0x11d
// At most 255 sources or outputs: no code over GF(2^8) has more pieces.
#define MAX_REGIONS 255

// AFFINE[c]: the bit matrix of multiplying by c, in GF2P8AFFINEQB's layout: output bit i is the parity of
// the input ANDed with byte 7 - i of the quadword. Filled once per process (however often the addon loads, from
// however many threads), read-only afterwards.
static uint64_t AFFINE[256];
static pthread_once_t AFFINE_FILLED = PTHREAD_ONCE_INIT;

static unsigned gf_mul(unsigned a, unsigned b) {
  unsigned product = 0;
  for (; b != 0; b >>= 1) {
    if (b & 1) product ^= a;
    a <<= 1;
    if (a & 0x100) a ^= GF_POLY;
  }
  return product;
}

static void fill_affine(void) {
  for (unsigned c = 0; c < 256; c++) {
    uint64_t matrix = 0;
    for (unsigned out_bit = 0; out_bit < 8; out_bit++) {
      uint64_t row = 0;
      for (unsigned in_bit = 0; in_bit < 8; in_bit++) row |= (uint64_t)((gf_mul(c, 1u << in_bit) >> out_bit) & 1) << in_bit;
      matrix |= row << (8 * (7 - out_bit));
    }
    AFFINE[c] = matrix;
  }
}

// One sum to compute: its coefficients (one per source) and where it goes.
struct sum {
  const uint8_t *coefficients;
  uint8_t *out;
};

// Every sum over `length` bytes, 64 at a time; the last partial step through masked loads and stores (which
// never touch the bytes masked off). The sources of a step are read again for each sum, from L1.
__attribute__((target("avx512f,avx512bw,gfni"))) static void combine_avx512(const struct sum *sums, size_t sum_count, uint8_t *const *sources, size_t source_count, size_t length) {
  for (size_t at = 0; at < length; at += 64) {
    size_t left = length - at;
    __mmask64 mask = left >= 64 ? ~(__mmask64)0 : (((__mmask64)1 << left) - 1);
    for (size_t i = 0; i < sum_count; i++) {
      __m512i total = _mm512_setzero_si512();
      for (size_t j = 0; j < source_count; j++) {
        uint8_t c = sums[i].coefficients[j];
        if (c == 0) continue;
        __m512i bytes = _mm512_maskz_loadu_epi8(mask, sources[j] + at);
        if (c != 1) bytes = _mm512_gf2p8affine_epi64_epi8(bytes, _mm512_set1_epi64((long long)AFFINE[c]), 0);
        total = _mm512_xor_si512(total, bytes);
      }
      _mm512_mask_storeu_epi8(sums[i].out + at, mask, total);
    }
  }
}

// As combine_avx512 with 32-byte steps (GFNI without AVX-512BW); the last partial step goes through a
// zeroed block on the stack.
__attribute__((target("avx2,gfni"))) static void combine_avx2(const struct sum *sums, size_t sum_count, uint8_t *const *sources, size_t source_count, size_t length) {
  for (size_t at = 0; at < length; at += 32) {
    size_t left = length - at;
    for (size_t i = 0; i < sum_count; i++) {
      __m256i total = _mm256_setzero_si256();
      for (size_t j = 0; j < source_count; j++) {
        uint8_t c = sums[i].coefficients[j];
        if (c == 0) continue;
        __m256i bytes;
        if (left >= 32) bytes = _mm256_loadu_si256((const __m256i *)(sources[j] + at));
        else {
          uint8_t block[32] = {0};
          memcpy(block, sources[j] + at, left);
          bytes = _mm256_loadu_si256((const __m256i *)block);
        }
        if (c != 1) bytes = _mm256_gf2p8affine_epi64_epi8(bytes, _mm256_set1_epi64x((long long)AFFINE[c]), 0);
        total = _mm256_xor_si256(total, bytes);
      }
      if (left >= 32) _mm256_storeu_si256((__m256i *)(sums[i].out + at), total);
      else {
        uint8_t block[32];
        _mm256_storeu_si256((__m256i *)block, total);
        memcpy(sums[i].out + at, block, left);
      }
    }
  }
}

// A loop over the sums: combine_avx512 or combine_avx2, chosen when the addon loads and given to its function
// as data, so two loads in one process may differ.
typedef void combine_kernel(const struct sum *, size_t, uint8_t *const *, size_t, size_t);

static napi_value fail(napi_env env, const char *message) { return dfs_fail(env, "ERR_DFS_GF256", message); }

// The elements of array `value` (at most MAX_REGIONS) into `elements`, their count into `count`; false if
// it is not such an array. Every element is read before any pointer into a buffer is taken (dfs_read_elements).
static bool elements_of(napi_env env, napi_value value, napi_value *elements, uint32_t *count) {
  bool is_array = false;
  return napi_is_array(env, value, &is_array) == napi_ok && is_array && napi_get_array_length(env, value, count) == napi_ok && *count <= MAX_REGIONS &&
         dfs_read_elements(env, value, *count, elements);
}

// combine(outs: Uint8Array[], rows: Uint8Array[], sources: Uint8Array[]): outs[i] = Σ_j rows[i][j]·sources[j].
// Every region has one length and each row one coefficient per source; at most 255 of each. An out may be a
// source only when it is the one out (xor and mulAdd use that); outs must not otherwise overlap sources.
static napi_value combine(napi_env env, napi_callback_info info) {
  static const char *usage = "combine takes (outs, rows, sources): arrays of at most 255 Uint8Arrays, regions of one length, a row of one coefficient per source for each out.";
  size_t argc = 3;
  napi_value argv[3];
  void *kernel = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &kernel) != napi_ok || argc != 3) return fail(env, usage);
  napi_value out_values[MAX_REGIONS], row_values[MAX_REGIONS], source_values[MAX_REGIONS];
  uint32_t out_count, row_count, source_count;
  if (!elements_of(env, argv[0], out_values, &out_count) || !elements_of(env, argv[1], row_values, &row_count) ||
      !elements_of(env, argv[2], source_values, &source_count) || row_count != out_count) return fail(env, usage);

  // From here on no JavaScript runs until the function returns.
  struct sum sums[MAX_REGIONS];
  uint8_t *sources[MAX_REGIONS];
  size_t length = 0, size;
  for (uint32_t j = 0; j < source_count; j++) {
    if (!dfs_bytes_of(env, source_values[j], &sources[j], &size) || (j > 0 && size != length)) return fail(env, usage);
    length = size;
  }
  for (uint32_t i = 0; i < out_count; i++) {
    uint8_t *row;
    if (!dfs_bytes_of(env, row_values[i], &row, &size) || size != source_count) return fail(env, usage);
    sums[i].coefficients = row;
    if (!dfs_bytes_of(env, out_values[i], &sums[i].out, &size) || (source_count > 0 && size != length)) return fail(env, usage);
    if (source_count == 0 && size > 0) memset(sums[i].out, 0, size);
  }
  if (source_count > 0 && length > 0) ((combine_kernel *)kernel)(sums, out_count, sources, source_count, length);
  return NULL;
}

// The loop for this load, and its name, or NULL where the CPU has no GFNI: 512-bit steps where it has AVX-512BW
// (and the OS keeps those registers), unless DFS_VAULT_GF256_KERNEL=avx2 asks for the 256-bit ones, so the tests
// cover both on such a CPU.
static combine_kernel *choose_kernel(const char **name) {
  if (!__builtin_cpu_supports("gfni")) return NULL;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && dfs_os_saves_zmm() && !dfs_env_is("DFS_VAULT_GF256_KERNEL", "avx2")) {
    *name = "gfni-avx512";
    return combine_avx512;
  }
  if (!__builtin_cpu_supports("avx2")) return NULL;
  *name = "gfni-avx2";
  return combine_avx2;
}
#endif

NAPI_MODULE_INIT() {
#ifdef DFS_X86_64_WIDE
  __builtin_cpu_init();
  const char *kernel_name;
  combine_kernel *kernel = choose_kernel(&kernel_name);
  if (kernel != NULL) {
    if (pthread_once(&AFFINE_FILLED, fill_affine) != 0) return NULL;
    if (!dfs_export_function(env, exports, "combine", combine, (void *)kernel) || !dfs_export_string(env, exports, "kernel", kernel_name)) return NULL;
  }
#else
  (void)env;
#endif
  return exports;
}

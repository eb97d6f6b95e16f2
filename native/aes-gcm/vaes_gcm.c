// AES-256-GCM with VAES and VPCLMULQDQ on 512-bit registers: the counter mode encrypts four blocks per AES
// instruction, and GHASH multiplies four blocks per carry-less multiply, sixteen blocks (256 bytes) a step.
//
// Why it exists: Node 20 bundles OpenSSL 3.0, whose AES-GCM on x86-64 is the 128-bit AES-NI + PCLMULQDQ code
// (aesni_gcm_encrypt); the AVX-512 version came in OpenSSL 3.2 (`nm node | grep -i avx512` names none for GCM).
// On the Zen 4 the project is measured on that gives 3-4.5 GB/s, and sealing is the PUT client's largest cost
// after its socket writes. The same CPU has VAES and VPCLMULQDQ, which do four blocks' work per instruction.
// The bytes and tags are OpenSSL's (the tests compare every length to node:crypto; the loader runs a self-test).
//
// The method is the one of Intel's "Optimized Galois-Counter-Mode Implementation on Intel Architecture
// Processors" and Gueron and Kounavis's papers, written here in C intrinsics:
// - Counter blocks keep the nonce in bytes 0..11 and the 32-bit counter as a little-endian number in lane dword 3,
//   so one vpaddd steps four of them (wrapping at 2^32, as GCM's inc32 does) and one vpshufb makes them big-endian.
// - GHASH works on byte-reversed blocks: bit i of the 128-bit integer is then the coefficient of x^(127-i). The
//   carry-less product of two of them, reduced by two 64-bit folds with the constant 0xc2 << 56 (reduce_lanes), is
//   the reversed field product times x. So each power of H is kept times x^-1 (for a reversed value: shifted left
//   one bit, reduced), and the products come out exact.
// - Sixteen blocks are multiplied by H^16..H^1 at once and summed, then reduced once: the sum of the
//   reductions is the reduction of the sum, so one reduction serves sixteen blocks.
// - Lengths that end inside a block, and tails under 256 bytes, use masked loads and stores (AVX-512 BW), which
//   read and write only the bytes asked for, so a seal needs no copy of the data. Only openInto's parts, which may
//   end inside a block, take that block byte by byte and keep its ciphertext until the block is whole.
//
// Side channels: the key, H, its powers and the data meet only AES, carry-less multiply, XOR and shuffles with
// fixed patterns; no table is indexed and no branch taken by secret data. Lengths and offsets are public.
#include "vaes_gcm.h"

#ifdef VAES_GCM_BUILT
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

// Every function that touches a vector register is compiled for these features; vaes_gcm_supported() checks them.
#define VAES __attribute__((target("aes,pclmul,avx512f,avx512bw,avx512vl,vaes,vpclmulqdq")))
#define INLINE static inline __attribute__((always_inline))

#define ROUNDS 14
#define POWERS 16
#define STEP_BYTES 256
// GCM's limit for one nonce: the 32-bit counter must not come back to the one that masks the tag. OpenSSL refuses
// to decrypt more (CRYPTO_gcm128_decrypt), so this does too.
#define MAX_DATA_BYTES ((((uint64_t)1) << 36) - 32)

// What one seal or open needs, on the caller's stack, wiped before it returns.
struct gcm {
  __m128i round_keys[ROUNDS + 1];
  // H^16 .. H^1, byte-reversed and times x^-1 (see the header comment): powers[POWERS - n] is H^n, so four
  // consecutive ones line up with four consecutive blocks of a step.
  __m128i powers[POWERS];
  // AES of the first counter block (nonce || 1): the tag is GHASH XOR this.
  __m128i tag_mask;
  // The next counter block, in counter form (nonce, then the 32-bit counter little-endian: see counter_order).
  __m128i counter;
  // GHASH so far, byte-reversed.
  __m128i hash;
  uint64_t aad_length, data_length;
  // openInto's parts may end inside a block: its key stream and the ciphertext bytes seen so far wait here.
  unsigned char keystream[16], pending[16];
  size_t pending_length;
};

// Byte orders, per 128-bit lane: reversed (GHASH's blocks), and counter form to the big-endian counter block.
VAES INLINE __m128i reverse_order(void) { return _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0); }
VAES INLINE __m128i counter_order(void) { return _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 14, 13, 12); }

// --- AES-256 ---

// One step of the key schedule: the previous key of the same parity with each word XORed with all the words
// before it, then with `word` (the S-boxed, maybe rotated, last word of the key between) in every lane.
VAES INLINE __m128i schedule_mix(__m128i previous, __m128i word) {
  previous = _mm_xor_si128(previous, _mm_slli_si128(previous, 4));
  previous = _mm_xor_si128(previous, _mm_slli_si128(previous, 8));
  return _mm_xor_si128(previous, word);
}

// Round keys 2..14 (FIPS-197's AES-256 expansion, by AESKEYGENASSIST): an even one takes RotWord(SubWord(w)) ^ rcon
// of the odd one before it (dword 3 of the assist), an odd one SubWord(w) of the even one before (dword 2). Macros:
// the round constant must be an immediate.
#define EVEN_ROUND_KEY(keys, i, rcon) \
  keys[i] = schedule_mix(keys[(i) - 2], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(keys[(i) - 1], rcon), 0xff))
#define ODD_ROUND_KEY(keys, i) \
  keys[i] = schedule_mix(keys[(i) - 2], _mm_shuffle_epi32(_mm_aeskeygenassist_si128(keys[(i) - 1], 0x00), 0xaa))

VAES static void expand_key(__m128i keys[ROUNDS + 1], const unsigned char *key) {
  keys[0] = _mm_loadu_si128((const __m128i *)key);
  keys[1] = _mm_loadu_si128((const __m128i *)(key + 16));
  EVEN_ROUND_KEY(keys, 2, 0x01);
  ODD_ROUND_KEY(keys, 3);
  EVEN_ROUND_KEY(keys, 4, 0x02);
  ODD_ROUND_KEY(keys, 5);
  EVEN_ROUND_KEY(keys, 6, 0x04);
  ODD_ROUND_KEY(keys, 7);
  EVEN_ROUND_KEY(keys, 8, 0x08);
  ODD_ROUND_KEY(keys, 9);
  EVEN_ROUND_KEY(keys, 10, 0x10);
  ODD_ROUND_KEY(keys, 11);
  EVEN_ROUND_KEY(keys, 12, 0x20);
  ODD_ROUND_KEY(keys, 13);
  EVEN_ROUND_KEY(keys, 14, 0x40);
}

// AES-256 of one block (H, the tag mask, the key stream of a block a part ends inside).
VAES INLINE __m128i encrypt_block(const __m128i keys[ROUNDS + 1], __m128i block) {
  block = _mm_xor_si128(block, keys[0]);
#pragma GCC unroll 16
  for (int round = 1; round < ROUNDS; round++) block = _mm_aesenc_si128(block, keys[round]);
  return _mm_aesenclast_si128(block, keys[ROUNDS]);
}

// AES-256 of the four blocks in `block`, with round keys broadcast to all lanes (`wide`).
VAES INLINE __m512i encrypt_four(const __m512i wide[ROUNDS + 1], __m512i block) {
  block = _mm512_xor_si512(block, wide[0]);
#pragma GCC unroll 16
  for (int round = 1; round < ROUNDS; round++) block = _mm512_aesenc_epi128(block, wide[round]);
  return _mm512_aesenclast_epi128(block, wide[ROUNDS]);
}

// --- GHASH ---

// Each 128-bit lane with its two halves XORed, in its low half (and high): Karatsuba's (a_low + a_high).
VAES INLINE __m512i fold_halves(__m512i a) { return _mm512_xor_si512(a, _mm512_shuffle_epi32(a, _MM_PERM_BADC)); }

// Reduces each lane's 256-bit product T = low + middle * 2^64 + high * 2^128 to T / y^128 mod the reversed GHASH
// polynomial Q = y^128 + y^127 + y^126 + y^121 + 1 (Montgomery reduction, y the bit order of the reversed blocks),
// then adds the four lanes. Since Q = 1 mod y^64, adding (T mod y^64) * Q clears T's low 64 bits, and dividing by
// y^64 leaves: the high half of low, its low half times y^64, plus (T mod y^64) * (y^63 + y^62 + y^57), which is
// one multiply by 0xc2 << 56. Twice, and 256 bits become 128. The carry-less product of two reversed values is
// y^127 times the reversed field product (mod Q); divided by y^128 it is that product divided by y, that is times x
// (a step up in the reversed order): which the powers' x^-1 cancels.
VAES INLINE __m128i reduce_lanes(__m512i low, __m512i middle, __m512i high) {
  const __m512i fold = _mm512_set1_epi64((long long)0xc200000000000000ull);
  middle = _mm512_ternarylogic_epi64(middle, _mm512_shuffle_epi32(low, _MM_PERM_BADC), _mm512_clmulepi64_epi128(low, fold, 0x00), 0x96);
  high = _mm512_ternarylogic_epi64(high, _mm512_shuffle_epi32(middle, _MM_PERM_BADC), _mm512_clmulepi64_epi128(middle, fold, 0x00), 0x96);
  __m256i halves = _mm256_xor_si256(_mm512_castsi512_si256(high), _mm512_extracti64x4_epi64(high, 1));
  return _mm_xor_si128(_mm256_castsi256_si128(halves), _mm256_extracti128_si256(halves, 1));
}

// `hash` times H, with up to sixteen more blocks, byte-reversed, in the lanes of d0..d3 (block i in lane i % 4 of
// d[i / 4]) and the powers that multiply them in the same lanes of p0..p3: (hash ^ block 0) * H^n ^ block 1 *
// H^(n-1) ^ ... ^ block n-1 * H, which is n steps of GHASH. Lanes past the blocks must be zero in d or p.
// Karatsuba: three 64x64 multiplies a block, not four; the middle products take (d_low + d_high) from the low
// half of each data lane and (p_low + p_high) from a lane that holds two powers' sums (p0's and p1's, p2's and p3's).
VAES INLINE __m128i hash_blocks(__m128i hash, __m512i d0, __m512i d1, __m512i d2, __m512i d3, __m512i p0, __m512i p1, __m512i p2, __m512i p3) {
  const __m512i sums01 = _mm512_unpacklo_epi64(fold_halves(p0), fold_halves(p1)), sums23 = _mm512_unpacklo_epi64(fold_halves(p2), fold_halves(p3));
  d0 = _mm512_xor_si512(d0, _mm512_zextsi128_si512(hash));
  __m512i low = _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(d0, p0, 0x00), _mm512_clmulepi64_epi128(d1, p1, 0x00), _mm512_clmulepi64_epi128(d2, p2, 0x00), 0x96);
  low = _mm512_xor_si512(low, _mm512_clmulepi64_epi128(d3, p3, 0x00));
  __m512i high = _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(d0, p0, 0x11), _mm512_clmulepi64_epi128(d1, p1, 0x11), _mm512_clmulepi64_epi128(d2, p2, 0x11), 0x96);
  high = _mm512_xor_si512(high, _mm512_clmulepi64_epi128(d3, p3, 0x11));
  __m512i middle = _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(fold_halves(d0), sums01, 0x00), _mm512_clmulepi64_epi128(fold_halves(d1), sums01, 0x10),
                                             _mm512_clmulepi64_epi128(fold_halves(d2), sums23, 0x00), 0x96);
  middle = _mm512_ternarylogic_epi64(middle, _mm512_clmulepi64_epi128(fold_halves(d3), sums23, 0x10), _mm512_xor_si512(low, high), 0x96);
  return reduce_lanes(low, middle, high);
}

// The reversed field product a * b * x of reversed a and b (see reduce_lanes): a * H^n itself when b is a power
// as kept (times x^-1). For computing the powers, and hashing the lengths block.
VAES INLINE __m128i multiply(__m128i a, __m128i b) {
  const __m512i zero = _mm512_setzero_si512();
  return hash_blocks(_mm_setzero_si128(), _mm512_zextsi128_si512(a), zero, zero, zero, _mm512_zextsi128_si512(b), zero, zero, zero);
}

// H^1..H^16 from H = AES(0), each byte-reversed and times x^-1: H shifted left one bit (in the reversed order, every
// degree one lower), with x^-1 = x^127 + x^6 + x + 1 (0xc2...01 reversed) added when its x^0 bit falls out; then
// H^(n+1) x^-1 = multiply(H^n x^-1, H x^-1).
VAES static void compute_powers(__m128i powers[POWERS], __m128i h) {
  h = _mm_shuffle_epi8(h, reverse_order());
  __m128i top = _mm_srai_epi32(_mm_shuffle_epi32(h, 0xff), 31);
  __m128i shifted = _mm_or_si128(_mm_slli_epi64(h, 1), _mm_slli_si128(_mm_srli_epi64(h, 63), 8));
  __m128i h_x = _mm_xor_si128(shifted, _mm_and_si128(top, _mm_set_epi64x((long long)0xc200000000000000ull, 1)));
  powers[POWERS - 1] = h_x;
  for (int n = 2; n <= POWERS; n++) powers[POWERS - n] = multiply(powers[POWERS - n + 1], h_x);
  dfs_wipe(&h_x, sizeof h_x);
}

// --- Steps and tails ---

// The four powers that multiply zmm `quarter` (0..3) of a tail of `blocks` (1..16) blocks, block i by H^(blocks-i);
// zero in lanes past the tail (never read).
VAES INLINE __m512i tail_powers(const struct gcm *gcm, size_t blocks, unsigned quarter) {
  if (blocks <= 4 * quarter) return _mm512_setzero_si512();
  size_t lanes = blocks - 4 * quarter < 4 ? blocks - 4 * quarter : 4;
  return _mm512_maskz_loadu_epi64((__mmask8)((1u << (2 * lanes)) - 1), &gcm->powers[POWERS - blocks + 4 * quarter]);
}

// How many of the tail's `length` (< 256) bytes fall in zmm `quarter`, and the mask of them.
INLINE size_t quarter_bytes(size_t length, unsigned quarter) {
  size_t from = 64 * (size_t)quarter;
  return length <= from ? 0 : length - from < 64 ? length - from : 64;
}
INLINE __mmask64 byte_mask(size_t bytes) { return bytes >= 64 ? ~(__mmask64)0 : (((__mmask64)1) << bytes) - 1; }

// Adds `length` bytes to GHASH, 256 a step; a last block that is not whole counts as padded with zeros (so only the
// end of the associated data, or of the ciphertext, may be one).
VAES static void hash_bytes(struct gcm *gcm, const unsigned char *data, size_t length) {
  const __m512i order = _mm512_broadcast_i32x4(reverse_order());
  __m128i hash = gcm->hash;
  if (length >= STEP_BYTES) {
    const __m512i p0 = _mm512_loadu_si512(&gcm->powers[0]), p1 = _mm512_loadu_si512(&gcm->powers[4]);
    const __m512i p2 = _mm512_loadu_si512(&gcm->powers[8]), p3 = _mm512_loadu_si512(&gcm->powers[12]);
    for (; length >= STEP_BYTES; data += STEP_BYTES, length -= STEP_BYTES) {
      hash = hash_blocks(hash, _mm512_shuffle_epi8(_mm512_loadu_si512(data), order), _mm512_shuffle_epi8(_mm512_loadu_si512(data + 64), order),
                         _mm512_shuffle_epi8(_mm512_loadu_si512(data + 128), order), _mm512_shuffle_epi8(_mm512_loadu_si512(data + 192), order), p0, p1, p2, p3);
    }
  }
  if (length > 0) {
    size_t blocks = (length + 15) / 16;
    __m512i d[4];
    for (unsigned q = 0; q < 4; q++) {
      size_t bytes = quarter_bytes(length, q);
      d[q] = bytes == 0 ? _mm512_setzero_si512() : _mm512_shuffle_epi8(_mm512_maskz_loadu_epi8(byte_mask(bytes), data + 64 * q), order);
    }
    hash = hash_blocks(hash, d[0], d[1], d[2], d[3], tail_powers(gcm, blocks, 0), tail_powers(gcm, blocks, 1), tail_powers(gcm, blocks, 2),
                       tail_powers(gcm, blocks, 3));
  }
  gcm->hash = hash;
}

// Adds `blocks` to the 32-bit counter of a block in counter form (GCM's inc32: it wraps, the nonce is untouched).
VAES INLINE __m128i advance_counter(__m128i counter, size_t blocks) { return _mm_add_epi32(counter, _mm_setr_epi32(0, 0, 0, (int)(uint32_t)blocks)); }

// The counter-form increment of `n` in every lane (dword 3 of each 128-bit lane).
VAES INLINE __m512i lane_step(int n) { return _mm512_set_epi32(n, 0, 0, 0, n, 0, 0, 0, n, 0, 0, 0, n, 0, 0, 0); }

// One step of 256 bytes: AES of the sixteen counters from `counters` (lanes +0..+3; advanced by 16), XORed with
// `in` into `out`, and the step's ciphertext (what sealing wrote, what opening read), byte-reversed for GHASH, in c0..c3.
VAES INLINE void crypt_step(const __m512i wide[ROUNDS + 1], __m512i *counters, const unsigned char *in, unsigned char *out, const int encrypting,
                            __m512i *c0, __m512i *c1, __m512i *c2, __m512i *c3) {
  const __m512i order = _mm512_broadcast_i32x4(counter_order()), reverse = _mm512_broadcast_i32x4(reverse_order());
  __m512i k0 = encrypt_four(wide, _mm512_shuffle_epi8(*counters, order));
  __m512i k1 = encrypt_four(wide, _mm512_shuffle_epi8(_mm512_add_epi32(*counters, lane_step(4)), order));
  __m512i k2 = encrypt_four(wide, _mm512_shuffle_epi8(_mm512_add_epi32(*counters, lane_step(8)), order));
  __m512i k3 = encrypt_four(wide, _mm512_shuffle_epi8(_mm512_add_epi32(*counters, lane_step(12)), order));
  *counters = _mm512_add_epi32(*counters, lane_step(16));
  __m512i d0 = _mm512_loadu_si512(in), d1 = _mm512_loadu_si512(in + 64), d2 = _mm512_loadu_si512(in + 128), d3 = _mm512_loadu_si512(in + 192);
  __m512i o0 = _mm512_xor_si512(d0, k0), o1 = _mm512_xor_si512(d1, k1), o2 = _mm512_xor_si512(d2, k2), o3 = _mm512_xor_si512(d3, k3);
  _mm512_storeu_si512(out, o0);
  _mm512_storeu_si512(out + 64, o1);
  _mm512_storeu_si512(out + 128, o2);
  _mm512_storeu_si512(out + 192, o3);
  *c0 = _mm512_shuffle_epi8(encrypting ? o0 : d0, reverse);
  *c1 = _mm512_shuffle_epi8(encrypting ? o1 : d1, reverse);
  *c2 = _mm512_shuffle_epi8(encrypting ? o2 : d2, reverse);
  *c3 = _mm512_shuffle_epi8(encrypting ? o3 : d3, reverse);
}

// Encrypts (`encrypting`) or decrypts `length` bytes from `in` to `out` in counter mode and adds the ciphertext to
// GHASH. `out` may be `in` (sealing in place), not otherwise overlap it. A last block that is not whole is hashed
// padded with zeros, so only the last call of a stream may end inside one. Always inlined, into seal and open,
// so that `encrypting` is a constant there.
VAES INLINE void crypt_bytes(struct gcm *gcm, const unsigned char *in, unsigned char *out, size_t length, const int encrypting) {
  const __m512i order = _mm512_broadcast_i32x4(counter_order()), reverse = _mm512_broadcast_i32x4(reverse_order());
  const __m512i four = lane_step(4);
  __m512i wide[ROUNDS + 1];
#pragma GCC unroll 16
  for (int round = 0; round <= ROUNDS; round++) wide[round] = _mm512_broadcast_i32x4(gcm->round_keys[round]);
  __m512i counters = _mm512_add_epi32(_mm512_broadcast_i32x4(gcm->counter), _mm512_set_epi32(3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0));
  __m128i hash = gcm->hash;
  gcm->counter = advance_counter(gcm->counter, (length + 15) / 16);

  if (length >= STEP_BYTES) {
    const __m512i p0 = _mm512_loadu_si512(&gcm->powers[0]), p1 = _mm512_loadu_si512(&gcm->powers[4]);
    const __m512i p2 = _mm512_loadu_si512(&gcm->powers[8]), p3 = _mm512_loadu_si512(&gcm->powers[12]);
    __m512i c0, c1, c2, c3;
    if (encrypting) {
      // Sealing hashes each step's ciphertext while the next step's AES runs, so that neither waits for the other.
      crypt_step(wide, &counters, in, out, 1, &c0, &c1, &c2, &c3);
      for (in += STEP_BYTES, out += STEP_BYTES, length -= STEP_BYTES; length >= STEP_BYTES; in += STEP_BYTES, out += STEP_BYTES, length -= STEP_BYTES) {
        __m512i n0, n1, n2, n3;
        crypt_step(wide, &counters, in, out, 1, &n0, &n1, &n2, &n3);
        hash = hash_blocks(hash, c0, c1, c2, c3, p0, p1, p2, p3);
        c0 = n0, c1 = n1, c2 = n2, c3 = n3;
      }
      hash = hash_blocks(hash, c0, c1, c2, c3, p0, p1, p2, p3);
    } else {
      for (; length >= STEP_BYTES; in += STEP_BYTES, out += STEP_BYTES, length -= STEP_BYTES) {
        crypt_step(wide, &counters, in, out, 0, &c0, &c1, &c2, &c3);
        hash = hash_blocks(hash, c0, c1, c2, c3, p0, p1, p2, p3);
      }
    }
  }

  // Under 256 bytes left: up to four zmm, each read and written only where the data is.
  if (length > 0) {
    size_t blocks = (length + 15) / 16;
    __m512i ciphertext[4];
    for (unsigned q = 0; q < 4; q++, counters = _mm512_add_epi32(counters, four)) {
      size_t bytes = quarter_bytes(length, q);
      if (bytes == 0) {
        ciphertext[q] = _mm512_setzero_si512();
        continue;
      }
      __mmask64 mask = byte_mask(bytes);
      __m512i data = _mm512_maskz_loadu_epi8(mask, in + 64 * q);
      __m512i result = _mm512_xor_si512(data, encrypt_four(wide, _mm512_shuffle_epi8(counters, order)));
      _mm512_mask_storeu_epi8(out + 64 * q, mask, result);
      // Zero past the data, as GHASH pads the last block (the masked load zeroed the input already).
      ciphertext[q] = _mm512_shuffle_epi8(encrypting ? _mm512_maskz_mov_epi8(mask, result) : data, reverse);
    }
    hash = hash_blocks(hash, ciphertext[0], ciphertext[1], ciphertext[2], ciphertext[3], tail_powers(gcm, blocks, 0), tail_powers(gcm, blocks, 1),
                       tail_powers(gcm, blocks, 2), tail_powers(gcm, blocks, 3));
  }
  gcm->hash = hash;
  dfs_wipe(wide, sizeof wide);
}

// --- One seal or open ---

// Sets `gcm` up for `key` and `nonce` and hashes the associated data: the key schedule, H's powers, the tag mask
// AES(nonce || 1), and the first counter for data, nonce || 2.
VAES static void start(struct gcm *gcm, const unsigned char *key, const unsigned char *nonce, const unsigned char *aad, size_t aad_length) {
  expand_key(gcm->round_keys, key);
  __m128i h = encrypt_block(gcm->round_keys, _mm_setzero_si128());
  compute_powers(gcm->powers, h);
  dfs_wipe(&h, sizeof h);
  // Counter form: the nonce in bytes 0..11 (a masked load reads no further), the counter in dword 3.
  __m128i first = _mm_insert_epi32(_mm_maskz_loadu_epi8(0x0fff, nonce), 1, 3);
  gcm->tag_mask = encrypt_block(gcm->round_keys, _mm_shuffle_epi8(first, counter_order()));
  gcm->counter = advance_counter(first, 1);
  gcm->hash = _mm_setzero_si128();
  gcm->aad_length = aad_length;
  gcm->data_length = 0;
  gcm->pending_length = 0;
  hash_bytes(gcm, aad, aad_length);
}

// The tag: GHASH closed with the lengths block (bits of associated data, then of data, each 64-bit big-endian;
// byte-reversed, that is the integer aad_bits * 2^64 + data_bits), XORed with the tag mask.
VAES static void finish(struct gcm *gcm, unsigned char *tag) {
  __m128i lengths = _mm_set_epi64x((long long)(gcm->aad_length * 8), (long long)(gcm->data_length * 8));
  __m128i hash = multiply(_mm_xor_si128(gcm->hash, lengths), gcm->powers[POWERS - 1]);
  _mm_storeu_si128((__m128i *)tag, _mm_xor_si128(_mm_shuffle_epi8(hash, reverse_order()), gcm->tag_mask));
}

// Decrypts one part of a stream whose parts may end anywhere: first the block the previous part ended inside,
// byte by byte with its saved key stream; then whole blocks; then the start of the block this part ends inside,
// whose ciphertext waits in `pending` until it is whole (hashed then) or the stream ends (hashed padded).
VAES INLINE void open_part(struct gcm *gcm, const unsigned char *in, unsigned char *out, size_t length) {
  if (gcm->pending_length > 0) {
    size_t take = 16 - gcm->pending_length < length ? 16 - gcm->pending_length : length;
    for (size_t i = 0; i < take; i++) {
      unsigned char byte = in[i];
      gcm->pending[gcm->pending_length + i] = byte;
      out[i] = byte ^ gcm->keystream[gcm->pending_length + i];
    }
    gcm->pending_length += take;
    in += take;
    out += take;
    length -= take;
    if (gcm->pending_length < 16) return;
    hash_bytes(gcm, gcm->pending, 16);
    gcm->pending_length = 0;
  }
  size_t whole = length & ~(size_t)15;
  crypt_bytes(gcm, in, out, whole, 0);
  in += whole;
  out += whole;
  length -= whole;
  if (length > 0) {
    _mm_storeu_si128((__m128i *)gcm->keystream, encrypt_block(gcm->round_keys, _mm_shuffle_epi8(gcm->counter, counter_order())));
    gcm->counter = advance_counter(gcm->counter, 1);
    for (size_t i = 0; i < length; i++) {
      unsigned char byte = in[i];
      gcm->pending[i] = byte;
      out[i] = byte ^ gcm->keystream[i];
    }
    gcm->pending_length = length;
  }
}

// Tags equal, in time that does not depend on where they differ.
VAES INLINE int tags_equal(const unsigned char *a, const unsigned char *b) {
  __m128i difference = _mm_xor_si128(_mm_loadu_si128((const __m128i *)a), _mm_loadu_si128((const __m128i *)b));
  return _mm_testz_si128(difference, difference);
}

int vaes_gcm_supported(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("vaes") && __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("aes") &&
         __builtin_cpu_supports("pclmul") && dfs_os_saves_zmm();
}

VAES void vaes_gcm_seal(const unsigned char *key, const unsigned char *nonce, const unsigned char *aad, size_t aad_length,
                        unsigned char *data, size_t length, unsigned char *tag) {
  struct gcm gcm;
  start(&gcm, key, nonce, aad, aad_length);
  crypt_bytes(&gcm, data, data, length, 1);
  gcm.data_length = length;
  finish(&gcm, tag);
  dfs_wipe(&gcm, sizeof gcm);
}

VAES int vaes_gcm_open(const unsigned char *key, const unsigned char *nonce, const unsigned char *aad, size_t aad_length,
                       const struct gcm_part *parts, size_t count, const unsigned char *tag, unsigned char *out) {
  uint64_t total = 0;
  for (size_t i = 0; i < count; i++) total += parts[i].length;
  if (total > MAX_DATA_BYTES) return 0;
  struct gcm gcm;
  unsigned char expected[16];
  start(&gcm, key, nonce, aad, aad_length);
  size_t at = 0;
  for (size_t i = 0; i < count; i++) {
    open_part(&gcm, parts[i].data, out + at, parts[i].length);
    at += parts[i].length;
  }
  if (gcm.pending_length > 0) hash_bytes(&gcm, gcm.pending, gcm.pending_length);
  gcm.data_length = total;
  finish(&gcm, expected);
  int verified = tags_equal(expected, tag);
  dfs_wipe(&gcm, sizeof gcm);
  dfs_wipe(expected, sizeof expected);
  return verified;
}
#endif

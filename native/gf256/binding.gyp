# Builds the GF(2^8) region addon (see gf256.c). `npm run build` runs it (native/build.mjs); without it the
# erasure code runs its wasm SIMD kernels.
{
  "targets": [
    {
      "target_name": "dfs_vault_gf256",
      "sources": ["gf256.c"],
      "include_dirs": ["../common"],
      "cflags": ["-Wall", "-Wextra"]
    }
  ]
}

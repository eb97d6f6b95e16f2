# Builds the CRC-32 addon (see crc32.c). `npm run build` runs it (native/build.mjs); without it the vault
# computes chunk checks with zlib's crc32.
{
  "targets": [
    {
      "target_name": "dfs_vault_crc32",
      "sources": ["crc32.c"],
      "include_dirs": ["../common"],
      "cflags": ["-Wall", "-Wextra"]
    }
  ]
}

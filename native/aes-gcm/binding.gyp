# Builds the AES-256-GCM addon (see aes_gcm.c, and vaes_gcm.c for CPUs with VAES). `npm run build` runs it
# (native/build.mjs, which rebuilds it when any of these sources changes); without it the vault seals with node:crypto.
{
  "targets": [
    {
      "target_name": "dfs_vault_aes_gcm",
      "sources": ["aes_gcm.c", "vaes_gcm.c"],
      "include_dirs": ["../common"],
      "cflags": ["-Wall", "-Wextra"]
    }
  ]
}

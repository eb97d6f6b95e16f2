# Builds the AES-256-GCM addon (see aes_gcm.c, and vaes_gcm.c for CPUs with VAES) twice: with the VAES engine alone
# for Electron, which does not export OpenSSL, and with OpenSSL for Node. The first needs no OpenSSL headers, so it
# comes first: make stops at the first failure. `npm run build` runs it (native/build.mjs,
# which rebuilds it when any of these sources changes); without it the vault seals with node:crypto.
{
  "targets": [
    {
      "target_name": "dfs_vault_aes_gcm_vaes",
      "sources": ["aes_gcm.c", "vaes_gcm.c"],
      "include_dirs": ["../common"],
      "cflags": ["-Wall", "-Wextra"]
    },
    {
      "target_name": "dfs_vault_aes_gcm",
      "sources": ["aes_gcm.c", "vaes_gcm.c"],
      "defines": ["DFS_AES_GCM_OPENSSL"],
      "include_dirs": ["../common"],
      "cflags": ["-Wall", "-Wextra"]
    }
  ]
}

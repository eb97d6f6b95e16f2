# Builds the AES-256-GCM addon (see aes_gcm.c). `npm run build` runs it (native/build.mjs); without it the vault
# seals with node:crypto.
{
  "targets": [
    {
      "target_name": "dfs_vault_aes_gcm",
      "sources": ["aes_gcm.c"],
      "cflags": ["-Wall", "-Wextra"]
    }
  ]
}

# Builds the in-place AES-256-GCM sealer (see aes_gcm.c). `npm run build:native` runs it; without it the vault
# seals with node:crypto.
{
  "targets": [
    {
      "target_name": "dfs_vault_aes_gcm",
      "sources": ["aes_gcm.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Werror"]
    }
  ]
}

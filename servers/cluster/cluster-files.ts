import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A node as written to dfc.conf. */
export interface ConfiguredNode {
  name: string;
  host: string;
  port: number;
}

/** Renders the classic client config: `Server DFS1 127.0.0.1:10001` lines, then the login. */
export function renderDfcConf(nodes: readonly ConfiguredNode[], username?: string, password?: string): string {
  const lines = ['# DFS Vault client configuration (classic dfc.conf format).'];
  for (const node of nodes) lines.push(`Server ${node.name} ${node.host}:${node.port}`);
  if (username) lines.push(`Username: ${username}`);
  if (password) lines.push(`Password: ${password}`);
  return `${lines.join('\n')}\n`;
}

/** Writes dfc.conf readable by its owner only, since it may hold a password. */
export async function writeDfcConf(dir: string, nodes: readonly ConfiguredNode[], username?: string, password?: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'dfc.conf');
  await writeFile(path, renderDfcConf(nodes, username, password), { mode: 0o600 });
  return path;
}

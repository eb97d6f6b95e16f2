import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MASTER_KEY_OBJECT } from '../../src-main/vault/master-key-store.js';
import { nodeForPiece } from '../../src-main/vault/stripe-layout.js';

const MASTER_KEY_DIR = MASTER_KEY_OBJECT.toString('hex');

/** Paths of every committed piece file of a vault object under a node root (the master key record left out). */
export async function committedPieceFiles(root: string): Promise<string[]> {
  return (await committedFiles(root)).filter((path) => !path.includes(MASTER_KEY_DIR));
}

/** The one committed file of piece `piece` of the object `key` (`roots`: the node roots, in node order); throws unless there is exactly one. */
export async function pieceFileOf(roots: readonly string[], key: Buffer, piece: number): Promise<string> {
  const files = (await committedPieceFiles(roots[nodeForPiece(key, piece, roots.length)]!)).filter((path) => path.includes(key.toString('hex')));
  if (files.length !== 1) throw new Error(`Expected one committed file of piece ${piece}, found ${files.length}.`);
  return files[0]!;
}

/** Paths of the committed master key records under a node root. */
export async function masterKeyRecordFiles(root: string): Promise<string[]> {
  return (await committedFiles(root)).filter((path) => path.includes(MASTER_KEY_DIR));
}

async function committedFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.c')) found.push(path);
    }
  };
  await walk(root);
  return found;
}

/** Flips one byte of a file at `offsetFromEnd` bytes before its end. */
export async function flipByte(path: string, offsetFromEnd: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const at = size - offsetFromEnd;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x5a;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

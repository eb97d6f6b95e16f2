import type { Health, PieceCount, VaultEntry } from '../src-main/shared/models.js';

const WORDS: Record<Health, string> = {
  healthy: 'healthy',
  degraded: 'degraded',
  'at-risk': 'at risk',
  unavailable: 'unavailable',
};

/** The health word a person reads: "healthy", "degraded", "at risk", "unavailable". */
export function healthWord(health: Health): string {
  return WORDS[health];
}

/** "healthy 4/4", "at risk 2/4", "unavailable 1/4". */
export function healthText(health: Health, pieces: PieceCount): string {
  return `${WORDS[health]} ${pieces.good}/${pieces.total}`;
}

/** The health cell of a row: empty for folders without a marker. */
export function entryHealthText(entry: VaultEntry): string {
  if (entry.type === 'folder' && entry.pieces.total === 0) return '';
  return healthText(entry.health, entry.pieces);
}

/** A sentence for the health cell's tooltip. */
export function healthExplanation(health: Health, pieces: PieceCount): string {
  switch (health) {
    case 'healthy':
      return `All ${pieces.total} pieces are present.`;
    case 'degraded':
      return `${pieces.total - pieces.good} of ${pieces.total} pieces are missing; Repair rebuilds them.`;
    case 'at-risk':
      return `Only ${pieces.good} of ${pieces.total} pieces are left: losing one more node loses this file. Repair it now.`;
    case 'unavailable':
      return `[incomplete] Only ${pieces.good} of ${pieces.total} pieces are reachable; the file cannot be read until more nodes are up.`;
  }
}

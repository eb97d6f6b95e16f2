import type { Health, PieceCount } from '../../src-main/shared/models.js';
import { healthExplanation, healthText } from '../health-label.js';

/** A coloured dot and "degraded 3/4"; the tooltip says what it means. */
export function HealthBadge({ health, pieces }: { health: Health; pieces: PieceCount }) {
  return (
    <span className={`health health-${health}`} title={healthExplanation(health, pieces)}>
      <span className="health-dot" aria-hidden="true" />
      {healthText(health, pieces)}
    </span>
  );
}

import type { Feature } from '@tally/catalog';
import type { PsaDeps, Session } from './context.js';

/**
 * Records that the caller used a feature, and reports it with whether it was their first use:
 * the app keeps its own first-use record (prior art sent `feature_first_use` on every use).
 */
export async function useFeature(deps: PsaDeps, session: Session, feature: Feature): Promise<void> {
  const { rows } = await deps.db.query(
    `INSERT INTO feature_uses (user_id, feature, first_used_at) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [session.userId, feature, deps.now()],
  );
  deps.hooks.featureUsed(feature, rows.length > 0, session);
}

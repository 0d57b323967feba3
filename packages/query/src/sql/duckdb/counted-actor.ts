import type { Actor } from '../../plan/actor.js';
import { actorExpr, type JoinNeeds } from './expressions.js';

/**
 * The actor retention, stickiness and lifecycle count: the person, or the group key. Personless
 * events ($process_person_profile: false) belong to no person and yield NULL (§2.5; the
 * references apply it to these three insights).
 */
export function countedActorExpr(actor: Actor, needs: JoinNeeds): string {
  if (actor.kind === 'group') return actorExpr(actor, needs);
  needs.person = true;
  return 'pdi.person_id';
}

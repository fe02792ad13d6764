import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Clock, Principal } from '@meridian/shared';
import { keptApartPairId } from '../domain/kept-apart';
import { IdentityStore } from './ports/identity-store.port';

export interface SeparationLifted {
  customerIds: string[];
  status: 'LIFTED';
  /** The undone merge that had kept them apart. */
  mergeId: string;
  liftedBy: string;
  liftedAt: string;
  reason: string;
}

/**
 * An ADMIN's explicit decision that two customers kept apart by an undone merge may merge
 * again (POST /v1/identities/{customerId}/separations/{otherCustomerId}/lift; ADR 0006:
 * sticky unmerge). Audited on the record — who lifted it, when and why; the record is kept,
 * status LIFTED — and nothing else changes now: the next record with the same evidence
 * merges them as any evidence does.
 */
@Injectable()
export class LiftSeparationUseCase {
  private readonly logger = new Logger(LiftSeparationUseCase.name);

  constructor(
    private readonly repository: IdentityStore,
    private readonly clock: Clock,
  ) {}

  async execute(customerId: string, otherCustomerId: string, request: { reason: string }, admin: Principal): Promise<SeparationLifted> {
    const pairId = keptApartPairId(customerId, otherCustomerId);
    const separation = customerId === otherCustomerId ? null : await this.repository.separation(pairId);
    if (!separation) throw new NotFoundException(`${customerId} and ${otherCustomerId} are not kept apart`);
    if (separation.status === 'LIFTED') {
      throw new ConflictException(`the separation of ${customerId} and ${otherCustomerId} was already lifted by ${separation.liftedBy} at ${separation.liftedAt?.toISOString()}`);
    }
    const at = this.clock.now();
    const lifted = await this.repository.liftSeparation(pairId, { liftedBy: admin.sub, liftedAt: at, liftReason: request.reason });
    if (!lifted) throw new ConflictException(`the separation of ${customerId} and ${otherCustomerId} was lifted meanwhile`);
    this.logger.log(`separation of ${lifted.customerIds.join(' and ')} (undone merge ${lifted.mergeId}) lifted by ${admin.sub}: ${request.reason}`);
    return { customerIds: lifted.customerIds, status: 'LIFTED', mergeId: lifted.mergeId, liftedBy: admin.sub, liftedAt: at.toISOString(), reason: request.reason };
  }
}

import { KeyOwner, PlanRecord } from '../identity/domain/identity-plan';

/** Planner specs' shorthand: a customer id made from the eventId, a record by its keys' short names, key owners by map. */
export const newId = (eventId: string) => `NEW-${eventId}`;

export const rec = (eventId: string, keys: { id?: string; src: string; phone?: string }): PlanRecord => ({
  eventId,
  keys: {
    sourceRef: `SOURCE_REF:${keys.src}`,
    ...(keys.id ? { idNumber: `ID_NUMBER:${keys.id}` } : {}),
    ...(keys.phone ? { phone: `PHONE:${keys.phone}` } : {}),
  },
});

export const owners = (entries: Record<string, string>, provisional = false) =>
  new Map<string, KeyOwner>(Object.entries(entries).map(([k, v]) => [k, { customerId: v, ...(provisional ? { provisional } : {}) }]));

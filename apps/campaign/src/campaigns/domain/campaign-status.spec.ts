import fc from 'fast-check';
import { CAMPAIGN_STATUSES, CampaignCommand, CampaignStatus, isDeciding, moveCampaign } from './campaign-status';

const COMMANDS: CampaignCommand[] = ['ACTIVATE', 'PAUSE', 'COMPLETE'];

describe('a campaign’s life: DRAFT → ACTIVE ⇄ PAUSED → COMPLETED', () => {
  it.each<[CampaignStatus, CampaignCommand, CampaignStatus]>([
    ['DRAFT', 'ACTIVATE', 'ACTIVE'],
    ['ACTIVE', 'PAUSE', 'PAUSED'],
    ['PAUSED', 'ACTIVATE', 'ACTIVE'],
    ['ACTIVE', 'COMPLETE', 'COMPLETED'],
    ['PAUSED', 'COMPLETE', 'COMPLETED'],
    ['DRAFT', 'COMPLETE', 'COMPLETED'],
  ])('%s, %s → %s', (from, command, to) => {
    expect(moveCampaign(from, command)).toEqual({ ok: true, to, changed: true });
  });

  it.each<[CampaignStatus, CampaignCommand, CampaignCommand[]]>([
    ['DRAFT', 'PAUSE', ['ACTIVATE', 'COMPLETE']],
    ['COMPLETED', 'ACTIVATE', []],
    ['COMPLETED', 'PAUSE', []],
  ])('%s refuses %s, naming what it allows', (from, command, allowed) => {
    expect(moveCampaign(from, command)).toEqual({ ok: false, allowed });
  });

  it('asking for what it is changes nothing (a retried activate or pause)', () => {
    expect(moveCampaign('ACTIVE', 'ACTIVATE')).toEqual({ ok: true, to: 'ACTIVE', changed: false });
    expect(moveCampaign('PAUSED', 'PAUSE')).toEqual({ ok: true, to: 'PAUSED', changed: false });
    expect(moveCampaign('COMPLETED', 'COMPLETE')).toEqual({ ok: true, to: 'COMPLETED', changed: false });
  });

  it('from any status, any commands: a COMPLETED campaign never decides again, and only ACTIVE decides', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CAMPAIGN_STATUSES), fc.array(fc.constantFrom(...COMMANDS), { maxLength: 20 }), (start, commands) => {
        let status = start;
        let completed = status === 'COMPLETED';
        for (const c of commands) {
          const move = moveCampaign(status, c);
          if (move.ok) status = move.to;
          if (completed) expect(status).toBe('COMPLETED');
          completed ||= status === 'COMPLETED';
        }
        expect(isDeciding(status)).toBe(status === 'ACTIVE');
      }),
    );
  });
});

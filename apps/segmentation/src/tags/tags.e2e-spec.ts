import type { Role } from '@meridian/events';
import { ServiceProcess, freePort, serviceTestEnv, signTestToken, startService } from '@meridian/shared/testing';

interface CatalogueBody {
  version: number;
  tags: { code: string; group: string; labels: { zh: string; en: string }; description: string; rule: Record<string, unknown> }[];
}

/** GET /v1/tags on the built segmentation service, a real process against the real servers. */
describe('segmentation GET /v1/tags', () => {
  let proc: ServiceProcess;
  let env: Record<string, string>;
  const get = async (role?: Role) =>
    fetch(`${proc.url}/v1/tags`, { headers: role ? { authorization: `Bearer ${await signTestToken(env.JWT_SECRET, { roles: [role] })}` } : {} });

  beforeAll(async () => {
    env = serviceTestEnv('segmentation', { PORT: String(await freePort()) });
    proc = await startService('segmentation', env);
  });
  afterAll(async () => {
    await proc?.stop();
  });

  it('lists the catalogue to MARKETING: version and at least 50 tags with labels and rules', async () => {
    const res = await get('MARKETING');
    expect(res.status).toBe(200);
    const body = (await res.json()) as CatalogueBody;
    expect(body.version).toBe(1);
    expect(body.tags.length).toBeGreaterThanOrEqual(50);
    expect(body.tags.find((t) => t.code === 'HIGH_NET_WORTH')).toEqual({
      code: 'HIGH_NET_WORTH',
      group: 'VALUE',
      labels: { zh: '高净值', en: 'High net worth' },
      description: expect.any(String),
      rule: { aumMinor: { $gte: 600_000_000 } },
    });
  });

  it.each<Role>(['RM', 'BRANCH_MANAGER', 'EXECUTIVE', 'SERVICE_AGENT', 'ADMIN', 'AUDITOR'])('lets %s read it', async (role) => {
    expect((await get(role)).status).toBe(200);
  });

  it('refuses a caller without a token (401) and a role it does not admit (403)', async () => {
    expect((await get()).status).toBe(401);
    expect((await get('TELLER')).status).toBe(403);
  });

  it('documents the route in OpenAPI', async () => {
    const openapi = (await (await fetch(`${proc.url}/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/v1/tags');
  });
});

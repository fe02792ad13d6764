import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { signTestToken } from '../testing/jwt';
import { AuthenticationError, JwtVerifier } from './jwt-verifier';
import { canAccessBranch } from './principal';

const secret = 'a-very-long-test-secret-of-at-least-32-chars';
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('JwtVerifier', () => {
  const hs = new JwtVerifier({ secret });

  it('accepts a valid HS256 token and reads the principal', async () => {
    const token = await signTestToken(secret, { sub: 'rm-7', roles: ['RM'], branchId: 'BR009' });
    await expect(hs.verify(token)).resolves.toEqual({ sub: 'rm-7', roles: ['RM'], branchId: 'BR009' });
  });

  it('refuses alg none', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'x', roles: ['ADMIN'], branchId: 'B', exp })}.`;
    await expect(hs.verify(token)).rejects.toThrow(AuthenticationError);
  });

  it('refuses a token signed with another secret, an expired one, and one without exp', async () => {
    await expect(hs.verify(await signTestToken('another-secret-another-secret-12345', { roles: ['RM'] }))).rejects.toThrow(
      'token invalid',
    );
    await expect(hs.verify(await signTestToken(secret, { roles: ['RM'], expiresIn: '-1m' }))).rejects.toThrow('token expired');
    const noExp = await new SignJWT({ roles: ['RM'], branchId: 'B' }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').sign(new TextEncoder().encode(secret));
    await expect(hs.verify(noExp)).rejects.toThrow(/exp/);
  });

  it('refuses unknown roles and a missing branchId', async () => {
    await expect(hs.verify(await signTestToken(secret, { roles: ['ROOT' as never] }))).rejects.toThrow(/roles/);
    const noBranch = await new SignJWT({ roles: ['RM'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    await expect(hs.verify(noBranch)).rejects.toThrow(/branchId/);
  });

  it('refuses a subject that is not a non-empty string (it is the actor of every audit event)', async () => {
    for (const sub of [123, '', '   ', null]) {
      const token = await new SignJWT({ roles: ['RM'], branchId: 'B', sub } as never).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      await expect(hs.verify(token)).rejects.toThrow(AuthenticationError);
    }
  });

  it('allows 30 s of clock skew on nbf, not more', async () => {
    const now = Math.floor(Date.now() / 1000);
    const at = (nbf: number) => new SignJWT({ roles: ['RM'], branchId: 'B' }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setNotBefore(nbf).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    await expect(hs.verify(await at(now + 10))).resolves.toMatchObject({ sub: 's' });
    await expect(hs.verify(await at(now + 120))).rejects.toThrow(AuthenticationError);
  });

  it('with a JWKS, accepts RS256 and refuses HS256 (no algorithm confusion)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const rs = new JwtVerifier({ jwks: { keys: [jwk] } });
    const token = await new SignJWT({ roles: ['AUDITOR'], branchId: 'HQ' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('aud-1')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(rs.verify(token)).resolves.toMatchObject({ sub: 'aud-1', roles: ['AUDITOR'] });
    await expect(rs.verify(await signTestToken(secret, { roles: ['ADMIN'] }))).rejects.toThrow(AuthenticationError);
  });
});

describe('branch scope', () => {
  it.each([
    [['RM'], 'BR1', 'BR1', true],
    [['RM'], 'BR1', 'BR2', false],
    [['BRANCH_MANAGER'], 'BR1', 'BR2', false],
    [['TELLER', 'RM'], 'BR1', 'BR2', false],
    [['EXECUTIVE'], 'HQ', 'BR2', true],
    [['ADMIN'], 'HQ', 'BR2', true],
  ])('%p of %s on %s → %p', (roles, own, target, ok) => {
    expect(canAccessBranch({ sub: 's', roles: roles as never, branchId: own }, target)).toBe(ok);
  });
});

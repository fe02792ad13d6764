import { SignJWT } from 'jose';
import type { Role } from '@meridian/events';

/** Signs an HS256 token the way a Meridian identity provider would. */
export async function signTestToken(
  secret: string,
  claims: { sub?: string; roles: Role[]; branchId?: string; expiresIn?: string },
): Promise<string> {
  return new SignJWT({ roles: claims.roles, branchId: claims.branchId ?? 'BR001' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? 'tester')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(secret));
}

import { JWTPayload, createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { Principal, isRole } from './principal';

export interface JwtVerifierOptions {
  /** HS256 shared secret (JWT_SECRET). */
  secret?: string;
  /** RS256 key set (JWT_JWKS_URL); when set, HS256 is not accepted. */
  jwksUrl?: string;
  /** A key set given inline (tests, air-gapped deployments). */
  jwks?: { keys: object[] };
  issuer?: string;
  audience?: string;
}

export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/**
 * Verifies bearer tokens: HS256 with the shared secret by default, or RS256 against a
 * JWKS when configured. Only the configured algorithm is accepted (so `alg: none` and
 * algorithm-confusion tokens fail); `exp`, `sub`, `roles` and `branchId` are required.
 */
export class JwtVerifier {
  private readonly verifyToken: (token: string) => Promise<JWTPayload>;

  constructor(options: JwtVerifierOptions) {
    // 30 s of clock skew between the identity provider and this host (a fresh token's nbf/iat a moment ahead).
    const common = { issuer: options.issuer, audience: options.audience, requiredClaims: ['exp', 'sub'], clockTolerance: 30 };
    if (options.jwksUrl || options.jwks) {
      const keySet = options.jwks
        ? createLocalJWKSet(options.jwks as never)
        : createRemoteJWKSet(new URL(options.jwksUrl as string));
      this.verifyToken = async (token) => (await jwtVerify(token, keySet, { ...common, algorithms: ['RS256'] })).payload;
    } else if (options.secret) {
      const key = new TextEncoder().encode(options.secret);
      this.verifyToken = async (token) => (await jwtVerify(token, key, { ...common, algorithms: ['HS256'] })).payload;
    } else {
      throw new Error('JwtVerifier needs JWT_SECRET or JWT_JWKS_URL');
    }
  }

  async verify(token: string): Promise<Principal> {
    let claims: JWTPayload;
    try {
      claims = await this.verifyToken(token);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('token expired');
      if (error instanceof joseErrors.JOSEAlgNotAllowed) throw new AuthenticationError('token algorithm not accepted');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthenticationError(`token claim ${error.claim} invalid`);
      throw new AuthenticationError('token invalid');
    }
    // Who reads is recorded in every audit event: a real subject, not a number or an empty string.
    if (typeof claims.sub !== 'string' || claims.sub.trim().length === 0) throw new AuthenticationError('token claim sub must be a non-empty string');
    const roles = claims.roles;
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
      throw new AuthenticationError('token claim roles must be a non-empty list of known roles');
    }
    if (typeof claims.branchId !== 'string' || claims.branchId.length === 0) {
      throw new AuthenticationError('token claim branchId is required');
    }
    return { sub: claims.sub, roles, branchId: claims.branchId };
  }
}

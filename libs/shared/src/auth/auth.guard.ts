import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@meridian/events';
import { AuthenticationError, JwtVerifier } from './jwt-verifier';
import { Principal, hasAnyRole } from './principal';

const PUBLIC_KEY = 'meridian:public';
const ROLES_KEY = 'meridian:roles';

/** Routes open without a token: health, metrics, docs. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Roles allowed on a route; any one suffices. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** The verified caller, in a controller: `@CurrentPrincipal() principal: Principal`. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

/**
 * Global guard of every HTTP route not marked @Public(): a valid bearer token (401
 * otherwise), then one of the route's @Roles (403 otherwise). Branch scope is checked
 * where the data's branch is known, with canAccessBranch().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedException('Authorization: Bearer <JWT> is required');
    try {
      request.principal = await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof AuthenticationError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!hasAnyRole(request.principal, roles)) {
      throw new ForbiddenException(`one of the roles ${roles.join(', ')} is required`);
    }
    return true;
  }
}

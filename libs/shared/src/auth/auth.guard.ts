import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  Type,
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
/** Roles allowed on a route; any one suffices. A route without them is refused to everyone (fail closed). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** What a route declares about its callers, on the handler or else its controller. */
export interface DeclaredAccess {
  isPublic: boolean;
  roles: Role[];
}

/** The one reading of @Public/@Roles, shared by the guard and the start-up check so they cannot disagree. */
/** A route handler as Nest hands it to guards. */
export type RouteHandler = ReturnType<ExecutionContext['getHandler']>;

export function declaredAccess(reflector: Reflector, handler: RouteHandler, controller: Type<unknown>): DeclaredAccess {
  const targets = [handler, controller];
  return {
    isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
    roles: reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [],
  };
}

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
 * otherwise), then one of the route's @Roles (403 otherwise, and always when it declares
 * none). Branch scope is checked
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
    const { isPublic, roles } = declaredAccess(this.reflector, context.getHandler(), context.getClass());
    if (isPublic) return true;

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
    // CONTRACTS.md §5: a route that declares no roles is refused (fail closed), not open to any token.
    if (roles.length === 0) throw new ForbiddenException('this route declares no roles, so no caller may use it');
    if (!hasAnyRole(request.principal, roles)) {
      throw new ForbiddenException(`one of the roles ${roles.join(', ')} is required`);
    }
    return true;
  }
}

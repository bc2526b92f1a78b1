import type { TestApp } from './test-app';

export interface RouteInfo {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route the running application serves, read from the Express router (so none can be forgotten). */
export function listRoutes(t: Pick<TestApp, 'app'>): RouteInfo[] {
  const server = t.app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const stack = (server.router ?? server._router)?.stack ?? [];
  const routes: RouteInfo[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const [method, enabled] of Object.entries(layer.route.methods)) {
      if (enabled && method !== '_all')
        routes.push({ method: method.toUpperCase() as RouteInfo['method'], path: layer.route.path });
    }
  }
  return routes;
}

/** Fills `:name` parameters from the given values (unknown parameters get a random UUID). */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? '00000000-0000-4000-8000-000000000000');
}

export const UNSAFE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

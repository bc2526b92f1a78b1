import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PROJECT_ACCESS, ProjectAccessLevel } from '../../src/projects/project-access.decorator';
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

export interface HandlerInfo extends RouteInfo {
  /** What `@ProjectAccess()` declares on the handler or its controller, if anything. */
  projectAccess: ProjectAccessLevel | undefined;
}

/** Every controller handler of the application with its route and the access it declares (Nest's metadata). */
export function listHandlers(t: Pick<TestApp, 'app'>): HandlerInfo[] {
  const reflector = t.app.get(Reflector);
  const scanner = new MetadataScanner();
  const handlers: HandlerInfo[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prefixes = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as () => unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const projectAccess = reflector.getAllAndOverride<ProjectAccessLevel | undefined>(PROJECT_ACCESS, [
          handler,
          controller,
        ]);
        for (const prefix of prefixes) {
          for (const path of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
            handlers.push({
              method: RequestMethod[method] as RouteInfo['method'],
              path: `/${[prefix, path]
                .map((part) => part.replace(/^\/+|\/+$/g, ''))
                .filter(Boolean)
                .join('/')}`,
              projectAccess,
            });
          }
        }
      }
    }
  }
  return handlers;
}

function pathsOf(metadata: unknown): string[] {
  if (Array.isArray(metadata)) return metadata.map(String);
  return [typeof metadata === 'string' ? metadata : ''];
}

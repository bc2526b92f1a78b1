import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Unpoly } from './unpoly';

/** Injects the Unpoly protocol helper for the current request. */
export const Up = createParamDecorator((_data: unknown, ctx: ExecutionContext): Unpoly => {
  const http = ctx.switchToHttp();
  return new Unpoly(http.getRequest<Request>(), http.getResponse<Response>());
});

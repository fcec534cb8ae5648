import type { Request, Response } from 'express';
import type { z } from 'zod';
import { type api, type EndpointName } from '../../contracts/api';
import type { Actor } from '../db/store';
import type { UserRow } from '../services/admin/user-rows';

type Api = typeof api;
type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface SignedIn {
  user: UserRow;
  tokenHash: string;
  lastActivityAt: Date;
  actor: Actor & { userId: string };
}

/** What a handler receives: validated input, and the signed-in user for non-public endpoints. */
export interface RequestContext<N extends EndpointName> {
  body: Api[N] extends { body: infer B } ? Out<B> : undefined;
  query: Api[N] extends { query: infer Q } ? Out<Q> : undefined;
  params: Api[N] extends { params: infer P } ? Out<P> : undefined;
  req: Request;
  res: Response;
  signedIn: Api[N]['access'] extends 'public' | 'launch' ? SignedIn | null : SignedIn;
}

type Result<N extends EndpointName> = Api[N]['response'] extends z.ZodType
  ? z.input<Api[N]['response']>
  : void;

export type Handler<N extends EndpointName> = (ctx: RequestContext<N>) => Result<N> | Promise<Result<N>>;
export type Handlers<K extends EndpointName = EndpointName> = { [N in K]: Handler<N> };

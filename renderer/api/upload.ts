import type { z } from 'zod';
import { api, type EndpointName, type QueryOf, type ResponseOf } from '../../server/contracts/api';
import { apiErrorSchema } from '../../server/contracts/common';
import { ApiError, toQueryString } from './client';

/**
 * Sends a file as the request body of an endpoint that takes one (the code-set import), reporting how much
 * has gone up. fetch() cannot report upload progress, so this one path uses XMLHttpRequest; the answer is
 * checked against the endpoint's response schema like every other call.
 */
export function uploadFile<N extends EndpointName>(
  name: N,
  opts: { query: QueryOf<N>; file: File; onProgress: (sent: number, total: number) => void },
): Promise<ResponseOf<N>> {
  const endpoint = api[name];
  const url = endpoint.path + toQueryString(opts.query as unknown as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(endpoint.method, url);
    xhr.setRequestHeader('Content-Type', 'text/plain');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => opts.onProgress(e.loaded, e.lengthComputable ? e.total : opts.file.size);
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'network',
          'The workstation service did not answer. Check that Tessera is still running, then try again.',
        ),
      );
    xhr.onload = () => {
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // Handled below as an unreadable answer.
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        const parsed = apiErrorSchema.safeParse(json);
        reject(
          parsed.success
            ? new ApiError(
                xhr.status,
                parsed.data.error.code,
                parsed.data.error.message,
                parsed.data.error.fields ?? {},
              )
            : new ApiError(xhr.status, `http_${xhr.status}`, `The upload failed (HTTP ${xhr.status}).`),
        );
        return;
      }
      const parsed = (endpoint.response as z.ZodType).safeParse(json);
      if (parsed.success) resolve(parsed.data as ResponseOf<N>);
      else
        reject(
          new ApiError(xhr.status, 'bad_response', 'The workstation service sent an unexpected answer.'),
        );
    };
    xhr.send(opts.file);
  });
}

import { graphqlCodec, vendorApi } from '../../_kit/pipeline.ts';
import { createServer } from '../../_kit/server.ts';
import { linearAuth } from './auth.ts';
import { envelope, invalidInput, LinearHttpError } from './errors.ts';
import { linearSchema } from './gql.ts';
import { invoke } from './invoke.ts';
import { provision } from './provision.ts';
import { clearLinearSeeded, seedLinearRecords } from './seed-records.ts';
import { stopWebhookTimers } from './webhooks.ts';

/** Entry point of the Linear clone: `bun templates/linear/src/server.ts`. */
linearSchema();

const started = await createServer(
  {
    template: 'linear',
    version: '0.1.0',
    ...vendorApi({
      template: 'linear',
      mounted: (path) => path === '/graphql' || path === '/graphql/',
      routes: [{ method: '*', path: '/graphql' }],
      envelope,
      auth: linearAuth,
      codec: graphqlCodec((message) => new LinearHttpError(400, invalidInput(message))),
      invoke,
    }),
    provision,
    seedRecords: seedLinearRecords,
    clearSeeded: clearLinearSeeded,
    stop: stopWebhookTimers,
  },
  { serverFile: import.meta.path },
);

export { started };

import { Type, type Static } from 'typebox';
import { ListPage, ListQuery } from '../../http/pagination.ts';
import { Before } from '../policy/listing.ts';
import { LIMIT_FIELDS } from './catalogue.ts';

const descriptions: Record<(typeof LIMIT_FIELDS)[number], string> = {
  max_requests_per_1_minute: 'Requests per minute.',
  max_tokens_per_1_minute: 'Tokens per minute.',
  max_images_per_1_minute: 'Images per minute, for image models.',
  max_audio_megabytes_per_1_minute: 'Megabytes of audio per minute, for audio models.',
  max_requests_per_1_day: 'Requests per day.',
  batch_1_day_max_input_tokens: 'Input tokens queued in batches per day.',
};

export const ProjectRateLimit = Type.Object({
  object: Type.Literal('project.rate_limit'),
  id: Type.String({ description: '`rl_` and the model id.' }),
  model: Type.String(),
  max_requests_per_1_minute: Type.Integer({ description: descriptions.max_requests_per_1_minute }),
  max_tokens_per_1_minute: Type.Integer({ description: descriptions.max_tokens_per_1_minute }),
  max_images_per_1_minute: Type.Optional(Type.Integer({ description: descriptions.max_images_per_1_minute })),
  max_audio_megabytes_per_1_minute: Type.Optional(Type.Integer({ description: descriptions.max_audio_megabytes_per_1_minute })),
  max_requests_per_1_day: Type.Optional(Type.Integer({ description: descriptions.max_requests_per_1_day })),
  batch_1_day_max_input_tokens: Type.Optional(Type.Integer({ description: descriptions.batch_1_day_max_input_tokens })),
});
export type ProjectRateLimit = Static<typeof ProjectRateLimit>;

export const ProjectRateLimitList = ListPage(ProjectRateLimit);

/** Each limit is optional; a limit is a positive integer. */
export const UpdateRateLimitBody = Type.Object(
  Object.fromEntries(LIMIT_FIELDS.map((field) => [field, Type.Optional(Type.Integer({ minimum: 1, description: descriptions[field] }))])),
  { additionalProperties: false },
);
export type UpdateRateLimitBody = Partial<Record<(typeof LIMIT_FIELDS)[number], number>>;

export const ListRateLimitsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 100, description: 'How many rate limits to return, from 1 to 100.' }),
  after: ListQuery.after,
  before: Before,
});
export type ListRateLimitsQuery = Static<typeof ListRateLimitsQuery>;

export const RateLimitId = { rate_limit_id: Type.String({ description: 'The id of the rate limit: `rl_` and the model id.' }) };

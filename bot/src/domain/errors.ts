/** Coded errors: one code per thing that can go wrong, turned into a Dutch/English message at the edge. */
export const ERROR_CODES = [
  'question_unknown',
  'question_closed',
  'question_not_open',
  'answer_missing',
  'answer_invalid_option',
  'answer_too_many',
  'comment_too_long',
  'text_too_long',
  'card_data_invalid',
  'verb_unknown',
  'not_admin',
  'not_moderator',
  'rkk_unknown',
  'no_current_question',
  'config_missing',
  'config_invalid',
  'questions_file_invalid',
  'rate_limited',
  'card_too_large',
  'store_in_use',
  'store_unreachable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class KenniskringError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = 'KenniskringError';
  }
}

export function isKenniskringError(e: unknown): e is KenniskringError {
  return e instanceof KenniskringError;
}

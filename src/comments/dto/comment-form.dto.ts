import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';

export const COMMENT_MAX = 10_000;

export const COMMENT_MESSAGES = {
  blank: 'Write something before sending the comment.',
  text: 'Write the comment as text.',
  long: `Keep the comment to ${COMMENT_MAX.toLocaleString('en')} characters or fewer.`,
};

/** Adding or editing a comment: Markdown text, not blank. */
export class CommentDto {
  @Transform(({ value }: { value: unknown }) =>
    value === undefined ? '' : typeof value === 'string' ? value.replace(/\r\n/g, '\n').trimEnd() : value,
  )
  @IsString({ message: COMMENT_MESSAGES.text })
  @Matches(/\S/, { message: COMMENT_MESSAGES.blank })
  @MaxLength(COMMENT_MAX, { message: COMMENT_MESSAGES.long })
  body: string;
}

import { IsUUID } from 'class-validator';

/** The "add a member" form: one of the offered users. */
export class AddMemberForm {
  @IsUUID('all', { message: 'Choose a person to add.' })
  userId!: string;
}

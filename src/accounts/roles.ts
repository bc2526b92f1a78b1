/** The roles of an account: for forms and rules in any module, without the User model. */
export const ROLES = ['MANAGER', 'MEMBER'] as const;
export type Role = (typeof ROLES)[number];

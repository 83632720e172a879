/** An Entra object id or a Teams id as an administrator types it. */
export function isMemberId(s: string): boolean {
  return /^[\w:.@-]{3,200}$/.test(s);
}

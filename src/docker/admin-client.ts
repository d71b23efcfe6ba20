/** Moved to src/admin/client.ts (it only speaks HTTP); kept so existing imports still resolve. */
export { AdminClient } from '../admin/client.ts';

// Who is logged in, as the server says at GET /v1/auth/me, and what their role lets them do.
import { signal } from '@preact/signals'
import { api, type Me } from './api/client.ts'

/** undefined while asking the server, null when nobody is logged in */
export const me = signal<Me | null | undefined>(undefined)

export async function loadMe(): Promise<void> {
  const { data } = await api.GET('/v1/auth/me')
  me.value = data?.data ?? null
}

/** The console hides what the role refuses; the server refuses it anyway. */
export function can(permission: string): boolean {
  return (me.value?.permissions as string[] | undefined)?.includes(permission) ?? false
}

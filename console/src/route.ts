// The console's own paths under /app/: the browser's history, read as a signal.
import { signal } from '@preact/signals'

const BASE = '/app'
const current = () => location.pathname.replace(BASE, '') || '/'
export const path = signal(current())
addEventListener('popstate', () => {
  path.value = current()
})

export function go(to: string): void {
  history.pushState(null, '', BASE + to)
  path.value = to
}

import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

// served by the Carnet server under /app/ (src/http/console.ts); `npm run dev` proxies the API to it
export default defineConfig({
  base: '/app/',
  plugins: [preact()],
  build: { target: 'es2022' },
  server: { proxy: { '^/(?!app/|src/|@|node_modules/).*': 'http://127.0.0.1:8080' } },
})

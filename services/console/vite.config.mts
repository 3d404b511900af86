import react from '@vitejs/plugin-react';
import path from 'path';
import { fileURLToPath } from 'url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The SPA lives in web/ and is built into dist/web, which the express server serves.
export default defineConfig({
  root: path.resolve(here, 'web'),
  plugins: [react()],
  build: { outDir: path.resolve(here, 'dist/web'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: {
    port: 5173,
    // `npm run dev -w services/console`: API and sign-in go to a console server running on 4000.
    proxy: { '/api': 'http://127.0.0.1:4000', '/auth': 'http://127.0.0.1:4000' },
  },
});

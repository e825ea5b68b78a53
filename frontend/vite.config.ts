/// <reference types="vitest/config" />
import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

// The Rust server (actboard) listens on 127.0.0.1:8080 during development.
const backend = 'http://127.0.0.1:8080'

// The dark phone theme (index.css `.phone`): the installed app's bars and splash match it.
const THEME = '#0b1220'

// https://vite.dev/config/
export default defineConfig({
  base: '/',
  plugins: [
    preact(),
    // The installable app: a manifest and a Workbox service worker generated at build time
    // (no runtime downloads). It precaches the app shell so any app URL opens offline; it
    // never caches /api/ answers (clinical data, sent with no-store): there is no runtime
    // caching at all. Each build has a new precache manifest, so a new deploy's worker
    // installs and waits; the page offers "Update ready — reload" (src/lib/pwa.ts).
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      manifest: {
        name: 'actboard — team board',
        short_name: 'actboard',
        description: 'The ACT/ICM team board: flags, huddle, on-call and visits.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: THEME,
        theme_color: THEME,
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // The API reference bundle (copied into dist/vendor after this build) stays out.
        globIgnores: ['vendor/**'],
        navigateFallback: '/index.html',
        // Not the app: the API (and its docs page), health checks, the vendored bundle.
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/healthz$/, /^\/readyz$/, /^\/vendor\//],
        runtimeCaching: [],
        cleanupOutdatedCaches: true,
        clientsClaim: false,
        skipWaiting: false,
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: true, ws: true },
      '/healthz': { target: backend, changeOrigin: true },
      '/readyz': { target: backend, changeOrigin: true },
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
})

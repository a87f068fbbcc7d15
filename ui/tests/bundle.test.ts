// Issue 8's budget: the first page a visitor loads needs under 500 KB of gzipped JavaScript. Reads the production
// build in dist/ (`npm run build` runs first in ./dev test) and gzips what index.html loads before anything else.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = join(__dirname, '..', 'dist');
const budget = 500 * 1024;

describe('production build', () => {
  it('loads under 500 KB of gzipped JavaScript for the first page', () => {
    expect(existsSync(join(dist, 'index.html')), 'no ui/dist/index.html: run `npm --prefix ui run build` first').toBe(true);
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, src) => sum + gzipSync(readFileSync(join(dist, src))).length, 0);
    console.info(`first page: ${scripts.length} script(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(budget);
  });

  it('keeps every page out of the first download (each loads on first use)', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(html).not.toMatch(/ExplorerPage|PoliciesPage|IntegrityPage/);
  });
});

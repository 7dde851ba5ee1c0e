// Drives the official Pinecone TypeScript SDK (6.1.4, API 2025-04) against a control-plane endpoint — normally the
// local emulator — and prints ONE JSON object describing what the SDK returned. Reads PINECONE_CONTROLLER_HOST and
// PINECONE_API_KEY from the environment (the SDK's own variables). Exit code 0 unless the script itself breaks.
import { Pinecone } from '@pinecone-database/pinecone';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sdkVersion = require('@pinecone-database/pinecone/package.json').version;

// The SDK appends '/restore-jobs' to the host verbatim, so a trailing slash would produce '//restore-jobs'.
const controllerHostUrl = process.env.PINECONE_CONTROLLER_HOST?.replace(/\/+$/, '');
const apiKey = process.env.PINECONE_API_KEY;
if (!controllerHostUrl || !apiKey) {
  console.error('PINECONE_CONTROLLER_HOST and PINECONE_API_KEY must be set.');
  process.exit(2);
}

const iso = (d) => (d instanceof Date ? (isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString()) : d ?? null);
const describeError = (e) => ({
  name: e?.name ?? null,
  constructorName: e?.constructor?.name ?? null,
  message: e?.message ?? String(e),
  status: e?.status ?? e?.cause?.status ?? null,
});

const out = { sdkVersion, controllerHostUrl, pages: 0, ids: [], listed: [], pageSizes: [], tokens: [] };

const pc = new Pinecone({ apiKey, controllerHostUrl });

try {
// 1. list with limit 5, following pagination.next until it is absent.
let token;
for (let guard = 0; guard < 50; guard++) {
  const page = await pc.listRestoreJobs(token ? { limit: 5, paginationToken: token } : { limit: 5 });
  out.pages++;
  out.pageSizes.push(page.data.length);
  for (const job of page.data) {
    out.ids.push(job.restoreJobId);
    out.listed.push({ id: job.restoreJobId, status: job.status, createdAt: iso(job.createdAt) });
  }
  out.lastPagination = page.pagination === undefined ? 'undefined' : page.pagination;
  token = page.pagination?.next;
  if (!token) break;
  out.tokens.push(token);
}

// 2. describe the first listed job.
if (out.ids.length > 0) {
  const job = await pc.describeRestoreJob(out.ids[0]);
  out.described = {
    restoreJobId: job.restoreJobId,
    backupId: job.backupId,
    targetIndexName: job.targetIndexName,
    targetIndexId: job.targetIndexId,
    status: job.status,
    createdAt: iso(job.createdAt),
    createdAtType: typeof job.createdAt,
    createdAtIsDate: job.createdAt instanceof Date,
    completedAt: iso(job.completedAt),
    completedAtIsDate: job.completedAt instanceof Date,
    percentComplete: job.percentComplete ?? null,
    keys: Object.keys(job),
  };
}

} catch (e) {
  out.fatal = describeError(e);
}

// 3. an unknown job.
try {
  const job = await pc.describeRestoreJob('no-such-job');
  out.notFound = { thrown: false, value: job };
} catch (e) {
  out.notFound = { thrown: true, ...describeError(e) };
}

// 4. a wrong API key.
try {
  const wrong = new Pinecone({ apiKey: 'wrong', controllerHostUrl });
  await wrong.listRestoreJobs({ limit: 5 });
  out.unauthorized = { thrown: false };
} catch (e) {
  out.unauthorized = { thrown: true, ...describeError(e) };
}

process.stdout.write(JSON.stringify(out) + '\n');

// Drives the official Pinecone TypeScript SDK (6.1.4, API 2025-04) against a control-plane endpoint (normally the
// local emulator) and an index's data-plane host, and prints ONE JSON object describing what the SDK returned. Reads
// PINECONE_CONTROLLER_HOST and PINECONE_API_KEY (the SDK's own variables), and CONFORMANCE_SOURCE_INDEX,
// CONFORMANCE_READY_BACKUP and CONFORMANCE_DELETABLE_BACKUP (which seeded items to use). Exit code 0 unless the
// script itself breaks.
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

// 5. backups, restore into a new index, indexes and the data plane. Each step records what the SDK returned, or
// the error it threw, so that the xunit side can say exactly which call disagreed.
const step = async (name, call) => {
  try {
    out[name] = await call();
  } catch (e) {
    out[name] = { thrown: true, ...describeError(e) };
  }
};
const backupView = (b) => ({
  backupId: b.backupId, sourceIndexName: b.sourceIndexName, sourceIndexId: b.sourceIndexId, name: b.name ?? null,
  description: b.description ?? null, status: b.status, cloud: b.cloud, region: b.region, dimension: b.dimension ?? null,
  metric: b.metric ?? null, recordCount: b.recordCount ?? null, namespaceCount: b.namespaceCount ?? null,
  sizeBytes: b.sizeBytes ?? null, tags: b.tags ?? null, createdAt: b.createdAt ?? null,
});
const sourceIndex = process.env.CONFORMANCE_SOURCE_INDEX;
const readyBackup = process.env.CONFORMANCE_READY_BACKUP;
const deletableBackup = process.env.CONFORMANCE_DELETABLE_BACKUP;

await step('createdBackup', async () => backupView(await pc.createBackup({ indexName: sourceIndex, name: 'sdk-backup', description: 'made by the SDK' })));
await step('listedBackups', async () => {
  const ids = [];
  let pages = 0;
  let paginationToken;
  do {
    const page = await pc.listBackups(paginationToken ? { limit: 3, paginationToken } : { limit: 3 });
    pages++;
    ids.push(...page.data.map((b) => b.backupId));
    paginationToken = page.pagination?.next;
  } while (paginationToken && pages < 20);
  return { ids, pages };
});
await step('indexBackups', async () => (await pc.listBackups({ indexName: sourceIndex, limit: 100 })).data.map((b) => b.backupId));
await step('describedBackup', async () => backupView(await pc.describeBackup(readyBackup)));
await step('deletedBackup', async () => ({ result: (await pc.deleteBackup(deletableBackup)) ?? null }));
await step('deleteAgain', async () => ({ thrown: false, result: await pc.deleteBackup(deletableBackup) }));
await step('restored', async () => {
  const r = await pc.createIndexFromBackup({ backupId: readyBackup, name: 'sdk-restore', tags: { origin: 'sdk' }, deletionProtection: 'disabled' });
  return { restoreJobId: r.restoreJobId, indexId: r.indexId };
});
await step('restoreJob', async () => {
  const j = await pc.describeRestoreJob(out.restored.restoreJobId);
  return { status: j.status, backupId: j.backupId, targetIndexName: j.targetIndexName, targetIndexId: j.targetIndexId };
});
await step('restoreTaken', async () => ({ thrown: false, value: await pc.createIndexFromBackup({ backupId: readyBackup, name: 'sdk-restore' }) }));
await step('describedIndex', async () => {
  const i = await pc.describeIndex('sdk-restore');
  return { name: i.name, dimension: i.dimension ?? null, metric: i.metric, host: i.host, deletionProtection: i.deletionProtection,
           tags: i.tags ?? null, ready: i.status?.ready, state: i.status?.state, vectorType: i.vectorType, spec: i.spec };
});
await step('stats', async () => {
  const host = out.describedIndex.host;
  return await pc.index('sdk-restore', 'http://' + host).describeIndexStats();
});
await step('deletedIndex', async () => ({ result: (await pc.deleteIndex('sdk-restore')) ?? null }));
await step('indexGone', async () => ({ thrown: false, value: await pc.describeIndex('sdk-restore') }));

process.stdout.write(JSON.stringify(out) + '\n');

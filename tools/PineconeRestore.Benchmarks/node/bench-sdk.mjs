// Lists every restore job with the official Pinecone TypeScript SDK (listRestoreJobs, pages of 100), the way a node user
// would, keeping every job. Times itself (warm-up runs first, so node's start-up is not counted) and prints
// "name value" lines like bench.ps1. PINECONE_CONTROLLER_HOST and PINECONE_API_KEY come from the environment.
// Usage: node --expose-gc bench-sdk.mjs <runs> <warmup> <expected>
import { Pinecone } from '@pinecone-database/pinecone';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const [runs, warmup, expected] = process.argv.slice(2).map(Number);
console.log(`sdk ${require('@pinecone-database/pinecone/package.json').version}`);

// The SDK appends '/restore-jobs' to the host verbatim, so a trailing slash would give '//restore-jobs'.
const controllerHostUrl = process.env.PINECONE_CONTROLLER_HOST.replace(/\/+$/, '');
const pc = new Pinecone({ apiKey: process.env.PINECONE_API_KEY, controllerHostUrl });

async function listAll() {
  const jobs = [];
  let paginationToken;
  do {
    const page = await pc.listRestoreJobs(paginationToken ? { limit: 100, paginationToken } : { limit: 100 });
    for (const job of page.data) jobs.push(job);
    paginationToken = page.pagination?.next;
  } while (paginationToken);
  return jobs;
}

// The pause the program sets for every client alike, so background compilation and GC finish between runs.
const pauseMs = Number(process.env.PINECONE_BENCH_PAUSE_MS ?? 0);

for (let i = 0; i < warmup + runs; i++) {
  if (globalThis.gc) globalThis.gc();
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  const start = performance.now();
  const jobs = await listAll();
  const ms = performance.now() - start;
  if (jobs.length !== expected) throw new Error(`Listed ${jobs.length} jobs, expected ${expected}.`);
  console.log(`${i >= warmup ? 'run' : 'warm'} ${ms}`);
}

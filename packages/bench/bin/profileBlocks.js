#!/usr/bin/env node
/*
 * What the backend ran while its event loop was blocked: reads a profile and its blocks from
 * bin/profileOnSignal.js and prints, for each block over the given length and for all of them together, where the
 * sampled time went: by package (the node_modules package, this repository's plugin, Node's internals, GC) and by
 * function (self time), and which of this repository's functions were on the stack (inclusive time).
 *
 *   node packages/bench/bin/profileBlocks.js <dir>/profile-1.cpuprofile [--over-ms 200] [--top 12]
 */
const fs = require('node:fs');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const profileFile = args.find(arg => arg.endsWith('.cpuprofile'));
if (!profileFile) {
  console.error(
    'usage: profileBlocks.js <profile-n.cpuprofile> [--over-ms N] [--top N]',
  );
  process.exit(2);
}
const overUs = option('--over-ms', 100) * 1000;
const top = option('--top', 12);
const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
const blocks = JSON.parse(
  fs.readFileSync(profileFile.replace(/\.cpuprofile$/, '.blocks.json'), 'utf8'),
).filter(([start, end]) => end - start > overUs);

const nodes = new Map(profile.nodes.map(node => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

function packageOf(frame) {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (inModules)
    return inModules[inModules.length - 1].replace('node_modules/', '');
  if (url.startsWith('node:')) return 'node internals';
  const inRepo = url.match(/\/(plugins|packages)\/([^/]+)\//);
  return inRepo ? `${inRepo[1]}/${inRepo[2]}` : url;
}
const label = frame =>
  `${frame.functionName || '(anonymous)'} ${frame.url.replace(
    /^.*\/(node_modules|plugins|packages)\//,
    '$1/',
  )}:${frame.lineNumber + 1}`;
const isOurs = frame =>
  /\/plugins\//.test(frame.url) && !/node_modules/.test(frame.url);

// Sample i ran during (times[i-1], times[i]]: its weight is the delta that ends at it.
const times = [];
let clock = profile.startTime;
for (const delta of profile.timeDeltas) times.push((clock += delta));

function summarise(from, to) {
  const byPackage = new Map();
  const bySelf = new Map();
  const byOurs = new Map();
  let sampled = 0;
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  for (let i = 1; i < times.length; i += 1) {
    if (times[i] <= from || times[i - 1] >= to) continue;
    const us = Math.min(times[i], to) - Math.max(times[i - 1], from);
    const node = nodes.get(profile.samples[i]);
    sampled += us;
    add(byPackage, packageOf(node.callFrame), us);
    add(bySelf, label(node.callFrame), us);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parentOf.get(id)) {
      const frame = nodes.get(id).callFrame;
      if (!isOurs(frame)) continue;
      const key = label(frame);
      if (!seen.has(key)) add(byOurs, key, us);
      seen.add(key);
    }
  }
  return { sampled, byPackage, bySelf, byOurs };
}

const ms = us => `${(us / 1000).toFixed(0)} ms`;
function print(
  title,
  lengthUs,
  { sampled, byPackage, bySelf, byOurs },
  what = 'blocked',
) {
  console.log(`\n## ${title}: ${ms(lengthUs)} ${what}, ${ms(sampled)} sampled`);
  for (const [heading, map] of [
    ['by package (self)', byPackage],
    ['by function (self)', bySelf],
    ['this repository on the stack (inclusive)', byOurs],
  ]) {
    console.log(`  ${heading}:`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(
        `    ${ms(us).padStart(8)} ${((100 * us) / sampled)
          .toFixed(0)
          .padStart(3)} %  ${key}`,
      );
  }
}

const merged = {
  sampled: 0,
  byPackage: new Map(),
  bySelf: new Map(),
  byOurs: new Map(),
};
for (const [start, end] of blocks) {
  const summary = summarise(start, end);
  print(`block at +${ms(start - profile.startTime)}`, end - start, summary);
  merged.sampled += summary.sampled;
  for (const key of ['byPackage', 'bySelf', 'byOurs'])
    for (const [name, us] of summary[key])
      merged[key].set(name, (merged[key].get(name) ?? 0) + us);
}
const total = blocks.reduce((sum, [start, end]) => sum + end - start, 0);
print(`all ${blocks.length} blocks over ${ms(overUs)}`, total, merged);
print(
  'the whole profile',
  profile.endTime - profile.startTime,
  summarise(profile.startTime, profile.endTime),
  'profiled',
);

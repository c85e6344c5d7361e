import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latestEventResults, renderResult } from './report';

describe('latestEventResults', () => {
  it('takes each section from the newest file that has it, and ignores the main results', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
    const write = (file: string, result: object) =>
      fs.writeFileSync(path.join(dir, file), JSON.stringify(result));
    const machine = (commit: string) => ({ commit, loadAverage: 1 });
    write('events-large-2026-12-06T10-00-00-000Z.json', {
      size: 'large',
      machine: machine('aaa'),
      latency: { all: { p50Ms: 1 } },
      loss: { changes: 1 },
      notes: ['old'],
    });
    write('events-large-2026-12-06T11-00-00-000Z.json', {
      size: 'large',
      machine: machine('bbb'),
      loss: { changes: 2 },
      notes: ['new'],
    });
    write('events-small-2026-12-06T09-00-00-000Z.json', {
      size: 'small',
      machine: machine('ccc'),
      latency: { all: { p50Ms: 3 } },
    });
    write('large-2026-12-06T12-00-00-000Z.json', { size: 'large' });

    const [small, large] = latestEventResults(dir);
    expect(small).toMatchObject({
      size: 'small',
      latency: { all: { p50Ms: 3 } },
    });
    expect(large).toMatchObject({
      size: 'large',
      file: 'events-large-2026-12-06T11-00-00-000Z.json',
      latency: { all: { p50Ms: 1 } },
      loss: { changes: 2 },
      sources: {
        latency: {
          file: 'events-large-2026-12-06T10-00-00-000Z.json',
          commit: 'aaa',
          notes: ['old'],
        },
        loss: {
          file: 'events-large-2026-12-06T11-00-00-000Z.json',
          commit: 'bbb',
          notes: ['new'],
        },
      },
    });
    expect(large.isolated).toBeUndefined();
  });
});

describe('renderResult', () => {
  it("shows the bytes a steady sync wrote next to the full snapshot's size", () => {
    const text = renderResult({
      size: 'large',
      coldSync: {
        snapshot: { gzipBytes: 4 * 1048576, jsonBytes: 20 * 1048576 },
      },
      steadySync: {
        snapshot: {
          gzipBytes: 4 * 1048576,
          writtenBytes: 64 * 1024,
          baseVersion: 1,
        },
      },
    });
    expect(text).toContain(
      '| bytes written per steady sync (a delta on the previous version) | 64.0 KiB | 4.0 MiB full snapshot (gzipped) | 0.016× |',
    );
  });
});

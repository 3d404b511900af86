import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { connectMongo, MIGRATIONS_COLLECTION, runOnce, type MigrationRecord } from '../../src';

const logger = createLogger({ service: 'mongo-layout-migrations-test', level: 'silent' });

describe('layout migrations run once per database, on a real MongoDB-wire engine', () => {
  const dbName = uniqueName('migrations').replace(/-/g, '_');
  const otherDbName = `${dbName}_other`;
  let conn: Connection;
  let second: Connection;
  beforeAll(async () => {
    conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName, logger });
    // Another process's connection to the same database.
    second = await connectMongo({ uri: testEndpoints().mongoUri, dbName, logger });
  });
  afterAll(async () => {
    await second.close();
    await conn.useDb(otherDbName).dropDatabase();
    await conn.dropDatabase();
    await conn.close();
  });

  const records = (c: Connection = conn) => c.db!.collection<MigrationRecord>(MIGRATIONS_COLLECTION);

  it('when a migration has run, then the next start does not run it again and the record keeps its result', async () => {
    const migrate = jest.fn(async () => ({ moved: 3 }));

    expect(await runOnce(conn.db!, 'move-things', migrate)).toEqual({ ran: true, result: { moved: 3 } });
    expect(await runOnce(conn.db!, 'move-things', migrate)).toEqual({ ran: false });

    expect(migrate).toHaveBeenCalledTimes(1);
    expect(await records().findOne({ _id: 'move-things' })).toMatchObject({ result: { moved: 3 }, at: expect.any(String) });
  });

  it('when a migration fails halfway, then nothing is recorded and the next start runs it again', async () => {
    let attempt = 0;
    const migrate = jest.fn(async () => {
      attempt++;
      if (attempt === 1) throw new Error('engine went away');
      return attempt;
    });

    await expect(runOnce(conn.db!, 'flaky', migrate)).rejects.toThrow('engine went away');
    expect(await records().findOne({ _id: 'flaky' })).toBeNull();
    expect(await runOnce(conn.db!, 'flaky', migrate)).toEqual({ ran: true, result: 2 });
    expect(await runOnce(conn.db!, 'flaky', migrate)).toEqual({ ran: false });
    expect(migrate).toHaveBeenCalledTimes(2);
  });

  it('when two processes start at once, then both may run the migration, neither fails on the record and one record is kept', async () => {
    // Each migration waits until both have begun: both found no record.
    let begun = 0;
    let bothBegun!: () => void;
    const together = new Promise<void>((resolve) => (bothBegun = resolve));
    const migrate = (who: string) => async () => {
      if (++begun === 2) bothBegun();
      await together;
      return who;
    };

    const outcomes = await Promise.all([runOnce(conn.db!, 'concurrent', migrate('a')), runOnce(second.db!, 'concurrent', migrate('b'))]);

    expect(outcomes.map((o) => o.ran)).toEqual([true, true]);
    const kept = await records().find({ _id: 'concurrent' }).toArray();
    expect(kept).toHaveLength(1);
    expect(['a', 'b']).toContain(kept[0]!.result);
    expect(await runOnce(second.db!, 'concurrent', migrate('c'))).toEqual({ ran: false });
  });

  it('when another database has not been migrated, then the migration runs there although it is recorded here', async () => {
    await runOnce(conn.db!, 'per-database', async () => 1);

    expect(await runOnce(conn.useDb(otherDbName).db!, 'per-database', async () => 2)).toEqual({ ran: true, result: 2 });
  });
});

import request from 'supertest';
import { bearer, openDatabase, sampleInput, staff } from './harness';

describe('bulk import of organisations (JSON and CSV)', () => {
  let h: Awaited<ReturnType<typeof openDatabase>>;
  beforeAll(async () => {
    h = await openDatabase();
  });
  afterAll(async () => {
    await h.close();
  });

  const importJson = (body: unknown) =>
    request(h.app)
      .post('/organisations:import')
      .set('Authorization', bearer(staff))
      .send(body as object);
  const importCsv = (text: string) =>
    request(h.app).post('/organisations:import').set('Authorization', bearer(staff)).set('Content-Type', 'text/csv').send(text);

  it('when a JSON array has bad rows, then good rows are stored, bad rows are reported with fields, and a re-import updates by VAT', async () => {
    const good1 = sampleInput({ legalName: 'Import Alpha S.r.l.' });
    const good2 = sampleInput({ legalName: 'Import Beta S.p.A.' });
    const res = await importJson([good1, { ...sampleInput(), kind: 'martian' }, good2, 'not an object', { ...sampleInput(), location: { province: 'XX' } }]);
    expect(res.status).toBe(200);
    expect(res.body.summary).toEqual({ total: 5, created: 2, updated: 0, failed: 3 });
    expect(res.body.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [1, 'created'],
      [2, 'failed'],
      [3, 'created'],
      [4, 'failed'],
      [5, 'failed'],
    ]);
    expect(res.body.rows[1].errors[0].field).toBe('kind');
    expect(res.body.rows[4].errors.map((e: { field: string }) => e.field)).toContain('location.province');
    const alpha = await request(h.app).get(`/organisations/${res.body.rows[0].id}`).set('Authorization', bearer(staff));
    expect(alpha.body).toMatchObject({ legalName: 'Import Alpha S.r.l.', version: 1 });

    const again = await importJson([{ ...good1, legalName: 'Import Alpha Renamed S.r.l.' }]);
    expect(again.body.rows[0]).toMatchObject({ row: 1, status: 'updated', id: res.body.rows[0].id });
    const renamed = await request(h.app).get(`/organisations/${res.body.rows[0].id}`).set('Authorization', bearer(staff));
    expect(renamed.body).toMatchObject({ legalName: 'Import Alpha Renamed S.r.l.', version: 2 });
  });

  it('when matched by website (no VAT before), then the row updates it; a row with another VAT on that website fails on website', async () => {
    const first = await importJson([sampleInput({ website: 'https://import-owner.example.it', vatNumber: undefined })]);
    expect(first.body.rows[0].status).toBe('created');
    const res = await importJson([sampleInput({ website: 'https://www.import-owner.example.it/x', vatNumber: '55544433322' })]);
    expect(res.body.rows[0]).toMatchObject({ status: 'updated', id: first.body.rows[0].id });
    const clash = await importJson([
      sampleInput({ vatNumber: '11122233344', website: 'https://import-owner.example.it' }),
      sampleInput({ vatNumber: '55544433322', foundedYear: 2001 }),
    ]);
    expect(clash.body.rows[0]).toMatchObject({ status: 'failed', errors: [{ field: 'website' }] });
    expect(clash.body.rows[1]).toMatchObject({ status: 'updated', id: first.body.rows[0].id });
  });

  it('when neither VAT nor website is given, then legal name + province find the organisation again', async () => {
    const row = sampleInput({
      legalName: 'Cascina Lodigiana Soc. Agr.',
      website: undefined,
      vatNumber: undefined,
      location: { province: 'LO', city: 'Lodi' },
      s3Areas: ['agrifood'],
    });
    const a = await importJson([row]);
    const b = await importJson([{ ...row, legalName: 'CASCINA lodigiana soc agr', foundedYear: 1950 }]);
    expect(b.body.rows[0]).toMatchObject({ status: 'updated', id: a.body.rows[0].id });
  });

  it('when an organisation was renamed, then a row with its new legal name + province updates it and a row with the old name is a new organisation', async () => {
    const row = sampleInput({
      legalName: 'Vecchio Nome Brianza S.r.l.',
      website: undefined,
      vatNumber: undefined,
      location: { province: 'MB', city: 'Monza' },
    });
    const id = (await importJson([row])).body.rows[0].id as string;
    await request(h.app)
      .patch(`/organisations/${id}`)
      .set('Authorization', bearer(staff))
      .set('If-Match', '1')
      .send({ legalName: 'Nuovo Nome Brianza S.r.l.' })
      .expect(200);

    const renamed = await importJson([{ ...row, legalName: 'Nuovo Nome Brianza S.r.l.', foundedYear: 1990 }]);
    const old = await importJson([row]);

    expect(renamed.body.rows[0]).toMatchObject({ status: 'updated', id });
    expect(old.body.rows[0].status).toBe('created');
    expect(old.body.rows[0].id).not.toBe(id);
  });

  it('when a CSV has quoted cells, lists, JSON cells and bad rows, then the report says which rows failed and why', async () => {
    const header =
      'kind,subtype,legalName,website,vatNumber,province,city,s3Areas,specialties,languages,description_it,description_en,needs,trlMin,trlMax,investorStages,ticketMinEur,ticketMaxEur';
    const needs = JSON.stringify([{ type: 'pilot_site', title: 'Sito pilota in ospedale', lang: 'it' }]).replace(/"/g, '""');
    const csv = [
      header,
      `company,sme,"Meccanica Bresciana, S.r.l.",https://meccanica-bs.example.it,IT01234567891,BS,Brescia,advanced_manufacturing;eco_industry,automation;robotics,it;en,"Lavorazioni di precisione, ""su misura""",Precision machining,"${needs}",4,7,,,`,
      `company,sme,Bad TRL S.r.l.,,,MI,Milano,advanced_manufacturing,,it,,,,9,2,,,`,
      `investor,vc_fund,Fondo Lombardo Seed,https://fondo-seed.example.it,,MI,Milano,health_life_sciences,,it;en,,,,,,seed;series_a,250000,2000000`,
      `company,sme,Broken JSON S.r.l.,,,MI,Milano,agrifood,,it,,,"[not json",,,,,`,
      `company,sme,Too Few Cells`,
    ].join('\r\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { status: string }) => r.status)).toEqual(['created', 'failed', 'created', 'failed', 'failed']);
    expect(res.body.rows[1].errors[0].field).toBe('trl.min');
    expect(res.body.rows[3].errors[0].field).toBe('needs');
    expect(res.body.rows[4].errors[0].field).toBe('(row)');

    const mecc = await request(h.app).get(`/organisations/${res.body.rows[0].id}`).set('Authorization', bearer(staff));
    expect(mecc.body).toMatchObject({
      legalName: 'Meccanica Bresciana, S.r.l.',
      vatNumber: '01234567891',
      location: { province: 'BS', city: 'Brescia' },
      s3Areas: ['advanced_manufacturing', 'eco_industry'],
      trl: { min: 4, max: 7 },
      description: [
        { lang: 'it', text: 'Lavorazioni di precisione, "su misura"' },
        { lang: 'en', text: 'Precision machining' },
      ],
      needs: [{ type: 'pilot_site', title: 'Sito pilota in ospedale', lang: 'it' }],
    });
    const fund = await request(h.app).get(`/organisations/${res.body.rows[2].id}`).set('Authorization', bearer(staff));
    expect(fund.body.investor).toMatchObject({ stages: ['seed', 'series_a'], ticketEur: { min: 250000, max: 2000000 } });
  });

  it('when the whole request is unusable, then 400/413/415 and nothing is stored', async () => {
    const before = await h.repo.countLive();
    expect((await importJson({ not: 'an array' })).status).toBe(400);
    expect((await importCsv('kind,colour\ncompany,red')).body.error.details[0].field).toBe('header.colour');
    const unterminated = await importCsv('kind,legalName\n"unterminated');
    expect(unterminated.status).toBe(400);
    expect(unterminated.body.error.details).toEqual([{ field: 'body', message: 'unterminated quoted field (line 2)' }]);
    expect((await importJson(Array.from({ length: 1001 }, () => ({})))).status).toBe(413);
    expect((await request(h.app).post('/organisations:import').set('Authorization', bearer(staff)).set('Content-Type', 'text/plain').send('x')).status).toBe(
      415,
    );
    expect(await h.repo.countLive()).toBe(before);
  });
});

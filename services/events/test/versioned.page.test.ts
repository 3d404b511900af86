import { nextPageBatch } from '../src/data/versioned.repository';

describe('how many partitions a page reads next', () => {
  it('when two partitions already gave a full page, then the answer is the smallest batch (the page loop stops before using it)', () => {
    expect(nextPageBatch(34, 2, 21)).toBe(1);
  });

  it('when two partitions gave 62 rows of a page of 101, then two more are read (31 per partition)', () => {
    expect(nextPageBatch(62, 2, 101)).toBe(2);
  });

  it('when the partitions read so far gave nothing, then the next batch is as wide as a scan may be, never wider', () => {
    expect(nextPageBatch(0, 2, 101)).toBe(8);
    expect(nextPageBatch(3, 6, 21)).toBe(8);
  });

  it('when one row is missing, then one partition is read', () => {
    expect(nextPageBatch(20, 2, 21)).toBe(1);
  });
});

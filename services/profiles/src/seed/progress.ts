/** A one-line progress bar on stderr (redrawn in place on a TTY, a line per 10% otherwise). */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastDecile = -1;
  return {
    update(done: number) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total}`;
      if (stream.isTTY) stream.write(`\r${line}`);
      else if (Math.floor(pct / 10) !== lastDecile) {
        lastDecile = Math.floor(pct / 10);
        stream.write(`${line}\n`);
      }
    },
    done(done: number) {
      const s = ((Date.now() - started) / 1000).toFixed(1);
      if (stream.isTTY) stream.write('\n');
      stream.write(`${label}: ${done}/${total} in ${s}s\n`);
    },
  };
}

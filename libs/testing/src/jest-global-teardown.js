// Containers started by testcontainers are stopped; local engines of infra/ are left running
// for the next run (`npm run engines:stop` stops them).
module.exports = async () => {
  const containers = globalThis.__LM_CONTAINERS__ || [];
  globalThis.__LM_CONTAINERS__ = [];
  await Promise.all(containers.map((c) => c.stop()));
};
